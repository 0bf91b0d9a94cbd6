/**
 * What the periodic re-verification counts as a changed registry fact (issue #11 §2;
 * domain/reverification.ts, the interpretation `_reverificationGrounds`).
 */
import { groundsFound, groundsKey, groundToOpen } from '../../domain/reverification';
import type { OwnershipRecord, PersonRecord } from '../../domain/registry-facts';

const person = (deathDate?: string): PersonRecord => ({
  iin: '900101300011',
  surname: 'АХМЕТОВ',
  givenName: 'ЕРЛАН',
  birthDate: '1990-01-01',
  sex: 'M',
  citizenship: 'CITIZEN',
  ...(deathDate ? { deathDate } : {}),
  identityDocument: { number: '100000001', issuedAt: '2020-01-15' },
  address: { kato: '351010000', text: 'г. Караганда' },
});
const owned = (acquiredAt: string, extra: Partial<OwnershipRecord> = {}): OwnershipRecord => ({
  propertyId: `P-${acquiredAt}`,
  kato: '351010000',
  address: 'г. Караганда, 1',
  share: 1,
  habitable: true,
  acquiredAt,
  acquiredHow: 'PURCHASE',
  ...extra,
});
const entry = { registeredOn: '2021-03-01' };
const now = (p: PersonRecord | null, ownership: OwnershipRecord[] = []) => ({ persons: p, realEstate: { ownership }, today: '2026-12-03' });

describe('groundsFound', () => {
  it('a clean entry gives no ground, and its key is the empty one (as no verification recorded)', () => {
    expect(groundsFound(entry, now(person()))).toEqual([]);
    expect(groundsKey([])).toBe('');
    expect(groundsFound(entry, { persons: null, realEstate: null, today: '2026-12-03' })).toEqual([]);
  });

  it('DIED from the persons registry', () => {
    expect(groundsFound(entry, now(person('2026-05-10')))).toEqual([{ ground: 'DIED', registry: 'persons', facts: { deathDate: '2026-05-10' } }]);
  });

  it('HOUSING_ACQUIRED: a habitable dwelling (any share) acquired on or after the registration day and still held', () => {
    const onTheDay = owned('2021-03-01', { share: 0.25 });
    const found = groundsFound(entry, now(person(), [onTheDay, owned('2015-04-02'), owned('2023-01-10', { disposedAt: '2024-02-01' }), owned('2024-06-01', { habitable: false })]));
    expect(found).toEqual([{ ground: 'HOUSING_ACQUIRED', registry: 'realEstate', facts: { ownership: [onTheDay] } }]);
  });

  it('a dwelling owned before registration is not a changed fact (DATA_UNRELIABLE is an officer’s finding)', () => {
    expect(groundsFound(entry, now(person(), [owned('2021-02-28')]))).toEqual([]);
  });

  it('a disposal dated after today still counts as held', () => {
    expect(groundsFound(entry, now(person(), [owned('2022-01-01', { disposedAt: '2027-01-01' })]))).toHaveLength(1);
  });
});

describe('the fingerprint key and the ground opened', () => {
  it('does not depend on the registry’s order of records, and changes when a record is added', () => {
    const a = groundsFound(entry, now(person(), [owned('2022-01-01'), owned('2023-01-01')]));
    const b = groundsFound(entry, now(person(), [owned('2023-01-01'), owned('2022-01-01')]));
    expect(groundsKey(a)).toBe(groundsKey(b));
    const c = groundsFound(entry, now(person(), [owned('2022-01-01'), owned('2023-01-01'), owned('2024-01-01')]));
    expect(groundsKey(c)).not.toBe(groundsKey(a));
  });

  it('death first when both are found', () => {
    const both = groundsFound(entry, now(person('2026-05-10'), [owned('2022-01-01')]));
    expect(both.map((f) => f.ground)).toEqual(['DIED', 'HOUSING_ACQUIRED']);
    expect(groundToOpen(both)?.ground).toBe('DIED');
    expect(groundToOpen([])).toBeUndefined();
  });
});
