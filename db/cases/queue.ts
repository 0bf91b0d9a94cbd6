/**
 * The queue (SPEC §7): entries per locality, positions as ranks by (received_at, receipt_seq) — the
 * moment of receipt, then the order of receipt within one instant (db/migrations/050) — among active
 * entries, the published lists, and the akimats' migrated records.
 */
import type { Pool, PoolClient } from 'pg';
import type { UnifiedQueueRecord } from '../../domain/registry-facts';
import { almatyDate, toAlmatyIso } from '../../domain/time';
import type { QueuePlacement } from '../../workflows/contract';
import type { RenderedNotice } from '../../domain/notices';
import { withTransaction } from '../transaction';
import { queueCaseNotice } from './notices';
import type { QueueChangeReason, RemovalReason } from '../../domain/queue-reasons';
import { withQueueChangeReason } from '../queue-ledger';

type Db = Pool | PoolClient;

/**
 * Position in a list: rank by (received_at, receipt_seq) among active entries (SPEC §7). The order
 * in which cases happen to be decided plays no part: a case decided later stands ahead of those
 * received after it.
 */
export async function queuePosition(
  db: Db,
  entry: { locality: string; receivedAt: Date | string; receiptSeq: number },
  category?: string,
): Promise<number> {
  const res = await db.query<{ ahead: number }>(
    `SELECT count(*)::int AS ahead FROM queue_entries
      WHERE status = 'ACTIVE' AND locality = $1 AND (received_at, receipt_seq) < ($2::timestamptz, $3::bigint)
        ${category ? 'AND $4 = ANY (categories)' : ''}`,
    category ? [entry.locality, entry.receivedAt, entry.receiptSeq, category] : [entry.locality, entry.receivedAt, entry.receiptSeq],
  );
  return res.rows[0].ahead + 1;
}

/** The case's place in its locality's list and in each confirmed category's list; null when not (or no longer) in the queue. */
export async function placementOf(db: Db, applicationId: string): Promise<(QueuePlacement & { registeredAt: Date }) | null> {
  const res = await db.query<{
    locality: string;
    received_at: Date;
    receipt_seq: number;
    registered_at: Date;
    registration_number: string;
    categories: string[];
    status: string;
  }>(
    `SELECT locality, received_at, receipt_seq, registered_at, registration_number, categories, status FROM queue_entries WHERE application_id = $1`,
    [applicationId],
  );
  const row = res.rows[0];
  if (!row || row.status !== 'ACTIVE') return null;
  const entry = { locality: row.locality, receivedAt: row.received_at, receiptSeq: row.receipt_seq };
  const categoryPositions: Record<string, number> = {};
  for (const cat of row.categories) categoryPositions[cat] = await queuePosition(db, entry, cat);
  return {
    kato: row.locality,
    registrationNumber: row.registration_number,
    position: await queuePosition(db, entry),
    categoryPositions,
    registeredAt: row.registered_at,
  };
}

/**
 * Enters a registered case in its locality's list (SPEC §7), once: a retried decision finds the
 * entry and adds none. The registration number is immutable: `<locality>-<8 digits>`.
 */
export async function enterQueue(
  tx: PoolClient,
  e: { applicationId: string; applicantIin: string; locality: string; receivedAt: Date; registeredAt: string; categories: string[] },
  // A registration after a satisfied complaint takes the place of its original receipt: for those it
  // passes, an entry with an earlier receivedAt was restored (SPEC §8).
  reason: Extract<QueueChangeReason, 'REGISTERED' | 'RESTORED'> = 'REGISTERED',
): Promise<void> {
  await withQueueChangeReason(tx, reason);
  await tx.query(
    `INSERT INTO queue_entries (application_id, registration_number, applicant_iin, locality, received_at, registered_at, categories)
     SELECT $1, $2 || '-' || lpad(nextval('registration_number_seq')::text, 8, '0'), $3, $2, $4, $5, $6
     WHERE NOT EXISTS (SELECT 1 FROM queue_entries WHERE application_id = $1)`,
    [e.applicationId, e.locality, e.applicantIin, e.receivedAt, e.registeredAt, e.categories],
  );
}

