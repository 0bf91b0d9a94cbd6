/**
 * EDS sign-in for tests: a private test CA (dev/pki/test-ca.ts) in a temporary folder, its
 * OCSP responder answering in-process, AUTH keys for persons and staff, and a sign-in through the
 * real endpoints with the NCALayer stand-in (dev/pki/test-signer.ts) — the same messages a
 * browser exchanges with NCALayer.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { OcspResponder } from '../../sandbox/ocsp';
import { OcspClient, trustStoreOf, type TrustStore } from '../../security/pki';
import { TEST_PROVIDER, TestCa, type IssuedKey, type Organization, type PersonName, type StaffRole } from '../../dev/pki/test-ca';
import { NCALAYER_BASICS_MODULE, TestNcaLayer, type NcaLayerRequest } from '../../dev/pki/test-signer';
import type { AuthOptions } from '../../api/auth/config';

export const AUTH_EKU = '1.3.6.1.5.5.7.3.2';

export interface TestPki {
  ca: TestCa;
  responder: OcspResponder;
  trust: TrustStore;
  /** `auth` options for createApiApp: this CA trusted, its responder asked, the test provider's BIN. */
  authOptions: AuthOptions;
  person(iin: string, kind?: 'AUTH' | 'SIGN'): Promise<IssuedKey>;
  staff(iin: string, staffId: string, options?: { role?: StaffRole; organization?: Organization; kind?: 'AUTH' | 'SIGN' }): Promise<IssuedKey>;
}

/** A fresh test CA in a temporary folder (keys never leave it; nothing is written to the repo). */
export async function createTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'hpc-auth-ca-'));
  const ca = await TestCa.create(dir);
  const responder = new OcspResponder({ caDir: dir });
  const trust = trustStoreOf([ca.certificate.der]);
  const revocation = new OcspClient({ transport: async (_url, req) => responder.respond(req) });
  const name = (iin: string): PersonName => ({ iin, surname: 'ТЕСТОВ', givenName: 'ТЕСТ', patronymic: 'ТЕСТОВИЧ' });
  return {
    ca,
    responder,
    trust,
    authOptions: { trust, revocation, providerBin: TEST_PROVIDER.bin },
    person: (iin, kind = 'AUTH') => ca.issuePerson(name(iin), kind, { writeFiles: false }),
    staff: (iin, staffId, o = {}) =>
      ca.issueStaff({ ...name(iin), staffId, role: o.role ?? 'EMPLOYEE' }, o.organization ?? TEST_PROVIDER, o.kind ?? 'AUTH', { writeFiles: false }),
  };
}

/** What NCALayer answers the portal for the nonce (the browser's request, verbatim). */
export async function ncaLayerSign(key: IssuedKey, nonce: string): Promise<string> {
  const layer = new TestNcaLayer([{ privateKey: key.privateKey, certificate: key.certificate.der }]);
  const message: NcaLayerRequest = {
    module: NCALAYER_BASICS_MODULE,
    method: 'sign',
    args: {
      allowedStorages: ['PKCS12'],
      format: 'cms',
      data: nonce,
      signingParams: { decode: true, encapsulate: false, digested: false },
      signerParams: { extKeyUsageOids: [], chain: [] },
      locale: 'kk',
    },
  };
  const answer = await layer.handle(JSON.stringify(message));
  if (!answer.status || typeof answer.body.result !== 'string') throw new Error(`NCALayer stand-in did not sign: ${JSON.stringify(answer)}`);
  return answer.body.result;
}

export interface SignInOptions {
  as: 'applicant' | 'representative' | 'staff';
  role?: string;
  delivery?: 'cookie' | 'bearer';
}

/** POST /v1/auth/challenge, sign with NCALayer (stand-in), POST /v1/auth/sign-in: the raw answer. */
export async function signInResponse(app: Express, key: IssuedKey, o: SignInOptions): Promise<request.Response> {
  const challenge = await request(app).post('/v1/auth/challenge');
  if (challenge.status !== 201) throw new Error(`challenge: HTTP ${challenge.status} ${JSON.stringify(challenge.body)}`);
  const nonce = (challenge.body as { nonce: string }).nonce;
  const cms = await ncaLayerSign(key, nonce);
  return request(app)
    .post('/v1/auth/sign-in')
    .send({ nonce, cms, as: o.as, ...(o.role ? { role: o.role } : {}), delivery: o.delivery ?? 'bearer' });
}

/** A Bearer token from a real sign-in (throws unless it succeeded). */
export async function signInBearer(app: Express, key: IssuedKey, o: Omit<SignInOptions, 'delivery'>): Promise<string> {
  const res = await signInResponse(app, key, { ...o, delivery: 'bearer' });
  if (res.status !== 201) throw new Error(`sign-in as ${o.as}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { token: string }).token;
}

// ---- signed documents (api/routes/signatures.ts) ----------------------------------------------

/** How a test request names its caller: a Bearer token (session) or the development header. */
export type Caller = { token: string } | { actor: string };

export function asCaller(t: request.Test, caller: Caller): request.Test {
  return 'token' in caller ? t.set('Authorization', `Bearer ${caller.token}`) : t.set('X-HPC-Actor', caller.actor);
}

export interface SignRequestAnswer {
  documentType: string;
  canonical: string;
  sha256: string;
  data: string;
  decidedAt?: string;
}

/** The canonical form from a sign request (throws unless 200). */
export async function signRequest(app: Express, caller: Caller, path: string, body: object, headers: Record<string, string> = {}): Promise<SignRequestAnswer> {
  let t = asCaller(request(app).post(path), caller);
  for (const [h, v] of Object.entries(headers)) t = t.set(h, v);
  const res = await t.send(body);
  if (res.status !== 200) throw new Error(`sign request ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SignRequestAnswer;
}

/**
 * An application body with its signature: the sign request, NCALayer (stand-in) with the person's
 * SIGN key over the form's bytes, the CMS as `signature`.
 */
export async function signedApplication(
  app: Express,
  caller: Caller,
  key: IssuedKey,
  body: Record<string, unknown>,
  idempotencyKey: string,
): Promise<Record<string, unknown>> {
  const form = await signRequest(app, caller, '/v1/applications/sign-request', body, { 'Idempotency-Key': idempotencyKey });
  return { ...body, signature: await ncaLayerSign(key, form.data) };
}
