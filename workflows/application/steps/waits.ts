/**
 * The case waiting for somebody, with the due instants that act (issue #10 §2):
 *  - A1.7.2: an application received out of hours is accepted at 09:00 of the next working day, and
 *    its result issued then: until then the case rests RECEIVED (its registries may be read early);
 *  - R13, R16: a due instant that passes while the case waits on the provider's staff marks it
 *    OVERDUE — the record, the search attributes and the timeline say so, the head is alerted and
 *    the applicant's cabinet told (activities/case-activities.ts recordOverdue); it still waits on
 *    the same staff, who are still the ones to act;
 *  - R7.2 (A1.8.2): the term ends without the expert's report — the procedure refuses preliminarily
 *    on that ground, with a hearing (R17): no case waits for a report for ever.
 */
import { condition } from '@temporalio/workflow';
import type { CaseStatus } from '../../../domain/procedure/statuses';
import { caseRecord, decisions } from '../activities';
import { iso, type CaseFile } from '../case-file';
import type { Inbox } from '../inbox';
import { progressOf, rest } from '../record';

/** Waits until somebody acts or `untilMs` comes; true when somebody acted. */
async function actedBefore(c: CaseFile, inbox: Inbox, untilMs: number): Promise<boolean> {
  if (inbox.hasWaiting()) return true;
  c.wakeAtMs = untilMs;
  try {
    return await condition(() => inbox.hasWaiting(), Math.max(untilMs - Date.now(), 1));
  } finally {
    c.wakeAtMs = undefined;
  }
}

/** A1.7.2: rests RECEIVED until the acceptance instant (or an action: a withdrawal, a report). */
export async function awaitAcceptance(c: CaseFile, inbox: Inbox): Promise<void> {
  await rest(c, inbox, 'RECEIVED', []);
  await actedBefore(c, inbox, c.acceptedAtMs);
}

/** The staff are to act: past the due instant the case is OVERDUE, and still theirs. */
export async function awaitStaff(c: CaseFile, inbox: Inbox, status: CaseStatus, waitingOn: string[]): Promise<void> {
  await rest(c, inbox, status, waitingOn);
  if (!c.flags.has('OVERDUE')) {
    if (await actedBefore(c, inbox, c.decisionDueAtMs)) return;
    await markOverdue(c);
  }
  await condition(() => inbox.hasWaiting());
}

async function markOverdue(c: CaseFile): Promise<void> {
  const dueAt = iso(c.decisionDueAtMs);
  c.flags.add('OVERDUE');
  c.note('CASE_OVERDUE', 'system', { dueAt, waitingOn: c.waitingOn });
  c.publish();
  await c.withEvents((events) => caseRecord.recordOverdue({ progress: { ...progressOf(c), events }, dueAt, at: iso(Date.now()), waitingOn: c.waitingOn }));
  c.notices = await decisions.deliverNotices(c.id);
}

/** R7.2: the applicant is to upload the report, within the term. */
export async function awaitReport(c: CaseFile, inbox: Inbox): Promise<void> {
  await rest(c, inbox, 'AWAITING_REPORT', ['applicant']);
  if (await actedBefore(c, inbox, c.decisionDueAtMs)) return;
  // A1.8.2: the term ended without it — a ground, and so a preliminary refusal with a hearing.
  c.reportMissingAtTermEnd = iso(c.decisionDueAtMs);
  c.note('TECHNICAL_REPORT_MISSING', 'system', { termEndedAt: c.reportMissingAtTermEnd });
  c.evaluate();
}
