/**
 * The queue ledger (issue #11 §1; db/migrations/030_queue_ledger.sql, docs/queue-ledger.md): the
 * one owner of queue_events. Rows are written by the triggers on queue_entries, never here; this
 * module names the reason of a change (withQueueChangeReason) and reads an entry's history.
 *
 * An entry's history in a list is derived, not stored: its own arrivals and departures carry its
 * positions; every other row of the list whose sort key is ahead of the entry's moved it by one
 * (an arrival ahead: +1, a departure ahead: -1). Walking the list's changes newest first from the
 * entry's position now (or the position it left at) gives each change's `from` and `to` — without
 * a row per moved entry, which a departure near the head of a list of 500,000 would otherwise cost.
 */
import type { Pool, PoolClient } from 'pg';
import { QUEUE_CHANGE_REASONS, type QueueChangeReason } from '../domain/queue-reasons';

type Db = Pool | PoolClient;

/** The tie key's stand-in for a migrated record's missing receipt_seq (it sorts after every receipt). */
export const LAST_TIE = '9223372036854775807';

/**
 * Names the reason of the next change of queue_entries in this transaction. The ledger's trigger
 * refuses a change of any list without one, and clears it after use: every statement that adds,
 * removes or reorders entries must name its own.
 */
export async function withQueueChangeReason(tx: PoolClient, reason: QueueChangeReason): Promise<void> {
  if (!(QUEUE_CHANGE_REASONS as readonly string[]).includes(reason)) throw new Error(`unknown queue change reason ${reason}`);
  await tx.query(`SELECT set_config('hpc.queue_change_reason', $1, true)`, [reason]);
}

export interface ListRef {
  locality: string;
  /** '' for the locality's whole list. */
  category: string;
}

export interface HistoryItem {
  changeNo: number;
  at: Date;
  list: ListRef;
  from: number | null;
  to: number | null;
  reason: QueueChangeReason;
  /** Whether the change was the entry's own (else: an entry ahead of it). */
  own: boolean;
}

/** Where a page ends: the last item's change and list, and each list's position just before it. */
export interface HistoryCursor {
  change: number;
  /** Index of the list (in the order of `listsOf`) of the last item. */
  list: number;
  positions: (number | null)[];
}

interface EntryKey {
  id: number;
  receivedAt: Date;
  /** The lists' tie order among entries received at one instant: receipt_seq (a migrated record: LAST_TIE). */
  tieSeq: string;
}

export interface EntryRef extends EntryKey {
  locality: string;
  categories: string[];
  active: boolean;
}

/** Every list the entry has stood in, the locality's list first, then categories by name. */
export async function listsOf(db: Db, entryId: number): Promise<(ListRef & { first: number })[]> {
  const r = await db.query<{ locality: string; category: string; first: string }>(
    `SELECT locality, category, min(change_no)::text AS first FROM queue_events WHERE entry_id = $1
      GROUP BY locality, category ORDER BY locality, category`,
    [entryId],
  );
  return r.rows.map((x) => ({ locality: x.locality, category: x.category, first: Number(x.first) }));
}

/** The entry's position in the list now, or null when it does not stand in it. */
export async function livePosition(db: Db, entry: EntryRef, list: ListRef): Promise<number | null> {
  if (!entry.active || entry.locality !== list.locality || (list.category !== '' && !entry.categories.includes(list.category))) return null;
  const r = await db.query<{ n: string }>(`SELECT (queue_ahead($1, $2, $3, $4::bigint, $5) + 1)::text AS n`, [
    list.locality,
    list.category,
    entry.receivedAt,
    entry.tieSeq,
    entry.id,
  ]);
  return Number(r.rows[0].n);
}

interface ChangeRow {
  change: string;
  at: Date;
  reason: QueueChangeReason;
  delta: number;
}

/**
 * The changes of the list in (lo, hi) — hi inclusive when `inclusive` — that moved an entry with
 * the key (r, t, e): the arrivals and departures of entries ahead of that key, netted per change,
 * newest first.
 */
async function aheadChanges(db: Db, list: ListRef, key: EntryKey, lo: number, hi: number, inclusive: boolean, limit: number): Promise<ChangeRow[]> {
  const r = await db.query<ChangeRow>(
    `SELECT change_no::text AS change, max(at) AS at, max(reason_code) AS reason,
            sum(CASE kind WHEN 'ARRIVED' THEN 1 ELSE -1 END)::int AS delta
       FROM queue_events
      WHERE locality = $1 AND category = $2 AND change_no > $6 AND change_no ${inclusive ? '<=' : '<'} $7
        AND (received_at, tie_seq, entry_id) < ($3, $4::bigint, $5)
      GROUP BY change_no
      ORDER BY change_no DESC
      LIMIT $8`,
    [list.locality, list.category, key.receivedAt, key.tieSeq, key.id, lo, hi, limit],
  );
  return r.rows;
}

interface OwnChange {
  change: number;
  at: Date;
  reason: QueueChangeReason;
  arrived?: { position: number; key: EntryKey };
  left?: number;
}

/** The entry's own arrivals in and departures from the list, newest first (a handful). */
async function ownChanges(db: Db, entryId: number, list: ListRef): Promise<OwnChange[]> {
  const r = await db.query<{ change: string; at: Date; reason: QueueChangeReason; kind: string; position: number; received_at: Date; tie_seq: string }>(
    `SELECT change_no::text AS change, at, reason_code AS reason, kind, position, received_at, tie_seq::text
       FROM queue_events WHERE entry_id = $1 AND locality = $2 AND category = $3 ORDER BY change_no DESC, kind`,
    [entryId, list.locality, list.category],
  );
  const out: OwnChange[] = [];
  for (const x of r.rows) {
    const change = Number(x.change);
    let c = out[out.length - 1];
    if (!c || c.change !== change) out.push((c = { change, at: x.at, reason: x.reason }));
    if (x.kind === 'ARRIVED') c.arrived = { position: x.position, key: { id: entryId, receivedAt: x.received_at, tieSeq: x.tie_seq } };
    else c.left = x.position;
  }
  return out;
}

