/**
 * R7.2 (R13, A1.8.2): the emergency path needs the e-copy of the certified expert's technical
 * report, and an operator's review of it. Both are waits: the upload and the review are actions
 * the procedure loop takes (workflows/application/steps/actions.ts).
 */
import { condition } from '@temporalio/workflow';
import type { CaseFile } from '../case-file';
import type { Inbox } from '../inbox';
import { rest } from '../record';

/** The applicant is to upload the report. */
export async function awaitReport(c: CaseFile, inbox: Inbox): Promise<void> {
  await rest(c, inbox, 'AWAITING_REPORT', ['applicant']);
  await condition(() => inbox.hasWaiting());
}

/** An operator is to accept the report or reject it as unreliable (R15.6). */
export async function reviewReport(c: CaseFile, inbox: Inbox): Promise<void> {
  await rest(c, inbox, 'AWAITING_REVIEW', ['operator']);
  await condition(() => inbox.hasWaiting());
}