/**
 * Takes an application's entry out of every list (withdrawal, or removal on a Housing Law ground),
 * with its reason in the ledger: there is no way to remove an entry without one. Idempotent: an
 * entry already removed is left as it is. Returns whether this call removed it.
 */
export async function removeFromQueue(tx: PoolClient, applicationId: string, reason: RemovalReason, at: Date): Promise<boolean> {
  await withQueueChangeReason(tx, reason);
  const r = await tx.query(
    `UPDATE queue_entries SET status = 'REMOVED', removed_at = $2, removal_reason = $3 WHERE application_id = $1 AND status = 'ACTIVE'`,
    [applicationId, at, reason],
  );
  return (r.rowCount ?? 0) > 0;
}

/**
 * The same door keyed by the entry's own id (issue #11 §2): a removal case may concern a migrated
 * record of the akimats' queues, which has no application. Same ledger reason, same idempotence.
 * When the entry has an application, its case is flagged LEFT_QUEUE as a withdrawal flags it.
 */
export async function removeEntryFromQueue(tx: PoolClient, entryId: string, reason: RemovalReason, at: Date): Promise<boolean> {
  await withQueueChangeReason(tx, reason);
  const r = await tx.query<{ application_id: string | null }>(
    `UPDATE queue_entries SET status = 'REMOVED', removed_at = $2, removal_reason = $3 WHERE id = $1 AND status = 'ACTIVE' RETURNING application_id`,
    [entryId, at, reason],
  );
  const row = r.rows[0];
  if (!row) return false;
  if (row.application_id) {
    await tx.query(`UPDATE applications SET flags = array_append(flags, 'LEFT_QUEUE') WHERE id = $1 AND NOT ('LEFT_QUEUE' = ANY(flags))`, [row.application_id]);
  }
  return true;
}

/** A queue entry as a removal case needs it: by its id or its registration number. */
export interface QueueEntryRow {
  id: string;
  application_id: string | null;
  registration_number: string;
  applicant_iin: string;
  locality: string;
  source: 'APPLICATION' | 'MIGRATED';
  status: 'ACTIVE' | 'REMOVED';
}

export async function findQueueEntry(db: Db, key: { entryId: string } | { registrationNumber: string }): Promise<QueueEntryRow | undefined> {
  const [column, value] = 'entryId' in key ? ['id', key.entryId] : ['registration_number', key.registrationNumber];
  const r = await db.query<QueueEntryRow>(
    `SELECT id::text, application_id, registration_number, applicant_iin, locality, source, status FROM queue_entries WHERE ${column} = $1`,
    [value],
  );
  return r.rows[0];
}

/**
 * Sets an entry's confirmed categories (R9: confirmed after a re-check, or lost), placing it in (or
 * taking it out of) each category's list by its original receivedAt; the ledger records why.
 */
export async function setQueueCategories(
  tx: PoolClient,
  applicationId: string,
  categories: string[],
  reason: Extract<QueueChangeReason, 'CATEGORY_CONFIRMED' | 'CATEGORY_LOST' | 'RECORD_CORRECTED'>,
): Promise<void> {
  await withQueueChangeReason(tx, reason);
  await tx.query(`UPDATE queue_entries SET categories = $2 WHERE application_id = $1 AND status = 'ACTIVE'`, [applicationId, [...new Set(categories)].sort()]);
}

/**
 * Restores an earlier receivedAt (a satisfied complaint: the entry takes the place it should have
 * had); everyone it passes moves back one, each told why (RESTORED).
 */
export async function restoreReceivedAt(tx: PoolClient, applicationId: string, receivedAt: Date): Promise<void> {
  await withQueueChangeReason(tx, 'RESTORED');
  await tx.query(`UPDATE queue_entries SET received_at = $2 WHERE application_id = $1 AND status = 'ACTIVE'`, [applicationId, receivedAt]);
}

/** Whether the person stands in the provider's own queue (R15.1: a migrated record is the unifiedQueue registry's). */
export async function ownQueueEntryActive(db: Db, applicantIin: string): Promise<boolean> {
  const own = await db.query(`SELECT 1 FROM queue_entries WHERE applicant_iin = $1 AND status = 'ACTIVE' AND source = 'APPLICATION'`, [applicantIin]);
  return (own.rowCount ?? 0) > 0;
}

