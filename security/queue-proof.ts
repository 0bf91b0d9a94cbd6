/**
 * Checking a published queue snapshot and a person's inclusion proof offline (issue #11 §4;
 * `hpc verify-queue-proof`): the provider's signature over the snapshot's statement (a detached
 * CMS by an organisation's SIGN certificate whose BIN is the statement's, chained to a trusted CA
 * at the signing time; revocation is not asked offline), the proof naming that snapshot, the leaf
 * standing at its position, the path leading to the signed root (RFC 9162) and — given the
 * previous snapshot — the chain: the statement signs the previous snapshot's root.
 */
import { createHash } from 'node:crypto';
import { checkInclusion, validResult, wellFormedProof, wellFormedSnapshot, type ProofFailure, type ProofResult, type Sha256 } from '../domain/queue-proof-check';
import type { SignedSnapshot } from '../domain/queue-snapshot';
import type { NcaCertificate } from './pki/certificate';
import { verifyChain } from './pki/chain';
import { canonicalJson, checkCmsSignature } from './pki/cms';

export type { ProofFailure, ProofResult };

const sha256: Sha256 = async (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

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
  // The proof, the leaf and the path: the same check the citizen's browser runs.
  const inclusion = await checkInclusion(st, proof, sha256);
  if (inclusion) return no(inclusion);
  if (opts.previous !== undefined) {
    const prev = opts.previous;
    if (!wellFormedSnapshot(prev)) return no('MALFORMED_SNAPSHOT');
    if (await checkSignature(prev, opts.anchors)) return no('CHAIN_BROKEN');
    const p = prev.statement;
    if (p.kato !== st.kato || p.category !== st.category || p.seq !== st.previousSeq || p.rootHash !== st.previousRootHash) return no('CHAIN_BROKEN');
  }
  return validResult(st, proof);
}
