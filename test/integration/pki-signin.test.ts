/**
 * EDS sign-in with revocation over real HTTP: the gateway sandbox (port 0) runs the test OCSP
 * responder for a fresh test CA; certificates name it in their AIA, so the OCSP client finds it
 * as it would find NCA's. Each fault gives its own failure code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { newSignInNonce, verifySignIn, type SignInPurpose, type SignInResult } from '../../security/pki/auth';
import { buildOcspRequest, OcspClient } from '../../security/pki/revocation';
import { TEST_PKCS12_PASSWORD, TEST_PROVIDER, TEST_STAFF, TestCa, type IssuedKey } from '../../dev/pki/test-ca';
import { TestNcaLayer } from '../../dev/pki/test-signer';
import { trustStoreOf, type TrustStore } from '../../security/pki/trust-store';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const DAY = 86_400_000;
const PERSON = { iin: '950314419498', surname: 'ЖАКСЫБЕКОВА', givenName: 'АЙГЕРИМ', patronymic: 'НУРЛАНОВНА' };
const REPRESENTATIVE = { iin: '860819356809', surname: 'ИСМАИЛОВ', givenName: 'АЙДОС', patronymic: 'КАНАТОВИЧ' };

let dirs: string[] = [];
let sandbox: RunningSandbox;
let ca: TestCa;
let trust: TrustStore;
const keys: Record<string, IssuedKey> = {};
const revocation = new OcspClient(); // the URL comes from each certificate's AIA

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'hpc-pki-int-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  const caDir = tempDir();
  // The responder reads the CA folder lazily, so the sandbox can start before the CA exists.
  sandbox = await startSandbox({ port: 0, fixture: path.join(ROOT, 'sandbox/fixtures/demo.json'), ocsp: { caDir } });
  ca = await TestCa.create(caDir, { ocspUrl: `${sandbox.url}/ocsp` });
  keys.auth = await ca.issuePerson(PERSON, 'AUTH');
  keys.sign = await ca.issuePerson(PERSON, 'SIGN');
  keys.representative = await ca.issuePerson(REPRESENTATIVE, 'AUTH');
  keys.expired = await ca.issuePerson(PERSON, 'AUTH', { writeFiles: false, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
  keys.operator = await ca.issueStaff(TEST_STAFF[0], TEST_PROVIDER, 'AUTH');
  keys.otherOrg = await ca.issueStaff(TEST_STAFF[1], { name: 'ТОО "ДРУГАЯ"', bin: '990440001234' }, 'AUTH', { writeFiles: false });
  const rogue = await TestCa.create(tempDir(), { commonName: 'ЖАЛҒАН КО (RSA)', ocspUrl: `${sandbox.url}/ocsp` });
  keys.untrusted = await rogue.issuePerson(PERSON, 'AUTH', { writeFiles: false });
  trust = trustStoreOf([ca.certificate]);
});

afterAll(async () => {
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** The browser's part: ask "NCALayer" to sign the nonce with an AUTH key, as docs/eds.md shows. */
async function signIn(k: IssuedKey, purpose: SignInPurpose, opts: { signedNonce?: string; anyKey?: boolean } = {}): Promise<SignInResult> {
  const nonce = newSignInNonce();
  const layer = new TestNcaLayer([{ p12: k.p12, password: TEST_PKCS12_PASSWORD }]);
  const answer = await layer.handle({
    module: 'kz.gov.pki.knca.basics',
    method: 'sign',
    args: {
      allowedStorages: ['PKCS12'],
      format: 'cms',
      data: opts.signedNonce ?? nonce,
      signingParams: { decode: true, encapsulate: false, digested: false },
      // A hostile or careless client may ask for any key; the server must not rely on this filter.
      signerParams: { extKeyUsageOids: opts.anyKey ? [] : ['1.3.6.1.5.5.7.3.2'], chain: [] },
      locale: 'ru',
    },
  });
  if (!answer.status || typeof answer.body.result !== 'string') throw new Error('NCALayer stand-in gave no signature');
  return verifySignIn({
    cmsBase64: answer.body.result,
    nonce,
    at: new Date(),
    purpose,
    providerBin: purpose === 'STAFF' ? TEST_PROVIDER.bin : undefined,
    trust,
    revocation,
  });
}

const code = (r: SignInResult): string => (r.ok ? 'OK' : r.failure.code);

