/**
 * R9 after registration (issue #11 §2): a registered person whose declared category was not
 * confirmed had the state body correct its data and asks for a re-check. The registries that
 * confirm categories (domain/eligibility/categories.ts: the applicant's `categories` answer, and
 * for ORPHAN the orphan-status registry) are read again, the same rule judges the declared
 * categories, and a newly confirmed one gives the entry its place in that category's list, ordered
 * by the original receivedAt (db/cases/queue.ts recordCategoryRecheck).
 *
 * A short workflow of its own, started by the API per request (its ID carries the case id and the
 * request's key, never an IIN): the application's workflow closed with the decision. A registry
 * that stays down fails the run; the API answers 503 and the person asks again.
 */
import type { CategoryOutcome } from '../domain/application';
import { checkCategories } from '../domain/eligibility/categories';
import { emptyAnswers, type CategoryConfirmation, type OrphanStatusRecord } from '../domain/registry-facts';
import type { CategoryRecheckOutcome } from '../activities/types';
import { caseRecord, registry } from './application/activities';

export interface CategoryRecheckWorkflowInput {
  applicationId: string;
  applicantIin: string;
  /** The categories the application declared (R8). */
  declared: string[];
  requestKey: string;
  requestedBy: string;
  requestedAt: string;
}

export async function categoryRecheckWorkflow(input: CategoryRecheckWorkflowInput): Promise<CategoryRecheckOutcome & { outcome: CategoryOutcome }> {
  const iin = input.applicantIin;
  const [categories, orphanStatus] = await Promise.all([registry.fetchRegistry('categories', [iin]), registry.fetchRegistry('orphanStatus', [iin])]);
  const answers = {
    ...emptyAnswers(),
    categories: (categories[iin] as CategoryConfirmation[] | undefined) ?? [],
    orphanStatus: (orphanStatus[iin] as OrphanStatusRecord | null | undefined) ?? null,
  };
  const outcome = checkCategories(input.declared, answers);
  const recorded = await caseRecord.recordCategoryRecheck({
    applicationId: input.applicationId,
    requestKey: input.requestKey,
    at: input.requestedAt,
    requestedBy: input.requestedBy,
    outcome,
  });
  return { ...recorded, outcome };
}
