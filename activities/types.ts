/**
 * Activity signatures, shared by the worker (implementations) and the workflow (proxies).
 * Every activity is idempotent: a retry after a crash or timeout changes nothing that the first
 * attempt already changed (unique keys in PostgreSQL, the SMS gateway's clientMessageId).
 */
import type { CategoryOutcome, Ground } from '../domain/application';
import type { RegistryName } from '../domain/registry-facts';
import type { PreliminaryDecision, TermCheck } from '../db/cases/decisions';
import type { CaseEventInput, CaseProgress } from '../db/cases/progress';
import type { QueuePlacement } from '../workflows/contract';

export type { CaseEventInput } from '../db/cases/progress';

export interface RegistryActivities {
  /** One gateway call: a registry's answers for up to 50 IINs, keyed by IIN. */
  fetchRegistry(registry: RegistryName, iins: string[]): Promise<Record<string, unknown>>;
}

export interface AcceptanceInput {
  applicationId: string;
  acceptedAt: string;
  decisionDueAt: string;
  at: string;
}

/** Timeline entries the workflow has not written yet, and the case's state as it now stands. */
export type CaseProgressInput = CaseProgress;

/** Who and where to notify (R16): the mobile number from the mobile citizens database, if any. */
export interface NoticeRecipient {
  phone: string | null;
}

/** R17: db/cases' preliminary decision, with whom to notify. */
export interface PreliminaryDecisionInput extends Omit<PreliminaryDecision, 'phone'> {
  recipient: NoticeRecipient;
}

export interface RegistrationInput {
  applicationId: string;
  /** Timeline entries not yet written, stored in the same transaction. */
  events: CaseEventInput[];
  decidedAt: string;
  decidedBy: string;
  basis: string;
  categories: CategoryOutcome;
  /** Grounds an officer dismissed at the hearing, kept with the decision. */
  dismissedGrounds: Ground[];
  reasoning?: string;
  recipient: NoticeRecipient;
  /** R16: within the ceiling, or why the hearing extended it. */
  termCheck: TermCheck;
}

export interface RefusalInput {
  applicationId: string;
  /** Timeline entries not yet written, stored in the same transaction. */
  events: CaseEventInput[];
  decidedAt: string;
  decidedBy: string;
  grounds: Ground[];
  categories: CategoryOutcome;
  reasoning?: string;
  recipient: NoticeRecipient;
  /** R16: within the ceiling, or why the hearing extended it. */
  termCheck: TermCheck;
}

/** A due instant passed while the case waited on staff (R13, R16). */
export interface OverdueInput {
  progress: CaseProgressInput;
  dueAt: string;
  at: string;
  waitingOn: string[];
}

export interface DeliveredNotice {
  id: string;
  kind: string;
  channel: 'CABINET' | 'SMS';
  issuedAt: string;
  status: 'DELIVERED' | 'NO_PHONE' | 'PENDING' | 'FAILED';
}

export interface CaseActivities {
  /** Records acceptance; tells whether the applicant already stands in the provider's own queue. */
  recordAcceptance(input: AcceptanceInput): Promise<{ ownQueueActive: boolean }>;
  /** Brings the case record up to the workflow: its status, flags, term, grounds and timeline. */
  recordCaseProgress(input: CaseProgressInput): Promise<void>;
  /** R17: the preliminary decision with its hearing notice, and its notices in the outbox. */
  recordPreliminaryDecision(input: PreliminaryDecisionInput): Promise<void>;
  /** The case is overdue: the record, an alert to the head, a notice in the applicant's cabinet. */
  recordOverdue(input: OverdueInput): Promise<void>;
  /** Decision, queue entry and notices in one transaction; returns the placement. */
  registerApplicant(input: RegistrationInput): Promise<QueuePlacement>;
  /** The final refusal with every ground, and its notices in the outbox. */
  finaliseRefusal(input: RefusalInput): Promise<void>;
  /** R9 after registration (issue #11 §2): newly confirmed categories give the entry their lists' places. */
  recordCategoryRecheck(input: CategoryRecheckInput): Promise<CategoryRecheckOutcome>;
  /** R16: the SMS of a notice the API wrote to the cabinet (a withdrawal), to the number on file. */
  queueSmsNotice(input: SmsNoticeInput): Promise<void>;
}

export interface SmsNoticeInput {
  applicationId: string;
  kind: string;
  dedupeKey: string;
  at: string;
  text: { kk: string; ru: string };
  phone: string | null;
}

export interface CategoryRecheckInput {
  applicationId: string;
  requestKey: string;
  at: string;
  requestedBy: string;
  outcome: { confirmed: string[]; unconfirmed: string[] };
  phone: string | null;
}

export interface CategoryRecheckOutcome {
  inQueue: boolean;
  confirmed: string[];
  newlyConfirmed: string[];
  unconfirmed: string[];
  categoryPositions: Record<string, number>;
}

export interface NoticeActivities {
  /** Delivers the case's pending notices (cabinet and SMS); never sends one twice. */
  deliverNotices(applicationId: string): Promise<DeliveredNotice[]>;
}

export type HpcActivities = RegistryActivities & CaseActivities & NoticeActivities;
