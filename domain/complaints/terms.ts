/**
 * The terms of a complaint (R18, R19; SPEC §8 and its Interpretation), computed once, here, from
 * the reference data the complaint pinned when it was received. Pure: the workflow, the API and the
 * CLI (`hpc complaint-terms`) all take them from this function.
 *
 *   registeredAt             the §2 acceptance rule (A1.7.2) applied to the receipt
 *   providerDecisionDueAt    18:30 on the 5th working day after the registration day (R18)
 *   forwardDueAt             18:30 on the 3rd working day after the RECEIPT day (R19 counts from receipt)
 *   reviewBodyDecisionDueAt  18:30 on the 15th working day after the review body's own registration (R18)
 */
import type { ReferenceSnapshot } from '../procedure/reference';
import { Terms } from '../procedure/terms';

export interface ComplaintTerms {
  receivedAtMs: number;
  registeredAtMs: number;
  providerDecisionDueAtMs: number;
  forwardDueAtMs: number;
}

export interface ReviewBodyTerms {
  reviewBodyRegisteredAtMs: number;
  reviewBodyDecisionDueAtMs: number;
}

export function complaintTerms(reference: ReferenceSnapshot, receivedAtMs: number): ComplaintTerms {
  const t = new Terms(reference);
  const i = reference.interpretations;
  const registeredAtMs = t.acceptance(receivedAtMs);
  return {
    receivedAtMs,
    registeredAtMs,
    providerDecisionDueAtMs: t.termEnd(registeredAtMs, i.complaintProviderDecisionWorkingDays),
    forwardDueAtMs: t.termEnd(receivedAtMs, i.complaintForwardWorkingDays),
  };
}

/**
 * The review body's term, from the instant the complaint reached it (forwarded): registered there
 * by the same acceptance rule, decided within 15 working days of that registration (R18).
 */
export function reviewBodyTerms(reference: ReferenceSnapshot, arrivedAtMs: number): ReviewBodyTerms {
  const t = new Terms(reference);
  const reviewBodyRegisteredAtMs = t.acceptance(arrivedAtMs);
  return {
    reviewBodyRegisteredAtMs,
    reviewBodyDecisionDueAtMs: t.termEnd(reviewBodyRegisteredAtMs, reference.interpretations.complaintReviewBodyWorkingDays),
  };
}
