/**
 * The technical report carried by the application (A1.8.2, R7.2) on the real stack: uploaded just
 * before the application, claimed by it as version 1, so the case goes straight to the operator's
 * review; nobody else can claim it. A person of its own (a private S03): the case-actions file
 * registers its S03, who could then not apply again (R15.1).
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { testApiApp } from '../helpers/api';
import { privateDemo } from '../helpers/demo';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const demo = privateDemo(['S03', 'S12']);
const iinOf = (id: string): string => demo.scenario(id).declaration.applicantIin;

let stack: Stack;
let app: Express;

beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
  app = testApiApp(stack);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const key = (): string => `test-${randomUUID()}`;

async function untilStatus(caseId: string, actor: string, status: string, timeoutMs = 30_000): Promise<Record<string, unknown> & { status: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(app).get(`/v1/applications/${caseId}`).set('X-HPC-Actor', actor);
    expect(res.status).toBe(200);
    const c = res.body as Record<string, unknown> & { status: string };
    if (c.status === status) return c;
    if (Date.now() > until) throw new Error(`case ${caseId} is ${c.status}, not ${status} (grounds: ${JSON.stringify(c.grounds)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the report carried by the application (A1.8.2)', () => {
  it('an upload made just before is claimed by the application, which goes straight to the operator; nobody else can claim it', async () => {
    const s = demo.scenario('S03');
    const applicant = `applicant:${s.declaration.applicantIin}`;
    const up = await request(app)
      .post('/v1/uploads/technical-report')
      .query(s.technicalReport!)
      .set('X-HPC-Actor', applicant)
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('%PDF-1.4 carried report'));
    expect(up.status).toBe(201);
    const uploadId = up.body.uploadId as string;
    // Another person cannot file with it.
    const other = await request(app)
      .post('/v1/applications')
      .set('X-HPC-Actor', `applicant:${iinOf('S12')}`)
      .set('Idempotency-Key', key())
      .send({ ...demo.bodyOf('S12'), path: 'EMERGENCY', emergencyPropertyId: s.technicalReport!.propertyId, technicalReport: { uploadId } });
    expect([409, 422]).toContain(other.status);
    const res = await request(app)
      .post('/v1/applications')
      .set('X-HPC-Actor', applicant)
      .set('Idempotency-Key', key())
      .send({ ...demo.bodyOf('S03'), technicalReport: { uploadId } });
    expect(res.status).toBe(202); // received and queued for checking (issue #14)
    const c = await untilStatus(res.body.applicationId, applicant, 'AWAITING_REVIEW');
    expect(c.flags).toEqual(['REPORT_UPLOADED']);
    const docs = await stack.pool.query(`SELECT id, version FROM documents WHERE application_id = $1`, [res.body.applicationId]);
    expect(docs.rows).toEqual([{ id: uploadId, version: 1 }]);
  });
});
