/**
 * Staff worklists (issue #11 §3): the open cases a staff role is to act on, overdue first, then by
 * the instant they are due, then by id — a total order, paged by keyset so a page never repeats or
 * skips a case. "Overdue" is judged at the instant of the first page (`asOf`, carried in the
 * cursor), so the order cannot shift under a person paging through it.
 *
 * Which cases are whose (R13, R17, issue #10 §2):
 *   operator       AWAITING_REVIEW — a technical report to review (R13, A1.8.2, R15.6)
 *   officer        AWAITING_HEARING_OUTCOME, AWAITING_FINAL_SIGNATURE — hearing outcomes and
 *                  final refusals to sign (R17)
 *   head           open cases that are overdue (flag OVERDUE) or have an open alert for the head
 *                  in `staff_alerts` (migration 011)
 *   administrator  cases held by a failed step (flag STEP_FAILED)
 */
import type { Pool, PoolClient } from 'pg';
import type { ApplicationRow } from './applications';

type Db = Pool | PoolClient;

export type WorklistRole = 'operator' | 'officer' | 'head' | 'administrator';

export const WORKLIST_STATUSES: Readonly<Record<WorklistRole, readonly string[] | undefined>> = {
  operator: ['AWAITING_REVIEW'],
  officer: ['AWAITING_HEARING_OUTCOME', 'AWAITING_FINAL_SIGNATURE'],
  head: undefined,
  administrator: undefined,
};

export type WorklistRow = Pick<ApplicationRow, 'id' | 'kato' | 'locality' | 'path' | 'status' | 'case_status' | 'flags' | 'decision_due_at'> & {
  overdue: boolean;
  /** decision_due_at as PostgreSQL prints it (microseconds kept): the cursor's exact key. */
  due_key: string;
  open_alerts: number;
};

export interface WorklistCursor {
  overdue: boolean;
  dueAt: string;
  id: string;
}

export interface WorklistQuery {
  role: WorklistRole;
  asOf: Date;
  /** A locality or KATO code: cases whose kato or locality is it. */
  kato?: string;
  /** One case_status (within the role's own). */
  status?: string;
  after?: WorklistCursor;
  limit: number;
}

/** One page of the role's worklist. */
export async function worklist(db: Db, q: WorklistQuery): Promise<WorklistRow[]> {
  const statuses = WORKLIST_STATUSES[q.role];
  const roleFilter =
    q.role === 'head'
      ? `('OVERDUE' = ANY(a.flags) OR EXISTS (SELECT 1 FROM staff_alerts s WHERE s.application_id = a.id AND s.to_role = 'head' AND s.resolved_at IS NULL))`
      : q.role === 'administrator'
        ? `'STEP_FAILED' = ANY(a.flags)`
        : `a.case_status = ANY($6::text[])`;
  // Rank 0 = overdue: sorts first. The keyset compares (rank, due, id) as a row.
  const res = await db.query<WorklistRow>(
    `SELECT * FROM (
       SELECT a.id, a.kato, a.locality, a.path, a.status, a.case_status, a.flags, a.decision_due_at,
              a.decision_due_at::text AS due_key,
              ('OVERDUE' = ANY(a.flags) OR a.decision_due_at < $1) AS overdue,
              (SELECT count(*)::int FROM staff_alerts s WHERE s.application_id = a.id AND s.resolved_at IS NULL) AS open_alerts
         FROM applications a
        WHERE a.status = 'ACTIVE' AND ${roleFilter}
          AND cardinality($6::text[]) >= 0 -- $6 is typed even where the role's filter does not use it
          AND ($2::text IS NULL OR a.kato = $2 OR a.locality = $2)
          AND ($3::text IS NULL OR a.case_status = $3)
     ) w
     WHERE ($4::jsonb IS NULL
            OR (CASE WHEN w.overdue THEN 0 ELSE 1 END, w.decision_due_at, w.id)
             > ((($4::jsonb ->> 'rank')::int), ($4::jsonb ->> 'dueAt')::timestamptz, ($4::jsonb ->> 'id')::uuid))
     ORDER BY CASE WHEN w.overdue THEN 0 ELSE 1 END, w.decision_due_at, w.id
     LIMIT $5`,
    [
      q.asOf,
      q.kato ?? null,
      q.status ?? null,
      q.after ? JSON.stringify({ rank: q.after.overdue ? 0 : 1, dueAt: q.after.dueAt, id: q.after.id }) : null,
      q.limit,
      statuses ?? [],
    ],
  );
  return res.rows;
}
