/**
 * The one owner of the `removals` and `removal_notices` tables (issue #11 §2; Housing Law, APPC
 * art. 73; db/migrations/060_removals.sql). A removal case's steps also go, when its entry has an
 * application, to that case's timeline and cabinet through db/cases (their owner), in the same
 * transaction; the entry leaves the lists through the queue ledger's one door
 * (db/cases/queue.ts removeEntryFromQueue). Every write is idempotent: a retried activity finds the
 * row, the keyed event, the keyed notice, or the entry already removed.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { RenderedNotice } from '../../domain/notices';
import type { RemovalOutcome, RemovalStatus } from '../../domain/removal/procedure';
import type { RemovalEvidence, RemovalGround } from '../../workflows/removal/contract';
import * as cases from '../cases';
import type { NoticeRow } from '../cases/notices';
import { withTransaction } from '../transaction';

type Db = Pool | PoolClient;

export interface RemovalRow {
  id: string;
  entry_id: string;
  application_id: string | null;
  registration_number: string;
  ground: RemovalGround;
  evidence: RemovalEvidence;
  opened_by: string;
  opened_at: Date;
  workflow_id: string;
  reference_snapshot_id: string;
  notice_at: Date | null;
  hearing_at: Date | null;
  decision_due_at: Date;
  status: RemovalStatus;
  position: string | null;
  position_by: string | null;
  position_at: Date | null;
  position_document_id: string | null;
  outcome: RemovalOutcome | null;
  reasoning: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_document_id: string | null;
  closed_at: Date | null;
}

const COLUMNS = `id, entry_id::text, application_id, registration_number, ground, evidence, opened_by, opened_at, workflow_id,
  reference_snapshot_id, notice_at, hearing_at, decision_due_at, status, position, position_by, position_at, position_document_id::text, outcome, reasoning,
  decided_by, decided_at, decision_document_id::text, closed_at`;

export interface NewRemoval {
  id: string;
  entryId: string;
  applicationId: string | null;
  registrationNumber: string;
  ground: RemovalGround;
  evidence: RemovalEvidence;
  openedBy: string;
  openedAt: string;
  workflowId: string;
  referenceSnapshotId: string;
  noticeAt: string | null;
  hearingAt: string | null;
  decisionDueAt: string;
  status: RemovalStatus;
}

/** Thrown when the entry already has another open removal case (one per entry). */
export class RemovalAlreadyOpenError extends Error {
  constructor(readonly entryId: string) {
    super(`queue entry ${entryId} already has an open removal case`);
    this.name = 'RemovalAlreadyOpenError';
  }
}

/**
 * Stores an opened removal case once (the API, then the workflow's first step, may both write it):
 * true when this call stored it. Another open case of the same entry: RemovalAlreadyOpenError.
 */
export async function insertRemoval(db: Db, r: NewRemoval): Promise<boolean> {
  try {
    const res = await db.query(
      `INSERT INTO removals (id, entry_id, application_id, registration_number, ground, evidence, opened_by, opened_at, workflow_id,
                             reference_snapshot_id, notice_at, hearing_at, decision_due_at, status)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (id) DO NOTHING`,
      [r.id, r.entryId, r.applicationId, r.registrationNumber, r.ground, JSON.stringify(r.evidence), r.openedBy, r.openedAt, r.workflowId,
        r.referenceSnapshotId, r.noticeAt, r.hearingAt, r.decisionDueAt, r.status],
    );
    return (res.rowCount ?? 0) > 0;
  } catch (err) {
    if ((err as { code?: string }).code === '23505' && (err as { constraint?: string }).constraint === 'removals_one_open_per_entry') {
      throw new RemovalAlreadyOpenError(r.entryId);
    }
    throw err;
  }
}

/** A case whose workflow could not be started: it goes, and the caller may open it again. */
export async function discardRemoval(pool: Pool, id: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query(`DELETE FROM removal_notices WHERE removal_id = $1`, [id]);
    await tx.query(`DELETE FROM removals WHERE id = $1 AND closed_at IS NULL AND position IS NULL AND decided_at IS NULL`, [id]);
  });
}

export async function findRemoval(db: Db, id: string): Promise<RemovalRow | undefined> {
  const res = await db.query<RemovalRow>(`SELECT ${COLUMNS} FROM removals WHERE id = $1`, [id]);
  return res.rows[0];
}

