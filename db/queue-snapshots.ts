/**
 * The one owner of queue_snapshots (db/migrations/031_queue_snapshots.sql): the signed snapshots
 * of every list (issue #11 §4). A snapshot is never changed; only the working copies of a
 * superseded one (its leaf order and tree levels) are dropped when the next one is stored.
 */
import type { Pool, PoolClient } from 'pg';
import type { ListRef } from './queue-ledger';

type Db = Pool | PoolClient;

export interface StoredSnapshot {
  id: string;
  seq: number;
  changeNo: number;
  treeSize: number;
  root: Buffer;
  statement: string;
  signature: string;
}

/** The latest snapshot of a list, without its working copies. */
export async function latestSnapshot(db: Db, list: ListRef): Promise<StoredSnapshot | null> {
  const r = await db.query<{ id: string; seq: number; change_no: string; tree_size: number; root: Buffer; statement: string; signature: string }>(
    `SELECT id::text, seq, change_no::text, tree_size, root, statement, signature FROM queue_snapshots
      WHERE locality = $1 AND category = $2 ORDER BY seq DESC LIMIT 1`,
    [list.locality, list.category],
  );
  const x = r.rows[0];
  return x ? { id: x.id, seq: x.seq, changeNo: Number(x.change_no), treeSize: x.tree_size, root: x.root, statement: x.statement, signature: x.signature } : null;
}

export interface NewSnapshot extends ListRef {
  seq: number;
  changeNo: number;
  builtAt: Date;
  treeSize: number;
  root: Buffer;
  previousRoot: Buffer | null;
  statement: string;
  signature: string;
  entries: Buffer;
  tree: Buffer;
}

/**
 * Stores a snapshot; false when another builder stored this list's snapshot `seq` first (the
 * schedule may overlap a manual run: one wins, the other changes nothing).
 */
export async function storeSnapshot(tx: PoolClient, s: NewSnapshot): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO queue_snapshots (locality, category, seq, change_no, built_at, tree_size, root, previous_root, statement, signature, entries, tree)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (locality, category, seq) DO NOTHING`,
    [s.locality, s.category, s.seq, s.changeNo, s.builtAt, s.treeSize, s.root, s.previousRoot, s.statement, s.signature, s.entries, s.tree],
  );
  if ((r.rowCount ?? 0) === 0) return false;
  await tx.query(
    `UPDATE queue_snapshots SET entries = NULL, tree = NULL
      WHERE locality = $1 AND category = $2 AND seq < $3 AND (entries IS NOT NULL OR tree IS NOT NULL)`,
    [s.locality, s.category, s.seq],
  );
  return true;
}

/** Bytes per leaf in `entries`: the 8-byte entry id, then 1 byte "published under C3". */
export const ENTRY_RECORD = 9;

/** The leaf index of an entry in a stored snapshot, and whether it was published; null when not in it. */
export async function leafOf(db: Db, snapshotId: string, entryId: string): Promise<{ index: number; published: boolean } | null> {
  const r = await db.query<{ entries: Buffer | null }>(`SELECT entries FROM queue_snapshots WHERE id = $1`, [snapshotId]);
  const entries = r.rows[0]?.entries;
  if (!entries) return null;
  const needle = Buffer.alloc(8);
  needle.writeBigInt64BE(BigInt(entryId));
  for (let at = entries.indexOf(needle); at >= 0; at = entries.indexOf(needle, at + 1)) {
    if (at % ENTRY_RECORD === 0) return { index: at / ENTRY_RECORD, published: entries[at + 8] === 1 };
  }
  return null;
}

/** 32-byte nodes of a stored tree at these byte offsets (security/merkle.ts proofOffsets). */
export async function treeNodes(db: Db, snapshotId: string, offsets: number[]): Promise<Buffer[]> {
  if (offsets.length === 0) return [];
  const r = await db.query<{ o: number; node: Buffer }>(
    `SELECT o, substring(s.tree FROM o + 1 FOR 32) AS node FROM queue_snapshots s, unnest($2::int[]) AS o WHERE s.id = $1`,
    [snapshotId, offsets],
  );
  const by = new Map(r.rows.map((x) => [x.o, x.node]));
  return offsets.map((o) => {
    const n = by.get(o);
    if (!n || n.length !== 32) throw new Error(`snapshot ${snapshotId} has no tree node at ${o}`);
    return n;
  });
}
