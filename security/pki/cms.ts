/**
 * Detached CMS (PKCS#7 SignedData) signatures, as NCALayer makes them
 * (`kz.gov.pki.knca.basics` `sign`, format 'cms', encapsulate false), and the canonical form of
 * the documents people sign.
 *
 * Verification order: read the CMS → find the signer's certificate → the content's digest equals
 * the signed messageDigest → the signature over the signed attributes → the signing time is
 * plausible → the certificate chain at the signing time → revocation at the signing time.
 * Each failure is one reason code (reasons.ts).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { NcaCertificate, type CertificateInput, type ParsedCertificate } from './certificate';
import { verifyChain } from './chain';
import { bytesEqual, decodeBase64, looksLikePem, pemBlocks } from './der';
import { CMS } from './oids';
import { pkiReason, type PkiReason } from './reasons';
import { revocationFailure, type RevocationChecker } from './revocation';
import type { TrustStore } from './trust-store';
import { defaultVerifier, type SignatureVerifier, type VerifyOutcome } from './verifier';

export type CmsVerification =
  | { valid: true; reason?: undefined; signer: ParsedCertificate; signingTime?: string; certificate: NcaCertificate }
  | { valid: false; reason: PkiReason; signer?: ParsedCertificate; signingTime?: string; certificate?: NcaCertificate };

export interface CmsSignatureOptions {
  /** The signer's certificate when the CMS does not carry it. */
  signerCertificate?: CertificateInput;
  verifier?: SignatureVerifier;
  /** The current time (the signing time may not be later); default now. */
  now?: Date;
  /** Refuse a signing time older than this before `now` (sign-in: a few minutes). */
  maxSigningAgeMs?: number;
  /** Tolerated clock difference with the signer's computer; default 5 minutes. */
  clockSkewMs?: number;
}

export interface CmsVerifyOptions extends CmsSignatureOptions {
  trust: TrustStore;
  revocation: RevocationChecker;
  /**
   * The instant at which the certificate must be valid and not revoked. Default: the signed
   * signing time, else `now`. A stored signature is re-verified at the time it was received.
   */
  at?: Date;
}

/** What the signature itself proves, before any trust decision (see checkCmsSignature). */
export type CmsSignatureCheck =
  | { ok: true; certificate: NcaCertificate; others: NcaCertificate[]; signingTime?: Date }
  | { ok: false; reason: PkiReason; certificate?: NcaCertificate; signingTime?: Date };

function cmsDer(cms: Uint8Array | string): Uint8Array | undefined {
  if (typeof cms !== 'string') {
    if (!looksLikePem(cms)) return cms;
    cms = Buffer.from(cms).toString('latin1');
  }
  if (cms.includes('-----BEGIN')) return pemBlocks(cms).find((b) => ['CMS', 'PKCS7', 'SIGNED DATA'].includes(b.label))?.der;
  return decodeBase64(cms);
}

function attribute(info: pkijs.SignerInfo, oid: string): unknown[] | undefined {
  return info.signedAttrs?.attributes.find((a) => a.type === oid)?.values;
}

function signatureFailure(outcome: Exclude<VerifyOutcome, { result: 'VALID' }>, verifier: SignatureVerifier): PkiReason {
  if (outcome.result === 'INVALID') return pkiReason('BAD_SIGNATURE');
  if (outcome.result === 'UNSUPPORTED') return pkiReason('SIGNATURE_ALGORITHM_UNSUPPORTED', { verifier: verifier.name, message: outcome.message });
  return pkiReason('VERIFIER_UNAVAILABLE', { verifier: verifier.name, message: outcome.message });
}

/** The signer's certificate: given, or the one in the CMS that the signer identifier names. */
function findSigner(info: pkijs.SignerInfo, certs: NcaCertificate[]): NcaCertificate | undefined {
  const sid: unknown = info.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const serial = sid.serialNumber.valueBlock.valueHexView;
    return certs.find((c) => c.asn.issuer.isEqual(sid.issuer) && bytesEqual(c.serialBytes, serial));
  }
  // [0] SubjectKeyIdentifier (CMS version 3).
  if (sid instanceof asn1js.Primitive || sid instanceof asn1js.Constructed) {
    const raw = sid instanceof asn1js.Primitive ? sid.valueBlock.valueHexView : undefined;
    if (raw === undefined) return undefined;
    const hex = Buffer.from(raw).toString('hex');
    return certs.find((c) => c.details.subjectKeyId === hex);
  }
  return undefined;
}

