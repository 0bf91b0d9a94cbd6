/**
 * What a published queue snapshot says and how its leaves are written (issue #11 §4). Pure: the
 * builder (activities/queue-snapshots.ts), the API and the offline verifier (security/queue-proof.ts,
 * `hpc verify-queue-proof`) all use these, so the bytes hashed and signed are the same everywhere.
 *
 * A leaf is the canonical JSON (RFC 8785: keys sorted, no spaces) of
 *   {"category": <the list's category or null>, "entryId": <opaque uuid>, "kato": <locality>,
 *    "position": <1-based>, "registrationDate": <YYYY-MM-DD, +05:00, or null>}
 * — never a name, an IIN or a registration number. The date is null for a person without consent
 * C3 in force (A2.C3), as in the published list; the random entry id cannot be traced to anyone.
 */
import type { QueueChangeReason } from './queue-reasons';

export interface QueueLeaf {
  category: string | null;
  entryId: string;
  kato: string;
  position: number;
  registrationDate: string | null;
}

export interface SnapshotStatement {
  type: 'HPC_QUEUE_SNAPSHOT';
  version: 1;
  /** The provider whose system certificate signs (its BIN). */
  providerBin: string;
  kato: string;
  category: string | null;
  seq: number;
  snapshotAt: string;
  treeSize: number;
  /** Hex SHA-256 Merkle root (RFC 9162) over the leaves in list order. */
  rootHash: string;
  /** The previous snapshot of this list: signing its root chains the snapshots. */
  previousSeq: number | null;
  previousRootHash: string | null;
  /** Arrivals and departures since the previous snapshot, per reason (the queue ledger). */
  changes: { reason: QueueChangeReason; arrived: number; left: number }[];
}

export interface SignedSnapshot {
  statement: SnapshotStatement;
  /** Detached CMS (base64) over the statement's canonical JSON. */
  signature: string;
}

export interface QueueProof {
  type: 'HPC_QUEUE_PROOF';
  version: 1;
  kato: string;
  category: string | null;
  seq: number;
  snapshotAt: string;
  treeSize: number;
  rootHash: string;
  leafIndex: number;
  leaf: QueueLeaf;
  /** Hex sibling hashes, bottom-up (RFC 9162 §2.1.3.1). */
  path: string[];
}

export { leafJson } from './queue-proof-check';
import { leafJson } from './queue-proof-check';

/**
 * The leaf's bytes as hashed: UTF-8 of its canonical JSON (domain/queue-proof-check.ts leafJson,
 * shared with the browser's check). TextEncoder, not Buffer, so this file stays importable there.
 */
export function leafBytes(l: QueueLeaf): Uint8Array {
  return new TextEncoder().encode(leafJson(l));
}
