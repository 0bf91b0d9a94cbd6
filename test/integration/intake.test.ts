/**
 * Intake that does not depend on Temporal's momentary speed (issue #14): a submission is on record
 * and answered 202 whether or not Temporal takes workflow starts; the intake outbox starts the case
 * once Temporal is there (intake/starter.ts); the database alone refuses for load (503 INTAKE_BUSY
 * with Retry-After, nothing written); the queue keeps receipt order (SPEC §2, §7) whatever order the
 * cases are decided in.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { parseActor } from '../../api/identity';
import { createApplicationBody } from '../../api/schemas';
import { submissionService } from '../../api/services/submission';
import { benchPopulation, BENCH_KATO } from '../../bench/fixture';
import type { Settings } from '../../config/settings';
import { workflowIdFor } from '../../db/cases';
import { IntakeBusyError, outboxEntry } from '../../db/intake';
import { createPool } from '../../db/pool';
import { makeIin, validateIin } from '../../domain/iin';
import { attemptStart, startIntakeStarter } from '../../intake/starter';
import { parseFixture } from '../../sandbox/fixture';
import { payloadDataConverter } from '../../security/codec/data-converter';
import { startStack, testEnv, type Stack } from '../helpers/stack';

jest.setTimeout(180_000);

/** Clean R7.1 applicants in Karaganda (bench/fixture.ts), with IINs of this file alone. */
function privatePopulation(n: number) {
  const { fixture, persons } = benchPopulation(n, `intake-test-${randomUUID().slice(0, 8)}`);
  let text = JSON.stringify(fixture);
  const iins = persons.map((p) => {
    const v = validateIin(p.iin);
    if (!v.valid) throw new Error('bench IIN invalid');
    let fresh: string;
    do fresh = makeIin(v.birthDate, v.sex, randomInt(10_000));
    while (fresh === p.iin || text.includes(fresh));
    text = text.split(p.iin).join(fresh);
    return fresh;
  });
  return { fixture: parseFixture(JSON.parse(text)), iins };
}

const population = privatePopulation(6);
const body = (iin: string) => ({
  applicantIin: iin,
  path: 'NO_HOUSING',
  fund: 'STATE_HOUSING',
  kato: BENCH_KATO,
  categories: [],
  contact: { mobile: '+77001234567' },
  consents: ['C1', 'C2', 'C3', 'C4'],
});

let stack: Stack;
let settings: Settings;
let app: Express;