/**
 * Checks what the CMS itself proves: that the holder of the certificate's key signed exactly
 * `content`, and when they say they did. No trust decision: the chain and revocation are not
 * looked at (verifyDetachedCms does that).
 */
export async function checkCmsSignature(
  cms: Uint8Array | string,
  content: Uint8Array,
  options: CmsSignatureOptions = {},
): Promise<CmsSignatureCheck> {
  const verifier = options.verifier ?? defaultVerifier;
  const der = cmsDer(cms);
  if (der === undefined) return { ok: false, reason: pkiReason('BAD_CMS', { message: 'neither base64 nor PEM' }) };
  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(der);
    if (info.contentType !== CMS.signedData) return { ok: false, reason: pkiReason('BAD_CMS', { message: 'not SignedData' }) };
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    return { ok: false, reason: pkiReason('BAD_CMS', { message: err instanceof Error ? err.message : String(err) }) };
  }
  if (signed.signerInfos.length !== 1) {
    return { ok: false, reason: pkiReason('BAD_CMS', { message: `expected one signer, found ${signed.signerInfos.length}` }) };
  }
  const [info] = signed.signerInfos;
  let certs: NcaCertificate[];
  let given: NcaCertificate | undefined;
  try {
    certs = (signed.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => NcaCertificate.from(new Uint8Array(c.toSchema().toBER(false))));
    given = options.signerCertificate === undefined ? undefined : NcaCertificate.from(options.signerCertificate);
  } catch (err) {
    return { ok: false, reason: pkiReason('BAD_CERTIFICATE', { message: err instanceof Error ? err.message : String(err) }) };
  }
  const certificate = findSigner(info, given ? [given, ...certs] : certs);
  if (!certificate) return { ok: false, reason: pkiReason('SIGNER_CERT_MISSING') };
  const others = certs.filter((c) => c.fingerprint !== certificate.fingerprint);

  // An encapsulated copy of the content (encapsulate: true) must be the content expected.
  const eContent = signed.encapContentInfo.eContent;
  if (eContent && !bytesEqual(new Uint8Array(eContent.getValue()), content)) {
    return { ok: false, reason: pkiReason('CONTENT_MISMATCH', { message: 'the encapsulated content differs' }), certificate };
  }

  const digestAlgorithm = info.digestAlgorithm.algorithmId;
  let signedBytes: Uint8Array;
  let signingTime: Date | undefined;
  if (info.signedAttrs) {
    const [contentType] = attribute(info, CMS.contentType) ?? [];
    if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== signed.encapContentInfo.eContentType) {
      return { ok: false, reason: pkiReason('BAD_CMS', { message: 'the contentType attribute is missing or wrong' }), certificate };
    }
    const [messageDigest] = attribute(info, CMS.messageDigest) ?? [];
    if (!(messageDigest instanceof asn1js.OctetString)) {
      return { ok: false, reason: pkiReason('BAD_CMS', { message: 'no messageDigest attribute' }), certificate };
    }
    const [time] = attribute(info, CMS.signingTime) ?? [];
    if (time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime) signingTime = time.toDate();
    const digest = await verifier.digest(digestAlgorithm, content);
    if (digest.result !== 'OK') {
      const reason =
        digest.result === 'UNSUPPORTED'
          ? pkiReason('SIGNATURE_ALGORITHM_UNSUPPORTED', { verifier: verifier.name, message: digest.message })
          : pkiReason('VERIFIER_UNAVAILABLE', { verifier: verifier.name, message: digest.message });
      return { ok: false, reason, certificate, signingTime };
    }
    if (!bytesEqual(digest.digest, messageDigest.valueBlock.valueHexView)) {
      return { ok: false, reason: pkiReason('CONTENT_MISMATCH'), certificate, signingTime };
    }
    // RFC 5652 §5.4: the signature covers the attributes' DER with the SET OF tag, not [0].
    signedBytes = new Uint8Array(info.signedAttrs.encodedValue.slice(0));
    signedBytes[0] = 0x31;
  } else {
    signedBytes = content;
  }
  const outcome = await verifier.verify({
    signatureAlgorithm: info.signatureAlgorithm.algorithmId,
    digestAlgorithm,
    publicKeyInfo: certificate.publicKeyInfo,
    data: signedBytes,
    signature: info.signature.valueBlock.valueHexView,
  });
  if (outcome.result !== 'VALID') return { ok: false, reason: signatureFailure(outcome, verifier), certificate, signingTime };

  if (signingTime) {
    const now = (options.now ?? new Date()).getTime();
    const skew = options.clockSkewMs ?? 5 * 60_000;
    const tooOld = options.maxSigningAgeMs !== undefined && signingTime.getTime() < now - options.maxSigningAgeMs - skew;
    if (signingTime.getTime() > now + skew || tooOld) {
      return {
        ok: false,
        reason: pkiReason('SIGNING_TIME_INVALID', { signingTime: signingTime.toISOString(), now: new Date(now).toISOString() }),
        certificate,
        signingTime,
      };
    }
  }
  return { ok: true, certificate, others, ...(signingTime ? { signingTime } : {}) };
}

