/**
 * The queue ledger (issue #11 §1) on real PostgreSQL, in a database of its own (hpc_test_ledger):
 *  - every change of queue_entries without a reason is refused (removal, category change, insert);
 *  - the ledger is append-only;
 *  - for a random run of registrations, migrated records merged ahead, removals on each ground,
 *    withdrawals, categories confirmed and lost, and restored receivedAt, each entry's derived
 *    history (db/queue-ledger.ts) equals, change by change, what ranking the whole list after
 *    every step shows — in every list it stood in, paged 3 at a time.
 */
import { Client, type Pool } from 'pg';
import { enterQueue, removeFromQueue, restoreReceivedAt, setQueueCategories } from '../../db/cases';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { LAST_TIE, queueHistoryPage, withQueueChangeReason, type EntryRef, type HistoryCursor, type HistoryItem } from '../../db/queue-ledger';
import { withTransaction } from '../../db/transaction';
import { makeIin } from '../../domain/iin';
import { REMOVAL_REASONS } from '../../domain/queue-reasons';
import { insertTestApplication } from '../helpers/applications';

const DB = 'hpc_test_ledger';
const L = '351010000';
let pool: Pool;

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: process.env.HPC_TEST_DATABASE_ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB}`);
  const u = new URL(process.env.HPC_TEST_DATABASE_ADMIN_URL!);
  u.pathname = `/${DB}`;
  pool = createPool(u.toString(), 4);
  await migrate(pool);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
});

/** A deterministic pseudo-random sequence (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  id: number;
  application_id: string | null;
  /** The order of receipt (issue #14); null for a migrated record, which sorts after. */
  receipt_seq: number | null;
  received_at: Date;
  categories: string[];
  status: string;
}

async function rows(): Promise<Row[]> {
  return (await pool.query<Row>(`SELECT id::int, application_id, receipt_seq::int, received_at, categories, status FROM queue_entries WHERE locality = $1`, [L])).rows;
}

/**
 * Every entry's position in every list, by ranking the lists as the lists themselves do (SPEC §7,
 * db/cases/queue.ts): receivedAt, then the order of receipt (a migrated record after), then the id.
 */
function ranks(all: Row[]): Map<string, number> {
  const key = (r: Row): [number, number, number] => [r.received_at.getTime(), r.receipt_seq ?? Number.MAX_SAFE_INTEGER, r.id];
  const cmp = (x: Row, y: Row): number => {
    const [a, b] = [key(x), key(y)];
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  };
  const out = new Map<string, number>();
  const active = all.filter((r) => r.status === 'ACTIVE').sort(cmp);
  const cats = new Set(active.flatMap((r) => r.categories));
  for (const cat of ['', ...cats]) {
    active.filter((r) => cat === '' || r.categories.includes(cat)).forEach((r, i) => out.set(`${r.id}/${cat}`, i + 1));
  }
  return out;
}

describe('the ledger refuses a change without a reason', () => {
  it('removal, a category change and an insert without a reason fail; with one they pass and are recorded', async () => {
    const app = await insertTestApplication(pool, makeIin('1980-01-01', 'M', 9001));
    await withTransaction(pool, (tx) => enterQueue(tx, { applicationId: app, applicantIin: makeIin('1980-01-01', 'M', 9001), locality: '351010001', receivedAt: new Date('2020-01-01T00:00:00Z'), registeredAt: '2020-01-02T00:00:00Z', categories: [] }));
    await expect(pool.query(`UPDATE queue_entries SET status = 'REMOVED', removed_at = now(), removal_reason = 'x' WHERE application_id = $1`, [app])).rejects.toThrow(/needs a reason/);
    await expect(pool.query(`UPDATE queue_entries SET categories = '{ORPHAN}' WHERE application_id = $1`, [app])).rejects.toThrow(/needs a reason/);
    await expect(pool.query(`DELETE FROM queue_entries WHERE application_id = $1`, [app])).rejects.toThrow(/needs a reason/);
    // Removed without saying why in the entry itself: the CHECK refuses it even with a ledger reason.
    await expect(
      withTransaction(pool, async (tx) => {
        await withQueueChangeReason(tx, 'DIED');
        await tx.query(`UPDATE queue_entries SET status = 'REMOVED' WHERE application_id = $1`, [app]);
      }),
    ).rejects.toThrow(/queue_entries_removal_reason/);
    // A reason is used once: a second statement in the same transaction must name its own.
    await expect(
      withTransaction(pool, async (tx) => {
        await setQueueCategories(tx, app, ['ORPHAN'], 'CATEGORY_CONFIRMED');
        await tx.query(`UPDATE queue_entries SET categories = '{}' WHERE application_id = $1`, [app]);
      }),
    ).rejects.toThrow(/needs a reason/);
    await withTransaction(pool, (tx) => removeFromQueue(tx, app, 'WITHDRAWN', new Date()));
    const ev = await pool.query(`SELECT kind, reason_code, position FROM queue_events e JOIN queue_entries q ON q.id = e.entry_id WHERE q.application_id = $1 ORDER BY e.id`, [app]);
    expect(ev.rows).toEqual([
      { kind: 'ARRIVED', reason_code: 'REGISTERED', position: 1 },
      { kind: 'LEFT', reason_code: 'WITHDRAWN', position: 1 },
    ]);
    // Changing nothing a list depends on needs no reason.
    await pool.query(`UPDATE queue_entries SET removed_at = removed_at WHERE application_id = $1`, [app]);
  });

  it('refuses a queue change outside READ COMMITTED (positions must see every committed change)', async () => {
    const app = await insertTestApplication(pool, makeIin('1980-01-01', 'M', 9002));
    await expect(
      withTransaction(
        pool,
        (tx) => enterQueue(tx, { applicationId: app, applicantIin: makeIin('1980-01-01', 'M', 9002), locality: '351010001', receivedAt: new Date('2020-01-03T00:00:00Z'), registeredAt: '2020-01-04T00:00:00Z', categories: [] }),
        'BEGIN ISOLATION LEVEL REPEATABLE READ',
      ),
    ).rejects.toThrow(/READ COMMITTED/);
  });

  it('is append-only', async () => {
    await expect(pool.query(`UPDATE queue_events SET position = position + 1`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM queue_events`)).rejects.toThrow(/append-only/);
  });
});

