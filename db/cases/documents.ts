/**
 * Documents a party uploads to a case: the e-copy of the expert's technical report (R7.2, A1.8.2).
 * Every upload is a version of its own — a corrected report may be the very same PDF with another
 * number (R17) — and the review acts on the latest; a retried upload (the same caller's
 * Idempotency-Key) finds its version again.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

export interface StoredDocument {
  id: string;
  version: number;
  sha256: string;
  created: boolean;
}

/** Stores an upload as the case's next version of its kind; `uploadKey` makes a retry find it again. */
export async function storeUpload(
  db: Db,
  doc: {
    id: string;
    applicationId: string;
    kind: 'TECHNICAL_REPORT';
    mediaType: string;
    content: Buffer;
    details: object;
    uploadedBy: string;
    uploadKey?: string;
  },
): Promise<StoredDocument> {
  const sha256 = createHash('sha256').update(doc.content).digest('hex');
  for (let attempt = 0; ; attempt++) {
    try {
      const inserted = await db.query<{ id: string; version: number }>(
        `INSERT INTO documents (id, application_id, kind, media_type, sha256, size_bytes, content, details, uploaded_by, upload_key, version)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                coalesce((SELECT max(version) FROM documents WHERE application_id = $2 AND kind = $3), 0) + 1
         ON CONFLICT (application_id, upload_key) WHERE upload_key IS NOT NULL DO NOTHING
         RETURNING id, version`,
        [doc.id, doc.applicationId, doc.kind, doc.mediaType, sha256, doc.content.length, doc.content, JSON.stringify(doc.details), doc.uploadedBy, doc.uploadKey ?? null],
      );
      if (inserted.rows[0]) return { id: inserted.rows[0].id, version: inserted.rows[0].version, sha256, created: true };
      const existing = await db.query<{ id: string; version: number; sha256: string }>(
        `SELECT id, version, sha256 FROM documents WHERE application_id = $1 AND upload_key = $2`,
        [doc.applicationId, doc.uploadKey],
      );
      return { ...existing.rows[0], created: false };
    } catch (err) {
      // Two uploads at once took the same version number: the later one takes the next.
      if ((err as { code?: string; constraint?: string }).constraint === 'documents_version' && attempt < 5) continue;
      throw err;
    }
  }
}

/** Removes an upload the case refused (only this request's own new row). */
export async function deleteUpload(db: Db, id: string): Promise<void> {
  await db.query(`DELETE FROM documents WHERE id = $1`, [id]);
}

export interface DocumentRow {
  id: string;
  version: number;
  sha256: string;
  media_type: string;
  size_bytes: number;
  details: Record<string, unknown>;
  uploaded_at: Date;
  uploaded_by: string;
}

/** The latest version of a kind (what the operator reviews), with or without its content. */
export async function latestUpload(db: Db, applicationId: string, kind: 'TECHNICAL_REPORT'): Promise<DocumentRow | undefined> {
  const res = await db.query<DocumentRow>(
    `SELECT id, version, sha256, media_type, size_bytes, details, uploaded_at, uploaded_by FROM documents
      WHERE application_id = $1 AND kind = $2 ORDER BY version DESC LIMIT 1`,
    [applicationId, kind],
  );
  return res.rows[0];
}

export async function uploadContent(db: Db, documentId: string): Promise<Buffer | undefined> {
  const res = await db.query<{ content: Buffer }>(`SELECT content FROM documents WHERE id = $1`, [documentId]);
  return res.rows[0]?.content;
}

/**
 * A1.8.2: an upload made before the application (by its future applicant or representative) and
 * not yet claimed; `uploadedBy` must be the caller filing now.
 */
export async function storeUnclaimedUpload(
  db: Db,
  doc: { id: string; kind: 'TECHNICAL_REPORT'; mediaType: string; content: Buffer; details: object; uploadedBy: string },
): Promise<{ id: string; sha256: string }> {
  const sha256 = createHash('sha256').update(doc.content).digest('hex');
  await db.query(
    `INSERT INTO documents (id, application_id, kind, media_type, sha256, size_bytes, content, details, uploaded_by, version)
     VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, NULL)`,
    [doc.id, doc.kind, doc.mediaType, sha256, doc.content.length, doc.content, JSON.stringify(doc.details), doc.uploadedBy],
  );
  return { id: doc.id, sha256 };
}

/**
 * The submission claims an unclaimed upload of its caller as version 1 of its kind, in the
 * submission's transaction. Undefined when there is no such upload (another caller's, already
 * claimed, or none).
 */
export async function claimUpload(
  tx: Db,
  c: { documentId: string; applicationId: string; uploadedBy: string },
): Promise<{ id: string; version: number; sha256: string; details: Record<string, unknown> } | undefined> {
  const res = await tx.query<{ id: string; version: number; sha256: string; details: Record<string, unknown> }>(
    `UPDATE documents SET application_id = $2, version = 1
      WHERE id = $1 AND application_id IS NULL AND uploaded_by = $3
      RETURNING id, version, sha256, details`,
    [c.documentId, c.applicationId, c.uploadedBy],
  );
  return res.rows[0];
}
