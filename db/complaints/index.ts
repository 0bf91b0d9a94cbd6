/**
 * The one owner of the `complaints` table (R18, R19; SPEC §8). A complaint's steps also go to its
 * case's timeline and outbox through db/cases (their owner), in the same transaction, so a person
 * reads one history of their case and a retried activity changes nothing (keyed events, keyed
 * notices, guarded status moves).
 */
import type { Pool, PoolClient } from 'pg';
import type { ComplaintFlag, ComplaintRemedy, ComplaintStatus, ComplaintSubject, ProviderOutcome, ReviewBodyOutcome } from '../../domain/complaints/procedure';
import type { RenderedNotice } from '../../domain/notices';
import * as cases from '../cases';
import { withTransaction } from '../transaction';

type Db = Pool | PoolClient;

export interface ComplaintRow {
  id: string;
  application_id: string;
  filed_by: string;
  idempotency_key: string;
  request_hash: string;
  subject: ComplaintSubject;
  body: string;
  signed_document_id: number | null;
  workflow_id: string;
  reference_snapshot_id: string;
  received_at: Date;
  registered_at: Date;
  provider_decision_due_at: Date;
  forward_due_at: Date;
  status: ComplaintStatus;
  flags: ComplaintFlag[];
  provider_outcome: ProviderOutcome | null;
  provider_decided_by: string | null;
  provider_decided_at: Date | null;
  provider_reasons: string | null;
  forwarded_at: Date | null;
  case_file_document_id: number | null;
  review_body_registered_at: Date | null;
  review_body_decision_due_at: Date | null;
  review_outcome: ReviewBodyOutcome | null;
  review_decided_by: string | null;
  review_decided_at: Date | null;
  review_reasons: string | null;
  remedy: ComplaintRemedy | null;
  closed_at: Date | null;
}

const COLUMNS = `id, application_id, filed_by, idempotency_key, request_hash, subject, body, signed_document_id, workflow_id,
  reference_snapshot_id, received_at, registered_at, provider_decision_due_at, forward_due_at, status, flags, provider_outcome,
  provider_decided_by, provider_decided_at, provider_reasons, forwarded_at, case_file_document_id, review_body_registered_at,
  review_body_decision_due_at, review_outcome, review_decided_by, review_decided_at, review_reasons, remedy, closed_at`;

export interface NewComplaint {
  id: string;
  applicationId: string;
  filedBy: string;
  idempotencyKey: string;
  requestHash: string;
  subject: ComplaintSubject;
  body: string;
  signedDocumentId: number | null;
  workflowId: string;
  referenceSnapshotId: string;
  receivedAt: string;
  registeredAt: string;
  providerDecisionDueAt: string;
  forwardDueAt: string;
}

