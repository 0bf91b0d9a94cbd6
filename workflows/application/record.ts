/**
 * Keeping the case record (PostgreSQL) and the search attributes up with the workflow, and holding
 * a case whose step failed on data it cannot process until an administrator has mended it.
 */
import { ActivityFailure, ApplicationFailure, condition, log } from '@temporalio/workflow';
import type { CaseStatus } from '../../domain/procedure/statuses';

const STAFF = new Set(['operator', 'officer', 'head', 'administrator']);
import { caseRecord } from './activities';
import { iso, type CaseFile } from './case-file';
import type { Inbox } from './inbox';

const recordKey = (c: CaseFile): string =>
  JSON.stringify([c.status, [...c.flags].sort(), c.waitingOn, c.decisionDueAtMs, c.grounds, c.categories]);

/** The case's state as the record keeps it (db/cases/progress.ts). */
export const progressOf = (c: CaseFile) => ({
  applicationId: c.id,
  status: c.status,
  flags: [...c.flags].sort(),
  waitingOn: c.waitingOn,
  decisionDueAt: iso(c.decisionDueAtMs),
  ...(c.facts ? { grounds: c.grounds, categories: c.categories } : {}),
});

/** Writes the case's status, flags, who it waits on, its due instant and the unwritten timeline. */
export async function saveProgress(c: CaseFile): Promise<void> {
  const key = recordKey(c);
  if (key === c.recordedAs && !c.hasUnwrittenEvents()) return;
  await c.withEvents((events) => caseRecord.recordCaseProgress({ ...progressOf(c), events }));
  c.recordedAs = key;
}

/** The record now says what the workflow says (an activity that wrote the status itself). */
export function markSaved(c: CaseFile): void {
  c.recordedAs = recordKey(c);
}

/**
 * The case waits for somebody (`waitingOn`): the record and the search attributes say so, and
 * every action taken so far is answered with this status.
 */
export async function rest(c: CaseFile, inbox: Inbox, status: CaseStatus, waitingOn: string[]): Promise<void> {
  c.status = status;
  c.waitingOn = waitingOn;
  // Overdue is the staff's: once the case waits on somebody else (or on nobody), it is not.
  if (!waitingOn.some((w) => STAFF.has(w))) c.flags.delete('OVERDUE');
  c.publish();
  await saveProgress(c);
  inbox.answerTaken();
}

/** An activity's failure that retrying cannot mend: the data it was given was refused. */
function isDataFailure(err: unknown): err is ActivityFailure {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable === true;
}

/**
 * Runs a step's activity. Should it fail as non-retryable (activities/case-activities.ts marks a
 * write the database refused on its data that way), the case is not failed and not retried for
 * ever: it is held, visibly — flag STEP_FAILED, WaitingOn administrator, in the record, the search
 * attributes and the timeline — until an administrator asks for the step again (retryFailedStep).
 */
export async function attempt<T>(c: CaseFile, inbox: Inbox, step: string, run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await run();
    } catch (err) {
      if (!isDataFailure(err)) throw err;
      const type = (err.cause as ApplicationFailure).type ?? 'ApplicationFailure';
      log.warn('case step failed on its data; held for an administrator', { step, type });
      const waitingBefore = c.waitingOn;
      c.failure = { step, type, at: iso(Date.now()) };
      c.flags.add('STEP_FAILED');
      c.waitingOn = ['administrator'];
      c.publish();
      // Written with this entry only: the ones the failed step carried may be what was refused.
      await caseRecord.recordCaseProgress({ ...progressOf(c), events: [c.event('STEP_FAILED', 'system', { step, type })], failure: c.failure });
      inbox.answerTaken();
      await condition(() => inbox.hasWaiting('RETRY'));
      const retry = inbox.take('RETRY');
      c.flags.delete('STEP_FAILED');
      c.failure = undefined;
      c.waitingOn = waitingBefore;
      c.note('STEP_RETRIED', retry?.kind === 'RETRY' ? retry.actor : 'system', { step });
      c.publish();
      c.recordedAs = undefined;
    }
  }
}
