/**
 * Hostile text at the edge (issue #9 §5.1), over every operation of the OpenAPI document on the
 * real stack: a NUL byte, a lone surrogate ("\ud800" in JSON) or bytes that are not UTF-8 in any
 * string of a JSON body (every string property of the request schema, found by walking it), any
 * query parameter, any path parameter, or a header the API reads, is 400 VALIDATION_FAILED naming
 * that field with kk/ru/en text — never a 500, never a silent U+FFFD — and nothing is written.
 *
 * Before api/edge.ts a NUL in emergencyPropertyId or reportNumber reached PostgreSQL (500), and
 * invalid UTF-8 was read as U+FFFD by body-parser and node:querystring and taken.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import request from 'supertest';
import { openApiDocument } from '../../api/openapi';
import { findApplication } from '../../db/cases';
import { makeIin } from '../../domain/iin';
import { reviewTechnicalReportUpdate } from '../../workflows/contract';
import { loadPolicy } from '../../security/policy/policy';
import { privateDemo } from '../helpers/demo';
import { testApiApp } from '../helpers/api';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(180_000);

const demo = privateDemo(['S01', 'S03']);
const A = demo.scenario('S01').declaration.applicantIin;
const policy = loadPolicy();

let stack: Stack;
let app: Express;
let server: Server;
let caseId: string;

beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
  app = testApiApp(stack);
  const res = await request(app)
    .post('/v1/applications')
    .set('X-HPC-Actor', `applicant:${A}`)
    .set('Idempotency-Key', `hostile-${randomUUID()}`)
    .send(demo.bodyOf('S01'));
  expect(res.status).toBe(202);
  caseId = res.body.applicationId;
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await stack?.stop();
});

// ---- the operations, from the OpenAPI document ----

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}
interface Operation {
  method: string;
  path: string;
  params: { in: string; name: string; required: boolean }[];
  body?: Schema;
  actor: string | undefined;
}
const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

/** Who may call it (the policy): the applicant of the case if a person may, else a staff role. */
function actorFor(method: string, path: string): string | undefined {
  const template = path.replace(/\{(\w+)\}/g, ':$1');
  const ep = policy.endpoints.find((e) => e.method === method && e.path === template);
  if (!ep || ep.public) return undefined;
  const roles = Object.keys(ep.allow ?? {});
  if (roles.includes('applicant')) return `applicant:${A}`;
  return `${roles[0]}:XX-0001`;
}

const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([m, op]) => ({
    method: m.toUpperCase(),
    path,
    params: (op.parameters ?? []).map((p) => ({ in: p.in, name: p.name, required: p.required === true })),
    body: op.requestBody?.content['application/json']?.schema,
    actor: actorFor(m.toUpperCase(), path),
  })),
);

/** Every path to a string in a request schema: `contact.email`, `categories.0`. */
function stringPaths(schema: Schema | undefined, prefix: string[] = [], seen = new Set<string>()): string[][] {
  if (!schema) return [];
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    if (seen.has(name)) return [];
    return stringPaths(doc.components.schemas[name], prefix, new Set([...seen, name]));
  }
  const out: string[][] = [];
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) out.push(...stringPaths(s, prefix, seen));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string')) out.push(prefix);
  for (const [k, v] of Object.entries(schema.properties ?? {})) out.push(...stringPaths(v, [...prefix, k], seen));
  if (schema.items) out.push(...stringPaths(schema.items, [...prefix, '0'], seen));
  const unique = new Map(out.map((p) => [p.join('.'), p]));
  return [...unique.values()];
}

/** A JSON text with `value` (already JSON-encoded) at `path`. */
function bodyAt(path: string[], encodedValue: string): string {
  let text = encodedValue;
  for (let i = path.length - 1; i >= 0; i -= 1) {
    text = /^\d+$/.test(path[i]) ? `[${text}]` : `{${JSON.stringify(path[i])}:${text}}`;
  }
  return text;
}

