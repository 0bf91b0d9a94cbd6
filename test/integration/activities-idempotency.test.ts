/**
 * Activities are idempotent: a retry after a crash or a timeout never makes a second decision,
 * a second queue entry or a second SMS (issue #2; R16 notices through the outbox).
 */
import { createActivities } from '../../activities';
import type { Ground } from '../../domain/application';
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

const newApplication = (iin: string): Promise<string> => insertTestApplication(stack.pool, iin, { categories: ['LARGE_FAMILY'] });

test('registerApplicant run twice (a retry) makes one decision and one queue entry with the same number', async () => {
  const acts = createActivities({ pool: stack.pool, gatewayUrl: stack.sandbox.url });
  const id = await newApplication(freshIin());
  const input = {
    applicationId: id,
    events: [],
    decidedAt: '2026-11-26T10:00:01+05:00',
    decidedBy: 'system',
    basis: 'R7.1',
    categories: { confirmed: ['LARGE_FAMILY'], unconfirmed: [] },
    dismissedGrounds: [] as Ground[],
    recipient: { phone: '+77473485859' },
    termCheck: { ceilingAt: '2026-11-30T18:30:00+05:00', met: true },
  };
  const first = await acts.registerApplicant(input);
  const second = await acts.registerApplicant(input);
  expect(second).toEqual(first);
  expect(first.categoryPositions).toEqual({ LARGE_FAMILY: first.categoryPositions.LARGE_FAMILY });
  const counts = await stack.pool.query(
    `SELECT (SELECT count(*) FROM queue_entries WHERE application_id = $1)::int AS entries,
            (SELECT count(*) FROM decisions WHERE application_id = $1)::int AS decisions,
            (SELECT count(*) FROM notices WHERE application_id = $1)::int AS notices`,
    [id],
  );
  expect(counts.rows[0]).toEqual({ entries: 1, decisions: 1, notices: 2 });
});

test('deliverNotices run twice sends the SMS once; a lost "sent" mark does not send it again', async () => {
  const acts = createActivities({ pool: stack.pool, gatewayUrl: stack.sandbox.url });
  const id = await newApplication(freshIin());
  await acts.registerApplicant({
    applicationId: id,
    events: [],
    decidedAt: '2026-11-26T10:00:01+05:00',
    decidedBy: 'system',
    basis: 'R7.1',
    categories: { confirmed: [], unconfirmed: [] },
    dismissedGrounds: [],
    recipient: { phone: '+77011234567' },
    termCheck: { ceilingAt: '2026-11-30T18:30:00+05:00', met: true },
  });
  const first = await acts.deliverNotices(id);
  expect(first.map((n) => [n.channel, n.status])).toEqual([
    ['CABINET', 'DELIVERED'],
    ['SMS', 'DELIVERED'],
  ]);
  await acts.deliverNotices(id);
  // Simulate a crash after the gateway accepted the SMS but before the outbox row was marked.
  await stack.pool.query(`UPDATE notices SET status = 'PENDING' WHERE application_id = $1 AND channel = 'SMS'`, [id]);
  await acts.deliverNotices(id);
  const smsId = first.find((n) => n.channel === 'SMS')!.id;
  const res = await fetch(`${stack.sandbox.url}/sms/v1/messages?clientMessageId=${smsId}`);
  const body = (await res.json()) as { messages: unknown[] };
  expect(body.messages).toHaveLength(1);
});

test('R16: without a linked mobile number the SMS notice is not sent, the cabinet notice is', async () => {
  const acts = createActivities({ pool: stack.pool, gatewayUrl: stack.sandbox.url });
  const id = await newApplication(freshIin());
  await acts.registerApplicant({
    applicationId: id,
    events: [],
    decidedAt: '2026-11-26T10:00:01+05:00',
    decidedBy: 'system',
    basis: 'R7.1',
    categories: { confirmed: [], unconfirmed: [] },
    dismissedGrounds: [],
    recipient: { phone: null },
    termCheck: { ceilingAt: '2026-11-30T18:30:00+05:00', met: true },
  });
  const notices = await acts.deliverNotices(id);
  expect(notices.map((n) => [n.channel, n.status])).toEqual([
    ['CABINET', 'DELIVERED'],
    ['SMS', 'NO_PHONE'],
  ]);
});
