/**
 * verifyDocumentSignature (security/pki/document-signature.ts): the SIGN key, the signer bound to
 * who acts, chain and revocation; and the development system signing key (system-signer.ts).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeIin } from '../../domain/iin';
import { OcspResponder } from '../../sandbox/ocsp';
import { OcspClient, trustStoreOf } from '../../security/pki';
import { verifyDocumentSignature, type ExpectedSigner } from '../../security/pki/document-signature';
import { canonicalFormOf, positionDocument } from '../../security/pki/signed-documents';
import { developmentSystemSigner } from '../../dev/pki/system-signer';
import { TEST_PROVIDER, TestCa, type IssuedKey } from '../../dev/pki/test-ca';
import { signCms } from '../../dev/pki/test-signer';

jest.setTimeout(60_000);

const IIN = '950314419498';
const OTHER = makeIin('1987-04-12', 'M', 3001);
let ca: TestCa;
let responder: OcspResponder;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hpc-sig-unit-'));
  ca = await TestCa.create(dir);
  responder = new OcspResponder({ caDir: dir });
});

const name = (iin: string) => ({ iin, surname: 'ТЕСТОВ', givenName: 'ТЕСТ' });
const doc = positionDocument({ applicationId: '0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11', hearingSeq: 1, text: 'Позиция', statedBy: `applicant:${IIN}` });
const form = canonicalFormOf(doc);
const sign = (key: IssuedKey, content: Uint8Array = form.bytes): string => signCms({ privateKey: key.privateKey, certificate: key.certificate.der }, content);

async function verify(cms: string, expected: ExpectedSigner, trustCa: TestCa = ca) {
  return verifyDocumentSignature({
    cmsBase64: cms,
    content: form.bytes,
    expected,
    at: new Date(),
    trust: trustStoreOf([trustCa.certificate.der]),
    revocation: new OcspClient({ transport: async (_url, req) => responder.respond(req) }),
  });
}

const codeOf = (r: Awaited<ReturnType<typeof verify>>): string => (r.ok ? 'OK' : r.failure.code);

describe('a person signs', () => {
  it("the acting person's SIGN key: valid, the signer from the certificate", async () => {
    const key = await ca.issuePerson(name(IIN), 'SIGN', { writeFiles: false });
    const r = await verify(sign(key), { kind: 'PERSON', iin: IIN });
    expect(r).toMatchObject({ ok: true, signer: { iin: IIN, subjectType: 'INDIVIDUAL', commonName: 'ТЕСТОВ ТЕСТ' } });
  });

  it('refusals, one code each', async () => {
    const own = await ca.issuePerson(name(IIN), 'SIGN', { writeFiles: false });
    const auth = await ca.issuePerson(name(IIN), 'AUTH', { writeFiles: false });
    const other = await ca.issuePerson(name(OTHER), 'SIGN', { writeFiles: false });
    const staff = await ca.issueStaff({ ...name(IIN), staffId: 'HO-0001', role: 'SIGNER' }, TEST_PROVIDER, 'SIGN', { writeFiles: false });
    const stranger = await TestCa.create(mkdtempSync(join(tmpdir(), 'hpc-sig-unit-other-')), { commonName: 'UNTRUSTED TEST CA' });
    const untrusted = await stranger.issuePerson(name(IIN), 'SIGN', { writeFiles: false });
    const person: ExpectedSigner = { kind: 'PERSON', iin: IIN };
    expect(codeOf(await verify(sign(own, new Uint8Array(Buffer.from(`${form.canonical} `))), person))).toBe('CONTENT_MISMATCH');
    expect(codeOf(await verify(sign(auth), person))).toBe('NOT_SIGN_KEY');
    expect(codeOf(await verify(sign(other), person))).toBe('SIGNER_NOT_ACTOR');
    expect(codeOf(await verify(sign(staff), person))).toBe('NOT_INDIVIDUAL');
    expect(codeOf(await verify(sign(untrusted), person))).toBe('UNTRUSTED_ISSUER');
    expect(codeOf(await verify('not a cms at all', person))).toBe('BAD_CMS');
    responder.revoke(own.certificate.parsed.serialNumber, new Date(Date.now() - 60_000));
    expect(codeOf(await verify(sign(own), person))).toBe('CERT_REVOKED');
  });
});

describe('staff and the system sign', () => {
  it("a provider employee's SIGN key; another organisation's is BIN_MISMATCH; a person's is not the system's", async () => {
    const officer = await ca.issueStaff({ ...name(OTHER), staffId: 'HO-0001', role: 'SIGNER' }, TEST_PROVIDER, 'SIGN', { writeFiles: false });
    const elsewhere = await ca.issueStaff({ ...name(OTHER), staffId: 'HO-0001', role: 'SIGNER' }, { name: 'ТОО "ДРУГАЯ"', bin: '050140000656' }, 'SIGN', {
      writeFiles: false,
    });
    const person = await ca.issuePerson(name(IIN), 'SIGN', { writeFiles: false });
    expect(codeOf(await verify(sign(officer), { kind: 'STAFF', providerBin: TEST_PROVIDER.bin, iin: OTHER }))).toBe('OK');
    expect(codeOf(await verify(sign(officer), { kind: 'STAFF', providerBin: TEST_PROVIDER.bin, iin: IIN }))).toBe('SIGNER_NOT_ACTOR');
    expect(codeOf(await verify(sign(elsewhere), { kind: 'STAFF', providerBin: TEST_PROVIDER.bin }))).toBe('BIN_MISMATCH');
    expect(codeOf(await verify(sign(person), { kind: 'SYSTEM', providerBin: TEST_PROVIDER.bin }))).toBe('NOT_SYSTEM_CERTIFICATE');
  });

  it('the development system key: made once from the CA, reused, made again when the CA is replaced; its signature verifies', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hpc-sys-dev-'));
    const keyDir = join(root, 'key');
    const caDir = join(root, 'ca');
    const first = await developmentSystemSigner(keyDir, caDir, {});
    expect(existsSync(join(keyDir, 'system.p12'))).toBe(true);
    const again = await developmentSystemSigner(keyDir, caDir, {});
    expect(again.certificate.parsed.serialNumber).toBe(first.certificate.parsed.serialNumber);
    expect(first.certificate.parsed.bin).toBe(TEST_PROVIDER.bin);
    expect(first.certificate.parsed.keyUsage).toContain('nonRepudiation');

    const devCa = TestCa.load(caDir);
    const devResponder = new OcspResponder({ caDir });
    const r = await verifyDocumentSignature({
      cmsBase64: first.sign(form.bytes),
      content: form.bytes,
      expected: { kind: 'SYSTEM', providerBin: TEST_PROVIDER.bin },
      at: new Date(),
      trust: trustStoreOf([devCa.certificate.der]),
      revocation: new OcspClient({ transport: async (_url, req) => devResponder.respond(req) }),
    });
    expect(r.ok).toBe(true);

    await TestCa.create(caDir); // `pki init-test-ca` again: a new CA
    const renewed = await developmentSystemSigner(keyDir, caDir, {});
    expect(renewed.certificate.parsed.serialNumber).not.toBe(first.certificate.parsed.serialNumber);
  });
});
