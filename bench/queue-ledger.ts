/**
 * `npm run bench -- load` (bench/load-queue.ts), issue #11: after the million entries are loaded
 * and cases registered behind them,
 *  1. a few years of the register's life in the ledger: every month the heads of the lists get
 *     housing (one statement per month), some entries deep in the lists withdraw, some have a
 *     category confirmed — each through the ledger's triggers, as production writes them;
 *  2. the queue-history read of the registered cases (the tail of the lists: every departure of
 *     those years is ahead of them), through the API and straight in SQL, next to the position read;
 *  3. the signed snapshots of every list (the 1,000,000 entries in their locality lists, and the
 *     category lists), timed per list: read, hash and tree, sign, store.
 */
import type { Pool } from 'pg';
import { buildQueueSnapshot, listsToSnapshot } from '../activities/queue-snapshots';
import { entryOfApplication, queueHistoryPage, withQueueChangeReason } from '../db/queue-ledger';
import { withTransaction } from '../db/transaction';
import { lazySystemSigner } from '../security/pki/system-signer';
import { log, round1 } from './measure';

export interface LedgerYearsOptions {
  months: number;
  /** Entries given housing per month, taken from the heads of the locality lists. */
  housedPerMonth: number;
  withdrawnPerMonth: number;
  categoriesPerMonth: number;
}

/** Writes `months` of departures, withdrawals and category confirmations through the ledger. */
export async function ledgerYears(pool: Pool, o: LedgerYearsOptions): Promise<Record<string, unknown>> {
  const started = performance.now();
  const before = Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM queue_events`)).rows[0].n);
  const statementMs: number[] = [];
  const timed = async (reason: Parameters<typeof withQueueChangeReason>[1], sql: string, args: unknown[]): Promise<void> => {
    const t = performance.now();
    await withTransaction(pool, async (tx) => {
      await withQueueChangeReason(tx, reason);
      await tx.query(sql, args);
    });
    statementMs.push(performance.now() - t);
  };
  for (let m = 0; m < o.months; m++) {
    // The heads of every locality's list, in proportion to its size.
    await timed(
      'HOUSING_PROVIDED',
      `UPDATE queue_entries SET status = 'REMOVED', removed_at = now(), removal_reason = 'HOUSING_PROVIDED'
        WHERE id IN (SELECT id FROM (SELECT id, locality, row_number() OVER (PARTITION BY locality ORDER BY received_at, application_id, id) AS r,
                                            count(*) OVER (PARTITION BY locality) AS n
                                       FROM queue_entries WHERE status = 'ACTIVE' AND source = 'MIGRATED') x
                      WHERE r <= greatest(1, n * $1::int / (SELECT count(*) FROM queue_entries WHERE status = 'ACTIVE')))`,
      [o.housedPerMonth],
    );
    await timed(
      'WITHDRAWN',
      `UPDATE queue_entries SET status = 'REMOVED', removed_at = now(), removal_reason = 'WITHDRAWN'
        WHERE id IN (SELECT id FROM queue_entries WHERE status = 'ACTIVE' AND source = 'MIGRATED' AND id % 997 = $2 LIMIT $1)`,
      [o.withdrawnPerMonth, m % 997],
    );
    await timed(
      'CATEGORY_CONFIRMED',
      `UPDATE queue_entries SET categories = array_append(categories, 'LARGE_FAMILY')
        WHERE id IN (SELECT id FROM queue_entries WHERE status = 'ACTIVE' AND source = 'MIGRATED' AND NOT categories @> '{LARGE_FAMILY}' AND id % 991 = $2 LIMIT $1)`,
      [o.categoriesPerMonth, m % 991],
    );
    if (m % 6 === 5) log(`ledger: ${m + 1} of ${o.months} months written`);
  }
  await pool.query('ANALYZE queue_events');
  await pool.query('ANALYZE queue_entries');
  const after = Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM queue_events`)).rows[0].n);
  const sorted = [...statementMs].sort((a, b) => a - b);
  return {
    ...o,
    eventsBefore: before,
    eventsWritten: after - before,
    eventsTotal: after,
    seconds: round1((performance.now() - started) / 1000),
    statementMs: { p50: round1(sorted[Math.floor(sorted.length / 2)]), max: round1(sorted[sorted.length - 1]) },
  };
}

/** The history of each case as its applicant reads it (first page), how long each entry's history is. */
export async function historySizes(pool: Pool, ids: string[]): Promise<Record<string, unknown>> {
  let items = 0;
  let n = 0;
  for (const id of ids.slice(0, 50)) {
    const e = await entryOfApplication(pool, id);
    if (!e) continue;
    let cursor;
    for (let page = 0; page < 200; page++) {
      const p = await queueHistoryPage(pool, e, { limit: 100, ...(cursor ? { cursor } : {}) });
      items += p.items.length;
      if (!p.next) break;
      cursor = p.next;
    }
    n++;
  }
  return { cases: n, meanItemsPerHistory: n ? round1(items / n) : 0 };
}

/** Builds the snapshot of every list; the total, the largest list's figures, and ms per 1000 leaves. */
export async function snapshotAll(pool: Pool): Promise<Record<string, unknown>> {
  const signer = await lazySystemSigner()();
  const lists = await listsToSnapshot(pool);
  log(`snapshots: ${lists.length} lists to build`);
  const started = performance.now();
  const built: { kato: string; category: string | null; leaves: number; ms: number; timings: Record<string, number> }[] = [];
  for (const list of lists) {
    const t = performance.now();
    const b = await buildQueueSnapshot(pool, signer, list);
    if (b) built.push({ kato: b.kato, category: b.category, leaves: b.treeSize, ms: Math.round(performance.now() - t), timings: b.timings });
  }
  const seconds = (performance.now() - started) / 1000;
  const leaves = built.reduce((a, b) => a + b.leaves, 0);
  const localityLeaves = built.filter((b) => b.category === null).reduce((a, b) => a + b.leaves, 0);
  const largest = [...built].sort((a, b) => b.leaves - a.leaves).slice(0, 3);
  return {
    lists: built.length,
    leaves,
    localityListLeaves: localityLeaves,
    seconds: round1(seconds),
    msPer1000Leaves: leaves ? round1((seconds * 1000 * 1000) / leaves) : null,
    largest,
  };
}