const PATH_VALUES: Record<string, () => string> = {
  id: () => caseId,
  code: () => 'C3',
  kato: () => String(demo.bodyOf('S01').kato),
  iin: () => makeIin('1980-01-01', 'M', 7777),
  // Ids that name nothing: the edge answers before any lookup.
  complaintId: () => '00000000-0000-4000-8000-000000000001',
  noticeId: () => '00000000-0000-4000-8000-000000000002',
  removalId: () => '00000000-0000-4000-8000-000000000003',
};

function urlOf(op: Operation, override?: { name: string; raw: string }): string {
  let url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (override?.name === name ? override.raw : PATH_VALUES[name]()));
  const query = op.params
    .filter((p) => p.in === 'query')
    .map((p) => `${p.name}=${override?.name === p.name ? override.raw : p.required ? 'x' : '1'}`);
  if (query.length > 0) url += `?${query.join('&')}`;
  return url;
}

/** Sends raw bytes (supertest would re-encode the body and refuses some header values). */
function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; body: unknown }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function headersOf(op: Operation, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(op.actor ? { 'X-HPC-Actor': op.actor, 'X-HPC-Purpose': 'hostile input test' } : {}),
    'Idempotency-Key': `hostile-${randomUUID()}`,
    ...extra,
  };
}