/** Stores a filed complaint once per (caller, key); returns whether this call stored it. */
export async function insertComplaint(db: Db, c: NewComplaint): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO complaints (id, application_id, filed_by, idempotency_key, request_hash, subject, body, signed_document_id, workflow_id,
                             reference_snapshot_id, received_at, registered_at, provider_decision_due_at, forward_due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (filed_by, idempotency_key) DO NOTHING`,
    [c.id, c.applicationId, c.filedBy, c.idempotencyKey, c.requestHash, c.subject, c.body, c.signedDocumentId, c.workflowId, c.referenceSnapshotId, c.receivedAt, c.registeredAt, c.providerDecisionDueAt, c.forwardDueAt],
  );
  return (res.rowCount ?? 0) > 0;
}

/** A complaint whose workflow could not be started: it goes, and the caller retries. */
export async function discardComplaint(db: Db, id: string): Promise<void> {
  await db.query(`DELETE FROM complaints WHERE id = $1 AND status = 'RECEIVED' AND provider_decided_at IS NULL`, [id]);
}

export async function findComplaint(db: Db, id: string): Promise<ComplaintRow | undefined> {
  const res = await db.query<ComplaintRow>(`SELECT ${COLUMNS} FROM complaints WHERE id = $1`, [id]);
  return res.rows[0];
}

export async function findComplaintByKey(db: Db, filedBy: string, key: string): Promise<ComplaintRow | undefined> {
  const res = await db.query<ComplaintRow>(`SELECT ${COLUMNS} FROM complaints WHERE filed_by = $1 AND idempotency_key = $2`, [filedBy, key]);
  return res.rows[0];
}

export async function complaintsOfCase(db: Db, applicationId: string): Promise<ComplaintRow[]> {
  const res = await db.query<ComplaintRow>(`SELECT ${COLUMNS} FROM complaints WHERE application_id = $1 ORDER BY received_at DESC, id`, [applicationId]);
  return res.rows;
}

/**
 * Open complaints for the staff's lists: the head's (with the provider) and the review body's
 * (forwarded), by due instant then id; `after` continues from the last one of the previous page.
 */
export async function openComplaints(
  db: Db,
  status: 'WITH_PROVIDER' | 'FORWARDED',
  opts: { limit: number; after?: { dueAt: Date; id: string } },
): Promise<ComplaintRow[]> {
  const due = status === 'WITH_PROVIDER' ? 'forward_due_at' : 'review_body_decision_due_at';
  const res = await db.query<ComplaintRow>(
    `SELECT ${COLUMNS} FROM complaints WHERE closed_at IS NULL AND status = $1
        AND ($3::timestamptz IS NULL OR (${due}, id) > ($3::timestamptz, $4::uuid))
      ORDER BY ${due}, id LIMIT $2`,
    [status, opts.limit, opts.after?.dueAt ?? null, opts.after?.id ?? null],
  );
  return res.rows;
}

/** A step of the complaint: its new status and fields, a timeline entry on the case, its notices. */
export interface ComplaintStep {
  complaintId: string;
  applicationId: string;
  at: string;
  /** Unique per complaint: the same step recorded twice is one step. */
  step: string;
  status: ComplaintStatus;
  flags: ComplaintFlag[];
  actor: string;
  data?: Record<string, unknown>;
  set?: Partial<{
    providerOutcome: ProviderOutcome;
    providerDecidedBy: string;
    providerDecidedAt: string;
    providerReasons: string;
    forwardedAt: string;
    caseFileDocumentId: number;
    reviewBodyRegisteredAt: string;
    reviewBodyDecisionDueAt: string;
    reviewOutcome: ReviewBodyOutcome;
    reviewDecidedBy: string;
    reviewDecidedAt: string;
    reviewReasons: string;
    remedy: ComplaintRemedy;
    closedAt: string;
  }>;
  notice?: RenderedNotice;
  phone: string | null;
}

const FIELD_COLUMNS: Record<keyof NonNullable<ComplaintStep['set']>, string> = {
  providerOutcome: 'provider_outcome',
  providerDecidedBy: 'provider_decided_by',
  providerDecidedAt: 'provider_decided_at',
  providerReasons: 'provider_reasons',
  forwardedAt: 'forwarded_at',
  caseFileDocumentId: 'case_file_document_id',
  reviewBodyRegisteredAt: 'review_body_registered_at',
  reviewBodyDecisionDueAt: 'review_body_decision_due_at',
  reviewOutcome: 'review_outcome',
  reviewDecidedBy: 'review_decided_by',
  reviewDecidedAt: 'review_decided_at',
  reviewReasons: 'review_reasons',
  remedy: 'remedy',
  closedAt: 'closed_at',
};

export async function recordComplaintStep(pool: Pool, s: ComplaintStep): Promise<void> {
  await withTransaction(pool, (tx) => recordComplaintStepIn(tx, s));
}

export async function recordComplaintStepIn(tx: PoolClient, s: ComplaintStep): Promise<void> {
  const locked = await tx.query(`SELECT 1 FROM complaints WHERE id = $1 FOR UPDATE`, [s.complaintId]);
  if (locked.rowCount === 0) throw new cases.CaseRecordMissingError(s.complaintId);
  const set = Object.entries(s.set ?? {}) as [keyof typeof FIELD_COLUMNS, unknown][];
  const assignments = ['status = $2', 'flags = $3', ...set.map(([k], i) => `${FIELD_COLUMNS[k]} = $${i + 4}`)];
  await tx.query(`UPDATE complaints SET ${assignments.join(', ')} WHERE id = $1`, [s.complaintId, s.status, s.flags, ...set.map(([, v]) => v)]);
  await cases.insertEvent(tx, {
    applicationId: s.applicationId,
    eventKey: `complaint:${s.complaintId}:${s.step}`,
    at: s.at,
    kind: `COMPLAINT_${s.step}`,
    actor: s.actor,
    data: { complaintId: s.complaintId, status: s.status, ...(s.data ?? {}) },
  });
  if (s.notice) await cases.queueCaseNotice(tx, s.applicationId, s.at, s.notice, s.phone, `${s.complaintId}:${s.step}`);
}

/** The number the case's last SMS went to (the mobile citizens database's answer at the decision, R16). */
export async function casePhone(db: Db, applicationId: string): Promise<string | null> {
  return cases.lastSmsRecipient(db, applicationId);
}

/** Open complaints by status, and how many are past their next due instant (metrics: no personal data). */
export async function complaintFigures(db: Db): Promise<{ openByStatus: Record<string, number>; overdue: number }> {
  const res = await db.query<{ status: string; n: number; overdue: number }>(
    `SELECT status, count(*)::int AS n,
            count(*) FILTER (WHERE 'OVERDUE' = ANY (flags)
                               OR (status = 'WITH_PROVIDER' AND forward_due_at < now())
                               OR (status = 'FORWARDED' AND review_body_decision_due_at < now()))::int AS overdue
       FROM complaints WHERE closed_at IS NULL GROUP BY status`,
  );
  return {
    openByStatus: Object.fromEntries(res.rows.map((r) => [r.status, r.n])),
    overdue: res.rows.reduce((sum, r) => sum + r.overdue, 0),
  };
}
