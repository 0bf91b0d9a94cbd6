/**
 * Property-based tests (fast-check) over every endpoint of the API on the real stack: malformed
 * and hostile input — random JSON, wrong types, huge and odd Unicode strings, prototype-pollution
 * keys, wrong content types and encodings, bad UUIDs and percent-encodings, bad headers — and for
 * every request:
 *   - never a 5xx, and never a stack trace or internal detail in the body;
 *   - an error is in the one error format, with kk and ru messages;
 *   - never a partial write: a request answered with anything but 2xx leaves the rows of
 *     applications, documents, consents (given and withdrawn) and audit_log that this file's
 *     actors can cause exactly as they were;
 *   - the audit by design: a 2xx answer of a case route adds exactly one audit row, any other answer
 *     none (api/audit.ts), and public endpoints none;
 *   - Object.prototype is never polluted.
 *
 * Bounded: HPC_FUZZ_RUNS runs per endpoint (default 60, about 15 s for the file); HPC_FUZZ_SEED
 * replays a failing run; HPC_FUZZ_VERBOSE=1 prints the statuses seen per endpoint.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Express } from 'express';
import fc from 'fast-check';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { verifyAudit } from '../../db/audit';
import { makeIin, validateIin } from '../../domain/iin';
import { parseFixture, type Fixture } from '../../sandbox/fixture';
import { DEMO_FIXTURE, startStack, type Stack } from '../helpers/stack';

jest.setTimeout(180_000);

const RUNS = Number(process.env.HPC_FUZZ_RUNS ?? 60);
const SEED = process.env.HPC_FUZZ_SEED === undefined ? undefined : Number(process.env.HPC_FUZZ_SEED);

// ---- a private copy of the demo persons the fuzzer acts for (see api.test.ts) ----
interface Scenario {
  id: string;
  declaration: Record<string, unknown> & { applicantIin: string };
  technicalReport?: { reportNumber: string; propertyId: string };
}
const USED = ['S14', 'S03'];
const demoText = readFileSync(DEMO_FIXTURE, 'utf8');
const scenariosText = readFileSync(join(__dirname, '..', '..', 'sandbox', 'fixtures', 'demo-scenarios.json'), 'utf8');
const remap = new Map<string, string>();
for (const sc of (JSON.parse(scenariosText) as { scenarios: Scenario[] }).scenarios.filter((x) => USED.includes(x.id))) {
  const iin = sc.declaration.applicantIin;
  const v = validateIin(iin);
  if (!v.valid) throw new Error(`demo IIN ${iin} is invalid`);
  let fresh: string;
  do fresh = makeIin(v.birthDate, v.sex, randomInt(10_000));
  while (fresh === iin || demoText.includes(fresh) || [...remap.values()].includes(fresh));
  remap.set(iin, fresh);
}
const remapped = (text: string): string => [...remap].reduce((t, [from, to]) => t.split(from).join(to), text);
const privateFixture: Fixture = parseFixture(JSON.parse(remapped(demoText)));
const scenarios = (JSON.parse(remapped(scenariosText)) as { scenarios: Scenario[] }).scenarios;
const scenario = (id: string): Scenario => scenarios.find((x) => x.id === id) ?? (() => { throw new Error(id); })();

/** IINs no other file uses: a stranger and a would-be representative. */
function strangerIin(): string {
  for (;;) {
    const iin = makeIin('1991-02-03', 'F', randomInt(10_000));
    if (!demoText.includes(iin) && ![...remap.values()].includes(iin)) return iin;
  }
}
const A = scenario('S14').declaration.applicantIin; // R15.4 → HEARING_SCHEDULED
const C = scenario('S03').declaration.applicantIin; // R7.2 → AWAITING_REPORT
const B = strangerIin();
const R = strangerIin();
const IINS = [A, B, C, R];
const STAFF = ['operator:FZ-0001', 'officer:FZ-0002'];
const ACTORS = [...IINS.flatMap((i) => [`applicant:${i}`, `representative:${i}`]), ...STAFF];

let stack: Stack;
let app: Express;
let caseA: string;
let caseC: string;

