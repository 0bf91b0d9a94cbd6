/**
 * The complaint workflow (R18, R19; SPEC §8) on the time-skipping server with real PostgreSQL and
 * the real activities: registration by the acceptance rule; the head's window of 3 working days
 * from receipt (satisfied fully: acts on the case, not forwarded); forwarding with the signed case
 * file when that term ends; the review body's decision acting on the case — the person registered
 * keeps the queue order of the original receivedAt; its term passing flags the complaint OVERDUE.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient, type Pool } from 'pg';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import * as cases from '../../db/cases';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { complaintTerms } from '../../domain/complaints/terms';
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import { toAlmatyIso } from '../../domain/time';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { recordRun } from '../helpers/record-history';
import { canonicalDocument, checkCmsSignature } from '../../security/pki/cms';
import { registerSearchAttributes } from '../../simulation/harness';
import {
  COMPLAINT_WORKFLOW_TYPE,
  providerDecisionUpdate,
  reviewBodyDecisionUpdate,
  SA_COMPLAINT_FLAGS,
  SA_COMPLAINT_STATUS,
  type ComplaintWorkflowInput,
} from '../../workflows/complaint/contract';

jest.setTimeout(300_000);

const TASK_QUEUE = 'complaints-test';
const DAY = 86_400_000;
let env: TestWorkflowEnvironment;
let pool: Pool;
let sandbox: RunningSandbox;
let worker: Worker;
let running: Promise<void>;
const database = `hpc_complaints_${process.pid}`;

function env_(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through jest (test/global-setup.mjs)`);
  return v;
}

beforeAll(async () => {
  const adminUrl = env_('HPC_TEST_DATABASE_ADMIN_URL');
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  pool = createPool(url.toString(), 5);
  await migrate(pool);
  sandbox = await startSandbox({ port: 0, fixture: { version: 'empty', description: 'SMS only', persons: [] } });
});

afterAll(async () => {
  await sandbox?.close();
  await pool?.end();
});

// A time-skipping server of its own per test: each starts at today's date (a skipped clock stays skipped).
beforeEach(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: env_('HPC_TEST_SERVER_BINARY') } } });
  await registerSearchAttributes(env);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('../../workflows'),
    activities: createActivities({ pool, gatewayUrl: sandbox.url }),
  });
  running = worker.run();
});
afterEach(async () => {
  worker?.shutdown();
  await running?.catch(() => undefined);
  await env?.teardown();
});

/** A refused case, as the application workflow leaves it: decision, refusal notice with an SMS to the person's number. */
async function refusedCase(): Promise<{ id: string; receivedAt: Date }> {
  const id = randomUUID();
  const receivedAt = new Date((await env.currentTimeMs()) - 30 * DAY);
  const iin = `9001015${String(Math.floor(Math.random() * 90000) + 10000)}`;
  await cases.insertApplication(pool, {
    id,
    idempotencyKey: `k-${id}`,
    requestHash: 'x'.repeat(64),
    declaration: { applicantIin: iin, path: 'NO_HOUSING', fund: 'STATE_HOUSING', kato: '751110000', categories: [], contact: {}, consents: [] },
    submittedBy: `applicant:${iin}`,
    receivedAt: toAlmatyIso(receivedAt.getTime()),
    acceptedAt: toAlmatyIso(receivedAt.getTime()),
    decisionDueAt: toAlmatyIso(receivedAt.getTime() + DAY),
    workflowId: `application-${id}`,
    reference: currentReferenceSnapshot(),
  });
  await cases.recordRefusal(pool, {
    applicationId: id,
    events: [],
    decidedAt: toAlmatyIso(receivedAt.getTime() + 3_600_000),
    decidedBy: 'officer:HO-0001',
    grounds: [{ id: 'R15.2', subject: 'APPLICANT', registry: 'realEstate', reason: { kk: 'k', ru: 'r', en: 'e' } }] as never,
    categories: { confirmed: [], unconfirmed: [] },
    phone: '+77010000001',
    matchesSignedForm: () => false,
    termCheck: { ceilingAt: toAlmatyIso(receivedAt.getTime() + DAY), met: true },
  });
  return { id, receivedAt };
}

