/**
 * Signed documents end to end (issue #3; R5, R13, R17): a private test CA, its OCSP responder,
 * NCALayer's stand-in, real PostgreSQL and Temporal.
 *   - a session citizen cannot file without a signature; sign request → NCALayer → filed, stored
 *     with the application in its transaction; GET …/signature verifies it again;
 *   - a tampered document or signature, another person's key, the AUTH key, an expired or revoked
 *     certificate: 400 naming `signature` with the reason's code, and nothing written;
 *   - the automated R7.1 registration is signed by the system key and verifies;
 *   - a position and consents signed through the development header are stored and verify;
 *   - a hearing officer's signed decision (staff certificate, staff registry) is linked to the
 *     decision in the activity's transaction; a retried activity writes nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { listRoutes } from '../../api/auth/authorise';
import { authSettings } from '../../api/auth/config';
import { upsertStaffMember } from '../../api/auth/staff';
import { documentSigning, storeSignedDocument } from '../../api/routes/signatures';
import { createCaseActivities } from '../../activities/case-activities';
import type { Ground } from '../../domain/application';
import { makeIin } from '../../domain/iin';
import { withTransaction } from '../../db/transaction';
import { canonicalFormOf, decisionDocument } from '../../security/pki/signed-documents';
import { lazySystemSigner, loadSystemSigner } from '../../security/pki/system-signer';
import { TEST_PKCS12_PASSWORD, TEST_PROVIDER } from '../../dev/pki/test-ca';
import { asCaller, createTestPki, ncaLayerSign, signRequest, signInBearer, type Caller, type TestPki } from '../helpers/auth';
import { privateDemo } from '../helpers/demo';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const demo = privateDemo(['S01', 'S14']);
const S01 = demo.scenario('S01').declaration.applicantIin; // R7.1, registered at once
const S14 = demo.scenario('S14').declaration.applicantIin; // R15.4 → hearing scheduled
const OFFICER_IIN = makeIin('1979-05-05', 'M', 6101);
const OTHER_STAFF_IIN = makeIin('1979-05-05', 'F', 6102);

let stack: Stack;
let pki: TestPki;
let app: Express;
let token: string;
const previousEnv = { key: process.env.HPC_SYSTEM_SIGNING_KEY, password: process.env.HPC_SYSTEM_SIGNING_KEY_PASSWORD };

beforeAll(async () => {
  pki = await createTestPki();
  // The system key: issued by this test CA to the provider (so the test trust store verifies it).
  const system = await pki.ca.issueStaff(
    { staffId: 'SY-0001', role: 'SIGNER', iin: makeIin('2000-01-01', 'M', 9001), surname: 'HPC', givenName: 'ЖҮЙЕ' },
    TEST_PROVIDER,
    'SIGN',
    { writeFiles: false },
  );
  const dir = mkdtempSync(join(tmpdir(), 'hpc-sys-key-'));
  writeFileSync(join(dir, 'system.p12'), system.p12);
  process.env.HPC_SYSTEM_SIGNING_KEY = join(dir, 'system.p12');
  process.env.HPC_SYSTEM_SIGNING_KEY_PASSWORD = TEST_PKCS12_PASSWORD;

  stack = await startStack({ fixture: demo.fixture });
  app = createApiApp({
    pool: stack.pool,
    client: stack.client,
    settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
    logger: pino({ level: 'silent' }),
    hardening: { rateLimitPerAddress: 100_000, rateLimitPerIin: 100_000 },
    devIdentityHeader: true,
    requireSignatures: false,
    auth: pki.authOptions,
  });
  token = await signInBearer(app, await pki.person(S01), { as: 'applicant' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (previousEnv.key === undefined) delete process.env.HPC_SYSTEM_SIGNING_KEY;
  else process.env.HPC_SYSTEM_SIGNING_KEY = previousEnv.key;
  if (previousEnv.password === undefined) delete process.env.HPC_SYSTEM_SIGNING_KEY_PASSWORD;
  else process.env.HPC_SYSTEM_SIGNING_KEY_PASSWORD = previousEnv.password;
});

const code = (res: request.Response): string | undefined => (res.body as { error?: { code?: string } }).error?.code;

async function count(sql: string, params: unknown[]): Promise<number> {
  return (await stack.pool.query(sql, params)).rowCount ?? 0;
}

async function waitForStatus(id: string, caller: Caller, want: string[]): Promise<Record<string, unknown>> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await asCaller(request(app).get(`/v1/applications/${id}`), caller);
    if (want.includes(res.body.status as string)) return res.body as Record<string, unknown>;
    if (Date.now() > until) throw new Error(`${id}: ${String(res.body.status)} is not ${want.join('/')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function submit(caller: Caller, idem: string, body: object): request.Test {
  return asCaller(request(app).post('/v1/applications'), caller).set('Idempotency-Key', idem).send(body);
}

function expectSignatureRefusal(res: request.Response, status: number, want: string): void {
  expect({ status: res.status, code: code(res) }).toEqual({ status, code: want });
  expect(res.body.error.field).toBe('signature');
  expect(res.body.error.message.kk.length).toBeGreaterThan(0);
  expect(res.body.error.message.ru.length).toBeGreaterThan(0);
}

describe('the application of a citizen signed in by EDS', () => {
  const body = demo.bodyOf('S01', ['C1', 'C2', 'C3', 'C4']);
  const me: Caller = { token: '' };
  let applicationId: string;

  beforeAll(() => {
    (me as { token: string }).token = token;
  });

  it('without a signature: 400 SIGNATURE_REQUIRED, nothing written', async () => {
    const res = await submit(me, `sig-${randomUUID()}`, body);
    expectSignatureRefusal(res, 400, 'SIGNATURE_REQUIRED');
    expect(await count(`SELECT 1 FROM applications WHERE applicant_iin = $1`, [S01])).toBe(0);
  });

  it('the sign request gives the canonical form: documentType, version, the key and the declaration', async () => {
    const idem = `sig-${randomUUID()}`;
    const form = await signRequest(app, me, '/v1/applications/sign-request', body, { 'Idempotency-Key': idem });
    const doc = JSON.parse(form.canonical) as Record<string, unknown>;
    expect(doc).toMatchObject({ documentType: 'APPLICATION', version: 1, idempotencyKey: idem, applicantIin: S01, fund: 'STATE_HOUSING' });
    expect(Buffer.from(form.data, 'base64').toString('utf8')).toBe(form.canonical);
    expect(form.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Canonical: sorted keys, no whitespace.
    expect(form.canonical.startsWith('{"applicantIin":')).toBe(true);
    expect(form.canonical).not.toMatch(/\s"/);
  });

  const refusals: [string, () => Promise<{ idem: string; signed: object }>, number, string][] = [
    [
      'a document changed after signing (another mobile number)',
      async () => {
        const idem = `sig-${randomUUID()}`;
        const form = await signRequest(app, me, '/v1/applications/sign-request', body, { 'Idempotency-Key': idem });
        const signature = await ncaLayerSign(await pki.person(S01, 'SIGN'), form.data);
        return { idem, signed: { ...body, contact: { mobile: '+77000000000' }, signature } };
      },
      400,
      'CONTENT_MISMATCH',
    ],
    [
      'a signature with a byte changed',
      async () => {
        const idem = `sig-${randomUUID()}`;
        const form = await signRequest(app, me, '/v1/applications/sign-request', body, { 'Idempotency-Key': idem });
        const der = Buffer.from(await ncaLayerSign(await pki.person(S01, 'SIGN'), form.data), 'base64');
        der[der.length - 10] ^= 0xff; // inside the signature value, the last field
        return { idem, signed: { ...body, signature: der.toString('base64') } };
      },
      400,
      'BAD_SIGNATURE',
    ],
    [
      "another person's SIGN key",
      async () => {
        const idem = `sig-${randomUUID()}`;
        const form = await signRequest(app, me, '/v1/applications/sign-request', body, { 'Idempotency-Key': idem });
        return { idem, signed: { ...body, signature: await ncaLayerSign(await pki.person(S14, 'SIGN'), form.data) } };
      },
      400,
      'SIGNER_NOT_ACTOR',
    ],
    [
      'the AUTH key',
      async () => {
        const idem = `sig-${randomUUID()}`;
        const form = await signRequest(app, me, '/v1/applications/sign-request', body, { 'Idempotency-Key': idem });
        return { idem, signed: { ...body, signature: await ncaLayerSign(await pki.person(S01, 'AUTH'), form.data) } };
      },
      400,
      'NOT_SIGN_KEY',
    ],
    [
      'an expired certificate',
      async () => {
        const idem = `sig-${randomUUID()}`;
        const form = await signRequest(app, me, '/v1/applications/sign-request', body, { 'Idempotency-Key': idem });
        const day = 86_400_000;
        const expired = await pki.ca.issuePerson({ iin: S01, surname: 'ТЕСТОВ', givenName: 'ТЕСТ' }, 'SIGN', {
          writeFiles: false,
          notBefore: new Date(Date.now() - 400 * day),
          notAfter: new Date(Date.now() - day),
        });
        return { idem, signed: { ...body, signature: await ncaLayerSign(expired, form.data) } };
      },
      400,
      'CERT_EXPIRED',
    ],
    [
      'a revoked certificate',
      async () => {
        const idem = `sig-${randomUUID()}`;
        const form = await signRequest(app, me, '/v1/applications/sign-request', body, { 'Idempotency-Key': idem });
        const key = await pki.person(S01, 'SIGN');
        pki.responder.revoke(key.certificate.parsed.serialNumber, new Date(Date.now() - 60_000), 'keyCompromise');
        return { idem, signed: { ...body, signature: await ncaLayerSign(key, form.data) } };
      },
      400,
      'CERT_REVOKED',
    ],
  ];

  it.each(refusals)('%s: refused with its code, nothing written', async (_name, make, status, want) => {
    const { idem, signed } = await make();
    const res = await submit(me, idem, signed);
    expectSignatureRefusal(res, status, want);
    expect(await count(`SELECT 1 FROM applications WHERE applicant_iin = $1`, [S01])).toBe(0);
  });

  it('signed with the own SIGN key: filed, and the signature stored with the application and its consents', async () => {
    const idem = `sig-${randomUUID()}`;
    const form = await signRequest(app, me, '/v1/applications/sign-request', body, { 'Idempotency-Key': idem });
    const signature = await ncaLayerSign(await pki.person(S01, 'SIGN'), form.data);
    const res = await submit(me, idem, { ...body, signature });
    expect(res.status).toBe(202);
    applicationId = res.body.applicationId as string;
    const stored = await stack.pool.query(
      `SELECT document_type, canonical, sha256, cms, signer_ref, signer_iin FROM signed_documents
        WHERE application_id = $1 AND document_type = 'APPLICATION'`,
      [applicationId],
    );
    expect(stored.rows).toEqual([
      { document_type: 'APPLICATION', canonical: form.canonical, sha256: form.sha256, cms: signature, signer_ref: `applicant:${S01}`, signer_iin: S01 },
    ]);
    const consents = await stack.pool.query(`SELECT code FROM consents WHERE application_id = $1 AND signature = $2 ORDER BY code`, [applicationId, signature]);
    expect(consents.rows.map((r) => r.code)).toEqual(['C1', 'C2', 'C3', 'C4']);
    // The same request again, re-signed: the same case (the signature is not part of the request's hash).
    const again = await submit(me, idem, { ...body, signature: await ncaLayerSign(await pki.person(S01, 'SIGN'), form.data) });
    expect(again.status).toBe(200);
    expect(again.body.applicationId).toBe(applicationId);
    // One application signature (the R7.1 decision, signed by the system, may already be there too).
    expect(await count(`SELECT 1 FROM signed_documents WHERE application_id = $1 AND document_type = 'APPLICATION'`, [applicationId])).toBe(1);
  });

  it('GET …/signature verifies it again; the read is audited; another person gets 404', async () => {
    const res = await asCaller(request(app).get(`/v1/applications/${applicationId}/signature`), me);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      applicationId,
      documentType: 'APPLICATION',
      valid: true,
      signer: { role: 'applicant', commonName: 'ТЕСТОВ ТЕСТ' },
      document: { documentType: 'APPLICATION', applicantIin: S01 },
    });
    expect(res.body.signer.iinMasked).toMatch(/^\d{2}\*{8}\d{2}$/);
    expect(res.body.signedAt).toMatch(/\+05:00$/);
    expect(await count(`SELECT 1 FROM audit_log WHERE application_id = $1 AND action = 'READ_SIGNATURES'`, [applicationId])).toBe(1);
    const stranger = await request(app).get(`/v1/applications/${applicationId}/signature`).set('X-HPC-Actor', `applicant:${S14}`);
    expect(stranger.status).toBe(404);
    const staff = await request(app)
      .get(`/v1/applications/${applicationId}/signatures`)
      .set('X-HPC-Actor', 'auditor:AU-0001')
      .set('X-HPC-Purpose', 'signature audit');
    expect(staff.status).toBe(200);
    // Staff see the verification, not the person: IINs masked, no contacts, the signer by role only.
    const filed = (staff.body.signatures as { documentType: string; valid: boolean; signer: Record<string, unknown>; document: Record<string, unknown> }[]).find(
      (x) => x.documentType === 'APPLICATION',
    )!;
    expect(filed.valid).toBe(true);
    expect(filed.signer).toEqual({ role: 'applicant', certificateSerial: expect.any(String) });
    expect(filed.document.applicantIin).toMatch(/^\d{2}\*{8}\d{2}$/);
    expect(JSON.stringify(staff.body)).not.toContain(S01);
    expect(JSON.stringify(staff.body)).not.toMatch(/"(contact|mobile|phone|email)"/);
  });

  it('the automated R7.1 registration is signed with the system key and verifies', async () => {
    await waitForStatus(applicationId, me, ['REGISTERED']);
    const res = await asCaller(request(app).get(`/v1/applications/${applicationId}/signatures`), me);
    expect(res.status).toBe(200);
    const decision = (res.body.signatures as { documentType: string }[]).find((s) => s.documentType === 'DECISION');
    expect(decision).toMatchObject({
      valid: true,
      final: true,
      signer: { role: 'system', bin: TEST_PROVIDER.bin },
      document: { documentType: 'DECISION', outcome: 'REGISTERED', decidedBy: 'system', applicationId },
    });
    const linked = await stack.pool.query(`SELECT signed_document_id FROM decisions WHERE application_id = $1`, [applicationId]);
    expect(linked.rows[0].signed_document_id).not.toBeNull();
  });

  it('a stored signature whose certificate is revoked later stays valid; a changed stored document does not', async () => {
    const row = await stack.pool.query(`SELECT * FROM signed_documents WHERE application_id = $1 AND document_key = 'application'`, [applicationId]);
    const signing = documentSigning({ auth: authSettings(pki.authOptions, stack.settings.gatewayUrl), pool: stack.pool });
    const stored = row.rows[0];
    // Revoked now, after it was signed: OCSP answers "revoked since now", the signature stands.
    pki.responder.revoke(stored.certificate_serial, new Date(), 'keyCompromise');
    expect(await signing.reverify(stored)).toEqual({ valid: true });
    // Revoked since before it was signed: not valid.
    pki.responder.clearRevocations();
    pki.responder.revoke(stored.certificate_serial, new Date(stored.signing_time.getTime() - 60_000), 'keyCompromise');
    expect((await signing.reverify(stored)).reason?.code).toBe('CERT_REVOKED');
    pki.responder.clearRevocations();
    expect((await signing.reverify({ ...stored, canonical: stored.canonical.replace('STATE_HOUSING', 'STATE_ENTERPRISE') })).reason?.code).toBe(
      'CONTENT_MISMATCH',
    );
  });
});

describe('development header: position and consents signed, officer decision', () => {
  const me: Caller = { actor: `applicant:${S14}` };
  let id: string;

  it('an unsigned application is still accepted through X-HPC-Actor (HPC_REQUIRE_SIGNATURES unset)', async () => {
    const res = await submit(me, `sig-${randomUUID()}`, demo.bodyOf('S14', ['C1', 'C2']));
    expect(res.status).toBe(202);
    id = res.body.applicationId as string;
    await waitForStatus(id, me, ['HEARING_SCHEDULED']);
  });

  it('a signed position and signed consents are stored and verify; a tampered position is refused', async () => {
    const text = 'Кәсіпорынның тұрғын үйі маған тиесілі емес';
    const form = await signRequest(app, me, `/v1/applications/${id}/sign-request`, { action: 'position', text });
    expect(JSON.parse(form.canonical)).toMatchObject({ documentType: 'POSITION', applicationId: id, hearingSeq: 1, text, statedBy: `applicant:${S14}` });
    const key = await pki.person(S14, 'SIGN');
    const signature = await ncaLayerSign(key, form.data);
    const tampered = await asCaller(request(app).post(`/v1/applications/${id}/position`), me).send({ text: `${text}!`, signature });
    expectSignatureRefusal(tampered, 400, 'CONTENT_MISMATCH');
    expect(await count(`SELECT 1 FROM signed_documents WHERE application_id = $1 AND document_type = 'POSITION'`, [id])).toBe(0);
    const ok = await asCaller(request(app).post(`/v1/applications/${id}/position`), me).send({ text, signature });
    expect([200, 202]).toContain(ok.status);

    const consentForm = await signRequest(app, me, `/v1/applications/${id}/sign-request`, { action: 'consents', codes: ['C3'] });
    expect(JSON.parse(consentForm.canonical)).toMatchObject({ documentType: 'CONSENT', codes: ['C3'], applicantIin: S14 });
    const given = await asCaller(request(app).post(`/v1/applications/${id}/consents`), me).send({ codes: ['C3'], signature: await ncaLayerSign(key, consentForm.data) });
    expect([200, 202]).toContain(given.status);
    const listed = await asCaller(request(app).get(`/v1/applications/${id}/consents`), me);
    expect(listed.body.consents.find((c: { code: string }) => c.code === 'C3')).toMatchObject({ status: 'GIVEN', signed: true });

    const res = await asCaller(request(app).get(`/v1/applications/${id}/signatures`), me);
    expect(res.status).toBe(200);
    const types = (res.body.signatures as { documentType: string; valid: boolean }[]).map((s) => [s.documentType, s.valid]);
    expect(types).toEqual([
      ['POSITION', true],
      ['CONSENT', true],
    ]);
    // No application signature for this case.
    const none = await asCaller(request(app).get(`/v1/applications/${id}/signature`), me);
    expect({ status: none.status, code: code(none) }).toEqual({ status: 404, code: 'NOT_SIGNED' });
  });

  it("a person cannot ask for a decision's form; an officer cannot ask for a position's", async () => {
    const person = await asCaller(request(app).post(`/v1/applications/${id}/sign-request`), me).send({ action: 'hearing-outcome', outcome: 'REFUSE', reasoning: 'x' });
    expect(person.status).toBe(403);
    const officer = await request(app).post(`/v1/applications/${id}/sign-request`).set('X-HPC-Actor', 'officer:HO-0001').send({ action: 'position', text: 'x' });
    expect(officer.status).toBe(403);
  });

  it("the officer's signed decision is verified (staff certificate + registry), linked to the decision in its transaction, once", async () => {
    await upsertStaffMember(stack.pool, { iin: OFFICER_IIN, staffId: 'HO-0101', roles: ['officer'], active: true, by: 'test:signatures' });
    const officer = { role: 'officer' as const, id: 'HO-0101', via: 'dev-header' as const };
    const signing = documentSigning({ auth: authSettings(pki.authOptions, stack.settings.gatewayUrl), pool: stack.pool });
    const decidedAt = new Date().toISOString();
    // What the workflow would write: the grounds of the preliminary decision, the case's categories.
    const prelim = await stack.pool.query<{ grounds: Ground[] }>(`SELECT grounds FROM preliminary_decisions WHERE application_id = $1 ORDER BY seq DESC LIMIT 1`, [id]);
    const grounds = prelim.rows[0].grounds;
    const categories = (await asCaller(request(app).get(`/v1/applications/${id}`), me)).body.categories as { confirmed: string[]; unconfirmed: string[] };
    const doc = decisionDocument({
      applicationId: id,
      outcome: 'REFUSED',
      grounds: grounds.map((g) => g.id),
      categories,
      reasoning: 'Позиция қаралды',
      decidedAt,
      decidedBy: 'officer:HO-0101',
    });
    const sign = async (iin: string, staffId: string): Promise<string> => {
      const key = await pki.staff(iin, staffId, { role: 'SIGNER', kind: 'SIGN' });
      return ncaLayerSign(key, canonicalFormOf(doc).data);
    };
    // Another employee of the provider (not HO-0101 in the registry): refused.
    await expect(signing.verify(officer, doc, await sign(OTHER_STAFF_IIN, 'HO-0102'))).rejects.toMatchObject({ code: 'STAFF_SIGNER_UNKNOWN' });
    // A person's key: refused.
    await expect(signing.verify(officer, doc, await ncaLayerSign(await pki.person(S14, 'SIGN'), Buffer.from(JSON.stringify(doc)).toString('base64')))).rejects.toMatchObject({
      status: 400,
    });
    const verified = await signing.verify(officer, doc, await sign(OFFICER_IIN, 'HO-0101'));
    const { id: draftId } = await withTransaction(stack.pool, (tx) => storeSignedDocument(tx, id, verified));

    // The activity the workflow calls after the officer's outcome (called directly here: the
    // hearing is days away in real time).
    const activities = createCaseActivities(stack.pool, { systemSigner: lazySystemSigner(() => loadSystemSigner()) });
    const refusal = {
      applicationId: id,
      events: [],
      decidedAt: new Date().toISOString(),
      decidedBy: 'officer:HO-0101',
      grounds,
      categories,
      reasoning: 'Позиция қаралды',
      recipient: { phone: null },
      termCheck: { ceilingAt: '2026-11-30T18:30:00+05:00', met: true },
    };
    await activities.finaliseRefusal(refusal);
    await activities.finaliseRefusal(refusal); // a retry
    const linked = await stack.pool.query(`SELECT signed_document_id FROM decisions WHERE application_id = $1`, [id]);
    expect(Number(linked.rows[0].signed_document_id)).toBe(draftId);
    expect(await count(`SELECT 1 FROM signed_documents WHERE application_id = $1 AND document_type = 'DECISION'`, [id])).toBe(1);

    const res = await request(app).get(`/v1/applications/${id}/signatures`).set('X-HPC-Actor', 'officer:HO-0101').set('X-HPC-Purpose', 'decision check');
    const decision = (res.body.signatures as { documentType: string }[]).find((s) => s.documentType === 'DECISION');
    expect(decision).toMatchObject({ valid: true, final: true, signer: { role: 'officer', staffId: 'HO-0101', bin: TEST_PROVIDER.bin } });
  });
});

describe('OpenAPI', () => {
  it('documents every route of the app (method and path), the new signature endpoints and /v1/auth, /v1/admin included', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const routes = listRoutes(app).map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !routes.includes(d))).toEqual([]);
    expect(res.body.components.schemas).toHaveProperty('SignedDocument');
  });
});
