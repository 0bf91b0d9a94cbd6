/**
 * Certificate path validation (a practical subset of RFC 5280 §6 for NCA's two-level PKI):
 * builds a path from the leaf through the candidate intermediates to a trust anchor, checks every
 * signature through the pluggable SignatureVerifier, the validity of every certificate at the
 * given instant, that every issuer is a CA allowed to sign certificates (basicConstraints,
 * keyUsage, pathLenConstraint), and that no certificate carries an unknown critical extension.
 *
 * Policy mapping and name constraints are not processed: NCA does not use them, and a
 * certificate that marks them critical is refused as an unknown critical extension.
 * Revocation is a separate step (revocation.ts), since it needs the network.
 */
import { NcaCertificate, type CertificateInput, type ParsedCertificate } from './certificate';
import { pkiReason, type PkiReason } from './reasons';
import { trustStoreOf, type TrustStore } from './trust-store';
import { defaultVerifier, type SignatureVerifier, type VerifyOutcome } from './verifier';

export interface ChainOptions {
  /** Default: DefaultSignatureVerifier (RSA/ECDSA in-process, GOST unsupported). */
  verifier?: SignatureVerifier;
  /** Key usage bits the leaf must have, e.g. ['digitalSignature']. */
  leafKeyUsage?: readonly string[];
  /** Longest path considered, leaf and anchor included; default 8. */
  maxDepth?: number;
}

export interface ChainResult {
  valid: boolean;
  reason?: PkiReason;
  /** Leaf first, trust anchor last, when a path was found (also when a later check failed). */
  path?: ParsedCertificate[];
  /** The same path as certificates, for revocation checks. */
  certificates?: NcaCertificate[];
}

type Built = { ok: true; path: NcaCertificate[] } | { ok: false; reason: PkiReason };

/**
 * How a reason names a certificate: a CA by its name, a person's certificate by its serial only,
 * so that reasons (which end up in logs and API answers) carry no names or IINs.
 */
function label(cert: NcaCertificate): string {
  return cert.details.isCa ? cert.parsed.subject : `serial ${cert.parsed.serialNumber}`;
}

function signatureFailure(outcome: Exclude<VerifyOutcome, { result: 'VALID' }>, cert: NcaCertificate, verifier: SignatureVerifier): PkiReason {
  const subject = label(cert);
  switch (outcome.result) {
    case 'INVALID':
      return pkiReason('BAD_CERTIFICATE_SIGNATURE', { certificate: subject });
    case 'UNSUPPORTED':
      return pkiReason('SIGNATURE_ALGORITHM_UNSUPPORTED', {
        certificate: subject,
        algorithm: cert.details.signatureAlgorithmOid,
        verifier: verifier.name,
        message: outcome.message,
      });
    case 'ERROR':
      return pkiReason('VERIFIER_UNAVAILABLE', { certificate: subject, verifier: verifier.name, message: outcome.message });
  }
}

/** The more useful of two failures: anything specific beats "no trusted issuer". */
function better(a: PkiReason | undefined, b: PkiReason): PkiReason {
  if (a === undefined) return b;
  return a.code === 'UNTRUSTED_ISSUER' && b.code !== 'UNTRUSTED_ISSUER' ? b : a;
}

async function buildPath(
  current: NcaCertificate,
  below: NcaCertificate[],
  anchors: readonly NcaCertificate[],
  candidates: readonly NcaCertificate[],
  verifier: SignatureVerifier,
  maxDepth: number,
): Promise<Built> {
  const path = [...below, current];
  if (anchors.some((a) => a.fingerprint === current.fingerprint)) return { ok: true, path };
  if (path.length >= maxDepth) return { ok: false, reason: pkiReason('PATH_TOO_LONG', { maxDepth }) };
  const used = new Set(path.map((c) => c.fingerprint));
  // Anchors first: the shortest path to trust wins over a detour through a cross-certificate.
  const issuers = [
    ...anchors.filter((a) => current.isIssuedBy(a)),
    ...candidates.filter((c) => !used.has(c.fingerprint) && current.isIssuedBy(c)),
  ];
  let failure: PkiReason | undefined;
  for (const issuer of issuers) {
    const outcome = await verifier.verify({
      signatureAlgorithm: current.details.signatureAlgorithmOid,
      publicKeyInfo: issuer.publicKeyInfo,
      data: current.tbs,
      signature: current.signature,
    });
    if (outcome.result !== 'VALID') {
      failure = better(failure, signatureFailure(outcome, current, verifier));
      continue;
    }
    const rest = await buildPath(issuer, path, anchors, candidates, verifier, maxDepth);
    if (rest.ok) return rest;
    failure = better(failure, rest.reason);
  }
  return {
    ok: false,
    reason: failure ?? pkiReason('UNTRUSTED_ISSUER', { certificate: label(current), issuer: current.parsed.issuer }),
  };
}

