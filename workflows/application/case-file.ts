/**
 * The application workflow's memory of its case: what was declared, the facts, the grounds, where
 * the procedure stands, and the timeline entries not yet written. Every step reads and changes the
 * case through this object; `nextStep` (domain/procedure) reads it to choose what comes next.
 *
 * The case record in PostgreSQL is the source of truth for everybody else (workflows/contract.ts);
 * the steps bring it up to date through their activities, which take `takeEvents()` with them.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { ApplicationDeclaration, CaseFacts, CategoryOutcome, Ground } from '../../domain/application';
import { evaluateEligibility } from '../../domain/eligibility';
import type { ProcedurePosition } from '../../domain/procedure/next-step';
import type { CaseFlag, CaseStatus, ProcedureState } from '../../domain/procedure/statuses';
import { Terms } from '../../domain/procedure/terms';
import { parseInstant, toAlmatyIso } from '../../domain/time';
import type { CaseEventInput, DeliveredNotice, NoticeRecipient } from '../../activities/types';
import type { ApplicationWorkflowInput, CaseState, HearingOutcomeInput, QueuePlacement, ReportRef } from '../contract';
import { caseSearchAttributes, type CaseIndex } from '../search-attributes';

export const iso = (ms: number): string => toAlmatyIso(ms);

export class CaseFile {
  readonly id: string;
  readonly terms: Terms;
  readonly declaration: ApplicationDeclaration;
  readonly receivedAtMs: number;
  readonly acceptedAtMs: number;
  decisionDueAtMs: number;

  status: CaseStatus = 'CHECKING';
  readonly flags = new Set<CaseFlag>();
  waitingOn: string[] = [];

  facts: CaseFacts | undefined;
  ownQueueActive = false;
  grounds: Ground[] = [];
  categories: CategoryOutcome = { confirmed: [], unconfirmed: [] };

  report: ReportRef | undefined;
  reportAcceptedBy: string | undefined;
  reportRejection: { reason: string; by: string } | undefined;
  /** R7.2: the term ended without a report (A1.8.2): the instant it ended. */
  reportMissingAtTermEnd: string | undefined;
  preliminary: { seq: number; noticeAtMs: number; hearingAtMs: number } | undefined;
  /** R17: the term the hearing extended the decision to (R16 ceiling's extension). */
  hearingExtendsTermToMs: number | undefined;
  positionStated = false;
  officerOutcome: HearingOutcomeInput | undefined;
  /** R17: the officer who signed the final refusal after a hearing without a position. */
  finalRefusalSignedBy: string | undefined;
  /** When the workflow wakes next by itself (a timer); undefined while only a person can move the case. */
  wakeAtMs: number | undefined;
  decision: CaseState['decision'];
  queue: QueuePlacement | undefined;
  failure: CaseState['failure'];
  notices: DeliveredNotice[] = [];
  /** What the record was last brought up to (workflows/application/record.ts). */
  recordedAs: string | undefined;

  private decidingAs: 'REGISTERED' | 'REFUSED' | undefined;
  private events: CaseEventInput[] = [];
  private eventSeq = 0;
  private published: string | undefined;

  constructor(readonly input: ApplicationWorkflowInput) {
    this.id = input.applicationId;
    this.terms = new Terms(input.reference);
    this.declaration = { ...input.declaration, consents: [...input.declaration.consents] };
    this.receivedAtMs = parseInstant(input.receivedAt);
    this.acceptedAtMs = parseInstant(input.acceptedAt);
    this.decisionDueAtMs = parseInstant(input.decisionDueAt);
    if (input.technicalReport) {
      // A1.8.2: the report the application itself carried.
      this.report = input.technicalReport;
      this.flags.add('REPORT_UPLOADED');
      const r = input.technicalReport;
      this.note('TECHNICAL_REPORT_UPLOADED', input.submittedBy, { version: r.version, sha256: r.sha256, reportNumber: r.reportNumber, propertyId: r.propertyId, withApplication: true });
    }
  }

  // ---- the timeline ----

  /** A timeline entry, written to case_events with the next activity that records the case. */
  note(kind: string, actor: string, detail?: Record<string, unknown>, atMs: number = Date.now()): void {
    this.events.push(this.event(kind, actor, detail, atMs));
  }

  /** A timeline entry with its key, for an activity to write now (not queued). */
  event(kind: string, actor: string, detail?: Record<string, unknown>, atMs: number = Date.now()): CaseEventInput {
    return { applicationId: this.id, eventKey: `e${++this.eventSeq}`, at: iso(atMs), kind, actor, ...(detail ? { data: detail } : {}) };
  }

  /**
   * Runs an activity that records the case with the entries not yet written; they count as written
   * only once it succeeded (a failed write keeps them for the next one).
   */
  async withEvents<T>(write: (events: CaseEventInput[]) => Promise<T>): Promise<T> {
    const events = this.events.slice();
    const result = await write(events);
    this.events.splice(0, events.length);
    return result;
  }

  /**
   * Writes a decision: while it is being written the case counts as decided for the procedure table
   * (no action is taken any more), and should the write fail it is back where it was.
   */
  async deciding<T>(outcome: 'REGISTERED' | 'REFUSED', write: (events: CaseEventInput[]) => Promise<T>): Promise<T> {
    this.decidingAs = outcome;
    try {
      return await this.withEvents(write);
    } finally {
      this.decidingAs = undefined;
    }
  }

  hasUnwrittenEvents(): boolean {
    return this.events.length > 0;
  }

  // ---- evaluation (SPEC §4–5) ----

  evaluate(): void {
    if (!this.facts) throw new Error('evaluate before the facts are in');
    const result = evaluateEligibility(
      {
        declaration: this.declaration,
        facts: this.facts,
        acceptedAt: iso(this.acceptedAtMs),
        ownQueueActive: this.ownQueueActive,
        ...(this.report ? { technicalReport: { reportNumber: this.report.reportNumber, propertyId: this.report.propertyId } } : {}),
        ...(this.reportRejection ? { reportRejected: { reason: this.reportRejection.reason } } : {}),
        ...(this.reportMissingAtTermEnd ? { reportMissingAtTermEnd: this.reportMissingAtTermEnd } : {}),
      },
      this.input.reference.interpretations,
    );
    this.grounds = result.grounds;
    this.categories = result.categories;
  }

  groundIds(): Ground['id'][] {
    return [...new Set(this.grounds.map((g) => g.id))];
  }

  /**
   * R16: the mobile number linked in the mobile citizens database; a representative's number for a
   * principal who acts through one — but only a representative whose authority the registry
   * confirmed (an unconfirmed one, R15.6, must not receive the principal's notices).
   */
  recipient(): NoticeRecipient {
    const repIin = this.declaration.representativeIin;
    const repConfirmed = repIin !== undefined && !this.grounds.some((g) => g.subject === 'REPRESENTATIVE');
    const rep = repConfirmed ? this.facts?.representative?.mobile : null;
    return { phone: rep?.phone ?? this.facts?.applicant.mobile?.phone ?? null };
  }

  // ---- where the procedure stands ----

  /** What `nextStep` (domain/procedure/next-step.ts) chooses from. */
  position(nowMs: number = Date.now()): ProcedurePosition {
    return {
      path: this.declaration.path,
      accepted: nowMs >= this.acceptedAtMs,
      groundsFound: this.grounds.length > 0,
      report: this.reportAcceptedBy ? 'ACCEPTED' : this.report ? 'UPLOADED' : 'NONE',
      hearing: !this.preliminary ? 'NONE' : nowMs < this.preliminary.hearingAtMs ? 'AHEAD' : 'HELD',
      positionStated: this.positionStated,
      ...(this.officerOutcome ? { officerOutcome: this.officerOutcome.outcome } : {}),
      finalRefusal: {
        signedBy: this.input.reference.interpretations.finalRefusalSignedBy === 'system' ? 'system' : 'officer',
        ...(this.finalRefusalSignedBy ? { signedByOfficer: this.finalRefusalSignedBy } : {}),
      },
    };
  }

  /** What the procedure table (allowedActions) reads. */
  procedureState(): ProcedureState {
    return { status: this.decidingAs ?? this.status, flags: [...this.flags], path: this.declaration.path };
  }

  // ---- the search attributes (workflows/search-attributes.ts) ----

  index(): CaseIndex {
    return {
      applicationId: this.id,
      status: this.status,
      flags: [...this.flags].sort(),
      path: this.declaration.path,
      decisionDueAtMs: this.decisionDueAtMs,
      waitingOn: this.waitingOn,
      kato: this.declaration.kato,
    };
  }

  /** Upserts the search attributes when they changed since the last upsert (or the start). */
  publish(): void {
    const key = JSON.stringify(this.index());
    if (key === this.published) return;
    this.published = key;
    upsertSearchAttributes(caseSearchAttributes(this.index()));
  }

  /** The start already indexed the case as it stands (workflows/search-attributes.ts `indexedAs`). */
  markPublished(): void {
    this.published = JSON.stringify(this.index());
  }

  view(): CaseState {
    return {
      applicationId: this.id,
      status: this.status,
      flags: [...this.flags],
      path: this.declaration.path,
      receivedAt: iso(this.receivedAtMs),
      acceptedAt: iso(this.acceptedAtMs),
      decisionDueAt: iso(this.decisionDueAtMs),
      waitingOn: this.waitingOn,
      grounds: this.grounds,
      categories: this.categories,
      ...(this.preliminary ? { preliminaryDecisionAt: iso(this.preliminary.noticeAtMs), hearingAt: iso(this.preliminary.hearingAtMs) } : {}),
      ...(this.report ? { technicalReport: this.report } : {}),
      ...(this.decision ? { decision: this.decision } : {}),
      ...(this.queue ? { queue: this.queue } : {}),
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.wakeAtMs !== undefined ? { nextWakeAt: iso(this.wakeAtMs) } : {}),
    };
  }
}
