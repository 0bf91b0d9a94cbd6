/**
 * domain/queue-proof-check.ts, the check the citizen's browser runs (issue #12, issue #11 §4), with
 * WebCrypto's SHA-256 as the browser has it: every leaf of every tree up to 40 leaves proves its
 * inclusion exactly as the server's synchronous walk (security/merkle.ts) says, the RFC 9162
 * reference proof leads to the reference root, and each kind of tampering gets its reason.
 */
import { checkInclusion, leafJson, rootFromInclusionProofAsync, subtleSha256, toHex, verifyInclusion } from '../../domain/queue-proof-check';
import type { QueueLeaf, QueueProof, SignedSnapshot, SnapshotStatement } from '../../domain/queue-snapshot';
import { buildTree, inclusionProof, leafHash, rootFromInclusionProof, rootOf } from '../../security/merkle';
import { canonicalJson } from '../../security/pki/cms';

const KATO = '611010000';
const leafOf = (i: number): QueueLeaf => ({
  category: null,
  entryId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  kato: KATO,
  position: i + 1,
  registrationDate: i % 3 === 0 ? null : '2026-12-03',
});

function listOf(n: number): { snap: SignedSnapshot; proof: (i: number) => QueueProof } {
  const leaves = Array.from({ length: n }, (_, i) => leafOf(i));
  const tree = buildTree(Buffer.concat(leaves.map((l) => leafHash(Buffer.from(leafJson(l), 'utf8')))));
  const statement: SnapshotStatement = {
    type: 'HPC_QUEUE_SNAPSHOT',
    version: 1,
    providerBin: '000000000000',
    kato: KATO,
    category: null,
    seq: 4,
    snapshotAt: '2026-12-03T09:00:00+05:00',
    treeSize: n,
    rootHash: rootOf(tree, n).toString('hex'),
    previousSeq: 3,
    previousRootHash: 'ab'.repeat(32),
    changes: [],
  };
  const snap = { statement, signature: 'not checked here' };
  const proof = (i: number): QueueProof => ({
    type: 'HPC_QUEUE_PROOF',
    version: 1,
    kato: KATO,
    category: null,
    seq: 4,
    snapshotAt: statement.snapshotAt,
    treeSize: n,
    rootHash: statement.rootHash,
    leafIndex: i,
    leaf: leaves[i],
    path: inclusionProof(tree, i, n).map((p) => p.toString('hex')),
  });
  return { snap, proof };
}

describe('the browser-side queue proof check (WebCrypto)', () => {
  it('the leaf JSON is RFC 8785 canonical JSON', () => {
    for (let i = 0; i < 5; i++) expect(leafJson(leafOf(i))).toBe(canonicalJson(leafOf(i)));
  });

  it('the RFC 9162 reference proof of leaf 5 of 8 leads to the reference root', async () => {
    const leaf = leafHash(Buffer.from('40414243', 'hex'));
    const path = ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'].map((h) => Buffer.from(h, 'hex'));
    const root = await rootFromInclusionProofAsync(subtleSha256, 5, 8, leaf, path);
    expect(toHex(root!)).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('every leaf of every tree up to 40 leaves: valid, and the same root as the server walk', async () => {
    for (let n = 1; n <= 40; n++) {
      const { snap, proof } = listOf(n);
      for (let i = 0; i < n; i++) {
        const p = proof(i);
        await expect(verifyInclusion(snap, p, subtleSha256)).resolves.toEqual({ valid: true, kato: KATO, position: i + 1, snapshotAt: snap.statement.snapshotAt });
        const sync = rootFromInclusionProof(i, n, leafHash(Buffer.from(leafJson(p.leaf))), p.path.map((h) => Buffer.from(h, 'hex')));
        expect(sync!.toString('hex')).toBe(snap.statement.rootHash);
      }
    }
  });

  it('tampering: another position, another entry, a changed path, another snapshot, malformed input', async () => {
    const { snap, proof } = listOf(13);
    const p = proof(6);
    await expect(verifyInclusion(snap, { ...p, leaf: { ...p.leaf, position: 6 } }, subtleSha256)).resolves.toEqual({ valid: false, reason: 'LEAF_MISMATCH' });
    await expect(verifyInclusion(snap, { ...p, leafIndex: 5, leaf: { ...p.leaf, position: 6 } }, subtleSha256)).resolves.toEqual({ valid: false, reason: 'PATH_INVALID' });
    await expect(verifyInclusion(snap, { ...p, leaf: { ...leafOf(7), position: 7 } }, subtleSha256)).resolves.toEqual({ valid: false, reason: 'PATH_INVALID' });
    const bent = [...p.path];
    bent[1] = (bent[1][0] === '0' ? '1' : '0') + bent[1].slice(1);
    await expect(verifyInclusion(snap, { ...p, path: bent }, subtleSha256)).resolves.toEqual({ valid: false, reason: 'PATH_INVALID' });
    await expect(verifyInclusion(snap, { ...p, path: p.path.slice(1) }, subtleSha256)).resolves.toEqual({ valid: false, reason: 'PATH_INVALID' });
    await expect(verifyInclusion({ ...snap, statement: { ...snap.statement, seq: 5 } }, p, subtleSha256)).resolves.toEqual({ valid: false, reason: 'SNAPSHOT_MISMATCH' });
    await expect(verifyInclusion({ statement: {} }, p, subtleSha256)).resolves.toEqual({ valid: false, reason: 'MALFORMED_SNAPSHOT' });
    await expect(verifyInclusion(snap, { ...p, path: ['zz'] }, subtleSha256)).resolves.toEqual({ valid: false, reason: 'MALFORMED_PROOF' });
    await expect(checkInclusion(snap.statement, p, subtleSha256)).resolves.toBeNull();
  });
});
