/**
 * The terms of a removal case, computed once, here, from the reference data the case pinned when
 * it was opened (working-day calendar UTC+05:00; SPEC §2). Pure: the workflow and the API take
 * them from this function.
 *
 *   with a hearing (APPC art. 73, the application procedure's R17 hearing reused): the preliminary
 *     decision's notice goes out when the case opens; hearingAt = 11:00 on the 2nd working day
 *     after the notice day; the officer's decision is due 18:30 on the 3rd (`Terms.hearing`).
 *   without one: the officer's decision is due 18:30 on the `removal.decisionWorkingDays`-th
 *     working day after the opening day (interpretation).
 */
import type { RemovalGround } from '../../workflows/removal/contract';
import type { ReferenceSnapshot } from '../procedure/reference';
import { Terms } from '../procedure/terms';
import { decisionWorkingDays, groundNeedsHearing } from './grounds';

export interface RemovalTerms {
  openedAtMs: number;
  /** Present when the ground needs a hearing: the notice instant (= opening) and the hearing's time. */
  hearing?: { noticeAtMs: number; hearingAtMs: number };
  decisionDueAtMs: number;
}

export function removalTerms(reference: ReferenceSnapshot, ground: RemovalGround, openedAtMs: number): RemovalTerms {
  const t = new Terms(reference);
  if (groundNeedsHearing(reference, ground)) {
    const h = t.hearing(openedAtMs);
    return { openedAtMs, hearing: { noticeAtMs: openedAtMs, hearingAtMs: h.hearingAtMs }, decisionDueAtMs: h.extendedDecisionDueAtMs };
  }
  return { openedAtMs, decisionDueAtMs: t.termEnd(openedAtMs, decisionWorkingDays(reference)) };
}
