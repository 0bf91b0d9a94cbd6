/**
 * The application workflow's messages: the `caseState` query and the updates people send. Every
 * validator asks the procedure table (domain/procedure `checkAction`) whether this actor may take
 * this action now, and checks the text it carries (domain/procedure/inputs.ts); a refusal is an
 * `InvalidCaseAction` failure whose details hold the reason in kk/ru/en. The handlers put the
 * action in the inbox and answer once the case rests after taking it.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { checkAction, roleOf, type CaseAction } from '../../domain/procedure/actions';
import { TEXT_LIMITS, textProblem } from '../../domain/procedure/inputs';
import type { Reason } from '../../domain/procedure/text';
import { isDecided } from '../../domain/procedure/statuses';
import { InvalidInstantError, parseInstant } from '../../domain/time';
import {
  CASE_DECIDED_FAILURE,
  caseStateQuery,
  consentWithdrawnUpdate,
  giveConsentUpdate,
  INVALID_CASE_ACTION_FAILURE,
  recordHearingOutcomeUpdate,
  requestRecheckUpdate,
  retryFailedStepUpdate,
  reviewTechnicalReportUpdate,
  signFinalRefusalUpdate,
  statePositionUpdate,
  uploadTechnicalReportUpdate,
  type ActionResult,
  type ConsentWithdrawnResult,
} from '../contract';
import type { CaseFile } from './case-file';
import type { CaseActionTaken, Inbox } from './inbox';

function refuse(reason: Reason, field?: string): never {
  throw ApplicationFailure.nonRetryable(reason.en, INVALID_CASE_ACTION_FAILURE, { ...reason, ...(field ? { field } : {}) });
}

const BAD_ACTOR: Reason = { code: 'BAD_ACTOR', kk: 'Әрекет етуші көрсетілмеген', ru: 'Не указано, кто действует', en: '`actor` must be role:id' };

export function installMessages(c: CaseFile, inbox: Inbox): void {
  /** The procedure table's answer for this actor and action, as the validator's verdict. */
  const allow = (actor: unknown, action: CaseAction): void => {
    const role = typeof actor === 'string' && /^[a-z-]+:\S+$/.test(actor) ? roleOf(actor) : undefined;
    if (!role) refuse(BAD_ACTOR, 'actor');
    const verdict = checkAction(c.procedureState(), { role }, action);
    if (!verdict.allowed) refuse(verdict.reason);
  };
  const text = (value: unknown, field: string, max: number, required: boolean): void => {
    if (value === undefined && !required) return;
    const problem = textProblem(value, max, { required });
    if (problem) refuse(problem, field);
  };
  /** Queues the action and answers with the status once the case rests after taking it. */
  const taken = async (action: CaseActionTaken): Promise<ActionResult> => {
    const entry = inbox.put(action);
    await condition(() => entry.answered);
    return { status: c.status };
  };

  setHandler(caseStateQuery, () => c.view());

  setHandler(statePositionUpdate, (a) => taken({ kind: 'POSITION', actor: a.actor, text: a.text }), {
    validator: (a) => {
      allow(a.actor, 'STATE_POSITION');
      text(a.text, 'text', TEXT_LIMITS.statement, true);
    },
  });
  setHandler(giveConsentUpdate, (a) => taken({ kind: 'CONSENT', actor: a.actor, codes: a.codes }), {
    validator: (a) => {
      allow(a.actor, 'GIVE_CONSENT');
      const codes: unknown = a.codes;
      if (!Array.isArray(codes) || codes.length === 0 || !codes.every((x) => x === 'C1' || x === 'C2' || x === 'C3' || x === 'C4')) {
        refuse({ code: 'BAD_CONSENTS', kk: 'Келісім кодтары C1–C4 болуы керек', ru: 'Коды согласий должны быть C1–C4', en: 'consent codes must be C1–C4' }, 'codes');
      }
    },
  });
  setHandler(requestRecheckUpdate, (a) => taken({ kind: 'RECHECK', actor: a.actor, ...(a.reason ? { reason: a.reason } : {}) }), {
    validator: (a) => {
      allow(a.actor, 'REQUEST_RECHECK');
      text(a.reason, 'reason', TEXT_LIMITS.statement, false);
    },
  });
  setHandler(
    uploadTechnicalReportUpdate,
    (a) =>
      taken({
        kind: 'REPORT',
        actor: a.actor,
        report: { documentId: a.documentId, version: a.version, sha256: a.sha256, reportNumber: a.reportNumber, propertyId: a.propertyId },
      }),
    {
      validator: (a) => {
        allow(a.actor, 'UPLOAD_REPORT');
        text(a.reportNumber, 'reportNumber', TEXT_LIMITS.identifier, true);
        text(a.propertyId, 'propertyId', TEXT_LIMITS.identifier, true);
        if (typeof a.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(a.sha256)) refuse({ code: 'BAD_DIGEST', kk: 'SHA-256 жарамсыз', ru: 'Неверный SHA-256', en: 'sha256 must be 64 hex digits' }, 'sha256');
        if (!Number.isInteger(a.version) || a.version < 1) refuse({ code: 'BAD_VERSION', kk: 'Нұсқа нөмірі жарамсыз', ru: 'Неверный номер версии', en: 'version must be a positive integer' }, 'version');
      },
    },
  );
  setHandler(reviewTechnicalReportUpdate, (a) => taken({ kind: 'REVIEW', review: a }), {
    validator: (a) => {
      allow(a.actor, 'REVIEW_REPORT');
      if (typeof a.accepted !== 'boolean') refuse({ code: 'BAD_VERDICT', kk: 'Шешім көрсетілмеген', ru: 'Не указано решение', en: '`accepted` must be true or false' }, 'accepted');
      // R15.6: a rejection says why.
      text(a.reason, 'reason', TEXT_LIMITS.statement, !a.accepted);
    },
  });
  setHandler(recordHearingOutcomeUpdate, (a) => taken({ kind: 'OUTCOME', outcome: a }), {
    validator: (a) => {
      allow(a.actor, 'RECORD_HEARING_OUTCOME');
      if (a.outcome !== 'REGISTER' && a.outcome !== 'REFUSE') refuse({ code: 'BAD_OUTCOME', kk: 'Нәтиже жарамсыз', ru: 'Неверный итог', en: 'outcome must be REGISTER or REFUSE' }, 'outcome');
      text(a.reasoning, 'reasoning', TEXT_LIMITS.statement, true);
    },
  });
  setHandler(signFinalRefusalUpdate, (a) => taken({ kind: 'FINAL_SIGNATURE', actor: a.actor }), {
    validator: (a) => allow(a.actor, 'SIGN_FINAL_REFUSAL'),
  });
  setHandler(retryFailedStepUpdate, (a) => taken({ kind: 'RETRY', actor: a.actor }), {
    validator: (a) => allow(a.actor, 'RETRY_FAILED_STEP'),
  });

  // R12, A2.C1–C4, A1.9.4: a consent the person withdrew (the API recorded it). Before the final
  // decision the case re-evaluates without it; once decided (or while the decision is written) the
  // update is refused with CASE_DECIDED_FAILURE: a withdrawal does not undo a decision.
  const withdrawalResult = (effect: ConsentWithdrawnResult['effect']): ConsentWithdrawnResult => ({
    status: c.status,
    effect,
    grounds: c.groundIds(),
    ...(c.preliminary ? { hearingAt: c.view().hearingAt } : {}),
  });
  setHandler(
    consentWithdrawnUpdate,
    async (w) => {
      const at = c.declaration.consents.findIndex((g) => g.code === w.code);
      // Already withdrawn (a retried request) or never given: nothing to re-evaluate.
      if (at < 0) return withdrawalResult('NOT_IN_FORCE');
      c.declaration.consents.splice(at, 1);
      if (!c.facts) {
        // The check under way evaluates the declaration as it stands when the facts are in.
        c.note('CONSENT_WITHDRAWAL_APPLIED', 'system', { code: w.code, appliesAtCheck: true });
        return withdrawalResult('APPLIES_AT_CHECK');
      }
      await taken({ kind: 'WITHDRAWAL', actor: w.by, code: w.code });
      return withdrawalResult('REEVALUATED');
    },
    {
      validator: (w) => {
        if (isDecided(c.procedureState().status)) {
          throw ApplicationFailure.nonRetryable(
            'the case is decided: a withdrawal does not change the decision (it stops further use of the data)',
            CASE_DECIDED_FAILURE,
          );
        }
        if (w.code !== 'C1' && w.code !== 'C2') {
          refuse({ code: 'NOT_DECISIVE', kk: 'Шешімге тек C1 және C2 келісімдері әсер етеді (A1.9.4)', ru: 'На решение влияют только согласия C1 и C2 (A1.9.4)', en: 'only consents C1 and C2 bear on the decision (A1.9.4)' }, 'code');
        }
        allow(w.by, 'WITHDRAW_CONSENT');
        try {
          parseInstant(w.at);
        } catch (err) {
          if (err instanceof InvalidInstantError) refuse(err.reason, 'at');
          throw err;
        }
      },
    },
  );
}
