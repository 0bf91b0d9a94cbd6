/**
 * The one owner of entry_verifications and reverification_runs
 * (db/migrations/065_reverification.sql): the periodic re-verification's per-entry fingerprints and
 * each run's progress (issue #11 §2). It reads queue_entries, which db/cases owns, only to walk the
 * active entries in id order.
 */
import type { Pool } from 'pg';
import { withTransaction } from './transaction';

export interface EntryToVerify {
  entryId: string;
  applicationId: string | null;
  iin: string;
  registeredAt: Date;
  /** The fingerprint recorded at the last verification that found a ground; null: none found yet. */
  factsHash: Buffer | null;
}

/** The next `limit` active entries after `afterEntryId`, in id order (the primary key's). */
export async function activeEntriesAfter(pool: Pool, afterEntryId: string, limit: number): Promise<EntryToVerify[]> {
  const r = await pool.query<{ id: string; application_id: string | null; applicant_iin: string; registered_at: Date; facts_hash: Buffer | null }>(
    `SELECT q.id::text, q.application_id, q.applicant_iin, q.registered_at, v.facts_hash
       FROM queue_entries q LEFT JOIN entry_verifications v ON v.entry_id = q.id
      WHERE q.id > $1::bigint AND q.status = 'ACTIVE'
      ORDER BY q.id LIMIT $2`,
    [afterEntryId, limit],
  );
  return r.rows.map((x) => ({ entryId: x.id, applicationId: x.application_id, iin: x.applicant_iin, registeredAt: x.registered_at, factsHash: x.facts_hash }));
}

export async function activeEntryCount(pool: Pool): Promise<number> {
  const r = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM queue_entries WHERE status = 'ACTIVE'`);
  return Number(r.rows[0]!.n);
}

/** Starts a run's progress row and returns its total; a retried start (or a continue-as-new) keeps the row. */
export async function startRun(pool: Pool, runId: string, at: Date, total: number): Promise<number> {
  await pool.query(
    `INSERT INTO reverification_runs (run_id, started_at, updated_at, total) VALUES ($1, $2, $2, $3) ON CONFLICT (run_id) DO NOTHING`,
    [runId, at, total],
  );
  const r = await pool.query<{ total: string }>(`SELECT total::text FROM reverification_runs WHERE run_id = $1`, [runId]);
  return Number(r.rows[0]!.total);
}

export interface VerifiedBatch {
  runId: string;
  /** The batch's first entry was after this id, its last is `lastEntryId`. */
  afterEntryId: string;
  lastEntryId: string;
  checked: number;
  at: Date;
  /** Entries whose fingerprint changed, with the new one (an empty key's hash when no ground is left). */
  fingerprints: { entryId: string; factsHash: Buffer }[];
  changed: number;
  opened: number;
}

/**
 * Records a verified batch: the changed fingerprints and the run's progress, in one transaction.
 * Idempotent: a retried batch (its cursor already past `afterEntryId`) changes nothing, so the
 * counts are not doubled.
 */
export async function recordBatch(pool: Pool, b: VerifiedBatch): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const progressed = await tx.query(
      `UPDATE reverification_runs
          SET cursor = $2::bigint, checked = checked + $3, changed = changed + $4, opened = opened + $5, updated_at = $6
        WHERE run_id = $1 AND cursor = $7::bigint`,
      [b.runId, b.lastEntryId, b.checked, b.changed, b.opened, b.at, b.afterEntryId],
    );
    if (progressed.rowCount !== 1) return false;
    if (b.fingerprints.length > 0) {
      await tx.query(
        `INSERT INTO entry_verifications (entry_id, facts_hash, verified_at, run_id)
         SELECT e, h, $3, $4 FROM unnest($1::bigint[], $2::bytea[]) AS t(e, h)
         ON CONFLICT (entry_id) DO UPDATE SET facts_hash = excluded.facts_hash, verified_at = excluded.verified_at, run_id = excluded.run_id`,
        [b.fingerprints.map((f) => f.entryId), b.fingerprints.map((f) => f.factsHash), b.at, b.runId],
      );
    }
    return true;
  });
}

export async function finishRun(pool: Pool, runId: string, at: Date): Promise<void> {
  await pool.query(`UPDATE reverification_runs SET finished_at = coalesce(finished_at, $2), updated_at = $2 WHERE run_id = $1`, [runId, at]);
}

export interface RunProgress {
  runId: string;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  total: number;
  checked: number;
  changed: number;
  opened: number;
  cursor: string;
}

/** The latest runs, newest first (the tests read them; an operator reads the run's query in the Temporal UI). */
export async function latestRuns(pool: Pool, limit: number): Promise<RunProgress[]> {
  const r = await pool.query<{ run_id: string; started_at: Date; updated_at: Date; finished_at: Date | null; total: string; checked: string; changed: string; opened: string; cursor: string }>(
    `SELECT run_id, started_at, updated_at, finished_at, total::text, checked::text, changed::text, opened::text, cursor::text
       FROM reverification_runs ORDER BY started_at DESC LIMIT $1`,
    [limit],
  );
  return r.rows.map((x) => ({
    runId: x.run_id,
    startedAt: x.started_at.toISOString(),
    updatedAt: x.updated_at.toISOString(),
    finishedAt: x.finished_at?.toISOString() ?? null,
    total: Number(x.total),
    checked: Number(x.checked),
    changed: Number(x.changed),
    opened: Number(x.opened),
    cursor: x.cursor,
  }));
}
