/**
 * Delivery of the notice outbox (R16). The personal cabinet reads the outbox itself, so a cabinet
 * notice is delivered by being committed; an SMS goes through the SMS gateway with the notice id as
 * its clientMessageId, which the gateway never delivers twice — so a retry after a crash between
 * "sent" and "marked sent" does not send a second SMS.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import { toAlmatyIso } from '../domain/time';
import type { DeliveredNotice, NoticeActivities } from './types';
import { postJson } from './http-json';

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
  body: Record<string, unknown>;
  /** PENDING for the delivery activity; DELIVERED for a cabinet notice written as delivered; NO_PHONE (R16). */
  status: 'PENDING' | 'DELIVERED' | 'NO_PHONE';
}

/**
 * Writes a notice to the outbox once: a second write with the same (case, kind, channel, dedupe
 * key) — a retried activity or request — changes nothing. Returns whether this call wrote it.
 */
export async function queueNotice(db: Pool | PoolClient, n: OutboxNotice): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO notices (id, application_id, kind, channel, dedupe_key, issued_at, recipient, body, status, delivered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, CASE WHEN $9 = 'DELIVERED' THEN $6::timestamptz END)
     ON CONFLICT (application_id, kind, channel, dedupe_key) DO NOTHING`,
    [
      noticeIdFor(n.applicationId, n.kind, n.channel, n.dedupeKey),
      n.applicationId,
      n.kind,
      n.channel,
      n.dedupeKey,
      n.issuedAt,
      n.recipient,
      JSON.stringify(n.body),
      n.status,
    ],
  );
  return (res.rowCount ?? 0) > 0;
}

export interface SmsConfig {
  url: string;
  timeoutMs?: number;
}

interface NoticeRow {
  id: string;
  kind: string;
  channel: 'CABINET' | 'SMS';
  issued_at: Date;
  recipient: string | null;
  body: { kk: string; ru: string };
  status: DeliveredNotice['status'];
}

export function createNoticeActivities(pool: Pool, sms: SmsConfig): NoticeActivities {
  const timeoutMs = sms.timeoutMs ?? 10_000;
  return {
    async deliverNotices(applicationId: string): Promise<DeliveredNotice[]> {
      const rows = (
        await pool.query<NoticeRow>(
          `SELECT id, kind, channel, issued_at, recipient, body, status FROM notices WHERE application_id = $1 ORDER BY issued_at, kind, channel, dedupe_key`,
          [applicationId],
        )
      ).rows;
      for (const n of rows) {
        if (n.status !== 'PENDING') continue;
        let providerId: string | null = null;
        if (n.channel === 'SMS') {
          const res = await postJson(
            `${sms.url}/sms/v1/messages`,
            { to: n.recipient, text: `${n.body.kk}\n${n.body.ru}`, clientMessageId: n.id },
            timeoutMs,
          );
          if (res.status >= 500 || res.status === 429) {
            await pool.query(`UPDATE notices SET attempts = attempts + 1 WHERE id = $1`, [n.id]);
            throw ApplicationFailure.retryable(`SMS gateway: HTTP ${res.status}`, 'SmsGatewayUnavailable');
          }
          if (res.status < 200 || res.status >= 300) {
            // The gateway refused the message itself (e.g. a number it cannot serve): the cabinet
            // notice stands, and the failure is recorded for the operators.
            await pool.query(`UPDATE notices SET status = 'FAILED', attempts = attempts + 1 WHERE id = $1`, [n.id]);
            n.status = 'FAILED';
            continue;
          }
          const messageId = (res.body as { messageId?: unknown } | undefined)?.messageId;
          if (typeof messageId !== 'string') {
            // Sent or not, we cannot tell: retry; the clientMessageId keeps a repeat from sending twice.
            throw ApplicationFailure.retryable('SMS gateway: an answer without a messageId', 'SmsGatewayUnavailable');
          }
          providerId = messageId;
        }
        await pool.query(
          `UPDATE notices SET status = 'DELIVERED', delivered_at = now(), attempts = attempts + 1, provider_message_id = $2
            WHERE id = $1 AND status = 'PENDING'`,
          [n.id, providerId],
        );
        n.status = 'DELIVERED';
      }
      return rows.map((n) => ({ id: n.id, kind: n.kind, channel: n.channel, issuedAt: toAlmatyIso(n.issued_at.getTime()), status: n.status }));
    },
  };
}
