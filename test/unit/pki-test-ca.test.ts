/** `hpc pki init-test-ca`: who gets keys, and what the CA folder holds. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NcaCertificate } from '../../security/pki/certificate';
import { readPkcs12 } from '../../security/pki/keys';
import { keyHoldersOfFixture, TEST_PKCS12_PASSWORD, TEST_PROVIDER, TestCa, type InitTestCaResult, type TestCaIndex } from '../../dev/pki/test-ca';
import { loadTrustStore } from '../../security/pki/trust-store';

const ROOT = join(__dirname, '..', '..');
const demo = (): { version: string; description: string; persons: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(join(ROOT, 'sandbox', 'fixtures', 'demo.json'), 'utf8')) as { version: string; description: string; persons: Record<string, unknown>[] };

jest.setTimeout(180_000);

test('applicants, guardians and representatives of the demo fixture get keys; spouses and children do not', () => {
  const iins = keyHoldersOfFixture(demo()).map((p) => p.iin);
  expect(iins).toEqual(expect.arrayContaining(['950314419498', '110912643698', '791201473476', '580211346034', '860819356809', '850404334413']));
  expect(iins).not.toContain('841103416048'); // S02 spouse
  expect(iins).not.toContain('120209612310'); // S02 minor child
  expect(new Set(iins).size).toBe(iins.length);
  const kandas = keyHoldersOfFixture(demo()).find((p) => p.iin === '850404334413');
  expect(kandas?.patronymic).toBeUndefined(); // S28 has no patronymic: no GIVENNAME
});

describe('hpc pki init-test-ca', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hpc-init-ca-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('creates the CA, keys for the fixture persons and the staff, and the trust-store copy', () => {
    const fixture = demo();
    const tiny = { ...fixture, persons: fixture.persons.filter((p) => ['950314419498', '841103416048'].includes(String(p.iin))) };
    const fixtureFile = join(dir, 'tiny.json');
    writeFileSync(fixtureFile, JSON.stringify(tiny));
    const out = join(dir, 'ca');
    const trustDir = join(dir, 'trust');
    const r = spawnSync('npx', ['tsx', 'cli/hpc.ts', 'pki', 'init-test-ca', '--out', out, '--fixture', fixtureFile, '--trust-dir', trustDir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as InitTestCaResult;
    expect(result).toMatchObject({ dir: out, pkcs12Password: TEST_PKCS12_PASSWORD, provider: TEST_PROVIDER, ocspUrl: 'http://127.0.0.1:4010/ocsp' });
    expect(result.persons.map((p) => p.iin)).toEqual(['950314419498']);
    expect(result.staff.map((s) => [s.staffId, s.role])).toEqual([
      ['OP-0001', 'EMPLOYEE'],
      ['HO-0001', 'SIGNER'],
      ['HD-0001', 'HEAD'],
    ]);

    // Keys are private to the owner.
    expect(statSync(join(out, 'ca.key.pem')).mode & 0o077).toBe(0);
    expect(statSync(result.persons[0].auth).mode & 0o077).toBe(0);

    const auth = readPkcs12(readFileSync(result.persons[0].auth), TEST_PKCS12_PASSWORD).certificate.parsed;
    expect(auth).toMatchObject({
      iin: '950314419498',
      commonName: 'ЖАКСЫБЕКОВА АЙГЕРИМ',
      surname: 'ЖАКСЫБЕКОВА',
      givenName: 'НУРЛАНОВНА',
      country: 'KZ',
      subjectType: 'INDIVIDUAL',
      extKeyUsage: ['1.3.6.1.5.5.7.3.2', '1.2.398.3.3.4.1.1'],
      policies: ['1.2.398.3.3.2.4'],
      algorithm: 'RSA',
    });
    expect(auth.subject).toBe('CN=ЖАКСЫБЕКОВА АЙГЕРИМ, SURNAME=ЖАКСЫБЕКОВА, SERIALNUMBER=IIN950314419498, C=KZ, GIVENNAME=НУРЛАНОВНА');
    const sign = NcaCertificate.from(readFileSync(join(out, 'persons', '950314419498', 'RSA256.cer'))).parsed;
    expect(sign).toMatchObject({ extKeyUsage: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.1'], policies: ['1.2.398.3.3.2.3'], keyUsage: ['digitalSignature', 'nonRepudiation'] });

    const head = readPkcs12(readFileSync(result.staff[2].sign), TEST_PKCS12_PASSWORD).certificate.parsed;
    expect(head).toMatchObject({
      bin: TEST_PROVIDER.bin,
      organization: TEST_PROVIDER.name,
      subjectType: 'ORGANIZATION_HEAD',
      extKeyUsage: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2', '1.2.398.3.3.4.1.2.1'],
      policies: ['1.2.398.3.3.2.1'],
    });
    const officer = NcaCertificate.from(readFileSync(join(out, 'staff', 'HO-0001', 'AUTH_RSA256.cer'))).parsed;
    expect(officer).toMatchObject({ subjectType: 'ORGANIZATION_SIGNER', policies: ['1.2.398.3.3.2.2'] });

    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as TestCaIndex;
    expect(index.issued.map((e) => e.kind).sort()).toEqual(['AUTH', 'AUTH', 'AUTH', 'AUTH', 'OCSP', 'SIGN', 'SIGN', 'SIGN', 'SIGN']);
    const ca = TestCa.load(out);
    expect(loadTrustStore(trustDir).anchors.map((a) => a.fingerprint)).toEqual([ca.certificate.fingerprint]);
    expect(existsSync(join(out, 'persons', '841103416048'))).toBe(false);
  });

  test('a missing fixture is a JSON error naming the option', () => {
    const r = spawnSync('npx', ['tsx', 'cli/hpc.ts', 'pki', 'init-test-ca', '--out', join(dir, 'x'), '--fixture', join(dir, 'none.json')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'FILE_NOT_READABLE', field: 'fixture' } });
  });
});
