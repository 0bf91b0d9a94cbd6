/**
 * The removal workflow's state, messages and recording steps, beside workflow.ts which reads as
 * the procedure. Deterministic: no I/O but the activities, no clock but the workflow's.
 */
import { ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { RemovalActivities, RemovalStepInput } from '../../activities/removal-activities';
import { roleOf } from '../../domain/procedure/actions';
import { TEXT_LIMITS, textProblem } from '../../domain/procedure/inputs';
import type { Reason } from '../../domain/procedure/text';
import { isRemovalClosed, REMOVAL_OUTCOMES, removalActionRefusal, type RemovalAction, type RemovalStatus } from '../../domain/removal/procedure';
import type { RemovalTerms } from '../../domain/removal/terms';
import { toAlmatyIso } from '../../domain/time';
import { INVALID_CASE_ACTION_FAILURE } from '../contract';
import {
  removalDecisionUpdate,
  removalPositionUpdate,
  removalStateQuery,
  SA_REMOVAL_DUE_AT,
  SA_REMOVAL_STATUS,
  type RemovalDecisionInput,
  type RemovalPositionInput,
  type RemovalState,
  type RemovalWorkflowInput,
} from './contract';

// Writes of the removal case's record are regular activities (visible in the history), retried while the database is away.
export const record = proxyActivities<RemovalActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export const iso = (ms: number): string => toAlmatyIso(ms);

export class RemovalCase {
  status: RemovalStatus;
  /** The status the case's record holds (written by an activity): what the updates answer with. */
  recorded: RemovalStatus | undefined;
  position?: RemovalPositionInput;
  positionRecorded = false;
  decision?: RemovalDecisionInput;
  decidedAtMs?: number;
  entryRemoved?: boolean;

  constructor(
    readonly input: RemovalWorkflowInput,
    readonly t: RemovalTerms,
  ) {
    this.status = t.hearing ? 'HEARING_SCHEDULED' : 'AWAITING_DECISION';
  }

  view(): RemovalState {
    return {
      removalId: this.input.removalId,
      entryId: this.input.entryId,
      ...(this.input.applicationId ? { applicationId: this.input.applicationId } : {}),
      ground: this.input.ground,
      status: this.status,
      hearing: this.t.hearing !== undefined,
      positionStated: this.position !== undefined,
      openedAt: iso(this.t.openedAtMs),
      ...(this.t.hearing ? { hearingAt: iso(this.t.hearing.hearingAtMs) } : {}),
      decisionDueAt: iso(this.t.decisionDueAtMs),
      ...(this.decision && this.decidedAtMs !== undefined ? { outcome: this.decision.outcome, decidedAt: iso(this.decidedAtMs) } : {}),
      ...(this.entryRemoved !== undefined ? { entryRemoved: this.entryRemoved } : {}),
    };
  }

  /** The search attributes: the status and the next due instant (nothing personal). */
  publish(): void {
    const dueMs = isRemovalClosed(this.status) ? undefined : this.status === 'HEARING_SCHEDULED' ? this.t.hearing?.hearingAtMs : this.t.decisionDueAtMs;
    upsertSearchAttributes([
      { key: SA_REMOVAL_STATUS, value: this.status },
      { key: SA_REMOVAL_DUE_AT, value: dueMs !== undefined ? new Date(dueMs) : null },
    ]);
  }

  /** Records a step (status, fields, timeline, notice), publishes it, and sends its SMS. */
  async step(step: string, actor: string, extra: Omit<RemovalStepInput, 'removalId' | 'at' | 'step' | 'status' | 'actor'> = {}, atMs = Date.now()): Promise<{ entryRemoved: boolean }> {
    this.publish();
    const out = await record.recordRemovalStep({ removalId: this.input.removalId, at: iso(atMs), step, status: this.status, actor, ...extra });
    this.recorded = this.status;
    if (extra.notice) await record.deliverRemovalNotices(this.input.removalId);
    return out;
  }
}

function refuse(reason: Reason, field?: string): never {
  throw ApplicationFailure.nonRetryable(reason.en, INVALID_CASE_ACTION_FAILURE, { ...reason, ...(field ? { field } : {}) });
}

const bad = (field: string, en: string, kk: string, ru: string): never => refuse({ code: 'INVALID_FIELD', en, kk, ru }, field);

/** The updates' validators ask the removal table (domain/removal/procedure.ts) and check the text; the handlers hand the act to the workflow. */
export function installRemovalMessages(c: RemovalCase): void {
  const check = (input: { actor?: unknown }, action: RemovalAction): void => {
    const role = typeof input?.actor === 'string' && /^[a-z-]+:\S+$/.test(input.actor) ? roleOf(input.actor) : undefined;
    if (!role) bad('actor', '`actor` must be role:id', 'Әрекет етуші көрсетілмеген', 'Не указано, кто действует');
    const why = removalActionRefusal({ status: c.status, positionStated: c.position !== undefined }, { role: role! }, action);
    if (why) refuse(why);
  };
  setHandler(removalStateQuery, () => c.view());
  setHandler(
    removalPositionUpdate,
    async (input) => {
      c.position = input;
      await condition(() => c.positionRecorded);
      return { status: c.status };
    },
    {
      validator: (input) => {
        check(input, 'STATE_REMOVAL_POSITION');
        const problem = textProblem(input.text, TEXT_LIMITS.statement, { required: true });
        if (problem) refuse(problem, 'text');
        if (input.signedDocumentId !== undefined && !(Number.isSafeInteger(input.signedDocumentId) && input.signedDocumentId > 0)) {
          bad('signedDocumentId', 'Not a signed document id', 'Қол қойылған құжат нөмірі емес', 'Не номер подписанного документа');
        }
      },
    },
  );
  setHandler(
    removalDecisionUpdate,
    async (input) => {
      c.decision = input;
      await condition(() => c.recorded !== undefined && isRemovalClosed(c.recorded));
      return { status: c.status };
    },
    {
      validator: (input) => {
        check(input, 'DECIDE_REMOVAL');
        // One decision: a second one sent before the first is recorded is refused as the closed case would be.
        if (c.decision !== undefined) refuse({ code: 'REMOVAL_CLOSED', kk: 'Шешім қабылданған', ru: 'Решение уже принято', en: 'The removal case is decided' });
        if (!REMOVAL_OUTCOMES.includes(input.outcome)) bad('outcome', 'Unknown outcome', 'Белгісіз шешім', 'Неизвестное решение');
        const problem = textProblem(input.reasoning, TEXT_LIMITS.statement, { required: true });
        if (problem) refuse(problem, 'reasoning');
        if (input.signedDocumentId !== undefined && !(Number.isSafeInteger(input.signedDocumentId) && input.signedDocumentId > 0)) {
          bad('signedDocumentId', 'Not a signed document id', 'Қол қойылған құжат нөмірі емес', 'Не номер подписанного документа');
        }
      },
    },
  );
}
