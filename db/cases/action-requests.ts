/**
 * Case actions are idempotent (issue #9): the caller's Idempotency-Key names one request; its first
 * answer is kept here and a repeat gets it again — also after the workflow has closed, when
 * Temporal no longer knows the update. Keys belong to their caller: the primary key is (caller, key).
 */
import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

export type ActionRequestState =
  /** First time (or an earlier attempt that never got an answer): go ahead. */
  | { kind: 'PROCEED' }
  /** Answered before: give that answer again. */
  | { kind: 'ANSWERED'; httpStatus: number; response: unknown }
  /** The key was used for another request (another case, action or body). */
  | { kind: 'KEY_REUSED' };

export async function beginActionRequest(
  db: Db,
  r: { caller: string; key: string; applicationId: string; action: string; requestHash: string },
): Promise<ActionRequestState> {
  await db.query(
    `INSERT INTO case_action_requests (caller, idempotency_key, application_id, action, request_hash)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (caller, idempotency_key) DO NOTHING`,
    [r.caller, r.key, r.applicationId, r.action, r.requestHash],
  );
  const res = await db.query<{ application_id: string; action: string; request_hash: string; http_status: number | null; response: unknown }>(
    `SELECT application_id, action, request_hash, http_status, response FROM case_action_requests WHERE caller = $1 AND idempotency_key = $2`,
    [r.caller, r.key],
  );
  const row = res.rows[0];
  if (row.application_id !== r.applicationId || row.action !== r.action || row.request_hash.trim() !== r.requestHash) return { kind: 'KEY_REUSED' };
  if (row.http_status !== null) return { kind: 'ANSWERED', httpStatus: row.http_status, response: row.response };
  return { kind: 'PROCEED' };
}

/** Keeps the request's final answer (a success, or the procedure's refusal). */
export async function finishActionRequest(db: Db, caller: string, key: string, httpStatus: number, response: unknown): Promise<void> {
  await db.query(
    `UPDATE case_action_requests SET http_status = $3, response = $4::jsonb WHERE caller = $1 AND idempotency_key = $2 AND http_status IS NULL`,
    [caller, key, httpStatus, JSON.stringify(response)],
  );
}
