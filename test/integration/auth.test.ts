/**
 * Sign-in with EDS, sessions, CSRF, the staff registry and representatives, over the real stack
 * (sandbox + PostgreSQL + Temporal + worker) with a private test CA and the NCALayer stand-in:
 *   - the full challenge → NCALayer → sign-in round trip, cookie and Bearer sessions, sign-out;
 *   - one nonce per sign-in, expired nonces, the certificate's checks (AUTH key, individual or the
 *     provider's employee, trusted issuer, not revoked), the IIN taken from the certificate only;
 *   - a staff certificate alone is not a role: the staff registry decides;
 *   - idle and absolute expiry; the development header only where enabled, never in production;
 *   - a representative acts only while the representation registry confirms it, and the
 *     principal gets a cabinet notice of each action.
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { devIdentityHeaderEnabled, type AuthOptions } from '../../api/auth/config';
import { noticeRepresentativeAction } from '../../api/auth/notices';
import { sha256 } from '../../api/auth/sessions';
import { upsertStaffMember } from '../../api/auth/staff';
import { makeIin } from '../../domain/iin';
import type { Fixture } from '../../sandbox/fixture';
import { parseFixture } from '../../sandbox/fixture';
import { TEST_PROVIDER } from '../../dev/pki/test-ca';
import { createTestPki, ncaLayerSign, signedApplication, signInBearer, signInResponse, type TestPki } from '../helpers/auth';
import { privateDemo } from '../helpers/demo';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const demo = privateDemo(['S01', 'S06', 'S07', 'S12']);
const S01 = demo.scenario('S01').declaration.applicantIin;
const S12 = demo.scenario('S12').declaration.applicantIin;
const MINOR = demo.scenario('S06').declaration.applicantIin;
const GUARDIAN = demo.scenario('S06').declaration.representativeIin!;
const S07_FATHER = demo.scenario('S07').declaration.applicantIin;
const S07_SON = demo.scenario('S07').declaration.representativeIin!; // power of attorney expired 2026-05-10

let stack: Stack;
let pki: TestPki;
let app: Express;
/** A clock the expiry tests move forward. */
let clockOffsetMs = 0;
const now = (): Date => new Date(Date.now() + clockOffsetMs);

function makeApp(auth: AuthOptions = {}, devIdentityHeader = false): Express {
  return createApiApp({
    pool: stack.pool,
    client: stack.client,
    settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
    logger: pino({ level: 'silent' }),
    hardening: { rateLimitPerAddress: 100_000, rateLimitPerIin: 100_000 },
    devIdentityHeader,
    auth: { ...pki.authOptions, ...auth },
  });
}

function code(res: request.Response): string | undefined {
  return (res.body as { error?: { code?: string } }).error?.code;
}

function expectLocalized(res: request.Response): void {
  const m = (res.body as { error: { message: Record<string, string> } }).error.message;
  for (const lang of ['kk', 'ru', 'en']) expect(m[lang]?.length).toBeGreaterThan(0);
}

function cookies(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown;
  return Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
}

function cookieHeader(res: request.Response): string {
  return cookies(res)
    .map((c) => c.split(';')[0])
    .join('; ');
}

beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
  pki = await createTestPki();
  app = makeApp();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('sign-in through NCALayer, cookie session', () => {
  it('challenge, NCALayer signs the nonce, sign-in: HttpOnly Secure SameSite=Strict cookie + CSRF token', async () => {
    const key = await pki.person(S01);
    const challenge = await request(app).post('/v1/auth/challenge');
    expect(challenge.status).toBe(201);
    expect(challenge.headers['cache-control']).toBe('no-store');
    const { nonce, expiresAt } = challenge.body as { nonce: string; expiresAt: string };
    expect(Buffer.from(nonce, 'base64')).toHaveLength(32);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 1_000);

    const cms = await ncaLayerSign(key, nonce);
    const res = await request(app).post('/v1/auth/sign-in').send({ nonce, cms, as: 'applicant' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'applicant', id: S01, name: 'ТЕСТОВ ТЕСТ' });
    expect(res.body.token).toBeUndefined(); // a browser never sees the session token
    const csrf = res.body.csrfToken as string;
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const set = cookies(res);
    const session = set.find((c) => c.startsWith('__Host-hpc_session='))!;
    const csrfCookie = set.find((c) => c.startsWith('__Host-hpc_csrf='))!;
    for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(session).toContain(attr);
    for (const attr of ['Secure', 'SameSite=Strict', 'Path=/']) expect(csrfCookie).toContain(attr);
    expect(csrfCookie).not.toContain('HttpOnly');
    expect(csrfCookie).toContain(`__Host-hpc_csrf=${csrf}`);
    // Only hashes are stored.
    const token = session.split(';')[0].split('=')[1];
    const stored = await stack.pool.query(`SELECT role, subject_iin FROM sessions WHERE token_hash = $1`, [sha256(token)]);
    expect(stored.rows).toEqual([{ role: 'applicant', subject_iin: S01 }]);
    expect((await stack.pool.query(`SELECT 1 FROM sessions WHERE token_hash = $1`, [token])).rowCount).toBe(0);

    const jar = cookieHeader(res);
    const me = await request(app).get('/v1/auth/session').set('Cookie', jar);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'applicant', id: S01, via: 'session' });

    // A state-changing request with the cookie needs the CSRF token.
    const body = demo.bodyOf('S01');
    const noCsrf = await request(app).post('/v1/applications').set('Cookie', jar).set('Idempotency-Key', `auth-${randomUUID()}`).send(body);
    expect(noCsrf.status).toBe(403);
    expect(code(noCsrf)).toBe('CSRF_FAILED');
    expectLocalized(noCsrf);
    const wrong = await request(app)
      .post('/v1/applications')
      .set('Cookie', jar)
      .set('X-CSRF-Token', 'A'.repeat(43))
      .set('Idempotency-Key', `auth-${randomUUID()}`)
      .send(body);
    expect(code(wrong)).toBe('CSRF_FAILED');
    expect((await stack.pool.query(`SELECT 1 FROM applications WHERE applicant_iin = $1`, [S01])).rowCount).toBe(0);
    // Signed with the SIGN key over the form of the sign request (a session caller must sign).
    const idem = `auth-${randomUUID()}`;
    const form = await request(app).post('/v1/applications/sign-request').set('Cookie', jar).set('X-CSRF-Token', csrf).set('Idempotency-Key', idem).send(body);
    expect(form.status).toBe(200);
    const signature = await ncaLayerSign(await pki.person(S01, 'SIGN'), (form.body as { data: string }).data);
    const filed = await request(app)
      .post('/v1/applications')
      .set('Cookie', jar)
      .set('X-CSRF-Token', csrf)
      .set('Idempotency-Key', idem)
      .send({ ...body, signature });
    expect(filed.status).toBe(202);
    // The case records who filed it: the IIN of the certificate.
    const row = await stack.pool.query(`SELECT submitted_by FROM applications WHERE id = $1`, [filed.body.applicationId]);
    expect(row.rows[0].submitted_by).toBe(`applicant:${S01}`);

    // Sign-out: the session ends, the cookies are cleared.
    const out = await request(app).post('/v1/auth/sign-out').set('Cookie', jar).set('X-CSRF-Token', csrf);
    expect(out.status).toBe(204);
    expect(cookies(out).some((c) => c.startsWith('__Host-hpc_session=;') && /Expires=Thu, 01 Jan 1970/.test(c))).toBe(true);
    const after = await request(app).get(`/v1/applications/${filed.body.applicationId}`).set('Cookie', jar);
    expect(after.status).toBe(401);
    expect(code(after)).toBe('SESSION_EXPIRED');
    expectLocalized(after);
  });

  it('reads need no CSRF token; an unknown session cookie is 401 and cleared', async () => {
    const res = await signInResponse(app, await pki.person(S12), { as: 'applicant', delivery: 'cookie' });
    const jar = cookieHeader(res);
    expect((await request(app).get('/v1/auth/session').set('Cookie', jar)).status).toBe(200);
    const bogus = await request(app).get('/v1/auth/session').set('Cookie', `__Host-hpc_session=${'x'.repeat(43)}`);
    expect(bogus.status).toBe(401);
    expect(code(bogus)).toBe('SESSION_EXPIRED');
    expect(cookies(bogus).some((c) => c.startsWith('__Host-hpc_session=;'))).toBe(true);
  });
});

