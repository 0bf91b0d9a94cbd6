/**
 * The contract between the API, the worker and the application workflow: its input, the messages it
 * accepts (updates with validators), its query and its search attributes. Kept free of Node APIs so
 * the workflow bundle can import it.
 *
 * Where a case's state lives: PostgreSQL is its one source of truth for everybody outside the
 * workflow — the `applications` row holds its status, flags, who it waits on and its due instant,
 * `case_events` its timeline — and only the workflow writes them, through its activities
 * (db/cases/). The `caseState` query shows the workflow's own memory, for an operator looking
 * into a case in the Temporal UI; the API does not read it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ApplicationDeclaration, CasePath, CategoryOutcome, Ground, GroundId } from '../domain/application';
import type { CaseFlag, CaseStatus } from '../domain/procedure/statuses';
import type { ReferenceSnapshot } from '../domain/procedure/reference';

export type { CaseFlag, CaseStatus } from '../domain/procedure/statuses';

/**
 * The procedure's second version runs on its own task queue (docs/workflow-versioning.md, "task-
 * queue cut-over"): the first version's cases finish on `hpc-applications` under the release that
 * started them.
 */
export const TASK_QUEUE = 'hpc-applications-v2';
export const WORKFLOW_TYPE = 'applicationWorkflow';

export interface ApplicationWorkflowInput {
  applicationId: string;
  declaration: ApplicationDeclaration;
  /** When the portal received the application: its place in the queue (SPEC §2, §7). */
  receivedAt: string;
  /** When its term starts (A1.7.2) and R13's due instant, computed once at intake (domain/procedure/terms.ts). */
  acceptedAt: string;
  decisionDueAt: string;
  /** Who submitted it (the applicant or the representative), as `role:id`. */
  submittedBy: string;
  /** The calendar and interpretations in force when the application was received, pinned for its life. */
  reference: ReferenceSnapshot;
  /** R7.2: the expert's technical report the submission carried (A1.8.2), stored as version 1. */
  technicalReport?: ReportRef;
}

export const SA_CASE_STATUS = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const SA_CASE_FLAGS = defineSearchAttributeKey('CaseFlags', SearchAttributeType.KEYWORD_LIST);
export const SA_CASE_PATH = defineSearchAttributeKey('CasePath', SearchAttributeType.KEYWORD);
export const SA_DECISION_DUE_AT = defineSearchAttributeKey('DecisionDueAt', SearchAttributeType.DATETIME);
export const SA_WAITING_ON = defineSearchAttributeKey('WaitingOn', SearchAttributeType.KEYWORD_LIST);
export const SA_CASE_KATO = defineSearchAttributeKey('CaseKato', SearchAttributeType.KEYWORD);
/** The API's case id (a random UUID, not personal data): from the API's case to its workflow in the UI. */
export const SA_APPLICATION_ID = defineSearchAttributeKey('CaseApplicationId', SearchAttributeType.KEYWORD);

/** Every custom search attribute, as `temporal server start-dev --search-attribute` takes them. */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: readonly string[] = [
  'CaseStatus=Keyword',
  'CaseFlags=KeywordList',
  'CasePath=Keyword',
  'DecisionDueAt=Datetime',
  'WaitingOn=KeywordList',
  'CaseKato=Keyword',
  'CaseApplicationId=Keyword',
  // Complaints (workflows/complaint/contract.ts)
  'ComplaintStatus=Keyword',
  'ComplaintFlags=KeywordList',
  'ComplaintDueAt=Datetime',
  // Removal cases (workflows/removal/contract.ts)
  'RemovalStatus=Keyword',
  'RemovalDueAt=Datetime',
];

export interface QueuePlacement {
  kato: string;
  registrationNumber: string;
  position: number;
  categoryPositions: Record<string, number>;
}

/** R7.2: the e-copy of the expert's technical report (A1.8.2), stored by the API; each upload is a new version. */
export interface ReportRef {
  documentId: string;
  version: number;
  sha256: string;
  reportNumber: string;
  propertyId: string;
}

/** The workflow's memory of its case (the `caseState` query; see the header for who reads what). */
export interface CaseState {
  applicationId: string;
  status: CaseStatus;
  flags: CaseFlag[];
  path: CasePath;
  receivedAt: string;
  acceptedAt: string;
  decisionDueAt: string;
  waitingOn: string[];
  grounds: Ground[];
  categories: CategoryOutcome;
  preliminaryDecisionAt?: string;
  hearingAt?: string;
  technicalReport?: ReportRef;
  decision?: { outcome: 'REGISTERED' | 'REFUSED'; at: string; by: string; grounds: GroundId[] };
  queue?: QueuePlacement;
  /** What failed, when the case is on hold (flag STEP_FAILED): no personal data, only the step and the error type. */
  failure?: { step: string; type: string; at: string };
  /** The workflow's next timer (a hearing, a due instant); absent while only a person can move the case. */
  nextWakeAt?: string;
}

// ---- applicant actions ----
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
/** R7.2: a stored upload of the expert's technical report (A1.8.2). */
export interface TechnicalReportInput extends ReportRef {
  actor: string;
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
/** R17: the authorised officer signs the final refusal after a hearing without a position. */
export interface SignFinalRefusalInput {
  actor: string;
}
/** An administrator resumes a case held by a step that failed on bad data, after mending the data. */
export interface RetryFailedStepInput {
  actor: string;
}

/** What every action answers: the case's status once the workflow has acted on it. */
export interface ActionResult {
  status: CaseStatus;
}

/**
 * R12, A2.C1–C4, A1.9.4: the person withdrew a consent; the API recorded it (table `consents`) and tells
 * the running case. Only C1 and C2 bear on the decision (their absence is the refusal ground
 * A1.9.4), so only they are sent. Before the final decision the case re-evaluates
 * (reference/interpretations.json `consentWithdrawal`). After the final decision the update is
 * rejected with the failure type CASE_DECIDED_FAILURE: a withdrawal does not undo a decision.
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
/** The failure type of an update the procedure table (domain/procedure) or the input check refused. */
export const INVALID_CASE_ACTION_FAILURE = 'InvalidCaseAction';

export const statePositionUpdate = defineUpdate<ActionResult, [StatePositionInput]>('statePosition');
export const giveConsentUpdate = defineUpdate<ActionResult, [GiveConsentInput]>('giveConsent');
export const requestRecheckUpdate = defineUpdate<ActionResult, [RecheckInput]>('requestRecheck');
export const uploadTechnicalReportUpdate = defineUpdate<ActionResult, [TechnicalReportInput]>('uploadTechnicalReport');
export const reviewTechnicalReportUpdate = defineUpdate<ActionResult, [ReportReviewInput]>('reviewTechnicalReport');
export const recordHearingOutcomeUpdate = defineUpdate<ActionResult, [HearingOutcomeInput]>('recordHearingOutcome');
export const consentWithdrawnUpdate = defineUpdate<ConsentWithdrawnResult, [ConsentWithdrawnInput]>('consentWithdrawn');
export const retryFailedStepUpdate = defineUpdate<ActionResult, [RetryFailedStepInput]>('retryFailedStep');
export const signFinalRefusalUpdate = defineUpdate<ActionResult, [SignFinalRefusalInput]>('signFinalRefusal');

/** R17: the reasoning of a refusal finalised after a hearing without a position (what the officer signs). */
export const NO_POSITION_REASONING = 'R17: no position stated by the hearing';

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
