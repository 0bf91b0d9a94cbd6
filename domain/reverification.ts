/**
 * The periodic re-verification of active queue entries (issue #11 §2, the 2026 "inventory"): what
 * the registries say now that would remove an entry from the register on a ground of the Housing
 * Law. Order 130 is silent on removal; the readings below are interpretations
 * (reference/interpretations.json `_reverificationGrounds`):
 *
 * - DIED: the persons registry (GBD FL) records the person's death.
 * - HOUSING_ACQUIRED: the real-estate registry records a habitable dwelling (any share, as R15.2
 *   counts ownership) acquired on or after the day the entry was registered and not disposed of.
 *   A dwelling owned before registration is not re-judged here: whether the registration rested on
 *   unreliable data is an officer's finding (DATA_UNRELIABLE), not a registry fact that changed —
 *   and on the R7.2 path the emergency dwelling itself is owned by design.
 * - HOUSING_PROVIDED is the provider's own record, DATA_UNRELIABLE an officer's finding: neither is
 *   read from a registry.
 *
 * "Only where a fact changed": each entry's facts behind a ground are reduced to a fingerprint; a
 * removal case is opened when the fingerprint differs from the one recorded at the last
 * verification (none recorded = no ground was found before). So a case an officer closed by keeping
 * the entry is not reopened every run on the same facts, and it is reopened when they change again.
 *
 * Pure: no I/O. The registries' answers come in, the grounds and the fingerprint go out.
 */
import { isOnOrBefore } from './eligibility/dates';
import type { IsoDate, OwnershipRecord, PersonRecord } from './registry-facts';

/** The registries every run reads for every active entry (SPEC §10 names). */
export const REVERIFIED_REGISTRIES = ['persons', 'realEstate'] as const;

export interface ReverifiedEntry {
  /** The day (UTC+05:00) the entry was registered (a migrated record: the akimat's registration). */
  registeredOn: IsoDate;
}

export interface RegistryStateNow {
  persons: PersonRecord | null;
  realEstate: { ownership: OwnershipRecord[] } | null;
  /** Today (UTC+05:00): an ownership disposed of by today no longer holds. */
  today: IsoDate;
}

export interface FoundGround {
  /** Two of the removal grounds (workflows/removal/contract.ts RemovalGround): the registries' ones. */
  ground: 'DIED' | 'HOUSING_ACQUIRED';
  registry: 'persons' | 'realEstate';
  /** The registry's record(s) behind the ground, as answered. */
  facts: unknown;
}

/** The grounds the registries' answers give for one entry, DIED first (it makes the others moot). */
export function groundsFound(entry: ReverifiedEntry, now: RegistryStateNow): FoundGround[] {
  const found: FoundGround[] = [];
  const deathDate = now.persons?.deathDate;
  if (deathDate) found.push({ ground: 'DIED', registry: 'persons', facts: { deathDate } });
  const acquired = (now.realEstate?.ownership ?? []).filter(
    (r) => r.habitable && r.share > 0 && isOnOrBefore(entry.registeredOn, r.acquiredAt) && !(r.disposedAt && isOnOrBefore(r.disposedAt, now.today)),
  );
  if (acquired.length > 0) found.push({ ground: 'HOUSING_ACQUIRED', registry: 'realEstate', facts: { ownership: acquired } });
  return found;
}

/**
 * The canonical text the fingerprint is a hash of: the grounds and the identifying parts of their
 * facts, in a fixed order. '' when no ground is found (the same as no verification recorded).
 */
export function groundsKey(found: readonly FoundGround[]): string {
  return found
    .map((f) => {
      if (f.ground === 'DIED') return `DIED:${(f.facts as { deathDate: string }).deathDate}`;
      const owned = (f.facts as { ownership: OwnershipRecord[] }).ownership.map((r) => `${r.propertyId}@${r.acquiredAt}`).sort();
      return `HOUSING_ACQUIRED:${owned.join(',')}`;
    })
    .sort()
    .join('|');
}

/** The ground a removal case is opened on when a changed fingerprint gives several: death first. */
export function groundToOpen(found: readonly FoundGround[]): FoundGround | undefined {
  return found.find((f) => f.ground === 'DIED') ?? found[0];
}
