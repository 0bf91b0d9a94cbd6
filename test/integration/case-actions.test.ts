/**
 * Case actions through the API on the real stack (issue #9): the procedure table answers before
 * anything is sent; actions are idempotent by the caller's Idempotency-Key; the position is part of
 * the case record the officer reads; a corrected report is a version of its own; submission keys
 * belong to their caller; the workflow refuses hostile text that reaches it by another way.
 *
 * Demo persons (sandbox/fixtures/README.md), private copies: S10 (R15.2 → hearing), S03 (R7.2),
 * S01 and S12 (clean R7.1).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Express } from 'express';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { findApplication } from '../../db/cases';
import { reviewTechnicalReportUpdate, statePositionUpdate } from '../../workflows/contract';
import { privateDemo } from '../helpers/demo';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const demo = privateDemo(['S01', 'S03', 'S10', 'S12']);
const iinOf = (id: string): string => demo.scenario(id).declaration.applicantIin;
const OFFICER = 'officer:HO-0001';
const OPERATOR = 'operator:OP-0001';

let stack: Stack;
let app: Express;

beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
  app = createApiApp({
    devIdentityHeader: true,
    pool: stack.pool,
    client: stack.client,
    settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
    hardening: { rateLimitPerAddress: 100_000, rateLimitPerIin: 100_000 },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const key = (): string => `test-${randomUUID()}`;

async function file(id: string, idempotencyKey = key()): Promise<request.Response> {
  return request(app).post('/v1/applications').set('X-HPC-Actor', `applicant:${iinOf(id)}`).set('Idempotency-Key', idempotencyKey).send(demo.bodyOf(id));
}

async function caseOf(caseId: string, actor: string): Promise<Record<string, unknown> & { status: string; waitingOn: string[] }> {
  const res = await request(app).get(`/v1/applications/${caseId}`).set('X-HPC-Actor', actor).set('X-HPC-Purpose', 'case check');
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown> & { status: string; waitingOn: string[] };
}

async function untilStatus(caseId: string, actor: string, status: string): Promise<Record<string, unknown> & { status: string; waitingOn: string[] }> {
  const until = Date.now() + 30_000;
  for (;;) {
    const c = await caseOf(caseId, actor);
    if (c.status === status) return c;
    if (Date.now() > until) throw new Error(`case ${caseId} is ${c.status}, not ${status} (grounds: ${JSON.stringify(c.grounds)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function timeline(caseId: string, actor: string): Promise<{ kind: string; actor?: string; detail?: Record<string, unknown> }[]> {
  const res = await request(app).get(`/v1/applications/${caseId}/timeline`).set('X-HPC-Actor', actor).set('X-HPC-Purpose', 'hearing preparation');
  expect(res.status).toBe(200);
  return res.body.entries;
}

describe('a case in its hearing period (S10, R15.2)', () => {
  let caseId: string;
  const applicant = (): string => `applicant:${iinOf('S10')}`;

  beforeAll(async () => {
    const res = await file('S10');
    expect(res.status).toBe(202);
    caseId = res.body.applicationId;
    await untilStatus(caseId, applicant(), 'HEARING_SCHEDULED');
  });

  it('shows the status in plain words and what the caller may do now (allowedActions)', async () => {
    const c = await caseOf(caseId, applicant());
    expect(c.statusText).toMatchObject({ name: { kk: expect.any(String), ru: 'Предварительное решение: назначено заслушивание' } });
    const allowed = (c.allowedActions as { action: string; allowed: boolean }[]).filter((a) => a.allowed).map((a) => a.action);
    expect(allowed.sort()).toEqual(['GIVE_CONSENT', 'REQUEST_RECHECK', 'STATE_POSITION', 'WITHDRAW_CONSENT']);
    expect(c.waitingOn).toEqual(['applicant']);
  });

  it('an action the case does not take now is 409 with the procedure table’s reason in kk/ru/en, before anything is sent', async () => {
    const res = await request(app)
      .post(`/v1/applications/${caseId}/report-review`)
      .set('X-HPC-Actor', OPERATOR)
      .send({ accepted: true });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'INVALID_CASE_ACTION',
      message: { ru: 'Нет технического заключения, ожидающего рассмотрения', en: 'No technical report is awaiting review' },
      details: [{ reason: 'NO_REPORT_TO_REVIEW' }],
    });
    expect(res.body.error.message.kk.length).toBeGreaterThan(10);
  });

  it('the workflow refuses hostile text however it arrives: a NUL or a lone surrogate in a position is InvalidCaseAction', async () => {
    const row = await findApplication(stack.pool, caseId);
    const handle = stack.client.workflow.getHandle(row!.workflow_id);
    for (const [text, code] of [
      ['my position\u0000', 'CONTROL_CHARACTER'],
      ['my position \ud800', 'INVALID_UNICODE'],
    ] as const) {
      const err = await handle.executeUpdate(statePositionUpdate, { args: [{ actor: applicant(), text }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('InvalidCaseAction');
      expect(cause.details?.[0]).toMatchObject({ code, field: 'text' });
    }
    // Nor may an operator's rejection carry one, even where a rejection would be taken.
    expect((await caseOf(caseId, applicant())).status).toBe('HEARING_SCHEDULED');
    const review = await handle.executeUpdate(reviewTechnicalReportUpdate, { args: [{ actor: OPERATOR, accepted: false, reason: 'x\u0000' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(((review as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('InvalidCaseAction');
  });

  it('the same position sent four times with one Idempotency-Key is stated once, and each answer is the first', async () => {
    const k = key();
    const text = 'The share was inherited and I never lived there.';
    const answers = [];
    for (let i = 0; i < 4; i += 1) {
      answers.push(await request(app).post(`/v1/applications/${caseId}/position`).set('X-HPC-Actor', applicant()).set('Idempotency-Key', k).send({ text }));
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    for (const a of answers) expect(a.body).toEqual({ status: 'HEARING_SCHEDULED' });
    const stated = (await timeline(caseId, applicant())).filter((e) => e.kind === 'POSITION_STATED');
    expect(stated).toHaveLength(1);
    // The key with another request is refused: a key names one request.
    const other = await request(app).post(`/v1/applications/${caseId}/position`).set('X-HPC-Actor', applicant()).set('Idempotency-Key', k).send({ text: 'Something else' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('after a position the case waits on the officer who holds the hearing, and the officer reads the position (the read audited)', async () => {
    const c = await caseOf(caseId, applicant());
    expect(c.waitingOn).toEqual(['officer']);
    expect(c.flags).toEqual(['POSITION_STATED']);
    const before = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE application_id = $1 AND action = 'READ_TIMELINE' AND actor = $2`, [caseId, OFFICER]);
    const stated = (await timeline(caseId, OFFICER)).find((e) => e.kind === 'POSITION_STATED');
    expect(stated?.detail).toEqual({ text: 'The share was inherited and I never lived there.' });
    expect(stated?.actor).toBe('applicant'); // staff see a person by role only
    const after = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE application_id = $1 AND action = 'READ_TIMELINE' AND actor = $2`, [caseId, OFFICER]);
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);
  });
});

describe('the technical report (S03, R7.2)', () => {
  it('a corrected report is a version of its own, even when it is the same PDF: the review acts on the latest', async () => {
    const s = demo.scenario('S03');
    const applicant = `applicant:${s.declaration.applicantIin}`;
    const res = await file('S03');
    expect(res.status).toBe(202);
    const caseId = res.body.applicationId as string;
    await untilStatus(caseId, applicant, 'AWAITING_REPORT');
    const pdf = Buffer.from('%PDF-1.4 the expert report');
    const upload = (reportNumber: string) =>
      request(app)
        .post(`/v1/applications/${caseId}/technical-report`)
        .query({ reportNumber, propertyId: s.technicalReport!.propertyId })
        .set('X-HPC-Actor', applicant)
        .set('Idempotency-Key', key())
        .set('Content-Type', 'application/pdf')
        .send(pdf);
    const wrong = await upload('ТЭ-2026/0814'); // the recognition names another number (R15.6)
    expect(wrong.status).toBe(200);
    expect(wrong.body).toMatchObject({ version: 1, status: 'HEARING_SCHEDULED' });
    const corrected = await upload(s.technicalReport!.reportNumber);
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ version: 2, sha256: wrong.body.sha256, status: 'AWAITING_REVIEW' });
    const docs = await stack.pool.query<{ version: number; details: { reportNumber: string } }>(
      `SELECT version, details FROM documents WHERE application_id = $1 ORDER BY version`,
      [caseId],
    );
    expect(docs.rows.map((d) => [d.version, d.details.reportNumber])).toEqual([
      [1, 'ТЭ-2026/0814'],
      [2, s.technicalReport!.reportNumber],
    ]);
    const c = await caseOf(caseId, OPERATOR);
    expect(c.waitingOn).toEqual(['operator']);
    const review = await request(app).post(`/v1/applications/${caseId}/report-review`).set('X-HPC-Actor', OPERATOR).send({ accepted: true });
    expect(review.status).toBe(200);
    expect(review.body).toEqual({ status: 'REGISTERED' }); // the status after the action
  });
});

describe('submission keys belong to their caller', () => {
  it('another person using the same Idempotency-Key files their own case (and learns nothing of the first)', async () => {
    const k = key();
    const first = await file('S01', k);
    expect(first.status).toBe(202);
    const second = await file('S12', k);
    expect(second.status).toBe(202);
    expect(second.body.applicationId).not.toBe(first.body.applicationId);
    // The first caller's retry still gets its own case.
    const again = await file('S01', k);
    expect([200, 202]).toContain(again.status);
    expect(again.body.applicationId).toBe(first.body.applicationId);
  });
});
