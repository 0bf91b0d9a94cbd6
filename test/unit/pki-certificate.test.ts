/**
 * Certificate parsing against NCA's real public test certificates (../shared/testdata/nca/,
 * SOURCES.md), and the `cert` / `verify-chain` CLI commands.
 */
import { expectNoStackTrace as noStackTrace, hpc } from '../helpers/cli';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateIin } from '../../domain/iin';
import { CertificateParseError, NcaCertificate, parseCertificate, subjectTypeOf } from '../../security/pki/certificate';
import { toPem } from '../../security/pki/der';

const ROOT = join(__dirname, '..', '..');
const NCA = join(ROOT, '..', 'shared', 'testdata', 'nca');
const nca = (file: string): Buffer => readFileSync(join(NCA, file));

describe('NCA test certificates (SOURCES.md)', () => {
  test('every certificate file in the folder parses', () => {
    const files = readdirSync(NCA).filter((f) => /\.(cer|crt|der|pem)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) expect(() => parseCertificate(nca(f))).not.toThrow();
  });

  test('individual SIGN key, RSA', () => {
    const c = parseCertificate(nca('individual_valid_sign_2004_rsa.cer'));
    expect(c).toMatchObject({
      iin: '123456789011',
      commonName: 'ТЕСТОВ ТЕСТ',
      surname: 'ТЕСТОВ',
      givenName: 'ТЕСТОВИЧ',
      country: 'KZ',
      subjectType: 'INDIVIDUAL',
      algorithm: 'RSA',
      extKeyUsage: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.1'],
      policies: ['1.2.398.3.3.2.3'],
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      notBefore: '2022-01-18T04:38:50.000Z',
      notAfter: '2023-01-18T04:38:50.000Z',
      issuer: 'C=KZ, CN=ҰКО 3.0 (RSA TEST)',
    });
    expect(c.bin).toBeUndefined();
    expect(c.organization).toBeUndefined();
    expect(c.serialNumber).toMatch(/^[0-9a-f]+$/);
  });

  test('individual AUTH key, RSA: clientAuth and the AUTH policy', () => {
    const c = parseCertificate(nca('individual_valid_sign_2004_rsa_auth.cer'));
    expect(c).toMatchObject({
      iin: '123456789011',
      subjectType: 'INDIVIDUAL',
      algorithm: 'RSA',
      extKeyUsage: ['1.3.6.1.5.5.7.3.2', '1.2.398.3.3.4.1.1'],
      policies: ['1.2.398.3.3.2.4'],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
    });
  });

  test('head of an organisation, GOST 34.310-2004: BIN from OU, O, head OID', () => {
    const c = parseCertificate(nca('ceo_valid_sign_2004_gost.cer'));
    expect(c).toMatchObject({
      iin: '123456789011',
      bin: '123456789021',
      organization: 'АО "ТЕСТ"',
      subjectType: 'ORGANIZATION_HEAD',
      algorithm: 'GOST34.310-2004',
      extKeyUsage: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2', '1.2.398.3.3.4.1.2.1'],
      notBefore: '2022-01-18T04:45:35.000Z',
      notAfter: '2023-01-18T04:45:35.000Z',
      issuer: 'C=KZ, CN=ҰКО 3.0 (GOST TEST)',
    });
  });

  test('individual SIGN key, GOST 34.10-2015 (DER)', () => {
    const c = parseCertificate(nca('individual_sign_2015_gost.der'));
    expect(c).toMatchObject({
      iin: '123456789011',
      subjectType: 'INDIVIDUAL',
      algorithm: 'GOST34.10-2015-512',
      notBefore: '2026-05-08T06:45:13.000Z',
      notAfter: '2027-05-08T06:45:13.000Z',
      issuer: 'CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022, C=KZ',
    });
  });

  test.each([
    ['nca_rsa_test.crt', 'RSA', 'ҰКО 3.0 (RSA TEST)', '2019-03-15', '2024-03-13'],
    ['nca_gost_test.crt', 'GOST34.310-2004', 'ҰКО 3.0 (GOST TEST)', '2019-03-14', '2024-03-12'],
    ['nca_gost2015_test.cer', 'GOST34.10-2015-512', 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022', '2022-07-07', '2032-07-04'],
  ])('issuing CA %s', (file, algorithm, cn, from, to) => {
    const cert = NcaCertificate.from(nca(file));
    expect(cert.parsed).toMatchObject({ algorithm, commonName: cn, surname: '', subjectType: 'UNKNOWN' });
    expect(cert.parsed.iin).toBeUndefined();
    expect(cert.parsed.notBefore.slice(0, 10)).toBe(from);
    expect(cert.parsed.notAfter.slice(0, 10)).toBe(to);
    expect(cert.parsed.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(cert.details.isCa).toBe(true);
  });

  test('the test IIN is extracted although it fails the checksum on purpose', () => {
    const c = parseCertificate(nca('individual_valid_sign_2004_rsa.cer'));
    expect(c.iin).toBe('123456789011');
    expect(validateIin('123456789011')).toMatchObject({ valid: false, reason: { code: 'CHECKSUM' } });
  });

  test('PEM, DER and base64 inputs give the same result; trailing bytes are ignored', () => {
    const der = NcaCertificate.from(nca('individual_valid_sign_2004_rsa.cer')).der;
    const pem = toPem('CERTIFICATE', der);
    const expected = parseCertificate(der);
    expect(parseCertificate(pem)).toEqual(expected);
    expect(parseCertificate(Buffer.from(pem))).toEqual(expected);
    expect(parseCertificate(Buffer.from(der).toString('base64'))).toEqual(expected);
    expect(parseCertificate(Buffer.concat([der, Buffer.from('\n\n')]))).toEqual(expected);
  });

  test('garbage is a CertificateParseError', () => {
    expect(() => parseCertificate(Buffer.from('not a certificate'))).toThrow(CertificateParseError);
    expect(() => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(CertificateParseError);
    expect(() => parseCertificate('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')).toThrow(CertificateParseError);
  });

  test('the IIN comes only from SERIALNUMBER and the BIN only from OU', () => {
    const c = NcaCertificate.from(nca('ceo_valid_sign_2004_gost.cer'));
    expect(c.parsed.subject).toBe(
      'CN=ТЕСТОВ ТЕСТ, SURNAME=ТЕСТОВ, SERIALNUMBER=IIN123456789011, C=KZ, O=АО \\"ТЕСТ\\", OU=BIN123456789021, GIVENNAME=ТЕСТОВИЧ',
    );
  });
});

describe('subject type from NCA OIDs', () => {
  test.each([
    [['1.3.6.1.5.5.7.3.2', '1.2.398.3.3.4.1.1'], 'INDIVIDUAL'],
    [['1.2.398.3.3.4.1.2'], 'ORGANIZATION_EMPLOYEE'],
    [['1.2.398.3.3.4.1.2', '1.2.398.3.3.4.1.2.5'], 'ORGANIZATION_EMPLOYEE'],
    [['1.2.398.3.3.4.1.2', '1.2.398.3.3.4.1.2.2'], 'ORGANIZATION_SIGNER'],
    [['1.2.398.3.3.4.1.2', '1.2.398.3.3.4.1.2.1'], 'ORGANIZATION_HEAD'],
    [['1.2.398.3.3.4.1.2.3'], 'ORGANIZATION_EMPLOYEE'],
    [['1.2.398.3.3.4.1.1', '1.2.398.3.3.4.1.2'], 'ORGANIZATION_EMPLOYEE'],
    [['1.3.6.1.5.5.7.3.4'], 'UNKNOWN'],
  ] as const)('%j → %s', (oids, expected) => {
    expect(subjectTypeOf(oids)).toBe(expected);
  });
});


describe('hpc cert / verify-chain', () => {
  jest.setTimeout(120_000);

  test('cert prints exactly the documented keys', () => {
    const r = hpc('cert', join(NCA, 'ceo_valid_sign_2004_gost.cer'));
    expect(r.status).toBe(0);
    expect(Object.keys(r.json as object)).toEqual([
      'iin',
      'bin',
      'commonName',
      'surname',
      'givenName',
      'keyUsage',
      'extKeyUsage',
      'policies',
      'subjectType',
      'notBefore',
      'notAfter',
      'issuer',
      'algorithm',
    ]);
    expect(r.json).toMatchObject({ iin: '123456789011', bin: '123456789021', subjectType: 'ORGANIZATION_HEAD', algorithm: 'GOST34.310-2004' });
  });

  test('cert on a file that is not a certificate: JSON error, exit 1', () => {
    const r = hpc('cert', join(ROOT, 'package.json'));
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'BAD_CERTIFICATE', field: 'file', reason: { kk: expect.any(String), ru: expect.any(String), en: expect.any(String) } } });
    noStackTrace(r);
  });

  test('verify-chain: RSA individual valid inside its validity, expired now (exit 1)', () => {
    const leaf = join(NCA, 'individual_valid_sign_2004_rsa.cer');
    const ca = join(NCA, 'nca_rsa_test.crt');
    const ok = hpc('verify-chain', leaf, '--ca', ca, '--at', '2022-06-01T00:00:00Z');
    expect(ok.status).toBe(0);
    expect(ok.json).toEqual({ valid: true });
    const expired = hpc('verify-chain', leaf, '--ca', ca);
    expect(expired.status).toBe(1);
    expect(expired.json).toMatchObject({ valid: false, reason: { code: 'CERT_EXPIRED' } });
  });

  test('verify-chain: GOST is unsupported by the default verifier', () => {
    const r = hpc('verify-chain', join(NCA, 'individual_sign_2015_gost.der'), '--ca', join(NCA, 'nca_gost2015_test.cer'), '--at', '2026-06-01T00:00:00Z');
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ valid: false, reason: { code: 'SIGNATURE_ALGORITHM_UNSUPPORTED' } });
    noStackTrace(r);
  });

  test('verify-chain: bad --at is a JSON error naming the field', () => {
    const r = hpc('verify-chain', join(NCA, 'individual_valid_sign_2004_rsa.cer'), '--ca', join(NCA, 'nca_rsa_test.crt'), '--at', 'yesterday');
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'BAD_INSTANT', field: 'at' } });
  });
});