/**
 * The SQL condition under which a queue entry's identifiers may be published (A2.C3): C3 in force,
 * or — for a case with no consent rows at all (written outside the API, e.g. by the simulator) —
 * C3 in its submitted declaration. `app` is the SQL expression of the application id.
 */
function publishedSql(app: string): string {
  return `(EXISTS (SELECT 1 FROM consents c WHERE c.application_id = ${app} AND c.code = 'C3' AND c.withdrawn_at IS NULL)
    OR (NOT EXISTS (SELECT 1 FROM consents c WHERE c.application_id = ${app})
        AND EXISTS (SELECT 1 FROM applications a WHERE a.id = ${app} AND a.declaration->'consents' @> '[{"code": "C3"}]'::jsonb)))`;
}

interface QueueRow {
  registration_number: string;
  registered_at: Date;
  categories: string[];
  published: boolean;
}

export interface QueueListQuery {
  locality: string;
  category?: string;
  page: number;
  pageSize: number;
}

export type PublishedEntry =
  | { position: number; published: true; registrationDate: string; registrationNumber: string; categories: string[] }
  | { position: number; published: false };

/**
 * One page of a locality's list, or of one category's list within it. Position is the rank by
 * (received_at, receipt_seq, id) among active entries (SPEC §7) — migrated entries of the
 * akimats have no receipt sequence, so they come after an application of the same instant and
 * tie-break on `id`, their order in the imported file (db/migrations/004_unified_import.sql, 050).
 *
 * The page is read in list order off queue_entries_list_order (007, 050), so a position is the offset
 * plus the row's place on the page — the same number a rank over the whole list gives, without
 * ranking a locality of hundreds of thousands of entries for every page (bench/README.md, load).
 * A category's list is the GIN index's members of that locality, sorted. Only position, date,
 * number and categories are published, and for a person without consent C3 in force only the
 * position (docs/personal-data.md).
 */
export async function queueListPage(pool: Pool, q: QueueListQuery): Promise<{ total: number; entries: PublishedEntry[] }> {
  const filter = `status = 'ACTIVE' AND locality = $1 ${q.category ? 'AND categories @> ARRAY[$2]::text[]' : ''}`;
  const filterArgs: unknown[] = q.category ? [q.locality, q.category] : [q.locality];
  const n = filterArgs.length;
  const offset = (q.page - 1) * q.pageSize;
  const [rows, count] = await Promise.all([
    // The page's keys first, off the list-order index alone (an index-only scan: skipping a deep
    // page's offset then touches no table rows), then those rows.
    pool.query<QueueRow>(
      `SELECT registration_number, registered_at, categories, ${publishedSql('q.application_id')} AS published
         FROM queue_entries q
         JOIN (SELECT id FROM queue_entries WHERE ${filter}
                ORDER BY received_at, receipt_seq, id OFFSET $${n + 1} LIMIT $${n + 2}) page USING (id)
        ORDER BY q.received_at, q.receipt_seq, q.id`,
      [...filterArgs, offset, q.pageSize],
    ),
    // Kept by triggers on queue_entries (db/migrations/008_queue_list_totals.sql).
    pool.query<{ total: number }>(`SELECT coalesce((SELECT active FROM queue_list_totals WHERE locality = $1 AND category = $2), 0)::int AS total`, [
      q.locality,
      q.category ?? '',
    ]),
  ]);
  return {
    total: count.rows[0].total,
    entries: rows.rows.map((r, i): PublishedEntry =>
      r.published
        ? {
            position: offset + i + 1,
            published: true,
            registrationDate: almatyDate(r.registered_at.getTime()),
            registrationNumber: r.registration_number,
            categories: r.categories,
          }
        : { position: offset + i + 1, published: false },
    ),
  };
}

/**
 * bpchar[], the column's type: with text[] the column is cast and no index serves it — a scan of
 * the whole queue (a million entries after the migration) for every case (bench/README.md, load).
 */
