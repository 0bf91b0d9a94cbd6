/**
 * The part of checking a queue snapshot and a person's inclusion proof (issue #11 §4) that needs
 * nothing but SHA-256: the two documents well formed, the proof naming the snapshot, the leaf
 * standing at its position, and the RFC 9162 path (§2.1.3.2) leading to the signed root.
 *
 * One copy for three callers: the offline verifier (security/queue-proof.ts, `hpc
 * verify-queue-proof`, which adds the CMS signature and the chain), the server's own check before it
 * hands a proof out (security/merkle.ts rootFromInclusionProof, synchronous with node:crypto), and
 * the citizen's browser (web/src/pages/queue-check.tsx, WebCrypto). Hence no Buffer and no
 * node:crypto here: the hash is given, and the path walk is a generator that asks for each node
 * hash, so the same steps run with a synchronous hash or an asynchronous one.
 */
import type { QueueLeaf, QueueProof, SignedSnapshot, SnapshotStatement } from './queue-snapshot';

export type ProofFailure =
  | 'MALFORMED_SNAPSHOT'
  | 'MALFORMED_PROOF'
  | 'SIGNATURE_INVALID'
  | 'SIGNER_NOT_PROVIDER'
  | 'SIGNER_UNTRUSTED'
  | 'SNAPSHOT_MISMATCH'
  | 'LEAF_MISMATCH'
  | 'PATH_INVALID'
  | 'CHAIN_BROKEN';

export type ProofResult =
  | { valid: true; kato: string; category?: string; position: number; snapshotAt: string }
  | { valid: false; reason: ProofFailure };

export const HASH_SIZE = 32;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CODE = /^[A-Z0-9_]+$/;
const KATO = /^\d{9}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HEX32 = /^[0-9a-f]{64}$/;

/**
 * The leaf's canonical JSON (RFC 8785: keys sorted, no spaces), written directly (a million leaves
 * per snapshot); equal to canonicalJson(leaf) for every leaf the checks let through
 * (test/unit/queue-proof-cli.test.ts). Throws on a malformed leaf.
 */
