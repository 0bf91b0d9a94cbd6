/**
 * The contract between the API, the worker and the application workflow: its input, the messages it
 * accepts (updates with validators), its queries and its search attributes. Kept free of Node APIs so
 * the workflow bundle can import it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ApplicationDeclaration, CasePath, CategoryOutcome, Ground, GroundId } from '../domain/application';

export const TASK_QUEUE = 'hpc-applications';
export const WORKFLOW_TYPE = 'applicationWorkflow';

export interface ApplicationWorkflowInput {
  applicationId: string;
  declaration: ApplicationDeclaration;
  /** When the portal received the application (orders the queue; SPEC §2). */
  receivedAt: string;
  /** Who submitted it (the applicant or the representative), as `role:id`. */
  submittedBy: string;
  /**
   * Shifts the case clock from the server clock. Zero in production; the simulate harness uses it
   * to play a scenario at its historical `submittedAt` on the time-skipping server.
   */
  clockShiftMs?: number;
  /**
   * Whether to publish the Case* search attributes. The time-skipping test server cannot register
   * custom search attributes, so the simulate harness and workflow tests turn this off.
   */
  publishSearchAttributes?: boolean;
}

/** Where a case stands. Also the `CaseStatus` search attribute. */
export type CaseStatus =
  | 'CHECKING' // fetching registry facts and evaluating
  | 'WAITING_REGISTRY' // a registry is down: retrying, visibly (WaitingOn names it)
  | 'AWAITING_REPORT' // R7.2: waiting for the applicant's technical report upload
  | 'AWAITING_REVIEW' // R7.2: an operator reviews the technical report (R13, A1.8.2)
  | 'HEARING_SCHEDULED' // R17: preliminary refusal issued, hearing pending
  | 'AWAITING_HEARING_OUTCOME' // the applicant stated a position: an officer decides
  | 'REGISTERED'
  | 'REFUSED';

export const SA_CASE_STATUS = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const SA_CASE_PATH = defineSearchAttributeKey('CasePath', SearchAttributeType.KEYWORD);
export const SA_DECISION_DUE_AT = defineSearchAttributeKey('DecisionDueAt', SearchAttributeType.DATETIME);
export const SA_WAITING_ON = defineSearchAttributeKey('WaitingOn', SearchAttributeType.KEYWORD_LIST);
export const SA_CASE_KATO = defineSearchAttributeKey('CaseKato', SearchAttributeType.KEYWORD);

/** `temporal server start-dev --search-attribute` arguments for the keys above. */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: readonly string[] = [
  'CaseStatus=Keyword',
  'CasePath=Keyword',
  'DecisionDueAt=Datetime',
  'WaitingOn=KeywordList',
  'CaseKato=Keyword',
];

export interface TimelineEntry {
  at: string;
  kind: string;
  actor?: string;
  detail?: Record<string, unknown>;
}

export interface QueuePlacement {
  kato: string;
  registrationNumber: string;
  position: number;
  categoryPositions: Record<string, number>;
}

export interface CaseState {
  applicationId: string;
  status: CaseStatus;
  path: CasePath;
  receivedAt: string;
  acceptedAt: string;
  decisionDueAt: string;
  waitingOn: string[];
  grounds: Ground[];
  categories: CategoryOutcome;
  preliminaryDecisionAt?: string;
  hearingAt?: string;
  positionStated: boolean;
  technicalReport?: { documentId: string; sha256: string; reportNumber: string; propertyId: string };
  decision?: { outcome: 'REGISTERED' | 'REFUSED'; at: string; by: string; grounds: GroundId[] };
  queue?: QueuePlacement;
  timeline: TimelineEntry[];
}

// ---- applicant actions (until the hearing: R17) ----
export interface StatePositionInput {
  actor: string;
  text: string;
}
export interface GiveConsentInput {
  actor: string;
  codes: ('C1' | 'C2' | 'C3' | 'C4')[];
}
export interface RecheckInput {
  actor: string;
  reason?: string;
}
/** R7.2: the uploaded e-copy of the expert's technical report (A1.8.2), already stored by the API. */
export interface TechnicalReportInput {
  actor: string;
  documentId: string;
  sha256: string;
  reportNumber: string;
  propertyId: string;
}

