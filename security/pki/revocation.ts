/**
 * Revocation: is a certificate revoked at a given instant?
 *
 * - OcspClient: RFC 6960 over HTTP (`POST`, `application/ocsp-request`) to the URL in the
 *   certificate's Authority Information Access, or a configured one. The answer must be signed by
 *   the issuing CA itself or by a responder certificate the CA issued for OCSP signing, must answer
 *   for exactly this certificate, echo our nonce and be current.
 * - CrlChecker: a CRL from the certificate's CRL distribution point (or a configured source),
 *   signed by the issuer and not stale. Delta CRLs are not read.
 * - FallbackRevocationChecker: asks each checker in turn until one gives an answer (OCSP, then
 *   the CRL when the responder cannot be reached).
 *
 * A certificate revoked after the instant asked about was good then: a signature made before the
 * revocation stays valid (the instant is the signing time, which the caller has vouched for).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { NcaCertificate } from './certificate';
import { bytesEqual, looksLikePem, pemBlocks, toHex } from './der';
import { ALG, EKU, EXT, OCSP } from './oids';
import { pkiReason, type PkiReason } from './reasons';
import { defaultVerifier, type SignatureVerifier } from './verifier';

export type RevocationSource = 'OCSP' | 'CRL';

export type RevocationStatus =
  | { status: 'GOOD'; source: RevocationSource }
  | { status: 'REVOKED'; source: RevocationSource; revokedAt: string; reason?: string }
  | { status: 'UNKNOWN'; source: RevocationSource }
  | { status: 'ERROR'; message: string };

export interface RevocationChecker {
  /** The status of `certificate` (issued by `issuer`) at instant `at`. Never throws. */
  check(certificate: NcaCertificate, issuer: NcaCertificate, at: Date): Promise<RevocationStatus>;
}

/** The refusal a status means, or undefined for GOOD. */
export function revocationFailure(status: RevocationStatus): PkiReason | undefined {
  switch (status.status) {
    case 'GOOD':
      return undefined;
    case 'REVOKED':
      return pkiReason('CERT_REVOKED', { revokedAt: status.revokedAt, source: status.source, ...(status.reason ? { reason: status.reason } : {}) });
    case 'UNKNOWN':
      return pkiReason('REVOCATION_UNKNOWN', { source: status.source });
    case 'ERROR':
      return pkiReason('REVOCATION_UNAVAILABLE', { message: status.message });
  }
}

/** RFC 5280 §5.3.1 reason codes, by value. */
export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type CrlReason = (typeof CRL_REASONS)[number];

// --- OCSP CertID ------------------------------------------------------------------------------

const CERT_ID_HASHES: Readonly<Record<string, string>> = { [ALG.sha1]: 'sha1', [ALG.sha256]: 'sha256' };

function hash(algorithm: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}

/** The DER of the issuer's subject name, as hashed in a CertID. */
function issuerNameDer(issuer: NcaCertificate): Uint8Array {
  return new Uint8Array(issuer.asn.subject.toSchema().toBER(false));
}

/** The issuer's public key bits (the BIT STRING value, without tag and length), as hashed in a CertID. */
export function publicKeyBits(cert: NcaCertificate): Uint8Array {
  return cert.asn.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
}

/** The CertID of `certificate` (SHA-1 by default, what every responder understands). */
export function certIdFor(certificate: NcaCertificate, issuer: NcaCertificate, hashOid: string = ALG.sha1): pkijs.CertID {
  const name = CERT_ID_HASHES[hashOid];
  if (name === undefined) throw new RangeError(`unsupported CertID hash ${hashOid}`);
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: hashOid, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: hash(name, issuerNameDer(issuer)) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: hash(name, publicKeyBits(issuer)) }),
    serialNumber: new asn1js.Integer({ valueHex: certificate.serialBytes }),
  });
}

/**
 * Whether a CertID names a certificate of `issuer`; with `serial`, also that serial. Used by the
 * client to match answers and by the sandbox responder to recognise its CA.
 */
export function certIdMatches(id: pkijs.CertID, issuer: NcaCertificate, serial?: Uint8Array): boolean {
  const name = CERT_ID_HASHES[id.hashAlgorithm.algorithmId];
  if (name === undefined) return false;
  if (!bytesEqual(id.issuerNameHash.valueBlock.valueHexView, hash(name, issuerNameDer(issuer)))) return false;
  if (!bytesEqual(id.issuerKeyHash.valueBlock.valueHexView, hash(name, publicKeyBits(issuer)))) return false;
  return serial === undefined || sameSerial(id.serialNumber.valueBlock.valueHexView, serial);
}