/** The entry's open removal case, if any. */
export async function openRemovalOfEntry(db: Db, entryId: string): Promise<RemovalRow | undefined> {
  const res = await db.query<RemovalRow>(`SELECT ${COLUMNS} FROM removals WHERE entry_id = $1 AND closed_at IS NULL`, [entryId]);
  return res.rows[0];
}

/** The officer's worklist: cases awaiting the decision, by due instant (no personal data selected by callers). */
export async function removalsAwaitingDecision(db: Db, limit = 100): Promise<RemovalRow[]> {
  const res = await db.query<RemovalRow>(`SELECT ${COLUMNS} FROM removals WHERE status = 'AWAITING_DECISION' ORDER BY decision_due_at, id LIMIT $1`, [limit]);
  return res.rows;
}

/** The removal cases about this person's entries (an application's or a migrated record), newest first. */
export async function removalsOfPerson(db: Db, iin: string, limit = 50): Promise<RemovalRow[]> {
  const res = await db.query<RemovalRow>(
    `SELECT ${COLUMNS} FROM removals WHERE entry_id IN (SELECT id FROM queue_entries WHERE applicant_iin = $1) ORDER BY opened_at DESC, id LIMIT $2`,
    [iin, limit],
  );
  return res.rows;
}

/**
 * The removal cases about entries whose application names this person as the representative (a
 * minor's guardian, R13), with the principal's IIN for the registry's confirmation.
 */
export async function removalsNamingRepresentative(db: Db, representativeIin: string, limit = 50): Promise<(RemovalRow & { principal_iin: string })[]> {
  const res = await db.query<RemovalRow & { principal_iin: string }>(
    `SELECT ${COLUMNS}, (SELECT applicant_iin FROM applications a WHERE a.id = removals.application_id) AS principal_iin
       FROM removals WHERE application_id IN (SELECT id FROM applications WHERE representative_iin = $1)
      ORDER BY opened_at DESC, id LIMIT $2`,
    [representativeIin, limit],
  );
  return res.rows;
}

/** The person concerned: the IIN on the entry (never sent to Temporal; the activities read it here). */
export async function personOfRemoval(db: Db, removalId: string): Promise<string | undefined> {
  const res = await db.query<{ applicant_iin: string }>(
    `SELECT q.applicant_iin FROM removals r JOIN queue_entries q ON q.id = r.entry_id WHERE r.id = $1`,
    [removalId],
  );
  return res.rows[0]?.applicant_iin;
}

/** A step of the removal case: its new status and fields, the timeline entry, its notices, the entry's removal. */
export interface RemovalStep {
  removalId: string;
  at: string;
  /** Unique per case: the same step recorded twice is one step. */
  step: string;
  status: RemovalStatus;
  actor: string;
  data?: Record<string, unknown>;
  set?: Partial<{
    position: string;
    positionBy: string;
    positionAt: string;
    positionDocumentId: number;
    outcome: RemovalOutcome;
    reasoning: string;
    decidedBy: string;
    decidedAt: string;
    decisionDocumentId: number;
    closedAt: string;
  }>;
  notice?: RenderedNotice;
  /** REMOVE: the entry leaves every list with the ground as the ledger's reason code. */
  removeEntry?: boolean;
  /** R16: the number in the mobile citizens database, if any (read by the activity). */
  phone: string | null;
}

const FIELD_COLUMNS: Record<keyof NonNullable<RemovalStep['set']>, string> = {
  position: 'position',
  positionBy: 'position_by',
  positionAt: 'position_at',
  positionDocumentId: 'position_document_id',
  outcome: 'outcome',
  reasoning: 'reasoning',
  decidedBy: 'decided_by',
  decidedAt: 'decided_at',
  decisionDocumentId: 'decision_document_id',
  closedAt: 'closed_at',
};

