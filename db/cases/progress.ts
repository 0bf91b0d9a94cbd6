/**
 * The case's progress as the workflow records it — its status, flags, who it waits on, its due
 * instant — and its timeline (`case_events`), the one record of what happened in the case. Every
 * write is keyed (the event key per case) so a retried activity changes nothing.
 */
import type { Pool, PoolClient } from 'pg';
import type { CategoryOutcome, Ground } from '../../domain/application';
import type { CaseFlag } from '../../domain/procedure/statuses';
import type { RenderedNotice } from '../../domain/notices';
import { withTransaction } from '../transaction';
import { queueCaseNotice } from './notices';

type Db = Pool | PoolClient;

export interface CaseEventInput {
  applicationId: string;
  /** Unique per case: the same key written twice is one event. */
  eventKey: string;
  at: string;
  kind: string;
  actor?: string;
  data?: Record<string, unknown>;
}

export async function insertEvent(db: Db, e: CaseEventInput): Promise<void> {
  await db.query(
    `INSERT INTO case_events (application_id, event_key, at, kind, actor, data)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (application_id, event_key) DO NOTHING`,
    [e.applicationId, e.eventKey, e.at, e.kind, e.actor ?? null, JSON.stringify(e.data ?? {})],
  );
}

export async function insertEvents(db: Db, events: readonly CaseEventInput[]): Promise<void> {
  for (const e of events) await insertEvent(db, e);
}

/** The case's state as the workflow last recorded it. */
export interface CaseProgress {
  applicationId: string;
  events: CaseEventInput[];
  status: string;
  flags: CaseFlag[];
  waitingOn: string[];
  decisionDueAt: string;
  /** The grounds and categories as last evaluated (absent before the first evaluation). */
  grounds?: Ground[];
  categories?: CategoryOutcome;
  failure?: { step: string; type: string; at: string };
}

/**
 * Acceptance (SPEC §2): the case leaves SUBMITTED. Returns the applicant's IIN, or undefined when
 * the row is missing (the API writes it before it starts the workflow).
 */
export async function recordAcceptance(
  pool: Pool,
  a: { applicationId: string; acceptedAt: string; decisionDueAt: string; at: string },
): Promise<{ applicantIin: string; ownQueueActive: boolean } | undefined> {
  return withTransaction(pool, async (c) => {
    const app = await c.query<{ applicant_iin: string }>(`UPDATE applications SET case_status = 'CHECKING' WHERE id = $1 AND case_status = 'SUBMITTED' RETURNING applicant_iin`, [
      a.applicationId,
    ]);
    let applicantIin = app.rows[0]?.applicant_iin;
    if (applicantIin === undefined) {
      // A retried acceptance finds the row past SUBMITTED.
      const again = await c.query<{ applicant_iin: string }>(`SELECT applicant_iin FROM applications WHERE id = $1`, [a.applicationId]);
      applicantIin = again.rows[0]?.applicant_iin;
      if (applicantIin === undefined) return undefined;
    }
    await insertEvent(c, {
      applicationId: a.applicationId,
      eventKey: 'accepted',
      at: a.at,
      kind: 'ACCEPTED',
      actor: 'system',
      data: { acceptedAt: a.acceptedAt, decisionDueAt: a.decisionDueAt },
    });
    // Only the provider's own entries: a migrated akimat record is the unifiedQueue registry's
    // (activities/registry-activities.ts), and counting it here too gave R15.1 twice.
    const own = await c.query(`SELECT 1 FROM queue_entries WHERE applicant_iin = $1 AND status = 'ACTIVE' AND source = 'APPLICATION'`, [applicantIin]);
    return { applicantIin, ownQueueActive: (own.rowCount ?? 0) > 0 };
  });
}

/** Brings the record up to the workflow. A decided case keeps its final state, whatever a late retry says. */
export async function recordProgress(pool: Pool, p: CaseProgress): Promise<void> {
  await withTransaction(pool, async (c) => {
    await insertEvents(c, p.events);
    await c.query(
      `UPDATE applications SET case_status = $2, flags = $3, waiting_on = $4, decision_due_at = $5, failure = $6,
              grounds = coalesce($7::jsonb, grounds), categories = coalesce($8::jsonb, categories)
        WHERE id = $1 AND status = 'ACTIVE'`,
      [
        p.applicationId,
        p.status,
        p.flags,
        p.waitingOn,
        p.decisionDueAt,
        p.failure ? JSON.stringify(p.failure) : null,
        p.grounds ? JSON.stringify(p.grounds) : null,
        p.categories ? JSON.stringify(p.categories) : null,
      ],
    );
  });
}

/**
 * A due instant passed while the case waited on staff (R13, R16): the record says so, the head of
 * the staff who are to act gets an alert, the applicant's cabinet a notice — once per due instant.
 */
export async function recordOverdue(
  pool: Pool,
  o: { progress: CaseProgress; dueAt: string; at: string; waitingOn: string[]; notice: RenderedNotice },
): Promise<void> {
  await withTransaction(pool, async (c) => {
    await insertEvents(c, o.progress.events);
    await c.query(
      `UPDATE applications SET case_status = $2, flags = $3, waiting_on = $4, decision_due_at = $5 WHERE id = $1 AND status = 'ACTIVE'`,
      [o.progress.applicationId, o.progress.status, o.progress.flags, o.progress.waitingOn, o.progress.decisionDueAt],
    );
    await c.query(
      `INSERT INTO staff_alerts (application_id, kind, to_role, due_at, raised_at, data) VALUES ($1, 'CASE_OVERDUE', 'head', $2, $3, $4)
       ON CONFLICT (application_id, kind, due_at) DO NOTHING`,
      [o.progress.applicationId, o.dueAt, o.at, JSON.stringify({ waitingOn: o.waitingOn, status: o.progress.status })],
    );
    await queueCaseNotice(c, o.progress.applicationId, o.at, o.notice, null, `overdue:${o.dueAt}`);
  });
}

export interface CaseEventRow {
  id: number;
  at: Date;
  kind: string;
  actor: string | null;
  data: Record<string, unknown>;
}

/** The timeline, in the order things happened. */
export async function caseEvents(db: Db, applicationId: string): Promise<CaseEventRow[]> {
  const res = await db.query<CaseEventRow>(`SELECT id, at, kind, actor, data FROM case_events WHERE application_id = $1 ORDER BY at, id`, [applicationId]);
  return res.rows;
}
