/**
 * The HTTP API over the real stack (sandbox + PostgreSQL + Temporal dev server + worker), with the
 * demo persons of sandbox/fixtures/README.md:
 *   S01 R7.1 clean → REGISTERED; S10 R15.2 → HEARING_SCHEDULED; S03 R7.2 → report, review → REGISTERED;
 *   S06 a minor filed for by her guardian; plus validation, identity, idempotency, error format,
 *   "nothing half-written" on rejected submissions, intake while Temporal is down (issue #14: on
 *   record and 202, decided once it is back), and a log without personal data.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { canonicalJson, sha256Hex } from '../../api/http';
import { createApplicationBody } from '../../api/schemas';
import { workflowIdFor } from '../../db/cases';
import type { Settings } from '../../config/settings';
import { toApiError } from '../../api/errors';
import { createPool } from '../../db/pool';
import { CalendarUnavailableError, calendarVersion } from '../../domain/calendar';
import { Terms } from '../../domain/procedure/terms';
import { developmentAlwaysOpenSnapshot } from '../../domain/reference-snapshot';
import { makeIin } from '../../domain/iin';
import { INTERPRETATIONS } from '../../domain/interpretations';
import { toAlmatyIso } from '../../domain/time';
import type { ApplicationWorkflowInput } from '../../workflows/contract';
import type { Fixture } from '../../sandbox/fixture';
import { privateDemo } from '../helpers/demo';
import { startStack, testEnv, type Stack } from '../helpers/stack';
import { attemptStart } from '../../intake/starter';

jest.setTimeout(90_000);

/**
 * Other integration test files share the database and the Temporal server and file for the same
 * demo persons; a person has one active application and one active queue entry. So this file gets
 * a private copy of the demo population: the IINs of the persons it files for are replaced, all
 * through the fixture (links between relatives stay consistent), by new valid IINs with the same
 * birth date and sex.
 */
const demo = privateDemo(['S01', 'S03', 'S06', 'S10', 'S12', 'S27']);
const privateFixture: Fixture = demo.fixture;
const scenario = demo.scenario;
/** The request body for a scenario, all consents given. */
const bodyOf = (id: string): Record<string, unknown> => demo.bodyOf(id);

const S01 = scenario('S01').declaration.applicantIin;
const S03 = scenario('S03').declaration.applicantIin;
const S10 = scenario('S10').declaration.applicantIin;
const S12 = scenario('S12').declaration.applicantIin;
const S27 = scenario('S27').declaration.applicantIin;
const S06_MINOR = scenario('S06').declaration.applicantIin;
const S06_GUARDIAN = scenario('S06').declaration.representativeIin!;
const OPERATOR = 'operator:OP-0001';
const OFFICER = 'officer:OF-0001';

let stack: Stack;
let settings: Settings;
let app: Express;
const logLines: string[] = [];

function newKey(): string {
  return `test-${randomUUID()}`;
}

async function submit(body: unknown, actor: string, key = newKey()): Promise<request.Response> {
  return request(app).post('/v1/applications').set('X-HPC-Actor', actor).set('Idempotency-Key', key).send(body as object);
}

async function rowsForKey(key: string): Promise<number> {
  const res = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM applications WHERE idempotency_key = $1`, [key]);
  return res.rows[0].n;
}

async function rowsForApplicant(iin: string): Promise<number> {
  const res = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM applications WHERE applicant_iin = $1`, [iin]);
  return res.rows[0].n;
}

interface CaseBody {
  status: string;
  grounds: { id: string; subject: string; reason: { kk: string; ru: string; en: string } }[];
  queue?: { kato: string; registrationNumber: string; position: number };
  positionStated?: boolean;
  [key: string]: unknown;
}

