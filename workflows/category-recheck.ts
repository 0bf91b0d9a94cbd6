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
import { caseRecord, decisions, registry } from './application/activities';

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
  const [categories, orphanStatus, mobile] = await Promise.all([
    registry.fetchRegistry('categories', [iin]),
    registry.fetchRegistry('orphanStatus', [iin]),
    registry.fetchRegistry('mobile', [iin]),
  ]);
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
    phone: (mobile[iin] as { phone?: string } | null | undefined)?.phone ?? null,
  });
  // R16: the cabinet notice is in; the SMS (pointing to the cabinet) goes out through the outbox.
  if (recorded.inQueue) await decisions.deliverNotices(input.applicationId);
  return { ...recorded, outcome };
}

export interface SmsNoticeWorkflowInput {
  applicationId: string;
  applicantIin: string;
  kind: string;
  dedupeKey: string;
  at: string;
  text: { kk: string; ru: string };
}

/**
 * R16 for a notice the API wrote to the cabinet itself (a withdrawal from the queue): the SMS to the
 * number in the mobile citizens database, if there is one, through the outbox — the notice's id is
 * the gateway's clientMessageId, so a retry never sends twice. Started by the API after its commit.
 */
export async function smsNoticeWorkflow(input: SmsNoticeWorkflowInput): Promise<void> {
  const mobile = await registry.fetchRegistry('mobile', [input.applicantIin]);
  const phone = (mobile[input.applicantIin] as { phone?: string } | null | undefined)?.phone ?? null;
  const { applicantIin: _iin, ...notice } = input;
  await caseRecord.queueSmsNotice({ ...notice, phone });
  await decisions.deliverNotices(input.applicationId);
}