export function leafJson(l: QueueLeaf): string {
  if (!UUID.test(l.entryId) || !KATO.test(l.kato) || !Number.isSafeInteger(l.position) || l.position < 1) throw new TypeError('malformed queue leaf');
  if (l.category !== null && !CODE.test(l.category)) throw new TypeError('malformed queue leaf category');
  if (l.registrationDate !== null && !DATE.test(l.registrationDate)) throw new TypeError('malformed queue leaf date');
  const cat = l.category === null ? 'null' : `"${l.category}"`;
  const date = l.registrationDate === null ? 'null' : `"${l.registrationDate}"`;
  return `{"category":${cat},"entryId":"${l.entryId}","kato":"${l.kato}","position":${l.position},"registrationDate":${date}}`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function wellFormedSnapshot(s: unknown): s is SignedSnapshot {
  if (!isObj(s) || typeof s.signature !== 'string' || !isObj(s.statement)) return false;
  const t = s.statement;
  return (
    t.type === 'HPC_QUEUE_SNAPSHOT' &&
    t.version === 1 &&
    typeof t.kato === 'string' &&
    (t.category === null || typeof t.category === 'string') &&
    Number.isSafeInteger(t.seq) &&
    Number.isSafeInteger(t.treeSize) &&
    typeof t.rootHash === 'string' &&
    HEX32.test(t.rootHash) &&
    typeof t.providerBin === 'string' &&
    typeof t.snapshotAt === 'string' &&
    (t.previousRootHash === null || (typeof t.previousRootHash === 'string' && HEX32.test(t.previousRootHash)))
  );
}

export function wellFormedProof(p: unknown): p is QueueProof {
  if (!isObj(p) || p.type !== 'HPC_QUEUE_PROOF' || p.version !== 1 || !isObj(p.leaf) || !Array.isArray(p.path)) return false;
  if (!p.path.every((h) => typeof h === 'string' && HEX32.test(h))) return false;
  try {
    leafJson(p.leaf as unknown as QueueProof['leaf']);
  } catch {
    return false;
  }
  return Number.isSafeInteger(p.leafIndex) && Number.isSafeInteger(p.seq) && Number.isSafeInteger(p.treeSize) && typeof p.rootHash === 'string';
}

/**
 * RFC 9162 §2.1.3.2 as steps: yields each [left, right] pair whose node hash
 * (SHA-256(0x01 ‖ left ‖ right)) it needs and is sent that hash back; returns the root the proof
 * leads to, or null when the proof is malformed. Drivers: security/merkle.ts (sync),
 * rootFromInclusionProofAsync below (any async SHA-256).
 */
export function* inclusionRootSteps(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Generator<[Uint8Array, Uint8Array], Uint8Array | null, Uint8Array> {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (p.length !== HASH_SIZE || sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = yield [p, r];
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = yield [r, p];
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** SHA-256 of the concatenated parts (node:crypto in Node, crypto.subtle in the browser). */
export type Sha256 = (...parts: Uint8Array[]) => Promise<Uint8Array>;

export async function rootFromInclusionProofAsync(sha256: Sha256, index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Promise<Uint8Array | null> {
  const steps = inclusionRootSteps(index, size, leaf, proof);
  let step = steps.next(leaf); // the first value sent is ignored by generators
  while (!step.done) step = steps.next(await sha256(NODE_PREFIX, step.value[0], step.value[1]));
  return step.value;
}

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Everything but the signature, for a snapshot and a proof already known to be well formed: the
 * proof names this snapshot, its leaf stands at leafIndex + 1 of this list, and its path leads to
 * the signed root. Null when all hold.
 */
export async function checkInclusion(st: SnapshotStatement, proof: QueueProof, sha256: Sha256): Promise<ProofFailure | null> {
  if (
    proof.kato !== st.kato ||
    proof.category !== st.category ||
    proof.seq !== st.seq ||
    proof.treeSize !== st.treeSize ||
    proof.rootHash !== st.rootHash ||
    proof.snapshotAt !== st.snapshotAt
  ) {
    return 'SNAPSHOT_MISMATCH';
  }
  if (proof.leaf.kato !== st.kato || proof.leaf.category !== st.category || proof.leaf.position !== proof.leafIndex + 1) return 'LEAF_MISMATCH';
  const leaf = await sha256(LEAF_PREFIX, new TextEncoder().encode(leafJson(proof.leaf)));
  const root = await rootFromInclusionProofAsync(sha256, proof.leafIndex, st.treeSize, leaf, proof.path.map(fromHex));
  if (!root || toHex(root) !== st.rootHash) return 'PATH_INVALID';
  return null;
}

/**
 * What a browser can check without the provider's CMS signature (see web/src/pages/queue-check.tsx
 * for why the signature is left to the CLI): well formed, the same snapshot, the leaf, the path.
 */
export async function verifyInclusion(snapshot: unknown, proof: unknown, sha256: Sha256): Promise<ProofResult> {
  if (!wellFormedSnapshot(snapshot)) return { valid: false, reason: 'MALFORMED_SNAPSHOT' };
  if (!wellFormedProof(proof)) return { valid: false, reason: 'MALFORMED_PROOF' };
  const failed = await checkInclusion(snapshot.statement, proof, sha256);
  return failed ? { valid: false, reason: failed } : validResult(snapshot.statement, proof);
}

export function validResult(st: SnapshotStatement, proof: QueueProof): ProofResult {
  return { valid: true, kato: st.kato, ...(st.category ? { category: st.category } : {}), position: proof.leaf.position, snapshotAt: st.snapshotAt };
}

/** SHA-256 with WebCrypto (crypto.subtle): the browser's, and Node's global one in the unit tests. */
export const subtleSha256: Sha256 = async (...parts) => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
};
