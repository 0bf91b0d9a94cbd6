/**
 * The development PKI end to end, in-process: a fresh test CA in a temporary folder, the test
 * signer standing in for NCALayer, CMS verification, OCSP (the sandbox responder called directly,
 * without HTTP) and CRL revocation, canonical documents, and the sign-in check with one distinct
 * failure code per fault. The same sign-in over real HTTP OCSP is in
 * test/integration/pki-signin.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OcspResponder } from '../../sandbox/ocsp';
import * as pki from '../../security/pki';
import { newSignInNonce, verifySignIn, type SignInPurpose, type SignInResult } from '../../security/pki/auth';
import { verifyChain } from '../../security/pki/chain';
import { canonicalDocument, canonicalJson, CanonicalFormError, verifyDetachedCms } from '../../security/pki/cms';
import { Pkcs12Error, readPkcs12 } from '../../security/pki/keys';
import { CrlChecker, FallbackRevocationChecker, OcspClient, type OcspTransport, type RevocationChecker } from '../../security/pki/revocation';
import { TEST_PKCS12_PASSWORD, TEST_PROVIDER, TEST_STAFF, TestCa, type IssuedKey, type PersonName } from '../../dev/pki/test-ca';
import { signCms, TestNcaLayer, type SignCmsOptions } from '../../dev/pki/test-signer';
import { trustStoreOf, type TrustStore } from '../../security/pki/trust-store';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const PERSON: PersonName = { iin: '950314419498', surname: 'ЖАКСЫБЕКОВА', givenName: 'АЙГЕРИМ', patronymic: 'НУРЛАНОВНА' };
const OTHER_PERSON: PersonName = { iin: '810722314560', surname: 'ОМАРОВ', givenName: 'ЕРЛАН', patronymic: 'СЕРИКОВИЧ' };
const NCA_TEST_PERSON: PersonName = { iin: '123456789011', surname: 'ТЕСТОВ', givenName: 'ТЕСТ', patronymic: 'ТЕСТОВИЧ' };
const OTHER_ORG = { name: 'ТОО "ДРУГАЯ ОРГАНИЗАЦИЯ"', bin: '990440001234' };

let dirs: string[] = [];
let ca: TestCa;
let otherCa: TestCa;
let trust: TrustStore;
let responder: OcspResponder;
let revocation: RevocationChecker;
const keys: Record<string, IssuedKey> = {};

const key = (k: IssuedKey) => ({ p12: k.p12, password: TEST_PKCS12_PASSWORD });
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'hpc-pki-'));
  dirs.push(d);
  return d;
};
const inProcess = (r: OcspResponder): OcspTransport => async (_url, request) => r.respond(request);

beforeAll(async () => {
  const dir = tempDir();
  ca = await TestCa.create(dir);
  keys.auth = await ca.issuePerson(PERSON, 'AUTH');
  keys.sign = await ca.issuePerson(PERSON, 'SIGN');
  keys.revoked = await ca.issuePerson(OTHER_PERSON, 'AUTH', { writeFiles: false });
  keys.expired = await ca.issuePerson(PERSON, 'AUTH', {
    writeFiles: false,
    notBefore: new Date(Date.now() - 400 * DAY),
    notAfter: new Date(Date.now() - 30 * DAY),
  });
  keys.ncaTestIin = await ca.issuePerson(NCA_TEST_PERSON, 'AUTH', { writeFiles: false });
  keys.operator = await ca.issueStaff(TEST_STAFF[0], TEST_PROVIDER, 'AUTH');
  keys.otherOrg = await ca.issueStaff({ ...TEST_STAFF[1], staffId: 'XX-0001' }, OTHER_ORG, 'AUTH', { writeFiles: false });
  otherCa = await TestCa.create(tempDir(), { commonName: 'ЖАЛҒАН КО (RSA)' });
  keys.untrusted = await otherCa.issuePerson(PERSON, 'AUTH', { writeFiles: false });
  trust = trustStoreOf([ca.certificate]);
  responder = new OcspResponder({ caDir: dir });
  revocation = new OcspClient({ transport: inProcess(responder) });
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('canonical documents', () => {
  test('keys sorted at every level, no whitespace, undefined properties left out, UTF-8', () => {
    const doc = { b: 1, a: [true, null, 'Жаксыбекова'], c: { z: 0.1, y: undefined, x: -0 } };
    expect(canonicalJson(doc)).toBe('{"a":[true,null,"Жаксыбекова"],"b":1,"c":{"x":0,"z":0.1}}');
    expect(Buffer.from(canonicalDocument(doc)).toString('utf8')).toBe(canonicalJson(doc));
    expect(canonicalJson({ c: { x: 0, z: 0.1 }, b: 1, a: [true, null, 'Жаксыбекова'] })).toBe(canonicalJson(doc));
    expect(canonicalJson({ big: 1e21, small: 1e-7, ten: 10 })).toBe('{"big":1e+21,"small":1e-7,"ten":10}');
  });

  test('keys compare by UTF-16 code units', () => {
    expect(canonicalJson({ ә: 1, a: 2, B: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"B":3,"a":2,"ә":1}');
  });

  test.each([
    ['a Date', { at: new Date(0) }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a BigInt', { n: BigInt(1) }],
    ['a Map', new Map()],
    ['undefined in an array', [undefined]],
    ['a lone surrogate', { s: '\ud800' }],
    ['a function', { f: () => 1 }],
  ])('refuses %s', (_what, value) => {
    expect(() => canonicalDocument(value)).toThrow(CanonicalFormError);
  });
});

describe('detached CMS', () => {
  const doc = { kind: 'APPLICATION', applicantIin: PERSON.iin, consents: ['C1', 'C2', 'C3', 'C4'], kato: '351010000' };

  test('a signed canonical document verifies, with signer and signing time', async () => {
    const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const cms = signCms(key(keys.sign), canonicalDocument(doc), { signingTime: signedAt });
    const r = await verifyDetachedCms(cms, canonicalDocument({ ...doc }), { trust, revocation });
    expect(r).toMatchObject({ valid: true, signingTime: signedAt.toISOString(), signer: { iin: PERSON.iin, subjectType: 'INDIVIDUAL' } });
  });

  test('another document: CONTENT_MISMATCH', async () => {
    const cms = signCms(key(keys.sign), canonicalDocument(doc));
    const r = await verifyDetachedCms(cms, canonicalDocument({ ...doc, kato: '710000000' }), { trust, revocation });
    expect(r).toMatchObject({ valid: false, reason: { code: 'CONTENT_MISMATCH' }, signer: { iin: PERSON.iin } });
  });

  test('signed with a key that is not the certificate’s: BAD_SIGNATURE', async () => {
    const cms = signCms({ privateKey: keys.auth.privateKey, certificate: keys.sign.certificate }, canonicalDocument(doc));
    expect((await verifyDetachedCms(cms, canonicalDocument(doc), { trust, revocation })).reason?.code).toBe('BAD_SIGNATURE');
  });

  test('not a CMS: BAD_CMS', async () => {
    for (const junk of ['not base64 ***', Buffer.from('hello').toString('base64'), '']) {
      expect((await verifyDetachedCms(junk, canonicalDocument(doc), { trust, revocation })).reason?.code).toBe('BAD_CMS');
    }
  });

  test('an encapsulated copy must be the expected content', async () => {
    const content = canonicalDocument(doc);
    const cms = signCms(key(keys.sign), content, { encapsulate: true });
    expect((await verifyDetachedCms(cms, content, { trust, revocation })).valid).toBe(true);
    expect((await verifyDetachedCms(cms, canonicalDocument({ other: 1 }), { trust, revocation })).reason?.code).toBe('CONTENT_MISMATCH');
  });

  test('a signing time in the future: SIGNING_TIME_INVALID', async () => {
    const cms = signCms(key(keys.sign), canonicalDocument(doc), { signingTime: new Date(Date.now() + 3_600_000) });
    expect((await verifyDetachedCms(cms, canonicalDocument(doc), { trust, revocation })).reason?.code).toBe('SIGNING_TIME_INVALID');
  });

  test('re-verified at a stored instant after the certificate expired: CERT_EXPIRED', async () => {
    const cms = signCms(key(keys.sign), canonicalDocument(doc));
    const r = await verifyDetachedCms(cms, canonicalDocument(doc), { trust, revocation, at: new Date(Date.now() + 400 * DAY) });
    expect(r.reason?.code).toBe('CERT_EXPIRED');
  });

  test('a signer from an untrusted CA: UNTRUSTED_ISSUER', async () => {
    const cms = signCms(key(keys.untrusted), canonicalDocument(doc));
    expect((await verifyDetachedCms(cms, canonicalDocument(doc), { trust, revocation })).reason?.code).toBe('UNTRUSTED_ISSUER');
  });
});

describe('chain checks on test-CA certificates', () => {
  test('an issuer that has expired at the instant: ISSUER_NOT_VALID', async () => {
    const old = await TestCa.create(tempDir(), { now: new Date('2010-01-01T00:00:00Z') });
    const leaf = await old.issuePerson(PERSON, 'SIGN', {
      writeFiles: false,
      notBefore: new Date('2018-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
    });
    expect((await verifyChain(leaf.certificate, [], [old.certificate], new Date('2015-01-01T00:00:00Z'))).reason?.code).toBe('CERT_NOT_YET_VALID');
    expect((await verifyChain(leaf.certificate, [], [old.certificate], new Date('2019-01-01T00:00:00Z'))).valid).toBe(true);
    expect((await verifyChain(leaf.certificate, [], [old.certificate], new Date('2021-01-01T00:00:00Z'))).reason?.code).toBe('ISSUER_NOT_VALID');
  });
});

describe('revocation', () => {
  test('OCSP: good for an issued certificate, unknown for a serial the CA never issued', async () => {
    await expect(revocation.check(keys.sign.certificate, ca.certificate, new Date())).resolves.toEqual({ status: 'GOOD', source: 'OCSP' });
    // The request names our CA (issuer hashes) with a serial it never issued.
    await expect(revocation.check(keys.untrusted.certificate, ca.certificate, new Date())).resolves.toEqual({ status: 'UNKNOWN', source: 'OCSP' });
    // About another CA's certificate our responder says "unknown", but it is not that CA's
    // responder, so its answer must not be believed.
    await expect(revocation.check(keys.untrusted.certificate, otherCa.certificate, new Date())).resolves.toMatchObject({
      status: 'ERROR',
      message: expect.stringContaining('neither the CA nor a responder it authorised'),
    });
  });

  test('OCSP: revoked from an instant on; good before it', async () => {
    const own = new OcspResponder({ caDir: ca.dir });
    const client = new OcspClient({ transport: inProcess(own) });
    const revokedAt = new Date(Date.now() - 3_600_000);
    own.revoke(keys.sign.certificate.parsed.serialNumber, revokedAt, 'keyCompromise');
    await expect(client.check(keys.sign.certificate, ca.certificate, new Date())).resolves.toMatchObject({
      status: 'REVOKED',
      revokedAt: revokedAt.toISOString(),
      reason: 'keyCompromise',
    });
    await expect(client.check(keys.sign.certificate, ca.certificate, new Date(revokedAt.getTime() - 60_000))).resolves.toMatchObject({ status: 'GOOD' });
  });

  test('OCSP: a replayed answer (another nonce) and a responder without a CA are errors', async () => {
    let saved: Uint8Array | undefined;
    const recording = new OcspClient({ transport: async (_u, req) => (saved = responder.respond(req)) });
    await recording.check(keys.sign.certificate, ca.certificate, new Date());
    const replay = new OcspClient({ transport: async () => saved ?? new Uint8Array() });
    await expect(replay.check(keys.sign.certificate, ca.certificate, new Date())).resolves.toMatchObject({ status: 'ERROR', message: expect.stringContaining('nonce') });
    const noCa = new OcspClient({ transport: inProcess(new OcspResponder({ caDir: join(tempDir(), 'none') })) });
    await expect(noCa.check(keys.sign.certificate, ca.certificate, new Date())).resolves.toMatchObject({ status: 'ERROR', message: expect.stringContaining('unauthorized') });
    const answerOfOtherCa = new OcspClient({ transport: inProcess(new OcspResponder({ caDir: otherCa.dir })) });
    await expect(answerOfOtherCa.check(keys.sign.certificate, ca.certificate, new Date())).resolves.toMatchObject({ status: 'ERROR' });
  });

  test('CRL fallback when the OCSP responder cannot be reached', async () => {
    const crl = ca.crl([{ serialNumber: keys.revoked.certificate.parsed.serialNumber, revokedAt: new Date(Date.now() - 60_000) }]);
    const checker = new FallbackRevocationChecker(
      new OcspClient({ transport: async () => Promise.reject(new Error('ECONNREFUSED')) }),
      new CrlChecker({ url: 'http://crl.invalid/test.crl', source: { fetchCrl: async () => crl } }),
    );
    await expect(checker.check(keys.revoked.certificate, ca.certificate, new Date())).resolves.toMatchObject({ status: 'REVOKED', source: 'CRL' });
    await expect(checker.check(keys.sign.certificate, ca.certificate, new Date())).resolves.toEqual({ status: 'GOOD', source: 'CRL' });
    const forged = new CrlChecker({ url: 'x', source: { fetchCrl: async () => otherCa.crl([]) } });
    await expect(forged.check(keys.sign.certificate, ca.certificate, new Date())).resolves.toMatchObject({ status: 'ERROR' });
  });
});

describe('test signer (NCALayer stand-in)', () => {
  test('PKCS#12 files open with the documented password and keep the certificate bytes', () => {
    const opened = readPkcs12(keys.auth.p12, TEST_PKCS12_PASSWORD);
    expect(Buffer.from(opened.certificate.der).equals(Buffer.from(keys.auth.certificate.der))).toBe(true);
    expect(opened.chain.map((c) => c.fingerprint)).toEqual([ca.certificate.fingerprint]);
    expect(() => readPkcs12(keys.auth.p12, 'wrong')).toThrow(Pkcs12Error);
  });

  test('answers NCALayer’s sign request with {status: true, body: {result}} using the AUTH key', async () => {
    const layer = new TestNcaLayer([key(keys.sign), key(keys.auth)]);
    const nonce = newSignInNonce();
    const request = {
      module: 'kz.gov.pki.knca.basics',
      method: 'sign',
      args: {
        allowedStorages: ['PKCS12'],
        format: 'cms',
        data: nonce,
        signingParams: { decode: true, encapsulate: false, digested: false },
        signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.2'], chain: [] },
        locale: 'kk',
      },
    };
    const response = await layer.handle(JSON.stringify(request));
    expect(response).toEqual({ status: true, body: { result: expect.any(String) } });
    if (!response.status || typeof response.body.result !== 'string') throw new Error('no result');
    const r = await verifySignIn({ cmsBase64: response.body.result, nonce, at: new Date(), purpose: 'CITIZEN', trust, revocation });
    expect(r).toMatchObject({ ok: true, identity: { certificateSerial: keys.auth.certificate.parsed.serialNumber } });

    const many = await layer.handle({ ...request, args: { ...request.args, data: [nonce, nonce] } } as Parameters<TestNcaLayer['handle']>[0]);
    expect(many.status && Array.isArray(many.body.result) && many.body.result.length).toBe(2);
    const noKey = await layer.handle({ ...request, args: { ...request.args, signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.9'] } } } as Parameters<TestNcaLayer['handle']>[0]);
    expect(noKey).toEqual({ status: true, body: {} });
    expect(await new TestNcaLayer([key(keys.auth)], { cancel: true }).handle(JSON.stringify(request))).toEqual({ status: true, body: {} });
    expect(await layer.handle({ module: 'kz.gov.pki.knca.commonUtils', method: 'getVersion' })).toMatchObject({ status: false });
  });
});

describe('sign-in (verifySignIn)', () => {
  async function signIn(
    k: IssuedKey,
    purpose: SignInPurpose,
    opts: { nonce?: string; signedNonce?: string; sign?: SignCmsOptions; revocation?: RevocationChecker; requireValidIin?: boolean } = {},
  ): Promise<SignInResult> {
    const nonce = opts.nonce ?? newSignInNonce();
    const cmsBase64 = signCms(key(k), opts.signedNonce ?? nonce, { decode: true, encapsulate: false, ...opts.sign });
    return verifySignIn({
      cmsBase64,
      nonce,
      at: new Date(),
      purpose,
      providerBin: purpose === 'STAFF' ? TEST_PROVIDER.bin : undefined,
      trust,
      revocation: opts.revocation ?? revocation,
      requireValidIin: opts.requireValidIin,
    });
  }
  const code = (r: SignInResult): string => (r.ok ? 'OK' : r.failure.code);

  test('a citizen signs in with the AUTH key', async () => {
    const r = await signIn(keys.auth, 'CITIZEN');
    expect(r).toEqual({
      ok: true,
      identity: {
        iin: PERSON.iin,
        subjectType: 'INDIVIDUAL',
        commonName: 'ЖАКСЫБЕКОВА АЙГЕРИМ',
        certificateSerial: keys.auth.certificate.parsed.serialNumber,
      },
    });
  });

  test('staff sign in with an employee certificate of the provider', async () => {
    const r = await signIn(keys.operator, 'STAFF');
    expect(r).toMatchObject({ ok: true, identity: { iin: TEST_STAFF[0].iin, bin: TEST_PROVIDER.bin, subjectType: 'ORGANIZATION_EMPLOYEE' } });
  });

  test('each fault has its own failure code', async () => {
    const unreachable = new OcspClient({ transport: async () => Promise.reject(new Error('ECONNREFUSED')) });
    const revokingResponder = new OcspResponder({ caDir: ca.dir });
    revokingResponder.revoke(keys.revoked.certificate.parsed.serialNumber, new Date(Date.now() - 60_000));
    const cases: [string, Promise<SignInResult>][] = [
      ['NONCE_MISMATCH', signIn(keys.auth, 'CITIZEN', { signedNonce: newSignInNonce() })],
      ['NOT_AUTH_KEY', signIn(keys.sign, 'CITIZEN')],
      ['CERT_EXPIRED', signIn(keys.expired, 'CITIZEN')],
      ['CERT_REVOKED', signIn(keys.revoked, 'CITIZEN', { revocation: new OcspClient({ transport: inProcess(revokingResponder) }) })],
      ['BIN_MISMATCH', signIn(keys.otherOrg, 'STAFF')],
      ['UNTRUSTED_ISSUER', signIn(keys.untrusted, 'CITIZEN')],
      ['NOT_INDIVIDUAL', signIn(keys.operator, 'CITIZEN')],
      ['NOT_ORGANIZATION_EMPLOYEE', signIn(keys.auth, 'STAFF')],
      ['SIGNING_TIME_INVALID', signIn(keys.auth, 'CITIZEN', { sign: { signingTime: new Date(Date.now() - 30 * 60_000) } })],
      ['REVOCATION_UNAVAILABLE', signIn(keys.auth, 'CITIZEN', { revocation: unreachable })],
      ['INVALID_IIN', signIn(keys.ncaTestIin, 'CITIZEN')],
    ];
    const results = await Promise.all(cases.map(([, p]) => p));
    expect(results.map(code)).toEqual(cases.map(([expected]) => expected));
    expect(new Set(results.map(code)).size).toBe(cases.length);
    for (const r of results) {
      if (!r.ok) expect(r.failure).toMatchObject({ kk: expect.any(String), ru: expect.any(String), en: expect.any(String) });
    }
  });

  test('the NCA test IIN passes when a test trust store turns the checksum off', async () => {
    expect(await signIn(keys.ncaTestIin, 'CITIZEN', { requireValidIin: false })).toMatchObject({ ok: true, identity: { iin: '123456789011' } });
  });

  test('programming errors are thrown, not reported as a person’s failure', async () => {
    await expect(verifySignIn({ cmsBase64: '', nonce: '***', at: new Date(), purpose: 'CITIZEN', trust, revocation })).rejects.toThrow(TypeError);
    await expect(verifySignIn({ cmsBase64: '', nonce: newSignInNonce(), at: new Date(), purpose: 'STAFF', trust, revocation })).rejects.toThrow(TypeError);
  });
});

test('the security/pki barrel exports the API surface the API layer uses', () => {
  expect(typeof pki.verifySignIn).toBe('function');
  expect(typeof pki.verifyDetachedCms).toBe('function');
  expect(typeof pki.canonicalDocument).toBe('function');
  expect(typeof pki.verifyChain).toBe('function');
  expect(typeof pki.parseCertificate).toBe('function');
  expect(typeof pki.loadTrustStore).toBe('function');
  expect(typeof pki.OcspClient).toBe('function');
  expect(typeof pki.HttpGostVerifier).toBe('function');
  expect(pki.PKI_REASON_CODES).toContain('NONCE_MISMATCH');
});