beforeAll(async () => {
  stack = await startStack({ fixture: privateFixture });
  app = createApiApp({ devIdentityHeader: true,
    pool: stack.pool,
    client: stack.client,
    settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
    logger: pino({ level: 'silent' }),
    hardening: { rateLimitPerAddress: 1_000_000, rateLimitPerIin: 1_000_000 },
  });
  const file = async (id: string, iin: string): Promise<string> => {
    const { consents: _c, ...d } = scenario(id).declaration;
    const res = await request(app)
      .post('/v1/applications')
      .set('X-HPC-Actor', `applicant:${iin}`)
      .set('Idempotency-Key', `fuzz-${randomUUID()}`)
      .send({ ...d, consents: ['C1', 'C2', 'C3', 'C4'] });
    expect(res.status).toBe(202);
    return res.body.applicationId as string;
  };
  caseA = await file('S14', A);
  caseC = await file('S03', C);
  for (const [id, iin, want] of [
    [caseA, A, 'HEARING_SCHEDULED'],
    [caseC, C, 'AWAITING_REPORT'],
  ]) {
    const until = Date.now() + 20_000;
    for (;;) {
      const r = await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', `applicant:${iin}`);
      if (r.body.status === want) break;
      if (Date.now() > until) throw new Error(`${id} did not reach ${want}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

// ---- what the fuzzer may change, and how it is counted ----

interface Counts {
  applications: number;
  documents: number;
  consents: number;
  withdrawals: number;
  audit: number;
}

async function counts(): Promise<Counts> {
  const res = await stack.pool.query<Counts>(
    `SELECT
       (SELECT count(*) FROM applications WHERE applicant_iin = ANY ($1) OR representative_iin = ANY ($1))::int AS applications,
       (SELECT count(*) FROM documents WHERE uploaded_by = ANY ($2))::int AS documents,
       (SELECT count(*) FROM consents WHERE given_by = ANY ($2))::int AS consents,
       (SELECT count(*) FROM consents WHERE withdrawn_by = ANY ($2))::int AS withdrawals,
       (SELECT count(*) FROM audit_log WHERE actor = ANY ($2))::int AS audit`,
    [IINS, ACTORS],
  );
  return res.rows[0];
}

// ---- hostile input ----

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '\u202Eevil',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  "' OR 1=1 --",
  '"; DROP TABLE applications; --',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'C1',
  'C9',
  '351010000',
  '950314419498',
  '+77011234567',
  '00000000-0000-0000-0000-000000000000',
  'Ә'.repeat(3_000),
  '𝕏'.repeat(1_000),
  'x'.repeat(70_000),
];
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

const str: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...HOSTILE_STRINGS),
);
const key: fc.Arbitrary<string> = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...POLLUTION_KEYS));

/** An own property even for `__proto__`, as JSON.parse makes it. */
function withKey(obj: Record<string, unknown>, k: string, v: unknown): Record<string, unknown> {
  Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  return obj;
}

const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    str,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('v')), { maxLength: 4 }).map((entries) => entries.reduce((o, [k, v]) => withKey(o, k, v), {} as Record<string, unknown>)),
  ),
})).v;

/** A valid body with one field replaced, removed or added — to get past the first check. */
function mutated(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(base);
  return fc
    .record({ k: keys.length > 0 ? fc.oneof(fc.constantFrom(...keys), key) : key, v: value, op: fc.constantFrom('set', 'delete', 'keep') })
    .map(({ k, v, op }) => {
      const b = { ...base };
      if (op === 'delete') delete b[k];
      else if (op === 'set') withKey(b, k, v);
      return b;
    });
}

type Body = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'bytes'; data: Buffer };

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset="',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz',
  'application/pdf',
  'application/xml',
  '*/*',
  ';;',
];

function bodyArb(base: Record<string, unknown> | undefined): fc.Arbitrary<Body> {
  return fc.oneof(
    fc.constant<Body>({ kind: 'none' }),
    value.map((v): Body => ({ kind: 'json', value: v })),
    ...(base ? [mutated(base).map((v): Body => ({ kind: 'json', value: v }))] : []),
    fc
      .oneof(str, fc.constantFrom('{', '{"a":', '[1,2', '{"__proto__": {"polluted": true}}', '{"constructor": {"prototype": {"polluted": true}}}', 'true', '"x"', '1'))
      .map((text): Body => ({ kind: 'raw', text })),
    fc.uint8Array({ maxLength: 64 }).map((a): Body => ({ kind: 'bytes', data: Buffer.from(a) })),
  );
}

/** Header values as an HTTP client can send them (Latin-1, no line breaks). */
const headerSafe = (s: string): string => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
const headerValue = str.map(headerSafe);
const actorArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ACTORS) },
  { weight: 1, arbitrary: headerValue },
  { weight: 1, arbitrary: fc.constantFrom('applicant:', 'operator:FZ-1', `applicant:${A} `, `APPLICANT:${A}`, `applicant:${A}:x`, 'officer:FZ-0002\u0085') },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** encodeURIComponent throws on a lone surrogate; a client would send U+FFFD for it. */
const encode = (s: string): string => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

const idArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('A', 'C').map((w) => (w === 'A' ? caseA : caseC)) },
  { weight: 2, arbitrary: fc.uuid().map((u) => u) },
  { weight: 2, arbitrary: str.map(encode) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%00', '..%2F..', '%2e%2e', 'null', '-1', '%F0%9F', `${randomUUID()}%00`) },
);

const queryArb = fc.oneof(
  fc.constant(''),
  fc.array(fc.tuple(key, str), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString()),
  fc.constantFrom('page=1&page=2', 'pageSize=-1', 'pageSize=1e9', '__proto__[x]=1', 'a[b]=c', '%E0%A4%A=1', 'page=%ZZ'),
);

interface Req {
  actor: string | undefined;
  purpose: string | undefined;
  id: string;
  code: string;
  query: string;
  body: Body;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  idempotencyKey: string | undefined;
  extra: [string, string][];
}

/** Mostly absent: a present one is nearly always wrong, and would stop most requests at the door. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

function reqArb(ep: Endpoint): fc.Arbitrary<Req> {
  const base = ep.base?.();
  const r = fc.record({
    coherent: fc.boolean(),
    actor: actorArb,
    purpose: fc.option(fc.oneof(headerValue, fc.constantFrom('R15.6 report review', encode('Тексеру / Проверка'))), { nil: undefined }),
    id: idArb,
    code: fc.oneof(fc.constantFrom('C1', 'C2', 'C3', 'C4'), str.map(encode)),
    query: ep.baseQuery ? fc.oneof(queryArb, fc.constant(ep.baseQuery)) : queryArb,
    body: bodyArb(base),
    contentType: rarely(fc.constantFrom(...CONTENT_TYPES)),
    contentEncoding: rarely(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown')),
    idempotencyKey: fc.option(fc.oneof(headerValue, fc.uuid()), { nil: undefined }),
    extra: fc.array(fc.tuple(fc.constantFrom('X-Forwarded-For', 'Origin', 'Accept', 'Accept-Language', 'Cookie', 'Range', 'If-None-Match'), headerValue), {
      maxLength: 3,
    }),
  });
  // Half the requests come from the actor entitled to the endpoint and case, so that the input
  // gets past identity and ownership to the checks behind them.
  return r.map(({ coherent, ...req }) => (coherent ? { ...req, actor: ep.entitled(req) } : req));
}

interface Endpoint {
  name: string;
  method: 'get' | 'post';
  path: (r: Req) => string;
  /** A valid body to mutate. */
  base?: () => Record<string, unknown>;
  /** A case route (behind requireActor and the audit). */
  audited: boolean;
  /** Reads nothing from the request (health, the OpenAPI document). */
  takesNoInput?: boolean;
  /** A valid query to mix in. */
  baseQuery?: string;
  /** The content type a body is sent with unless the request names another. */
  defaultContentType?: string;
  /** Who may call it for the request's case. */
  entitled: (r: Req) => string;
}

const owner = (r: Req): string => (r.id === caseC ? `applicant:${C}` : `applicant:${A}`);

const caseRoute = (suffix: string) => (r: Req): string => `/v1/applications/${r.id}${suffix}`;
const ENDPOINTS: Endpoint[] = [
  {
    name: 'POST /v1/applications',
    method: 'post',
    path: () => '/v1/applications',
    base: () => ({ applicantIin: B, path: 'NO_HOUSING', kato: '351010000', contact: { mobile: '+77011234567' }, consents: ['C1', 'C2'] }),
    audited: true,
    entitled: () => `applicant:${B}`,
  },
  { name: 'GET /:id', method: 'get', path: caseRoute(''), audited: true, entitled: owner },
  { name: 'GET /:id/timeline', method: 'get', path: caseRoute('/timeline'), audited: true, entitled: owner },
  { name: 'GET /:id/queue-position', method: 'get', path: caseRoute('/queue-position'), audited: true, entitled: owner },
  { name: 'GET /:id/queue-history', method: 'get', path: caseRoute('/queue-history'), audited: true, entitled: owner },
  { name: 'GET /:id/queue-proof', method: 'get', path: caseRoute('/queue-proof'), audited: true, entitled: owner },
  { name: 'GET /:id/consents', method: 'get', path: caseRoute('/consents'), audited: true, entitled: owner },
  { name: 'GET /:id/access-log', method: 'get', path: caseRoute('/access-log'), audited: true, entitled: owner },
  {
    name: 'POST /:id/technical-report',
    method: 'post',
    path: caseRoute('/technical-report'),
    baseQuery: 'reportNumber=FZ-1&propertyId=55%3A101',
    defaultContentType: 'application/pdf',
    audited: true,
    entitled: owner,
  },
  { name: 'POST /:id/position', method: 'post', path: caseRoute('/position'), base: () => ({ text: 'Позиция' }), audited: true, entitled: owner },
  { name: 'POST /:id/consents', method: 'post', path: caseRoute('/consents'), base: () => ({ codes: ['C3'] }), audited: true, entitled: owner },
  {
    name: 'POST /:id/consents/:code/withdraw',
    method: 'post',
    path: (r) => `/v1/applications/${r.id}/consents/${r.code}/withdraw`,
    base: () => ({ reason: 'себеп' }),
    audited: true,
    entitled: owner,
  },
  { name: 'POST /:id/recheck', method: 'post', path: caseRoute('/recheck'), base: () => ({ reason: 'corrected' }), audited: true, entitled: owner },
  {
    name: 'POST /:id/report-review',
    method: 'post',
    path: caseRoute('/report-review'),
    base: () => ({ accepted: false, reason: 'x' }),
    audited: true,
    entitled: () => STAFF[0],
  },
  {
    name: 'POST /:id/hearing-outcome',
    method: 'post',
    path: caseRoute('/hearing-outcome'),
    base: () => ({ outcome: 'REFUSE', reasoning: 'x' }),
    audited: true,
    entitled: () => STAFF[1],
  },
  { name: 'GET /v1/queue/:kato', method: 'get', path: (r) => `/v1/queue/${r.id === caseA ? '351010000' : r.id}`, audited: false, entitled: owner },
  { name: 'GET /v1/queue/:kato/stats', method: 'get', path: (r) => `/v1/queue/${r.id === caseA ? '351010000' : r.id}/stats`, audited: false, entitled: owner },
  { name: 'GET /v1/queue/:kato/snapshot', method: 'get', path: (r) => `/v1/queue/${r.id === caseA ? '351010000' : r.id}/snapshot`, audited: false, entitled: owner },
  { name: 'GET /health', method: 'get', path: () => '/health', audited: false, takesNoInput: true, entitled: owner },
  { name: 'GET /openapi.json', method: 'get', path: () => '/openapi.json', audited: false, takesNoInput: true, entitled: owner },
  { name: 'unknown routes', method: 'post', path: (r) => `/v1/${r.code}/${r.id}`, audited: false, entitled: owner },
];

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

function send(ep: Endpoint, r: Req): request.Test {
  const url = `${ep.path(r)}${r.query ? `?${r.query}` : ''}`;
  let t = ep.method === 'get' ? request(app).get(url) : request(app).post(url);
  if (r.actor !== undefined) t = t.set('X-HPC-Actor', r.actor);
  if (r.purpose !== undefined) t = t.set('X-HPC-Purpose', r.purpose);
  if (r.idempotencyKey !== undefined) t = t.set('Idempotency-Key', r.idempotencyKey);
  for (const [h, v] of r.extra) t = t.set(h, v);
  if (r.contentEncoding !== undefined) t = t.set('Content-Encoding', r.contentEncoding);
  const body = ep.name.includes('technical-report') && r.body.kind === 'bytes' ? { kind: 'bytes' as const, data: Buffer.concat([PDF, r.body.data]) } : r.body;
  switch (body.kind) {
    case 'none':
      return r.contentType ? t.set('Content-Type', r.contentType) : t;
    case 'json':
      return t.set('Content-Type', r.contentType ?? ep.defaultContentType ?? 'application/json').send(JSON.stringify(body.value) ?? 'null');
    case 'raw':
      return t.set('Content-Type', r.contentType ?? ep.defaultContentType ?? 'application/json').send(body.text);
    case 'bytes':
      return t.set('Content-Type', r.contentType ?? 'application/pdf').send(body.data);
  }
}

/** A stack frame or a file of the server. */
const STACK_TRACE = /\bat [\w$.<>]+ \(|\/[\w.-]+\.(ts|js):\d+|node_modules/;
/** Internals an error body must never carry (a 2xx body may quote what a person stored, so only errors). */
const INTERNALS = /\bError: |\bTypeError\b|\bSyntaxError\b|\bSELECT\b|\bINSERT\b|\bpg_|\bgrpc\b|Failed to decode/;

/**
 * Node's HTTP parser refuses some requests itself, before the API sees them, with an empty body:
 * 431 for a URL or headers over its 16 kB limit.
 */
const REFUSED_BY_NODE = new Set([431]);

function checkAnswer(res: request.Response): void {
  expect(res.status).toBeLessThan(500);
  if (REFUSED_BY_NODE.has(res.status) && res.text === '') return;
  expect(res.text).not.toMatch(STACK_TRACE);
  if (res.status >= 400) {
    expect(res.text).not.toMatch(INTERNALS);
    if (res.headers['content-type'] === undefined) throw new Error(`status ${res.status} without a content type: ${res.text.slice(0, 200)}`);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const e = (res.body as { error?: { code?: unknown; message?: { kk?: unknown; ru?: unknown; en?: unknown } } }).error;
    expect(typeof e?.code).toBe('string');
    expect(typeof e?.message?.kk).toBe('string');
    expect(typeof e?.message?.ru).toBe('string');
  }
}

function expectNoPollution(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe.each(ENDPOINTS)('$name under hostile input', (ep) => {
  it(`never a 5xx, a stack trace or a partial write (${RUNS} runs)`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(reqArb(ep), async (r) => {
        const before = await counts();
        const res = await send(ep, r);
        const after = await counts();
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        checkAnswer(res);
        expectNoPollution();
        const ok = res.status >= 200 && res.status < 300;
        if (!ok) {
          // Refused: nothing written at all.
          expect(after).toEqual(before);
        } else {
          // Accepted: exactly one audit row for a case route, none for a public one.
          expect(after.audit - before.audit).toBe(ep.audited ? 1 : 0);
        }
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
    if (process.env.HPC_FUZZ_VERBOSE) process.stderr.write(`${ep.name}: ${JSON.stringify(Object.fromEntries([...seen].sort()))}\n`);
    // Hostile input is mostly refused (a run where nothing was refused would test little) — except
    // by the endpoints that take no input.
    if (!ep.takesNoInput) expect([...seen.keys()].some((s) => s >= 400)).toBe(true);
  });
});

describe('fixed hostile cases', () => {
  it('a gzip bomb, a body declared gzip that is not, and malformed percent-encodings are 4xx', async () => {
    const before = await counts();
    const bomb = gzipSync(Buffer.from(`{"text":"${' '.repeat(20_000_000)}"}`));
    const answers = [
      await request(app).post(`/v1/applications/${caseA}/position`).set('X-HPC-Actor', `applicant:${A}`).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(bomb),
      await request(app).post(`/v1/applications/${caseA}/position`).set('X-HPC-Actor', `applicant:${A}`).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"text":"x"}'),
      await request(app).get('/v1/applications/%E0%A4%A').set('X-HPC-Actor', `applicant:${A}`),
      await request(app).get('/v1/queue/%'),
      await request(app).post(`/v1/applications/${caseC}/technical-report?reportNumber=a&propertyId=b`).set('X-HPC-Actor', `applicant:${C}`).set('Content-Type', 'application/pdf').set('Content-Encoding', 'gzip').send(gzipSync(Buffer.concat([PDF, Buffer.alloc(30_000_000)]))),
    ];
    for (const res of answers) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      checkAnswer(res);
    }
    expect(answers[answers.length - 1].status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('a JSON body that inflates past 64 kB is 413 (sent raw: the test client would touch the body)', async () => {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      const bomb = gzipSync(Buffer.from(`{"text":"${' '.repeat(20_000_000)}"}`));
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/v1/applications/${caseA}/position`,
            headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': bomb.length, 'X-HPC-Actor': `applicant:${A}` },
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString('utf8')));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end(bomb);
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      server.close();
    }
  });

  it('after all of it the audit chain is intact', async () => {
    await expect(verifyAudit(stack.pool)).resolves.toMatchObject({ valid: true });
  });
});
