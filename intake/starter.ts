/**
 * The intake starter (issue #14): starts the workflows of received cases from the intake outbox
 * (db/intake/outbox.ts), so a slow or restarting Temporal delays the decision, never the acceptance.
 *
 * It runs inside the worker process (worker/run-worker.ts): the worker already holds the database
 * and Temporal connections and the payload keys, a start is only useful where a worker will run
 * the case, and every worker replica may run one — entries are taken with SKIP LOCKED, so starters
 * share the work without a leader and none is another process to supervise.
 *
 * Start once: each attempt holds the outbox entry's lock and the application row's lock while it
 * asks Temporal (the workflow's acceptance activity waits on that row lock). The workflow ID is the
 * person's deterministic ID; WorkflowExecutionAlreadyStarted for this application (its memo) counts
 * as started. A case whose record has left SUBMITTED, or whose workflow_started_at is set, has had
 * its workflow run: it is marked started without asking Temporal again — so an attempt whose answer
 * was lost never leads to a second run after the first closed. A failed attempt is retried with
 * exponential backoff (capped); another application of the person whose run has not closed yet
 * (OTHER_CASE_RUNNING) is retried the same way.
 */
import type { Client } from '@temporalio/client';
import type { Pool, PoolClient } from 'pg';
import { startCaseWorkflow } from '../api/workflow-gateway';
import * as cases from '../db/cases';
import * as intake from '../db/intake';
import { currentReferenceSnapshot } from '../domain/reference-snapshot';
import { toAlmatyIso } from '../domain/time';
import type { ApplicationWorkflowInput } from '../workflows/contract';

export interface StarterOptions {
  pool: Pool;
  client: Client;
  taskQueue: string;
  /** Starts in flight at once (each holds one database connection while Temporal answers). */
  concurrency?: number;
  /** How often an idle starter looks for new entries. */
  pollMs?: number;
  /** Backoff of a failed attempt: base × 2^attempts, at most maxBackoffMs, with jitter. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Errors of the loop itself (the database away): kinds only, never data. */
  onError?: (kind: string) => void;
}

export interface Starter {
  /** Stops taking entries and waits for the attempts in flight. */
  stop(): Promise<void>;
  /** Resolves once nothing of this queue is due right now (tests). */
  idle(): Promise<void>;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
}

/** The workflow's input: the record as filed, with its pinned reference data and the report it carried (A1.8.2). */
export async function workflowInputOf(db: Pool | PoolClient, row: cases.ApplicationRow): Promise<ApplicationWorkflowInput> {
  // A row from before reference snapshots were pinned: today's data.
  const reference = row.reference_snapshot_id ? await cases.referenceSnapshot(db, row.reference_snapshot_id) : currentReferenceSnapshot();
  const carried = await cases.latestUpload(db, row.id, 'TECHNICAL_REPORT');
  const details = carried?.details as { reportNumber?: string; propertyId?: string } | undefined;
  return {
    applicationId: row.id,
    declaration: row.declaration,
    receivedAt: toAlmatyIso(row.received_at.getTime()),
    acceptedAt: toAlmatyIso(row.accepted_at.getTime()),
    decisionDueAt: toAlmatyIso(row.decision_due_at.getTime()),
    submittedBy: row.submitted_by,
    reference,
    ...(carried && carried.version === 1 && details?.reportNumber && details.propertyId
      ? { technicalReport: { documentId: carried.id, version: 1, sha256: carried.sha256, reportNumber: details.reportNumber, propertyId: details.propertyId } }
      : {}),
  };
}

export type AttemptOutcome = 'STARTED' | 'ALREADY_RAN' | 'DEFERRED' | 'NOT_TAKEN';

/** One start attempt for one entry (see the header). */
export async function attemptStart(
  o: Pick<StarterOptions, 'pool' | 'client' | 'taskQueue'>,
  applicationId: string,
  backoff: (attempts: number) => number,
): Promise<AttemptOutcome> {
  const { pool, client, taskQueue } = o;
  let failure: { kind: string; attempts: number } | undefined;
  const outcome = await (async (): Promise<AttemptOutcome> => {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      const entry = await intake.claimStart(tx, applicationId);
      if (!entry) {
        await tx.query('ROLLBACK');
        return 'NOT_TAKEN';
      }
      const locked = await cases.lockForStart(tx, applicationId);
      const row = locked ? await cases.findApplication(tx, applicationId) : undefined;
      if (!row || locked?.started || row.case_status !== 'SUBMITTED' || row.status !== 'ACTIVE') {
        // Its workflow ran (or the case is gone): nothing to start.
        if (row && !locked?.started) await cases.markWorkflowStarted(tx, applicationId);
        await intake.markStartDone(tx, applicationId);
        await tx.query('COMMIT');
        return 'ALREADY_RAN';
      }
      let result: Awaited<ReturnType<typeof startCaseWorkflow>>;
      try {
        // Read on the attempt's own connection: lanes never wait on the pool while holding a row lock.
        const input = await workflowInputOf(tx, row);
        result = await startCaseWorkflow(client, { workflowId: row.workflow_id, taskQueue, input });
      } catch (err) {
        await tx.query('ROLLBACK');
        failure = { kind: err instanceof Error ? err.name : 'Error', attempts: entry.attempts };
        return 'DEFERRED';
      }
      if (result === 'OTHER_CASE_RUNNING') {
        await tx.query('ROLLBACK');
        failure = { kind: 'OTHER_CASE_RUNNING', attempts: entry.attempts };
        return 'DEFERRED';
      }
      await cases.markWorkflowStarted(tx, applicationId);
      await intake.markStartDone(tx, applicationId);
      await tx.query('COMMIT');
      return 'STARTED';
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  })();
  // Recorded after the lock is gone, so the workflow (if the start did go through) is not held up.
  if (failure) await intake.deferStart(pool, applicationId, failure.kind, backoff(failure.attempts));
  return outcome;
}

export function startIntakeStarter(opts: StarterOptions): Starter {
  const concurrency = opts.concurrency ?? 8;
  const pollMs = opts.pollMs ?? 200;
  const base = opts.baseBackoffMs ?? 500;
  const max = opts.maxBackoffMs ?? 30_000;
  const backoff = (attempts: number): number => Math.min(max, base * 2 ** Math.min(attempts, 16)) * (0.5 + Math.random() / 2);
  let stopping = false;
  let wakeUp: (() => void) | undefined;
  let idleWaiters: (() => void)[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  async function round(): Promise<number> {
    const due = await intake.dueStarts(opts.pool, opts.taskQueue, concurrency * 4);
    let next = 0;
    let started = 0;
    const lane = async () => {
      while (!stopping && next < due.length) {
        const id = due[next++];
        try {
          if ((await attemptStart(opts, id, backoff)) !== 'NOT_TAKEN') started += 1; // started, ran, or deferred
        } catch (err) {
          opts.onError?.(err instanceof Error ? err.name : 'Error');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, lane));
    // 0 when nothing was due, or every due entry was another starter's: then wait for the next poll.
    return started;
  }

  const loop = (async () => {
    while (!stopping) {
      let worked = 0;
      try {
        worked = await round();
      } catch (err) {
        opts.onError?.(err instanceof Error ? err.name : 'Error');
      }
      if (worked === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
        if (!stopping) await sleep(pollMs);
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
      for (const w of idleWaiters) w();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wakeUp?.();
      });
    },
    wake() {
      wakeUp?.();
    },
  };
}
