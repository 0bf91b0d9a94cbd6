/**
 * `hpc verify-queue-proof` (issue #11 §4), in the style of cli.test.ts: the real CLI, run as a
 * person would, over a snapshot signed by a development provider key (security/pki/system-signer.ts)
 * and proofs made the way the API makes them. Valid → `{"valid": true, …}` exit 0; each kind of
 * tampering → its reason, exit 1; unreadable input → a JSON error naming the argument, exit 1.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leafBytes, type QueueLeaf, type QueueProof, type SignedSnapshot, type SnapshotStatement } from '../../domain/queue-snapshot';
import { buildTree, HASH_SIZE, inclusionProof, leafHash, rootOf } from '../../security/merkle';
import { canonicalJson } from '../../security/pki/cms';
import { developmentSystemSigner } from '../../dev/pki/system-signer';
import type { SystemSigner } from '../../security/pki/system-signer';
import { expectNoStackTrace, hpc } from '../helpers/cli';

jest.setTimeout(180_000);

let dir: string;
let signer: SystemSigner;
const KATO = '351010000';
const N = 37;

function snapshotOf(leaves: QueueLeaf[], seq: number, previous: SnapshotStatement | null): { snap: SignedSnapshot; tree: Buffer } {
  const tree = buildTree(Buffer.concat(leaves.map((l) => leafHash(leafBytes(l)))));
  const statement: SnapshotStatement = {
    type: 'HPC_QUEUE_SNAPSHOT',
    version: 1,
    providerBin: signer.certificate.parsed.bin!,
    kato: KATO,
    category: null,
    seq,
    snapshotAt: '2026-12-03T09:00:00+05:00',
    treeSize: leaves.length,
    rootHash: rootOf(tree, leaves.length).toString('hex'),
    previousSeq: previous?.seq ?? null,
    previousRootHash: previous?.rootHash ?? null,
    changes: [{ reason: 'REGISTERED', arrived: 1, left: 0 }],
  };
  return { snap: { statement, signature: signer.sign(Buffer.from(canonicalJson(statement), 'utf8')) }, tree };
}

function proofOf(snap: SignedSnapshot, tree: Buffer, leaves: QueueLeaf[], i: number): QueueProof {
  const s = snap.statement;
  return {
    type: 'HPC_QUEUE_PROOF',
    version: 1,
    kato: s.kato,
    category: s.category,
    seq: s.seq,
    snapshotAt: s.snapshotAt,
    treeSize: s.treeSize,
    rootHash: s.rootHash,
    leafIndex: i,
    leaf: leaves[i],
    path: inclusionProof(tree, i, leaves.length).map((p) => p.toString('hex')),
  };
}

const write = (name: string, value: unknown): string => {
  const f = join(dir, name);
  writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
};

let leaves: QueueLeaf[];
let first: { snap: SignedSnapshot; tree: Buffer };
let second: { snap: SignedSnapshot; tree: Buffer };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hpc-queue-proof-'));
  signer = await developmentSystemSigner(join(dir, 'key'), join(dir, 'ca'));
  leaves = Array.from({ length: N }, (_, i) => ({
    category: null,
    entryId: randomUUID(),
    kato: KATO,
    position: i + 1,
    registrationDate: i % 3 === 0 ? null : '2024-05-0' + ((i % 9) + 1),
  }));
  first = snapshotOf(leaves.slice(0, N - 1), 1, null);
  second = snapshotOf(leaves, 2, first.snap.statement);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hpc verify-queue-proof', () => {
  const ca = () => join(dir, 'ca', 'ca.cer');

  test('a valid proof: kato, position, snapshotAt; the chain to the previous snapshot holds', () => {
    const snap = write('snap.json', second.snap);
    const proof = write('proof.json', proofOf(second.snap, second.tree, leaves, 20));
    const r = hpc('verify-queue-proof', snap, proof, '--ca', ca());
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ valid: true, kato: KATO, position: 21, snapshotAt: '2026-12-03T09:00:00+05:00' });
    const chained = hpc('verify-queue-proof', snap, proof, '--ca', ca(), '--previous', write('prev.json', first.snap));
    expect(chained.json).toMatchObject({ valid: true, position: 21 });
    // The previous snapshot is not the one this snapshot signs: the chain is broken.
    const wrong = hpc('verify-queue-proof', snap, proof, '--ca', ca(), '--previous', snap);
    expect(wrong.status).toBe(1);
    expect(wrong.json).toEqual({ valid: false, reason: 'CHAIN_BROKEN' });
  });

  test.each([
    ['a moved position', 'LEAF_MISMATCH', (p: QueueProof, s: SignedSnapshot) => ({ p: { ...p, leaf: { ...p.leaf, position: 5 } }, s })],
    ['another entry id', 'PATH_INVALID', (p: QueueProof, s: SignedSnapshot) => ({ p: { ...p, leaf: { ...p.leaf, entryId: randomUUID() } }, s })],
    ['a changed path', 'PATH_INVALID', (p: QueueProof, s: SignedSnapshot) => ({ p: { ...p, path: p.path.map((h, i) => (i === 1 ? 'a'.repeat(64) : h)) }, s })],
    ['a proof of another snapshot', 'SNAPSHOT_MISMATCH', (p: QueueProof, s: SignedSnapshot) => ({ p: { ...p, seq: 1 }, s })],
    ['a statement changed after signing', 'SIGNATURE_INVALID', (p: QueueProof, s: SignedSnapshot) => ({ p, s: { ...s, statement: { ...s.statement, treeSize: 36 } } })],
    ['a malformed proof', 'MALFORMED_PROOF', (p: QueueProof, s: SignedSnapshot) => ({ p: { ...p, path: 'x' }, s })],
    ['a malformed snapshot', 'MALFORMED_SNAPSHOT', (p: QueueProof, s: SignedSnapshot) => ({ p, s: { ...s, statement: { ...s.statement, rootHash: 'zz' } } })],
  ] as const)('%s → {"valid": false, "reason": "%s"}, exit 1', (_name, reason, tamper) => {
    const { p, s } = tamper(proofOf(second.snap, second.tree, leaves, 20), second.snap);
    const r = hpc('verify-queue-proof', write('s.json', s), write('p.json', p), '--ca', ca());
    expect(r.status).toBe(1);
    expect(r.json).toEqual({ valid: false, reason });
    expectNoStackTrace(r);
  });

  test('a snapshot signed by a key the trust anchors do not know: SIGNER_UNTRUSTED', async () => {
    const other = await developmentSystemSigner(join(dir, 'key2'), join(dir, 'ca2'));
    const s = { ...second.snap, signature: other.sign(Buffer.from(canonicalJson(second.snap.statement), 'utf8')) };
    const r = hpc('verify-queue-proof', write('s2.json', s), write('p2.json', proofOf(second.snap, second.tree, leaves, 3)), '--ca', ca());
    expect(r.json).toEqual({ valid: false, reason: 'SIGNER_UNTRUSTED' });
    expect(r.status).toBe(1);
  });

  test('unreadable or non-JSON input: a JSON error naming the argument, exit 1', () => {
    const missing = hpc('verify-queue-proof', join(dir, 'nope.json'), join(dir, 'nope2.json'));
    expect(missing.status).toBe(1);
    expect(missing.json).toMatchObject({ error: { code: 'FILE_NOT_READABLE', field: 'snapshot' } });
    const notJson = hpc('verify-queue-proof', write('bad.json', '{not json'), write('p3.json', {}), '--ca', ca());
    expect(notJson.status).toBe(1);
    expect(notJson.json).toMatchObject({ error: { code: 'BAD_JSON', field: 'snapshot' } });
    expectNoStackTrace(notJson);
    const noArgs = hpc('verify-queue-proof');
    expect(noArgs.status).toBe(1);
    expectNoStackTrace(noArgs);
  });

  test('leaf bytes are the canonical JSON (RFC 8785) of the leaf', () => {
    for (const l of leaves) expect(Buffer.from(leafBytes(l)).toString('utf8')).toBe(canonicalJson(l));
    expect(leaves.length * HASH_SIZE).toBe(N * 32);
  });
});
