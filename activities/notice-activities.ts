/**
 * Delivery of the notice outbox (R16). The personal cabinet reads the outbox itself, so a cabinet
 * notice is delivered by being committed; an SMS goes through the SMS gateway with the notice id as
 * its clientMessageId, which the gateway never delivers twice — so a retry after a crash between
 * "sent" and "marked sent" does not send a second SMS.
 */
import type { Pool } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import { toAlmatyIso } from '../domain/time';
import type { DeliveredNotice, NoticeActivities } from './types';

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
          `SELECT id, kind, channel, issued_at, recipient, body, status FROM notices WHERE application_id = $1 ORDER BY issued_at, kind, channel`,
          [applicationId],
        )
      ).rows;
      for (const n of rows) {
        if (n.status !== 'PENDING') continue;
        let providerId: string | null = null;
        if (n.channel === 'SMS') {
          const res = await fetch(`${sms.url}/sms/v1/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ to: n.recipient, text: `${n.body.kk}\n${n.body.ru}`, clientMessageId: n.id }),
            signal: AbortSignal.timeout(timeoutMs),
          });
          if (res.status >= 500 || res.status === 429) {
            await pool.query(`UPDATE notices SET attempts = attempts + 1 WHERE id = $1`, [n.id]);
            throw ApplicationFailure.retryable(`SMS gateway: HTTP ${res.status}`, 'SmsGatewayUnavailable');
          }
          if (!res.ok) {
            // The gateway refused the message itself (e.g. a number it cannot serve): the cabinet
            // notice stands, and the failure is recorded for the operators.
            await pool.query(`UPDATE notices SET status = 'FAILED', attempts = attempts + 1 WHERE id = $1`, [n.id]);
            n.status = 'FAILED';
            continue;
          }
          providerId = ((await res.json()) as { messageId: string }).messageId;
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
