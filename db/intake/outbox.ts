/**
 * The intake outbox (issue #14; db/migrations/050_intake_outbox.sql): the one owner of every SQL
 * statement on `intake_outbox`.
 *
 * A submission writes its application row and its outbox entry in one transaction and is answered;
 * the starter (intake/starter.ts) takes due entries in receipt order, starts each case's workflow
 * once, and marks the entry started — or defers it with backoff when Temporal does not take it.
 */
import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

/** In the submission's transaction: the case's workflow is to be started on `taskQueue`. */
export async function enqueueStart(tx: PoolClient, applicationId: string, taskQueue: string): Promise<void> {
  await tx.query(`INSERT INTO intake_outbox (application_id, task_queue) VALUES ($1, $2) ON CONFLICT (application_id) DO NOTHING`, [
    applicationId,
    taskQueue,
  ]);
}

/** Entries of this queue due for a (first or next) start attempt, oldest receipt first. */
export async function dueStarts(db: Db, taskQueue: string, limit: number): Promise<string[]> {
  const res = await db.query<{ application_id: string }>(
    `SELECT application_id FROM intake_outbox
      WHERE task_queue = $1 AND started_at IS NULL AND next_attempt_at <= now()
      ORDER BY seq LIMIT $2`,
    [taskQueue, limit],
  );
  return res.rows.map((r) => r.application_id);
}

/**
 * Takes the entry for one start attempt: locked for this transaction, or undefined when another
 * starter holds it, it was started meanwhile, or it is not due yet.
 */
export async function claimStart(tx: PoolClient, applicationId: string): Promise<{ attempts: number } | undefined> {
  const res = await tx.query<{ attempts: number }>(
    `SELECT attempts FROM intake_outbox
      WHERE application_id = $1 AND started_at IS NULL AND next_attempt_at <= now()
      FOR UPDATE SKIP LOCKED`,
    [applicationId],
  );
  return res.rows[0];
}

export async function markStartDone(tx: PoolClient, applicationId: string): Promise<void> {
  await tx.query(`UPDATE intake_outbox SET started_at = now(), attempts = attempts + 1, last_error = NULL WHERE application_id = $1`, [applicationId]);
}

/** A failed attempt: tried again after `delayMs`. `error` is a kind (a class name), never a message. */
export async function deferStart(db: Db, applicationId: string, error: string, delayMs: number): Promise<void> {
  await db.query(
    `UPDATE intake_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
      WHERE application_id = $1 AND started_at IS NULL`,
    [applicationId, error.slice(0, 100), delayMs],
  );
}

export interface OutboxEntry {
  application_id: string;
  task_queue: string;
  enqueued_at: Date;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  started_at: Date | null;
}

export async function outboxEntry(db: Db, applicationId: string): Promise<OutboxEntry | undefined> {
  const res = await db.query<OutboxEntry>(
    `SELECT application_id, task_queue, enqueued_at, attempts, next_attempt_at, last_error, started_at FROM intake_outbox WHERE application_id = $1`,
    [applicationId],
  );
  return res.rows[0];
}

/** How many cases of the queue wait for their workflow to start, and since when the oldest (for /health, bench). */
export async function pendingStarts(db: Db, taskQueue: string): Promise<{ pending: number; oldest: Date | null }> {
  const res = await db.query<{ pending: number; oldest: Date | null }>(
    `SELECT count(*)::int AS pending, min(enqueued_at) AS oldest FROM intake_outbox WHERE task_queue = $1 AND started_at IS NULL`,
    [taskQueue],
  );
  return res.rows[0];
}
