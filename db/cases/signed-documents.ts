/**
 * Signed documents of a case (docs/eds.md): the application, consents given later, hearing
 * positions and decisions, each with its detached CMS. Rows are immutable (a trigger, 005); a
 * retried request finds its row by the document's key.
 */
import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

export interface SignedDocumentInput {
  documentType: string;
  /** `application` for the application; `<type>:<sha256>` for the others. */
  documentKey: string;
  canonical: string;
  sha256: string;
  cms: string;
  signerRef: string;
  signerIin: string | null;
  signerBin: string | null;
  signerName: string;
  certificateSerial: string;
  signingTime: Date | null;
  receivedAt: Date;
}

export interface SignedDocumentRow {
  id: number;
  application_id: string;
  document_type: string;
  document_key: string;
  canonical: string;
  sha256: string;
  cms: string;
  signer_ref: string;
  signer_iin: string | null;
  signer_bin: string | null;
  signer_name: string;
  certificate_serial: string;
  signing_time: Date | null;
  received_at: Date;
}

const COLUMNS = `id, application_id, document_type, document_key, canonical, sha256, cms, signer_ref, signer_iin, signer_bin,
  signer_name, certificate_serial, signing_time, received_at`;

/** Stores a verified signature with its document; the same document again keeps the first row. Returns the row's id and whether it is new. */
export async function storeSignedDocument(db: Db, applicationId: string, d: SignedDocumentInput): Promise<{ id: number; created: boolean }> {
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO signed_documents (application_id, document_type, document_key, canonical, sha256, cms, signer_ref, signer_iin,
                                   signer_bin, signer_name, certificate_serial, signing_time, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (application_id, document_key) DO NOTHING RETURNING id`,
    [applicationId, d.documentType, d.documentKey, d.canonical, d.sha256, d.cms, d.signerRef, d.signerIin, d.signerBin, d.signerName, d.certificateSerial, d.signingTime, d.receivedAt],
  );
  if (inserted.rows[0]) return { id: Number(inserted.rows[0].id), created: true };
  const existing = await db.query<{ id: number }>(`SELECT id FROM signed_documents WHERE application_id = $1 AND document_key = $2`, [applicationId, d.documentKey]);
  return { id: Number(existing.rows[0].id), created: false };
}

/**
 * Stores the signed decision of a removal case (issue #11 §2, db/migrations/060): keyed by the
 * removal case; linked to the application too when the entry has one. The same document again
 * keeps the first row.
 */
export async function storeRemovalSignedDocument(db: Db, owner: { removalId: string; applicationId: string | null }, d: SignedDocumentInput): Promise<{ id: number; created: boolean }> {
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO signed_documents (removal_id, application_id, document_type, document_key, canonical, sha256, cms, signer_ref, signer_iin,
                                   signer_bin, signer_name, certificate_serial, signing_time, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT DO NOTHING RETURNING id`,
    [owner.removalId, owner.applicationId, d.documentType, d.documentKey, d.canonical, d.sha256, d.cms, d.signerRef, d.signerIin, d.signerBin, d.signerName, d.certificateSerial, d.signingTime, d.receivedAt],
  );
  if (inserted.rows[0]) return { id: Number(inserted.rows[0].id), created: true };
  const existing = await db.query<{ id: number }>(`SELECT id FROM signed_documents WHERE removal_id = $1 AND document_key = $2`, [owner.removalId, d.documentKey]);
  return { id: Number(existing.rows[0].id), created: false };
}

/** Every signed document of a removal case, oldest first. */
export async function removalSignedDocuments(db: Db, removalId: string): Promise<SignedDocumentRow[]> {
  const res = await db.query<SignedDocumentRow>(`SELECT ${COLUMNS} FROM signed_documents WHERE removal_id = $1 ORDER BY id`, [removalId]);
  return res.rows;
}

/** Removes a signed form the case refused (only the row the refused request itself inserted). */
export async function deleteSignedDocument(db: Db, id: number): Promise<void> {
  await db.query(`DELETE FROM signed_documents WHERE id = $1`, [id]);
}

/** The consents given with this signature carry it (R12). */
export async function signConsents(db: Db, applicationId: string, codes: readonly string[], cms: string): Promise<void> {
  await db.query(
    `UPDATE consents SET signature = $3 WHERE application_id = $1 AND code = ANY ($2::text[]) AND withdrawn_at IS NULL AND signature IS NULL`,
    [applicationId, codes, cms],
  );
}

export async function applicationSignature(db: Db, applicationId: string): Promise<SignedDocumentRow | undefined> {
  const res = await db.query<SignedDocumentRow>(`SELECT ${COLUMNS} FROM signed_documents WHERE application_id = $1 AND document_key = 'application'`, [applicationId]);
  return res.rows[0];
}

export async function caseSignedDocuments(db: Db, applicationId: string): Promise<SignedDocumentRow[]> {
  const res = await db.query<SignedDocumentRow>(`SELECT ${COLUMNS} FROM signed_documents WHERE application_id = $1 ORDER BY id`, [applicationId]);
  return res.rows;
}

/** The preliminary decision a position answers (0 when none was made yet). */
export async function currentHearingSeq(db: Db, applicationId: string): Promise<number> {
  const res = await db.query<{ seq: number | null }>(`SELECT max(seq) AS seq FROM preliminary_decisions WHERE application_id = $1`, [applicationId]);
  return res.rows[0]?.seq ?? 0;
}