describe('derived histories equal the ranked lists, step by step', () => {
  it('random registrations, merges, removals, withdrawals, categories and restorations', async () => {
    const rand = rng(130);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const CATS = ['LARGE_FAMILY', 'DISABILITY'];
    const base = Date.parse('2015-01-01T00:00:00Z');
    const apps: string[] = [];
    let serial = 100;
    // Positions of every (entry, list) after each step.
    const steps: { ranks: Map<string, number>; reason: string }[] = [{ ranks: new Map(), reason: '' }];
    const record = async (reason: string): Promise<void> => {
      steps.push({ ranks: ranks(await rows()), reason });
    };
    for (let step = 0; step < 45; step++) {
      const active = (await rows()).filter((r) => r.status === 'ACTIVE');
      const actives = active.filter((r) => r.application_id !== null);
      const op = step < 6 ? 'register' : pick(['register', 'register', 'migrate', 'remove', 'categories', 'restore']);
      // Some arrive at the very instant of an entry already in the list (a rush: issue #14), so the
      // tie order — the order of receipt, not the application id — is exercised.
      const tie = actives.length > 0 && rand() < 0.3 ? pick(actives).received_at : undefined;
      const at = tie ?? new Date(base + Math.floor(rand() * 3650) * 86_400_000);
      if (op === 'register' || actives.length === 0) {
        const iin = makeIin('1985-05-05', 'F', serial++);
        const app = await insertTestApplication(pool, iin);
        apps.push(app);
        const categories = rand() < 0.4 ? [pick(CATS)] : [];
        await withTransaction(pool, (tx) => enterQueue(tx, { applicationId: app, applicantIin: iin, locality: L, receivedAt: at, registeredAt: at.toISOString(), categories }));
        await record('REGISTERED');
      } else if (op === 'migrate') {
        // Two records merged at once, in one statement, as the import's COPY does.
        await withTransaction(pool, async (tx) => {
          await withQueueChangeReason(tx, 'MIGRATED');
          await tx.query(
            `INSERT INTO queue_entries (source, registration_number, applicant_iin, kato, locality, received_at, registered_at, categories, source_akimat)
             SELECT 'MIGRATED', $1 || '-M' || g, '3' || lpad(g::text, 11, '0'), $1, $1, $2::timestamptz + (g || ' days')::interval, $2, $3, 'test'
               FROM generate_series($4::int, $4::int + 1) g`,
            [L, at, rand() < 0.5 ? [pick(CATS)] : [], serial],
          );
        });
        serial += 2;
        await record('MIGRATED');
      } else if (op === 'remove') {
        const r = pick(actives);
        const reason = pick(REMOVAL_REASONS);
        await withTransaction(pool, (tx) => removeFromQueue(tx, r.application_id!, reason, new Date()));
        await record(reason);
      } else if (op === 'categories') {
        const r = pick(actives);
        const next = rand() < 0.5 ? [] : [pick(CATS)];
        const reason = next.length >= r.categories.length ? 'CATEGORY_CONFIRMED' : 'CATEGORY_LOST';
        await withTransaction(pool, (tx) => setQueueCategories(tx, r.application_id!, next, reason));
        await record(reason);
      } else {
        const r = pick(actives);
        await withTransaction(pool, (tx) => restoreReceivedAt(tx, r.application_id!, new Date(r.received_at.getTime() - Math.floor(rand() * 2000) * 86_400_000)));
        await record('RESTORED');
      }
    }
    // Expected: for each entry and list, every step at which its position there changed.
    const all = await rows();
    let checked = 0;
    for (const r of all) {
      const expected: { list: string; from: number | null; to: number | null; reason: string }[] = [];
      for (let i = 1; i < steps.length; i++) {
        const lists = new Set([...steps[i - 1].ranks.keys(), ...steps[i].ranks.keys()].filter((k) => k.startsWith(`${r.id}/`)));
        for (const k of [...lists].sort().reverse()) {
          const from = steps[i - 1].ranks.get(k) ?? null;
          const to = steps[i].ranks.get(k) ?? null;
          if (from !== to) expected.push({ list: k.slice(k.indexOf('/') + 1), from, to, reason: steps[i].reason });
        }
      }
      const entry: EntryRef = {
        id: r.id,
        receivedAt: r.received_at,
        tieSeq: r.receipt_seq === null ? LAST_TIE : String(r.receipt_seq),
        locality: L,
        categories: r.categories,
        active: r.status === 'ACTIVE',
      };
      const got: HistoryItem[] = [];
      let cursor: HistoryCursor | undefined;
      for (let page = 0; page < 100; page++) {
        const p = await queueHistoryPage(pool, entry, { limit: 3, ...(cursor ? { cursor } : {}) });
        got.push(...p.items);
        if (!p.next) break;
        cursor = p.next;
      }
      const gotView = got
        .map((h) => ({ list: h.list.category, from: h.from, to: h.to, reason: h.reason }))
        .reverse();
      // Pages are newest first, and within one change by list; reversed, oldest first.
      expect(gotView).toEqual(expected);
      checked += expected.length;
    }
    expect(checked).toBeGreaterThan(100);
  }, 120_000);
});

