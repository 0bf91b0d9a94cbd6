/**
 * Complaints through the API on the real stack (R18, R19; SPEC §8): the person files one about the
 * preliminary refusal (signed in development by the identity header, like the other actions), with
 * its terms; a complaint about inaction is refused while the case is not overdue; the head forwards
 * it and the case file goes with it; the head cannot decide it again; the review body's decision
 * closes it and the person reads it among the case's complaints and in the timeline.
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { storeReferenceSnapshot } from '../../db/cases';
import { insertComplaint } from '../../db/complaints';
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import { testApiApp } from '../helpers/api';
import { insertTestApplication } from '../helpers/applications';
import { freshIin } from '../helpers/persons';
import { privateDemo } from '../helpers/demo';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(180_000);

const demo = privateDemo(['S10']);
const applicant = `applicant:${demo.scenario('S10').declaration.applicantIin}`;
const HEAD = 'head:HD-0001';
const REVIEW = 'complaint-review:KR-0001';
let stack: Stack;
let app: Express;

beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
  app = testApiApp(stack);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const as = (actor: string, t: request.Test): request.Test => t.set('X-HPC-Actor', actor).set('X-HPC-Purpose', 'complaint review');

async function until(read: () => Promise<request.Response>, ok: (body: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await read();
    if (res.status === 200 && ok(res.body as Record<string, unknown>)) return res.body as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('file about the preliminary refusal, forwarded by the head with the case file, decided by the review body', async () => {
  const filed = await as(applicant, request(app).post('/v1/applications')).set('Idempotency-Key', `c-${randomUUID()}`).send(demo.bodyOf('S10'));
  expect(filed.status).toBe(202);
  const caseId = filed.body.applicationId as string;
  await until(() => as(applicant, request(app).get(`/v1/applications/${caseId}`)), (b) => b.status === 'HEARING_SCHEDULED', 'the preliminary refusal (R15.2)');

  // Inaction: not while the case is within its term.
  const inaction = await as(applicant, request(app).post(`/v1/applications/${caseId}/complaints`)).set('Idempotency-Key', `c-${randomUUID()}`).send({ subject: 'INACTION', text: 'Nobody answers.' });
  expect(inaction.status).toBe(409);
  expect(inaction.body.error.details).toEqual([{ reason: 'CASE_NOT_OVERDUE' }]);
  expect(inaction.body.error.message.kk).toMatch(/мерзімі/);

  // Hostile text never reaches the complaint.
  const nul = await as(applicant, request(app).post(`/v1/applications/${caseId}/complaints`)).set('Idempotency-Key', `c-${randomUUID()}`).send({ subject: 'DECISION', text: 'a\u0000b' });
  expect(nul.status).toBe(400);

  const key = `c-${randomUUID()}`;
  const body = { subject: 'DECISION', text: 'My share in the flat was sold in 2019; R15.2 does not apply.' };
  const res = await as(applicant, request(app).post(`/v1/applications/${caseId}/complaints`)).set('Idempotency-Key', key).send(body);
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ applicationId: caseId, subject: 'DECISION', status: expect.stringMatching(/^(RECEIVED|WITH_PROVIDER)$/) });
  for (const f of ['receivedAt', 'registeredAt', 'providerDecisionDueAt', 'forwardDueAt']) expect(res.body[f]).toMatch(/\+05:00$/);
  const complaintId = res.body.complaintId as string;
  // The same request again is the same complaint.
  const again = await as(applicant, request(app).post(`/v1/applications/${caseId}/complaints`)).set('Idempotency-Key', key).send(body);
  expect(again.status).toBe(200);
  expect(again.body.complaintId).toBe(complaintId);
  // The applicant does not decide it.
  expect((await as(applicant, request(app).post(`/v1/complaints/${complaintId}/provider-decision`)).send({ outcome: 'FORWARD', reasons: 'x' })).status).toBe(403);

  await until(() => as(HEAD, request(app).get(`/v1/complaints/${complaintId}`)), (b) => b.status === 'WITH_PROVIDER', 'registration');
  const listed = await as(HEAD, request(app).get('/v1/complaints?status=WITH_PROVIDER'));
  expect(listed.status).toBe(200);
  expect((listed.body.items as { complaintId: string; text?: string }[]).find((c) => c.complaintId === complaintId)).toMatchObject({ allowedActions: [{ action: 'PROVIDER_DECISION', allowed: true }] });

  // Satisfied without a remedy is refused at the edge, naming the field.
  const noRemedy = await as(HEAD, request(app).post(`/v1/complaints/${complaintId}/provider-decision`)).send({ outcome: 'SATISFIED', reasons: 'ok' });
  expect(noRemedy.status).toBe(400);
  expect(noRemedy.body.error.field).toBe('remedy');

  const forwarded = await as(HEAD, request(app).post(`/v1/complaints/${complaintId}/provider-decision`)).send({ outcome: 'FORWARD', reasons: 'The registry shows the share.' });
  expect(forwarded.status).toBe(200);
  expect(forwarded.body.status).toBe('FORWARDED');
  const again2 = await as(HEAD, request(app).post(`/v1/complaints/${complaintId}/provider-decision`)).send({ outcome: 'FORWARD', reasons: 'again' });
  expect(again2.status).toBe(409);
  const view = await until(() => as(HEAD, request(app).get(`/v1/complaints/${complaintId}`)), (b) => typeof b.reviewBodyDecisionDueAt === 'string', 'the forwarding record');
  expect(view.provider).toMatchObject({ outcome: 'FORWARD' });

  const decided = await as(REVIEW, request(app).post(`/v1/complaints/${complaintId}/review-body-decision`)).send({ outcome: 'REFUSED', reasons: 'R15.2 applies: the share is registered.' });
  expect(decided.status).toBe(200);
  expect(decided.body.status).toBe('DECIDED');

  const mine = await as(applicant, request(app).get(`/v1/applications/${caseId}/complaints`));
  expect(mine.status).toBe(200);
  expect(mine.body.complaints[0]).toMatchObject({ complaintId, status: 'DECIDED', reviewBody: { outcome: 'REFUSED' } });
  const timeline = await as(applicant, request(app).get(`/v1/applications/${caseId}/timeline`));
  const kinds = (timeline.body.entries as { kind: string }[]).map((e) => e.kind);
  expect(kinds).toEqual(expect.arrayContaining(['COMPLAINT_REGISTERED', 'COMPLAINT_FORWARDED', 'COMPLAINT_DECIDED']));
});

it('the open complaints list pages by due instant with a cursor, and refuses a cursor it did not give', async () => {
  // Open complaints of a stage, written as the filing and the registration step write them (the
  // list is a read of the table; the procedure around it is the test above).
  const caseId = await insertTestApplication(stack.pool, freshIin());
  const snapshot = await storeReferenceSnapshot(stack.pool, currentReferenceSnapshot());
  for (let i = 0; i < 5; i++) {
    const id = randomUUID();
    await insertComplaint(stack.pool, {
      id,
      applicationId: caseId,
      filedBy: 'applicant:paging',
      idempotencyKey: `paging-${i}`,
      requestHash: 'x',
      subject: 'DECISION',
      body: 'paging',
      signedDocumentId: null,
      workflowId: `complaint-paging-${id}`,
      referenceSnapshotId: snapshot,
      receivedAt: '2026-11-02T10:00:00+05:00',
      registeredAt: '2026-11-02T10:00:00+05:00',
      providerDecisionDueAt: '2026-11-09T18:30:00+05:00',
      // Two share a due instant: the id breaks the tie.
      forwardDueAt: `2026-11-0${5 + Math.min(i, 3)}T18:30:00+05:00`,
    });
    await stack.pool.query(`UPDATE complaints SET status = 'WITH_PROVIDER' WHERE id = $1`, [id]);
  }
  const all = await as(HEAD, request(app).get('/v1/complaints?status=WITH_PROVIDER&limit=200'));
  expect(all.body.nextCursor).toBeNull();
  const ids = (all.body.items as { complaintId: string }[]).map((c) => c.complaintId);
  expect(ids.length).toBeGreaterThanOrEqual(5);

  const paged: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res = await as(HEAD, request(app).get(`/v1/complaints?status=WITH_PROVIDER&limit=2${cursor ? `&cursor=${cursor}` : ''}`));
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
    paged.push(...(res.body.items as { complaintId: string }[]).map((c) => c.complaintId));
    cursor = res.body.nextCursor as string | null;
    if (!cursor) break;
  }
  expect(paged).toEqual(ids);

  const bad = await as(HEAD, request(app).get('/v1/complaints?status=WITH_PROVIDER&cursor=bm90LWEtY3Vyc29y'));
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatchObject({ code: 'CURSOR_INVALID', field: 'cursor' });
  // A cursor of the head's list does not page the review body's.
  const first = await as(HEAD, request(app).get('/v1/complaints?status=WITH_PROVIDER&limit=1'));
  const other = await as(REVIEW, request(app).get(`/v1/complaints?status=FORWARDED&cursor=${first.body.nextCursor as string}`));
  expect(other.status).toBe(400);
});
