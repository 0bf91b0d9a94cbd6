/**
 * R17 (APPC art. 73): before any refusal, a preliminary decision with its grounds and a hearing
 * notice; until the hearing the applicant may act (their actions are taken by the procedure loop,
 * workflows/application/steps/actions.ts); at the hearing's time the case moves on — to the officer
 * if a position was stated, to the final refusal if not (domain/procedure/next-step.ts).
 */
import { condition } from '@temporalio/workflow';
import { decisions } from '../activities';
import { iso, type CaseFile } from '../case-file';
import type { Inbox } from '../inbox';
import { attempt, markSaved, rest } from '../record';
import { awaitStaff } from './waits';

/** The preliminary refusal with every ground, the hearing notice, and the term extended (R17). */
export async function preliminaryDecision(c: CaseFile, inbox: Inbox): Promise<void> {
  const noticeAtMs = Date.now();
  const { hearingAtMs, extendedDecisionDueAtMs } = c.terms.hearing(noticeAtMs);
  const seq = (c.preliminary?.seq ?? 0) + 1;
  c.preliminary = { seq, noticeAtMs, hearingAtMs };
  // The term is extended so the final decision follows the hearing (SPEC §7 Interpretation).
  c.decisionDueAtMs = Math.max(c.decisionDueAtMs, extendedDecisionDueAtMs);
  c.hearingExtendsTermToMs = extendedDecisionDueAtMs;
  c.flags.delete('OVERDUE'); // a new term: the hearing's
  // From the moment the notice is written the applicant may act on it (the API may show the
  // record's HEARING_SCHEDULED before this step returns): the status goes first.
  c.status = 'HEARING_SCHEDULED';
  c.waitingOn = ['applicant'];
  c.publish();
  await attempt(c, inbox, 'recordPreliminaryDecision', () =>
    c.withEvents((events) =>
      decisions.recordPreliminaryDecision({
        applicationId: c.id,
        events,
        seq,
        noticeAt: iso(noticeAtMs),
        hearingAt: iso(hearingAtMs),
        decisionDueAt: iso(c.decisionDueAtMs),
        grounds: c.grounds,
        categories: c.categories,
        waitingOn: c.waitingOn,
        recipient: c.recipient(),
      }),
    ),
  );
  markSaved(c);
  inbox.answerTaken();
  c.notices = await decisions.deliverNotices(c.id);
}

/**
 * Until the hearing: returns when the applicant (or anybody) acted, or when the hearing's time
 * came. After a position is stated the officer who holds the hearing is the one the case waits on.
 */
export async function hearingPeriod(c: CaseFile, inbox: Inbox): Promise<void> {
  const hearingAtMs = c.preliminary!.hearingAtMs;
  await rest(c, inbox, 'HEARING_SCHEDULED', [c.positionStated ? 'officer' : 'applicant']);
  c.wakeAtMs = hearingAtMs;
  const acted = await condition(() => inbox.hasWaiting(), Math.max(hearingAtMs - Date.now(), 1));
  c.wakeAtMs = undefined;
  if (!acted) c.note('HEARING_HELD', 'system', { positionStated: c.positionStated }, hearingAtMs);
}

/** R17: the hearing was held without a position: the authorised officer signs the final refusal. */
export async function awaitFinalSignature(c: CaseFile, inbox: Inbox): Promise<void> {
  await awaitStaff(c, inbox, 'AWAITING_FINAL_SIGNATURE', ['officer']);
}

/** R17: the hearing was held after a position: the authorised officer decides. */
export async function awaitOfficer(c: CaseFile, inbox: Inbox): Promise<void> {
  await awaitStaff(c, inbox, 'AWAITING_HEARING_OUTCOME', ['officer']);
}