/** Polls GET /v1/applications/:id until its status is one of `want`. */
async function waitForStatus(id: string, actor: string, want: string[], timeoutMs = 20_000): Promise<CaseBody> {
  const until = Date.now() + timeoutMs;
  let last: CaseBody | undefined;
  while (Date.now() < until) {
    const res = await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', actor);
    expect(res.status).toBe(200);
    last = res.body as CaseBody;
    if (want.includes(last.status)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`case ${id} did not reach ${want.join('|')} in ${timeoutMs} ms (last: ${last?.status})`);
}

function expectErrorFormat(body: unknown, code: string): void {
  const e = (body as { error: { code: string; message: Record<string, string> } }).error;
  expect(e.code).toBe(code);
  expect(typeof e.message.kk).toBe('string');
  expect(typeof e.message.ru).toBe('string');
  expect(typeof e.message.en).toBe('string');
  expect(e.message.kk.length).toBeGreaterThan(0);
  expect(e.message.ru.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
}

beforeAll(async () => {
  stack = await startStack({ fixture: privateFixture });
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  // A private workflow-ID key: other test files on the same Temporal server never collide with us.
  settings = { ...stack.settings, workflowIdKey: `test-${randomUUID()}` };
  // Limits far above what this file sends (its polling alone is hundreds of requests); the limits
  // themselves are tested in api-personal-data.test.ts.
  app = createApiApp({ devIdentityHeader: true, pool: stack.pool, client: stack.client, settings, logger, hardening: { rateLimitPerAddress: 100_000, rateLimitPerIin: 100_000 } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('identity and the error format', () => {
  it('401 without X-HPC-Actor, or with a malformed one', async () => {
    const none = await request(app).post('/v1/applications').set('Idempotency-Key', newKey()).send(bodyOf('S01'));
    expect(none.status).toBe(401);
    expectErrorFormat(none.body, 'UNAUTHENTICATED');
    for (const bad of ['applicant:950314419499', 'applicant:abc', 'operator:op-1', 'clerk:AB-1234', `operator:${S01}`]) {
      const res = await request(app).get(`/v1/applications/${randomUUID()}`).set('X-HPC-Actor', bad);
      expect(res.status).toBe(401);
    }
  });

  it('403 when staff submit an application', async () => {
    const res = await submit(bodyOf('S01'), OPERATOR);
    expect(res.status).toBe(403);
    expectErrorFormat(res.body, 'FORBIDDEN');
  });

  it('403 when the actor is not the applicant (or the named representative)', async () => {
    const other = await submit(bodyOf('S01'), `applicant:${S10}`);
    expect(other.status).toBe(403);
    // An applicant cannot file with a representative in the body: only the representative can.
    const minor = await submit(bodyOf('S06'), `applicant:${S06_MINOR}`);
    expect(minor.status).toBe(403);
  });

  it('malformed JSON is 400, an unknown route 404, both in the error format', async () => {
    const bad = await request(app)
      .post('/v1/applications')
      .set('X-HPC-Actor', `applicant:${S01}`)
      .set('Idempotency-Key', newKey())
      .set('Content-Type', 'application/json')
      .send('{"applicantIin": ');
    expect(bad.status).toBe(400);
    expectErrorFormat(bad.body, 'INVALID_JSON');

    const missing = await request(app).get('/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/json/);
    expectErrorFormat(missing.body, 'ROUTE_NOT_FOUND');
  });

  it('413 for a JSON body over 64 kB, 415 for a non-JSON body', async () => {
    const big = await submit({ ...bodyOf('S01'), padding: 'x'.repeat(70_000) }, `applicant:${S01}`);
    expect(big.status).toBe(413);
    expectErrorFormat(big.body, 'PAYLOAD_TOO_LARGE');
    const text = await request(app)
      .post('/v1/applications')
      .set('X-HPC-Actor', `applicant:${S01}`)
      .set('Idempotency-Key', newKey())
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(text.status).toBe(415);
  });

  it('400 for a missing or malformed Idempotency-Key', async () => {
    const res = await request(app).post('/v1/applications').set('X-HPC-Actor', `applicant:${S01}`).send(bodyOf('S01'));
    expect(res.status).toBe(400);
    expectErrorFormat(res.body, 'IDEMPOTENCY_KEY_INVALID');
    const short = await submit(bodyOf('S01'), `applicant:${S01}`, 'abc');
    expect(short.status).toBe(400);
  });

  it('security headers: no x-powered-by; no-store on case endpoints; helmet; no CORS by default', async () => {
    const res = await request(app)
      .get(`/v1/applications/${randomUUID()}`)
      .set('X-HPC-Actor', `applicant:${S01}`)
      .set('Origin', 'https://evil.example');
    expect(res.status).toBe(404);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('validation (nothing is stored for a rejected submission)', () => {
  it('an invalid IIN is 400 on applicantIin with kk and ru messages', async () => {
    const key = newKey();
    const res = await submit({ ...bodyOf('S01'), applicantIin: '950314419499' }, `applicant:${S01}`, key);
    expect(res.status).toBe(400);
    expectErrorFormat(res.body, 'VALIDATION_FAILED');
    expect(res.body.error.field).toBe('applicantIin');
    expect(res.body.error.message.kk).toBe('ЖСН бақылау разряды сәйкес келмейді');
    expect(res.body.error.message.ru).toBe('Контрольный разряд ИИН не совпадает');
    expect(res.body.error.details[0]).toMatchObject({ field: 'applicantIin', code: 'CHECKSUM' });
    expect(await rowsForKey(key)).toBe(0);
  });

  it('an unknown KATO is 400 on kato', async () => {
    const key = newKey();
    const res = await submit({ ...bodyOf('S01'), kato: '999999999' }, `applicant:${S01}`, key);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('kato');
    expect(res.body.error.message.ru).toMatch(/КАТО/);
    expect(await rowsForKey(key)).toBe(0);
  });

  it('an unknown category is 400 on categories.<index>', async () => {
    const key = newKey();
    const res = await submit({ ...bodyOf('S01'), categories: ['ORPHAN', 'KING_OF_THE_HILL'] }, `applicant:${S01}`, key);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('categories.1');
    expect(await rowsForKey(key)).toBe(0);
  });

  it('lists every issue in details; the emergency path needs the dwelling id', async () => {
    const res = await submit(
      { ...bodyOf('S01'), path: 'EMERGENCY', contact: { mobile: '8701', email: 'nope' }, consents: ['C1', 'C9'] },
      `applicant:${S01}`,
    );
    expect(res.status).toBe(400);
    const fields = (res.body.error.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['contact.mobile', 'contact.email', 'consents.1']));
    const emergency = await submit({ ...bodyOf('S01'), path: 'EMERGENCY' }, `applicant:${S01}`);
    expect(emergency.status).toBe(400);
    expect(emergency.body.error.field).toBe('emergencyPropertyId');
  });

  it('a malformed case id is 400', async () => {
    const res = await request(app).get('/v1/applications/not-a-uuid').set('X-HPC-Actor', `applicant:${S01}`);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('id');
  });
});

describe('R7.1 clean applicant (S01)', () => {
  const key = newKey();
  let id: string;

  it('202 received (queued for checking), then REGISTERED with a queue placement', async () => {
    const res = await submit(bodyOf('S01'), `applicant:${S01}`, key);
    expect(res.status).toBe(202);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ status: 'RECEIVED', path: 'NO_HOUSING', kato: '351010000' });
    expect(res.body.statusText.name.ru).toMatch(/получено/);
    expect(res.headers.location).toBe(`/v1/applications/${res.body.applicationId}`);
    expect(res.body.receivedAt).toMatch(/\+05:00$/);
    expect(res.body.acceptedAt).toMatch(/\+05:00$/);
    expect(res.body.decisionDueAt).toMatch(/T18:30:00\+05:00$/);
    id = res.body.applicationId as string;
    expect(res.body.links).toEqual({ self: `/v1/applications/${id}`, timeline: `/v1/applications/${id}/timeline` });

    const row = await stack.pool.query<{ workflow_id: string; locality: string; interpretations_version: string }>(
      `SELECT workflow_id, locality, interpretations_version FROM applications WHERE id = $1`,
      [id],
    );
    expect(row.rows[0].workflow_id).toMatch(/^application-[0-9a-f]{32}$/);
    expect(row.rows[0].workflow_id).not.toContain(S01);

    const state = await waitForStatus(id, `applicant:${S01}`, ['REGISTERED', 'REFUSED']);
    expect(state.status).toBe('REGISTERED');
    expect(state.applicantIin).toBe(S01);
    expect(state.queue).toMatchObject({ kato: '351010000' });
    expect(state.queue!.position).toBeGreaterThanOrEqual(1);
  });

  it('the same Idempotency-Key and body → 200 with the same case, one row', async () => {
    const res = await submit(bodyOf('S01'), `applicant:${S01}`, key);
    expect(res.status).toBe(200);
    expect(res.body.applicationId).toBe(id);
    expect(await rowsForKey(key)).toBe(1);
    expect(await rowsForApplicant(S01)).toBe(1);
  });

  it('the same key with a different body → 422', async () => {
    const res = await submit({ ...bodyOf('S01'), categories: ['COMBAT_VETERAN'] }, `applicant:${S01}`, key);
    expect(res.status).toBe(422);
    expectErrorFormat(res.body, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('queue position, timeline, and the public list without IINs', async () => {
    const qp = await request(app).get(`/v1/applications/${id}/queue-position`).set('X-HPC-Actor', `applicant:${S01}`);
    expect(qp.status).toBe(200);
    expect(qp.body.registrationNumber).toMatch(/^351010000-\d{8}$/);
    expect(qp.body.registeredAt).toMatch(/\+05:00$/);

    const tl = await request(app).get(`/v1/applications/${id}/timeline`).set('X-HPC-Actor', `applicant:${S01}`);
    expect(tl.status).toBe(200);
    const kinds = (tl.body.entries as { kind: string; at: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ACCEPTED', 'REGISTERED']));
    expect(kinds.filter((k) => k === 'REGISTERED')).toHaveLength(1);
    for (const e of tl.body.entries as { at: string }[]) expect(e.at).toMatch(/\+05:00$/);

    const list = await request(app).get('/v1/queue/351010000').query({ page: 1, pageSize: 500 });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ kato: '351010000', page: 1, pageSize: 500 });
    const entry = (list.body.entries as { registrationNumber: string; position: number; registrationDate: string }[]).find(
      (e) => e.registrationNumber === qp.body.registrationNumber,
    );
    expect(entry).toBeDefined();
    expect(entry!.position).toBe(qp.body.position);
    expect(entry!.registrationDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(list.body)).not.toContain(S01);
    expect(JSON.stringify(list.body)).not.toContain(id);
  });

  it('the public list validates kato, category and page size', async () => {
    expect((await request(app).get('/v1/queue/999999999')).status).toBe(400);
    expect((await request(app).get('/v1/queue/351010000').query({ category: 'NOPE' })).status).toBe(400);
    expect((await request(app).get('/v1/queue/351010000').query({ pageSize: 501 })).status).toBe(400);
    const cat = await request(app).get('/v1/queue/351010000').query({ category: 'ORPHAN' });
    expect(cat.status).toBe(200);
    expect(cat.body.category).toBe('ORPHAN');
  });

  it("another applicant reading this case gets 404, like a missing case; staff see it without IINs", async () => {
    const other = await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', `applicant:${S10}`);
    expect(other.status).toBe(404);
    expectErrorFormat(other.body, 'NOT_FOUND');
    const staff = await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', OPERATOR).set('X-HPC-Purpose', 'registration audit');
    expect(staff.status).toBe(200);
    expect(JSON.stringify(staff.body)).not.toContain(S01);
    const tl = await request(app).get(`/v1/applications/${id}/timeline`).set('X-HPC-Actor', OFFICER).set('X-HPC-Purpose', 'hearing preparation');
    expect(tl.status).toBe(200);
    expect(JSON.stringify(tl.body)).not.toContain(S01);
  });

  it('staff reading a case without saying why get 400 PURPOSE_REQUIRED in kk/ru, and no data', async () => {
    for (const path of [`/v1/applications/${id}`, `/v1/applications/${id}/timeline`, `/v1/applications/${id}/queue-position`]) {
      const res = await request(app).get(path).set('X-HPC-Actor', OPERATOR);
      expect(res.status).toBe(400);
      expectErrorFormat(res.body, 'PURPOSE_REQUIRED');
      expect(res.body.error.field).toBe('X-HPC-Purpose');
      expect(JSON.stringify(res.body)).not.toContain(id);
    }
  });
});

describe('R15.2 applicant (S10): preliminary refusal and hearing', () => {
  let id: string;

  it('HEARING_SCHEDULED with the ground and its reason', async () => {
    const res = await submit(bodyOf('S10'), `applicant:${S10}`);
    expect(res.status).toBe(202);
    id = res.body.applicationId as string;
    const state = await waitForStatus(id, `applicant:${S10}`, ['HEARING_SCHEDULED', 'REGISTERED', 'REFUSED']);
    expect(state.status).toBe('HEARING_SCHEDULED');
    expect(state.grounds.map((g) => g.id)).toContain('R15.2');
    const g = state.grounds.find((x) => x.id === 'R15.2')!;
    expect(g.reason.kk.length).toBeGreaterThan(0);
    expect(g.reason.ru.length).toBeGreaterThan(0);
    expect(g).not.toHaveProperty('subjectIin');
    expect(g).not.toHaveProperty('facts');
    expect(state.hearingAt).toMatch(/\+05:00$/);
    expect(state.preliminaryDecisionAt).toMatch(/\+05:00$/);
  });

  it('a second application while this one is active → 409 naming it to its own applicant', async () => {
    const res = await submit(bodyOf('S10'), `applicant:${S10}`);
    expect(res.status).toBe(409);
    expectErrorFormat(res.body, 'ACTIVE_APPLICATION_EXISTS');
    expect(res.body.error.details).toEqual([{ applicationId: id }]);
    expect(await rowsForApplicant(S10)).toBe(1);
  });

  it('the operator-only and officer-only endpoints refuse other roles (403)', async () => {
    const review = await request(app)
      .post(`/v1/applications/${id}/report-review`)
      .set('X-HPC-Actor', `applicant:${S10}`)
      .send({ accepted: true });
    expect(review.status).toBe(403);
    expectErrorFormat(review.body, 'FORBIDDEN');
    const outcome = await request(app)
      .post(`/v1/applications/${id}/hearing-outcome`)
      .set('X-HPC-Actor', OPERATOR)
      .send({ outcome: 'REGISTER', reasoning: 'x' });
    expect(outcome.status).toBe(403);
    // And staff cannot act for the applicant.
    const pos = await request(app).post(`/v1/applications/${id}/position`).set('X-HPC-Actor', OFFICER).send({ text: 'x' });
    expect(pos.status).toBe(403);
  });

  it('an officer outcome before a position is stated is an invalid case action (409)', async () => {
    const res = await request(app)
      .post(`/v1/applications/${id}/hearing-outcome`)
      .set('X-HPC-Actor', OFFICER)
      .send({ outcome: 'REGISTER', reasoning: 'the share was inherited' });
    expect(res.status).toBe(409);
    expectErrorFormat(res.body, 'INVALID_CASE_ACTION');
    expect(res.body.error.message.en).toMatch(/hearing outcome/);
  });

  it('the applicant states a position (R17)', async () => {
    const res = await request(app)
      .post(`/v1/applications/${id}/position`)
      .set('X-HPC-Actor', `applicant:${S10}`)
      .send({ text: 'Үлес мұраға қалды / Доля получена по наследству' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'HEARING_SCHEDULED' });
    const state = await waitForStatus(id, `applicant:${S10}`, ['HEARING_SCHEDULED']);
    expect(state.positionStated).toBe(true);
    const tl = await request(app).get(`/v1/applications/${id}/timeline`).set('X-HPC-Actor', `applicant:${S10}`);
    const kinds = (tl.body.entries as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ACCEPTED', 'PRELIMINARY_REFUSAL', 'POSITION_STATED']));
    expect(kinds.filter((k) => k === 'POSITION_STATED')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'ACCEPTED')).toHaveLength(1);
  });

  it('an empty position is 400; a case without queue entry is 404 NOT_IN_QUEUE', async () => {
    const res = await request(app).post(`/v1/applications/${id}/position`).set('X-HPC-Actor', `applicant:${S10}`).send({ text: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('text');
    const qp = await request(app).get(`/v1/applications/${id}/queue-position`).set('X-HPC-Actor', `applicant:${S10}`);
    expect(qp.status).toBe(404);
    expectErrorFormat(qp.body, 'NOT_IN_QUEUE');
  });
});

describe('R7.2 emergency dwelling (S03): technical report and operator review', () => {
  let id: string;
  const report = scenario('S03').technicalReport!;
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

  it('submits and waits for the report', async () => {
    const res = await submit(bodyOf('S03'), `applicant:${S03}`);
    expect(res.status).toBe(202);
    id = res.body.applicationId as string;
    const state = await waitForStatus(id, `applicant:${S03}`, ['AWAITING_REPORT', 'HEARING_SCHEDULED', 'REFUSED']);
    expect(state.status).toBe('AWAITING_REPORT');
  });

  it('refuses a non-PDF body (400) and another content type (415)', async () => {
    const notPdf = await request(app)
      .post(`/v1/applications/${id}/technical-report`)
      .query(report)
      .set('X-HPC-Actor', `applicant:${S03}`)
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('hello, not a pdf'));
    expect(notPdf.status).toBe(400);
    expectErrorFormat(notPdf.body, 'INVALID_PDF');
    const wrongType = await request(app)
      .post(`/v1/applications/${id}/technical-report`)
      .query(report)
      .set('X-HPC-Actor', `applicant:${S03}`)
      .set('Content-Type', 'image/png')
      .send(pdf);
    expect(wrongType.status).toBe(415);
  });

  it('stores the PDF and hands it to the case', async () => {
    const res = await request(app)
      .post(`/v1/applications/${id}/technical-report`)
      .query(report)
      .set('X-HPC-Actor', `applicant:${S03}`)
      .set('Content-Type', 'application/pdf')
      .send(pdf);
    expect(res.status).toBe(200);
    expect(res.body.sizeBytes).toBe(pdf.length);
    expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const docs = await stack.pool.query(`SELECT kind, size_bytes, uploaded_by FROM documents WHERE application_id = $1`, [id]);
    expect(docs.rows).toEqual([{ kind: 'TECHNICAL_REPORT', size_bytes: pdf.length, uploaded_by: `applicant:${S03}` }]);
    const state = await waitForStatus(id, `applicant:${S03}`, ['AWAITING_REVIEW', 'HEARING_SCHEDULED']);
    expect(state.status).toBe('AWAITING_REVIEW');
  });

  it('a second, different report is rejected by the case and not kept (409)', async () => {
    const other = Buffer.concat([pdf, Buffer.from('% another\n', 'latin1')]);
    const res = await request(app)
      .post(`/v1/applications/${id}/technical-report`)
      .query(report)
      .set('X-HPC-Actor', `applicant:${S03}`)
      .set('Content-Type', 'application/pdf')
      .send(other);
    expect(res.status).toBe(409);
    expectErrorFormat(res.body, 'INVALID_CASE_ACTION');
    const docs = await stack.pool.query(`SELECT 1 FROM documents WHERE application_id = $1`, [id]);
    expect(docs.rowCount).toBe(1);
  });

  it('the operator accepts the report → REGISTERED', async () => {
    const res = await request(app).post(`/v1/applications/${id}/report-review`).set('X-HPC-Actor', OPERATOR).send({ accepted: true });
    expect([200, 202]).toContain(res.status);
    const state = await waitForStatus(id, `applicant:${S03}`, ['REGISTERED', 'REFUSED', 'HEARING_SCHEDULED']);
    expect(state.status).toBe('REGISTERED');
    expect(state.queue?.kato).toBe('551010000');
  });
});

describe('a representative files for a minor (S06)', () => {
  it('202 for the guardian; the guardian reads it; the minor as applicant does too', async () => {
    const res = await submit(bodyOf('S06'), `representative:${S06_GUARDIAN}`);
    expect(res.status).toBe(202);
    const id = res.body.applicationId as string;
    const state = await waitForStatus(id, `representative:${S06_GUARDIAN}`, ['REGISTERED', 'REFUSED', 'HEARING_SCHEDULED']);
    expect(state.representativeIin).toBe(S06_GUARDIAN);
    expect(state.status).toBe('REGISTERED');
    const own = await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', `applicant:${S06_MINOR}`);
    expect(own.status).toBe(200);
    const stranger = await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', `representative:${S01}`);
    expect(stranger.status).toBe(404);
  });
});

/**
 * A row filed before the intake outbox whose workflow never started (a crash before the start);
 * migration 050 queued such rows for the starter, as done here on `taskQueue`.
 */
async function storeUnstartedRow(applicantIin: string, actor: string, key: string, requestBody: Record<string, unknown>, taskQueue = stack.settings.taskQueue) {
  const body = createApplicationBody.parse(requestBody);
  const id = randomUUID();
  // The stack runs always open (HPC_DEV_ALWAYS_OPEN): accepted at receipt, as the service does.
  const terms = new Terms(developmentAlwaysOpenSnapshot()).caseTerms(Date.now(), body.path);
  const receivedAtMs = terms.receivedAtMs;
  const acceptedAtMs = terms.acceptedAtMs;
  const receivedAt = toAlmatyIso(receivedAtMs);
  const declaration = { ...body, consents: body.consents.map((code) => ({ code, givenAt: receivedAt })) };
  const workflowId = workflowIdFor(applicantIin, settings.workflowIdKey);
  await stack.pool.query(
    `INSERT INTO applications (id, idempotency_key, request_hash, applicant_iin, representative_iin, submitted_by, path, fund,
       kato, locality, declaration, received_at, accepted_at, decision_due_at, workflow_id, interpretations_version, calendar_version)
     VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      id,
      key,
      sha256Hex(canonicalJson({ actor, body })),
      applicantIin,
      actor,
      body.path,
      body.fund,
      body.kato,
      JSON.stringify(declaration),
      new Date(receivedAtMs),
      new Date(acceptedAtMs),
      new Date(terms.decisionDueAtMs),
      workflowId,
      INTERPRETATIONS.version,
      calendarVersion(),
    ],
  );
  await stack.pool.query(`INSERT INTO intake_outbox (application_id, task_queue) VALUES ($1, $2)`, [id, taskQueue]);
  // What the service would start the workflow with (api/services/submission.ts).
  const input: ApplicationWorkflowInput = {
    applicationId: id,
    declaration,
    receivedAt,
    acceptedAt: toAlmatyIso(acceptedAtMs),
    decisionDueAt: toAlmatyIso(terms.decisionDueAtMs),
    submittedBy: actor,
    reference: developmentAlwaysOpenSnapshot(),
  };
  return { id, receivedAt, workflowId, declaration, input };
}

describe('a row filed before the intake outbox, never started (S27)', () => {
  it('a retry answers the stored case; the starter starts its workflow once', async () => {
    const actor = `applicant:${S27}`;
    const key = newKey();
    const { id, receivedAt } = await storeUnstartedRow(S27, actor, key, bodyOf('S27'));
    const res = await submit(bodyOf('S27'), actor, key);
    expect([200, 202]).toContain(res.status);
    expect(res.body.applicationId).toBe(id);
    expect(res.body.receivedAt).toBe(receivedAt);
    const state = await waitForStatus(id, actor, ['REGISTERED', 'REFUSED', 'HEARING_SCHEDULED']);
    expect(state.status).toBe('REGISTERED');
    // A further retry starts nothing: the case stays registered with one entry.
    const again = await submit(bodyOf('S27'), actor, key);
    expect(again.status).toBe(200);
    const entries = await stack.pool.query(`SELECT 1 FROM queue_entries WHERE application_id = $1`, [id]);
    expect(entries.rowCount).toBe(1);
  });
});

describe('a start attempt while another holder of the row has started the workflow', () => {
  it('waits for the row, and starts no second run even when the first run has already closed', async () => {
    // A person of no registry: what the case decides does not matter here, only how many runs it has.
    const person = makeIin('1988-02-29', 'F', Math.floor(Math.random() * 9000) + 500);
    const actor = `applicant:${person}`;
    const key = newKey();
    const requestBody = { ...bodyOf('S27'), applicantIin: person };
    // On a queue no starter serves: only the attempt below starts it.
    const paused = `paused-${randomUUID()}`;
    const { id, workflowId, input } = await storeUnstartedRow(person, actor, key, requestBody, paused);

    // The first holder holds the row while it starts the workflow.
    const first = await stack.pool.connect();
    try {
      await first.query('BEGIN');
      await first.query(`SELECT 1 FROM applications WHERE id = $1 FOR UPDATE`, [id]);
      const attempt = attemptStart({ pool: stack.pool, client: stack.client, taskQueue: paused }, id, () => 1_000);
      // The attempt is waiting on that row lock.
      for (let i = 0; i < 100; i += 1) {
        const waiting = await stack.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM applications WHERE id = $1 FOR UPDATE%'`,
        );
        if (waiting.rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const handle = await stack.client.workflow.start('applicationWorkflow', {
        workflowId,
        taskQueue: paused,
        args: [input],
        memo: { applicationId: id },
      });
      await first.query(`UPDATE applications SET workflow_started_at = now() WHERE id = $1`, [id]);
      // The race this guards against: the first run is over before the attempt goes on.
      await handle.terminate('test: the first run has closed');
      await first.query('COMMIT');
      expect(await attempt).toBe('ALREADY_RAN');
    } finally {
      first.release();
    }
    const runs: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(wf.runId);
    expect(runs).toHaveLength(1);
    const res = await submit(requestBody, actor, key);
    expect(res.status).toBe(200);
    expect(res.body.applicationId).toBe(id);
  });
});

describe('Temporal unavailable', () => {
  it('a submission is still 202 and on record, and is decided once Temporal is there; health is degraded', async () => {
    const connection = await Connection.connect({ address: testEnv('HPC_TEST_TEMPORAL_ADDRESS') });
    const closed = new Client({ connection });
    await connection.close();
    const down = createApiApp({ devIdentityHeader: true,
      pool: stack.pool,
      client: closed,
      settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
      logger: pino({ level: 'silent' }),
    });
    const key = newKey();
    const res = await request(down).post('/v1/applications').set('X-HPC-Actor', `applicant:${S12}`).set('Idempotency-Key', key).send(bodyOf('S12'));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('RECEIVED');
    expect(await rowsForKey(key)).toBe(1);

    const health = await request(down).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'degraded', checks: { database: 'ok', temporal: 'down' } });
    // The stack's starter (its Temporal is up) starts the case from the outbox.
    const state = await waitForStatus(res.body.applicationId as string, `applicant:${S12}`, ['REGISTERED', 'REFUSED', 'HEARING_SCHEDULED']);
    expect(state.status).toBe('REGISTERED');
  });

  it('health is ok on the real stack', async () => {
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
  });
});

describe('other failures', () => {
  it('an unexpected error is 500 INTERNAL without detail; health shows the database down', async () => {
    const pool = createPool(testEnv('HPC_TEST_DATABASE_URL'), 1);
    await pool.end();
    const lines: string[] = [];
    const broken = createApiApp({ devIdentityHeader: true,
      pool,
      client: stack.client,
      settings,
      logger: pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) })),
    });
    const res = await request(broken).get(`/v1/applications/${randomUUID()}`).set('X-HPC-Actor', `applicant:${S01}`);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: {
        code: 'INTERNAL',
        message: { kk: expect.any(String), ru: expect.any(String), en: expect.any(String) },
      },
    });
    expect(lines.join('')).toContain('unhandled error');
    const health = await request(broken).get('/health');
    expect(health.status).toBe(503);
    expect(health.body.checks).toEqual({ database: 'down', temporal: 'ok' });
  });

  it('a year without calendar data maps to 503 CALENDAR_UNAVAILABLE', () => {
    const e = toApiError(new CalendarUnavailableError(2031));
    expect(e?.status).toBe(503);
    expect(e?.toBody().error.code).toBe('CALENDAR_UNAVAILABLE');
    expect(e?.toBody().error.message.ru).toMatch(/2031/);
  });

  it('a PDF over 10 MB is 413', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]);
    const res = await request(app)
      .post(`/v1/applications/${randomUUID()}/technical-report`)
      .query({ reportNumber: 'X-1', propertyId: 'P-1' })
      .set('X-HPC-Actor', `applicant:${S03}`)
      .set('Content-Type', 'application/pdf')
      .send(big);
    expect(res.status).toBe(413);
    expectErrorFormat(res.body, 'PAYLOAD_TOO_LARGE');
  });
});