/** Serial numbers compare as integers: a leading 0x00 sign byte does not count. */
export function sameSerial(a: Uint8Array, b: Uint8Array): boolean {
  const strip = (x: Uint8Array): Uint8Array => (x.length > 1 && x[0] === 0 ? x.subarray(1) : x);
  return bytesEqual(strip(a), strip(b));
}

/** Builds a DER OCSPRequest for one certificate, with a nonce extension when one is given. */
export function buildOcspRequest(certificate: NcaCertificate, issuer: NcaCertificate, nonce?: Uint8Array): Uint8Array {
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [new pkijs.Request({ reqCert: certIdFor(certificate, issuer) })];
  if (nonce) {
    request.tbsRequest.requestExtensions = [
      new pkijs.Extension({ extnID: EXT.ocspNonce, critical: false, extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false) }),
    ];
  }
  return new Uint8Array(request.toSchema(true).toBER(false));
}

/** The nonce of an OCSP request or response extension list (the OCTET STRING's content). */
export function nonceOf(extensions: pkijs.Extension[] | undefined): Uint8Array | undefined {
  const ext = extensions?.find((e) => e.extnID === EXT.ocspNonce);
  if (!ext) return undefined;
  const inner = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  // RFC 8954 wraps the nonce in an OCTET STRING; some responders put the raw bytes.
  return inner.offset !== -1 && inner.result instanceof asn1js.OctetString
    ? inner.result.valueBlock.valueHexView
    : ext.extnValue.valueBlock.valueHexView;
}

// --- OCSP client -------------------------------------------------------------------------------

export type OcspTransport = (url: string, request: Uint8Array) => Promise<Uint8Array>;

export interface OcspClientOptions {
  /** Responder URL for every certificate; default: the certificate's AIA OCSP URL. */
  url?: string;
  verifier?: SignatureVerifier;
  /** How the request travels; default HTTP POST with fetch. Tests plug a responder in directly. */
  transport?: OcspTransport;
  timeoutMs?: number;
  /** Clock for freshness checks; default the real one. */
  now?: () => Date;
  /** Tolerated clock difference with the responder; default 5 minutes. */
  clockSkewMs?: number;
  /** Send a nonce and require it back (default true; replayed answers are then impossible). */
  nonce?: boolean;
}

export class OcspError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcspError';
  }
}