function expectFieldError(res: { status: number; body: unknown }, field: string, what: string): void {
  const body = res.body as { error?: { code?: string; field?: string; message?: Record<string, string> } };
  if (res.status !== 400 || body.error?.field !== field) {
    throw new Error(`${what}: expected 400 naming ${field}, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  expect(body.error.code).toBe('VALIDATION_FAILED');
  for (const lang of ['kk', 'ru', 'en']) expect(body.error.message?.[lang]?.length ?? 0).toBeGreaterThan(5);
}

// Percent-encoded: NUL; a lone surrogate's would-be UTF-8 (not UTF-8); a byte that is never UTF-8.
const RAW_HOSTILE = ['%00', 'a%00b', '%ED%A0%80', '%FF', 'x%C3'];

describe('every operation of the OpenAPI document', () => {
  it('lists the operations this test walks (a guard against walking nothing)', () => {
    expect(operations.length).toBeGreaterThan(25);
    expect(operations.filter((o) => o.body).length).toBeGreaterThan(10);
  });

  it('a hostile path parameter is 400 naming it', async () => {
    for (const op of operations) {
      for (const p of op.params.filter((x) => x.in === 'path')) {
        for (const raw of RAW_HOSTILE) {
          const res = await send(op.method, urlOf(op, { name: p.name, raw }), headersOf(op));
          expectFieldError(res, p.name, `${op.method} ${op.path} path ${p.name}=${raw}`);
        }
      }
    }
  });

  it('a hostile query parameter is 400 naming it', async () => {
    const withQuery = operations.filter((op) => op.params.some((p) => p.in === 'query'));
    expect(withQuery.length).toBeGreaterThanOrEqual(4);
    for (const op of withQuery) {
      for (const p of op.params.filter((x) => x.in === 'query')) {
        for (const raw of RAW_HOSTILE) {
          const res = await send(op.method, urlOf(op, { name: p.name, raw }), headersOf(op, op.method === 'POST' ? { 'Content-Type': 'application/pdf' } : {}), op.method === 'POST' ? Buffer.from('%PDF-1.4\n') : undefined);
          expectFieldError(res, p.name, `${op.method} ${op.path} query ${p.name}=${raw}`);
        }
      }
    }
  });

  it('every string of every JSON body: a NUL, a lone surrogate, or invalid UTF-8 is 400 naming the field', async () => {
    let probed = 0;
    for (const op of operations.filter((o) => o.body)) {
      const paths = stringPaths(op.body); // none for EmptyBody
      for (const path of paths) {
        const field = path.join('.');
        for (const encoded of ['"x\\u0000y"', '"\\ud800"', '"ok\\udfff"']) {
          const res = await send(op.method, urlOf(op), headersOf(op, { 'Content-Type': 'application/json' }), Buffer.from(bodyAt(path, encoded)));
          expectFieldError(res, field, `${op.method} ${op.path} body ${field}=${encoded}`);
          probed += 1;
        }
        // Bytes that are not UTF-8: the body is refused as a whole.
        const text = bodyAt(path, '"a\u0001"');
        const mark = text.indexOf('\u0001');
        const invalid = Buffer.concat([Buffer.from(text.slice(0, mark)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(mark + 1))]);
        const res = await send(op.method, urlOf(op), headersOf(op, { 'Content-Type': 'application/json' }), invalid);
        expectFieldError(res, 'body', `${op.method} ${op.path} body ${field} with invalid UTF-8`);
      }
    }
    expect(probed).toBeGreaterThan(60);
  });

  it('a hostile key in a body is 400 too (not only values)', async () => {
    const res = await send('POST', `/v1/applications/${caseId}/recheck`, headersOf(operations[0], { 'X-HPC-Actor': `applicant:${A}`, 'Content-Type': 'application/json' }), Buffer.from('{"re\\u0000ason":"x"}'));
    expectFieldError(res, 'body', 'a NUL in a key');
  });

  it('a deeply nested body is 4xx, not a stack overflow', async () => {
    const deep = Buffer.from(`${'['.repeat(30_000)}"\\u0000"${']'.repeat(30_000)}`);
    const res = await send('POST', `/v1/applications/${caseId}/recheck`, headersOf(operations[0], { 'X-HPC-Actor': `applicant:${A}`, 'Content-Type': 'application/json' }), deep);
    expect(res.status).toBe(400);
  });

  it('a header the API reads with a byte that is not ASCII, or a control character, is 400 naming the header', async () => {
    const op = operations.find((o) => o.method === 'GET' && o.path === '/v1/applications/{id}')!;
    for (const [name, value] of [
      ['X-HPC-Purpose', 'check\u00ff'],
      ['X-HPC-Purpose', 'check\u0001it'],
      ['X-HPC-Actor', `applicant:${A}\u00e9`],
      ['Idempotency-Key', 'key-\u00ff-12345678'],
      ['Authorization', 'Bearer \u00ff'],
    ] as const) {
      // Node's client refuses control characters in a header, so the request is written by hand.
      const res = await rawRequest(`GET ${urlOf(op)} HTTP/1.1\r\nHost: x\r\nX-HPC-Actor: operator:OP-0001\r\nX-HPC-Purpose: fine purpose\r\n${name}: ${value}\r\nConnection: close\r\n\r\n`);
      expect(res.status).toBe(400);
      // Node itself answers control characters in a header with a bare 400 before the app; the app names the rest.
      if (res.json) expectFieldError({ status: res.status, body: res.json }, name, `header ${name}`);
    }
  });

  it("the edge's answers carry the security headers like every other answer", async () => {
    const res = await request(app).get('/v1/queue/%00');
    expect(res.status).toBe(400);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
  });

  it('a too long text is 400 naming the field (within the 64 kB body)', async () => {
    const res = await send('POST', `/v1/applications/${caseId}/recheck`, headersOf(operations[0], { 'X-HPC-Actor': `applicant:${A}`, 'Content-Type': 'application/json' }), Buffer.from(JSON.stringify({ reason: 'x'.repeat(30_000) })));
    expect(res.status).toBe(400);
    expect((res.body as { error: { field: string } }).error.field).toBe('reason');
  });

  it('nothing of it was written: the case has no event from these requests', async () => {
    const { rows } = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_events WHERE application_id = $1 AND data::text LIKE '%\\\\u0000%'`, [caseId]);
    expect(rows[0].n).toBe(0);
  });
});

