/**
 * Delivery of the notice outbox (R16). The personal cabinet reads the outbox itself, so a cabinet
 * notice is delivered by being committed; an SMS goes through the SMS gateway with the notice id as
 * its clientMessageId, which the gateway never delivers twice — so a retry after a crash between
 * "sent" and "marked sent" does not send a second SMS.
 */
import type { Pool } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import { caseNotices, markNoticeDelivered, markNoticeFailed, noteDeliveryAttempt } from '../db/cases/notices';
import { toAlmatyIso } from '../domain/time';
import type { DeliveredNotice, NoticeActivities } from './types';
import { postJson } from './http-json';

export interface SmsConfig {
  url: string;
  timeoutMs?: number;
}

export function createNoticeActivities(pool: Pool, sms: SmsConfig): NoticeActivities {
  const timeoutMs = sms.timeoutMs ?? 10_000;
  return {
    async deliverNotices(applicationId: string): Promise<DeliveredNotice[]> {
      const rows = await caseNotices(pool, applicationId);
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
            await noteDeliveryAttempt(pool, n.id);
            throw ApplicationFailure.retryable(`SMS gateway: HTTP ${res.status}`, 'SmsGatewayUnavailable');
          }
          if (res.status < 200 || res.status >= 300) {
            // The gateway refused the message itself (e.g. a number it cannot serve): the cabinet
            // notice stands, and the failure is recorded for the operators.
            await markNoticeFailed(pool, n.id);
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
        await markNoticeDelivered(pool, n.id, providerId);
        n.status = 'DELIVERED';
      }
      return rows.map((n) => ({ id: n.id, kind: n.kind, channel: n.channel, issuedAt: toAlmatyIso(n.issued_at.getTime()), status: n.status }));
    },
  };
}
