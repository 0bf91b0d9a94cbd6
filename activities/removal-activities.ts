/**
 * The removal case's activities (issue #11 §2): thin calls into db/removals and db/cases, which own
 * the SQL. Each is idempotent: the case row is keyed by its id, steps by (case, step), notices by
 * (case, kind, channel) with their id as the SMS gateway's clientMessageId, and the entry's removal
 * leaves an entry already removed as it is.
 *
 * The person's IIN never enters the workflow: these activities read it from the queue entry when
 * they need it (the mobile citizens database's number for the SMS, R16).
 */
import type { Pool } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import * as cases from '../db/cases';
import * as removals from '../db/removals';
import type { ReferenceSnapshot } from '../domain/procedure/reference';
import type { RemovalStatus } from '../domain/removal/procedure';
import { REMOVAL_ALREADY_OPEN_FAILURE, REMOVAL_ENTRY_NOT_ACTIVE_FAILURE, removalWorkflowId, type RemovalWorkflowInput } from '../workflows/removal/contract';
import { postJson } from './http-json';
import { createRegistryActivities } from './registry-activities';

export type RemovalStepInput = Omit<removals.RemovalStep, 'phone'>;

export interface OpenRemovalInput extends Omit<RemovalWorkflowInput, 'reference'> {
  reference: ReferenceSnapshot;
  status: RemovalStatus;
  noticeAt?: string;
  hearingAt?: string;
  decisionDueAt: string;
}

export interface RemovalActivities {
  /** Stores the case (if the API has not) once its entry is found active; the entry's registration number and application. */
  openRemovalCase(input: OpenRemovalInput): Promise<{ registrationNumber: string; applicationId: string | null }>;
  /** A step of the case: status, fields, timeline, notices and — for REMOVE — the entry's removal, in one transaction. */
  recordRemovalStep(input: RemovalStepInput): Promise<{ entryRemoved: boolean }>;
  /** R16: the case's pending SMS through the gateway (the notice id as clientMessageId). */
  deliverRemovalNotices(removalId: string): Promise<{ sent: number }>;
}

export interface RemovalActivityDeps {
  /** The e-government gateway: the mobile citizens database (R16). */
  gatewayUrl: string;
  smsUrl?: string;
  timeoutMs?: number;
}

export function createRemovalActivities(pool: Pool, deps: RemovalActivityDeps): RemovalActivities {
  const registry = createRegistryActivities({ url: deps.gatewayUrl });
  const smsUrl = deps.smsUrl ?? deps.gatewayUrl;
  const timeoutMs = deps.timeoutMs ?? 10_000;

  async function phoneOf(removalId: string): Promise<string | null> {
    const iin = await removals.personOfRemoval(pool, removalId);
    if (!iin) return null;
    const mobile = await registry.fetchRegistry('mobile', [iin]);
    return (mobile[iin] as { phone?: string } | null | undefined)?.phone ?? null;
  }

  return {
    async openRemovalCase(input) {
      const existing = await removals.findRemoval(pool, input.removalId);
      if (existing) return { registrationNumber: existing.registration_number, applicationId: existing.application_id };
      const entry = await cases.findQueueEntry(pool, { entryId: input.entryId });
      if (!entry || entry.status !== 'ACTIVE') {
        throw ApplicationFailure.nonRetryable(`queue entry ${input.entryId} is not in the queue`, REMOVAL_ENTRY_NOT_ACTIVE_FAILURE);
      }
      const referenceSnapshotId = await cases.storeReferenceSnapshot(pool, input.reference);
      try {
        await removals.insertRemoval(pool, {
          id: input.removalId,
          entryId: entry.id,
          applicationId: entry.application_id,
          registrationNumber: entry.registration_number,
          ground: input.ground,
          evidence: input.evidence,
          openedBy: input.openedBy,
          openedAt: input.openedAt,
          workflowId: removalWorkflowId(entry.id),
          referenceSnapshotId,
          noticeAt: input.noticeAt ?? null,
          hearingAt: input.hearingAt ?? null,
          decisionDueAt: input.decisionDueAt,
          status: input.status,
        });
      } catch (err) {
        if (err instanceof removals.RemovalAlreadyOpenError) throw ApplicationFailure.nonRetryable(err.message, REMOVAL_ALREADY_OPEN_FAILURE);
        throw err;
      }
      return { registrationNumber: entry.registration_number, applicationId: entry.application_id };
    },

    async recordRemovalStep(input) {
      const phone = input.notice ? await phoneOf(input.removalId) : null;
      return removals.recordRemovalStep(pool, { ...input, phone });
    },

    async deliverRemovalNotices(removalId) {
      let sent = 0;
      for (const n of await removals.removalNotices(pool, removalId)) {
        if (n.channel !== 'SMS' || n.status !== 'PENDING') continue;
        const res = await postJson(`${smsUrl}/sms/v1/messages`, { to: n.recipient, text: `${n.body.kk}\n${n.body.ru}`, clientMessageId: n.id }, timeoutMs);
        if (res.status >= 500 || res.status === 429) {
          await removals.markRemovalNotice(pool, n.id, { status: 'ATTEMPTED' });
          throw ApplicationFailure.retryable(`SMS gateway: HTTP ${res.status}`, 'SmsGatewayUnavailable');
        }
        if (res.status < 200 || res.status >= 300) {
          // The gateway refused the message itself: the cabinet text stands; the failure is kept.
          await removals.markRemovalNotice(pool, n.id, { status: 'FAILED' });
          continue;
        }
        const messageId = (res.body as { messageId?: unknown } | undefined)?.messageId;
        if (typeof messageId !== 'string') throw ApplicationFailure.retryable('SMS gateway: an answer without a messageId', 'SmsGatewayUnavailable');
        await removals.markRemovalNotice(pool, n.id, { status: 'DELIVERED', providerMessageId: messageId });
        sent += 1;
      }
      return { sent };
    },
  };
}

