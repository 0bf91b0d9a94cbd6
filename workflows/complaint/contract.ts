/**
 * The contract of the complaint workflow (R18, R19; SPEC §8): its input, its updates, its query and
 * its search attributes. Free of Node APIs: the workflow bundle imports it.
 *
 * A complaint is a workflow of its own, not a child of the application's: the case it is about is
 * usually closed (a complaint about a refusal comes after the decision), a child cannot outlive its
 * parent, and the complaint's terms have nothing to do with the case's. It is linked to its case by
 * the case id (input, search attribute CaseApplicationId, and its steps in the case's timeline).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ComplaintFlag, ComplaintRemedy, ComplaintStatus, ComplaintSubject, ProviderOutcome, ReviewBodyOutcome } from '../../domain/complaints/procedure';
import type { ReferenceSnapshot } from '../../domain/procedure/reference';

export const COMPLAINT_WORKFLOW_TYPE = 'complaintWorkflow';

export interface ComplaintWorkflowInput {
  complaintId: string;
  applicationId: string;
  subject: ComplaintSubject;
  /** When the provider received it; the terms are computed from it (domain/complaints/terms.ts). */
  receivedAt: string;
  /** The calendar and interpretations in force at receipt, pinned for the complaint's life. */
  reference: ReferenceSnapshot;
  filedBy: string;
}

export interface ProviderDecisionInput {
  actor: string;
  /** SATISFIED: fully, by a decision or another administrative action (R19): not forwarded. FORWARD: not satisfied. */
  outcome: ProviderOutcome;
  remedy?: ComplaintRemedy;
  reasons: string;
}

export interface ReviewBodyDecisionInput {
  actor: string;
  outcome: ReviewBodyOutcome;
  /** How a satisfied (or partly satisfied) complaint acts on the case, if it does. */
  remedy?: ComplaintRemedy;
  reasons: string;
}

export interface ComplaintActionResult {
  status: ComplaintStatus;
}

export interface ComplaintState {
  complaintId: string;
  applicationId: string;
  status: ComplaintStatus;
  flags: ComplaintFlag[];
  receivedAt: string;
  registeredAt: string;
  providerDecisionDueAt: string;
  forwardDueAt: string;
  forwardedAt?: string;
  reviewBodyRegisteredAt?: string;
  reviewBodyDecisionDueAt?: string;
  remedy?: ComplaintRemedy;
}

export const providerDecisionUpdate = defineUpdate<ComplaintActionResult, [ProviderDecisionInput]>('providerDecision');
export const reviewBodyDecisionUpdate = defineUpdate<ComplaintActionResult, [ReviewBodyDecisionInput]>('reviewBodyDecision');
export const complaintStateQuery = defineQuery<ComplaintState>('complaintState');

/** Open, forwarded and overdue complaints are found in the Temporal UI by these (nothing personal). */
export const SA_COMPLAINT_STATUS = defineSearchAttributeKey('ComplaintStatus', SearchAttributeType.KEYWORD);
export const SA_COMPLAINT_FLAGS = defineSearchAttributeKey('ComplaintFlags', SearchAttributeType.KEYWORD_LIST);
/** The next due instant: forwarding while with the provider, the review body's decision once forwarded. */
export const SA_COMPLAINT_DUE_AT = defineSearchAttributeKey('ComplaintDueAt', SearchAttributeType.DATETIME);
