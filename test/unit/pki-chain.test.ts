/**
 * Path validation with NCA's real test PKI (RSA chains verify in-process; GOST goes through the
 * pluggable verifier), and the HTTP GOST adapter against a stubbed service.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NcaCertificate } from '../../security/pki/certificate';
import { verifyChain } from '../../security/pki/chain';
import { ALG } from '../../security/pki/oids';
import { loadTrustStore, TrustStoreError, trustStoreOf } from '../../security/pki/trust-store';
import { TestCa } from '../../dev/pki/test-ca';
import { DefaultSignatureVerifier, HttpGostVerifier } from '../../security/pki/verifier';

const NCA = join(__dirname, '..', '..', '..', 'shared', 'testdata', 'nca');
const nca = (file: string): Buffer => readFileSync(join(NCA, file));

const INSIDE_2022 = new Date('2022-06-01T00:00:00Z');
const INSIDE_GOST_2015 = new Date('2026-06-01T00:00:00Z');

describe('RSA chains to ҰКО 3.0 (RSA TEST)', () => {
  test.each(['individual_valid_sign_2004_rsa.cer', 'individual_valid_sign_2004_rsa_auth.cer'])('%s is valid inside its validity', async (file) => {
    const r = await verifyChain(nca(file), [], [nca('nca_rsa_test.crt')], INSIDE_2022);
    expect(r.reason).toBeUndefined();
    expect(r.valid).toBe(true);
    expect(r.path?.map((p) => p.commonName)).toEqual(['ТЕСТОВ ТЕСТ', 'ҰКО 3.0 (RSA TEST)']);
  });

  test('expired after 2023-01-18', async () => {
    const r = await verifyChain(nca('individual_valid_sign_2004_rsa.cer'), [], [nca('nca_rsa_test.crt')], new Date('2023-06-01T00:00:00Z'));
    expect(r).toMatchObject({ valid: false, reason: { code: 'CERT_EXPIRED', details: { notAfter: '2023-01-18T04:38:50.000Z' } } });
  });

  test('not yet valid before 2022-01-18', async () => {
    const r = await verifyChain(nca('individual_valid_sign_2004_rsa.cer'), [], [nca('nca_rsa_test.crt')], new Date('2021-12-01T00:00:00Z'));
    expect(r.reason?.code).toBe('CERT_NOT_YET_VALID');
  });

  test('a trust anchor checked on its own is trusted within its validity only', async () => {
    expect((await verifyChain(nca('nca_rsa_test.crt'), [], [nca('nca_rsa_test.crt')], new Date('2020-01-01T00:00:00Z'))).valid).toBe(true);
    const r = await verifyChain(nca('nca_rsa_test.crt'), [], [nca('nca_rsa_test.crt')], new Date('2025-01-01T00:00:00Z'));
    expect(r.reason?.code).toBe('CERT_EXPIRED');
  });

  test('another CA in the trust store: untrusted issuer', async () => {
    const r = await verifyChain(nca('individual_valid_sign_2004_rsa.cer'), [], [nca('nca_gost_test.crt'), nca('nca_gost2015_test.cer')], INSIDE_2022);
    expect(r).toMatchObject({ valid: false, reason: { code: 'UNTRUSTED_ISSUER' } });
  });

  test('an empty trust store trusts nobody; a CA offered only as a candidate is not trusted', async () => {
    const r = await verifyChain(nca('individual_valid_sign_2004_rsa.cer'), [nca('nca_rsa_test.crt')], [], INSIDE_2022);
    expect(r.reason?.code).toBe('UNTRUSTED_ISSUER');
  });

  test('a forged signature is detected', async () => {
    const der = Buffer.from(NcaCertificate.from(nca('individual_valid_sign_2004_rsa.cer')).der);
    der[der.length - 5] ^= 0xff; // inside the signature value
    const r = await verifyChain(der, [], [nca('nca_rsa_test.crt')], INSIDE_2022);
    expect(r.reason?.code).toBe('BAD_CERTIFICATE_SIGNATURE');
  });

  test('required leaf key usage', async () => {
    const r = await verifyChain(nca('individual_valid_sign_2004_rsa_auth.cer'), [], [nca('nca_rsa_test.crt')], INSIDE_2022, {
      leafKeyUsage: ['nonRepudiation'],
    });
    expect(r).toMatchObject({ valid: false, reason: { code: 'KEY_USAGE_NOT_ALLOWED' } });
  });

  test('an unreadable certificate is a reason, not an exception', async () => {
    const r = await verifyChain(Buffer.from('nope'), [], [nca('nca_rsa_test.crt')], INSIDE_2022);
    expect(r.reason?.code).toBe('BAD_CERTIFICATE');
  });
});

describe('GOST chains', () => {
  test('GOST 34.310-2004 head certificate: unsupported by the default verifier', async () => {
    const r = await verifyChain(nca('ceo_valid_sign_2004_gost.cer'), [], [nca('nca_gost_test.crt')], INSIDE_2022);
    expect(r.valid).toBe(false);
    expect(r.reason).toMatchObject({
      code: 'SIGNATURE_ALGORITHM_UNSUPPORTED',
      details: { algorithm: ALG.gost2004Signature, verifier: 'default' },
    });
    expect(String(r.reason?.details?.message)).toContain('unsupported by the default verifier');
    expect(r.reason?.en).toContain('unsupported by the default verifier');
  });

  test('GOST 34.10-2015 individual: unsupported by the default verifier', async () => {
    const r = await verifyChain(nca('individual_sign_2015_gost.der'), [], [nca('nca_gost2015_test.cer')], INSIDE_GOST_2015);
    expect(r.reason).toMatchObject({ code: 'SIGNATURE_ALGORITHM_UNSUPPORTED', details: { algorithm: ALG.gost2015Signature512 } });
  });

  test('the default verifier still refuses nothing it can check: RSA leaves go on verifying', async () => {
    const v = new DefaultSignatureVerifier();
    const leaf = NcaCertificate.from(nca('individual_valid_sign_2004_rsa.cer'));
    const ca = NcaCertificate.from(nca('nca_rsa_test.crt'));
    await expect(
      v.verify({ signatureAlgorithm: leaf.details.signatureAlgorithmOid, publicKeyInfo: ca.publicKeyInfo, data: leaf.tbs, signature: leaf.signature }),
    ).resolves.toEqual({ result: 'VALID' });
    await expect(v.digest(ALG.gost2015Signature512, new Uint8Array([1]))).resolves.toMatchObject({ result: 'UNSUPPORTED' });
  });
});

describe('HttpGostVerifier (external GOST service adapter)', () => {
  const leaf = NcaCertificate.from(nca('individual_sign_2015_gost.der'));
  const ca = NcaCertificate.from(nca('nca_gost2015_test.cer'));

  function stub(answer: (body: Record<string, string>) => { status: number; json: unknown }): { fetch: typeof fetch; calls: { url: string; body: Record<string, string> }[] } {
    const calls: { url: string; body: Record<string, string> }[] = [];
    const f = (async (input: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Record<string, string>;
      calls.push({ url: String(input), body });
      const a = answer(body);
      return new Response(JSON.stringify(a.json), { status: a.status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return { fetch: f, calls };
  }

  test('sends the GOST check to the service and trusts its answer', async () => {
    const s = stub(() => ({ status: 200, json: { valid: true } }));
    const verifier = new HttpGostVerifier({ baseUrl: 'http://gost.example/v1/', fetch: s.fetch });
    const r = await verifyChain(leaf, [], [ca], INSIDE_GOST_2015, { verifier });
    expect(r).toMatchObject({ valid: true });
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0].url).toBe('http://gost.example/v1/verify');
    expect(s.calls[0].body).toEqual({
      signatureAlgorithm: ALG.gost2015Signature512,
      publicKeyInfo: Buffer.from(ca.publicKeyInfo).toString('base64'),
      data: Buffer.from(leaf.tbs).toString('base64'),
      signature: Buffer.from(leaf.signature).toString('base64'),
    });
  });

  test('a "valid": false answer is a bad signature; an HTTP error is VERIFIER_UNAVAILABLE', async () => {
    const invalid = new HttpGostVerifier({ baseUrl: 'http://gost.example', fetch: stub(() => ({ status: 200, json: { valid: false } })).fetch });
    expect((await verifyChain(leaf, [], [ca], INSIDE_GOST_2015, { verifier: invalid })).reason?.code).toBe('BAD_CERTIFICATE_SIGNATURE');
    const down = new HttpGostVerifier({ baseUrl: 'http://gost.example', fetch: stub(() => ({ status: 503, json: {} })).fetch });
    expect((await verifyChain(leaf, [], [ca], INSIDE_GOST_2015, { verifier: down })).reason?.code).toBe('VERIFIER_UNAVAILABLE');
    const odd = new HttpGostVerifier({ baseUrl: 'http://gost.example', fetch: stub(() => ({ status: 200, json: { valid: 'yes' } })).fetch });
    expect((await verifyChain(leaf, [], [ca], INSIDE_GOST_2015, { verifier: odd })).reason?.code).toBe('VERIFIER_UNAVAILABLE');
  });

  test('RSA checks stay in-process (no HTTP call)', async () => {
    const s = stub(() => ({ status: 500, json: {} }));
    const verifier = new HttpGostVerifier({ baseUrl: 'http://gost.example', fetch: s.fetch });
    const r = await verifyChain(nca('individual_valid_sign_2004_rsa.cer'), [], [nca('nca_rsa_test.crt')], INSIDE_2022, { verifier });
    expect(r.valid).toBe(true);
    expect(s.calls).toHaveLength(0);
  });

  test('digest goes to /digest for GOST algorithms', async () => {
    const s = stub(() => ({ status: 200, json: { digest: Buffer.from([1, 2, 3]).toString('base64') } }));
    const verifier = new HttpGostVerifier({ baseUrl: 'http://gost.example', fetch: s.fetch });
    await expect(verifier.digest('1.2.398.3.10.1.3.1', new Uint8Array([9]))).resolves.toEqual({ result: 'OK', digest: new Uint8Array([1, 2, 3]) });
    expect(s.calls[0]).toEqual({ url: 'http://gost.example/digest', body: { algorithm: '1.2.398.3.10.1.3.1', data: 'CQ==' } });
  });
});

describe('trust store folder', () => {
  test('production refuses the default folder, an empty folder and any test authority; accepts other CAs', async () => {
    const prod = (dir?: string): NodeJS.ProcessEnv => ({ NODE_ENV: 'production', ...(dir ? { HPC_TRUST_STORE: dir } : {}) });
    const dir = mkdtempSync(join(tmpdir(), 'hpc-trust-prod-'));
    const caDir = mkdtempSync(join(tmpdir(), 'hpc-trust-prod-ca-'));
    try {
      expect(() => loadTrustStore(undefined, prod())).toThrow(/HPC_TRUST_STORE/);
      expect(() => loadTrustStore(undefined, prod(dir))).toThrow(/holds no certificate/);
      writeFileSync(join(dir, 'gost.cer'), nca('nca_gost2015_test.cer'));
      expect(() => loadTrustStore(undefined, prod(dir))).toThrow(/test authorities/);
      rmSync(join(dir, 'gost.cer'));
      const devCa = await TestCa.create(caDir);
      writeFileSync(join(dir, 'dev.cer'), Buffer.from(devCa.certificate.der));
      expect(() => loadTrustStore(undefined, prod(dir))).toThrow(/test authorities/);
      rmSync(join(dir, 'dev.cer'));
      // A CA without a test name stands in for NCA's production roots (which cannot ship here).
      const other = await TestCa.create(caDir, { commonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)' });
      writeFileSync(join(dir, 'root.cer'), Buffer.from(other.certificate.der));
      expect(loadTrustStore(undefined, prod(dir)).anchors).toHaveLength(1);
      // Outside production the same checks do not apply (development runs on the test CA).
      writeFileSync(join(dir, 'gost.cer'), nca('nca_gost2015_test.cer'));
      expect(loadTrustStore(undefined, { HPC_TRUST_STORE: dir }).anchors).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(caDir, { recursive: true, force: true });
    }
  });

  test('loads .crt/.cer/.pem files and dedupes; a named folder that is missing is an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpc-trust-'));
    try {
      writeFileSync(join(dir, 'rsa.crt'), nca('nca_rsa_test.crt'));
      writeFileSync(join(dir, 'rsa-copy.pem'), nca('nca_rsa_test.crt'));
      writeFileSync(join(dir, 'gost.cer'), nca('nca_gost2015_test.cer'));
      writeFileSync(join(dir, 'README.md'), 'not a certificate');
      const store = loadTrustStore(undefined, { HPC_TRUST_STORE: dir });
      expect(store.source).toBe(dir);
      expect(store.anchors.map((a) => a.parsed.commonName).sort()).toEqual(['ҰКО 3.0 (RSA TEST)', 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022']);
      expect(() => loadTrustStore(join(dir, 'missing'))).toThrow(TrustStoreError);
      writeFileSync(join(dir, 'broken.cer'), 'garbage');
      expect(() => loadTrustStore(dir)).toThrow(TrustStoreError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('trustStoreOf builds one in memory', () => {
    expect(trustStoreOf([nca('nca_rsa_test.crt')]).anchors).toHaveLength(1);
  });
});