async function fileComplaint(applicationId: string) {
  const complaintId = randomUUID();
  const now = await env.currentTimeMs();
  const reference = currentReferenceSnapshot();
  const t = complaintTerms(reference, now);
  const referenceSnapshotId = await cases.storeReferenceSnapshot(pool, reference);
  const { insertComplaint } = await import('../../db/complaints');
  await insertComplaint(pool, {
    id: complaintId,
    applicationId,
    filedBy: 'applicant:x',
    idempotencyKey: `c-${complaintId}`,
    requestHash: 'y'.repeat(64),
    subject: 'DECISION',
    body: 'The refusal ignored that the share was sold in 2019.',
    signedDocumentId: null,
    workflowId: `complaint-${complaintId}`,
    referenceSnapshotId,
    receivedAt: toAlmatyIso(t.receivedAtMs),
    registeredAt: toAlmatyIso(t.registeredAtMs),
    providerDecisionDueAt: toAlmatyIso(t.providerDecisionDueAtMs),
    forwardDueAt: toAlmatyIso(t.forwardDueAtMs),
  });
  const input: ComplaintWorkflowInput = { complaintId, applicationId, subject: 'DECISION', receivedAt: toAlmatyIso(now), reference, filedBy: 'applicant:x' };
  const handle = await env.client.workflow.start(COMPLAINT_WORKFLOW_TYPE, { workflowId: `complaint-${complaintId}`, taskQueue: TASK_QUEUE, args: [input] });
  // Registered by the acceptance rule (out of hours: 09:00 of the next working day): let the clock get there.
  await env.sleep(Math.max(0, t.registeredAtMs - (await env.currentTimeMs())) + 1_000);
  return { complaintId, handle, terms: t };
}

async function complaintRow(id: string) {
  const { findComplaint } = await import('../../db/complaints');
  return (await findComplaint(pool, id))!;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('R19: the head does not act within 3 working days of receipt → forwarded with the signed case file; the review body satisfies it and the person is registered in the place of the original receivedAt', async () => {
  const { id, receivedAt } = await refusedCase();
  const { complaintId, handle, terms } = await fileComplaint(id);
  await until(() => complaintRow(complaintId), (c) => c.status === 'WITH_PROVIDER', 'registration');

  // Time passes to just after the forwarding term (18:30 on the 3rd working day after receipt).
  await env.sleep(terms.forwardDueAtMs - (await env.currentTimeMs()) + 60_000);
  const forwarded = await until(() => complaintRow(complaintId), (c) => c.status === 'FORWARDED' && c.case_file_document_id !== null, 'forwarding');
  expect(forwarded.forwarded_at!.getTime()).toBeGreaterThanOrEqual(terms.forwardDueAtMs);
  expect(forwarded.provider_outcome).toBeNull(); // forwarded by the term, not by the head
  expect(forwarded.review_body_decision_due_at!.getTime()).toBeGreaterThan(forwarded.review_body_registered_at!.getTime() + 14 * DAY);
  // The case file: one system-signed document holding the case record, its signature valid over its content.
  const files = (await cases.caseSignedDocuments(pool, id)).filter((d) => d.document_type === 'CASE_FILE');
  expect(files).toHaveLength(1);
  const bundle = JSON.parse(files[0].canonical) as { complaintId: string; decision: { outcome: string }; timeline: { kind: string }[] };
  expect(bundle.complaintId).toBe(complaintId);
  expect(bundle.decision.outcome).toBe('REFUSED');
  expect(bundle.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['REFUSED', 'COMPLAINT_REGISTERED']));
  expect((await checkCmsSignature(files[0].cms, canonicalDocument(JSON.parse(files[0].canonical)))).ok).toBe(true);
  expect((await handle.describe()).typedSearchAttributes.get(SA_COMPLAINT_STATUS)).toBe('FORWARDED');

  // The head can no longer satisfy it: the table and the validator say so.
  await expect(handle.executeUpdate(providerDecisionUpdate, { args: [{ actor: 'head:HD-0001', outcome: 'SATISFIED', remedy: 'REGISTER', reasons: 'late' }] })).rejects.toThrow(
    WorkflowUpdateFailedError,
  );
  // A NUL in the reasons never reaches the case record.
  await expect(handle.executeUpdate(reviewBodyDecisionUpdate, { args: [{ actor: 'complaint-review:KR-0001', outcome: 'SATISFIED', remedy: 'REGISTER', reasons: 'ok\u0000' }] })).rejects.toThrow(
    WorkflowUpdateFailedError,
  );

  const result = await handle.executeUpdate(reviewBodyDecisionUpdate, {
    args: [{ actor: 'complaint-review:KR-0001', outcome: 'SATISFIED', remedy: 'REGISTER', reasons: 'The share was sold before the lookback period (R15.2 does not apply).' }],
  });
  expect(result.status).toBe('DECIDED');
  const state = await handle.result();
  expect(state.remedy).toBe('REGISTER');
  await recordRun(handle, 'complaint-forwarded-by-term-satisfied-registered');

  const app = (await cases.findApplication(pool, id))!;
  expect(app.status).toBe('REGISTERED');
  const decision = (await cases.findDecision(pool, id))!;
  expect(decision.outcome).toBe('REGISTERED');
  const entry = await pool.query<{ received_at: Date }>(`SELECT received_at FROM queue_entries WHERE application_id = $1`, [id]);
  expect(entry.rows[0].received_at.getTime()).toBe(receivedAt.getTime()); // the original receipt's place (SPEC §8)
  const revisions = await pool.query(`SELECT replaced->>'outcome' AS outcome FROM decision_revisions WHERE application_id = $1`, [id]);
  expect(revisions.rows).toEqual([{ outcome: 'REFUSED' }]);

  const kinds = (await cases.caseEvents(pool, id)).map((e) => e.kind);
  expect(kinds).toEqual(expect.arrayContaining(['COMPLAINT_REGISTERED', 'COMPLAINT_FORWARDED', 'COMPLAINT_DECIDED', 'REGISTERED']));
  const notices = await cases.caseNotices(pool, id);
  const decided = notices.filter((n) => n.kind === 'COMPLAINT_DECIDED');
  expect(decided.map((n) => [n.channel, n.status]).sort()).toEqual([
    ['CABINET', 'DELIVERED'],
    ['SMS', 'DELIVERED'],
  ]);
  const cabinet = decided.find((n) => n.channel === 'CABINET')!.body;
  // R19: the court after this pre-trial step; A1.10.2: the contact centre.
  expect(cabinet.kk).toContain('19-тармағы');
  expect(cabinet.ru).toContain('суд');
  expect(cabinet.ru).toContain('1414');
  expect(cabinet.kk).toContain('8-800-080-7777');
  for (const kind of ['COMPLAINT_REGISTERED', 'COMPLAINT_FORWARDED']) expect(notices.some((n) => n.kind === kind && n.channel === 'SMS' && n.recipient === '+77010000001')).toBe(true);
});

