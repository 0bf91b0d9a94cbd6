/**
 * One workflow per application (Rules chapter 2). It reads like the procedure:
 *
 *   accept (SPEC §2) → fetch the applicant's and the family's registry facts in parallel →
 *   evaluate (SPEC §4–5) →
 *     R7.1, no ground: register at once (term 1 working day, R13);
 *     R7.2, no ground: the operator reviews the technical report (term 3 working days, R13, A1.8.2);
 *     any ground: preliminary refusal with a hearing notice (R17, APPC art. 73), the applicant's
 *       actions until the hearing, then the final decision.
 *
 * Determinism: no I/O and no wall clock but the workflow clock; all rules are pure functions from
 * domain/. Versioning: see docs/workflow-versioning.md — every change to the order of commands goes
 * behind `patched()` (see PATCHES below) until no running case predates it.
 */
import {
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
  ApplicationFailure,
} from '@temporalio/workflow';
import type { CaseEventInput, HpcActivities, DeliveredNotice } from '../activities/types';
import type { CaseFacts, ConsentGiven, Ground } from '../domain/application';
import { acceptanceInstant, decisionTermDays, extendedDecisionDue, hearingInstant, termEnd } from '../domain/calendar';
import { evaluateEligibility, familyOf } from '../domain/eligibility';
import { emptyAnswers, REGISTRIES, type RegistryAnswers, type RegistryName } from '../domain/registry-facts';
import { almatyDate, parseInstant, toAlmatyIso } from '../domain/time';
import {
  caseStateQuery,
  CASE_DECIDED_FAILURE,
  consentWithdrawnUpdate,
  giveConsentUpdate,
  recordHearingOutcomeUpdate,
  requestRecheckUpdate,
  reviewTechnicalReportUpdate,
  statePositionUpdate,
  uploadTechnicalReportUpdate,
  type ApplicationOutcome,
  type ApplicationWorkflowInput,
  type CaseState,
  type CaseStatus,
  type ConsentWithdrawnResult,
  type HearingOutcomeInput,
  type QueuePlacement,
  type ReportReviewInput,
  type TimelineEntry,
} from './contract';
import { caseSearchAttributes, indexedAs, type CaseIndex } from './search-attributes';

/**
 * Issue #3 (2026-11): a consent withdrawn before the decision reaches the case (the consentWithdrawn
 * update). Cases that never receive it run exactly as before; the handler calls `patched()` before
 * it changes anything, so a history that took the update replays only on code that has it.
 */
export const CONSENT_WITHDRAWAL_PATCH = 'consent-withdrawn-update';

/** Patch IDs in use (docs/workflow-versioning.md), oldest first. */
export const PATCHES: readonly string[] = [CONSENT_WITHDRAWAL_PATCH];

// Registry reads are short, idempotent GETs: local activities keep them out of the server's task
// queues (one workflow task for the whole parallel fetch). A few quick retries ride out a blip;
// a longer outage comes back to the workflow, which waits visibly (WaitingOn) and tries again.
const registry = proxyLocalActivities<HpcActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '3s', maximumAttempts: 5 },
});
const quickDb = proxyLocalActivities<HpcActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '10s' },
});
// Decisions and notices are regular activities: each is visible in the history and the UI, and is
// retried by the server however long the database or the SMS gateway is away.
const decisions = proxyActivities<HpcActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

const FIRST_REGISTRY_RETRY_MS = 30_000;
const MAX_REGISTRY_RETRY_MS = 10 * 60_000;

type ReportRef = NonNullable<CaseState['technicalReport']>;
type PendingAction =
  | { kind: 'CONSENT'; actor: string; codes: ConsentGiven['code'][]; done: boolean }
  | { kind: 'REPORT'; actor: string; report: ReportRef; done: boolean }
  | { kind: 'RECHECK'; actor: string; reason?: string; done: boolean }
  | { kind: 'WITHDRAWAL'; actor: string; code: 'C1' | 'C2'; done: boolean }
  | { kind: 'POSITION'; actor: string; text: string; done: boolean };

