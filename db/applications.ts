/**
 * The application record that the API writes before it starts a case's workflow, and that the
 * simulate harness writes the same way. Activities only update it.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { ApplicationDeclaration } from '../domain/application';
import { calendarVersion } from '../domain/calendar';
import { INTERPRETATIONS } from '../domain/interpretations';
import { localityOf } from '../domain/kato';

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
}

/** Pseudonymous workflow ID: one per person (the ID policy's guard), without the IIN in it. */
export function workflowIdFor(applicantIin: string, key: string): string {
  return `application-${createHmac('sha256', key).update(applicantIin).digest('hex').slice(0, 32)}`;
}

/**
 * Inserts the record; returns false when the idempotency key is already taken. A second active
 * application of the same person fails with the unique violation of
 * `applications_one_active_per_person` (SQLSTATE 23505), which the caller maps to 409.
 */
export async function insertApplication(db: Pool | PoolClient, r: ApplicationRecord): Promise<boolean> {
  const d = r.declaration;
  const res = await db.query(
    `INSERT INTO applications (id, idempotency_key, request_hash, applicant_iin, representative_iin, submitted_by, path, fund,
       kato, locality, declaration, received_at, accepted_at, decision_due_at, workflow_id, interpretations_version, calendar_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (idempotency_key) DO NOTHING`,
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
      INTERPRETATIONS.version,
      calendarVersion(),
    ],
  );
  return (res.rowCount ?? 0) === 1;
}

/** Stores an uploaded document once per content (its SHA-256); returns its id and whether it is new. */
export async function storeDocument(
  db: Pool | PoolClient,
  doc: { id: string; applicationId: string; kind: 'TECHNICAL_REPORT'; mediaType: string; content: Buffer; details: object; uploadedBy: string },
): Promise<{ id: string; sha256: string; created: boolean }> {
  const sha256 = createHash('sha256').update(doc.content).digest('hex');
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO documents (id, application_id, kind, media_type, sha256, size_bytes, content, details, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (application_id, sha256) DO NOTHING RETURNING id`,
    [doc.id, doc.applicationId, doc.kind, doc.mediaType, sha256, doc.content.length, doc.content, JSON.stringify(doc.details), doc.uploadedBy],
  );
  if (inserted.rowCount === 1) return { id: doc.id, sha256, created: true };
  const existing = await db.query<{ id: string }>(`SELECT id FROM documents WHERE application_id = $1 AND sha256 = $2`, [
    doc.applicationId,
    sha256,
  ]);
  return { id: existing.rows[0].id, sha256, created: false };
}