/** RFC 6960 §4.2.1 OCSPResponseStatus values other than successful. */
const RESPONSE_STATUS: Readonly<Record<number, string>> = {
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

export function httpOcspTransport(timeoutMs = 10_000): OcspTransport {
  return async (url, request) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
      body: request,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new OcspError(`OCSP responder answered HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

export class OcspClient implements RevocationChecker {
  private readonly verifier: SignatureVerifier;
  private readonly transport: OcspTransport;
  private readonly now: () => Date;
  private readonly skew: number;

  constructor(private readonly options: OcspClientOptions = {}) {
    this.verifier = options.verifier ?? defaultVerifier;
    this.transport = options.transport ?? httpOcspTransport(options.timeoutMs);
    this.now = options.now ?? (() => new Date());
    this.skew = options.clockSkewMs ?? 5 * 60_000;
  }

  async check(certificate: NcaCertificate, issuer: NcaCertificate, at: Date): Promise<RevocationStatus> {
    const url = this.options.url ?? certificate.details.ocspUrls[0];
    if (url === undefined) return { status: 'ERROR', message: 'the certificate names no OCSP responder' };
    const nonce = this.options.nonce === false ? undefined : new Uint8Array(randomBytes(16));
    try {
      const answer = await this.transport(url, buildOcspRequest(certificate, issuer, nonce));
      return await this.interpret(answer, certificate, issuer, at, nonce);
    } catch (err) {
      return { status: 'ERROR', message: err instanceof Error ? err.message : String(err) };
    }
  }

  private async interpret(
    der: Uint8Array,
    certificate: NcaCertificate,
    issuer: NcaCertificate,
    at: Date,
    nonce: Uint8Array | undefined,
  ): Promise<RevocationStatus> {
    let response: pkijs.OCSPResponse;
    let basic: pkijs.BasicOCSPResponse;
    try {
      response = pkijs.OCSPResponse.fromBER(der);
    } catch {
      throw new OcspError('the OCSP answer is not an OCSPResponse');
    }
    const status = response.responseStatus.valueBlock.valueDec;
    if (status !== 0) throw new OcspError(`OCSP responder refused: ${RESPONSE_STATUS[status] ?? status}`);
    if (!response.responseBytes || response.responseBytes.responseType !== OCSP.basic) {
      throw new OcspError('the OCSP answer is not a basic response');
    }
    try {
      basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
    } catch {
      throw new OcspError('the basic OCSP response cannot be read');
    }
    const data = basic.tbsResponseData;
    const signer = await this.responderCertificate(basic, issuer);
    const signature = await this.verifier.verify({
      signatureAlgorithm: basic.signatureAlgorithm.algorithmId,
      publicKeyInfo: signer.publicKeyInfo,
      data: data.tbsView,
      signature: basic.signature.valueBlock.valueHexView,
    });
    if (signature.result !== 'VALID') {
      throw new OcspError(`the OCSP answer's signature is ${signature.result === 'INVALID' ? 'invalid' : signature.message}`);
    }
    if (nonce) {
      const echoed = nonceOf(data.responseExtensions);
      if (!echoed || !bytesEqual(echoed, nonce)) throw new OcspError('the OCSP answer does not carry our nonce');
    }
    const single = data.responses.find((r) => certIdMatches(r.certID, issuer, certificate.serialBytes));
    if (!single) throw new OcspError('the OCSP answer is about another certificate');
    const now = this.now().getTime();
    if (single.thisUpdate.getTime() > now + this.skew) throw new OcspError('the OCSP answer is from the future');
    if (single.nextUpdate && single.nextUpdate.getTime() < now - this.skew) throw new OcspError('the OCSP answer is stale');
    return singleStatus(single, at);
  }

  /**
   * The certificate that signed the answer: the CA itself, or a delegated responder the CA issued
   * with the OCSP-signing EKU (RFC 6960 §4.2.2.2), matched to the responder ID.
   */
  private async responderCertificate(basic: pkijs.BasicOCSPResponse, issuer: NcaCertificate): Promise<NcaCertificate> {
    const id: unknown = basic.tbsResponseData.responderID;
    const matchesId = (cert: NcaCertificate): boolean => {
      if (id instanceof pkijs.RelativeDistinguishedNames) return id.isEqual(cert.asn.subject);
      if (id instanceof asn1js.OctetString) return bytesEqual(id.valueBlock.valueHexView, hash('sha1', publicKeyBits(cert)));
      return false;
    };
    if (matchesId(issuer)) return issuer;
    for (const raw of basic.certs ?? []) {
      const cert = NcaCertificate.from(new Uint8Array(raw.toSchema().toBER(false)));
      if (!matchesId(cert) || !cert.isIssuedBy(issuer)) continue;
      if (!cert.parsed.extKeyUsage.includes(EKU.ocspSigning)) throw new OcspError('the OCSP responder certificate is not for OCSP signing');
      if (!cert.isValidAt(this.now())) throw new OcspError('the OCSP responder certificate is not valid now');
      const issued = await this.verifier.verify({
        signatureAlgorithm: cert.details.signatureAlgorithmOid,
        publicKeyInfo: issuer.publicKeyInfo,
        data: cert.tbs,
        signature: cert.signature,
      });
      if (issued.result !== 'VALID') throw new OcspError('the OCSP responder certificate was not issued by the CA');
      return cert;
    }
    throw new OcspError('the OCSP answer was signed by neither the CA nor a responder it authorised');
  }
}

function singleStatus(single: pkijs.SingleResponse, at: Date): RevocationStatus {
  const status: unknown = single.certStatus;
  const tag = status instanceof asn1js.BaseBlock ? status.idBlock.tagNumber : -1;
  if (tag === 0) return { status: 'GOOD', source: 'OCSP' };
  if (tag === 2) return { status: 'UNKNOWN', source: 'OCSP' };
  if (tag !== 1) throw new OcspError('the OCSP answer has an unreadable certificate status');
  // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
  const parts = status instanceof asn1js.Constructed ? status.valueBlock.value : [];
  const time = parts[0];
  if (!(time instanceof asn1js.GeneralizedTime)) throw new OcspError('the OCSP answer has no revocation time');
  const revokedAt = time.toDate();
  if (revokedAt.getTime() > at.getTime()) return { status: 'GOOD', source: 'OCSP' };
  const reasonBlock = parts[1] instanceof asn1js.Constructed ? parts[1].valueBlock.value[0] : undefined;
  const reason = reasonBlock instanceof asn1js.Enumerated ? CRL_REASONS[reasonBlock.valueBlock.valueDec] : undefined;
  return { status: 'REVOKED', source: 'OCSP', revokedAt: revokedAt.toISOString(), ...(reason ? { reason } : {}) };
}

// --- CRL ---------------------------------------------------------------------------------------

export interface CrlSource {
  /** The DER (or PEM) bytes of the CRL at `url`. */
  fetchCrl(url: string): Promise<Uint8Array>;
}