/**
 * Up to `want` items of one list's history, newest first, older than the bound. Between two of
 * its own changes an entry's key is the one it arrived with (a restored receivedAt changes it).
 */
async function listHistory(
  db: Db,
  entryId: number,
  list: ListRef,
  start: number | null,
  bound: { change: number; inclusive: boolean },
  want: number,
): Promise<HistoryItem[]> {
  const out: HistoryItem[] = [];
  const own = await ownChanges(db, entryId, list);
  let pos = start;
  let upper = bound.change;
  let inclusive = bound.inclusive;
  for (const o of own) {
    if (o.change > upper || (o.change === upper && !inclusive)) continue;
    // Changes by others after this own change, while the entry stood with the key it arrived with.
    if (o.arrived) {
      for (;;) {
        const rows = await aheadChanges(db, list, o.arrived.key, o.change, upper, inclusive, want + 1);
        for (const c of rows) {
          if (pos === null || c.delta === 0) continue;
          const from = pos - c.delta;
          out.push({ changeNo: Number(c.change), at: c.at, list, from, to: pos, reason: c.reason, own: false });
          pos = from;
        }
        if (out.length > want || rows.length < want + 1) break;
        upper = Number(rows[rows.length - 1].change);
        inclusive = false;
      }
      if (out.length > want) return out;
    }
    const from = o.left ?? null;
    const to = o.arrived?.position ?? null;
    // A change of the entry's own key that left its place in this list as it was (an earlier
    // receivedAt restored, with nobody between) moved nothing here: not an item of the history.
    if (from !== to) out.push({ changeNo: o.change, at: o.at, list, from, to, reason: o.reason, own: true });
    pos = from;
    if (out.length > want) return out;
    upper = o.change;
    inclusive = false;
  }
  return out;
}

/**
 * One page of the entry's history across its lists, newest first. `cursor` continues a previous
 * page (its positions are trusted: the API signs the cursors it gives out).
 */
export async function queueHistoryPage(
  db: Db,
  entry: EntryRef,
  opts: { limit: number; cursor?: HistoryCursor },
): Promise<{ items: HistoryItem[]; next?: HistoryCursor }> {
  const lists = await listsOf(db, entry.id);
  const positions =
    opts.cursor && opts.cursor.positions.length === lists.length
      ? [...opts.cursor.positions]
      : await Promise.all(lists.map((l) => livePosition(db, entry, l)));
  const perList = await Promise.all(
    lists.map((list, li) =>
      listHistory(
        db,
        entry.id,
        { locality: list.locality, category: list.category },
        positions[li],
        // Past the cursor: this list's changes older than its change, or the same change when the
        // list comes after the cursor's in the page order.
        opts.cursor ? { change: opts.cursor.change, inclusive: li > opts.cursor.list } : { change: Number.MAX_SAFE_INTEGER, inclusive: true },
        opts.limit,
      ),
    ),
  );
  const merged = perList
    .flatMap((items, li) => items.map((item) => ({ item, li })))
    .sort((a, b) => b.item.changeNo - a.item.changeNo || a.li - b.li);
  const page = merged.slice(0, opts.limit);
  if (merged.length <= opts.limit) return { items: page.map((x) => x.item) };
  // Each list's position just before the page's last item: the `from` of its last item on the page.
  for (const { item, li } of page) positions[li] = item.from;
  const last = page[page.length - 1];
  return { items: page.map((x) => x.item), next: { change: last.item.changeNo, list: last.li, positions } };
}

/** The history of the queue entry of an application, or null when it never stood in a queue. */
export async function entryOfApplication(db: Db, applicationId: string): Promise<EntryRef | null> {
  const r = await db.query<{ id: string; received_at: Date; tie_seq: string; locality: string; categories: string[]; status: string }>(
    `SELECT id::text, received_at, coalesce(receipt_seq, ${LAST_TIE})::text AS tie_seq, locality, categories, status FROM queue_entries WHERE application_id = $1`,
    [applicationId],
  );
  const row = r.rows[0];
  if (!row) return null;
  return { id: Number(row.id), receivedAt: row.received_at, tieSeq: row.tie_seq, locality: row.locality, categories: row.categories, active: row.status === 'ACTIVE' };
}

/** The number of the latest change of the list (0 when none): what a snapshot was built at. */
export async function latestChange(db: Db, list: ListRef): Promise<number> {
  const r = await db.query<{ c: string | null }>(`SELECT max(change_no)::text AS c FROM queue_events WHERE locality = $1 AND category = $2`, [
    list.locality,
    list.category,
  ]);
  return Number(r.rows[0].c ?? 0);
}

/** The changes of a list after `after` and up to `upTo`, as a snapshot lists them: counts per reason. */
export async function changesBetween(db: Db, list: ListRef, after: number, upTo: number): Promise<{ reason: QueueChangeReason; arrived: number; left: number }[]> {
  const r = await db.query<{ reason: QueueChangeReason; arrived: number; left: number }>(
    `SELECT reason_code AS reason, count(*) FILTER (WHERE kind = 'ARRIVED')::int AS arrived, count(*) FILTER (WHERE kind = 'LEFT')::int AS "left"
       FROM queue_events WHERE locality = $1 AND category = $2 AND change_no > $3 AND change_no <= $4
      GROUP BY reason_code ORDER BY reason_code`,
    [list.locality, list.category, after, upTo],
  );
  return r.rows;
}
