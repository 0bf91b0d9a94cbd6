/**
 * The audit log of personal data (issue #3; table in db/migrations/002_personal_data.sql):
 * appending a row to the hash chain, and verifying the chain.
 *
 * Row n stores `prev_hash` (the hash of row n-1, or GENESIS for row 1) and
 * `hash = sha256(prev_hash || n || ':' || content(row n))`, where content is the UTF-8 JSON array of
 * the row's other fields in a fixed order. The database function audit_append() computes it under
 * the head's lock in one statement; this module computes the content and verifies. Ids are 1, 2,
 * 3… without gaps and `audit_head` holds the last id and hash, so:
 *   - an altered field changes the row's hash            → ALTERED at that row;
 *   - an altered row whose hash was recomputed breaks
 *     the next row's prev_hash                           → ALTERED at that row;
 *   - a removed row leaves a gap in the ids              → REMOVED at the missing id;
 *   - a removed last row leaves the head ahead           → REMOVED at the missing id;
 *   - a row added past the head, not through it          → INSERTED.
 * A rewrite of the whole tail together with the head cannot be seen from inside the database;
 * publishing the head's hash elsewhere from time to time closes that (docs/personal-data.md).
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from './transaction';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  /** `role:id` of who read or changed the data. */
  actor: string;
  actorRole: string;
  /** `applicant:<IIN>` of the person a representative acts for. */
  onBehalfOf: string | null;
  /** The sign-in session's id (never its token); null without a session. */
  sessionId: string | null;
  /** The case, when the access concerned one. */
  applicationId: string | null;
  action: string;
  purpose: string;
  purposeText: string | null;
  /** `METHOD /route/template`. */
  route: string;
}

export interface AuditRow extends AuditEntry {
  id: number;
  at: Date;
  prevHash: string;
  hash: string;
}

/** The hashed content of a row besides its id: its fields in a fixed order, the instant in UTC to the millisecond. */
export function rowContent(row: Omit<AuditRow, 'id' | 'prevHash' | 'hash'>): string {
  return JSON.stringify([
    row.at.toISOString(),
    row.actor,
    row.actorRole,
    row.onBehalfOf,
    row.sessionId,
    row.applicationId,
    row.action,
    row.purpose,
    row.purposeText,
    row.route,
  ]);
}

/** sha256(prev_hash || id || ':' || content), as audit_append() computes it. */
export function rowHash(prevHash: string, row: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  return createHash('sha256').update(`${prevHash}${row.id}:`, 'utf8').update(rowContent(row), 'utf8').digest('hex');
}

interface DbRow {
  id: number;
  at: Date;
  actor: string;
  actor_role: string;
  on_behalf_of: string | null;
  session_id: string | null;
  application_id: string | null;
  action: string;
  purpose: string;
  purpose_text: string | null;
  route: string;
  prev_hash: string;
  hash: string;
}