/** PUT /_admin/revocations, as a test or an operator of the sandbox would. */
async function revoke(serialNumber: string): Promise<Response> {
  return fetch(`${sandbox.url}/_admin/revocations`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ serialNumber, reason: 'keyCompromise', revokedAt: new Date(Date.now() - 60_000).toISOString() }),
  });
}

test('citizen and staff sign in; the OCSP status comes from the sandbox over HTTP', async () => {
  expect(keys.auth.certificate.details.ocspUrls).toEqual([`${sandbox.url}/ocsp`]);
  expect(await signIn(keys.auth, 'CITIZEN')).toMatchObject({ ok: true, identity: { iin: PERSON.iin, subjectType: 'INDIVIDUAL' } });
  expect(await signIn(keys.representative, 'CITIZEN')).toMatchObject({ ok: true, identity: { iin: REPRESENTATIVE.iin } });
  expect(await signIn(keys.operator, 'STAFF')).toMatchObject({ ok: true, identity: { bin: TEST_PROVIDER.bin, subjectType: 'ORGANIZATION_EMPLOYEE' } });
});

test('a certificate revoked through PUT /_admin/revocations is refused', async () => {
  const serialNumber = keys.representative.certificate.parsed.serialNumber;
  const put = await revoke(serialNumber);
  expect(put.status).toBe(200);
  expect(await put.json()).toMatchObject({ revoked: { serialNumber, reason: 'keyCompromise' } });
  const listed = (await (await fetch(`${sandbox.url}/_admin/revocations`)).json()) as { revocations: { serialNumber: string }[] };
  expect(listed.revocations.map((r) => r.serialNumber)).toContain(serialNumber);
  const r = await signIn(keys.representative, 'CITIZEN');
  expect(r).toMatchObject({ ok: false, failure: { code: 'CERT_REVOKED', details: { source: 'OCSP', reason: 'keyCompromise' } } });
  // Others stay good.
  expect(code(await signIn(keys.auth, 'CITIZEN'))).toBe('OK');
});

test('each fault has its own failure code', async () => {
  expect((await revoke(keys.representative.certificate.parsed.serialNumber)).status).toBe(200);
  const cases: [string, () => Promise<SignInResult>][] = [
    ['NONCE_MISMATCH', () => signIn(keys.auth, 'CITIZEN', { signedNonce: newSignInNonce() })],
    ['NOT_AUTH_KEY', () => signIn(keys.sign, 'CITIZEN', { anyKey: true })],
    ['CERT_EXPIRED', () => signIn(keys.expired, 'CITIZEN')],
    ['CERT_REVOKED', () => signIn(keys.representative, 'CITIZEN')],
    ['BIN_MISMATCH', () => signIn(keys.otherOrg, 'STAFF')],
    ['UNTRUSTED_ISSUER', () => signIn(keys.untrusted, 'CITIZEN')],
  ];
  const codes: string[] = [];
  for (const [, run] of cases) codes.push(code(await run()));
  expect(codes).toEqual(cases.map(([c]) => c));
  expect(new Set(codes).size).toBe(cases.length);
});

test('the responder speaks RFC 6960 and refuses what is not an OCSP request', async () => {
  const post = (body: Uint8Array, type = 'application/ocsp-request') =>
    fetch(`${sandbox.url}/ocsp`, { method: 'POST', headers: { 'content-type': type }, body });
  const ok = await post(buildOcspRequest(keys.auth.certificate, ca.certificate));
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe('application/ocsp-response');
  const malformed = new Uint8Array(await (await post(new Uint8Array([1, 2, 3]))).arrayBuffer());
  // OCSPResponse { responseStatus malformedRequest(1) }: 30 03 0a 01 01
  expect(Buffer.from(malformed).toString('hex')).toBe('3003' + '0a0101');
  expect((await post(new Uint8Array([1]), 'application/json')).status).toBe(415);
  const viaGet = await fetch(`${sandbox.url}/ocsp/${encodeURIComponent(Buffer.from(buildOcspRequest(keys.auth.certificate, ca.certificate)).toString('base64'))}`);
  expect(viaGet.status).toBe(200);
  const bad = await fetch(`${sandbox.url}/_admin/revocations`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"serialNumber":"xyz"}' });
  expect(bad.status).toBe(400);
});