/** The notice's id: the SMS gateway's clientMessageId, the same for a retried step. */
function noticeId(removalId: string, kind: string, channel: string): string {
  const h = createHash('sha256').update(`removal\n${removalId}\n${kind}\n${channel}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function recordRemovalStep(pool: Pool, s: RemovalStep): Promise<{ entryRemoved: boolean }> {
  return withTransaction(pool, async (tx) => {
    const locked = await tx.query<{ entry_id: string; application_id: string | null; ground: RemovalGround; registration_number: string }>(
      `SELECT entry_id::text, application_id, ground, registration_number FROM removals WHERE id = $1 FOR UPDATE`,
      [s.removalId],
    );
    const row = locked.rows[0];
    if (!row) throw new cases.CaseRecordMissingError(s.removalId);
    let entryRemoved = false;
    if (s.removeEntry) {
      // Through the ledger's one door, the ground as its reason code (queue_events.reason_code).
      entryRemoved = await cases.removeEntryFromQueue(tx, row.entry_id, row.ground, new Date(s.at));
    }
    const set = Object.entries(s.set ?? {}) as [keyof typeof FIELD_COLUMNS, unknown][];
    const assignments = ['status = $2', ...set.map(([k], i) => `${FIELD_COLUMNS[k]} = $${i + 3}`)];
    await tx.query(`UPDATE removals SET ${assignments.join(', ')} WHERE id = $1`, [s.removalId, s.status, ...set.map(([, v]) => v)]);
    const data = { removalId: s.removalId, status: s.status, ground: row.ground, registrationNumber: row.registration_number, ...(s.removeEntry ? { entryRemoved } : {}), ...(s.data ?? {}) };
    if (row.application_id) {
      await cases.insertEvent(tx, { applicationId: row.application_id, eventKey: `removal:${s.removalId}:${s.step}`, at: s.at, kind: `REMOVAL_${s.step}`, actor: s.actor, data });
    }
    if (s.notice) {
      const n = s.notice;
      const insert = (channel: 'CABINET' | 'SMS', body: { kk: string; ru: string }, recipient: string | null, status: string) =>
        tx.query(
          `INSERT INTO removal_notices (id, removal_id, kind, channel, issued_at, recipient, body, status, delivered_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, CASE WHEN $8 = 'DELIVERED' THEN $5::timestamptz END)
           ON CONFLICT (removal_id, kind, channel) DO NOTHING`,
          [noticeId(s.removalId, n.kind, channel), s.removalId, n.kind, channel, s.at, recipient, JSON.stringify(body), status],
        );
      // The cabinet text is kept on the case (delivered by being committed); the SMS waits for the gateway.
      await insert('CABINET', n.cabinet, null, 'DELIVERED');
      await insert('SMS', n.sms, s.phone, s.phone ? 'PENDING' : 'NO_PHONE');
      if (row.application_id) {
        // The person's cabinet shows it with their case; the SMS goes once, from the removal's outbox.
        await cases.queueNotice(tx, {
          applicationId: row.application_id,
          kind: n.kind,
          channel: 'CABINET',
          dedupeKey: s.removalId,
          issuedAt: s.at,
          recipient: null,
          body: n.cabinet,
          status: 'DELIVERED',
        });
      }
    }
    return { entryRemoved };
  });
}

/** A removal case's notice: the same shape as a case's (db/cases/notices.ts), kept in removal_notices. */
export type RemovalNoticeRow = NoticeRow;

export async function removalNotices(db: Db, removalId: string): Promise<RemovalNoticeRow[]> {
  const res = await db.query<RemovalNoticeRow>(
    `SELECT id, kind, channel, issued_at, recipient, body, status FROM removal_notices WHERE removal_id = $1 ORDER BY issued_at, kind, channel`,
    [removalId],
  );
  return res.rows;
}

export async function markRemovalNotice(db: Db, id: string, outcome: { status: 'DELIVERED'; providerMessageId: string | null } | { status: 'FAILED' } | { status: 'ATTEMPTED' }): Promise<void> {
  if (outcome.status === 'DELIVERED') {
    await db.query(`UPDATE removal_notices SET status = 'DELIVERED', delivered_at = now(), provider_message_id = $2, attempts = attempts + 1 WHERE id = $1`, [id, outcome.providerMessageId]);
  } else if (outcome.status === 'FAILED') {
    await db.query(`UPDATE removal_notices SET status = 'FAILED', attempts = attempts + 1 WHERE id = $1`, [id]);
  } else {
    await db.query(`UPDATE removal_notices SET attempts = attempts + 1 WHERE id = $1`, [id]);
  }
}

/** Open removal cases by status, and how many are past their due instant (metrics: no personal data). */
export async function removalFigures(db: Db): Promise<{ openByStatus: Record<string, number>; overdue: number }> {
  const res = await db.query<{ status: string; n: number; overdue: number }>(
    `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE decision_due_at < now())::int AS overdue
       FROM removals WHERE closed_at IS NULL GROUP BY status`,
  );
  return {
    openByStatus: Object.fromEntries(res.rows.map((r) => [r.status, r.n])),
    overdue: res.rows.reduce((sum, r) => sum + r.overdue, 0),
  };
}