beforeAll(async () => {
  // No starter of the stack's own: each test says when (and against which Temporal) cases start.
  stack = await startStack({ fixture: population.fixture, starter: false });
  settings = { ...stack.settings, workflowIdKey: `test-${randomUUID()}` };
  app = createApiApp({
    devIdentityHeader: true,
    pool: stack.pool,
    client: stack.client,
    settings,
    logger: pino({ level: 'silent' }),
    hardening: { rateLimitPerAddress: 100_000, rateLimitPerIin: 100_000 },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const submit = (iin: string, key: string) =>
  request(app).post('/v1/applications').set('X-HPC-Actor', `applicant:${iin}`).set('Idempotency-Key', key).send(body(iin));

async function caseOf(id: string, iin: string) {
  const res = await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', `applicant:${iin}`);
  expect(res.status).toBe(200);
  return res.body as { status: string; statusText: { name: { kk: string; ru: string } }; receivedAt: string; acceptedAt: string; decisionDueAt: string; queue?: { position: number; registrationNumber: string } };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

const decided = (id: string, iin: string) =>
  waitFor(`case ${id} decided`, async () => {
    const c = await caseOf(id, iin);
    return c.status === 'REGISTERED' || c.status === 'REFUSED' ? c : undefined;
  });

test('Temporal unreachable when the case is filed: 202 on record, RECEIVED; decided once Temporal is there', async () => {
  const iin = population.iins[0];
  const key = `test-${randomUUID()}`;
  const res = await submit(iin, key);
  expect(res.status).toBe(202);
  expect(res.body.status).toBe('RECEIVED');
  const id = res.body.applicationId as string;
  // The same key again: the same answer, the same place in the queue.
  const again = await submit(iin, key);
  expect(again.status).toBe(202);
  expect(again.body).toEqual(res.body);

  // The status API: received and queued for checking; the term already runs from acceptedAt (SPEC §2).
  const received = await caseOf(id, iin);
  expect(received.status).toBe('RECEIVED');
  expect(received.statusText.name.kk).toMatch(/тексеруге кезекте/);
  expect(received.statusText.name.ru).toMatch(/ждёт проверки/);
  expect(received.receivedAt).toBe(res.body.receivedAt);
  expect(received.acceptedAt).toBe(res.body.acceptedAt);
  expect(received.decisionDueAt).toBe(res.body.decisionDueAt);

  // A starter whose Temporal is away (a closed port): it tries, fails, backs off; the case stays on record.
  const away = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
  const awayStarter = startIntakeStarter({
    pool: stack.pool,
    client: new Client({ connection: away, dataConverter: payloadDataConverter(stack.payloadCodec) }),
    taskQueue: stack.settings.taskQueue,
    pollMs: 50,
    baseBackoffMs: 100,
    maxBackoffMs: 200,
  });
  const failed = await waitFor('a failed start attempt', async () => {
    const e = await outboxEntry(stack.pool, id);
    return e && e.attempts >= 1 ? e : undefined;
  });
  await awayStarter.stop();
  await away.close().catch(() => undefined);
  expect(failed.started_at).toBeNull();
  expect(failed.last_error).toEqual(expect.any(String));
  expect(failed.last_error).not.toContain(iin);
  expect((await caseOf(id, iin)).status).toBe('RECEIVED');

  // Temporal is there: the outbox starts the case, once, and it is decided.
  const starter = startIntakeStarter({ pool: stack.pool, client: stack.client, taskQueue: stack.settings.taskQueue, pollMs: 50 });
  try {
    const done = await decided(id, iin);
    expect(done.status).toBe('REGISTERED');
    expect(done.receivedAt).toBe(res.body.receivedAt);
    const entry = await outboxEntry(stack.pool, id);
    expect(entry?.started_at).not.toBeNull();
    const repeat = await submit(iin, key);
    expect(repeat.status).toBe(200);
    expect(repeat.body.applicationId).toBe(id);
    expect(repeat.body.receivedAt).toBe(res.body.receivedAt);
  } finally {
    await starter.stop();
  }
  const runs: string[] = [];
  for await (const wf of stack.client.workflow.list({ query: `CaseApplicationId = '${id}'` })) runs.push(wf.runId);
  expect(runs).toHaveLength(1);
});

test('order is kept: two cases received in one instant and decided in reverse order stand in receipt order (SPEC §2, §7)', async () => {
  const [first, second] = [population.iins[1], population.iins[2]];
  // One instant for both (a rush): only the receipt sequence tells them apart, not their random ids.
  const instant = Date.now();
  const service = submissionService({ pool: stack.pool, settings, now: () => instant });
  const file = async (iin: string) => {
    const { signature: _s, ...b } = createApplicationBody.parse(body(iin));
    return service.submit({ actor: parseActor(`applicant:${iin}`)!, idempotencyKey: `test-${randomUUID()}`, body: b });
  };
  const a = await file(first);
  const b = await file(second);
  expect(a.row.received_at.getTime()).toBe(b.row.received_at.getTime());

  // The second is started and decided first, then the first.
  const opts = { pool: stack.pool, client: stack.client, taskQueue: stack.settings.taskQueue };
  expect(await attemptStart(opts, b.row.id, () => 1_000)).toBe('STARTED');
  const bDone = await decided(b.row.id, second);
  expect(await attemptStart(opts, a.row.id, () => 1_000)).toBe('STARTED');
  const aDone = await decided(a.row.id, first);
  expect(aDone.status).toBe('REGISTERED');
  expect(bDone.status).toBe('REGISTERED');

  // Registration numbers follow the decisions; positions follow receipt.
  const aNow = await caseOf(a.row.id, first);
  const bNow = await caseOf(b.row.id, second);
  expect(bNow.queue!.registrationNumber < aNow.queue!.registrationNumber).toBe(true);
  expect(aNow.queue!.position).toBeLessThan(bNow.queue!.position);
  // The published list agrees: the first received stands before the second.
  const list = await request(app).get(`/v1/queue/${BENCH_KATO}`).query({ pageSize: 100, page: Math.max(1, Math.ceil(aNow.queue!.position / 100)) });
  expect(list.status).toBe(200);
  const numbers = (list.body.entries as { registrationNumber?: string }[]).map((e) => e.registrationNumber);
  if (Math.ceil(aNow.queue!.position / 100) === Math.ceil(bNow.queue!.position / 100)) {
    expect(numbers.indexOf(aNow.queue!.registrationNumber)).toBeLessThan(numbers.indexOf(bNow.queue!.registrationNumber));
  }
});

test('admission control: the database cannot take more → 503 INTAKE_BUSY with Retry-After, kk/ru text, nothing written', async () => {
  const iin = population.iins[3];
  const pool = createPool(testEnv('HPC_TEST_DATABASE_URL'), 1);
  const held = await pool.connect(); // the pool is exhausted
  try {
    const full = createApiApp({
      devIdentityHeader: true,
      pool,
      client: stack.client,
      settings,
      logger: pino({ level: 'silent' }),
      admission: { maxWaitMs: 300, maxWaiting: 100 },
    });
    const key = `test-${randomUUID()}`;
    const res = await request(full).post('/v1/applications').set('X-HPC-Actor', `applicant:${iin}`).set('Idempotency-Key', key).send(body(iin));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.error.code).toBe('INTAKE_BUSY');
    expect(res.body.error.message.kk.length).toBeGreaterThan(0);
    expect(res.body.error.message.ru).toMatch(/не принято и не сохранено/);
    const rows = await stack.pool.query(`SELECT 1 FROM applications WHERE idempotency_key = $1`, [key]);
    expect(rows.rowCount).toBe(0);

    // Too many already waiting: refused at once, without waiting.
    const service = submissionService({ pool, settings, admission: { maxWaitMs: 60_000, maxWaiting: 0 } });
    const { signature: _s, ...b } = createApplicationBody.parse(body(iin));
    await expect(service.submit({ actor: parseActor(`applicant:${iin}`)!, idempotencyKey: `test-${randomUUID()}`, body: b })).rejects.toBeInstanceOf(IntakeBusyError);
  } finally {
    held.release();
    await pool.end();
  }
  // With room again the same person is taken.
  const ok = await submit(iin, `test-${randomUUID()}`);
  expect(ok.status).toBe(202);
});

test("another application's run still open under the person's workflow ID: the start waits (backoff) and goes through once it closes", async () => {
  const iin = population.iins[4];
  // A run of the person's ID for another application, still open (its queue has no worker).
  const other = await stack.client.workflow.start('applicationWorkflow', {
    workflowId: workflowIdFor(iin, settings.workflowIdKey),
    taskQueue: `paused-${randomUUID()}`,
    args: [{ applicationId: randomUUID() }],
    memo: { applicationId: randomUUID() },
  });
  const res = await submit(iin, `test-${randomUUID()}`);
  expect(res.status).toBe(202);
  const id = res.body.applicationId as string;
  const opts = { pool: stack.pool, client: stack.client, taskQueue: stack.settings.taskQueue };
  expect(await attemptStart(opts, id, () => 0)).toBe('DEFERRED');
  const deferred = await outboxEntry(stack.pool, id);
  expect(deferred).toMatchObject({ attempts: 1, last_error: 'OTHER_CASE_RUNNING', started_at: null });
  expect((await caseOf(id, iin)).status).toBe('RECEIVED');

  await other.terminate('test: the other application closed');
  expect(await attemptStart(opts, id, () => 0)).toBe('STARTED');
  expect((await decided(id, iin)).status).toBe('REGISTERED');
  // Started: a further attempt finds nothing to do.
  expect(await attemptStart(opts, id, () => 0)).toBe('NOT_TAKEN');
});
