/**
 * R7.2 (R13, A1.8.2): the emergency path needs the e-copy of the certified expert's technical
 * report, and an operator's review of it. Both are waits: the upload and the review are actions
 * the procedure loop takes (workflows/application/steps/actions.ts).
 */
import type { CaseFile } from '../case-file';
import type { Inbox } from '../inbox';
import { awaitStaff } from './waits';

export { awaitReport } from './waits';

/** An operator is to accept the report or reject it as unreliable (R15.6), within the term. */
export async function reviewReport(c: CaseFile, inbox: Inbox): Promise<void> {
  await awaitStaff(c, inbox, 'AWAITING_REVIEW', ['operator']);
}
