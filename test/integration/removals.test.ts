/**
 * Removal from the register through the API on the real stack (issue #11 §2; Housing Law, APPC
 * art. 73): PostgreSQL, the Temporal dev server, the worker, the gateway sandbox.
 *   - a registered applicant's entry, HOUSING_ACQUIRED: the officer opens the case by registration
 *     number; the person reads it (audited) and states a position; the officer cannot decide before
 *     the hearing (409 with the table's kk/ru reason); another person gets 404;
 *   - a migrated record (no application), DIED: straight to the officer, on the worklist with its due
 *     instant and allowedActions; the officer's decision removes it — the ledger says DIED;
 *   - bad input is 400 naming the field in kk/ru; a second case on the same entry is 409.
 *   - a minor's entry (R13): her guardian, confirmed by the representation registry, finds the case
 *     and states her position; a stranger gets 404;
 *   - a case the periodic re-verification opens (the workflow started directly, as its child is, with
 *     the registry's evidence): the API shows it and the officer decides it like any other;
 *   - HOUSING_PROVIDED on an application's entry: no hearing; the officer signs the decision with
 *     EDS (sign request → NCALayer stand-in → decision), verified against the staff registry, kept
 *     as the case's REMOVAL_DECISION signature and verified again when read.
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { upsertStaffMember } from '../../api/auth/staff';
import { withQueueChangeReason } from '../../db/queue-ledger';
import { makeIin } from '../../domain/iin';
import { TEST_PROVIDER } from '../../dev/pki/test-ca';
import { createTestPki, ncaLayerSign, type TestPki } from '../helpers/auth';
import { withTransaction } from '../../db/transaction';
import { createApiMetrics } from '../../observability/http-metrics';
import { currentReferenceSnapshot, developmentAlwaysOpenSnapshot } from '../../domain/reference-snapshot';
import { toAlmatyIso } from '../../domain/time';
import { REMOVAL_WORKFLOW_TYPE, removalWorkflowId, type RemovalWorkflowInput } from '../../workflows/removal/contract';
import { testApiApp } from '../helpers/api';
import { privateDemo } from '../helpers/demo';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(180_000);

const demo = privateDemo(['S01', 'S12', 'S05', 'S06']);
const A = demo.scenario('S01').declaration.applicantIin;
const M = demo.scenario('S12').declaration.applicantIin; // the migrated record's person (no application here)
const OFFICER = 'officer:HO-0001';
const OFFICER_IIN = makeIin('1979-06-06', 'F', 6202);
let stack: Stack;
let app: Express;
let pki: TestPki;

beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
  pki = await createTestPki();
  // The test CA as the trust store and OCSP responder: EDS signatures are verified as in production.
  app = testApiApp(stack, { auth: pki.authOptions });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const as = (actor: string, t: request.Test): request.Test => t.set('X-HPC-Actor', actor).set('X-HPC-Purpose', 'removal from the register');

async function until(read: () => Promise<request.Response>, ok: (body: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await read();
    if (res.status === 200 && ok(res.body as Record<string, unknown>)) return res.body as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('HOUSING_ACQUIRED on an application’s entry: opened by the officer, read and answered by the person before the hearing; the officer must wait for the hearing', async () => {
  const filed = await as(`applicant:${A}`, request(app).post('/v1/applications')).set('Idempotency-Key', `r-${randomUUID()}`).send(demo.bodyOf('S01'));
  expect(filed.status).toBe(202);
  const caseId = filed.body.applicationId as string;
  await until(() => as(`applicant:${A}`, request(app).get(`/v1/applications/${caseId}`)), (b) => b.status === 'REGISTERED', 'registration (R7.1)');
  const placement = await as(`applicant:${A}`, request(app).get(`/v1/applications/${caseId}/queue-position`));
  const registrationNumber = placement.body.registrationNumber as string;

  // Bad input: 400 naming the field, in kk and ru.
  const bad = await as(OFFICER, request(app).post('/v1/removals')).send({ registrationNumber, ground: 'MOVED_AWAY', finding: 'x' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('ground');
  expect(bad.body.error.message.kk).toBeTruthy();
  expect(bad.body.error.message.ru).toBeTruthy();
  const unknown = await as(OFFICER, request(app).post('/v1/removals')).send({ registrationNumber: '351010000-99999999', ground: 'DIED', finding: 'x' });
  expect(unknown.status).toBe(404);
  expect(unknown.body.error).toMatchObject({ code: 'ENTRY_NOT_FOUND', field: 'registrationNumber' });
  // Only an officer opens one.
  expect((await as(`applicant:${A}`, request(app).post('/v1/removals')).send({ registrationNumber, ground: 'DIED', finding: 'x' })).status).toBe(403);

  const opened = await as(OFFICER, request(app).post('/v1/removals')).send({ registrationNumber, ground: 'HOUSING_ACQUIRED', finding: 'Real-estate registry: a flat bought in 2026.' });
  expect(opened.status).toBe(201);
  expect(opened.body).toMatchObject({ registrationNumber, applicationId: caseId, source: 'APPLICATION', ground: 'HOUSING_ACQUIRED', hearing: true, status: 'HEARING_SCHEDULED' });
  expect(opened.body.hearingAt).toMatch(/T11:00:00\+05:00$/);
  expect(opened.body.decisionDueAt).toMatch(/T18:30:00\+05:00$/);
  const removalId = opened.body.removalId as string;
  // One open case per entry.
  const twice = await as(OFFICER, request(app).post('/v1/removals')).send({ registrationNumber, ground: 'DATA_UNRELIABLE', finding: 'again' });
  expect(twice.status).toBe(409);
  expect(twice.body.error.code).toBe('REMOVAL_ALREADY_OPEN');

  // The person reads it — with the preliminary decision's notice — and states a position.
  const mine = await until(() => as(`applicant:${A}`, request(app).get(`/v1/removals/${removalId}`)), (b) => (b.notices as unknown[]).length > 0, 'the preliminary notice');
  expect((mine.notices as { kind: string; channel: string; text?: { ru: string } }[]).find((n) => n.channel === 'CABINET')!.text!.ru).toContain('статья 73 АППК');
  expect(mine.allowedActions).toEqual([{ action: 'STATE_REMOVAL_POSITION', allowed: true, rule: 'APPC art. 73' }]);
  expect(JSON.stringify(mine)).not.toContain(A);
  // Somebody else: 404, as for a case that does not exist.
  const other = await as(`applicant:${M}`, request(app).get(`/v1/removals/${removalId}`));
  expect(other.status).toBe(404);
  expect(other.body.error.code).toBe('REMOVAL_NOT_FOUND');
  // A staff read without a purpose is refused.
  expect((await request(app).get(`/v1/removals/${removalId}`).set('X-HPC-Actor', OFFICER)).body.error.code).toBe('PURPOSE_REQUIRED');

  const emptyPosition = await as(`applicant:${A}`, request(app).post(`/v1/removals/${removalId}/position`)).send({ text: '' });
  expect(emptyPosition.status).toBe(400);
  expect(emptyPosition.body.error.field).toBe('text');
  // The position is signed with EDS like the application procedure's (R17): the person asks for the form, NCALayer signs it.
  const text = 'The flat is my brother’s; I am only registered there.';
  expect((await as(`applicant:${A}`, request(app).post(`/v1/removals/${removalId}/sign-request`)).send({ action: 'decision', outcome: 'KEEP', reasoning: 'x' })).status).toBe(403);
  const form = await as(`applicant:${A}`, request(app).post(`/v1/removals/${removalId}/sign-request`)).send({ action: 'position', text });
  expect(form.status).toBe(200);
  expect(JSON.parse(form.body.canonical as string)).toMatchObject({ documentType: 'REMOVAL_POSITION', removalId, registrationNumber, text, statedBy: `applicant:${A}` });
  const signature = await ncaLayerSign(await pki.person(A, 'SIGN'), form.body.data as string);
  // The signature over another text does not pass.
  const tampered = await as(`applicant:${A}`, request(app).post(`/v1/removals/${removalId}/position`)).send({ text: `${text}!`, signature });
  expect(tampered.status).toBe(400);
  expect(tampered.body.error.field).toBe('signature');
  const position = await as(`applicant:${A}`, request(app).post(`/v1/removals/${removalId}/position`)).send({ text, signature });
  expect(position.status).toBe(200);
  expect(position.body).toMatchObject({ positionStated: true, positionSigned: true, status: 'HEARING_SCHEDULED' });
  const signatures = await as(`applicant:${A}`, request(app).get(`/v1/applications/${caseId}/signatures`));
  expect((signatures.body.signatures as { documentType: string }[]).find((x) => x.documentType === 'REMOVAL_POSITION')).toMatchObject({ valid: true, signer: { role: 'applicant' } });
  const again = await as(`applicant:${A}`, request(app).post(`/v1/removals/${removalId}/position`)).send({ text: 'again' });
  expect(again.status).toBe(409);
  expect(again.body.error.details).toEqual([{ reason: 'REMOVAL_POSITION_ALREADY_STATED' }]);

  // The officer waits for the hearing (APPC art. 73): 409 with the table's reason.
  const early = await as(OFFICER, request(app).post(`/v1/removals/${removalId}/decision`)).send({ outcome: 'REMOVE', reasoning: 'now' });
  expect(early.status).toBe(409);
  expect(early.body.error.details).toEqual([{ reason: 'REMOVAL_HEARING_PENDING' }]);
  expect(early.body.error.message.ru).toMatch(/заслушивания/);

  // The officer's view has the position; the case's timeline has the steps; the reads were audited.
  const staff = await as(OFFICER, request(app).get(`/v1/removals/${removalId}`));
  expect(staff.body.position).toContain('brother');
  const timeline = await as(`applicant:${A}`, request(app).get(`/v1/applications/${caseId}/timeline`));
  expect((timeline.body.entries as { kind: string }[]).map((e) => e.kind)).toEqual(expect.arrayContaining(['REMOVAL_PRELIMINARY_DECISION', 'REMOVAL_POSITION_STATED']));
  const audit = await stack.pool.query<{ action: string; actor: string }>(
    `SELECT action, actor FROM audit_log WHERE application_id = $1 AND action LIKE '%REMOVAL%' ORDER BY id`,
    [caseId],
  );
  expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['OPEN_REMOVAL', 'READ_REMOVAL', 'STATE_REMOVAL_POSITION']));
  expect(audit.rows.some((r) => r.action === 'READ_REMOVAL' && r.actor === OFFICER)).toBe(true);
});

test('DIED on a migrated record (no application): on the officer’s worklist with its due instant; the signed-off removal takes it out of the lists with reason DIED', async () => {
  const number = `231010000-M${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  await withTransaction(stack.pool, async (tx) => {
    await withQueueChangeReason(tx, 'MIGRATED');
    await tx.query(
      `INSERT INTO queue_entries (application_id, registration_number, applicant_iin, locality, kato, source, source_akimat, received_at, registered_at)
       VALUES (NULL, $1, $2, '231010000', '231010000', 'MIGRATED', 'akimat-test', now() - interval '5 years', now() - interval '5 years')`,
      [number, M],
    );
  });
  const opened = await as(OFFICER, request(app).post('/v1/removals')).send({ registrationNumber: number, ground: 'DIED', finding: 'Persons registry: date of death 2026-11-02.' });
  expect(opened.status).toBe(201);
  expect(opened.body).toMatchObject({ source: 'MIGRATED', hearing: false, status: 'AWAITING_DECISION' });
  expect(opened.body.applicationId).toBeUndefined();
  const removalId = opened.body.removalId as string;

  const worklist = await as(OFFICER, request(app).get('/v1/staff/worklist'));
  expect(worklist.status).toBe(200);
  const item = (worklist.body.removals as { removalId: string }[]).find((r) => r.removalId === removalId);
  expect(item).toMatchObject({ registrationNumber: number, ground: 'DIED', status: 'AWAITING_DECISION', overdue: false, allowedActions: [{ action: 'DECIDE_REMOVAL', allowed: true }] });
  expect((item as unknown as { dueAt: string }).dueAt).toMatch(/T18:30:00\+05:00$/);
  expect(JSON.stringify(worklist.body)).not.toContain(M);
  // Operators have no removal cases on theirs.
  expect((await as('operator:OP-0001', request(app).get('/v1/staff/worklist'))).body.removals).toBeUndefined();

  // The person concerned finds the case of their migrated record (no cabinet case of theirs) and reads it.
  const listed = await as(`applicant:${M}`, request(app).get('/v1/cabinet/removals'));
  expect(listed.status).toBe(200);
  expect((listed.body.items as { removalId: string; source: string }[]).map((i) => [i.removalId, i.source])).toEqual([[removalId, 'MIGRATED']]);
  expect((await as(`applicant:${A}`, request(app).get('/v1/cabinet/removals'))).body.items.some((i: { removalId: string }) => i.removalId === removalId)).toBe(false);
  expect((await as(`applicant:${M}`, request(app).get(`/v1/removals/${removalId}`))).status).toBe(200);

  // The canonical form the officer signs names the case, the entry, the ground and the outcome; nothing personal.
  const form = await as(OFFICER, request(app).post(`/v1/removals/${removalId}/sign-request`)).send({ action: 'decision', outcome: 'REMOVE', reasoning: 'Death recorded.' });
  expect(form.status).toBe(200);
  expect(JSON.parse(form.body.canonical as string)).toMatchObject({ documentType: 'REMOVAL_DECISION', removalId, registrationNumber: number, ground: 'DIED', outcome: 'REMOVE', decidedBy: OFFICER });
  expect(form.body.canonical).not.toContain(M);
  // A signature without its decidedAt: 400 naming decidedAt.
  const noDecidedAt = await as(OFFICER, request(app).post(`/v1/removals/${removalId}/decision`)).send({ outcome: 'REMOVE', reasoning: 'x', signature: 'A'.repeat(40) });
  expect(noDecidedAt.status).toBe(400);
  expect(noDecidedAt.body.error.field).toBe('decidedAt');

  // The metrics count it among the open cases awaiting the officer (no personal data in the labels).
  const metrics = await createApiMetrics(stack.pool).registry.metrics();
  expect(metrics).toMatch(/hpc_removals_open\{status="AWAITING_DECISION"[^}]*\} [1-9]/);
  expect(metrics).toMatch(/hpc_removals_overdue(\{[^}]*\})? \d+/);
  const decided = await as(OFFICER, request(app).post(`/v1/removals/${removalId}/decision`)).send({ outcome: 'REMOVE', reasoning: 'Death recorded in the persons registry.' });
  expect(decided.status).toBe(200);
  expect(decided.body).toMatchObject({ status: 'REMOVED', outcome: 'REMOVE', decidedBy: OFFICER, allowedActions: [{ action: 'DECIDE_REMOVAL', allowed: false }] });
  const ledger = await stack.pool.query<{ kind: string; reason_code: string }>(
    `SELECT e.kind, e.reason_code FROM queue_events e JOIN queue_entries q ON q.id = e.entry_id WHERE q.registration_number = $1 AND e.category = '' ORDER BY e.id`,
    [number],
  );
  expect(ledger.rows).toEqual([
    { kind: 'ARRIVED', reason_code: 'MIGRATED' },
    { kind: 'LEFT', reason_code: 'DIED' },
  ]);
  // The notice of a migrated record is the case's own: the person reads it there.
  const theirs = await until(() => as(`applicant:${M}`, request(app).get(`/v1/removals/${removalId}`)), (b) => (b.notices as unknown[]).length >= 2, 'the final notice');
  const cabinetText = (theirs.notices as { kind: string; channel: string; text?: { kk: string; ru: string } }[]).find((n) => n.kind === 'REMOVAL_DECIDED' && n.channel === 'CABINET')!;
  expect(cabinetText.text!.ru).toContain('снята с учёта');
  expect(cabinetText.text!.ru).toContain('смерть');
  const again = await as(OFFICER, request(app).post(`/v1/removals/${removalId}/decision`)).send({ outcome: 'KEEP', reasoning: 'changed my mind' });
  expect(again.status).toBe(409);
  expect(again.body.error.details).toEqual([{ reason: 'REMOVAL_CLOSED' }]);
  // A removed entry cannot get a new case.
  const reopen = await as(OFFICER, request(app).post('/v1/removals')).send({ registrationNumber: number, ground: 'DIED', finding: 'again' });
  expect(reopen.status).toBe(409);
  expect(reopen.body.error.code).toBe('ENTRY_NOT_IN_QUEUE');
  // The audit rows of a migrated record name no case, but the actor and the route.
  const audit = await stack.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE application_id IS NULL AND route LIKE '%/v1/removals%' ORDER BY id`);
  expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['OPEN_REMOVAL', 'PREPARE_REMOVAL_SIGNATURE', 'DECIDE_REMOVAL']));
});

test('HOUSING_PROVIDED: no hearing; the officer signs REMOVE with EDS — verified, stored with the case, listed among its signatures; the entry leaves with reason HOUSING_PROVIDED and the case is flagged LEFT_QUEUE', async () => {
  const person = demo.scenario('S05').declaration.applicantIin;
  const filed = await as(`applicant:${person}`, request(app).post('/v1/applications')).set('Idempotency-Key', `r-${randomUUID()}`).send(demo.bodyOf('S05'));
  expect(filed.status).toBe(202);
  const caseId = filed.body.applicationId as string;
  await until(() => as(`applicant:${person}`, request(app).get(`/v1/applications/${caseId}`)), (b) => b.status === 'REGISTERED', 'registration');
  const registrationNumber = (await as(`applicant:${person}`, request(app).get(`/v1/applications/${caseId}/queue-position`))).body.registrationNumber as string;

  await upsertStaffMember(stack.pool, { iin: OFFICER_IIN, staffId: 'HO-0301', roles: ['officer'], active: true, by: 'test:removals' });
  const officer = 'officer:HO-0301';
  const opened = await as(officer, request(app).post('/v1/removals')).send({ registrationNumber, ground: 'HOUSING_PROVIDED', finding: 'Flat 12, Abay St 5, allotted by the provider under order 77.' });
  expect(opened.status).toBe(201);
  expect(opened.body).toMatchObject({ hearing: false, status: 'AWAITING_DECISION' });
  const removalId = opened.body.removalId as string;
  await until(() => as(officer, request(app).get(`/v1/removals/${removalId}`)), (b) => (b.notices as unknown[]).length === 0 && b.status === 'AWAITING_DECISION', 'the opening');

  const decision = { outcome: 'REMOVE', reasoning: 'Housing provided under order 77.' };
  const form = await as(officer, request(app).post(`/v1/removals/${removalId}/sign-request`)).send({ action: 'decision', ...decision });
  expect(form.status).toBe(200);
  const key = await pki.staff(OFFICER_IIN, 'HO-0301', { role: 'SIGNER', kind: 'SIGN' });
  // Another officer's signature over the same form: refused, naming the signature.
  const stranger = await pki.staff(makeIin('1981-01-01', 'M', 6203), 'HO-0302', { role: 'SIGNER', kind: 'SIGN' });
  const wrong = await as(officer, request(app).post(`/v1/removals/${removalId}/decision`)).send({ ...decision, decidedAt: form.body.decidedAt, signature: await ncaLayerSign(stranger, form.body.data as string) });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error).toMatchObject({ code: 'STAFF_SIGNER_UNKNOWN', field: 'signature' });

  const signed = await as(officer, request(app).post(`/v1/removals/${removalId}/decision`)).send({ ...decision, decidedAt: form.body.decidedAt, signature: await ncaLayerSign(key, form.body.data as string) });
  expect(signed.status).toBe(200);
  expect(signed.body).toMatchObject({ status: 'REMOVED', outcome: 'REMOVE', signed: true, decidedBy: officer });

  const signatures = await as(officer, request(app).get(`/v1/applications/${caseId}/signatures`));
  const removal = (signatures.body.signatures as { documentType: string }[]).find((x) => x.documentType === 'REMOVAL_DECISION');
  expect(removal).toMatchObject({ valid: true, signer: { role: 'officer', staffId: 'HO-0301', bin: TEST_PROVIDER.bin }, document: { removalId, outcome: 'REMOVE', ground: 'HOUSING_PROVIDED' } });
  const linked = await stack.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM removals r JOIN signed_documents d ON d.id = r.decision_document_id WHERE r.id = $1 AND d.removal_id = r.id`,
    [removalId],
  );
  expect(linked.rows[0].n).toBe(1);

  const after = await as(`applicant:${person}`, request(app).get(`/v1/applications/${caseId}`));
  expect(after.body.flags).toContain('LEFT_QUEUE');
  expect((await as(`applicant:${person}`, request(app).get(`/v1/applications/${caseId}/queue-position`))).status).toBe(404);
  const ledger = await stack.pool.query<{ reason_code: string }>(
    `SELECT e.reason_code FROM queue_events e JOIN queue_entries q ON q.id = e.entry_id WHERE q.application_id = $1 AND e.kind = 'LEFT' AND e.category = ''`,
    [caseId],
  );
  expect(ledger.rows).toEqual([{ reason_code: 'HOUSING_PROVIDED' }]);
  // The cabinet has the final notice with the case's other notices.
  const cabinet = await as(`applicant:${person}`, request(app).get('/v1/cabinet/notices'));
  expect(JSON.stringify(cabinet.body)).toContain('REMOVAL_DECIDED');
});

test('a minor’s entry (R13): her guardian — confirmed by the representation registry — finds the removal case and states the position; the audit names the principal; a stranger gets 404', async () => {
  const minor = demo.scenario('S06').declaration.applicantIin;
  const guardian = demo.scenario('S06').declaration.representativeIin!;
  const filed = await as(`representative:${guardian}`, request(app).post('/v1/applications')).set('Idempotency-Key', `r-${randomUUID()}`).send(demo.bodyOf('S06'));
  expect(filed.status).toBe(202);
  const caseId = filed.body.applicationId as string;
  await until(() => as(`representative:${guardian}`, request(app).get(`/v1/applications/${caseId}`)), (b) => b.status === 'REGISTERED', 'registration');
  const registrationNumber = (await as(`representative:${guardian}`, request(app).get(`/v1/applications/${caseId}/queue-position`))).body.registrationNumber as string;
  const opened = await as(OFFICER, request(app).post('/v1/removals')).send({ registrationNumber, ground: 'DATA_UNRELIABLE', finding: 'The orphan status record was revoked.' });
  expect(opened.status).toBe(201);
  const removalId = opened.body.removalId as string;

  const listed = await as(`representative:${guardian}`, request(app).get('/v1/cabinet/removals'));
  expect(listed.status).toBe(200);
  expect((listed.body.items as { removalId: string }[]).map((i) => i.removalId)).toEqual([removalId]);
  const stranger = makeIin('1985-03-03', 'F', 4343);
  expect((await as(`representative:${stranger}`, request(app).get(`/v1/removals/${removalId}`))).status).toBe(404);
  expect((await as(`representative:${stranger}`, request(app).get('/v1/cabinet/removals'))).body.items).toEqual([]);

  const view = await until(() => as(`representative:${guardian}`, request(app).get(`/v1/removals/${removalId}`)), (b) => b.status === 'HEARING_SCHEDULED', 'the preliminary decision');
  expect(view.allowedActions).toEqual([{ action: 'STATE_REMOVAL_POSITION', allowed: true, rule: 'APPC art. 73' }]);
  const position = await as(`representative:${guardian}`, request(app).post(`/v1/removals/${removalId}/position`)).send({ text: 'The guardianship authority confirms her status again.' });
  expect(position.status).toBe(200);
  expect(position.body.positionStated).toBe(true);
  const row = await stack.pool.query<{ position_by: string }>(`SELECT position_by FROM removals WHERE id = $1`, [removalId]);
  expect(row.rows[0].position_by).toBe(`representative:${guardian}`);
  const audit = await stack.pool.query<{ on_behalf_of: string | null }>(
    `SELECT on_behalf_of FROM audit_log WHERE action = 'STATE_REMOVAL_POSITION' AND application_id = $1`,
    [caseId],
  );
  expect(audit.rows).toEqual([{ on_behalf_of: `applicant:${minor}` }]);
});

test('opened by the periodic re-verification (removalWorkflow started directly with the registry’s evidence, no record beforehand): the API shows the evidence, the officer keeps the entry', async () => {
  const number = `231010000-M${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const iin = makeIin('1948-08-08', 'M', 5151);
  const entryId = await withTransaction(stack.pool, async (tx) => {
    await withQueueChangeReason(tx, 'MIGRATED');
    const r = await tx.query<{ id: string }>(
      `INSERT INTO queue_entries (application_id, registration_number, applicant_iin, locality, kato, source, source_akimat, received_at, registered_at)
       VALUES (NULL, $1, $2, '231010000', '231010000', 'MIGRATED', 'akimat-test', now() - interval '4 years', now() - interval '4 years') RETURNING id::text`,
      [number, iin],
    );
    return r.rows[0].id;
  });
  const removalId = randomUUID();
  const input: RemovalWorkflowInput = {
    removalId,
    entryId,
    ground: 'DIED',
    evidence: { registry: 'persons', facts: { deathDate: '2026-11-20' } },
    openedBy: 'system:reverification',
    openedAt: toAlmatyIso(Date.now()),
    reference: stack.settings.devAlwaysOpen ? developmentAlwaysOpenSnapshot() : currentReferenceSnapshot(),
  };
  const handle = await stack.client.workflow.start(REMOVAL_WORKFLOW_TYPE, { workflowId: removalWorkflowId(entryId), taskQueue: stack.settings.taskQueue, args: [input] });
  const view = await until(() => as(OFFICER, request(app).get(`/v1/removals/${removalId}`)), (b) => b.status === 'AWAITING_DECISION', 'the record the workflow writes');
  expect(view).toMatchObject({ openedBy: 'system:reverification', source: 'MIGRATED', evidence: { registry: 'persons', facts: { deathDate: '2026-11-20' } } });
  // The officer cannot open a second case on it meanwhile.
  expect((await as(OFFICER, request(app).post('/v1/removals')).send({ registrationNumber: number, ground: 'DIED', finding: 'x' })).body.error.code).toBe('REMOVAL_ALREADY_OPEN');
  const kept = await as(OFFICER, request(app).post(`/v1/removals/${removalId}/decision`)).send({ outcome: 'KEEP', reasoning: 'The registry record was an error; corrected on request.' });
  expect(kept.status).toBe(200);
  expect(kept.body.status).toBe('KEPT');
  expect((await handle.result()).status).toBe('KEPT');
  expect((await stack.pool.query(`SELECT status FROM queue_entries WHERE id = $1`, [entryId])).rows[0].status).toBe('ACTIVE');
});
