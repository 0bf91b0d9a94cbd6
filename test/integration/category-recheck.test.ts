/**
 * R9 after registration (issue #11 §2) on the real stack: S26 declares COMBAT_VETERAN, which no
 * registry confirms, and is registered without it (R10). A veteran V in the same locality, whose
 * category the registry does confirm, files after S26. The state body corrects S26's data (the
 * sandbox's categories registry), S26 asks for the re-check (POST …/category-recheck, run by the
 * category re-check workflow): the category is confirmed and S26 takes the place in the veterans'
 * list that the original receivedAt gives — ahead of V, who moves one down.
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { parseFixture } from '../../sandbox/fixture';
import { privateDemo } from '../helpers/demo';
import { cleanPerson, freshIin } from '../helpers/persons';
import { recordCompletedOfTypes } from '../helpers/record-history';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const KOSTANAY = '391010000';
const VETERAN = { code: 'COMBAT_VETERAN', confirmedAt: '2020-01-01', source: 'МО РК' };
const demo = privateDemo(['S26']);
const S26 = demo.scenario('S26').declaration.applicantIin;
const V = freshIin();
const v = cleanPerson(V);
v.residence = [{ kato: KOSTANAY, from: '2008-09-01' }];
v.persons = { ...v.persons!, address: { kato: KOSTANAY, text: 'г. Костанай, ул. Байтурсынова, 1' } };
v.categories = [VETERAN];
demo.fixture.persons.push(v);

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
    logger: pino({ level: 'silent' }),
  });
}, 120_000);
afterAll(async () => {
  // With HPC_RECORD_HISTORIES=1: the replay test's histories of these two workflow types.
  if (stack) await recordCompletedOfTypes(stack.client, { categoryRecheckWorkflow: 'category-recheck-confirmed', smsNoticeWorkflow: 'sms-notice-category-recheck' }, stack.payloadCodec);
  await stack?.stop();
});

const as = (t: request.Test, actor: string): request.Test => t.set('X-HPC-Actor', actor);

async function untilRegistered(caseId: string, actor: string): Promise<Record<string, unknown>> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await as(request(app).get(`/v1/applications/${caseId}`), actor);
    if (res.body.status === 'REGISTERED') return res.body as Record<string, unknown>;
    if (Date.now() > until) throw new Error(`case ${caseId} is ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('R9 after registration', () => {
  const s26 = `applicant:${S26}`;
  const vet = `applicant:${V}`;
  let caseS26: string;
  let caseV: string;

  beforeAll(async () => {
    const a = await as(request(app).post('/v1/applications'), s26).set('Idempotency-Key', `t-${randomUUID()}`).send(demo.bodyOf('S26'));
    expect(a.status).toBe(202);
    caseS26 = a.body.applicationId;
    await untilRegistered(caseS26, s26);
    const b = await as(request(app).post('/v1/applications'), vet)
      .set('Idempotency-Key', `t-${randomUUID()}`)
      .send({ applicantIin: V, path: 'NO_HOUSING', kato: KOSTANAY, categories: ['COMBAT_VETERAN'], contact: {}, consents: ['C1', 'C2', 'C3', 'C4'] });
    expect(b.status).toBe(202);
    caseV = b.body.applicationId;
    await untilRegistered(caseV, vet);
  });

  it('registered without the unconfirmed category (R10); the re-check before the data is corrected confirms nothing', async () => {
    const c = await as(request(app).get(`/v1/applications/${caseS26}`), s26);
    expect(c.body.queue.categoryPositions).toEqual({});
    const allowed = (c.body.allowedActions as { action: string; allowed: boolean }[]).filter((x) => x.allowed).map((x) => x.action);
    expect(allowed).toContain('REQUEST_CATEGORY_RECHECK');
    expect((await as(request(app).get(`/v1/applications/${caseV}`), vet)).body.queue.categoryPositions).toEqual({ COMBAT_VETERAN: 1 });

    const res = await as(request(app).post(`/v1/applications/${caseS26}/category-recheck`), s26).send({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ newlyConfirmed: [], unconfirmed: ['COMBAT_VETERAN'], categoryPositions: {} });
  });

  it('the categories registry down: 503 REGISTRY_UNAVAILABLE and nothing recorded; the same key works once it is back', async () => {
    stack.sandbox.settings.update({ categories: { down: true } });
    const key = `t-${randomUUID()}`;
    try {
      const res = await as(request(app).post(`/v1/applications/${caseS26}/category-recheck`), s26).set('Idempotency-Key', key).send({});
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('REGISTRY_UNAVAILABLE');
    } finally {
      stack.sandbox.settings.update({ categories: { down: false } });
    }
    const timeline = await as(request(app).get(`/v1/applications/${caseS26}/timeline`), s26);
    expect((timeline.body.entries as { kind: string }[]).filter((e) => e.kind === 'CATEGORY_RECHECKED')).toHaveLength(1);
    const retried = await as(request(app).post(`/v1/applications/${caseS26}/category-recheck`), s26).set('Idempotency-Key', key).send({});
    expect(retried.status).toBe(200);
    expect(retried.body.newlyConfirmed).toEqual([]);
  });

  it('after the state body corrected its data: the category’s list takes the entry by its original receivedAt', async () => {
    const corrected = parseFixture(JSON.parse(JSON.stringify(demo.fixture)));
    corrected.persons.find((p) => p.iin === S26)!.categories = [VETERAN];
    stack.sandbox.setFixture(corrected);

    const key = `t-${randomUUID()}`;
    const res = await as(request(app).post(`/v1/applications/${caseS26}/category-recheck`), s26).set('Idempotency-Key', key).send({ reason: 'МО РК исправило данные' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      applicationId: caseS26,
      confirmed: ['COMBAT_VETERAN'],
      newlyConfirmed: ['COMBAT_VETERAN'],
      unconfirmed: [],
      categoryPositions: { COMBAT_VETERAN: 1 },
    });
    // Filed earlier: ahead of the veteran registered after, who moves one down.
    expect((await as(request(app).get(`/v1/applications/${caseV}`), vet)).body.queue.categoryPositions).toEqual({ COMBAT_VETERAN: 2 });
    const list = await request(app).get(`/v1/queue/${KOSTANAY}`).query({ category: 'COMBAT_VETERAN' });
    expect(list.body.total).toBe(2);

    // The same key again: the same run, the same answer, nothing written twice.
    const again = await as(request(app).post(`/v1/applications/${caseS26}/category-recheck`), s26).set('Idempotency-Key', key).send({ reason: 'МО РК исправило данные' });
    expect(again.body).toEqual(res.body);

    const timeline = await as(request(app).get(`/v1/applications/${caseS26}/timeline`), s26);
    const events = (timeline.body.entries as { kind: string; detail?: Record<string, unknown> }[]).filter((e) => e.kind === 'CATEGORY_RECHECKED');
    expect(events).toHaveLength(3);
    expect(events[2]!.detail).toMatchObject({
      newlyConfirmed: ['COMBAT_VETERAN'],
      placed: [{ list: { kato: KOSTANAY, category: 'COMBAT_VETERAN' }, to: 1, reason: 'CATEGORY_CONFIRMED' }],
    });
    const notices = await as(request(app).get('/v1/cabinet/notices'), s26);
    expect(notices.body.items[0]).toMatchObject({ kind: 'CATEGORY_RECHECK', text: { ru: expect.stringContaining('Подтверждены категории') } });
    // R16: and by SMS to the number on file, pointing to the cabinet (one per re-check: three so far).
    const phone = demo.fixture.persons.find((p) => p.iin === S26)!.mobile!.phone;
    const sms = stack.sandbox.sms.list({ to: phone }).filter((m) => m.text.includes('категории проверены повторно'));
    expect(sms).toHaveLength(3);
    expect(sms[0]!.text).toContain('личный кабинет');

    // Nothing left unconfirmed: nothing to re-check.
    const nothing = await as(request(app).post(`/v1/applications/${caseS26}/category-recheck`), s26).send({});
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.details).toEqual([{ reason: 'NO_UNCONFIRMED_CATEGORY' }]);
  });

  it('only the case’s party asks, and only for a registered entry', async () => {
    expect((await as(request(app).post(`/v1/applications/${caseS26}/category-recheck`), vet).send({})).status).toBe(404);
    expect((await as(request(app).post(`/v1/applications/${caseS26}/category-recheck`), 'operator:OP-0001').send({})).status).toBe(403);
  });
});
