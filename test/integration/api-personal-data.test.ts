/**
 * Personal data through the API over the real stack (issue #3): consents written with the
 * submission and withdrawable with an explanation; the published list without identifiers once C3
 * is withdrawn; an audit row for every read and change, the staff purpose, the person's access log,
 * failing closed; security headers, CORS and rate limits.
 *
 * Demo persons (sandbox/fixtures/README.md), under fresh IINs of a private fixture copy as in
 * api.test.ts: S01 R7.1 → REGISTERED; S10 R15.2 → HEARING_SCHEDULED; S06 a minor and her guardian.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Pool } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { appendAudit, verifyAudit } from '../../db/audit';
import { createPool } from '../../db/pool';
import type { Fixture } from '../../sandbox/fixture';
import { privateDemo } from '../helpers/demo';
import { startStack, testEnv, type Stack } from '../helpers/stack';
import type { HardeningSettings } from '../../api/hardening';

jest.setTimeout(90_000);

// A private copy of the demo population (test/helpers/demo.ts explains why).
const demo = privateDemo(['S01', 'S10', 'S06', 'S02']);
const privateFixture: Fixture = demo.fixture;
const scenario = demo.scenario;
const bodyOf = (id: string, consents?: string[]): Record<string, unknown> => demo.bodyOf(id, consents);

const S01 = scenario('S01').declaration.applicantIin;
const S02 = scenario('S02').declaration.applicantIin;
const S10 = scenario('S10').declaration.applicantIin;
const S06_MINOR = scenario('S06').declaration.applicantIin;
const S06_GUARDIAN = scenario('S06').declaration.representativeIin!;
const OPERATOR = 'operator:OP-0001';
const OFFICER = 'officer:HO-0007';
const HIGH: Partial<HardeningSettings> = { rateLimitPerAddress: 100_000, rateLimitPerIin: 100_000 };

let stack: Stack;
let app: Express;
let workflowIdKey: string;

function appWith(over: { pool?: Pool; hardening?: Partial<HardeningSettings> } = {}): Express {
  return createApiApp({ devIdentityHeader: true,
    pool: over.pool ?? stack.pool,
    client: stack.client,
    settings: { ...stack.settings, workflowIdKey },
    logger: pino({ level: 'silent' }),
    hardening: { ...HIGH, ...over.hardening },
  });
}

beforeAll(async () => {
  stack = await startStack({ fixture: privateFixture });
  workflowIdKey = `test-${randomUUID()}`;
  app = appWith();
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

const get = (path: string, actor: string, purpose?: string): request.Test => {
  const r = request(app).get(path).set('X-HPC-Actor', actor);
  return purpose ? r.set('X-HPC-Purpose', purpose) : r;
};
const post = (path: string, actor: string, body?: object): request.Test => {
  const r = request(app).post(path).set('X-HPC-Actor', actor);
  return body ? r.send(body) : r;
};
const submit = (body: object, actor: string): request.Test =>
  request(app).post('/v1/applications').set('X-HPC-Actor', actor).set('Idempotency-Key', `test-${randomUUID()}`).send(body);

async function waitForStatus(id: string, actor: string, want: string[]): Promise<Record<string, unknown>> {
  const until = Date.now() + 20_000;
  for (;;) {
    const res = await get(`/v1/applications/${id}`, actor);
    expect(res.status).toBe(200);
    if (want.includes(res.body.status as string)) return res.body as Record<string, unknown>;
    if (Date.now() > until) throw new Error(`case ${id} stuck at ${String(res.body.status)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface AuditRowView {
  id: number;
  actor: string;
  actor_role: string;
  action: string;
  purpose: string;
  purpose_text: string | null;
  route: string;
}
async function auditRows(applicationId: string): Promise<AuditRowView[]> {
  const res = await stack.pool.query<AuditRowView>(
    'SELECT id, actor, actor_role, action, purpose, purpose_text, route FROM audit_log WHERE application_id = $1 ORDER BY id',
    [applicationId],
  );
  return res.rows;
}
const auditCount = async (applicationId: string): Promise<number> => (await auditRows(applicationId)).length;

interface ConsentDbRow {
  code: string;
  given_by: string;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
}
async function consentRows(applicationId: string): Promise<ConsentDbRow[]> {
  const res = await stack.pool.query<ConsentDbRow>(
    'SELECT code, given_by, withdrawn_at, withdrawn_by, withdrawal_reason FROM consents WHERE application_id = $1 ORDER BY id',
    [applicationId],
  );
  return res.rows;
}
const orphanConsents = async (): Promise<number> =>
  (await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM consents c WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = c.application_id)')).rows[0].n;

function expectLocalizedError(body: unknown, code: string): void {
  const e = (body as { error: { code: string; message: { kk: string; ru: string; en: string } } }).error;
  expect(e.code).toBe(code);
  expect(e.message.kk.length).toBeGreaterThan(10);
  expect(e.message.ru.length).toBeGreaterThan(10);
  expect(e.message.kk).not.toBe(e.message.ru);
}

/**
 * The real pool, except that every audit append fails: reads succeed, and an audit write inside a
 * transaction fails after the transaction's own statements (a withdrawal's) have run.
 */
