/**
 * Merkle trees as RFC 9162 (Certificate Transparency 2.0, §2.1) defines them, for the published
 * queue snapshots (issue #11 §4): leaf hash = SHA-256(0x00 || leaf), node = SHA-256(0x01 || l || r),
 * the tree of n leaves split at the largest power of two below n.
 *
 * No npm package in the lockfile implements RFC 9162 exactly (domain-separated hashes and the
 * unbalanced split); this is the small, audited implementation, checked against the RFC 6962/9162
 * reference vectors in test/unit/merkle.test.ts.
 *
 * The tree is built bottom-up, level by level, carrying an unpaired last node up unchanged: that
 * gives exactly RFC 9162's hashes for any n, and every level as one flat buffer, so a proof is a
 * read of one 32-byte node per level (db/queue-snapshots.ts keeps the levels of the latest snapshot).
 */
import { createHash } from 'node:crypto';
import { inclusionRootSteps } from '../domain/queue-proof-check';

export const HASH_SIZE = 32;

export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(leaf).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** The number of nodes on each level of a tree of n leaves, leaves first. */
export function levelSizes(n: number): number[] {
  const sizes = [n];
  while (sizes[sizes.length - 1] > 1) sizes.push(Math.ceil(sizes[sizes.length - 1] / 2));
  return sizes;
}

/** All levels, leaves first, concatenated: the tree as stored. `leafHashes` is n × 32 bytes. */
export function buildTree(leafHashes: Buffer): Buffer {
  const n = leafHashes.length / HASH_SIZE;
  if (!Number.isInteger(n)) throw new RangeError('leaf hashes are not a multiple of 32 bytes');
  const sizes = levelSizes(n);
  const total = sizes.reduce((a, b) => a + b, 0);
  const out = Buffer.allocUnsafe(total * HASH_SIZE);
  leafHashes.copy(out, 0);
  let from = 0;
  let to = n;
  for (let k = 1; k < sizes.length; k++) {
    const below = sizes[k - 1];
    for (let i = 0; i < sizes[k]; i++) {
      const l = from + 2 * i;
      const dst = (to + i) * HASH_SIZE;
      if (2 * i + 1 < below) {
        nodeHash(out.subarray(l * HASH_SIZE, (l + 1) * HASH_SIZE), out.subarray((l + 1) * HASH_SIZE, (l + 2) * HASH_SIZE)).copy(out, dst);
      } else {
        out.copy(out, dst, l * HASH_SIZE, (l + 1) * HASH_SIZE); // unpaired: carried up
      }
    }
    from = to;
    to += sizes[k];
  }
  return out;
}

/** The root of a stored tree of n leaves (SHA-256 of nothing for the empty tree). */
export function rootOf(tree: Buffer, n: number): Buffer {
  if (n === 0) return createHash('sha256').digest();
  return tree.subarray(tree.length - HASH_SIZE);
}

/**
 * Where the nodes of an inclusion proof for leaf `index` lie in a stored tree of n leaves: one
 * sibling per level where it exists (RFC 9162 §2.1.3.1's PATH, bottom-up).
 */
export function proofOffsets(index: number, n: number): number[] {
  if (!(index >= 0 && index < n)) throw new RangeError(`leaf ${index} is not in a tree of ${n}`);
  const sizes = levelSizes(n);
  const out: number[] = [];
  let base = 0;
  let i = index;
  for (let k = 0; k < sizes.length - 1; k++) {
    const sibling = i ^ 1;
    if (sibling < sizes[k]) out.push((base + sibling) * HASH_SIZE);
    base += sizes[k];
    i >>= 1;
  }
  return out;
}

export function inclusionProof(tree: Buffer, index: number, n: number): Buffer[] {
  return proofOffsets(index, n).map((o) => tree.subarray(o, o + HASH_SIZE));
}

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the proof is malformed.
 * The steps are domain/queue-proof-check.ts's (the browser's check runs the same ones with
 * WebCrypto); here they are driven synchronously with node:crypto.
 */
export function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Buffer | null {
  const steps = inclusionRootSteps(index, size, leaf, proof);
  let step = steps.next(leaf); // the first value sent is ignored by generators
  while (!step.done) step = steps.next(nodeHash(step.value[0], step.value[1]));
  return step.value ? Buffer.from(step.value) : null;
}
