/**
 * The `applications` row: the case record's head. The API writes it at intake (with the consents
 * and the application's signature, in one transaction) before it starts the case's workflow; from
 * then on only the workflow's activities change its state (db/cases/progress.ts, decisions.ts).
 */
import { createHash, createHmac } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { ApplicationDeclaration, CategoryOutcome, Ground } from '../../domain/application';
import type { ReferenceSnapshot } from '../../domain/procedure/reference';
import type { CaseFlag } from '../../domain/procedure/statuses';
import { localityOf } from '../../domain/kato';
import { canonicalJson } from '../../security/pki/cms';

type Db = Pool | PoolClient;

export interface ApplicationRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  applicant_iin: string;
  representative_iin: string | null;
  submitted_by: string;
  path: 'NO_HOUSING' | 'EMERGENCY';
  fund: string;
  kato: string;
  locality: string;
  declaration: ApplicationDeclaration;
  received_at: Date;
  accepted_at: Date;
  decision_due_at: Date;
  status: 'ACTIVE' | 'REGISTERED' | 'REFUSED' | 'WITHDRAWN';
  /** SUBMITTED until the workflow records acceptance, then the procedure's status (domain/procedure). */
  case_status: string;
  flags: CaseFlag[];
  waiting_on: string[];
  failure: { step: string; type: string; at: string } | null;
  /** The grounds and categories as last evaluated (db/cases/progress.ts). */
  grounds: Ground[];
  categories: CategoryOutcome | null;
  workflow_id: string;
  decided_at: Date | null;
  workflow_started_at: Date | null;
  reference_snapshot_id: string | null;
}

const COLUMNS = `id, idempotency_key, request_hash, applicant_iin, representative_iin, submitted_by, path, fund, kato,
  locality, declaration, received_at, accepted_at, decision_due_at, status, case_status, flags, waiting_on, failure,
  grounds, categories, workflow_id, decided_at, workflow_started_at, reference_snapshot_id`;

export interface ApplicationRecord {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  declaration: ApplicationDeclaration;
  submittedBy: string;
  receivedAt: string;
  acceptedAt: string;
  decisionDueAt: string;
  workflowId: string;
  reference: ReferenceSnapshot;
}

/** Pseudonymous workflow ID: one per person (the ID policy's guard), without the IIN in it. */
export function workflowIdFor(applicantIin: string, key: string): string {
  return `application-${createHmac('sha256', key).update(applicantIin).digest('hex').slice(0, 32)}`;
}

/** Stores a reference snapshot once per content; returns its id (the content's SHA-256). */
export async function storeReferenceSnapshot(db: Db, snapshot: ReferenceSnapshot): Promise<string> {
  const content = canonicalJson(snapshot);
  const id = createHash('sha256').update(content).digest('hex');
  await db.query(`INSERT INTO reference_snapshots (id, content) VALUES ($1, $2::jsonb) ON CONFLICT (id) DO NOTHING`, [id, content]);
  return id;
}

export async function referenceSnapshot(db: Db, id: string): Promise<ReferenceSnapshot> {
  const res = await db.query<{ content: ReferenceSnapshot }>(`SELECT content FROM reference_snapshots WHERE id = $1`, [id]);
  if (!res.rows[0]) throw new Error(`reference snapshot ${id} is missing`);
  return res.rows[0].content;
}

/**
 * Inserts the record; returns false when the caller already used this idempotency key. A second
 * active application of the same person fails with the unique violation of
 * `applications_one_active_per_person` (SQLSTATE 23505), which the caller maps to 409.
 */
export async function insertApplication(db: Db, r: ApplicationRecord): Promise<boolean> {
  const d = r.declaration;
  const snapshotId = await storeReferenceSnapshot(db, r.reference);
  const res = await db.query(
    `INSERT INTO applications (id, idempotency_key, request_hash, applicant_iin, representative_iin, submitted_by, path, fund,
       kato, locality, declaration, received_at, accepted_at, decision_due_at, workflow_id, interpretations_version, calendar_version,
       reference_snapshot_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (submitted_by, idempotency_key) DO NOTHING`,
    [
      r.id,
      r.idempotencyKey,
      r.requestHash,
      d.applicantIin,
      d.representativeIin ?? null,
      r.submittedBy,
      d.path,
      d.fund,
      d.kato,
      localityOf(d.kato),
      JSON.stringify(d),
      r.receivedAt,
      r.acceptedAt,
      r.decisionDueAt,
      r.workflowId,
      r.reference.interpretations.version,
      r.reference.calendar.version,
      snapshotId,
    ],
  );
  return (res.rowCount ?? 0) === 1;
}

export async function findApplication(db: Db, id: string): Promise<ApplicationRow | undefined> {
  const res = await db.query<ApplicationRow>(`SELECT ${COLUMNS} FROM applications WHERE id = $1`, [id]);
  return res.rows[0];
}

/** The case this caller filed with this Idempotency-Key (keys are the caller's own). */
export async function findByIdempotencyKey(db: Db, submittedBy: string, key: string): Promise<ApplicationRow | undefined> {
  const res = await db.query<ApplicationRow>(`SELECT ${COLUMNS} FROM applications WHERE submitted_by = $1 AND idempotency_key = $2`, [
    submittedBy,
    key,
  ]);
  return res.rows[0];
}

/** The person's application under review, if any (one per person). */
export async function activeApplicationOf(
  db: Db,
  applicantIin: string,
): Promise<{ id: string; applicant_iin: string; representative_iin: string | null } | undefined> {
  const res = await db.query<{ id: string; applicant_iin: string; representative_iin: string | null }>(
    `SELECT id, applicant_iin, representative_iin FROM applications WHERE applicant_iin = $1 AND status = 'ACTIVE'`,
    [applicantIin],
  );
  return res.rows[0];
}

/** Locks the row for starting its workflow; undefined when the row is gone. */
export async function lockForStart(tx: PoolClient, id: string): Promise<{ started: boolean } | undefined> {
  const res = await tx.query<{ started: boolean }>(`SELECT workflow_started_at IS NOT NULL AS started FROM applications WHERE id = $1 FOR UPDATE`, [id]);
  return res.rows[0];
}

export async function markWorkflowStarted(tx: PoolClient, id: string): Promise<void> {
  await tx.query(`UPDATE applications SET workflow_started_at = now() WHERE id = $1`, [id]);
}

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Deletes a row that has no workflow behind it, with its consents and its signature, in the
 * caller's transaction. A row the workflow already wrote to is kept (and so are its consents):
 * the foreign-key violation is rolled back to a savepoint. Not a row another request has since
 * seen started.
 */
export async function discardUnstarted(tx: PoolClient, id: string): Promise<void> {
  await tx.query('SAVEPOINT discard');
  try {
    // Its signature goes with it (only while the row is still SUBMITTED: the delete below then
    // either removes the row too or rolls this back).
    await tx.query(
      `DELETE FROM signed_documents WHERE application_id = $1 AND document_key = 'application'
         AND EXISTS (SELECT 1 FROM applications WHERE id = $1 AND case_status = 'SUBMITTED')`,
      [id],
    );
    const gone = await tx.query(`DELETE FROM applications WHERE id = $1 AND case_status = 'SUBMITTED' AND workflow_started_at IS NULL`, [id]);
    if (gone.rowCount === 1) await tx.query(`DELETE FROM consents WHERE application_id = $1`, [id]);
    await tx.query('RELEASE SAVEPOINT discard');
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT discard');
    if ((err as { code?: unknown }).code !== FOREIGN_KEY_VIOLATION) throw err;
  }
}
