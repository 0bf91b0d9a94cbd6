/**
 * Checking a published queue snapshot and a person's inclusion proof offline (issue #11 §4;
 * `hpc verify-queue-proof`): the provider's signature over the snapshot's statement (a detached
 * CMS by an organisation's SIGN certificate whose BIN is the statement's, chained to a trusted CA
 * at the signing time; revocation is not asked offline), the proof naming that snapshot, the leaf
 * standing at its position, the path leading to the signed root (RFC 9162) and — given the
 * previous snapshot — the chain: the statement signs the previous snapshot's root.
 */
import { leafBytes, type QueueProof, type SignedSnapshot } from '../domain/queue-snapshot';
import { leafHash, rootFromInclusionProof } from './merkle';
import type { NcaCertificate } from './pki/certificate';
import { verifyChain } from './pki/chain';
import { canonicalJson, checkCmsSignature } from './pki/cms';

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

const HEX32 = /^[0-9a-f]{64}$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function wellFormedSnapshot(s: unknown): s is SignedSnapshot {
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

function wellFormedProof(p: unknown): p is QueueProof {
  if (!isObj(p) || p.type !== 'HPC_QUEUE_PROOF' || p.version !== 1 || !isObj(p.leaf) || !Array.isArray(p.path)) return false;
  if (!p.path.every((h) => typeof h === 'string' && HEX32.test(h))) return false;
  try {
    leafBytes(p.leaf as unknown as QueueProof['leaf']);
  } catch {
    return false;
  }
  return Number.isSafeInteger(p.leafIndex) && Number.isSafeInteger(p.seq) && Number.isSafeInteger(p.treeSize) && typeof p.rootHash === 'string';
}

/** The snapshot's signature: valid CMS, the provider's organisation certificate, a trusted chain. */
async function checkSignature(s: SignedSnapshot, anchors: readonly NcaCertificate[]): Promise<ProofFailure | null> {
  const content = Buffer.from(canonicalJson(s.statement), 'utf8');
  const signed = await checkCmsSignature(s.signature, content);
  if (!signed.ok) return 'SIGNATURE_INVALID';
  const cert = signed.certificate.parsed;
  if (!cert.subjectType.startsWith('ORGANIZATION_') || cert.bin !== s.statement.providerBin || !cert.keyUsage.includes('nonRepudiation')) {
    return 'SIGNER_NOT_PROVIDER';
  }
  const at = signed.signingTime ?? new Date(Date.parse(s.statement.snapshotAt));
  const chain = await verifyChain(signed.certificate, signed.others, anchors, at, { leafKeyUsage: ['digitalSignature'] });
  return chain.valid ? null : 'SIGNER_UNTRUSTED';
}

export async function verifyQueueProof(
  snapshot: unknown,
  proof: unknown,
  opts: { anchors: readonly NcaCertificate[]; previous?: unknown },
): Promise<ProofResult> {
  const no = (reason: ProofFailure): ProofResult => ({ valid: false, reason });
  if (!wellFormedSnapshot(snapshot)) return no('MALFORMED_SNAPSHOT');
  if (!wellFormedProof(proof)) return no('MALFORMED_PROOF');
  const signature = await checkSignature(snapshot, opts.anchors);
  if (signature) return no(signature);
  const st = snapshot.statement;
  if (
    proof.kato !== st.kato ||
    proof.category !== st.category ||
    proof.seq !== st.seq ||
    proof.treeSize !== st.treeSize ||
    proof.rootHash !== st.rootHash ||
    proof.snapshotAt !== st.snapshotAt
  ) {
    return no('SNAPSHOT_MISMATCH');
  }
  if (proof.leaf.kato !== st.kato || proof.leaf.category !== st.category || proof.leaf.position !== proof.leafIndex + 1) return no('LEAF_MISMATCH');
  const root = rootFromInclusionProof(
    proof.leafIndex,
    st.treeSize,
    leafHash(leafBytes(proof.leaf)),
    proof.path.map((h) => Buffer.from(h, 'hex')),
  );
  if (!root || root.toString('hex') !== st.rootHash) return no('PATH_INVALID');
  if (opts.previous !== undefined) {
    const prev = opts.previous;
    if (!wellFormedSnapshot(prev)) return no('MALFORMED_SNAPSHOT');
    if (await checkSignature(prev, opts.anchors)) return no('CHAIN_BROKEN');
    const p = prev.statement;
    if (p.kato !== st.kato || p.category !== st.category || p.seq !== st.previousSeq || p.rootHash !== st.previousRootHash) return no('CHAIN_BROKEN');
  }
  return { valid: true, kato: st.kato, ...(st.category ? { category: st.category } : {}), position: proof.leaf.position, snapshotAt: st.snapshotAt };
}
