/**
 * Issue #11 §3 on the real stack (PostgreSQL, Temporal, the gateway sandbox): the personal
 * cabinet, A2's prefill and the signed application carrying it, the staff worklists, and the
 * technical report with the registry's emergency recognition beside it.
 *
 * Demo persons (sandbox/fixtures/README.md), private copies: S01 (clean R7.1), S06 (a minor
 * orphan and her guardian), S03 (R7.2, report ТЭ-2026/0841), S12 (clean R7.1, filed signed).
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { insertApplication, recordOverdue, recordProgress, workflowIdFor } from '../../db/cases';
import type { CaseFlag } from '../../domain/procedure/statuses';
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import { makeIin } from '../../domain/iin';
import { overdueNotice } from '../../domain/notices';
import { createTestPki, ncaLayerSign, signedApplication, signRequest, type TestPki } from '../helpers/auth';
import { insertTestApplication, TEST_RECEIVED_AT, testDeclaration } from '../helpers/applications';
import { privateDemo } from '../helpers/demo';
import { cleanPerson, freshIin } from '../helpers/persons';
import { recordCompletedOfTypes } from '../helpers/record-history';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const demo = privateDemo(['S01', 'S03', 'S06', 'S12']);
const iinOf = (id: string): string => demo.scenario(id).declaration.applicantIin;
const A = iinOf('S01');
const P = iinOf('S06'); // the minor
const G = demo.scenario('S06').declaration.representativeIin!; // her guardian
const STRANGER = makeIin('1985-03-03', 'F', 4243); // no representation record anywhere
const OPERATOR = 'operator:OP-0001';
const OFFICER = 'officer:HO-0001';
const HEAD = 'head:HD-0001';
// A clean applicant in A's locality (Karaganda), filed after A: behind A in the list.
const C = freshIin();
demo.fixture.persons.push(cleanPerson(C));

let stack: Stack;
let app: Express;
let pki: TestPki;

beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
  pki = await createTestPki();
  app = createApiApp({
    devIdentityHeader: true,
    pool: stack.pool,
    client: stack.client,
    settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
    hardening: { rateLimitPerAddress: 100_000, rateLimitPerIin: 100_000 },
    logger: pino({ level: 'silent' }),
    auth: pki.authOptions,
  });
}, 120_000);
afterAll(async () => {
  // With HPC_RECORD_HISTORIES=1: the replay test's history of the withdrawal's SMS notice.
  if (stack) await recordCompletedOfTypes(stack.client, { smsNoticeWorkflow: 'sms-notice-withdrawal' }, stack.payloadCodec);
  await stack?.stop();
});

const key = (): string => `test-${randomUUID()}`;
const as = (t: request.Test, actor: string): request.Test => t.set('X-HPC-Actor', actor).set('X-HPC-Purpose', 'cabinet test');

async function file(id: string, actor: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await as(request(app).post('/v1/applications'), actor).set('Idempotency-Key', key()).send({ ...demo.bodyOf(id), ...extra });
  expect(res.status).toBe(202);
  return res.body.applicationId as string;
}

async function untilStatus(caseId: string, actor: string, status: string): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await as(request(app).get(`/v1/applications/${caseId}`), actor);
    if (res.body.status === status) return;
    if (Date.now() > until) throw new Error(`case ${caseId} is ${res.body.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function auditRows(applicationId: string | null, actor: string, action: string): Promise<{ on_behalf_of: string | null }[]> {
  // Read from outside, as `hpc audit verify` does: the audit log is the system's own record.
  const res = await stack.pool.query<{ on_behalf_of: string | null }>(
    `SELECT on_behalf_of FROM audit_log WHERE actor = $1 AND action = $2 AND application_id IS NOT DISTINCT FROM $3`,
    [actor, action, applicationId],
  );
  return res.rows;
}

describe('the cabinet', () => {
  let caseA: string;
  let caseP: string;

  beforeAll(async () => {
    caseA = await file('S01', `applicant:${A}`);
    caseP = await file('S06', `representative:${G}`);
    await untilStatus(caseA, `applicant:${A}`, 'REGISTERED');
    await untilStatus(caseP, `applicant:${P}`, 'REGISTERED');
  });

  it('lists the caller’s applications with the status in words and what they may do now (allowedActions as the case read)', async () => {
    const res = await as(request(app).get('/v1/cabinet/applications'), `applicant:${A}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.items).toHaveLength(1);
    const [item] = res.body.items;
    expect(item).toMatchObject({
      applicationId: caseA,
      role: 'applicant',
      path: 'NO_HOUSING',
      kato: demo.scenario('S01').declaration.kato,
      status: 'REGISTERED',
      statusText: { kk: 'Есепке қойылды', ru: 'Поставлен на учёт', en: 'Registered in the queue' },
      receivedAt: expect.stringMatching(/\+05:00$/),
      decisionDueAt: expect.stringMatching(/\+05:00$/),
    });
    const caseRead = await as(request(app).get(`/v1/applications/${caseA}`), `applicant:${A}`);
    expect(item.allowedActions).toEqual(caseRead.body.allowedActions);
    // One audit row per case shown.
    expect(await auditRows(caseA, `applicant:${A}`, 'READ_CABINET')).toHaveLength(1);
  });

  it('the guardian sees the case she files for (registry-confirmed); the minor sees it as her own', async () => {
    const g = await as(request(app).get('/v1/cabinet/applications'), `representative:${G}`);
    expect(g.status).toBe(200);
    expect(g.body.items.map((i: { applicationId: string; role: string }) => [i.applicationId, i.role])).toEqual([[caseP, 'representative']]);
    const p = await as(request(app).get('/v1/cabinet/applications'), `applicant:${P}`);
    expect(p.body.items.map((i: { applicationId: string; role: string }) => [i.applicationId, i.role])).toEqual([[caseP, 'applicant']]);
    // Signed in in the other capacity: shown, but nothing offered to do in this session.
    const asApplicant = await as(request(app).get('/v1/cabinet/applications'), `applicant:${G}`);
    expect(asApplicant.body.items).toHaveLength(1);
    const offered = (asApplicant.body.items[0].allowedActions as { allowed: boolean; reason?: { code: string } }[]).filter((a) => a.allowed);
    expect(offered).toEqual([]);
    expect(asApplicant.body.items[0].allowedActions.map((a: { reason?: { code: string } }) => a.reason?.code)).toContain('SIGN_IN_AS_REPRESENTATIVE');
    // Someone the registry knows nothing of sees nothing.
    const stranger = await as(request(app).get('/v1/cabinet/applications'), `representative:${STRANGER}`);
    expect(stranger.body).toEqual({ items: [] });
  });

  it('notices: newest first, kk/ru, unread until marked read (204, idempotent); the SMS points to the cabinet', async () => {
    const res = await as(request(app).get('/v1/cabinet/notices'), `applicant:${A}`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const registration = (res.body.items as { kind: string }[]).find((n) => n.kind === 'REGISTRATION') as Record<string, unknown>;
    expect(registration).toMatchObject({
      noticeId: expect.any(String),
      applicationId: caseA,
      at: expect.stringMatching(/\+05:00$/),
      text: { kk: expect.stringContaining('есепке алындыңыз'), ru: expect.stringContaining('поставлены на учет') },
      read: false,
    });
    const mark = () => as(request(app).post(`/v1/cabinet/notices/${String(registration.noticeId)}/read`), `applicant:${A}`);
    expect((await mark()).status).toBe(204);
    expect((await mark()).status).toBe(204);
    const again = await as(request(app).get('/v1/cabinet/notices'), `applicant:${A}`);
    expect((again.body.items as { noticeId: string; read: boolean }[]).find((n) => n.noticeId === registration.noticeId)?.read).toBe(true);
    // Read state is the reader's own: the case's other readers are not affected (none here), and
    // another person cannot mark it (the same 404 as for no notice at all).
    const other = await as(request(app).post(`/v1/cabinet/notices/${String(registration.noticeId)}/read`), `applicant:${P}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOTICE_NOT_FOUND');
    expect((await as(request(app).post(`/v1/cabinet/notices/${randomUUID()}/read`), `applicant:${A}`)).body.error.code).toBe('NOTICE_NOT_FOUND');
  });

  it('the SMS of a decision sends the person to the cabinet (kk and ru)', async () => {
    const { registrationNotice } = await import('../../domain/notices');
    const n = registrationNotice({ caseRef: 'AB12CD34', registrationNumber: '351010000-00000001', position: 1, kato: '351010000', confirmed: [], unconfirmed: [] });
    expect(n.sms.kk).toContain('жеке кабинет');
    expect(n.sms.ru).toContain('личный кабинет');
  });

  it('pages by cursor without repeats; the guardian does not read the principal’s notices about her own actions', async () => {
    const first = await as(request(app).get('/v1/cabinet/notices').query({ limit: 1 }), `applicant:${P}`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const all: { noticeId: string; kind: string; at: string }[] = [...first.body.items];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page = await as(request(app).get('/v1/cabinet/notices').query({ limit: 1, cursor }), `applicant:${P}`);
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(new Set(all.map((n) => n.noticeId)).size).toBe(all.length);
    expect(all.map((n) => n.kind)).toEqual(expect.arrayContaining(['REGISTRATION', 'REPRESENTATIVE_ACTION']));
    const ats = all.map((n) => Date.parse(n.at));
    expect([...ats].sort((x, y) => y - x)).toEqual(ats); // newest first

    const guardian = await as(request(app).get('/v1/cabinet/notices'), `representative:${G}`);
    const kinds = (guardian.body.items as { kind: string }[]).map((n) => n.kind);
    expect(kinds).toContain('REGISTRATION');
    expect(kinds).not.toContain('REPRESENTATIVE_ACTION');

    const bad = await as(request(app).get('/v1/cabinet/notices').query({ cursor: 'bm90LWEtY3Vyc29y' }), `applicant:${P}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'CURSOR_INVALID', field: 'cursor' });
    const tooMany = await as(request(app).get('/v1/cabinet/notices').query({ limit: 1000 }), `applicant:${P}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.field).toBe('limit');
  });

  it('the representation registry down: a representative’s cabinet is 503 (never a partial list); a person’s own still answers', async () => {
    stack.sandbox.settings.update({ representation: { down: true } });
    try {
      const g = await as(request(app).get('/v1/cabinet/applications'), `representative:${G}`);
      expect(g.status).toBe(503);
      expect(g.body.error.code).toBe('REPRESENTATION_UNAVAILABLE');
      expect((await as(request(app).get('/v1/cabinet/applications'), `applicant:${A}`)).status).toBe(200);
    } finally {
      stack.sandbox.settings.update({ representation: { down: false } });
    }
  });

  it('staff have no cabinet', async () => {
    expect((await as(request(app).get('/v1/cabinet/applications'), OPERATOR)).status).toBe(403);
  });
});

describe('A2 prefill and the signed application that carries it', () => {
  const personOf = (iin: string) => demo.fixture.persons.find((p) => p.iin === iin)!.persons!;

  it('gives the signed-in person’s identity block from the persons registry, as an audited read', async () => {
    const res = await as(request(app).get('/v1/applications/prefill'), `applicant:${A}`);
    expect(res.status).toBe(200);
    const p = personOf(A);
    expect(res.body).toEqual({
      person: {
        iin: A,
        surname: p.surname,
        name: p.givenName,
        patronymic: p.patronymic ?? null,
        birthDate: p.birthDate,
        identityDocument: { number: p.identityDocument.number, issuedAt: p.identityDocument.issuedAt },
        address: { kato: p.address.kato, text: p.address.text },
      },
    });
    expect(await auditRows(null, `applicant:${A}`, 'READ_PREFILL')).toHaveLength(1);
  });

  it('gives a representative their principal’s block once the registry confirms it; others are refused', async () => {
    const res = await as(request(app).get('/v1/applications/prefill').query({ principalIin: P }), `representative:${G}`);
    expect(res.status).toBe(200);
    expect(res.body.person).toMatchObject({ iin: P, surname: personOf(P).surname });
    expect(await auditRows(null, `representative:${G}`, 'READ_PREFILL')).toEqual([{ on_behalf_of: `applicant:${P}` }]);

    const stranger = await as(request(app).get('/v1/applications/prefill').query({ principalIin: P }), `representative:${STRANGER}`);
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('REPRESENTATION_NOT_CONFIRMED');
    const applicant = await as(request(app).get('/v1/applications/prefill').query({ principalIin: P }), `applicant:${A}`);
    expect(applicant.status).toBe(400);
    expect(applicant.body.error).toMatchObject({ code: 'PRINCIPAL_ONLY_FOR_REPRESENTATIVE', field: 'principalIin' });
    const badIin = await as(request(app).get('/v1/applications/prefill').query({ principalIin: '123' }), `representative:${G}`);
    expect(badIin.status).toBe(400);
    expect(badIin.body.error.field).toBe('principalIin');
    const unknown = await as(request(app).get('/v1/applications/prefill'), `applicant:${freshIin()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PERSON_NOT_FOUND');
  });

  it('the persons registry down: 503 REGISTRY_UNAVAILABLE, nothing guessed; the application with a block cannot be checked either', async () => {
    stack.sandbox.settings.update({ persons: { down: true } });
    try {
      const res = await as(request(app).get('/v1/applications/prefill'), `applicant:${A}`);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('REGISTRY_UNAVAILABLE');
      expect(res.body.error.message.kk.length).toBeGreaterThan(10);
    } finally {
      stack.sandbox.settings.update({ persons: { down: false } });
    }
  });

  it('the application signed with the block carries it (signature verified again); a block that is not the registry’s is 422', async () => {
    const S12 = iinOf('S12');
    const actor = `applicant:${S12}`;
    const prefill = await as(request(app).get('/v1/applications/prefill'), actor);
    const person = prefill.body.person as Record<string, unknown>;

    const wrong = await as(request(app).post('/v1/applications'), actor)
      .set('Idempotency-Key', key())
      .send({ ...demo.bodyOf('S12'), person: { ...person, surname: 'ДРУГОЙ' } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'PERSON_MISMATCH', field: 'person.surname' });
    const notApplicant = await as(request(app).post('/v1/applications'), actor)
      .set('Idempotency-Key', key())
      .send({ ...demo.bodyOf('S12'), person: { ...person, iin: A } });
    expect(notApplicant.status).toBe(400);
    expect(notApplicant.body.error.field).toBe('person.iin');

    const idempotencyKey = key();
    const body = await signedApplication(app, { actor }, await pki.person(S12, 'SIGN'), { ...demo.bodyOf('S12'), person }, idempotencyKey);
    const filed = await as(request(app).post('/v1/applications'), actor).set('Idempotency-Key', idempotencyKey).send(body);
    expect(filed.status).toBe(202);
    const sig = await as(request(app).get(`/v1/applications/${filed.body.applicationId}/signature`), actor);
    expect(sig.status).toBe(200);
    expect(sig.body.valid).toBe(true);
    expect(sig.body.document.person).toEqual(person);
  });
});

describe('the operator’s report and the registry’s recognition beside it (S03, R7.2)', () => {
  let caseId: string;
  const applicant = (): string => `applicant:${iinOf('S03')}`;
  const pdf = Buffer.from('%PDF-1.4 the expert report of S03');

  beforeAll(async () => {
    caseId = await file('S03', applicant());
    await untilStatus(caseId, applicant(), 'AWAITING_REPORT');
  });

  it('before an upload: 404 NO_TECHNICAL_REPORT; the recognition is already there', async () => {
    const none = await as(request(app).get(`/v1/applications/${caseId}/technical-report`), OPERATOR);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('NO_TECHNICAL_REPORT');
    const rec = await as(request(app).get(`/v1/applications/${caseId}/emergency-recognition`), OPERATOR);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ number: demo.scenario('S03').technicalReport!.reportNumber, dwelling: demo.scenario('S03').technicalReport!.propertyId, expert: expect.any(String) });
    expect(rec.body.matchesReport).toBeUndefined();
  });

  it('after the upload the operator downloads the latest version (audited) and sees it matches the recognition', async () => {
    const up = await as(request(app).post(`/v1/applications/${caseId}/technical-report`), applicant())
      .query(demo.scenario('S03').technicalReport!)
      .set('Idempotency-Key', key())
      .set('Content-Type', 'application/pdf')
      .send(pdf);
    expect(up.status).toBe(200);
    await untilStatus(caseId, applicant(), 'AWAITING_REVIEW');

    const res = await as(request(app).get(`/v1/applications/${caseId}/technical-report`), OPERATOR).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-document-version']).toBe('1');
    expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
    expect(await auditRows(caseId, OPERATOR, 'READ_REPORT')).toHaveLength(1);
    // Staff say why they read it.
    const noPurpose = await request(app).get(`/v1/applications/${caseId}/technical-report`).set('X-HPC-Actor', OPERATOR);
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.error.code).toBe('PURPOSE_REQUIRED');
    // The party reads it too; the officer does not (policy).
    expect((await as(request(app).get(`/v1/applications/${caseId}/technical-report`), applicant())).status).toBe(200);
    expect((await as(request(app).get(`/v1/applications/${caseId}/technical-report`), OFFICER)).status).toBe(403);

    const rec = await as(request(app).get(`/v1/applications/${caseId}/emergency-recognition`), OPERATOR);
    expect(rec.body.matchesReport).toBe(true);
    expect(await auditRows(caseId, OPERATOR, 'READ_EMERGENCY_RECOGNITION')).toHaveLength(2);
  });

  it('the operator’s worklist has the case with REVIEW_REPORT allowed, and no IINs', async () => {
    const res = await as(request(app).get('/v1/staff/worklist'), OPERATOR);
    expect(res.status).toBe(200);
    const item = (res.body.items as { applicationId: string }[]).find((i) => i.applicationId === caseId) as Record<string, unknown>;
    expect(item).toMatchObject({ kato: demo.scenario('S03').declaration.kato, status: 'AWAITING_REVIEW', overdue: false, dueAt: expect.stringMatching(/\+05:00$/) });
    const allowed = (item.allowedActions as { action: string; allowed: boolean }[]).filter((a) => a.allowed).map((a) => a.action);
    expect(allowed).toEqual(['REVIEW_REPORT']);
    expect(JSON.stringify(res.body)).not.toMatch(/\d{12}/);
    // Not the officer's.
    const officer = await as(request(app).get('/v1/staff/worklist'), OFFICER);
    expect((officer.body.items as { applicationId: string }[]).map((i) => i.applicationId)).not.toContain(caseId);
  });

  it('an R7.1 case has no emergency recognition to show', async () => {
    const other = await insertTestApplication(stack.pool, freshIin());
    const res = await as(request(app).get(`/v1/applications/${other}/emergency-recognition`), OPERATOR);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_EMERGENCY_PATH');
  });
});

describe('staff worklists: overdue first, then by due instant; filters; cursor pages', () => {
  // Cases in a locality of their own (Aktobe, 151010000), their state written as the workflow
  // writes it (db/cases recordProgress), so the order is known exactly.
  const KATO = '151010000';
  const ids: Record<string, string> = {};
  const now = Date.now();
  const at = (minutes: number): string => new Date(now + minutes * 60_000).toISOString();

  async function caseIn(name: string, status: string, dueMinutes: number, flags: CaseFlag[] = []): Promise<void> {
    const id = randomUUID();
    const iin = freshIin();
    await insertApplication(stack.pool, {
      id,
      idempotencyKey: `test-${id}`,
      requestHash: 'x',
      declaration: { ...testDeclaration(iin), kato: KATO },
      submittedBy: `applicant:${iin}`,
      receivedAt: TEST_RECEIVED_AT,
      acceptedAt: TEST_RECEIVED_AT,
      decisionDueAt: at(dueMinutes),
      workflowId: workflowIdFor(iin, 'test'),
      reference: currentReferenceSnapshot(),
    });
    await recordProgress(stack.pool, {
      applicationId: id,
      events: [],
      status,
      flags,
      waitingOn: ['officer'],
      decisionDueAt: at(dueMinutes),
    });
    ids[name] = id;
  }

  beforeAll(async () => {
    await caseIn('late', 'AWAITING_HEARING_OUTCOME', 120, ['OVERDUE']); // flagged overdue, due "later"
    await caseIn('past', 'AWAITING_FINAL_SIGNATURE', -30); // its instant has passed
    await caseIn('soon', 'AWAITING_HEARING_OUTCOME', 60);
    await caseIn('later', 'AWAITING_FINAL_SIGNATURE', 240);
    await caseIn('review', 'AWAITING_REVIEW', 10);
    // The head hears of a case overdue on a step of staff's (migration 011's staff_alerts).
    const id = ids.soon!;
    await recordOverdue(stack.pool, {
      progress: { applicationId: id, events: [], status: 'AWAITING_HEARING_OUTCOME', flags: [], waitingOn: ['officer'], decisionDueAt: at(60) },
      dueAt: at(-5),
      at: new Date(now).toISOString(),
      waitingOn: ['officer'],
      notice: overdueNotice({ caseRef: 'TEST', dueAt: at(-5) }),
    });
  });

  const list = async (actor: string, query: Record<string, string | number> = {}) => {
    const res = await as(request(app).get('/v1/staff/worklist'), actor).query({ kato: KATO, ...query });
    expect(res.status).toBe(200);
    return res.body as { items: { applicationId: string; overdue: boolean; status: string; allowedActions: { action: string; allowed: boolean }[] }[]; nextCursor: string | null };
  };

  it('the officer: hearing outcomes and final refusals to sign, overdue first then by due instant', async () => {
    const body = await list(OFFICER);
    expect(body.items.map((i) => i.applicationId)).toEqual([ids.past, ids.late, ids.soon, ids.later]);
    expect(body.items.map((i) => i.overdue)).toEqual([true, true, false, false]);
    const past = body.items[0]!;
    expect(past.allowedActions.filter((a) => a.allowed).map((a) => a.action)).toEqual(['SIGN_FINAL_REFUSAL']);
    const soon = body.items[2]!;
    expect(soon.allowedActions.filter((a) => a.allowed).map((a) => a.action)).toEqual(['RECORD_HEARING_OUTCOME']);
  });

  it('filters by status and by locality', async () => {
    expect((await list(OFFICER, { status: 'AWAITING_FINAL_SIGNATURE' })).items.map((i) => i.applicationId)).toEqual([ids.past, ids.later]);
    expect((await list(OFFICER, { kato: '351010000' })).items.map((i) => i.applicationId)).not.toContain(ids.past);
    expect((await list(OPERATOR)).items.map((i) => i.applicationId)).toEqual([ids.review]);
    const bad = await as(request(app).get('/v1/staff/worklist'), OFFICER).query({ status: 'NOPE' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('status');
  });

  it('the head: overdue cases and open alerts', async () => {
    const ids2 = (await list(HEAD)).items.map((i) => i.applicationId);
    expect(ids2).toEqual([ids.late, ids.soon]);
  });

  it('pages by cursor: the same order, no repeats, overdue judged at the first page’s instant', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(OFFICER, { limit: 1, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i) => i.applicationId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.past, ids.late, ids.soon, ids.later]);
    const bad = await as(request(app).get('/v1/staff/worklist'), OFFICER).query({ cursor: 'e30' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CURSOR_INVALID');
  });

  it('roles without a worklist are refused', async () => {
    expect((await as(request(app).get('/v1/staff/worklist'), 'auditor:AU-0001')).status).toBe(403);
    expect((await as(request(app).get('/v1/staff/worklist'), `applicant:${A}`)).status).toBe(403);
  });
});

describe('withdrawal from the queue (issue #11 §2): signed with EDS, the entry leaves every list, with its reason', () => {
  let caseA: string;
  let caseC: string;
  const actorA = `applicant:${A}`;
  const reason = 'Купили квартиру сами';

  beforeAll(async () => {
    caseA = (await as(request(app).get('/v1/cabinet/applications'), actorA)).body.items[0].applicationId;
    const res = await as(request(app).post('/v1/applications'), `applicant:${C}`)
      .set('Idempotency-Key', key())
      .send({ applicantIin: C, path: 'NO_HOUSING', kato: '351010000', contact: { mobile: '+77015550101' }, consents: ['C1', 'C2', 'C3', 'C4'] });
    expect(res.status).toBe(202);
    caseC = res.body.applicationId;
    await untilStatus(caseC, `applicant:${C}`, 'REGISTERED');
  });

  const position = async (id: string, actor: string) => as(request(app).get(`/v1/applications/${id}/queue-position`), actor);

  it('is refused for a case that is not registered (the procedure table’s reason)', async () => {
    const s03 = (await as(request(app).get('/v1/cabinet/applications'), `applicant:${iinOf('S03')}`)).body.items[0].applicationId;
    const res = await as(request(app).post(`/v1/applications/${s03}/withdrawal`), `applicant:${iinOf('S03')}`).send({ reason });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVALID_CASE_ACTION', details: [{ reason: 'NOT_REGISTERED' }] });
    const noReason = await as(request(app).post(`/v1/applications/${caseA}/withdrawal`), actorA).send({ reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
  });

  it('a signature over another reason is refused and changes nothing', async () => {
    const form = await signRequest(app, { actor: actorA }, `/v1/applications/${caseA}/sign-request`, { action: 'withdrawal', reason: 'другая причина' });
    const signature = await ncaLayerSign(await pki.person(A, 'SIGN'), form.data);
    const res = await as(request(app).post(`/v1/applications/${caseA}/withdrawal`), actorA).send({ reason, signature });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('signature');
    expect((await position(caseA, actorA)).status).toBe(200);
  });

  it('the signed withdrawal: out of every list, those behind move up, the reason on the timeline, a notice, the signature kept', async () => {
    const before = await position(caseA, actorA);
    const behind = await position(caseC, `applicant:${C}`);
    expect(before.status).toBe(200);
    expect(behind.body.position).toBeGreaterThan(before.body.position);

    const form = await signRequest(app, { actor: actorA }, `/v1/applications/${caseA}/sign-request`, { action: 'withdrawal', reason });
    expect(form.documentType).toBe('WITHDRAWAL');
    expect(JSON.parse(form.canonical)).toMatchObject({ applicationId: caseA, registrationNumber: before.body.registrationNumber, reason, withdrawnBy: actorA });
    const signature = await ncaLayerSign(await pki.person(A, 'SIGN'), form.data);
    const res = await as(request(app).post(`/v1/applications/${caseA}/withdrawal`), actorA).send({ reason, signature });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applicationId: caseA, registrationNumber: before.body.registrationNumber, status: 'REGISTERED', reason: { code: 'WITHDRAWN' } });

    // Every list: the locality's and the published one.
    expect((await position(caseA, actorA)).body.error.code).toBe('NOT_IN_QUEUE');
    expect((await position(caseC, `applicant:${C}`)).body.position).toBe(behind.body.position - 1);
    const list = await request(app).get('/v1/queue/351010000').query({ pageSize: 500 });
    expect(JSON.stringify(list.body)).not.toContain(before.body.registrationNumber);

    const c = await as(request(app).get(`/v1/applications/${caseA}`), actorA);
    expect(c.body.flags).toContain('LEFT_QUEUE');
    expect(c.body.queue).toBeUndefined();
    expect((c.body.allowedActions as { action: string; reason?: { code: string } }[]).find((a) => a.action === 'WITHDRAW_FROM_QUEUE')?.reason?.code).toBe('ALREADY_LEFT_QUEUE');

    const timeline = await as(request(app).get(`/v1/applications/${caseA}/timeline`), actorA);
    const event = (timeline.body.entries as { kind: string; detail?: Record<string, unknown> }[]).find((e) => e.kind === 'QUEUE_ENTRY_WITHDRAWN');
    expect(event?.detail).toMatchObject({ reason: { code: 'WITHDRAWN' }, reasonText: reason, from: { kato: '351010000', position: before.body.position }, signed: true });

    const notices = await as(request(app).get('/v1/cabinet/notices'), actorA);
    expect(notices.body.items[0]).toMatchObject({ kind: 'QUEUE_WITHDRAWN', applicationId: caseA, read: false, text: { ru: expect.stringContaining('исключена из очереди') } });

    const sigs = await as(request(app).get(`/v1/applications/${caseA}/signatures`), actorA);
    const withdrawal = (sigs.body.signatures as { documentType: string; valid: boolean }[]).find((x) => x.documentType === 'WITHDRAWAL');
    expect(withdrawal?.valid).toBe(true);
    expect(await auditRows(caseA, actorA, 'WITHDRAW_FROM_QUEUE')).toHaveLength(1);

    // R16: the SMS, pointing to the cabinet, to the number in the mobile citizens database.
    const phone = demo.fixture.persons.find((p) => p.iin === A)!.mobile!.phone;
    const until = Date.now() + 20_000;
    let sms: { text: string }[] = [];
    while (Date.now() < until) {
      sms = stack.sandbox.sms.list({ to: phone }).filter((m) => m.text.includes(before.body.registrationNumber) && m.text.includes('исключена из очереди'));
      if (sms.length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain('личный кабинет');

    const again = await as(request(app).post(`/v1/applications/${caseA}/withdrawal`), actorA).send({ reason });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ reason: 'ALREADY_LEFT_QUEUE' }]);
  });
});
