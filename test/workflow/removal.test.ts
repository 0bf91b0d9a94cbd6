/**
 * The removal workflow (issue #11 §2; Housing Law, APPC art. 73) on the time-skipping server with
 * real PostgreSQL and the real activities (the gateway sandbox for the mobile registry and SMS):
 *   - a ground against the person: preliminary decision + notice, a position before the hearing,
 *     the hearing at R17's time, then the officer removes — the entry leaves every list with the
 *     ground as the ledger's reason code, the case is flagged LEFT_QUEUE, the person is told;
 *   - no position: at the hearing's time the case goes to the officer, who keeps the entry;
 *   - a ground without a hearing (DIED) on a migrated record (no application): straight to the
 *     officer, who removes; the notices are the removal case's own.
 * The workflow is started as the re-verification starts it (no record written beforehand).
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
import * as removals from '../../db/removals';
import { withQueueChangeReason } from '../../db/queue-ledger';
import { withTransaction } from '../../db/transaction';
import { makeIin } from '../../domain/iin';
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import { removalTerms } from '../../domain/removal/terms';
import { toAlmatyIso } from '../../domain/time';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { registerSearchAttributes } from '../../simulation/harness';
import {
  REMOVAL_WORKFLOW_TYPE,
  removalDecisionUpdate,
  removalPositionUpdate,
  removalStateQuery,
  removalWorkflowId,
  SA_REMOVAL_DUE_AT,
  SA_REMOVAL_STATUS,
  type RemovalGround,
  type RemovalWorkflowInput,
} from '../../workflows/removal/contract';
import { recordRun } from '../helpers/record-history';

jest.setTimeout(300_000);

const TASK_QUEUE = 'removals-test';
const DAY = 86_400_000;
let env: TestWorkflowEnvironment;
let pool: Pool;
let sandbox: RunningSandbox;
let worker: Worker;
let running: Promise<void>;
const database = `hpc_removals_${process.pid}`;
const PHONE = '+77010000077';
const PERSON_WITH_PHONE = makeIin('1985-05-05', 'F', 3131);

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
  sandbox = await startSandbox({ port: 0, fixture: { version: 'removal', description: 'one person with a mobile number', persons: [{ iin: PERSON_WITH_PHONE, mobile: { phone: PHONE } }] } });
});

afterAll(async () => {
  await sandbox?.close();
  await pool?.end();
});

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

let serial = 100;

/** A registered application's queue entry (as the application workflow leaves it). */
async function registeredEntry(iin = makeIin('1990-01-01', 'M', serial++)): Promise<{ entryId: string; applicationId: string; registrationNumber: string }> {
  const id = randomUUID();
  const receivedAt = (await env.currentTimeMs()) - 60 * DAY;
  await cases.insertApplication(pool, {
    id,
    idempotencyKey: `k-${id}`,
    requestHash: 'x'.repeat(64),
    declaration: { applicantIin: iin, path: 'NO_HOUSING', fund: 'STATE_HOUSING', kato: '751110000', categories: [], contact: {}, consents: [] },
    submittedBy: `applicant:${iin}`,
    receivedAt: toAlmatyIso(receivedAt),
    acceptedAt: toAlmatyIso(receivedAt),
    decisionDueAt: toAlmatyIso(receivedAt + DAY),
    workflowId: `application-${id}`,
    reference: currentReferenceSnapshot(),
  });
  const placement = await cases.recordRegistration(pool, {
    applicationId: id,
    events: [],
    decidedAt: toAlmatyIso(receivedAt + 3_600_000),
    decidedBy: 'system',
    basis: 'R7.1',
    dismissedGrounds: [],
    categories: { confirmed: [], unconfirmed: [] },
    phone: null,
    matchesSignedForm: () => false,
    termCheck: { ceilingAt: toAlmatyIso(receivedAt + DAY), met: true },
  } as never);
  const entry = (await cases.findQueueEntry(pool, { registrationNumber: placement.registrationNumber }))!;
  return { entryId: entry.id, applicationId: id, registrationNumber: placement.registrationNumber };
}