/**
 * Verifies a detached CMS over `content` completely: the signature, the signer's certificate
 * chain to the trust store and its revocation status, both at the signing time (or `at`).
 */
export async function verifyDetachedCms(
  cms: Uint8Array | string,
  content: Uint8Array,
  options: CmsVerifyOptions,
): Promise<CmsVerification> {
  const checked = await checkCmsSignature(cms, content, options);
  const signingTime = checked.signingTime?.toISOString();
  const known = {
    ...(checked.certificate ? { signer: checked.certificate.parsed, certificate: checked.certificate } : {}),
    ...(signingTime === undefined ? {} : { signingTime }),
  };
  if (!checked.ok) return { valid: false, reason: checked.reason, ...known };
  const at = options.at ?? checked.signingTime ?? options.now ?? new Date();
  const trusted = await verifyCertificateAt(checked.certificate, checked.others, at, options);
  if (trusted) return { valid: false, reason: trusted, ...known };
  return { valid: true, signer: checked.certificate.parsed, certificate: checked.certificate, ...(signingTime === undefined ? {} : { signingTime }) };
}

/** Chain and revocation of a signer's certificate at an instant; the refusal, or undefined. */
export async function verifyCertificateAt(
  certificate: NcaCertificate,
  intermediates: readonly NcaCertificate[],
  at: Date,
  options: { trust: TrustStore; revocation: RevocationChecker; verifier?: SignatureVerifier },
): Promise<PkiReason | undefined> {
  const chain = await verifyChain(certificate, intermediates, options.trust, at, {
    verifier: options.verifier,
    leafKeyUsage: ['digitalSignature'],
  });
  if (!chain.valid) return chain.reason ?? pkiReason('UNTRUSTED_ISSUER');
  const [leaf, issuer] = chain.certificates ?? [];
  // A trust anchor used directly as the signer has no issuer to ask about it.
  if (leaf === undefined || issuer === undefined) return undefined;
  return revocationFailure(await options.revocation.check(leaf, issuer, at));
}

// --- canonical documents -------------------------------------------------------------------

export class CanonicalFormError extends TypeError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'CanonicalFormError';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_DEPTH = 64;

function canonical(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new CanonicalFormError('nested too deeply', path);
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalFormError('not a finite number', path);
    // ECMAScript number serialisation is what RFC 8785 (JCS) prescribes.
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new CanonicalFormError('not well-formed Unicode', path);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v, i) => canonical(v, `${path}[${i}]`, depth + 1)).join(',')}]`;
  }
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new CanonicalFormError('only plain objects, arrays, strings, numbers, booleans and null can be signed', path);
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // Default sort compares UTF-16 code units, as JCS requires.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${canonical(k, path, depth + 1)}:${canonical(v, `${path}.${k}`, depth + 1)}`).join(',')}}`;
  }
  throw new CanonicalFormError(`a ${typeof value} cannot be signed`, path);
}

/**
 * The canonical JSON text of a document (RFC 8785 style: keys sorted by UTF-16 code units, no
 * whitespace, ECMAScript number form; properties whose value is undefined are left out, as in
 * JSON). Dates, Maps, class instances, BigInts, NaN and lone surrogates are refused rather than
 * silently converted: what is signed must be exactly what is stored.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, '$', 0);
}

/** The bytes that are signed for a document (application, consent, hearing position, decision): UTF-8 of canonicalJson. */
export function canonicalDocument(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalJson(value), 'utf8'));
}