export const MIGRATED_RECORDS_SQL = `SELECT applicant_iin, kato, received_at, categories, source_akimat, status
  FROM queue_entries WHERE source = 'MIGRATED' AND applicant_iin = ANY ($1::bpchar[])
 ORDER BY received_at, id`;

/**
 * The migrated records (queue_entries with source MIGRATED) of these IINs, in the unifiedQueue
 * registry's shape. `active` is the entry's current status, so an entry removed since no longer
 * bars anyone (R17).
 */
export async function migratedUnifiedRecords(db: Db, iins: string[]): Promise<Record<string, UnifiedQueueRecord[]>> {
  const res = await db.query<{ applicant_iin: string; kato: string; received_at: Date; categories: string[]; source_akimat: string; status: string }>(
    MIGRATED_RECORDS_SQL,
    [iins],
  );
  const out: Record<string, UnifiedQueueRecord[]> = {};
  for (const r of res.rows) {
    (out[r.applicant_iin] ??= []).push({
      kato: r.kato,
      registeredAt: toAlmatyIso(r.received_at.getTime()),
      categories: r.categories,
      sourceAkimat: r.source_akimat,
      active: r.status === 'ACTIVE',
    });
  }
  return out;
}

/**
 * Issue #11 §2: the person's entry leaves every list — its locality's and each category's, all of
 * which count only ACTIVE entries — and the case record says so (flag LEFT_QUEUE; the decision and
 * the registration stand as history). In the caller's transaction; returns false when the entry
 * was no longer active (a concurrent withdrawal), so nothing is written twice.
 */
export async function withdrawQueueEntry(tx: PoolClient, w: { applicationId: string; at: Date; reasonCode: string }): Promise<boolean> {
  // Through the ledger's one door: the removal names its reason (db/queue-ledger.ts).
  if (!(await removeFromQueue(tx, w.applicationId, 'WITHDRAWN', w.at))) return false;
  await tx.query(
    `UPDATE applications SET flags = array_append(flags, 'LEFT_QUEUE') WHERE id = $1 AND NOT ('LEFT_QUEUE' = ANY(flags))`,
    [w.applicationId],
  );
  return true;
}

export interface CategoryRecheckRecord {
  applicationId: string;
  /** Unique per request: a retried activity writes nothing twice. */
  requestKey: string;
  at: string;
  requestedBy: string;
  /** The declared categories as the registries answer now (domain/eligibility checkCategories). */
  outcome: { confirmed: string[]; unconfirmed: string[] };
  /** The person's notice of what came of it (domain/notices.ts categoryRecheckNotice). */
  notice(result: Omit<CategoryRecheckResult, 'inQueue'>): RenderedNotice;
  /** R16: the SMS goes to the number in the mobile citizens database, if there is one. */
  phone: string | null;
}

export interface CategoryRecheckResult {
  /** False when the entry is no longer in the queue: nothing was changed. */
  inQueue: boolean;
  confirmed: string[];
  newlyConfirmed: string[];
  unconfirmed: string[];
  /** The entry's place in each list of a newly confirmed category. */
  categoryPositions: Record<string, number>;
}

/**
 * R9 after registration (issue #11 §2): a category the registry now confirms gives the entry a
 * place in that category's list — ordered, like every list, by the original receivedAt
 * (queuePosition), so a late confirmation does not put the person behind those registered after
 * them. A category once confirmed is not taken away here (losing one is the periodic
 * re-verification's, with a hearing). The record, the timeline (CATEGORY_RECHECKED, with the
 * reason code CATEGORY_CONFIRMED for each new place) and the cabinet notice in one transaction.
 */