export async function applicationWorkflow(input: ApplicationWorkflowInput): Promise<ApplicationOutcome> {
  const shift = input.clockShiftMs ?? 0;
  const now = (): number => Date.now() + shift;
  const iso = (ms: number): string => toAlmatyIso(ms);
  const declaration = { ...input.declaration, consents: [...input.declaration.consents] };
  const applicantIin = declaration.applicantIin;

  // ---- Acceptance (SPEC §2, A1.7.2) and the term (R13) ----
  const receivedAtMs = parseInstant(input.receivedAt);
  const acceptedAtMs = acceptanceInstant(receivedAtMs);
  let decisionDueAtMs = termEnd(acceptedAtMs, decisionTermDays(declaration.path));

  const state: CaseState = {
    applicationId: input.applicationId,
    status: 'CHECKING',
    path: declaration.path,
    receivedAt: iso(receivedAtMs),
    acceptedAt: iso(acceptedAtMs),
    decisionDueAt: iso(decisionDueAtMs),
    waitingOn: [],
    grounds: [],
    categories: { confirmed: [], unconfirmed: [] },
    positionStated: false,
    timeline: [],
  };
  // The timeline lives in the workflow (the query) and in case_events (the record that outlives
  // it). Entries are written with the next database activity, in its transaction (`stored`
  // marks those done; the decisions' own activities write theirs). An entry's `at` is the same
  // instant in both places, and its index is its event key.
  const stored: boolean[] = [];
  const timeline = (
    kind: string,
    actor?: string,
    detail?: Record<string, unknown>,
    at: string = iso(now()),
    storedByActivity = false,
  ): TimelineEntry => {
    const entry: TimelineEntry = { at, kind, ...(actor ? { actor } : {}), ...(detail ? { detail } : {}) };
    state.timeline.push(entry);
    stored.push(storedByActivity);
    return entry;
  };
  /** Runs a database activity with the entries not yet stored, then marks them stored. */
  async function withEvents<T>(write: (events: CaseEventInput[]) => Promise<T>): Promise<T> {
    const indexes = state.timeline.map((_, i) => i).filter((i) => !stored[i]);
    const events = indexes.map((i) => {
      const e = state.timeline[i];
      return {
        applicationId: input.applicationId,
        eventKey: `t${i}`,
        at: e.at,
        kind: e.kind,
        ...(e.actor ? { actor: e.actor } : {}),
        ...(e.detail ? { data: e.detail } : {}),
      };
    });
    const result = await write(events);
    for (const i of indexes) stored[i] = true;
    return result;
  }

  const index = (): CaseIndex => ({
    status: state.status,
    path: state.path,
    decisionDueAtMs,
    waitingOn: state.waitingOn,
    kato: declaration.kato,
  });
  const publish = (): void => {
    if (input.publishSearchAttributes === false) return;
    upsertSearchAttributes(caseSearchAttributes(index()));
  };
  // Consent withdrawals that reach a case waiting for a report, a review or an officer are acted on
  // by the procedure itself; their update handlers wait until the case has settled in its new
  // status (counted, so several withdrawals in a row are each answered).
  let withdrawalsReceived = 0;
  let withdrawalsApplied = 0;
  let ackOnSettle: number | undefined;
  const withdrawalWaiting = (): boolean => withdrawalsReceived > withdrawalsApplied;
  const setStatus = (status: CaseStatus, waitingOn: string[] = []): void => {
    state.status = status;
    state.waitingOn = waitingOn;
    if (ackOnSettle !== undefined) {
      withdrawalsApplied = ackOnSettle;
      ackOnSettle = undefined;
    }
    publish();
  };
  /** A status the case will rest in for a while: the case record follows (status, term, timeline). */
  async function settle(status: CaseStatus, waitingOn: string[]): Promise<void> {
    setStatus(status, waitingOn);
    await withEvents((events) =>
      quickDb.recordCaseProgress({ applicationId: input.applicationId, events, caseStatus: status, decisionDueAt: iso(decisionDueAtMs) }),
    );
  }

  // ---- Messages: queries and validated updates ----
  const pending: PendingAction[] = [];
  let report: CaseState['technicalReport'];
  let review: ReportReviewInput | undefined;
  let hearingOutcome: HearingOutcomeInput | undefined;
  // The hearing notice is written (recordPreliminaryDecision) before the workflow takes the
  // status, and the API may already show HEARING_SCHEDULED from the database: from that moment
  // the applicant may act (R17). Validators do not run on replay, so this needs no patch.
  let hearingNoticeInFlight = false;
  const beforeHearing = (): boolean => state.status === 'HEARING_SCHEDULED' || hearingNoticeInFlight;
  const reject = (message: string): never => {
    throw ApplicationFailure.nonRetryable(message, 'InvalidCaseAction');
  };

  setHandler(caseStateQuery, () => state);

  // R17: until the hearing the applicant may state a position, give a missing consent or ask
  // for a re-check. Each handler returns once the workflow has acted on it.
  const enqueue = async (action: PendingAction): Promise<{ status: CaseStatus }> => {
    pending.push(action);
    await condition(() => action.done);
    return { status: state.status };
  };
  setHandler(statePositionUpdate, (a) => enqueue({ kind: 'POSITION', actor: a.actor, text: a.text, done: false }), {
    validator: (a) => {
      if (!beforeHearing()) reject('a position can be stated only before the hearing (R17)');
      if (!a.text || a.text.trim().length === 0) reject('position text is empty');
    },
  });
  setHandler(giveConsentUpdate, (a) => enqueue({ kind: 'CONSENT', actor: a.actor, codes: a.codes, done: false }), {
    validator: (a) => {
      if (!beforeHearing()) reject('a consent can be added only before the hearing (R17)');
      if (a.codes.length === 0) reject('no consent codes');
    },
  });
  setHandler(
    requestRecheckUpdate,
    (a) => enqueue({ kind: 'RECHECK', actor: a.actor, reason: a.reason, done: false }),
    {
      validator: (_a) => {
        if (!beforeHearing()) reject('a re-check can be asked for only before the hearing (R17)');
      },
    },
  );
  setHandler(
    uploadTechnicalReportUpdate,
    (a) => {
      const uploaded: ReportRef = { documentId: a.documentId, sha256: a.sha256, reportNumber: a.reportNumber, propertyId: a.propertyId };
      // R17: before the hearing the applicant may add documents; the case re-evaluates with them.
      if (beforeHearing()) return enqueue({ kind: 'REPORT', actor: a.actor, report: uploaded, done: false });
      report = uploaded;
      state.technicalReport = report;
      timeline('TECHNICAL_REPORT_UPLOADED', a.actor, { sha256: a.sha256, reportNumber: a.reportNumber });
      return { status: state.status };
    },
    {
      validator: (_a) => {
        if (declaration.path !== 'EMERGENCY') reject('a technical report belongs to the emergency path (R7.2)');
        const open: CaseStatus[] = ['AWAITING_REPORT', 'CHECKING', 'WAITING_REGISTRY', 'HEARING_SCHEDULED'];
        if (!open.includes(state.status)) reject(`the case does not take a report now (status ${state.status})`);
      },
    },
  );
  setHandler(
    reviewTechnicalReportUpdate,
    (a) => {
      review = a;
      return { status: state.status };
    },
    {
      validator: (a) => {
        if (state.status !== 'AWAITING_REVIEW') reject(`no report is awaiting review (status ${state.status})`);
        if (!a.accepted && !a.reason?.trim()) reject('a rejection needs a reason (R15.6)');
      },
    },
  );
  setHandler(
    recordHearingOutcomeUpdate,
    (a) => {
      hearingOutcome = a;
      return { status: state.status };
    },
    {
      validator: (a) => {
        if (state.status !== 'AWAITING_HEARING_OUTCOME') reject(`no hearing outcome is due (status ${state.status})`);
        if (!a.reasoning?.trim()) reject('the outcome needs reasoning (R17)');
      },
    },
  );

  // R12, A2.C1–C4, A1.9.4: a consent the person withdrew (the API recorded it). Before the final
  // decision the case re-evaluates without it; after it (or while it is being written) the update
  // is refused with CASE_DECIDED_FAILURE: a withdrawal does not undo a decision.
  let decisionInFlight = false;
  /** Codes withdrawn while the procedure waits (report, review, officer), for its timeline entry. */
  const pendingWithdrawalCodes: ('C1' | 'C2')[] = [];
  const decided = (): boolean => decisionInFlight || state.status === 'REGISTERED' || state.status === 'REFUSED';
  const withdrawalResult = (effect: ConsentWithdrawnResult['effect']): ConsentWithdrawnResult => ({
    status: state.status,
    effect,
    grounds: [...new Set(state.grounds.map((g) => g.id))],
    ...(state.hearingAt ? { hearingAt: state.hearingAt } : {}),
  });
  setHandler(
    consentWithdrawnUpdate,
    async (w) => {
      // The first command this update can add: histories that took it replay only on code that has it.
      patched(CONSENT_WITHDRAWAL_PATCH);
      const at = declaration.consents.findIndex((c) => c.code === w.code);
      // Already withdrawn (a retried request) or never given: nothing to re-evaluate.
      if (at < 0) return withdrawalResult('NOT_IN_FORCE');
      declaration.consents.splice(at, 1);
      if (beforeHearing()) {
        await enqueue({ kind: 'WITHDRAWAL', actor: w.by, code: w.code, done: false });
        return withdrawalResult('REEVALUATED');
      }
      if (state.status === 'CHECKING' || state.status === 'WAITING_REGISTRY') {
        // The check under way evaluates the declaration as it stands when the facts are in.
        timeline('CONSENT_WITHDRAWAL_APPLIED', 'system', { code: w.code, appliesAtCheck: true });
        return withdrawalResult('APPLIES_AT_CHECK');
      }
      // Waiting for a report, a review or an officer: the procedure wakes and re-evaluates.
      withdrawalsReceived += 1;
      const mine = withdrawalsReceived;
      pendingWithdrawalCodes.push(w.code);
      await condition(() => withdrawalsApplied >= mine || state.status === 'REGISTERED' || state.status === 'REFUSED');
      return withdrawalResult('REEVALUATED');
    },
    {
      validator: (w) => {
        if (decided()) {
          throw ApplicationFailure.nonRetryable(
            'the case is decided: a withdrawal does not change the decision (it stops further use of the data)',
            CASE_DECIDED_FAILURE,
          );
        }
        if (w.code !== 'C1' && w.code !== 'C2') reject('only consents C1 and C2 bear on the decision (A1.9.4)');
        if (typeof w.by !== 'string' || !/^[a-z-]+:\S+$/.test(w.by)) reject('`by` must be role:id');
        try {
          parseInstant(w.at);
        } catch {
          reject('`at` must be an ISO 8601 instant with an offset');
        }
      },
    },
  );

  // ---- Registry facts (SPEC §10) ----
  /** One registry, retried while it is down; the case shows it is waiting on it. */
  async function fetchWaiting(name: RegistryName, iins: string[]): Promise<Record<string, unknown>> {
    let retryMs = FIRST_REGISTRY_RETRY_MS;
    for (;;) {
      try {
        const answers = await registry.fetchRegistry(name, iins);
        if (state.waitingOn.includes(`registry:${name}`)) {
          state.waitingOn = state.waitingOn.filter((w) => w !== `registry:${name}`);
          if (state.waitingOn.length === 0 && state.status === 'WAITING_REGISTRY') state.status = 'CHECKING';
          timeline('REGISTRY_AVAILABLE', 'system', { registry: name });
          publish();
        }
        return answers;
      } catch (err) {
        if (!state.waitingOn.includes(`registry:${name}`)) {
          state.waitingOn = [...state.waitingOn, `registry:${name}`];
          state.status = 'WAITING_REGISTRY';
          timeline('WAITING_ON_REGISTRY', 'system', { registry: name });
          log.warn('registry unavailable, case waiting', { registry: name });
          await settle('WAITING_REGISTRY', state.waitingOn);
        }
        await sleep(retryMs);
        retryMs = Math.min(retryMs * 2, MAX_REGISTRY_RETRY_MS);
      }
    }
  }

  const answersByIin = new Map<string, RegistryAnswers>();
  const answersOf = (iin: string): RegistryAnswers => {
    let a = answersByIin.get(iin);
    if (!a) {
      a = emptyAnswers();
      answersByIin.set(iin, a);
    }
    return a;
  };
  async function fetchInto(plan: Map<RegistryName, string[]>): Promise<void> {
    await Promise.all(
      [...plan.entries()]
        .filter(([, iins]) => iins.length > 0)
        .map(async ([name, iins]) => {
          const answers = await fetchWaiting(name, iins);
          for (const iin of iins) {
            // The registry answers are typed by REGISTRIES; the sandbox guarantees each shape.
            (answersOf(iin) as unknown as Record<string, unknown>)[name] = answers[iin] ?? emptyAnswers()[name];
          }
        }),
    );
  }

  let familyIins: string[] = [];
  async function gatherFacts(): Promise<CaseFacts> {
    answersByIin.clear();
    const rep = declaration.representativeIin;
    // Stage 1: who the applicant is and who their family is (civil registry).
    await fetchInto(
      new Map<RegistryName, string[]>([
        ['persons', rep ? [applicantIin, rep] : [applicantIin]],
        ['civil', [applicantIin]],
      ]),
    );
    familyIins = familyOf(answersOf(applicantIin), almatyDate(acceptedAtMs)).map((m) => m.iin);
    const household = [applicantIin, ...familyIins];
    // Stage 2: every other registry for the whole family at once, in parallel.
    const plan = new Map<RegistryName, string[]>();
    for (const name of REGISTRIES) {
      if (name === 'persons' || name === 'civil') plan.set(name, familyIins);
      else if (name === 'representation' || name === 'mobile') plan.set(name, rep ? [applicantIin, rep] : [applicantIin]);
      else plan.set(name, household);
    }
    await fetchInto(plan);
    const family: Record<string, RegistryAnswers> = {};
    for (const iin of familyIins) family[iin] = answersOf(iin);
    return {
      applicant: answersOf(applicantIin),
      familyIins,
      family,
      ...(rep ? { representative: answersOf(rep) } : {}),
    };
  }

  // ---- Evaluation (SPEC §4–5) ----
  let facts: CaseFacts;
  let ownQueueActive = false;
  let reportRejection: { reason: string } | undefined;
  const evaluate = (): void => {
    const result = evaluateEligibility({
      declaration,
      facts,
      acceptedAt: iso(acceptedAtMs),
      ownQueueActive,
      ...(report ? { technicalReport: { reportNumber: report.reportNumber, propertyId: report.propertyId } } : {}),
      ...(reportRejection ? { reportRejected: reportRejection } : {}),
    });
    state.grounds = result.grounds;
    state.categories = result.categories;
  };
  const recipient = (): { phone: string | null } => {
    // R16: the mobile number linked in the mobile citizens database; a representative's number for
    // a principal who acts through one (e.g. a minor) — but only a representative whose authority
    // the registry confirmed: an unconfirmed one (R15.6) must not receive the principal's notices.
    const repConfirmed = declaration.representativeIin && !state.grounds.some((g) => g.subject === 'REPRESENTATIVE');
    const rep = repConfirmed ? answersOf(declaration.representativeIin!).mobile : null;
    return { phone: rep?.phone ?? facts.applicant.mobile?.phone ?? null };
  };

  // ---- Decisions ----
  let notices: DeliveredNotice[] = [];
  const outcomeOf = (
    outcome: ApplicationOutcome['outcome'],
    ids: Ground['id'][],
    decidedAt: string,
    queue?: QueuePlacement,
  ): ApplicationOutcome => ({
    outcome,
    grounds: [...new Set(ids)],
    acceptedAt: state.acceptedAt,
    decisionDueAt: state.decisionDueAt,
    ...(state.preliminaryDecisionAt ? { preliminaryDecisionAt: state.preliminaryDecisionAt, hearingAt: state.hearingAt } : {}),
    decidedAt,
    categories: state.categories,
    ...(queue ? { queue } : {}),
    notices: [],
  });
  async function deliver(): Promise<void> {
    notices = await decisions.deliverNotices(input.applicationId);
  }
  async function register(by: string, dismissed: Ground[], reasoning?: string): Promise<ApplicationOutcome> {
    decisionInFlight = true;
    const decidedAt = iso(now());
    const placement: QueuePlacement = await withEvents((events) => decisions.registerApplicant({
      applicationId: input.applicationId,
      events,
      decidedAt,
      decidedBy: by,
      basis: declaration.path === 'NO_HOUSING' ? 'R7.1' : 'R7.2',
      categories: state.categories,
      dismissedGrounds: dismissed,
      ...(reasoning ? { reasoning } : {}),
      recipient: recipient(),
    }));
    state.queue = placement;
    state.decision = { outcome: 'REGISTERED', at: decidedAt, by, grounds: [] };
    // registerApplicant wrote this entry itself (event key "decision").
    timeline('REGISTERED', by, { registrationNumber: placement.registrationNumber, position: placement.position }, decidedAt, true);
    setStatus('REGISTERED');
    await deliver();
    return outcomeOf('REGISTERED', [], decidedAt, placement);
  }
  async function refuse(by: string, reasoning?: string): Promise<ApplicationOutcome> {
    decisionInFlight = true;
    const decidedAt = iso(now());
    await withEvents((events) => decisions.finaliseRefusal({
      applicationId: input.applicationId,
      events,
      decidedAt,
      decidedBy: by,
      grounds: state.grounds,
      categories: state.categories,
      ...(reasoning ? { reasoning } : {}),
      recipient: recipient(),
    }));
    const ids = state.grounds.map((g) => g.id);
    state.decision = { outcome: 'REFUSED', at: decidedAt, by, grounds: ids };
    timeline('REFUSED', by, { grounds: ids }, decidedAt, true); // finaliseRefusal wrote it ("decision")
    setStatus('REFUSED');
    await deliver();
    return outcomeOf('REFUSED', ids, decidedAt);
  }

  /** R17 (APPC art. 73): preliminary decision, hearing notice, the applicant's actions, final decision. */
  async function hearing(): Promise<ApplicationOutcome> {
    const noticeAtMs = now();
    const hearingAtMs = hearingInstant(noticeAtMs);
    // The term is extended so the final decision follows the hearing (SPEC §7 Interpretation).
    decisionDueAtMs = Math.max(decisionDueAtMs, extendedDecisionDue(noticeAtMs));
    state.preliminaryDecisionAt = iso(noticeAtMs);
    state.hearingAt = iso(hearingAtMs);
    state.decisionDueAt = iso(decisionDueAtMs);
    hearingNoticeInFlight = true;
    await withEvents((events) => decisions.recordPreliminaryDecision({
      applicationId: input.applicationId,
      events,
      seq: 1,
      noticeAt: iso(noticeAtMs),
      hearingAt: iso(hearingAtMs),
      decisionDueAt: iso(decisionDueAtMs),
      grounds: state.grounds,
      recipient: recipient(),
    }));
    timeline(
      'PRELIMINARY_REFUSAL',
      'system',
      {
        grounds: state.grounds.map((g) => g.id),
        hearingAt: state.hearingAt,
        termExtendedTo: state.decisionDueAt,
        termExtensionReason: 'R17: hearing before a refusal (APPC art. 73)',
      },
      state.preliminaryDecisionAt,
      true, // recordPreliminaryDecision wrote it ("preliminary-1")
    );
    setStatus('HEARING_SCHEDULED', ['applicant']);
    hearingNoticeInFlight = false;
    await deliver();
    return hearingPeriod(hearingAtMs);
  }

  /** R17: the applicant's actions until the hearing, then the hearing and the final decision. */
  async function hearingPeriod(hearingAtMs: number): Promise<ApplicationOutcome> {
    while (now() < hearingAtMs) {
      const acted = await condition(() => pending.some((p) => !p.done), hearingAtMs - now());
      if (!acted) break;
      const action = pending.find((p) => !p.done)!;
      if (action.kind === 'POSITION') {
        state.positionStated = true;
        timeline('POSITION_STATED', action.actor);
      } else if (action.kind === 'REPORT') {
        // A corrected report replaces the one the grounds rest on; a rejection was of the old one.
        if (report?.sha256 !== action.report.sha256) {
          reportAccepted = false;
          reportRejection = undefined;
        }
        report = action.report;
        state.technicalReport = report;
        timeline('TECHNICAL_REPORT_UPLOADED', action.actor, { sha256: report.sha256, reportNumber: report.reportNumber });
        evaluate();
      } else if (action.kind === 'CONSENT') {
        for (const code of action.codes) {
          if (!declaration.consents.some((c) => c.code === code)) declaration.consents.push({ code, givenAt: iso(now()) });
        }
        timeline('CONSENT_GIVEN', action.actor, { codes: action.codes });
        evaluate();
      } else if (action.kind === 'WITHDRAWAL') {
        // A1.9.4: the consent left the declaration in the handler; the ground joins the others.
        evaluate();
        timeline('CONSENT_WITHDRAWAL_APPLIED', 'system', { code: action.code, grounds: state.grounds.map((g) => g.id) });
      } else {
        timeline('RECHECK_REQUESTED', action.actor);
        facts = await gatherFacts();
        evaluate();
        timeline('RECHECKED', 'system', { grounds: state.grounds.map((g) => g.id) });
      }
      if (state.grounds.length > 0) await settle('HEARING_SCHEDULED', ['applicant']);
      if (state.grounds.length === 0) {
        // R17: a re-check (or a consent, or a corrected document) that clears every ground
        // registers the person — on the emergency path after the operator has reviewed the report.
        action.done = true;
        return cleared();
      }
      action.done = true;
    }

    // An action that arrived as the hearing began is answered with the state it finds — except
    // that a consent withdrawn by then is a ground of the decision taken at the hearing.
    if (pending.some((p) => !p.done && p.kind === 'WITHDRAWAL')) evaluate();
    for (const p of pending) p.done = true;

    if (!state.positionStated) {
      // R17: no position by the hearing: the refusal is finalised.
      timeline('HEARING_HELD', 'system', { positionStated: false });
      return refuse('system', 'R17: no position stated by the hearing');
    }
    timeline('HEARING_HELD', 'system', { positionStated: true });
    await settle('AWAITING_HEARING_OUTCOME', ['hearing-officer']);
    return officerDecides();
  }

  /** R17: the hearing is held and the applicant stated a position: the authorised officer decides. */
  async function officerDecides(): Promise<ApplicationOutcome> {
    for (;;) {
      await condition(() => hearingOutcome !== undefined || withdrawalWaiting());
      if (!withdrawalWaiting()) break;
      // A consent withdrawn while the officer considers the case: its ground is before them too.
      reevaluateAfterWithdrawal();
      await settle('AWAITING_HEARING_OUTCOME', ['hearing-officer']);
    }
    const outcome = hearingOutcome!;
    timeline('HEARING_OUTCOME', outcome.actor, { outcome: outcome.outcome, reasoning: outcome.reasoning });
    if (outcome.outcome === 'REGISTER') return register(outcome.actor, state.grounds, outcome.reasoning);
    return refuse(outcome.actor, outcome.reasoning);
  }

  /**
   * No ground stands. R7.1 registers at once; R7.2 first needs the expert's technical report and
   * the operator's review of it (R13, A1.8.2). A rejected report is a ground (R15.6): before a
   * hearing it leads to one; after a hearing (the applicant already had it) the refusal is final.
   */
  let reportAccepted = false;
  async function cleared(): Promise<ApplicationOutcome> {
    if (declaration.path === 'NO_HOUSING' || reportAccepted) return register('system', []);
    if (!report) {
      await settle('AWAITING_REPORT', ['applicant']);
      await condition(() => report !== undefined || withdrawalWaiting());
      if (withdrawalWaiting()) return withdrawnWhileWaiting();
      evaluate(); // the report's number and dwelling must match the emergency recognition (R15.6)
      if (state.grounds.length > 0) return state.preliminaryDecisionAt ? refuse('system', 'R15.6') : hearing();
    }
    review = undefined;
    await settle('AWAITING_REVIEW', ['operator']);
    await condition(() => review !== undefined || withdrawalWaiting());
    if (withdrawalWaiting()) return withdrawnWhileWaiting();
    const r = review!;
    timeline('TECHNICAL_REPORT_REVIEWED', r.actor, { accepted: r.accepted, ...(r.reason ? { reason: r.reason } : {}) });
    if (r.accepted) {
      reportAccepted = true;
      return register(r.actor, []);
    }
    reportRejection = { reason: r.reason ?? '' };
    evaluate();
    return state.preliminaryDecisionAt ? refuse(r.actor, r.reason) : hearing();
  }

  /** Re-evaluates without the withdrawn consents; the waiting handlers answer once the case settles. */
  function reevaluateAfterWithdrawal(): void {
    ackOnSettle = withdrawalsReceived;
    const codes = pendingWithdrawalCodes.splice(0);
    evaluate();
    timeline('CONSENT_WITHDRAWAL_APPLIED', 'system', { codes, grounds: state.grounds.map((g) => g.id) });
  }

  /**
   * A1.9.4 while the case waits for a report or the operator's review, before any decision:
   * no preliminary decision yet → one now, with the hearing notice (R17). One was issued before
   * and its grounds were cleared → the same hearing, if it is still ahead (the consent may be
   * given again until then); past it, the person has been heard and the officer decides.
   */
  async function withdrawnWhileWaiting(): Promise<ApplicationOutcome> {
    reevaluateAfterWithdrawal();
    if (state.grounds.length === 0) {
      setStatus(state.status); // nothing to act on (cannot happen without C1/C2): answer the handlers
      return cleared();
    }
    if (!state.preliminaryDecisionAt) return hearing();
    const hearingAtMs = parseInstant(state.hearingAt!);
    if (now() < hearingAtMs) {
      await settle('HEARING_SCHEDULED', ['applicant']);
      return hearingPeriod(hearingAtMs);
    }
    await settle('AWAITING_HEARING_OUTCOME', ['hearing-officer']);
    return officerDecides();
  }

  // ---- The procedure ----
  // The API starts a case with its first search attributes (workflows/search-attributes.ts), which
  // saves an upsert and a visibility write per case; a run started without them (another tool, or
  // an older API) publishes them here. Decided by the start event, so both kinds of history replay.
  if (!indexedAs(workflowInfo().typedSearchAttributes, index())) publish();
  const acceptanceNotedAt = iso(now());
  ({ ownQueueActive } = await quickDb.recordAcceptance({
    applicationId: input.applicationId,
    acceptedAt: state.acceptedAt,
    decisionDueAt: state.decisionDueAt,
    at: acceptanceNotedAt,
  }));
  // recordAcceptance wrote this entry (event key "accepted").
  timeline('ACCEPTED', 'system', { acceptedAt: state.acceptedAt, decisionDueAt: state.decisionDueAt }, acceptanceNotedAt, true);

  facts = await gatherFacts();
  evaluate();
  timeline('CHECKED', 'system', { grounds: state.grounds.map((g) => g.id) });

  // Any ground: the hearing (R17). None: R7.1 registers at once, R7.2 goes to the operator.
  const result = state.grounds.length > 0 ? await hearing() : await cleared();

  // Let update handlers that are still answering finish before the workflow closes.
  await condition(allHandlersFinished);
  return { ...result, notices: notices.map((n) => ({ channel: n.channel, kind: n.kind, at: n.issuedAt, status: n.status })) };
}