/** A migrated record of an akimat's queue: no application behind it. */
async function migratedEntry(iin: string): Promise<{ entryId: string; registrationNumber: string }> {
  const number = `751110000-M${String(serial++).padStart(8, '0')}`;
  const r = await withTransaction(pool, async (tx) => {
    await withQueueChangeReason(tx, 'MIGRATED');
    return tx.query<{ id: string }>(
      `INSERT INTO queue_entries (application_id, registration_number, applicant_iin, locality, kato, source, source_akimat, received_at, registered_at)
       VALUES (NULL, $1, $2, '751110000', '751110000', 'MIGRATED', 'akimat-test', now() - interval '3 years', now() - interval '3 years') RETURNING id::text`,
      [number, iin],
    );
  });
  return { entryId: r.rows[0].id, registrationNumber: number };
}

async function openRemoval(entry: { entryId: string; applicationId?: string }, ground: RemovalGround) {
  const removalId = randomUUID();
  const reference = currentReferenceSnapshot();
  const input: RemovalWorkflowInput = {
    removalId,
    entryId: entry.entryId,
    ...(entry.applicationId ? { applicationId: entry.applicationId } : {}),
    ground,
    evidence: ground === 'DIED' ? { registry: 'persons', facts: { deathDate: '2026-01-01' } } : { finding: 'An ownership record of 2026 in the real-estate registry.' },
    openedBy: ground === 'DIED' ? 'system:reverification' : 'officer:HO-0001',
    openedAt: toAlmatyIso(await env.currentTimeMs()),
    reference,
  };
  const handle = await env.client.workflow.start(REMOVAL_WORKFLOW_TYPE, { workflowId: removalWorkflowId(entry.entryId), taskQueue: TASK_QUEUE, args: [input] });
  return { removalId, handle, terms: removalTerms(reference, ground, Date.parse(input.openedAt)) };
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

const row = (id: string) => removals.findRemoval(pool, id);
const ledger = async (entryId: string) =>
  (await pool.query<{ kind: string; reason_code: string }>(`SELECT kind, reason_code FROM queue_events WHERE entry_id = $1 AND category = '' ORDER BY id`, [entryId])).rows;

test('HOUSING_ACQUIRED (APPC art. 73): preliminary decision and notice, a position before the hearing, the officer removes at the hearing — the entry leaves with reason HOUSING_ACQUIRED, LEFT_QUEUE, SMS to the mobile registry’s number', async () => {
  const entry = await registeredEntry(PERSON_WITH_PHONE);
  const { removalId, handle, terms } = await openRemoval(entry, 'HOUSING_ACQUIRED');
  const opened = await until(() => row(removalId), (r) => r?.status === 'HEARING_SCHEDULED' && r.notice_at !== null, 'the preliminary decision');
  expect(opened!.hearing_at!.getTime()).toBe(terms.hearing!.hearingAtMs);
  expect((await handle.describe()).typedSearchAttributes.get(SA_REMOVAL_STATUS)).toBe('HEARING_SCHEDULED');
  expect((await handle.describe()).typedSearchAttributes.get(SA_REMOVAL_DUE_AT)?.getTime()).toBe(terms.hearing!.hearingAtMs);
  const preliminary = await until(() => removals.removalNotices(pool, removalId), (n) => n.some((x) => x.channel === 'SMS' && x.status === 'DELIVERED'), 'the SMS');
  expect(preliminary.find((n) => n.channel === 'SMS')!.recipient).toBe(PHONE);
  expect(preliminary.find((n) => n.channel === 'CABINET')!.body.ru).toContain('Заслушивание');
  // The person's cabinet shows it with their case.
  expect((await cases.caseNotices(pool, entry.applicationId)).some((n) => n.kind === 'REMOVAL_PRELIMINARY' && n.channel === 'CABINET')).toBe(true);

  // The officer cannot decide before the hearing (APPC art. 73).
  await expect(handle.executeUpdate(removalDecisionUpdate, { args: [{ actor: 'officer:HO-0001', outcome: 'REMOVE', reasoning: 'early' }] })).rejects.toThrow(WorkflowUpdateFailedError);
  const stated = await handle.executeUpdate(removalPositionUpdate, { args: [{ actor: `applicant:${PERSON_WITH_PHONE}`, text: 'The flat was bought by my brother, not by me.' }] });
  expect(stated.status).toBe('HEARING_SCHEDULED');
  // Once is enough.
  await expect(handle.executeUpdate(removalPositionUpdate, { args: [{ actor: `applicant:${PERSON_WITH_PHONE}`, text: 'again' }] })).rejects.toThrow(WorkflowUpdateFailedError);
  expect((await row(removalId))!.position).toContain('brother');

  // The hearing's time: the case goes to the officer.
  await env.sleep(terms.hearing!.hearingAtMs - (await env.currentTimeMs()) + 60_000);
  await until(() => row(removalId), (r) => r?.status === 'AWAITING_DECISION', 'the hearing');
  expect((await handle.query(removalStateQuery)).status).toBe('AWAITING_DECISION');
  expect((await handle.describe()).typedSearchAttributes.get(SA_REMOVAL_DUE_AT)?.getTime()).toBe(terms.decisionDueAtMs);

  const decided = await handle.executeUpdate(removalDecisionUpdate, { args: [{ actor: 'officer:HO-0001', outcome: 'REMOVE', reasoning: 'The ownership record is the person’s own (registry, 2026).' }] });
  expect(decided.status).toBe('REMOVED');
  const state = await handle.result();
  expect(state.entryRemoved).toBe(true);
  await recordRun(handle, 'removal-hearing-position-removed');

  const r = (await row(removalId))!;
  expect({ status: r.status, outcome: r.outcome, by: r.decided_by, closed: r.closed_at !== null }).toEqual({ status: 'REMOVED', outcome: 'REMOVE', by: 'officer:HO-0001', closed: true });
  expect(await ledger(entry.entryId)).toEqual([
    { kind: 'ARRIVED', reason_code: 'REGISTERED' },
    { kind: 'LEFT', reason_code: 'HOUSING_ACQUIRED' },
  ]);
  expect(await cases.placementOf(pool, entry.applicationId)).toBeNull();
  expect((await cases.findApplication(pool, entry.applicationId))!.flags).toContain('LEFT_QUEUE');
  const kinds = (await cases.caseEvents(pool, entry.applicationId)).map((e) => e.kind);
  expect(kinds).toEqual(expect.arrayContaining(['REMOVAL_PRELIMINARY_DECISION', 'REMOVAL_POSITION_STATED', 'REMOVAL_HEARING_HELD', 'REMOVAL_REMOVED']));
  const final = await until(() => removals.removalNotices(pool, removalId), (n) => n.some((x) => x.kind === 'REMOVAL_DECIDED' && x.channel === 'SMS' && x.status === 'DELIVERED'), 'the final SMS');
  expect(final.find((n) => n.kind === 'REMOVAL_DECIDED' && n.channel === 'CABINET')!.body.kk).toContain('есебінен шығарылды');
  expect((await handle.describe()).typedSearchAttributes.get(SA_REMOVAL_DUE_AT)).toBeUndefined();
});

test('DATA_UNRELIABLE without a position: at the hearing’s time the case goes to the officer, who keeps the entry; the lists are untouched', async () => {
  const entry = await registeredEntry();
  const { removalId, handle, terms } = await openRemoval(entry, 'DATA_UNRELIABLE');
  await until(() => row(removalId), (r) => r?.status === 'HEARING_SCHEDULED', 'the preliminary decision');
  await env.sleep(terms.hearing!.hearingAtMs - (await env.currentTimeMs()) + 60_000);
  await until(() => row(removalId), (r) => r?.status === 'AWAITING_DECISION', 'the hearing');
  // After the hearing no position is taken.
  await expect(handle.executeUpdate(removalPositionUpdate, { args: [{ actor: 'applicant:x', text: 'late' }] })).rejects.toThrow(WorkflowUpdateFailedError);
  // Only an officer decides; a NUL in the reasoning never reaches the record.
  await expect(handle.executeUpdate(removalDecisionUpdate, { args: [{ actor: 'operator:OP-0001', outcome: 'REMOVE', reasoning: 'x' }] })).rejects.toThrow(WorkflowUpdateFailedError);
  await expect(handle.executeUpdate(removalDecisionUpdate, { args: [{ actor: 'officer:HO-0001', outcome: 'REMOVE', reasoning: 'bad\u0000' }] })).rejects.toThrow(WorkflowUpdateFailedError);
  const kept = await handle.executeUpdate(removalDecisionUpdate, { args: [{ actor: 'officer:HO-0001', outcome: 'KEEP', reasoning: 'The data was corrected by the registry.' }] });
  expect(kept.status).toBe('KEPT');
  const state = await handle.result();
  expect(state.status).toBe('KEPT');
  await recordRun(handle, 'removal-hearing-no-position-kept');
  expect(await ledger(entry.entryId)).toEqual([{ kind: 'ARRIVED', reason_code: 'REGISTERED' }]);
  expect(await cases.placementOf(pool, entry.applicationId)).not.toBeNull();
  expect((await cases.findApplication(pool, entry.applicationId))!.flags).not.toContain('LEFT_QUEUE');
  const notices = await removals.removalNotices(pool, removalId);
  // No number in the mobile registry: the SMS is recorded as NO_PHONE, the cabinet text stands.
  expect(notices.filter((n) => n.kind === 'REMOVAL_DECIDED').map((n) => [n.channel, n.status]).sort()).toEqual([
    ['CABINET', 'DELIVERED'],
    ['SMS', 'NO_PHONE'],
  ]);
});

test('DIED on a migrated record (no application), opened by the re-verification: no hearing, the officer signs the removal; the ledger says DIED; the notices are the removal case’s own', async () => {
  const entry = await migratedEntry(makeIin('1950-02-02', 'M', serial++));
  const { removalId, handle, terms } = await openRemoval(entry, 'DIED');
  const opened = await until(() => row(removalId), (r) => r?.status === 'AWAITING_DECISION', 'the opening');
  expect(opened!.application_id).toBeNull();
  expect(opened!.hearing_at).toBeNull();
  expect(opened!.opened_by).toBe('system:reverification');
  expect(opened!.decision_due_at.getTime()).toBe(terms.decisionDueAtMs);
  expect((await handle.describe()).typedSearchAttributes.get(SA_REMOVAL_STATUS)).toBe('AWAITING_DECISION');
  // A second case for the same entry cannot start while this one runs (the workflow ID).
  await expect(openRemoval(entry, 'DIED')).rejects.toThrow();

  const decided = await handle.executeUpdate(removalDecisionUpdate, { args: [{ actor: 'officer:HO-0002', outcome: 'REMOVE', reasoning: 'Death recorded in the persons registry.' }] });
  expect(decided.status).toBe('REMOVED');
  await handle.result();
  await recordRun(handle, 'removal-died-migrated-removed');
  expect(await ledger(entry.entryId)).toEqual([
    { kind: 'ARRIVED', reason_code: 'MIGRATED' },
    { kind: 'LEFT', reason_code: 'DIED' },
  ]);
  const e = (await cases.findQueueEntry(pool, { entryId: entry.entryId }))!;
  expect(e.status).toBe('REMOVED');
  const notices = await removals.removalNotices(pool, removalId);
  expect(notices.map((n) => n.kind)).toEqual(expect.arrayContaining(['REMOVAL_DECIDED']));
  expect(notices.some((n) => n.kind === 'REMOVAL_PRELIMINARY')).toBe(false);
});