describe('the workflow refuses it too (domain/procedure/inputs.ts, the validators)', () => {
  it('an operator rejection whose reason has a NUL, sent straight to the update where a rejection is taken, is refused; the case is not poisoned', async () => {
    const s = demo.scenario('S03');
    const applicant = `applicant:${s.declaration.applicantIin}`;
    const OPERATOR = 'operator:OP-0001';
    const filed = await request(app).post('/v1/applications').set('X-HPC-Actor', applicant).set('Idempotency-Key', `hostile-${randomUUID()}`).send(demo.bodyOf('S03'));
    expect(filed.status).toBe(202);
    const id = filed.body.applicationId as string;
    const statusOf = async (): Promise<{ status: string; flags: string[] }> =>
      (await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', OPERATOR).set('X-HPC-Purpose', 'hostile input test')).body;
    for (const until = Date.now() + 30_000; (await statusOf()).status !== 'AWAITING_REPORT'; ) {
      if (Date.now() > until) throw new Error('not AWAITING_REPORT');
      await new Promise((r) => setTimeout(r, 200));
    }
    // One Idempotency-Key for the applicant's upload and, below, the operator's rejection: keys are
    // the caller's own (§5.5), so the operator's request is not taken for a reuse of the applicant's.
    const sharedKey = `shared-${randomUUID()}`;
    const up = await request(app)
      .post(`/v1/applications/${id}/technical-report`)
      .query(s.technicalReport!)
      .set('X-HPC-Actor', applicant)
      .set('Idempotency-Key', sharedKey)
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('%PDF-1.4 the expert report'));
    expect(up.body).toMatchObject({ status: 'AWAITING_REVIEW' });

    // Through the API: 400 naming the field, nothing sent.
    const viaApi = await request(app).post(`/v1/applications/${id}/report-review`).set('X-HPC-Actor', OPERATOR).send({ accepted: false, reason: 'forged\u0000' });
    expect(viaApi.status).toBe(400);
    expect(viaApi.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason', details: [{ code: 'CONTROL_CHARACTER' }] });

    // Straight to the workflow (another client, an older API): its validator refuses it — the state would take a rejection.
    const row = await findApplication(stack.pool, id);
    const handle = stack.client.workflow.getHandle(row!.workflow_id);
    for (const [reason, code] of [
      ['forged\u0000', 'CONTROL_CHARACTER'],
      ['forged \ud800', 'INVALID_UNICODE'],
    ] as const) {
      const err = await handle.executeUpdate(reviewTechnicalReportUpdate, { args: [{ actor: OPERATOR, accepted: false, reason }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('InvalidCaseAction');
      expect(cause.details?.[0]).toMatchObject({ code, field: 'reason' });
    }
    // Not poisoned: still awaiting review, nothing held, and a clean rejection is taken at once (R15.6).
    expect(await statusOf()).toMatchObject({ status: 'AWAITING_REVIEW', flags: ['REPORT_UPLOADED'] });
    const clean = await request(app)
      .post(`/v1/applications/${id}/report-review`)
      .set('X-HPC-Actor', OPERATOR)
      .set('Idempotency-Key', sharedKey)
      .send({ accepted: false, reason: 'The report names another dwelling' });
    expect(clean.status).toBe(200);
    // The answer shows the status after the action (§5.6): the preliminary refusal with its hearing (R15.6, R17).
    expect(clean.body).toEqual({ status: 'HEARING_SCHEDULED' });
    expect((await statusOf()).flags).not.toContain('STEP_FAILED');
  });
});

async function rawRequest(text: string): Promise<{ status: number; json?: unknown }> {
  const { port } = server.address() as AddressInfo;
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.from(text, 'latin1')));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(all)?.[1] ?? 0);
      const body = all.slice(all.indexOf('\r\n\r\n') + 4);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        /* a bare answer of Node's */
      }
      resolve({ status, json });
    });
  });
}
