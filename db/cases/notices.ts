/**
 * The notice outbox (R16): written in the same transaction as what it tells (a decision, a
 * preliminary decision), delivered afterwards (activities/notice-activities.ts). The personal
 * cabinet reads the outbox itself; an SMS goes through the gateway with the notice's id as its
 * clientMessageId, which the gateway never delivers twice.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { RenderedNotice } from '../../domain/notices';

type Db = Pool | PoolClient;

/**
 * A stable UUID for a notice: the same case, kind, channel and dedupe key always give the same id,
 * which is the SMS gateway's clientMessageId. The empty key (the once-per-case decision notices)
 * hashes exactly as before migration 006, so the ids of existing notices do not change.
 */
export function noticeIdFor(applicationId: string, kind: string, channel: 'CABINET' | 'SMS', dedupeKey = ''): string {
  const h = createHash('sha256')
    .update(dedupeKey === '' ? `${applicationId}|${kind}|${channel}` : `${applicationId}|${kind}|${channel}|${dedupeKey}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One row of the outbox (db/migrations/001_cases.sql, 006_notice_keys.sql). */
export interface OutboxNotice {
  applicationId: string;
  kind: string;
  channel: 'CABINET' | 'SMS';
  /**
   * Which occurrence of this kind the notice is: '' for a notice a case has once (the decisions);
   * for a notice that recurs, the key of what caused it (a representative action's request id).
   * The same key written again is the same notice.
   */
  dedupeKey: string;
  issuedAt: Date | string;
  recipient: string | null;
  body: object;
  /** PENDING for the delivery activity; DELIVERED for a cabinet notice written as delivered; NO_PHONE (R16). */
  status: 'PENDING' | 'DELIVERED' | 'NO_PHONE';
}

/**
 * Writes a notice to the outbox once: a second write with the same (case, kind, channel, dedupe
 * key) — a retried activity or request — changes nothing. Returns whether this call wrote it.
 */
export async function queueNotice(db: Db, n: OutboxNotice): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO notices (id, application_id, kind, channel, dedupe_key, issued_at, recipient, body, status, delivered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, CASE WHEN $9 = 'DELIVERED' THEN $6::timestamptz END)
     ON CONFLICT (application_id, kind, channel, dedupe_key) DO NOTHING`,
    [noticeIdFor(n.applicationId, n.kind, n.channel, n.dedupeKey), n.applicationId, n.kind, n.channel, n.dedupeKey, n.issuedAt, n.recipient, JSON.stringify(n.body), n.status],
  );
  return (res.rowCount ?? 0) > 0;
}

/** A case notice to the cabinet and, R16, by SMS to the linked number "if there is one". */
export async function queueCaseNotice(db: Db, applicationId: string, at: string, n: RenderedNotice, phone: string | null, dedupeKey = ''): Promise<void> {
  await queueNotice(db, { applicationId, kind: n.kind, channel: 'CABINET', dedupeKey, issuedAt: at, recipient: null, body: n.cabinet, status: 'PENDING' });
  await queueNotice(db, { applicationId, kind: n.kind, channel: 'SMS', dedupeKey, issuedAt: at, recipient: phone, body: n.sms, status: phone ? 'PENDING' : 'NO_PHONE' });
}

export interface NoticeRow {
  id: string;
  kind: string;
  channel: 'CABINET' | 'SMS';
  issued_at: Date;
  recipient: string | null;
  body: { kk: string; ru: string };
  status: 'DELIVERED' | 'NO_PHONE' | 'PENDING' | 'FAILED';
}

/** Every notice of the case, in the order issued. */
export async function caseNotices(db: Db, applicationId: string): Promise<NoticeRow[]> {
  const res = await db.query<NoticeRow>(
    `SELECT id, kind, channel, issued_at, recipient, body, status FROM notices WHERE application_id = $1 ORDER BY issued_at, kind, channel, dedupe_key`,
    [applicationId],
  );
  return res.rows;
}

export async function noteDeliveryAttempt(db: Db, id: string): Promise<void> {
  await db.query(`UPDATE notices SET attempts = attempts + 1 WHERE id = $1`, [id]);
}

/** The gateway refused the message itself: the cabinet notice stands; the failure is kept for the operators. */
export async function markNoticeFailed(db: Db, id: string): Promise<void> {
  await db.query(`UPDATE notices SET status = 'FAILED', attempts = attempts + 1 WHERE id = $1`, [id]);
}

export async function markNoticeDelivered(db: Db, id: string, providerMessageId: string | null): Promise<void> {
  await db.query(
    `UPDATE notices SET status = 'DELIVERED', delivered_at = now(), attempts = attempts + 1, provider_message_id = $2
      WHERE id = $1 AND status = 'PENDING'`,
    [id, providerMessageId],
  );
}

/** The number the case's last SMS went to (what the mobile citizens database answered, R16), if any. */
export async function lastSmsRecipient(db: Db, applicationId: string): Promise<string | null> {
  const res = await db.query<{ recipient: string }>(
    `SELECT recipient FROM notices WHERE application_id = $1 AND channel = 'SMS' AND recipient IS NOT NULL ORDER BY issued_at DESC LIMIT 1`,
    [applicationId],
  );
  return res.rows[0]?.recipient ?? null;
}
