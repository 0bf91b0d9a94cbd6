/**
 * The contract of the removal case (issue #11 §2): an authorised officer — or the periodic
 * re-verification, when a registry fact changed — opens a case to remove a queue entry from the
 * register on a ground of the Housing Law. Where the removal goes against the person there is a
 * preliminary decision and a hearing under APPC art. 73 (the hearing of the application procedure,
 * R17), and the officer signs the decision.
 *
 * A workflow of its own per entry (not a child of the application's, which closed with the
 * decision; a migrated record has no application at all). Its ID names the queue entry by its
 * database id, never a person: `removal-<entryId>`, so one entry has at most one removal case
 * running; after a case closes, a later one may take the same ID.
 *
 * Free of Node APIs: the workflow bundle imports it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ReferenceSnapshot } from '../../domain/procedure/reference';
import type { RemovalOutcome, RemovalStatus } from '../../domain/removal/procedure';

export const REMOVAL_WORKFLOW_TYPE = 'removalWorkflow';

/**
 * The grounds of removal from the register (Housing Law; Order 130 is silent on removal — each
 * reading is an interpretation, named in reference/interpretations.json): the provider provided
 * housing; the person acquired housing; the person died (persons registry); the data the
 * registration rested on was found unreliable.
 */
export type RemovalGround = 'HOUSING_PROVIDED' | 'HOUSING_ACQUIRED' | 'DIED' | 'DATA_UNRELIABLE';

/** What the case rests on: the registry's answer behind the ground, or the officer's finding. */
export interface RemovalEvidence {
  /** The registry the fact came from, when it came from one (SPEC §10 names). */
  registry?: 'persons' | 'realEstate';
  /** The registry's record(s) behind the ground, as answered (a death date, an ownership record). */
  facts?: unknown;
  /** The officer's own words, when an officer opened the case. */
  finding?: string;
}

export interface RemovalWorkflowInput {
  removalId: string;
  /** queue_entries.id, as a decimal string (a bigint). */
  entryId: string;
  /** The application behind the entry; absent for a migrated record of the akimats' queues. */
  applicationId?: string;
  ground: RemovalGround;
  evidence: RemovalEvidence;
  /** `officer:<id>` or `system:reverification`. */
  openedBy: string;
  openedAt: string;
  /** The calendar and interpretations in force when the case opened, pinned for its life. */
  reference: ReferenceSnapshot;
}

/** One running removal case per entry; the re-verification relies on this to open none twice. */
export const removalWorkflowId = (entryId: string): string => `removal-${entryId}`;

/** APPC art. 73: the person concerned states their position before the hearing (the API checked who they are). */
export interface RemovalPositionInput {
  /** `applicant:<IIN>` as the API identified the caller; the workflow keeps only that a position was stated. */
  actor: string;
  text: string;
  /** The stored signed position (signed_documents.id), when the person signed it. */
  signedDocumentId?: number;
}

/** The authorised officer's decision, signed with EDS (the API verified and stored the signature first). */
export interface RemovalDecisionInput {
  actor: string;
  outcome: RemovalOutcome;
  reasoning: string;
  /** The stored signed document (signed_documents.id), when the officer signed. */
  signedDocumentId?: number;
}

export interface RemovalActionResult {
  status: RemovalStatus;
}

export interface RemovalState {
  removalId: string;
  entryId: string;
  applicationId?: string;
  ground: RemovalGround;
  status: RemovalStatus;
  hearing: boolean;
  positionStated: boolean;
  openedAt: string;
  hearingAt?: string;
  decisionDueAt: string;
  outcome?: RemovalOutcome;
  decidedAt?: string;
  /** Whether a REMOVE took the entry out of the lists (false: it had already left, e.g. withdrawn meanwhile). */
  entryRemoved?: boolean;
}

export const removalPositionUpdate = defineUpdate<RemovalActionResult, [RemovalPositionInput]>('removalPosition');
export const removalDecisionUpdate = defineUpdate<RemovalActionResult, [RemovalDecisionInput]>('removalDecision');
export const removalStateQuery = defineQuery<RemovalState>('removalState');

/**
 * Open and overdue removal cases are found in the Temporal UI by these — the status and the next
 * due instant only, nothing personal (the workflow ID names the entry by its database id).
 * Registered with the others in workflows/contract.ts SEARCH_ATTRIBUTE_REGISTRATIONS.
 */
export const SA_REMOVAL_STATUS = defineSearchAttributeKey('RemovalStatus', SearchAttributeType.KEYWORD);
/** The hearing's time while it is scheduled, then the officer's decision due instant; none once closed. */
export const SA_REMOVAL_DUE_AT = defineSearchAttributeKey('RemovalDueAt', SearchAttributeType.DATETIME);

/** The failure type a removal workflow ends with when its entry is not (or no longer) in the queue at opening. */
export const REMOVAL_ENTRY_NOT_ACTIVE_FAILURE = 'RemovalEntryNotActive';
/** …and when the entry already has another open removal case. */
export const REMOVAL_ALREADY_OPEN_FAILURE = 'RemovalAlreadyOpen';