function auditBrokenPool(real: Pool): Pool {
  const failing = (sql: unknown): boolean => typeof sql === 'string' && sql.includes('audit_append');
  const broken = Object.create(real) as Pool;
  const query = (sql: unknown, ...rest: unknown[]): unknown =>
    failing(sql) ? Promise.reject(new Error('audit storage unavailable')) : (real.query.bind(real) as (...a: unknown[]) => unknown)(sql, ...rest);
  broken.query = query as unknown as Pool['query']; // the overloads of query() cannot be restated here
  const connect = async (...args: unknown[]): Promise<unknown> => {
    // pool.query() checks a client out with a callback: leave that path alone.
    if (args.length > 0) return (real.connect.bind(real) as (...a: unknown[]) => unknown)(...args);
    const client = await real.connect();
    return new Proxy(client, {
      get(target, prop) {
        if (prop === 'query') {
          return (sql: unknown, ...rest: unknown[]): unknown =>
            failing(sql)
              ? Promise.reject(new Error('audit storage unavailable'))
              : (target.query.bind(target) as (...a: unknown[]) => unknown)(sql, ...rest);
        }
        const v: unknown = Reflect.get(target, prop);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  broken.connect = connect as unknown as Pool['connect']; // the overloads of connect() cannot be restated here
  return broken;
}

let s01: string;
let s10: string;
let s06: string;

describe('consents are written with the submission', () => {
  it('a submission stores one consent row per code, given by the submitter at receipt', async () => {
    const res = await submit(bodyOf('S01'), `applicant:${S01}`);
    expect(res.status).toBe(202);
    s01 = res.body.applicationId as string;
    const rows = await consentRows(s01);
    expect(rows.map((r) => [r.code, r.given_by, r.withdrawn_at])).toEqual([
      ['C1', `applicant:${S01}`, null],
      ['C2', `applicant:${S01}`, null],
      ['C3', `applicant:${S01}`, null],
      ['C4', `applicant:${S01}`, null],
    ]);
    const at = await stack.pool.query<{ same: boolean }>(
      `SELECT bool_and(c.given_at = a.received_at) AS same FROM consents c JOIN applications a ON a.id = c.application_id WHERE a.id = $1`,
      [s01],
    );
    expect(at.rows[0].same).toBe(true);
    await waitForStatus(s01, `applicant:${S01}`, ['REGISTERED']);
  });

  it('a representative gives them for the applicant (given_by names the representative)', async () => {
    const res = await submit(bodyOf('S06', ['C1', 'C2']), `representative:${S06_GUARDIAN}`);
    expect(res.status).toBe(202);
    s06 = res.body.applicationId as string;
    expect((await consentRows(s06)).map((r) => [r.code, r.given_by])).toEqual([
      ['C1', `representative:${S06_GUARDIAN}`],
      ['C2', `representative:${S06_GUARDIAN}`],
    ]);
  });

  it('a rejected submission leaves no consent (validation, authorisation, the database full)', async () => {
    const orphans = await orphanConsents();
    expect((await submit({ ...bodyOf('S02'), kato: '999999999' }, `applicant:${S02}`)).status).toBe(400);
    expect((await submit(bodyOf('S02'), `applicant:${S10}`)).status).toBe(403);
    // Issue #14: the database cannot take more (its one connection is held) → 503 INTAKE_BUSY, nothing written.
    const full = createPool(testEnv('HPC_TEST_DATABASE_URL'), 1);
    const held = await full.connect();
    try {
      const busy = createApiApp({
        devIdentityHeader: true,
        pool: full,
        client: stack.client,
        settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
        logger: pino({ level: 'silent' }),
        hardening: HIGH,
        admission: { maxWaitMs: 200, maxWaiting: 10 },
      });
      const res = await request(busy).post('/v1/applications').set('X-HPC-Actor', `applicant:${S02}`).set('Idempotency-Key', `test-${randomUUID()}`).send(bodyOf('S02'));
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('INTAKE_BUSY');
    } finally {
      held.release();
      await full.end();
    }
    const apps = await stack.pool.query('SELECT 1 FROM applications WHERE applicant_iin = $1', [S02]);
    expect(apps.rowCount).toBe(0);
    expect(await orphanConsents()).toBe(orphans);
  });

  it('Temporal down is no rejection (issue #14): the case and its consents are on record at once', async () => {
    const connection = await Connection.connect({ address: testEnv('HPC_TEST_TEMPORAL_ADDRESS') });
    const closed = new Client({ connection });
    await connection.close();
    const down = createApiApp({
      devIdentityHeader: true,
      pool: stack.pool,
      client: closed,
      settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
      logger: pino({ level: 'silent' }),
      hardening: HIGH,
    });
    const res = await request(down).post('/v1/applications').set('X-HPC-Actor', `applicant:${S02}`).set('Idempotency-Key', `test-${randomUUID()}`).send(bodyOf('S02'));
    expect(res.status).toBe(202);
    expect((await consentRows(res.body.applicationId as string)).map((r) => r.code)).toEqual(['C1', 'C2', 'C3', 'C4']);
  });
});

describe('reading and withdrawing consents', () => {
  it('GET consents: the four codes with their titles in kk/ru, state and history', async () => {
    const res = await get(`/v1/applications/${s06}/consents`, `applicant:${S06_MINOR}`);
    expect(res.status).toBe(200);
    const byCode = Object.fromEntries((res.body.consents as { code: string; status: string; title: { kk: string; ru: string } }[]).map((c) => [c.code, c]));
    expect(byCode.C1.status).toBe('GIVEN');
    expect(byCode.C3.status).toBe('NOT_GIVEN');
    expect(byCode.C1.title.kk).toMatch(/тұрғынжай/);
    expect(byCode.C1.title.ru).toMatch(/жилища/);
    expect(res.body.history).toHaveLength(2);
    expect(res.body.history[0]).toMatchObject({ code: 'C1', givenBy: `representative:${S06_GUARDIAN}`, signed: false });
  });

  it('staff read consents with a purpose and see persons by role only; without one: 400', async () => {
    expectLocalizedError((await get(`/v1/applications/${s06}/consents`, OPERATOR)).body, 'PURPOSE_REQUIRED');
    const res = await get(`/v1/applications/${s06}/consents`, OPERATOR, 'consent check before hearing');
    expect(res.status).toBe(200);
    expect(res.body.history[0].givenBy).toBe('representative');
    expect(JSON.stringify(res.body)).not.toContain(S06_GUARDIAN);
    expect(JSON.stringify(res.body)).not.toContain(S06_MINOR);
  });

  it('C1 withdrawn before the decision (S10 at the hearing stage): refusal under A1.9.4 explained; given again: in force', async () => {
    const sub = await submit(bodyOf('S10'), `applicant:${S10}`);
    expect(sub.status).toBe(202);
    s10 = sub.body.applicationId as string;
    await waitForStatus(s10, `applicant:${S10}`, ['HEARING_SCHEDULED']);

    const w = await post(`/v1/applications/${s10}/consents/C1/withdraw`, `applicant:${S10}`, { reason: 'Мен келіспеймін / Не согласен' });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ applicationId: s10, code: 'C1', effect: 'CASE_CANNOT_BE_CHECKED', providerInformed: true });
    expect(w.body.withdrawnAt).toMatch(/\+05:00$/);
    expect(w.body.explanation.ru).toMatch(/отказу/);
    expect(w.body.explanation.kk).toMatch(/бас тартуға/);
    const rows = await consentRows(s10);
    expect(rows.find((r) => r.code === 'C1')).toMatchObject({ withdrawn_by: `applicant:${S10}`, withdrawal_reason: 'Мен келіспеймін / Не согласен' });

    // The provider's staff see it on the timeline.
    const tl = await get(`/v1/applications/${s10}/timeline`, OFFICER, 'hearing preparation');
    const ev = (tl.body.entries as { kind: string; actor?: string; detail?: Record<string, unknown> }[]).find((e) => e.kind === 'CONSENT_WITHDRAWN');
    expect(ev).toMatchObject({ actor: 'applicant', detail: { code: 'C1', effect: 'CASE_CANNOT_BE_CHECKED', providerInformed: true } });

    const again = await post(`/v1/applications/${s10}/consents/C1/withdraw`, `applicant:${S10}`);
    expect(again.status).toBe(409);
    expectLocalizedError(again.body, 'CONSENT_NOT_IN_FORCE');

    const give = await post(`/v1/applications/${s10}/consents`, `applicant:${S10}`, { codes: ['C1'] });
    expect(give.status).toBe(200);
    const list = await get(`/v1/applications/${s10}/consents`, `applicant:${S10}`);
    expect(list.body.consents.find((c: { code: string }) => c.code === 'C1').status).toBe('GIVEN');
    expect((list.body.history as { code: string }[]).filter((h) => h.code === 'C1')).toHaveLength(2);
  });

  it('only the parties withdraw: staff 403, another person 404, bad code 400, nothing written', async () => {
    const before = await consentRows(s10);
    expect((await post(`/v1/applications/${s10}/consents/C2/withdraw`, OPERATOR)).status).toBe(403);
    expect((await post(`/v1/applications/${s10}/consents/C2/withdraw`, `applicant:${S01}`)).status).toBe(404);
    const bad = await post(`/v1/applications/${s10}/consents/C9/withdraw`, `applicant:${S10}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('code');
    expect((await post(`/v1/applications/${s10}/consents/C2/withdraw`, `applicant:${S10}`, { reason: '' })).status).toBe(400);
    expect(await consentRows(s10)).toEqual(before);
  });

  it('after registration: C1 → no re-check, provider told; C3 → the public list shows the position only', async () => {
    const qp = await get(`/v1/applications/${s01}/queue-position`, `applicant:${S01}`);
    expect(qp.status).toBe(200);
    const findEntry = async (): Promise<Record<string, unknown> | undefined> => {
      const list = await request(app).get(`/v1/queue/${qp.body.kato as string}`).query({ page: Math.ceil((qp.body.position as number) / 500), pageSize: 500 });
      expect(list.status).toBe(200);
      return (list.body.entries as Record<string, unknown>[]).find((e) => e.position === qp.body.position);
    };
    expect(await findEntry()).toMatchObject({ published: true, registrationNumber: qp.body.registrationNumber });

    const c1 = await post(`/v1/applications/${s01}/consents/C1/withdraw`, `applicant:${S01}`);
    expect(c1.body).toMatchObject({ effect: 'RECHECK_IMPOSSIBLE_PROVIDER_INFORMED', providerInformed: true });
    const c3 = await post(`/v1/applications/${s01}/consents/C3/withdraw`, `applicant:${S01}`);
    expect(c3.status).toBe(200);
    expect(c3.body).toMatchObject({ effect: 'NOT_PUBLISHED', providerInformed: false });
    expect(c3.body.explanation.kk).toMatch(/кезектегі орны/);
    expect(await findEntry()).toEqual({ position: qp.body.position, published: false });
    // The person still sees their own placement in full.
    const own = await get(`/v1/applications/${s01}/queue-position`, `applicant:${S01}`);
    expect(own.body.registrationNumber).toBe(qp.body.registrationNumber);
    const c4 = await post(`/v1/applications/${s01}/consents/C4/withdraw`, `applicant:${S01}`);
    expect(c4.body.effect).toBe('INFORMATIONAL');
  });
});

describe('the audit log', () => {
  it('each 2xx of a case route adds exactly one row, each refusal none', async () => {
    const cases: [() => request.Test, number][] = [
      [() => get(`/v1/applications/${s01}`, `applicant:${S01}`), 200],
      [() => get(`/v1/applications/${s01}/timeline`, `applicant:${S01}`), 200],
      [() => get(`/v1/applications/${s01}/queue-position`, `applicant:${S01}`), 200],
      [() => get(`/v1/applications/${s01}/consents`, `applicant:${S01}`), 200],
      [() => get(`/v1/applications/${s01}/access-log`, `applicant:${S01}`), 200],
      [() => get(`/v1/applications/${s01}`, OPERATOR, 'R15 recheck'), 200],
      [() => get(`/v1/applications/${s01}`, OPERATOR), 400],
      [() => get(`/v1/applications/${s01}`, `applicant:${S10}`), 404],
      [() => get(`/v1/applications/${s01}/access-log`, OPERATOR, 'curious'), 403],
      [() => post(`/v1/applications/${s01}/position`, `applicant:${S01}`, { text: 'late' }), 409],
      [() => post(`/v1/applications/${s01}/consents/C1/withdraw`, `applicant:${S01}`), 409],
    ];
    for (const [send, status] of cases) {
      const before = await auditCount(s01);
      const res = await send();
      expect(res.status).toBe(status);
      expect(await auditCount(s01)).toBe(before + (status < 300 ? 1 : 0));
    }
  });

  it('records who, role, what, why and which route — the staff purpose in their own words', async () => {
    const purpose = 'Есепті тексеру / Проверка отчёта';
    const res = await get(`/v1/applications/${s01}/timeline`, OFFICER, encodeURIComponent(purpose));
    expect(res.status).toBe(200);
    const rows = await auditRows(s01);
    expect(rows[rows.length - 1]).toMatchObject({
      actor: OFFICER,
      actor_role: 'officer',
      action: 'READ_TIMELINE',
      purpose: 'CASE_PROCESSING',
      purpose_text: purpose,
      route: 'GET /v1/applications/:id/timeline',
    });
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['SUBMIT', 'READ_CASE', 'READ_TIMELINE', 'READ_QUEUE_POSITION', 'READ_CONSENTS', 'WITHDRAW_CONSENT', 'READ_ACCESS_LOG']) {
      expect(actions).toContain(a);
    }
    const s10actions = new Set((await auditRows(s10)).map((r) => r.action));
    expect(s10actions).toContain('GIVE_CONSENT');
    const bad = await get(`/v1/applications/${s01}`, OPERATOR, 'x');
    expect(bad.status).toBe(400);
    expectLocalizedError(bad.body, 'PURPOSE_INVALID');
  });

  it('the access log: staff by role and id with their purpose, the person as "you", other persons never', async () => {
    // A row naming another person on this case (it cannot arise through the API) must not surface.
    await appendAudit(stack.pool, {
      actor: `applicant:${S10}`,
      actorRole: 'applicant',
      onBehalfOf: null,
      sessionId: null,
      applicationId: s01,
      action: 'READ_CASE',
      purpose: 'CASE_PROCESSING',
      purposeText: null,
      route: 'GET /v1/applications/:id',
    });
    const res = await get(`/v1/applications/${s01}/access-log`, `applicant:${S01}`);
    expect(res.status).toBe(200);
    const entries = res.body.entries as { at: string; role: string; staffId?: string; you: boolean; action: string; purposeText?: string }[];
    expect(entries.length).toBe(res.body.total);
    expect(entries.some((e) => e.role === 'officer' && e.staffId === 'HO-0007' && e.purposeText === 'Есепті тексеру / Проверка отчёта')).toBe(true);
    expect(entries.some((e) => e.role === 'operator' && e.staffId === 'OP-0001' && e.purposeText === 'R15 recheck')).toBe(true);
    expect(entries.filter((e) => e.role === 'applicant').every((e) => e.you)).toBe(true);
    expect(entries[0].at >= entries[entries.length - 1].at).toBe(true);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(S10);
    expect(text).not.toContain(S01);
    const total = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE application_id = $1', [s01]);
    expect(res.body.total).toBe(total.rows[0].n - 2); // the foreign row, and this very read (recorded as it is answered)

    const paged = await get(`/v1/applications/${s01}/access-log?page=2&pageSize=3`, `applicant:${S01}`);
    expect(paged.body.entries).toHaveLength(3);
    expect((await get(`/v1/applications/${s01}/access-log?pageSize=0`, `applicant:${S01}`)).status).toBe(400);
  });

  it("the representative and the minor both see the minor's case log", async () => {
    const rep = await get(`/v1/applications/${s06}/access-log`, `representative:${S06_GUARDIAN}`);
    expect(rep.status).toBe(200);
    const entries = rep.body.entries as { role: string; you: boolean; action: string }[];
    expect(entries.some((e) => e.role === 'representative' && e.you && e.action === 'SUBMIT')).toBe(true);
    const minor = await get(`/v1/applications/${s06}/access-log`, `applicant:${S06_MINOR}`);
    expect((minor.body.entries as { role: string; you: boolean }[]).some((e) => e.role === 'representative' && !e.you)).toBe(true);
  });

  it('fails closed: when the audit write fails, 500 and no data; a withdrawal is not kept', async () => {
    const failing = appWith({ pool: auditBrokenPool(stack.pool) });
    const before = await auditCount(s01);
    const read = await request(failing).get(`/v1/applications/${s01}`).set('X-HPC-Actor', `applicant:${S01}`);
    expect(read.status).toBe(500);
    expect(read.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(read.body)).not.toContain(S01);
    expect(JSON.stringify(read.body)).not.toContain(s01);
    const w = await request(failing).post(`/v1/applications/${s06}/consents/C2/withdraw`).set('X-HPC-Actor', `applicant:${S06_MINOR}`);
    expect(w.status).toBe(500);
    expect((await consentRows(s06)).find((r) => r.code === 'C2')?.withdrawn_at).toBeNull();
    expect(await auditCount(s01)).toBe(before);
  });

  it('the chain over everything this stack wrote verifies', async () => {
    const v = await verifyAudit(stack.pool);
    expect(v.valid).toBe(true);
  });
});

describe('hardening', () => {
  it('CORS: listed origins only, with the headers the portal needs', async () => {
    const portal = 'https://portal.example.kz';
    const cors = appWith({ hardening: { corsOrigins: [portal] } });
    const ok = await request(cors).get(`/v1/applications/${s01}`).set('X-HPC-Actor', `applicant:${S01}`).set('Origin', portal);
    expect(ok.headers['access-control-allow-origin']).toBe(portal);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    const evil = await request(cors).get(`/v1/applications/${s01}`).set('X-HPC-Actor', `applicant:${S01}`).set('Origin', 'https://evil.example');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await request(cors)
      .options('/v1/applications')
      .set('Origin', portal)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-hpc-actor,idempotency-key');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toMatch(/X-HPC-Actor/);
    expect(pre.headers['access-control-allow-methods']).toBe('GET,POST');
    const evilPre = await request(cors).options('/v1/applications').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(evilPre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('per IIN: the same person is limited across addresses, others are not; 429 in kk/ru with Retry-After', async () => {
    const limited = appWith({ hardening: { rateLimitPerIin: 3, trustProxy: 1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await request(limited).get(`/v1/applications/${s01}`).set('X-HPC-Actor', `applicant:${S01}`).set('X-Forwarded-For', `10.0.0.${i + 1}`);
      statuses.push(r.status);
      if (r.status === 429) {
        expectLocalizedError(r.body, 'RATE_LIMITED');
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Another person from the same address, and staff, are not held back by S01's limit.
    expect((await request(limited).get(`/v1/applications/${s10}`).set('X-HPC-Actor', `applicant:${S10}`).set('X-Forwarded-For', '10.0.0.1')).status).toBe(200);
    expect((await request(limited).get(`/v1/applications/${s01}`).set('X-HPC-Actor', OPERATOR).set('X-HPC-Purpose', 'queue check')).status).toBe(200);
  });

  it('per address: every caller from one client address, public list included; /health and loopback exempt', async () => {
    const limited = appWith({ hardening: { rateLimitPerAddress: 2, trustProxy: 1 } });
    const from = (t: request.Test, ip = '198.51.100.9'): request.Test => t.set('X-Forwarded-For', ip);
    expect((await from(request(limited).get('/v1/queue/351010000'))).status).toBe(200);
    expect((await from(request(limited).get(`/v1/applications/${s01}`).set('X-HPC-Actor', `applicant:${S01}`))).status).toBe(200);
    const third = await from(request(limited).get('/v1/queue/351010000'));
    expect(third.status).toBe(429);
    expectLocalizedError(third.body, 'RATE_LIMITED');
    expect((await from(request(limited).get('/health'))).status).toBe(200);
    expect((await from(request(limited).get('/v1/queue/351010000'), '198.51.100.10')).status).toBe(200);
    // The host itself (a local proxy not forwarding addresses, a benchmark): not limited per address.
    const direct = appWith({ hardening: { rateLimitPerAddress: 2 } });
    for (let i = 0; i < 4; i++) expect((await request(direct).get('/v1/queue/351010000')).status).toBe(200);
  });

  it('size limits: a JSON body over 64 kB is 413 on every JSON route', async () => {
    const big = { reason: 'x'.repeat(70_000) };
    const res = await post(`/v1/applications/${s10}/consents/C2/withdraw`, `applicant:${S10}`, big);
    expect(res.status).toBe(413);
    expectLocalizedError(res.body, 'PAYLOAD_TOO_LARGE');
  });
});