export async function recordCategoryRecheck(pool: Pool, r: CategoryRecheckRecord): Promise<CategoryRecheckResult> {
  return withTransaction(pool, async (tx) => {
    const entry = await tx.query<{ locality: string; received_at: Date; receipt_seq: number; categories: string[] }>(
      `SELECT locality, received_at, receipt_seq, categories FROM queue_entries WHERE application_id = $1 AND status = 'ACTIVE' FOR UPDATE`,
      [r.applicationId],
    );
    const row = entry.rows[0];
    if (!row) return { inQueue: false, confirmed: [], newlyConfirmed: [], unconfirmed: r.outcome.unconfirmed, categoryPositions: {} };
    const had = new Set(row.categories);
    const newlyConfirmed = r.outcome.confirmed.filter((c) => !had.has(c));
    const confirmed = [...row.categories, ...newlyConfirmed];
    const unconfirmed = r.outcome.unconfirmed.filter((c) => !had.has(c));
    if (newlyConfirmed.length > 0) {
      await setQueueCategories(tx, r.applicationId, confirmed, 'CATEGORY_CONFIRMED');
    }
    await tx.query(`UPDATE applications SET categories = $2::jsonb WHERE id = $1`, [r.applicationId, JSON.stringify({ confirmed, unconfirmed })]);
    const categoryPositions: Record<string, number> = {};
    const placed = { locality: row.locality, receivedAt: row.received_at, receiptSeq: row.receipt_seq };
    for (const c of newlyConfirmed) categoryPositions[c] = await queuePosition(tx, placed, c);
    await tx.query(
      `INSERT INTO case_events (application_id, event_key, at, kind, actor, data)
       VALUES ($1, $2, $3, 'CATEGORY_RECHECKED', $4, $5) ON CONFLICT (application_id, event_key) DO NOTHING`,
      [
        r.applicationId,
        `category-recheck:${r.requestKey}`,
        r.at,
        r.requestedBy,
        JSON.stringify({
          newlyConfirmed,
          unconfirmed,
          // What the queue ledger (issue #11 §1) is to take as its events: a new place per category.
          placed: newlyConfirmed.map((c) => ({ list: { kato: row.locality, category: c }, to: categoryPositions[c], reason: 'CATEGORY_CONFIRMED' })),
        }),
      ],
    );
    const result = { confirmed, newlyConfirmed, unconfirmed, categoryPositions };
    await queueCaseNotice(tx, r.applicationId, r.at, r.notice(result), r.phone, r.requestKey);
    return { inQueue: true, ...result };
  });
}

/** Every list of the queue that has or had entries: (locality, '' or a category). */
export async function queueLists(db: Db): Promise<{ locality: string; category: string }[]> {
  const r = await db.query<{ locality: string; category: string }>(`SELECT locality, category FROM queue_list_totals ORDER BY locality, category`);
  return r.rows;
}

/**
 * A list as a snapshot publishes it (issue #11 §4), in list order: the entry's id (kept by the
 * provider to find a person's leaf), its opaque public id, its registration date (+05:00), and
 * whether its identifiers may be published (A2.C3, as in queueListPage). Rows as arrays: a list
 * may hold a million entries.
 */
export async function snapshotRows(db: Db, list: { locality: string; category: string }): Promise<[string, string, string, boolean][]> {
  const r = await db.query<[string, string, string, boolean]>({
    text: `SELECT q.id::text, q.public_id::text, to_char((q.registered_at AT TIME ZONE 'UTC') + interval '5 hours', 'YYYY-MM-DD'),
                  (q.application_id IS NOT NULL AND ${publishedSql('q.application_id')})
             FROM queue_entries q
            WHERE q.status = 'ACTIVE' AND q.locality = $1 ${list.category ? 'AND q.categories @> ARRAY[$2]::text[]' : ''}
            ORDER BY q.received_at, q.receipt_seq, q.id`,
    values: list.category ? [list.locality, list.category] : [list.locality],
    rowMode: 'array',
  });
  return r.rows;
}

/** An application's entry: its id and opaque public id, registration date (+05:00), categories. */
export async function entryForProof(db: Db, applicationId: string): Promise<{ id: string; publicId: string; registrationDate: string; locality: string; categories: string[]; active: boolean } | null> {
  const r = await db.query<{ id: string; public_id: string; d: string; locality: string; categories: string[]; status: string }>(
    `SELECT id::text, public_id::text, to_char((registered_at AT TIME ZONE 'UTC') + interval '5 hours', 'YYYY-MM-DD') AS d, locality, categories, status
       FROM queue_entries WHERE application_id = $1`,
    [applicationId],
  );
  const x = r.rows[0];
  return x ? { id: x.id, publicId: x.public_id, registrationDate: x.d, locality: x.locality, categories: x.categories, active: x.status === 'ACTIVE' } : null;
}
