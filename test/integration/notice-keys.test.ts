/**
 * One notice per representative action (A2.B; db/migrations/006_notice_keys.sql): each notice has
 * an idempotency key of its own, so a second action of a representative is a second notice to the
 * principal, while a retried request or activity still writes — and sends — one.
 */
import { createHash } from 'node:crypto';
import { createActivities } from '../../activities';
import { noticeIdFor, queueNotice } from '../../db/cases';
import { noticeRepresentativeAction, REPRESENTATIVE_ACTION } from '../../api/auth/notices';
import { insertTestApplication } from '../helpers/applications';
import { freshIin } from '../helpers/persons';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const newApplication = (iin: string, representativeIin?: string): Promise<string> =>
  insertTestApplication(stack.pool, iin, representativeIin ? { representativeIin } : {});

async function representativeNotices(id: string): Promise<{ id: string; dedupe_key: string; endpoint: string }[]> {
  const res = await stack.pool.query<{ id: string; dedupe_key: string; body: { actions: { endpoint: string }[] } }>(
    `SELECT id, dedupe_key, body FROM notices WHERE application_id = $1 AND kind = $2 AND channel = 'CABINET' ORDER BY issued_at, id`,
    [id, REPRESENTATIVE_ACTION],
  );
  return res.rows.map((r) => ({ id: r.id, dedupe_key: r.dedupe_key, endpoint: r.body.actions.map((a) => a.endpoint).join() }));
}

test('two representative actions give the principal two notices; the same request again gives none more', async () => {
  const principal = freshIin();
  const representative = freshIin();
  const id = await newApplication(principal, representative);
  const first = { applicationId: id, requestId: 'x-request-id:act-0001', representativeIin: representative, endpoint: 'POST /v1/applications/:id/position', at: new Date('2026-11-26T06:00:00Z') };
  const second = { ...first, requestId: 'x-request-id:act-0002', endpoint: 'POST /v1/applications/:id/consents', at: new Date('2026-11-26T07:00:00Z') };
  await noticeRepresentativeAction(stack.pool, first);
  await noticeRepresentativeAction(stack.pool, second);
  // A retry of either request (same request id) is the same notice.
  await noticeRepresentativeAction(stack.pool, { ...first, at: new Date('2026-11-26T08:00:00Z') });
  await noticeRepresentativeAction(stack.pool, second);
  const rows = await representativeNotices(id);
  expect(rows.map((r) => [r.dedupe_key, r.endpoint])).toEqual([
    ['x-request-id:act-0001', 'POST /v1/applications/:id/position'],
    ['x-request-id:act-0002', 'POST /v1/applications/:id/consents'],
  ]);
  expect(new Set(rows.map((r) => r.id)).size).toBe(2);
  expect(rows[0].id).toBe(noticeIdFor(id, REPRESENTATIVE_ACTION, 'CABINET', 'x-request-id:act-0001'));
});

test('a retried decision activity still writes one notice per channel, and the SMS is sent once', async () => {
  const acts = createActivities({ pool: stack.pool, gatewayUrl: stack.sandbox.url });
  const id = await newApplication(freshIin());
  const input = {
    applicationId: id,
    events: [],
    decidedAt: '2026-11-26T10:00:01+05:00',
    decidedBy: 'system',
    basis: 'R7.1',
    categories: { confirmed: [], unconfirmed: [] },
    dismissedGrounds: [],
    recipient: { phone: '+77012223344' },
    termCheck: { ceilingAt: '2026-11-30T18:30:00+05:00', met: true },
  };
  await acts.registerApplicant(input);
  await acts.registerApplicant(input); // the retry
  const rows = await stack.pool.query<{ kind: string; channel: string; dedupe_key: string; id: string }>(
    `SELECT kind, channel, dedupe_key, id FROM notices WHERE application_id = $1 ORDER BY channel`,
    [id],
  );
  expect(rows.rows.map((r) => [r.kind, r.channel, r.dedupe_key])).toEqual([
    ['REGISTRATION', 'CABINET', ''],
    ['REGISTRATION', 'SMS', ''],
  ]);
  // The once-per-case notices keep the id they had before dedupe keys (existing SMS ids stay valid).
  const legacy = createHash('sha256').update(`${id}|REGISTRATION|SMS`).digest('hex');
  const sms = rows.rows.find((r) => r.channel === 'SMS')!;
  expect(sms.id.replace(/-/g, '').slice(0, 12)).toBe(legacy.slice(0, 12));
  expect(sms.id).toBe(noticeIdFor(id, 'REGISTRATION', 'SMS'));

  await acts.deliverNotices(id);
  await stack.pool.query(`UPDATE notices SET status = 'PENDING' WHERE id = $1`, [sms.id]); // a lost "sent" mark
  await acts.deliverNotices(id);
  const sent = (await (await fetch(`${stack.sandbox.url}/sms/v1/messages?clientMessageId=${sms.id}`)).json()) as { messages: unknown[] };
  expect(sent.messages).toHaveLength(1);
});

test('two SMS notices of one kind with different keys are two messages, each sent once', async () => {
  const acts = createActivities({ pool: stack.pool, gatewayUrl: stack.sandbox.url });
  const id = await newApplication(freshIin());
  const base = { applicationId: id, kind: 'TEST_RECURRING', channel: 'SMS' as const, issuedAt: new Date(), recipient: '+77012223355', body: { kk: 'хабар', ru: 'сообщение' }, status: 'PENDING' as const };
  expect(await queueNotice(stack.pool, { ...base, dedupeKey: 'k1' })).toBe(true);
  expect(await queueNotice(stack.pool, { ...base, dedupeKey: 'k2' })).toBe(true);
  expect(await queueNotice(stack.pool, { ...base, dedupeKey: 'k1' })).toBe(false); // retried: no second row
  await acts.deliverNotices(id);
  await acts.deliverNotices(id);
  for (const key of ['k1', 'k2']) {
    const clientMessageId = noticeIdFor(id, 'TEST_RECURRING', 'SMS', key);
    const sent = (await (await fetch(`${stack.sandbox.url}/sms/v1/messages?clientMessageId=${clientMessageId}`)).json()) as { messages: unknown[] };
    expect(sent.messages).toHaveLength(1);
  }
});