function fromDb(r: DbRow): AuditRow {
  return {
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    actorRole: r.actor_role,
    onBehalfOf: r.on_behalf_of,
    sessionId: r.session_id,
    applicationId: r.application_id,
    action: r.action,
    purpose: r.purpose,
    purposeText: r.purpose_text,
    route: r.route,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const COLUMNS = 'id, at, actor, actor_role, on_behalf_of, session_id, application_id, action, purpose, purpose_text, route, prev_hash, hash';

/**
 * Appends a row. With a pool it is one statement, a transaction of its own; with a client inside an
 * open transaction the row commits (or rolls back) with the caller's other writes, and the head's
 * lock is held until then — so make it the last statement before COMMIT.
 */
export async function appendAudit(db: Pool | PoolClient, entry: AuditEntry, at: Date = new Date()): Promise<AuditRow> {
  // A millisecond instant: what JavaScript and the hash see is exactly what timestamptz stores.
  const when = new Date(Math.floor(at.getTime()));
  const row = { ...entry, at: when };
  const res = await db.query<{ out_id: number; out_hash: string; out_prev_hash: string }>(
    'SELECT out_id, out_hash, out_prev_hash FROM audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
    [
      when,
      entry.actor,
      entry.actorRole,
      entry.onBehalfOf,
      entry.sessionId,
      entry.applicationId,
      entry.action,
      entry.purpose,
      entry.purposeText,
      entry.route,
      Buffer.from(rowContent(row), 'utf8'),
    ],
  );
  const r = res.rows[0];
  return { ...row, id: Number(r.out_id), prevHash: r.out_prev_hash, hash: r.out_hash };
}

/** The same inside the caller's open transaction (kept as a name that says so). */
export async function appendAuditInTransaction(tx: PoolClient, entry: AuditEntry, at?: Date): Promise<AuditRow> {
  return appendAudit(tx, entry, at);
}

// ---- verification ----

export type AuditBreak = 'ALTERED' | 'REMOVED' | 'INSERTED' | 'HEAD_MISSING';

export type VerifyResult = { valid: true; rows: number } | { valid: false; firstBadRow: number; reason: AuditBreak };

export interface AuditHead {
  lastId: number;
  lastHash: string;
}

/**
 * Checks a chain given its rows in id order and its head (undefined when the head row is gone).
 * Pure, so every kind of tampering can be tested without a database (test/unit/audit.test.ts).
 */
export async function verifyChain(rows: AsyncIterable<AuditRow> | Iterable<AuditRow>, head: AuditHead | undefined): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let expected = 1;
  for await (const row of rows) {
    if (row.id !== expected) {
      // Ids come in ascending order from a primary key, so a different id is a higher one: the
      // rows from `expected` up to it are gone.
      return { valid: false, firstBadRow: expected, reason: 'REMOVED' };
    }
    if (rowHash(row.prevHash, row) !== row.hash) return { valid: false, firstBadRow: row.id, reason: 'ALTERED' };
    if (row.prevHash !== prev) {
      // This row is intact but does not follow the one before: that one was changed (and its own
      // hash recomputed to hide it).
      return { valid: false, firstBadRow: Math.max(1, row.id - 1), reason: 'ALTERED' };
    }
    prev = row.hash;
    expected += 1;
  }
  const count = expected - 1;
  if (!head) return { valid: false, firstBadRow: count + 1, reason: 'HEAD_MISSING' };
  if (head.lastId > count) return { valid: false, firstBadRow: count + 1, reason: 'REMOVED' };
  if (head.lastId < count) return { valid: false, firstBadRow: head.lastId + 1, reason: 'INSERTED' };
  if (head.lastHash !== prev) return { valid: false, firstBadRow: Math.max(1, count), reason: 'ALTERED' };
  return { valid: true, rows: count };
}

const BATCH = 5_000;

/**
 * Verifies the whole log in one consistent snapshot (REPEATABLE READ), so rows appended while it
 * runs neither count nor confuse the comparison with the head. Reads in batches by id.
 */
export async function verifyAudit(pool: Pool): Promise<VerifyResult> {
  return withTransaction(
    pool,
    async (tx) => {
      const headRes = await tx.query<{ last_id: number; last_hash: string }>('SELECT last_id, last_hash FROM audit_head WHERE singleton');
      const h = headRes.rows[0];
      const head: AuditHead | undefined = h ? { lastId: Number(h.last_id), lastHash: h.last_hash } : undefined;
      async function* rows(): AsyncGenerator<AuditRow> {
        let after = 0;
        for (;;) {
          const batch = await tx.query<DbRow>(`SELECT ${COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`, [after, BATCH]);
          for (const r of batch.rows) yield fromDb(r);
          if (batch.rows.length < BATCH) return;
          after = Number(batch.rows[batch.rows.length - 1].id);
        }
      }
      return verifyChain(rows(), head);
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

/**
 * The rows about one case, newest first (the access log shown to the person). Rows of persons
 * (applicant, representative) appear only when they are one of `parties`, so another person's
 * IIN can never surface here.
 */
export async function accessLogRows(
  db: Pool | PoolClient,
  applicationId: string,
  parties: readonly string[],
  page: { offset: number; limit: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  const filter = `application_id = $1 AND (actor_role NOT IN ('applicant', 'representative') OR actor = ANY ($2::text[]))`;
  const [rows, total] = await Promise.all([
    db.query<DbRow>(`SELECT ${COLUMNS} FROM audit_log WHERE ${filter} ORDER BY id DESC OFFSET $3 LIMIT $4`, [
      applicationId,
      [...parties],
      page.offset,
      page.limit,
    ]),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE ${filter}`, [applicationId, [...parties]]),
  ]);
  return { rows: rows.rows.map(fromDb), total: total.rows[0].n };
}