function checkPath(path: NcaCertificate[], at: Date, opts: ChainOptions): PkiReason | undefined {
  for (const cert of path) {
    const [unknown] = cert.details.unknownCriticalExtensions;
    if (unknown !== undefined) return pkiReason('UNKNOWN_CRITICAL_EXTENSION', { certificate: label(cert), extension: unknown });
  }
  const [leaf, ...issuers] = path;
  if (at.getTime() < leaf.notBefore.getTime()) {
    return pkiReason('CERT_NOT_YET_VALID', { notBefore: leaf.parsed.notBefore, at: at.toISOString() });
  }
  if (at.getTime() > leaf.notAfter.getTime()) {
    return pkiReason('CERT_EXPIRED', { notAfter: leaf.parsed.notAfter, at: at.toISOString() });
  }
  for (const ca of issuers) {
    if (!ca.isValidAt(at)) {
      return pkiReason('ISSUER_NOT_VALID', {
        certificate: label(ca),
        notBefore: ca.parsed.notBefore,
        notAfter: ca.parsed.notAfter,
        at: at.toISOString(),
      });
    }
  }
  for (let i = 0; i < issuers.length; i++) {
    const ca = issuers[i];
    if (!ca.details.isCa) return pkiReason('ISSUER_NOT_CA', { certificate: label(ca), missing: 'basicConstraints cA' });
    if (ca.parsed.keyUsage.length > 0 && !ca.parsed.keyUsage.includes('keyCertSign')) {
      return pkiReason('ISSUER_NOT_CA', { certificate: label(ca), missing: 'keyUsage keyCertSign' });
    }
    // RFC 5280 §4.2.1.9: intermediate CAs below this one (self-issued ones do not count).
    const intermediatesBelow = issuers.slice(0, i).filter((c) => !c.details.selfIssued).length;
    const limit = ca.details.pathLenConstraint;
    if (limit !== undefined && intermediatesBelow > limit) {
      return pkiReason('PATH_TOO_LONG', { certificate: label(ca), pathLenConstraint: limit });
    }
  }
  const missing = (opts.leafKeyUsage ?? []).filter((u) => !leaf.parsed.keyUsage.includes(u));
  if (missing.length > 0) return pkiReason('KEY_USAGE_NOT_ALLOWED', { missing: missing.join(',') });
  return undefined;
}

/**
 * Validates `leaf` at instant `at` against the trust store, using `candidates` as possible
 * intermediates (e.g. the certificates that came inside a CMS). Never throws for a bad
 * certificate: an unreadable one is `{valid: false, reason: BAD_CERTIFICATE}`.
 */
export async function verifyChain(
  leaf: CertificateInput,
  candidates: readonly CertificateInput[],
  trustStore: TrustStore | readonly CertificateInput[],
  at: Date,
  opts: ChainOptions = {},
): Promise<ChainResult> {
  let leafCert: NcaCertificate;
  let candidateCerts: NcaCertificate[];
  let store: TrustStore;
  try {
    leafCert = NcaCertificate.from(leaf);
    candidateCerts = candidates.map((c) => NcaCertificate.from(c));
    store = isTrustStore(trustStore) ? trustStore : trustStoreOf(trustStore);
  } catch (err) {
    return { valid: false, reason: pkiReason('BAD_CERTIFICATE', { message: err instanceof Error ? err.message : String(err) }) };
  }
  const verifier = opts.verifier ?? defaultVerifier;
  const built = await buildPath(leafCert, [], store.anchors, candidateCerts, verifier, opts.maxDepth ?? 8);
  if (!built.ok) return { valid: false, reason: built.reason };
  const path = built.path.map((c) => c.parsed);
  const failure = checkPath(built.path, at, opts);
  if (failure) return { valid: false, reason: failure, path, certificates: built.path };
  return { valid: true, path, certificates: built.path };
}

function isTrustStore(value: TrustStore | readonly CertificateInput[]): value is TrustStore {
  return !Array.isArray(value) && typeof value === 'object' && value !== null && 'anchors' in value;
}
