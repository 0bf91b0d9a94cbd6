/**
 * The permission matrix (issue #3): every endpoint of security/policy/policy.json, called as every
 * role, is allowed or refused exactly as the policy says — over the real stack, with sessions from
 * real EDS sign-ins (a private test CA, the NCALayer stand-in, the staff registry for staff).
 *
 *   - role not listed for the endpoint          → 403 FORBIDDEN (before any case is read)
 *   - own / represented scope, the person's case → allowed
 *   - own / represented scope, another's case    → 404 NOT_FOUND (as for a missing case);
 *                                                  filing for someone else → 403
 *   - any                                        → allowed on any case
 *   - no session on a guarded endpoint           → 401; public endpoints answer everyone
 * "Allowed" means authorisation let the request through: the answer may still be a validation
 * error (the probes send bodies that fail validation, so nothing changes) but never 401, 403 or
 * a NOT_FOUND/ROUTE_NOT_FOUND 404, and never a 5xx.
 *
 * The app's routes (listed from Express) and the policy's endpoints must be the same set: a route
 * missing from the policy fails here (and stops createApiApp).
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { installPolicy, listRoutes } from '../../api/auth/authorise';
import { upsertStaffMember } from '../../api/auth/staff';
import { createIdentity } from '../../api/identity';
import { makeIin } from '../../domain/iin';
import { loadPolicy, ROLES, STAFF_ROLES, type EndpointPolicy, type Role } from '../../security/policy/policy';
import { createTestPki, signedApplication, signInBearer, type TestPki } from '../helpers/auth';
import { privateDemo } from '../helpers/demo';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const demo = privateDemo(['S01', 'S12', 'S06']);
const A = demo.scenario('S01').declaration.applicantIin; // applicant A
const B = demo.scenario('S12').declaration.applicantIin; // applicant B
const P = demo.scenario('S06').declaration.applicantIin; // a minor (the principal)…
const G = demo.scenario('S06').declaration.representativeIin!; // …and her guardian
const R2 = makeIin('1985-03-03', 'F', 4242); // a would-be representative the registry knows nothing of

const policy = loadPolicy();

let stack: Stack;
let pki: TestPki;
let app: Express;
/** The main session of each role (applicant = A, representative = G, staff: one member per role). */
const tokens = new Map<Role, string>();
/** A second session per role, spent on sign-out. */
const spare = new Map<Role, string>();
let tokenB: string;
let tokenR2: string;
let tokenP: string;
const cases: { A?: string; B?: string; P?: string } = {};

function staffIin(i: number): string {
  return makeIin('1980-01-01', i % 2 === 0 ? 'M' : 'F', 7000 + i);
}

beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
  pki = await createTestPki();
  app = createApiApp({
    pool: stack.pool,
    client: stack.client,
    settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
    logger: pino({ level: 'silent' }),
    hardening: { rateLimitPerAddress: 100_000, rateLimitPerIin: 100_000 },
    // Sessions only: the matrix must not pass through the development header.
    devIdentityHeader: false,
    auth: pki.authOptions,
  });

  const person = async (iin: string, as: 'applicant' | 'representative'): Promise<string> =>
    signInBearer(app, await pki.person(iin), { as });
  tokens.set('applicant', await person(A, 'applicant'));
  spare.set('applicant', await person(A, 'applicant'));
  tokens.set('representative', await person(G, 'representative'));
  spare.set('representative', await person(G, 'representative'));
  tokenB = await person(B, 'applicant');
  tokenP = await person(P, 'applicant');
  tokenR2 = await person(R2, 'representative');

  let i = 0;
  for (const role of STAFF_ROLES) {
    i += 1;
    const iin = staffIin(i);
    const staffId = `PM-${String(9000 + i)}`;
    await upsertStaffMember(stack.pool, { iin, staffId, roles: [role], active: true, by: 'test:permissions' });
    const key = await pki.staff(iin, staffId);
    tokens.set(role, await signInBearer(app, key, { as: 'staff' }));
    spare.set(role, await signInBearer(app, key, { as: 'staff' }));
  }

  // Signed with the filer's SIGN key: a session caller's application needs its EDS signature.
  const file = async (token: string, signer: string, body: Record<string, unknown>): Promise<string> => {
    const key = `perm-${randomUUID()}`;
    const signed = await signedApplication(app, { token }, await pki.person(signer, 'SIGN'), body, key);
    const res = await request(app).post('/v1/applications').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(signed);
    if (res.status !== 202) throw new Error(`filing: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { applicationId: string }).applicationId;
  };
  cases.A = await file(tokens.get('applicant')!, A, demo.bodyOf('S01'));
  cases.B = await file(tokenB, B, demo.bodyOf('S12'));
  cases.P = await file(tokens.get('representative')!, G, demo.bodyOf('S06'));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

// ---- probes: one request per endpoint, with values that fail validation after authorisation ----

interface Probe {
  /** A request for `caseId` (case endpoints) with `token` (undefined: no credentials). */
  send(token: string | undefined, caseId: string, role: Role): Promise<request.Response>;
  /** The answers (`status` or `status CODE`) of an allowed call: what the handler says past authorisation. */
  allowed: string[];
}

const withAuth = (t: request.Test, token: string | undefined): request.Test =>
  (token ? t.set('Authorization', `Bearer ${token}`) : t).set('X-HPC-Purpose', 'permission matrix test');

const OK = ['200'];
const INVALID = ['400 VALIDATION_FAILED'];
const get = (path: (id: string) => string, allowed = OK): Probe => ({ send: (token, id) => withAuth(request(app).get(path(id)), token), allowed });
const post = (path: (id: string) => string, body: unknown = { unexpected: true }, allowed = INVALID): Probe => ({
  send: (token, id) => withAuth(request(app).post(path(id)), token).send(body as object),
  allowed,
});

const PROBES: Record<string, Probe> = {
  'GET /health': get(() => '/health'),
  'GET /openapi.json': get(() => '/openapi.json'),
  'GET /v1/queue/:kato': get(() => '/v1/queue/351010000'),
  'GET /v1/queue/:kato/stats': get(() => '/v1/queue/351010000/stats'),
  // Before the first hourly build there may be none: either answer is past authorisation.
  'GET /v1/queue/:kato/snapshot': get(() => '/v1/queue/351010000/snapshot', ['200', '404 NO_SNAPSHOT']),
  'POST /v1/auth/challenge': post(() => '/v1/auth/challenge', {}, ['201']),
  'POST /v1/auth/sign-in': post(() => '/v1/auth/sign-in', {}),
  // A session of its own per role: signing out the main one would end the matrix.
  'POST /v1/auth/sign-out': {
    send: (token, _id, role) => withAuth(request(app).post('/v1/auth/sign-out'), token ? spare.get(role) : undefined),
    allowed: ['204'],
  },
  'GET /v1/auth/session': get(() => '/v1/auth/session'),
  'GET /v1/admin/staff': get(() => '/v1/admin/staff'),
  'PUT /v1/admin/staff/:iin': {
    send: (token) => withAuth(request(app).put(`/v1/admin/staff/${makeIin('1970-07-07', 'M', 1)}`), token).send({ roles: 'none' }),
    allowed: INVALID,
  },
  // Filing again for the same person: past authorisation it is 409 while the first case is open,
  // or a new case once the first one is decided (which its workflow then refuses under R15.1).
  'POST /v1/applications': {
    send: (token, _id, role) =>
      withAuth(request(app).post('/v1/applications'), token)
        .set('Idempotency-Key', `perm-${randomUUID()}`)
        .send(role === 'representative' ? demo.bodyOf('S06') : demo.bodyOf('S01')),
    // Unsigned: a session caller's application is refused before anything is written.
    allowed: ['400 SIGNATURE_REQUIRED'],
  },
  'POST /v1/applications/sign-request': {
    send: (token, _id, role) =>
      withAuth(request(app).post('/v1/applications/sign-request'), token)
        .set('Idempotency-Key', `perm-${randomUUID()}`)
        .send(role === 'representative' ? demo.bodyOf('S06') : demo.bodyOf('S01')),
    allowed: OK,
  },
  'POST /v1/applications/:id/sign-request': post((id) => `/v1/applications/${id}/sign-request`),
  'GET /v1/applications/:id/signature': get((id) => `/v1/applications/${id}/signature`),
  'GET /v1/applications/:id/signatures': get((id) => `/v1/applications/${id}/signatures`),
  'GET /v1/applications/:id': get((id) => `/v1/applications/${id}`),
  'GET /v1/applications/:id/timeline': get((id) => `/v1/applications/${id}/timeline`),
  // Registered by now or not yet: either answer is past authorisation.
  'GET /v1/applications/:id/queue-position': get((id) => `/v1/applications/${id}/queue-position`, ['200', '404 NOT_IN_QUEUE']),
  'GET /v1/applications/:id/queue-proof': get((id) => `/v1/applications/${id}/queue-proof`, ['200', '404 NOT_IN_QUEUE', '404 NO_SNAPSHOT', '404 NOT_IN_SNAPSHOT']),
  'GET /v1/applications/:id/queue-history': get((id) => `/v1/applications/${id}/queue-history`, ['200', '404 NOT_IN_QUEUE']),
  'POST /v1/applications/:id/technical-report': {
    // No reportNumber/propertyId: 400 once the case is found to be the caller's.
    send: (token, id) =>
      withAuth(request(app).post(`/v1/applications/${id}/technical-report`), token)
        .set('Content-Type', 'application/pdf')
        .send(Buffer.from('%PDF-1.4 probe')),
    allowed: INVALID,
  },
  'POST /v1/applications/:id/position': post((id) => `/v1/applications/${id}/position`),
  'GET /v1/applications/:id/consents': get((id) => `/v1/applications/${id}/consents`),
  'POST /v1/applications/:id/consents': post((id) => `/v1/applications/${id}/consents`),
  'POST /v1/applications/:id/consents/:code/withdraw': post((id) => `/v1/applications/${id}/consents/C3/withdraw`, { reason: 5 }),
  'POST /v1/applications/:id/recheck': post((id) => `/v1/applications/${id}/recheck`, { reason: 5 }),
  'POST /v1/applications/:id/report-review': post((id) => `/v1/applications/${id}/report-review`),
  'POST /v1/applications/:id/hearing-outcome': post((id) => `/v1/applications/${id}/hearing-outcome`),
  'POST /v1/uploads/technical-report': {
    // A PDF without reportNumber/propertyId: 400 once the caller may upload at all.
    send: (token) =>
      withAuth(request(app).post('/v1/uploads/technical-report'), token)
        .set('Content-Type', 'application/pdf')
        .send(Buffer.from('%PDF-1.4 probe')),
    allowed: INVALID,
  },
  'POST /v1/applications/:id/final-refusal': post((id) => `/v1/applications/${id}/final-refusal`),
  'POST /v1/applications/:id/retry-failed-step': post((id) => `/v1/applications/${id}/retry-failed-step`),
  'GET /v1/applications/:id/access-log': get((id) => `/v1/applications/${id}/access-log`),
  // Complaints (R18, R19): an invalid body or id, past authorisation.
  'POST /v1/applications/:id/complaints': {
    send: (token, id) => withAuth(request(app).post(`/v1/applications/${id}/complaints`), token).set('Idempotency-Key', `perm-${randomUUID()}`).send({ unexpected: true }),
    allowed: INVALID,
  },
  'GET /v1/applications/:id/complaints': get((id) => `/v1/applications/${id}/complaints`),
  'GET /v1/complaints': get(() => '/v1/complaints?status=WITH_PROVIDER'),
  'GET /v1/complaints/:complaintId': get(() => '/v1/complaints/not-a-uuid', INVALID),
  'POST /v1/complaints/:complaintId/provider-decision': post(() => `/v1/complaints/${randomUUID()}/provider-decision`),
  'POST /v1/complaints/:complaintId/review-body-decision': post(() => `/v1/complaints/${randomUUID()}/review-body-decision`),
  // Issue #11 §3. Case A is an R7.1 case: no report, no emergency recognition — past authorisation.
  'GET /v1/applications/prefill': get(() => '/v1/applications/prefill'),
  'GET /v1/applications/:id/technical-report': get((id) => `/v1/applications/${id}/technical-report`, ['404 NO_TECHNICAL_REPORT']),
  'GET /v1/applications/:id/emergency-recognition': get((id) => `/v1/applications/${id}/emergency-recognition`, ['404 NOT_EMERGENCY_PATH']),
  'GET /v1/cabinet/applications': get(() => '/v1/cabinet/applications'),
  'GET /v1/cabinet/notices': get(() => '/v1/cabinet/notices'),
  'POST /v1/cabinet/notices/:noticeId/read': post(() => `/v1/cabinet/notices/${randomUUID()}/read`),
  'GET /v1/staff/worklist': get(() => '/v1/staff/worklist'),
  'POST /v1/applications/:id/withdrawal': post((id) => `/v1/applications/${id}/withdrawal`),
  'POST /v1/applications/:id/category-recheck': post((id) => `/v1/applications/${id}/category-recheck`),
  // Removal from the register (issue #11 §2): an invalid body or id, past authorisation.
  'POST /v1/removals': post(() => '/v1/removals'),
  'GET /v1/cabinet/removals': get(() => '/v1/cabinet/removals'),
  'GET /v1/removals/:removalId': get(() => '/v1/removals/not-a-uuid', INVALID),
  'POST /v1/removals/:removalId/position': post(() => '/v1/removals/not-a-uuid/position'),
  'POST /v1/removals/:removalId/sign-request': post(() => '/v1/removals/not-a-uuid/sign-request'),
  'POST /v1/removals/:removalId/decision': post(() => '/v1/removals/not-a-uuid/decision'),
};

function code(res: request.Response): string | undefined {
  return (res.body as { error?: { code?: string } } | undefined)?.error?.code;
}

/** Authorisation let it through: no 401/403, no "not found" for the case or route, no 5xx. */
function passed(res: request.Response): boolean {
  if (res.status >= 500 || res.status === 401 || res.status === 403) return false;
  return !(res.status === 404 && (code(res) === 'NOT_FOUND' || code(res) === 'ROUTE_NOT_FOUND'));
}

function describeRes(res: request.Response): string {
  return `HTTP ${res.status} ${code(res) ?? ''}`.trim();
}

/** `status` for a success, `status CODE` for an error. */
function answer(res: request.Response): string {
  return res.status < 400 ? String(res.status) : `${res.status} ${code(res) ?? ''}`.trim();
}

// ---- the tests ---------------------------------------------------------------------------------

describe('the policy covers the app', () => {
  it('every route of the app is in policy.json, and every endpoint of policy.json is a route', () => {
    const routes = listRoutes(app).map((r) => `${r.method} ${r.path}`);
    const listed = policy.endpoints.map((e) => e.key);
    expect(routes.filter((r) => !listed.includes(r))).toEqual([]);
    expect(listed.filter((e) => !routes.includes(e))).toEqual([]);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('an app with a route missing from the policy does not start', () => {
    const rogue = express();
    rogue.get('/health', (_req, res) => res.json({}));
    rogue.get('/v1/secret', (_req, res) => res.json({ secret: true }));
    const identity = createIdentity({ pool: stack.pool, devHeader: false, idleTimeoutMs: 60_000, now: () => new Date() });
    expect(() =>
      installPolicy(rogue, {
        policy,
        identity,
        ctx: { registry: { recordsOf: async () => [] }, now: () => new Date() },
        pool: stack.pool,
        logger: pino({ level: 'silent' }),
      }),
    ).toThrow(/GET \/v1\/secret/);
  });

  it('fail closed: a case route that answers a person without checking the case gives no data', async () => {
    const careless = express();
    for (const e of policy.endpoints) {
      const route = careless.route(e.path);
      const answer: express.RequestHandler = (_req, res) => {
        res.json({ secret: 'data of whoever owns the case' });
      };
      if (e.method === 'GET') route.get(answer);
      else if (e.method === 'POST') route.post(answer);
      else route.put(answer);
    }
    const identity = createIdentity({ pool: stack.pool, devHeader: true, idleTimeoutMs: 60_000, now: () => new Date() });
    installPolicy(careless, {
      policy,
      identity,
      ctx: { registry: { recordsOf: async () => [] }, now: () => new Date() },
      pool: stack.pool,
      logger: pino({ level: 'silent' }),
    });
    careless.use(((err, _req, res, _next) => {
      res.status((err as { status?: number }).status ?? 500).json({});
    }) as express.ErrorRequestHandler);
    const res = await request(careless).get(`/v1/applications/${cases.B}`).set('X-HPC-Actor', `applicant:${A}`);
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret');
    // Staff scope "any" needs no case check; a role not listed never reaches the handler.
    expect((await request(careless).get(`/v1/applications/${cases.B}`).set('X-HPC-Actor', 'operator:OP-0001')).status).toBe(200);
    expect((await request(careless).get(`/v1/applications/${cases.B}`).set('X-HPC-Actor', 'administrator:AD-0001')).status).toBe(403);
  });

  it('every endpoint has a probe in this test (a new endpoint must be added to the matrix)', () => {
    expect(policy.endpoints.map((e) => e.key).filter((k) => !(k in PROBES))).toEqual([]);
  });
});

/** The case a role acts on when allowed: its own (applicant A), represented (P, by G), or A's. */
function caseFor(role: Role): string {
  if (role === 'representative') return cases.P!;
  return cases.A!;
}

const rows: [string, Role][] = policy.endpoints.flatMap((e) => ROLES.map((r): [string, Role] => [e.key, r]));

describe('every endpoint as every role', () => {
  it.each(rows)('%s as %s', async (key, role) => {
    const endpoint: EndpointPolicy = policy.endpoint(key.split(' ')[0], key.slice(key.indexOf(' ') + 1))!;
    const probe = PROBES[key];
    const res = await probe.send(tokens.get(role), caseFor(role), role);
    const allowed = endpoint.public || endpoint.allow[role] !== undefined;
    if (allowed) {
      expect(passed(res)).toBe(true);
      expect(probe.allowed).toContain(answer(res));
    } else {
      expect(describeRes(res)).toBe('HTTP 403 FORBIDDEN');
    }
  });
});

describe("another person's case", () => {
  const scoped = policy.endpoints.filter((e) => !e.public && e.subject !== 'none');

  it.each(scoped.filter((e) => !e.public && e.allow.applicant === 'own').map((e) => e.key))(
    '%s: applicant B on applicant A’s case → 404 (filing for A → 403)',
    async (key) => {
      const endpoint = policy.endpoint(key.split(' ')[0], key.slice(key.indexOf(' ') + 1))!;
      const res = await PROBES[key].send(tokenB, cases.A!, 'applicant');
      expect(describeRes(res)).toBe(!endpoint.public && endpoint.subject === 'body' ? 'HTTP 403 FORBIDDEN' : 'HTTP 404 NOT_FOUND');
    },
  );

  it.each(scoped.filter((e) => !e.public && e.allow.representative === 'represented').map((e) => e.key))(
    '%s: a representative of nobody on the minor’s case → 404 (filing for her → 403)',
    async (key) => {
      const endpoint = policy.endpoint(key.split(' ')[0], key.slice(key.indexOf(' ') + 1))!;
      const res = await PROBES[key].send(tokenR2, cases.P!, 'representative');
      expect(res.status).toBe(!endpoint.public && endpoint.subject === 'body' ? 403 : 404);
      if (res.status === 404) expect(code(res)).toBe('NOT_FOUND');
    },
  );

  it.each(scoped.filter((e) => !e.public && e.allow.representative === 'represented').map((e) => e.key))(
    '%s: the guardian on applicant A’s case → 404',
    async (key) => {
      const endpoint = policy.endpoint(key.split(' ')[0], key.slice(key.indexOf(' ') + 1))!;
      if (!endpoint.public && endpoint.subject === 'body') return; // filing has no case in the path
      const res = await PROBES[key].send(tokens.get('representative'), cases.A!, 'representative');
      expect(describeRes(res)).toBe('HTTP 404 NOT_FOUND');
    },
  );

  it('applicant A reads applicant B’s case: 404, the same answer as for a case that does not exist', async () => {
    const other = await request(app).get(`/v1/applications/${cases.B}`).set('Authorization', `Bearer ${tokens.get('applicant')}`);
    const missing = await request(app).get(`/v1/applications/${randomUUID()}`).set('Authorization', `Bearer ${tokens.get('applicant')}`);
    expect(other.status).toBe(404);
    expect(other.body).toEqual(missing.body);
    // B reads their own.
    const own = await request(app).get(`/v1/applications/${cases.B}`).set('Authorization', `Bearer ${tokenB}`);
    expect(own.status).toBe(200);
  });

  it('the minor reads the case her guardian filed (she is its applicant)', async () => {
    const res = await request(app).get(`/v1/applications/${cases.P}`).set('Authorization', `Bearer ${tokenP}`);
    expect(res.status).toBe(200);
    expect(res.body.representativeIin).toBe(G);
  });
});

describe('without a session', () => {
  it.each(policy.endpoints.map((e) => e.key))('%s', async (key) => {
    const endpoint = policy.endpoint(key.split(' ')[0], key.slice(key.indexOf(' ') + 1))!;
    const res = await PROBES[key].send(undefined, cases.A!, 'applicant');
    if (endpoint.public) expect(passed(res)).toBe(true);
    else expect(describeRes(res)).toBe('HTTP 401 UNAUTHENTICATED');
  });

  it('the development header is not accepted by an app without it', async () => {
    const res = await request(app).get(`/v1/applications/${cases.A}`).set('X-HPC-Actor', `applicant:${A}`);
    expect(res.status).toBe(401);
  });
});