test('R19: the head satisfies it fully within the term → the case acts (registered), the complaint is closed and not forwarded', async () => {
  const { id } = await refusedCase();
  const { complaintId, handle } = await fileComplaint(id);
  await until(() => complaintRow(complaintId), (c) => c.status === 'WITH_PROVIDER', 'registration');
  // Someone else than the head cannot decide it.
  await expect(handle.executeUpdate(providerDecisionUpdate, { args: [{ actor: 'officer:HO-0001', outcome: 'SATISFIED', remedy: 'REGISTER', reasons: 'x' }] })).rejects.toThrow(
    WorkflowUpdateFailedError,
  );
  const r = await handle.executeUpdate(providerDecisionUpdate, { args: [{ actor: 'head:HD-0001', outcome: 'SATISFIED', remedy: 'REGISTER', reasons: 'The refusal is cancelled.' }] });
  expect(r.status).toBe('SATISFIED_BY_PROVIDER');
  await handle.result();
  await recordRun(handle, 'complaint-satisfied-by-head');
  const c = await complaintRow(complaintId);
  expect({ status: c.status, provider: c.provider_outcome, forwarded: c.forwarded_at, closed: c.closed_at !== null }).toEqual({
    status: 'SATISFIED_BY_PROVIDER',
    provider: 'SATISFIED',
    forwarded: null,
    closed: true,
  });
  expect((await cases.findApplication(pool, id))!.status).toBe('REGISTERED');
  expect((await cases.caseSignedDocuments(pool, id)).filter((d) => d.document_type === 'CASE_FILE')).toHaveLength(0);
});

test("R18: the review body's term passes → the complaint is flagged OVERDUE and still waits for the decision; a refusal leaves the case as it was", async () => {
  const { id } = await refusedCase();
  const { complaintId, handle } = await fileComplaint(id);
  await until(() => complaintRow(complaintId), (c) => c.status === 'WITH_PROVIDER', 'registration');
  await handle.executeUpdate(providerDecisionUpdate, { args: [{ actor: 'head:HD-0001', outcome: 'FORWARD', reasons: 'The refusal stands.' }] });
  const forwarded = await until(() => complaintRow(complaintId), (c) => c.status === 'FORWARDED', 'forwarding');
  expect(forwarded.provider_outcome).toBe('FORWARD');
  await env.sleep(forwarded.review_body_decision_due_at!.getTime() - (await env.currentTimeMs()) + 60_000);
  await until(() => complaintRow(complaintId), (c) => c.flags.includes('OVERDUE'), 'the overdue flag');
  expect((await handle.describe()).typedSearchAttributes.get(SA_COMPLAINT_FLAGS)).toEqual(['OVERDUE']);
  await handle.executeUpdate(reviewBodyDecisionUpdate, { args: [{ actor: 'complaint-review:KR-0001', outcome: 'REFUSED', reasons: 'R15.2 applies.' }] });
  const done = await handle.result();
  expect(done.status).toBe('DECIDED');
  await recordRun(handle, 'complaint-review-body-overdue-refused');
  expect(done.flags).toEqual([]);
  expect((await cases.findApplication(pool, id))!.status).toBe('REFUSED');
});