describe('Bearer sessions (programs)', () => {
  it('the token in the answer, no cookie; Authorization: Bearer without CSRF; sign-out ends it', async () => {
    const res = await signInResponse(app, await pki.person(S12), { as: 'applicant', delivery: 'bearer' });
    expect(res.status).toBe(201);
    expect(cookies(res)).toEqual([]);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', role: 'applicant', id: S12 });
    expect(res.body.csrfToken).toBeUndefined();
    const token = res.body.token as string;
    const me = await request(app).get('/v1/auth/session').set('Authorization', `Bearer ${token}`);
    expect(me.body).toMatchObject({ role: 'applicant', id: S12, via: 'session' });
    expect(Date.parse(me.body.expiresAt) - Date.now()).toBeGreaterThan(7.9 * 3_600_000);
    expect(Date.parse(me.body.idleExpiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 1_000);
    const out = await request(app).post('/v1/auth/sign-out').set('Authorization', `Bearer ${token}`);
    expect(out.status).toBe(204);
    expect((await request(app).get('/v1/auth/session').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('a malformed Authorization header is 401', async () => {
    const res = await request(app).get('/v1/auth/session').set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(res.status).toBe(401);
    expect(code(res)).toBe('AUTHORIZATION_MALFORMED');
  });
});

describe('the challenge', () => {
  it('a nonce signs in once; a second use, an unknown or an expired nonce is 401 CHALLENGE_INVALID', async () => {
    const key = await pki.person(S12);
    const { nonce } = (await request(app).post('/v1/auth/challenge')).body as { nonce: string };
    const cms = await ncaLayerSign(key, nonce);
    expect((await request(app).post('/v1/auth/sign-in').send({ nonce, cms, as: 'applicant' })).status).toBe(201);
    const again = await request(app).post('/v1/auth/sign-in').send({ nonce, cms, as: 'applicant' });
    expect(again.status).toBe(401);
    expect(code(again)).toBe('CHALLENGE_INVALID');
    expectLocalized(again);

    const unknown = Buffer.alloc(32, 7).toString('base64');
    const never = await request(app).post('/v1/auth/sign-in').send({ nonce: unknown, cms: await ncaLayerSign(key, unknown), as: 'applicant' });
    expect(code(never)).toBe('CHALLENGE_INVALID');

    const late = (await request(app).post('/v1/auth/challenge')).body as { nonce: string };
    await stack.pool.query(`UPDATE auth_challenges SET expires_at = issued_at + interval '1 millisecond' WHERE nonce_hash = $1`, [sha256(late.nonce)]);
    const expired = await request(app).post('/v1/auth/sign-in').send({ nonce: late.nonce, cms: await ncaLayerSign(key, late.nonce), as: 'applicant' });
    expect(code(expired)).toBe('CHALLENGE_INVALID');
  });

  it('a CMS over another nonce is refused, and the issued nonce is used up all the same', async () => {
    const key = await pki.person(S12);
    const { nonce } = (await request(app).post('/v1/auth/challenge')).body as { nonce: string };
    const other = Buffer.alloc(32, 1).toString('base64');
    const res = await request(app).post('/v1/auth/sign-in').send({ nonce, cms: await ncaLayerSign(key, other), as: 'applicant' });
    expect(res.status).toBe(401);
    expect(code(res)).toBe('NONCE_MISMATCH');
    expectLocalized(res);
    const retry = await request(app).post('/v1/auth/sign-in').send({ nonce, cms: await ncaLayerSign(key, nonce), as: 'applicant' });
    expect(code(retry)).toBe('CHALLENGE_INVALID');
  });

  it('the IIN comes from the certificate only: a body naming one is refused', async () => {
    const key = await pki.person(S12);
    const { nonce } = (await request(app).post('/v1/auth/challenge')).body as { nonce: string };
    const res = await request(app)
      .post('/v1/auth/sign-in')
      .send({ nonce, cms: await ncaLayerSign(key, nonce), as: 'applicant', iin: S01 });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('iin');
  });
});

describe('what the certificate must be', () => {
  it('the AUTH key, not the SIGN key', async () => {
    const res = await signInResponse(app, await pki.person(S12, 'SIGN'), { as: 'applicant' });
    expect(res.status).toBe(401);
    expect(code(res)).toBe('NOT_AUTH_KEY');
    expect(res.body.error.message.ru).toMatch(/AUTH/);
  });

  it('issued by a trusted CA', async () => {
    const other = await createTestPki();
    const res = await signInResponse(app, await other.person(S12), { as: 'applicant' });
    expect(res.status).toBe(401);
    expect(code(res)).toBe('UNTRUSTED_ISSUER');
  });

  it('not revoked (OCSP)', async () => {
    const key = await pki.person(S12);
    pki.responder.revoke(key.certificate.parsed.serialNumber, new Date(Date.now() - 60_000));
    const res = await signInResponse(app, key, { as: 'applicant' });
    expect(res.status).toBe(401);
    expect(code(res)).toBe('CERT_REVOKED');
  });

  it("a citizen signs in with an individual's certificate; staff with the provider's employee's", async () => {
    const staffKey = await pki.staff(makeIin('1981-02-02', 'M', 101), 'AU-0101');
    const asCitizen = await signInResponse(app, staffKey, { as: 'applicant' });
    expect(code(asCitizen)).toBe('NOT_INDIVIDUAL');
    const citizenAsStaff = await signInResponse(app, await pki.person(S12), { as: 'staff' });
    expect(code(citizenAsStaff)).toBe('NOT_ORGANIZATION_EMPLOYEE');
    const otherBin = await pki.staff(makeIin('1981-02-02', 'M', 102), 'AU-0102', { organization: { name: 'ТОО "ДРУГАЯ"', bin: '990340001234' } });
    const foreign = await signInResponse(app, otherBin, { as: 'staff' });
    expect(code(foreign)).toBe('BIN_MISMATCH');
  });
});

describe('staff: the registry, not the certificate, gives the role', () => {
  const iin = makeIin('1982-03-03', 'F', 201);
  const iin2 = makeIin('1982-03-03', 'M', 202);

  it('a provider employee not in the registry is 403 NOT_STAFF', async () => {
    const res = await signInResponse(app, await pki.staff(iin, 'AU-0201'), { as: 'staff' });
    expect(res.status).toBe(403);
    expect(code(res)).toBe('NOT_STAFF');
    expectLocalized(res);
  });

  it('one role: signed in with it, named by the staff id; several: the role must be chosen', async () => {
    await upsertStaffMember(stack.pool, { iin, staffId: 'AU-0201', roles: ['operator'], active: true, by: 'test:auth' });
    const key = await pki.staff(iin, 'AU-0201');
    const one = await signInResponse(app, key, { as: 'staff' });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({ role: 'operator', id: 'AU-0201', staffId: 'AU-0201' });
    const me = await request(app).get('/v1/auth/session').set('Authorization', `Bearer ${one.body.token}`);
    expect(me.body).toMatchObject({ role: 'operator', id: 'AU-0201' });

    await upsertStaffMember(stack.pool, { iin, staffId: 'AU-0201', roles: ['operator', 'auditor'], active: true, by: 'test:auth' });
    const unchosen = await signInResponse(app, key, { as: 'staff' });
    expect(unchosen.status).toBe(400);
    expect(code(unchosen)).toBe('ROLE_REQUIRED');
    expect(unchosen.body.error.details).toEqual([{ roles: ['operator', 'auditor'] }]);
    const notGranted = await signInResponse(app, key, { as: 'staff', role: 'officer' });
    expect(code(notGranted)).toBe('ROLE_NOT_GRANTED');
    const chosen = await signInResponse(app, key, { as: 'staff', role: 'auditor' });
    expect(chosen.body).toMatchObject({ role: 'auditor' });
    const citizenRole = await signInResponse(app, await pki.person(S12), { as: 'applicant', role: 'auditor' });
    expect(citizenRole.status).toBe(400);
  });

  it('a role taken away (or the member suspended) ends their sessions at the next request', async () => {
    await upsertStaffMember(stack.pool, { iin: iin2, staffId: 'AU-0202', roles: ['officer'], active: true, by: 'test:auth' });
    const token = await signInBearer(app, await pki.staff(iin2, 'AU-0202', { role: 'SIGNER' }), { as: 'staff' });
    expect((await request(app).get('/v1/auth/session').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    await upsertStaffMember(stack.pool, { iin: iin2, staffId: 'AU-0202', roles: ['officer'], active: false, by: 'test:auth' });
    const res = await request(app).get('/v1/auth/session').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(code(res)).toBe('SESSION_EXPIRED');
  });

  it('without a provider BIN staff cannot sign in (503), citizens still can', async () => {
    const noBin = makeApp({ providerBin: null });
    const staff = await signInResponse(noBin, await pki.staff(iin, 'AU-0201'), { as: 'staff' });
    expect(staff.status).toBe(503);
    expect(code(staff)).toBe('STAFF_SIGN_IN_UNAVAILABLE');
    expect((await signInResponse(noBin, await pki.person(S12), { as: 'applicant' })).status).toBe(201);
  });

  it('administrators keep the registry; nobody changes their own entry', async () => {
    const adminIin = makeIin('1975-05-05', 'M', 301);
    await upsertStaffMember(stack.pool, { iin: adminIin, staffId: 'AU-0301', roles: ['administrator'], active: true, by: 'test:auth' });
    const admin = await signInBearer(app, await pki.staff(adminIin, 'AU-0301'), { as: 'staff' });
    const newcomer = makeIin('1990-06-06', 'F', 302);
    const put = await request(app)
      .put(`/v1/admin/staff/${newcomer}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ staffId: 'AU-0302', roles: ['complaint-review'], active: true });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ iin: newcomer, staffId: 'AU-0302', roles: ['complaint-review'], active: true, updatedBy: 'administrator:AU-0301' });
    const token = await signInBearer(app, await pki.staff(newcomer, 'AU-0302'), { as: 'staff' });
    expect((await request(app).get('/v1/auth/session').set('Authorization', `Bearer ${token}`)).body.role).toBe('complaint-review');

    const self = await request(app)
      .put(`/v1/admin/staff/${adminIin}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ staffId: 'AU-0301', roles: ['administrator', 'officer'], active: true });
    expect(self.status).toBe(403);
    expect(code(self)).toBe('OWN_STAFF_ENTRY');
    const taken = await request(app)
      .put(`/v1/admin/staff/${makeIin('1990-06-06', 'F', 303)}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ staffId: 'AU-0302', roles: ['auditor'], active: true });
    expect(taken.status).toBe(409);
    expect(code(taken)).toBe('STAFF_ID_TAKEN');
    const list = await request(app).get('/v1/admin/staff').set('Authorization', `Bearer ${admin}`);
    expect((list.body.staff as { staffId: string }[]).map((m) => m.staffId)).toEqual(expect.arrayContaining(['AU-0301', 'AU-0302']));
    const log = await stack.pool.query(`SELECT changed_by FROM staff_registry_log WHERE iin = $1`, [newcomer]);
    expect(log.rows).toEqual([{ changed_by: 'administrator:AU-0301' }]);
    await expect(stack.pool.query(`DELETE FROM staff_registry_log WHERE iin = $1`, [newcomer])).rejects.toThrow(/append-only/);
  });
});

describe('expiry', () => {
  it('15 minutes idle ends a session; each request moves the idle expiry; 8 hours at most (configurable)', async () => {
    const clocked = makeApp({ now, idleTimeoutMs: 15 * 60_000, absoluteTimeoutMs: 40 * 60_000 });
    clockOffsetMs = 0;
    const key = await pki.person(S12);
    const idle = await signInBearer(clocked, key, { as: 'applicant' });
    const busy = await signInBearer(clocked, key, { as: 'applicant' });
    const ask = (t: string): Promise<request.Response> => request(clocked).get('/v1/auth/session').set('Authorization', `Bearer ${t}`);
    try {
      clockOffsetMs = 14 * 60_000;
      expect((await ask(busy)).status).toBe(200);
      clockOffsetMs = 16 * 60_000;
      const gone = await ask(idle);
      expect(gone.status).toBe(401);
      expect(code(gone)).toBe('SESSION_EXPIRED');
      expect((await ask(busy)).status).toBe(200); // used at 14 min: good until 29
      clockOffsetMs = 28 * 60_000;
      expect((await ask(busy)).status).toBe(200);
      clockOffsetMs = 39 * 60_000;
      const last = await ask(busy);
      expect(last.status).toBe(200);
      // The idle expiry never passes the absolute one.
      expect(Date.parse(last.body.idleExpiresAt)).toBe(Date.parse(last.body.expiresAt));
      clockOffsetMs = 41 * 60_000;
      expect((await ask(busy)).status).toBe(401);
    } finally {
      clockOffsetMs = 0;
    }
  });
});

describe('the development header', () => {
  it('is refused unless enabled, and never with NODE_ENV=production', async () => {
    const res = await request(app).get('/v1/auth/session').set('X-HPC-Actor', `applicant:${S12}`);
    expect(res.status).toBe(401);
    expect(code(res)).toBe('UNAUTHENTICATED');
    const dev = makeApp({}, true);
    const ok = await request(dev).get('/v1/auth/session').set('X-HPC-Actor', `applicant:${S12}`);
    expect(ok.body).toEqual({ role: 'applicant', id: S12, via: 'dev-header' });

    expect(devIdentityHeaderEnabled(undefined, { HPC_DEV_IDENTITY_HEADER: '1' })).toBe(true);
    expect(devIdentityHeaderEnabled(undefined, {})).toBe(false);
    expect(() => devIdentityHeaderEnabled(undefined, { HPC_DEV_IDENTITY_HEADER: '1', NODE_ENV: 'production' })).toThrow(/production/);
    expect(() => devIdentityHeaderEnabled(true, { NODE_ENV: 'production' })).toThrow(/production/);
    expect(() => devIdentityHeaderEnabled(undefined, { HPC_DEV_IDENTITY_HEADER: 'yes' })).toThrow(/1 or 0/);
  });

  it('a session wins over the header', async () => {
    const dev = makeApp({}, true);
    const token = await signInBearer(dev, await pki.person(S12), { as: 'applicant' });
    const res = await request(dev).get('/v1/auth/session').set('Authorization', `Bearer ${token}`).set('X-HPC-Actor', 'auditor:XX-0001');
    expect(res.body).toMatchObject({ role: 'applicant', id: S12, via: 'session' });
  });
});

describe('representatives (A2.B, R13)', () => {
  let guardian: string;
  let caseId: string;
  const key = `auth-rep-${randomUUID()}`;

  async function notices(id: string): Promise<{ requestId: string; endpoint: string; representativeIin: string }[]> {
    const res = await stack.pool.query<{ body: { actions: { requestId: string; endpoint: string; representativeIin: string }[] } }>(
      `SELECT body FROM notices WHERE application_id = $1 AND kind = 'REPRESENTATIVE_ACTION' AND channel = 'CABINET' ORDER BY issued_at, id`,
      [id],
    );
    // One notice per action (db/migrations/006_notice_keys.sql), each listing its own action.
    return res.rows.flatMap((r) => r.body.actions);
  }

  beforeAll(async () => {
    guardian = await signInBearer(app, await pki.person(GUARDIAN), { as: 'representative' });
  });

  it('the guardian files for the minor: the registry confirms it, the minor is notified once per request', async () => {
    const signed = await signedApplication(app, { token: guardian }, await pki.person(GUARDIAN, 'SIGN'), demo.bodyOf('S06'), key);
    const file = (): request.Test =>
      request(app).post('/v1/applications').set('Authorization', `Bearer ${guardian}`).set('Idempotency-Key', key).send(signed);
    const res = await file();
    expect(res.status).toBe(202);
    caseId = res.body.applicationId as string;
    const row = await stack.pool.query(`SELECT applicant_iin, representative_iin, submitted_by FROM applications WHERE id = $1`, [caseId]);
    expect(row.rows[0]).toEqual({ applicant_iin: MINOR, representative_iin: GUARDIAN, submitted_by: `representative:${GUARDIAN}` });
    expect(await notices(caseId)).toEqual([
      expect.objectContaining({ requestId: `idempotency-key:${key}`, endpoint: 'POST /v1/applications', representativeIin: GUARDIAN }),
    ]);
    const notice = await stack.pool.query(`SELECT status, body FROM notices WHERE application_id = $1 AND kind = 'REPRESENTATIVE_ACTION'`, [caseId]);
    expect(notice.rows[0].status).toBe('DELIVERED');
    expect(notice.rows[0].body.kk).toContain(GUARDIAN);
    expect(notice.rows[0].body.ru).toMatch(/Ваш представитель/);

    // The audit log records both persons.
    const audit = await stack.pool.query(`SELECT actor, on_behalf_of FROM audit_log WHERE application_id = $1 AND action = 'SUBMIT'`, [caseId]);
    expect(audit.rows).toEqual([{ actor: `representative:${GUARDIAN}`, on_behalf_of: `applicant:${MINOR}` }]);

    // The same request again (same Idempotency-Key): the same case, no second entry.
    const again = await file();
    // 202 while the intake starter has not started its workflow yet, 200 once it has (issue #14).
    expect([200, 202]).toContain(again.status);
    expect(again.body.applicationId).toBe(caseId);
    expect(await notices(caseId)).toHaveLength(1);
  });

  it('every later action is checked and noticed; reads are checked but not noticed', async () => {
    const read = await request(app).get(`/v1/applications/${caseId}`).set('Authorization', `Bearer ${guardian}`);
    expect(read.status).toBe(200);
    // A sign-request stores nothing (policy `changesNothing`): no action to notify the minor of.
    const toSign = await request(app)
      .post(`/v1/applications/${caseId}/sign-request`)
      .set('Authorization', `Bearer ${guardian}`)
      .send({ action: 'consents', codes: ['C4'] });
    expect(toSign.status).toBe(200);
    const withdraw = await request(app)
      .post(`/v1/applications/${caseId}/consents/C4/withdraw`)
      .set('Authorization', `Bearer ${guardian}`)
      .set('X-Request-Id', 'withdraw-c4-0001')
      .send({});
    expect(withdraw.status).toBe(200);
    const actions = await notices(caseId);
    expect(actions.map((a) => a.endpoint)).toEqual(['POST /v1/applications', 'POST /v1/applications/:id/consents/:code/withdraw']);
    expect(actions[1].requestId).toBe('x-request-id:withdraw-c4-0001');

    // Idempotent per request id at the helper too.
    const entry = { applicationId: caseId, requestId: 'x-request-id:withdraw-c4-0001', representativeIin: GUARDIAN, endpoint: 'POST /v1/applications/:id/consents/:code/withdraw', at: new Date() };
    await noticeRepresentativeAction(stack.pool, entry);
    expect(await notices(caseId)).toHaveLength(2);
  });

  it('a power of attorney that expired does not let the son file for his father', async () => {
    const son = await signInBearer(app, await pki.person(S07_SON), { as: 'representative' });
    const res = await request(app)
      .post('/v1/applications')
      .set('Authorization', `Bearer ${son}`)
      .set('Idempotency-Key', `auth-${randomUUID()}`)
      .send(demo.bodyOf('S07'));
    expect(res.status).toBe(403);
    expect(code(res)).toBe('REPRESENTATION_NOT_CONFIRMED');
    expect(res.body.error.details).toEqual([{ reason: 'NOT_IN_FORCE' }]);
    expectLocalized(res);
    expect((await stack.pool.query(`SELECT 1 FROM applications WHERE applicant_iin = $1`, [S07_FATHER])).rowCount).toBe(0);
  });

  it('the registry down: 503, nothing done', async () => {
    stack.sandbox.settings.update({ representation: { down: true } });
    try {
      const res = await request(app).get(`/v1/applications/${caseId}`).set('Authorization', `Bearer ${guardian}`);
      expect(res.status).toBe(503);
      expect(code(res)).toBe('REPRESENTATION_UNAVAILABLE');
    } finally {
      stack.sandbox.settings.update({ representation: { down: false } });
    }
  });

  it('a guardianship that ended stops the guardian at once; the minor still reads her case', async () => {
    const yesterday = new Date(Date.now() - 86_400_000 + 5 * 3_600_000).toISOString().slice(0, 10);
    const ended = JSON.parse(demo.fixtureText) as { persons: { representation?: { representativeIin: string; to?: string }[] }[] };
    for (const p of ended.persons) for (const r of p.representation ?? []) if (r.representativeIin === GUARDIAN) r.to = yesterday;
    const fixture: Fixture = parseFixture(ended);
    stack.sandbox.setFixture(fixture);
    try {
      const read = await request(app).get(`/v1/applications/${caseId}`).set('Authorization', `Bearer ${guardian}`);
      expect(read.status).toBe(403);
      expect(code(read)).toBe('REPRESENTATION_NOT_CONFIRMED');
      const act = await request(app).post(`/v1/applications/${caseId}/consents/C3/withdraw`).set('Authorization', `Bearer ${guardian}`).send({});
      expect(act.status).toBe(403);
      expect(await notices(caseId)).toHaveLength(2);
      const minor = await signInBearer(app, await pki.person(MINOR), { as: 'applicant' });
      expect((await request(app).get(`/v1/applications/${caseId}`).set('Authorization', `Bearer ${minor}`)).status).toBe(200);
    } finally {
      stack.sandbox.setFixture(demo.fixture);
    }
  });
});

describe('configuration', () => {
  it('the provider BIN must be 12 digits', () => {
    expect(() => makeApp({ providerBin: '12345' })).toThrow(/12 digits/);
    expect(TEST_PROVIDER.bin).toMatch(/^\d{12}$/);
  });
});