describe('a bulk merge (the akimats\' import: one statement of thousands of rows)', () => {
  it('ranks the arrivals by one sort, with the same positions as one count each', async () => {
    const L2 = '351010002';
    const insert = (n: number, from: number, day0: string): Promise<void> =>
      withTransaction(pool, async (tx) => {
        await withQueueChangeReason(tx, 'MIGRATED');
        await tx.query(
          `INSERT INTO queue_entries (source, registration_number, applicant_iin, kato, locality, received_at, registered_at, categories, source_akimat)
           SELECT 'MIGRATED', $1 || '-B' || g, '4' || lpad(g::text, 11, '0'), $1, $1, $3::timestamptz + ((g * 7919) % 5000 || ' hours')::interval, $3,
                  CASE WHEN g % 3 = 0 THEN '{ORPHAN}'::text[] ELSE '{}' END, 'test'
             FROM generate_series($2::int, $2::int + $4::int - 1) g`,
          [L2, from, day0, n],
        );
      });
    await insert(10, 1, '2019-01-01T00:00:00Z'); // one count each
    await insert(2500, 100, '2018-06-01T00:00:00Z'); // the bulk path, many of them ahead of the first ten
    const ev = await pool.query<{ entry_id: string; category: string; position: number; change_no: string }>(
      `SELECT entry_id::text, category, position, change_no::text FROM queue_events WHERE locality = $1 AND kind = 'ARRIVED'`,
      [L2],
    );
    const lastChange = Math.max(...ev.rows.map((e) => Number(e.change_no)));
    const all = (await pool.query<Row>(`SELECT id::int, application_id, receipt_seq::int, received_at, categories, status FROM queue_entries WHERE locality = $1`, [L2])).rows;
    const now = ranks(all);
    const bulk = ev.rows.filter((e) => Number(e.change_no) === lastChange);
    expect(bulk.length).toBe(2500 + Math.floor(2599 / 3) - Math.floor(99 / 3));
    for (const e of bulk) expect(e.position).toBe(now.get(`${e.entry_id}/${e.category}`));
    // An entry of the first ten: its history shows the merge ahead of it as one change.
    // The latest of the first ten: the most of the merge lands ahead of it.
    const first = [...all].sort((x, y) => x.id - y.id).slice(0, 10).sort((x, y) => y.received_at.getTime() - x.received_at.getTime())[0];
    const entry: EntryRef = { id: first.id, receivedAt: first.received_at, tieSeq: LAST_TIE, locality: L2, categories: first.categories, active: true };
    const h = await queueHistoryPage(pool, entry, { limit: 10 });
    const inList = h.items.filter((i) => i.list.category === '');
    expect(inList[inList.length - 1]).toMatchObject({ own: true, from: null, reason: 'MIGRATED' });
    expect(inList[0].to).toBe(now.get(`${first.id}/`));
  }, 60_000);
});
