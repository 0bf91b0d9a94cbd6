/**
 * The sandbox's SMS gateway: an in-memory log of delivered messages with idempotency by the
 * client's message id, so tests can prove a decision notice (R16) reaches the applicant once even
 * when a workflow retries the send.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export const smsRequestSchema = z.strictObject({
  to: z.string().regex(/^\+7\d{10}$/, 'to must be +7 followed by 10 digits'),
  text: z.string().min(1).max(2000),
  clientMessageId: z.string().min(1).max(200),
});
export type SmsRequest = z.output<typeof smsRequestSchema>;

export interface DeliveredSms {
  messageId: string;
  clientMessageId: string;
  to: string;
  text: string;
  status: 'DELIVERED';
  acceptedAt: string;
}

/**
 * One send request the gateway accepted for processing, delivered or suppressed as a repeat. The
 * chaos audit (chaos/audit.ts) counts these to tell a retried send from a message sent twice.
 */
export interface ReceivedSms {
  clientMessageId: string;
  to: string;
  text: string;
  /** Whether it was a repeat of a delivered clientMessageId (and so not delivered again). */
  duplicate: boolean;
  receivedAt: string;
}

export interface SmsStats {
  sent: number;
  duplicatesSuppressed: number;
  /** Calls answered 503 by the settings (outage or error draw); nothing was sent. */
  unavailable: number;
}

export interface SmsSendResult {
  messageId: string;
  duplicate: boolean;
}

export class SmsStore {
  private readonly byClientId = new Map<string, DeliveredSms>();
  private readonly log: DeliveredSms[] = [];
  private readonly receivedLog: ReceivedSms[] = [];
  private duplicates = 0;
  private unavailableCount = 0;

  /**
   * Delivers unless this clientMessageId was delivered before. Synchronous on purpose: the check
   * and the insert must not be split by an await, or two concurrent retries could both deliver.
   */
  send(request: SmsRequest, acceptedAt: string): SmsSendResult {
    const previous = this.byClientId.get(request.clientMessageId);
    this.receivedLog.push({
      clientMessageId: request.clientMessageId,
      to: request.to,
      text: request.text,
      duplicate: previous !== undefined,
      receivedAt: acceptedAt,
    });
    if (previous) {
      this.duplicates++;
      return { messageId: previous.messageId, duplicate: true };
    }
    const message: DeliveredSms = {
      messageId: randomUUID(),
      clientMessageId: request.clientMessageId,
      to: request.to,
      text: request.text,
      status: 'DELIVERED',
      acceptedAt,
    };
    this.byClientId.set(message.clientMessageId, message);
    this.log.push(message);
    return { messageId: message.messageId, duplicate: false };
  }

  noteUnavailable(): void {
    this.unavailableCount++;
  }

  list(filter: { clientMessageId?: string; to?: string }): DeliveredSms[] {
    return this.log.filter(
      (m) =>
        (filter.clientMessageId === undefined || m.clientMessageId === filter.clientMessageId) &&
        (filter.to === undefined || m.to === filter.to),
    );
  }

  /** Every send request that reached delivery, repeats included, in arrival order. */
  received(): ReceivedSms[] {
    return this.receivedLog.map((r) => ({ ...r }));
  }

  stats(): SmsStats {
    return { sent: this.log.length, duplicatesSuppressed: this.duplicates, unavailable: this.unavailableCount };
  }

  reset(): void {
    this.byClientId.clear();
    this.log.length = 0;
    this.receivedLog.length = 0;
    this.duplicates = 0;
    this.unavailableCount = 0;
  }
}