export const httpCrlSource = (timeoutMs = 15_000): CrlSource => ({
  async fetchCrl(url) {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`CRL download answered HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  },
});

export interface CrlCheckerOptions {
  source?: CrlSource;
  /** CRL URL for every certificate; default the certificate's CRL distribution point. */
  url?: string;
  verifier?: SignatureVerifier;
  now?: () => Date;
  clockSkewMs?: number;
}

export class CrlChecker implements RevocationChecker {
  private readonly cache = new Map<string, { crl: pkijs.CertificateRevocationList; issuer: string; until: number }>();
  private readonly source: CrlSource;
  private readonly verifier: SignatureVerifier;
  private readonly now: () => Date;
  private readonly skew: number;

  constructor(private readonly options: CrlCheckerOptions = {}) {
    this.source = options.source ?? httpCrlSource();
    this.verifier = options.verifier ?? defaultVerifier;
    this.now = options.now ?? (() => new Date());
    this.skew = options.clockSkewMs ?? 5 * 60_000;
  }

  async check(certificate: NcaCertificate, issuer: NcaCertificate, at: Date): Promise<RevocationStatus> {
    const url = this.options.url ?? certificate.details.crlUrls[0];
    if (url === undefined) return { status: 'ERROR', message: 'the certificate names no CRL distribution point' };
    try {
      const crl = await this.load(url, issuer);
      const entry = crl.revokedCertificates?.find((r) => sameSerial(r.userCertificate.valueBlock.valueHexView, certificate.serialBytes));
      if (!entry || entry.revocationDate.value.getTime() > at.getTime()) return { status: 'GOOD', source: 'CRL' };
      return { status: 'REVOKED', source: 'CRL', revokedAt: entry.revocationDate.value.toISOString() };
    } catch (err) {
      return { status: 'ERROR', message: err instanceof Error ? err.message : String(err) };
    }
  }

  private async load(url: string, issuer: NcaCertificate): Promise<pkijs.CertificateRevocationList> {
    const now = this.now().getTime();
    const cached = this.cache.get(url);
    if (cached && cached.issuer === issuer.fingerprint && cached.until > now) return cached.crl;
    const bytes = await this.source.fetchCrl(url);
    const der = looksLikePem(bytes) ? pemBlocks(Buffer.from(bytes).toString('latin1')).find((b) => b.label === 'X509 CRL')?.der : bytes;
    if (der === undefined) throw new Error('the CRL file has no X509 CRL block');
    let crl: pkijs.CertificateRevocationList;
    try {
      crl = pkijs.CertificateRevocationList.fromBER(der);
    } catch {
      throw new Error('the CRL cannot be read');
    }
    if (!crl.issuer.isEqual(issuer.asn.subject)) throw new Error('the CRL was issued by another CA');
    const signature = await this.verifier.verify({
      signatureAlgorithm: crl.signatureAlgorithm.algorithmId,
      publicKeyInfo: issuer.publicKeyInfo,
      data: crl.tbsView,
      signature: crl.signatureValue.valueBlock.valueHexView,
    });
    if (signature.result !== 'VALID') throw new Error(`the CRL's signature is ${signature.result === 'INVALID' ? 'invalid' : signature.message}`);
    if (crl.thisUpdate.value.getTime() > now + this.skew) throw new Error('the CRL is from the future');
    const next = crl.nextUpdate?.value.getTime();
    if (next !== undefined && next < now - this.skew) throw new Error('the CRL is stale');
    this.cache.set(url, { crl, issuer: issuer.fingerprint, until: next ?? now + 60 * 60_000 });
    return crl;
  }
}

/** Asks each checker in turn; the first answer other than ERROR wins (OCSP first, then CRL). */
export class FallbackRevocationChecker implements RevocationChecker {
  private readonly checkers: readonly RevocationChecker[];

  constructor(...checkers: RevocationChecker[]) {
    this.checkers = checkers;
  }

  async check(certificate: NcaCertificate, issuer: NcaCertificate, at: Date): Promise<RevocationStatus> {
    const errors: string[] = [];
    for (const checker of this.checkers) {
      const status = await checker.check(certificate, issuer, at);
      if (status.status !== 'ERROR') return status;
      errors.push(status.message);
    }
    return { status: 'ERROR', message: errors.join('; ') || 'no revocation checker configured' };
  }
}

/** Serial number hex of a CertID, for logs and the sandbox responder. */
export function certIdSerialHex(id: pkijs.CertID): string {
  const bytes = id.serialNumber.valueBlock.valueHexView;
  return toHex(bytes.length > 1 && bytes[0] === 0 ? bytes.subarray(1) : bytes);
}
