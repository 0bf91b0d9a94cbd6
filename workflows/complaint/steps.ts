/**
 * The complaint workflow's state, messages and recording steps, beside workflow.ts which reads as
 * the procedure. Deterministic: no I/O but the activities, no clock but the workflow's.
 */
import { ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { ComplaintActivities, ComplaintStepInput } from '../../activities/complaint-activities';
import type { NoticeActivities } from '../../activities/types';
import { complaintActionRefusal, REVIEW_BODY_OUTCOMES, PROVIDER_OUTCOMES, COMPLAINT_REMEDIES, type ComplaintAction, type ComplaintFlag, type ComplaintRemedy, type ComplaintStatus } from '../../domain/complaints/procedure';
import type { RenderedNotice } from '../../domain/notices';
import { roleOf } from '../../domain/procedure/actions';
import { TEXT_LIMITS, textProblem } from '../../domain/procedure/inputs';
import type { Reason } from '../../domain/procedure/text';
import { toAlmatyIso } from '../../domain/time';
import { INVALID_CASE_ACTION_FAILURE, SA_APPLICATION_ID } from '../contract';
import {
  complaintStateQuery,
  providerDecisionUpdate,
  reviewBodyDecisionUpdate,
  SA_COMPLAINT_DUE_AT,
  SA_COMPLAINT_FLAGS,
  SA_COMPLAINT_STATUS,
  type ComplaintState,
  type ComplaintWorkflowInput,
  type ProviderDecisionInput,
  type ReviewBodyDecisionInput,
} from './contract';

// Writes of the complaint's record are regular activities (visible in the history), retried while the database is away.
export const record = proxyActivities<ComplaintActivities & NoticeActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export const iso = (ms: number): string => toAlmatyIso(ms);

export class Complaint {
  status: ComplaintStatus;
  /** The status the complaint's record holds (written by an activity): what the updates answer with. */
  recorded: ComplaintStatus | undefined;
  flags: ComplaintFlag[] = [];
  provider?: ProviderDecisionInput;
  reviewBody?: ReviewBodyDecisionInput;
  forwardedAtMs?: number;
  reviewBodyRegisteredAtMs?: number;
  reviewBodyDecisionDueAtMs?: number;
  remedy?: ComplaintRemedy;

  constructor(
    readonly input: ComplaintWorkflowInput,
    readonly t: { receivedAtMs: number; registeredAtMs: number; providerDecisionDueAtMs: number; forwardDueAtMs: number },
  ) {
    this.status = t.registeredAtMs > t.receivedAtMs ? 'RECEIVED' : 'WITH_PROVIDER';
  }

  view(): ComplaintState {
    return {
      complaintId: this.input.complaintId,
      applicationId: this.input.applicationId,
      status: this.status,
      flags: [...this.flags],
      receivedAt: iso(this.t.receivedAtMs),
      registeredAt: iso(this.t.registeredAtMs),
      providerDecisionDueAt: iso(this.t.providerDecisionDueAtMs),
      forwardDueAt: iso(this.t.forwardDueAtMs),
      ...(this.forwardedAtMs !== undefined ? { forwardedAt: iso(this.forwardedAtMs) } : {}),
      ...(this.reviewBodyRegisteredAtMs !== undefined ? { reviewBodyRegisteredAt: iso(this.reviewBodyRegisteredAtMs) } : {}),
      ...(this.reviewBodyDecisionDueAtMs !== undefined ? { reviewBodyDecisionDueAt: iso(this.reviewBodyDecisionDueAtMs) } : {}),
      ...(this.remedy ? { remedy: this.remedy } : {}),
    };
  }

  /** The search attributes: status, flags, the next due instant and the case's id (nothing personal). */
  publish(): void {
    const dueMs = this.status === 'FORWARDED' ? this.reviewBodyDecisionDueAtMs : this.status === 'DECIDED' || this.status === 'SATISFIED_BY_PROVIDER' ? undefined : this.t.forwardDueAtMs;
    upsertSearchAttributes([
      { key: SA_APPLICATION_ID, value: this.input.applicationId },
      { key: SA_COMPLAINT_STATUS, value: this.status },
      { key: SA_COMPLAINT_FLAGS, value: this.flags.length > 0 ? [...this.flags] : null },
      { key: SA_COMPLAINT_DUE_AT, value: dueMs !== undefined ? new Date(dueMs) : null },
    ]);
  }

  /** Records a step (status, timeline, notice), publishes it, and delivers its notices. */
  async step(step: string, actor: string, extra: { data?: Record<string, unknown>; set?: ComplaintStepInput['set']; notice?: RenderedNotice } = {}): Promise<void> {
    this.publish();
    await record.recordComplaintStep({
      complaintId: this.input.complaintId,
      applicationId: this.input.applicationId,
      at: iso(Date.now()),
      step,
      status: this.status,
      flags: [...this.flags],
      actor,
      ...(extra.data ? { data: extra.data } : {}),
      ...(extra.set ? { set: extra.set } : {}),
      ...(extra.notice ? { notice: extra.notice } : {}),
    });
    this.recorded = this.status;
    if (extra.notice) await record.deliverNotices(this.input.applicationId);
  }
}

function refuse(reason: Reason, field?: string): never {
  throw ApplicationFailure.nonRetryable(reason.en, INVALID_CASE_ACTION_FAILURE, { ...reason, ...(field ? { field } : {}) });
}

const bad = (field: string, en: string, kk: string, ru: string): never => refuse({ code: 'INVALID_FIELD', en, kk, ru }, field);

/** The updates' validators ask the complaint table and check the text; the handlers record the decision for the workflow. */
export function installComplaintMessages(c: Complaint): void {
  const check = (input: ProviderDecisionInput | ReviewBodyDecisionInput, action: ComplaintAction, outcomes: readonly string[]): void => {
    const role = typeof input?.actor === 'string' && /^[a-z-]+:\S+$/.test(input.actor) ? roleOf(input.actor) : undefined;
    if (!role) bad('actor', '`actor` must be role:id', 'Әрекет етуші көрсетілмеген', 'Не указано, кто действует');
    const why = complaintActionRefusal(c, { role: role! }, action);
    if (why) refuse(why);
    if (!outcomes.includes(input.outcome)) bad('outcome', 'Unknown outcome', 'Белгісіз шешім', 'Неизвестное решение');
    if (input.remedy !== undefined && !COMPLAINT_REMEDIES.includes(input.remedy)) bad('remedy', 'Unknown remedy', 'Белгісіз шара', 'Неизвестная мера');
    const problem = textProblem(input.reasons, TEXT_LIMITS.statement, { required: true });
    if (problem) refuse(problem, 'reasons');
  };
  setHandler(complaintStateQuery, () => c.view());
  setHandler(
    providerDecisionUpdate,
    async (input) => {
      c.provider = input;
      // Answer once the workflow has acted on it and the record says so (satisfied, or forwarded).
      await condition(() => c.recorded === 'SATISFIED_BY_PROVIDER' || c.recorded === 'FORWARDED');
      return { status: c.status };
    },
    {
      validator: (input) => {
        check(input, 'PROVIDER_DECISION', PROVIDER_OUTCOMES);
        // R19: satisfying fully means acting in the case; the remedy says how.
        if (input.outcome === 'SATISFIED' && !input.remedy) bad('remedy', 'A satisfied complaint names its remedy', 'Қанағаттандырылған шағымда шара көрсетіледі', 'Для удовлетворённой жалобы укажите меру');
      },
    },
  );
  setHandler(
    reviewBodyDecisionUpdate,
    async (input) => {
      c.reviewBody = input;
      await condition(() => c.recorded === 'DECIDED');
      return { status: c.status };
    },
    { validator: (input) => check(input, 'REVIEW_BODY_DECISION', REVIEW_BODY_OUTCOMES) },
  );
}
