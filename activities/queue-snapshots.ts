/**
 * Building the signed queue snapshots (issue #11 §4): for each list changed since its last
 * snapshot, the Merkle tree (RFC 9162, security/merkle.ts) over its published rows in list order,
 * a statement naming the root, the previous snapshot's root and the changes since (by reason, from
 * the queue ledger), signed with the provider's system key like every system-signed document.
 *
 * Idempotent: a list with no ledger change since its last snapshot gets none, and two builders of
 * the same list store one snapshot (the (list, seq) key). The hourly Temporal Schedule
 * `hpc-queue-snapshots` (worker/schedules.ts) runs queueSnapshotsWorkflow, which calls
 * these activities.
 */
import type { Pool } from 'pg';
import { queueLists, snapshotRows } from '../db/cases';
import { changesBetween, latestChange, type ListRef } from '../db/queue-ledger';
import { ENTRY_RECORD, latestSnapshot, storeSnapshot } from '../db/queue-snapshots';
import { withTransaction } from '../db/transaction';
import { leafBytes, type SnapshotStatement } from '../domain/queue-snapshot';
import { toAlmatyIso } from '../domain/time';
import { buildTree, HASH_SIZE, leafHash, rootOf } from '../security/merkle';
import { canonicalJson } from '../security/pki/cms';
import { lazySystemSigner, type SystemSigner } from '../security/pki/system-signer';

export interface BuiltSnapshot {
  kato: string;
  category: string | null;
  seq: number;
  treeSize: number;
  /** Milliseconds: reading the list, hashing and building the tree, signing, storing. */
  timings: { readMs: number; treeMs: number; signMs: number; storeMs: number };
}

/** Lists with a ledger change after their latest snapshot (or none yet). */
export async function listsToSnapshot(pool: Pool): Promise<ListRef[]> {
  const out: ListRef[] = [];
  for (const list of await queueLists(pool)) {
    const [change, last] = await Promise.all([latestChange(pool, list), latestSnapshot(pool, list)]);
    if (change > (last?.changeNo ?? 0)) out.push(list);
  }
  return out;
}

/** Builds, signs and stores the list's next snapshot; null when the list has not changed since. */
export async function buildQueueSnapshot(pool: Pool, signer: SystemSigner, list: ListRef, now = new Date()): Promise<BuiltSnapshot | null> {
  const t0 = performance.now();
  // The list and the ledger position it corresponds to, read in one consistent snapshot.
  const { change, rows } = await withTransaction(
    pool,
    async (tx) => ({ change: await latestChange(tx, list), rows: await snapshotRows(tx, list) }),
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
  const previous = await latestSnapshot(pool, list);
  if (previous && previous.changeNo >= change) return null;
  const t1 = performance.now();
  const n = rows.length;
  const leaves = Buffer.allocUnsafe(n * HASH_SIZE);
  const entries = Buffer.allocUnsafe(n * ENTRY_RECORD);
  const category = list.category === '' ? null : list.category;
  for (let i = 0; i < n; i++) {
    const [id, publicId, date, published] = rows[i];
    leafHash(leafBytes({ category, entryId: publicId, kato: list.locality, position: i + 1, registrationDate: published ? date : null })).copy(leaves, i * HASH_SIZE);
    entries.writeBigInt64BE(BigInt(id), i * ENTRY_RECORD);
    entries[i * ENTRY_RECORD + 8] = published ? 1 : 0;
  }
  const tree = buildTree(leaves);
  const root = rootOf(tree, n);
  const t2 = performance.now();
  const bin = signer.certificate.parsed.bin;
  if (!bin) throw new Error('the system signing certificate names no BIN');
  const statement: SnapshotStatement = {
    type: 'HPC_QUEUE_SNAPSHOT',
    version: 1,
    providerBin: bin,
    kato: list.locality,
    category,
    seq: (previous?.seq ?? 0) + 1,
    snapshotAt: toAlmatyIso(now.getTime()),
    treeSize: n,
    rootHash: root.toString('hex'),
    previousSeq: previous?.seq ?? null,
    previousRootHash: previous ? previous.root.toString('hex') : null,
    changes: await changesBetween(pool, list, previous?.changeNo ?? 0, change),
  };
  const text = canonicalJson(statement);
  const signature = signer.sign(Buffer.from(text, 'utf8'));
  const t3 = performance.now();
  const stored = await withTransaction(pool, (tx) =>
    storeSnapshot(tx, {
      ...list,
      seq: statement.seq,
      changeNo: change,
      builtAt: now,
      treeSize: n,
      root,
      previousRoot: previous?.root ?? null,
      statement: text,
      signature,
      entries,
      tree,
    }),
  );
  const t4 = performance.now();
  if (!stored) return null;
  return {
    kato: list.locality,
    category,
    seq: statement.seq,
    treeSize: n,
    timings: { readMs: Math.round(t1 - t0), treeMs: Math.round(t2 - t1), signMs: Math.round(t3 - t2), storeMs: Math.round(t4 - t3) },
  };
}

/** The activities of queueSnapshotsWorkflow. */
export function createQueueSnapshotActivities(pool: Pool, options: { systemSigner?: () => Promise<SystemSigner> } = {}) {
  const signer = options.systemSigner ?? lazySystemSigner();
  return {
    async queueListsToSnapshot(): Promise<ListRef[]> {
      return listsToSnapshot(pool);
    },
    async buildQueueSnapshot(list: ListRef): Promise<{ seq: number; treeSize: number } | null> {
      const built = await buildQueueSnapshot(pool, await signer(), list);
      return built ? { seq: built.seq, treeSize: built.treeSize } : null;
    },
  };
}

export type QueueSnapshotActivities = ReturnType<typeof createQueueSnapshotActivities>;
