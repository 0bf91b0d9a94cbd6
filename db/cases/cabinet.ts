/**
 * The personal cabinet (issue #11 §3): a person's applications — their own and those naming them
 * as representative — and the cabinet notices of those cases with the person's read state
 * (`notice_reads`, db/migrations/040_cabinet.sql; this module is its only owner).
 *
 * Newest first, by keyset: `(issued_at, id) < cursor`, so a page never repeats or skips a notice
 * when newer ones arrive while the person pages back.
 */
import type { Pool, PoolClient } from 'pg';
import type { ApplicationRow } from './applications';

type Db = Pool | PoolClient;

/** What the cabinet shows of a case (no declaration, no grounds: the case read has those). */
export type CabinetApplicationRow = Pick<
  ApplicationRow,
  'id' | 'applicant_iin' | 'representative_iin' | 'path' | 'kato' | 'status' | 'case_status' | 'flags' | 'received_at' | 'decision_due_at'
>;

/** The person's cases as applicant or as representative, newest received first. */
export async function applicationsOfPerson(db: Db, iin: string): Promise<CabinetApplicationRow[]> {
  const res = await db.query<CabinetApplicationRow>(
    `SELECT id, applicant_iin, representative_iin, path, kato, status, case_status, flags, received_at, decision_due_at
       FROM applications
      WHERE applicant_iin = $1 OR representative_iin = $1
      ORDER BY received_at DESC, id DESC
      LIMIT 500`,
    [iin],
  );
  return res.rows;
}

export interface CabinetNoticeRow {
  id: string;
  application_id: string;
  kind: string;
  issued_at: Date;
  /** issued_at as PostgreSQL prints it (microseconds kept): the cursor's exact key. */
  issued_key: string;
  body: { kk: string; ru: string };
  read_at: Date | null;
}

export interface NoticeCursor {
  /** issued_key of the last notice of the previous page. */
  issuedAt: string;
  id: string;
}

/**
 * One page of the cabinet notices of `applicationIds` (the caller's cases), newest first, with
 * `readerIin`'s read state. `excludeKinds[caseId]` leaves out kinds the reader is not the addressee
 * of in that case (a representative does not read the principal's notices about the representative).
 */
export async function cabinetNotices(
  db: Db,
  q: { applicationIds: string[]; hiddenKindsByCase: Record<string, string[]>; readerIin: string; before?: NoticeCursor; limit: number },
): Promise<CabinetNoticeRow[]> {
  if (q.applicationIds.length === 0) return [];
  const res = await db.query<CabinetNoticeRow>(
    `SELECT n.id, n.application_id, n.kind, n.issued_at, n.issued_at::text AS issued_key, n.body, r.read_at
       FROM notices n
       LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.reader_iin = $2
      WHERE n.application_id = ANY($1::uuid[]) AND n.channel = 'CABINET'
        AND NOT coalesce(($3::jsonb -> n.application_id::text) ? n.kind, false)
        AND ($4::timestamptz IS NULL OR (n.issued_at, n.id) < ($4::timestamptz, $5::uuid))
      ORDER BY n.issued_at DESC, n.id DESC
      LIMIT $6`,
    [q.applicationIds, q.readerIin, JSON.stringify(q.hiddenKindsByCase), q.before?.issuedAt ?? null, q.before?.id ?? null, q.limit],
  );
  return res.rows;
}

/** The cabinet notice with this id, if it is one (SMS rows are not read in the cabinet). */
export async function cabinetNotice(db: Db, noticeId: string): Promise<{ id: string; application_id: string; kind: string } | undefined> {
  const res = await db.query<{ id: string; application_id: string; kind: string }>(
    `SELECT id, application_id, kind FROM notices WHERE id = $1 AND channel = 'CABINET'`,
    [noticeId],
  );
  return res.rows[0];
}

/** Marks the notice read by the person; a second call keeps the first instant. */
export async function markNoticeRead(db: Db, noticeId: string, readerIin: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO notice_reads (notice_id, reader_iin, read_at) VALUES ($1, $2, $3) ON CONFLICT (notice_id, reader_iin) DO NOTHING`,
    [noticeId, readerIin, at],
  );
}