// ---- staff actions ----
/** R13, R15.6: the operator accepts the report or rejects it as unreliable, with a reason. */
export interface ReportReviewInput {
  actor: string;
  accepted: boolean;
  reason?: string;
}
/** R17: the hearing officer's outcome after the applicant stated a position. */
export interface HearingOutcomeInput {
  actor: string;
  outcome: 'REFUSE' | 'REGISTER';
  reasoning: string;
}

export interface ActionResult {
  status: CaseStatus;
}

/**
 * R12, A2.C1–C4: the person withdrew a consent; the API recorded it (table `consents`) and tells
 * the running case. Only C1 and C2 bear on the decision (their absence is the refusal ground
 * A1.9.4), so only they are sent. Before the final decision the case re-evaluates: waiting for a
 * decision, it is refused preliminarily with a hearing notice (R17); in the hearing period the
 * ground is added; giving the consent again before the hearing (giveConsent) clears it. After the
 * final decision the update is rejected with the failure type CASE_DECIDED_FAILURE: a withdrawal
 * does not undo a decision (personal-data/withdrawal.ts explains what it does instead).
 */
export interface ConsentWithdrawnInput {
  code: 'C1' | 'C2';
  /** When the API recorded the withdrawal: ISO 8601 with an offset. */
  at: string;
  /** Who withdrew it, `role:id` (the applicant, or the representative for them). */
  by: string;
}
export interface ConsentWithdrawnResult extends ActionResult {
  /**
   * REEVALUATED: the grounds were evaluated again (see `grounds`); APPLIES_AT_CHECK: the registry
   * check is still running and will evaluate without the consent; NOT_IN_FORCE: the case held no
   * such consent (already withdrawn, or never given), nothing changed.
   */
  effect: 'REEVALUATED' | 'APPLIES_AT_CHECK' | 'NOT_IN_FORCE';
  /** Rule IDs of the grounds the case now rests on. */
  grounds: GroundId[];
  hearingAt?: string;
}
/** The failure type of a consentWithdrawn update that reached a case already decided. */
export const CASE_DECIDED_FAILURE = 'CaseAlreadyDecided';

export const statePositionUpdate = defineUpdate<ActionResult, [StatePositionInput]>('statePosition');
export const giveConsentUpdate = defineUpdate<ActionResult, [GiveConsentInput]>('giveConsent');
export const requestRecheckUpdate = defineUpdate<ActionResult, [RecheckInput]>('requestRecheck');
export const uploadTechnicalReportUpdate = defineUpdate<ActionResult, [TechnicalReportInput]>('uploadTechnicalReport');
export const reviewTechnicalReportUpdate = defineUpdate<ActionResult, [ReportReviewInput]>('reviewTechnicalReport');
export const recordHearingOutcomeUpdate = defineUpdate<ActionResult, [HearingOutcomeInput]>('recordHearingOutcome');
export const consentWithdrawnUpdate = defineUpdate<ConsentWithdrawnResult, [ConsentWithdrawnInput]>('consentWithdrawn');

export const caseStateQuery = defineQuery<CaseState>('caseState');

/** The workflow's result: the final decision. */
export interface ApplicationOutcome {
  outcome: 'REGISTERED' | 'REFUSED';
  /** Rule IDs of every ground the refusal rests on, each once; empty for a registration. */
  grounds: GroundId[];
  acceptedAt: string;
  /** The term's end: R13's, or the one extended for the hearing (R17). */
  decisionDueAt: string;
  preliminaryDecisionAt?: string;
  hearingAt?: string;
  decidedAt: string;
  categories: CategoryOutcome;
  queue?: QueuePlacement;
  /** Every notice of the case (R16), with the case-clock instant it was issued. */
  notices: { channel: 'CABINET' | 'SMS'; kind: string; at: string; status: string }[];
}