describe('OpenAPI and the log', () => {
  it('openapi.json lists the paths', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths as object)).toEqual(
      expect.arrayContaining([
        '/v1/applications',
        '/v1/applications/{id}',
        '/v1/applications/{id}/timeline',
        '/v1/applications/{id}/technical-report',
        '/v1/applications/{id}/position',
        '/v1/applications/{id}/consents',
        '/v1/applications/{id}/recheck',
        '/v1/applications/{id}/report-review',
        '/v1/applications/{id}/hearing-outcome',
        '/v1/applications/{id}/queue-position',
        '/v1/applications/{id}/consents/{code}/withdraw',
        '/v1/applications/{id}/access-log',
        '/v1/queue/{kato}',
        '/health',
      ]),
    );
    expect(res.body.components.schemas).toHaveProperty('CreateApplication');
  });

  it('the request log has route templates and no personal data', async () => {
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join('');
    for (const iin of [S01, S03, S10, S12, S27, S06_MINOR, S06_GUARDIAN]) expect(all).not.toContain(iin);
    expect(all).not.toMatch(/\+7\d{10}/);
    expect(all).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/); // e-mail addresses
    // Free text this file sent: a position and staff purposes.
    for (const text of ['Үлес мұраға қалды', 'Доля получена', 'registration audit', 'hearing preparation']) expect(all).not.toContain(text);
    const routes = new Set(logLines.map((l) => (JSON.parse(l) as { route?: string }).route));
    expect(routes).toContain('/v1/applications/:id');
    expect(routes).toContain('/v1/applications');
  });
});
