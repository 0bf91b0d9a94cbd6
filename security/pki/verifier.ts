/**
 * Signature verification behind one interface, so that the algorithms Node.js does not implement
 * (NCA's GOST 34.310-2004 and GOST 34.10-2015) can be handed to an external service without
 * touching chain, CMS or OCSP code.
 *
 * - DefaultSignatureVerifier: RSA (PKCS#1 v1.5 with SHA-256/384/512) and ECDSA, in-process with
 *   node:crypto; everything else, GOST included, is reported UNSUPPORTED with a clear message.
 * - HttpGostVerifier: sends GOST checks to a configurable HTTP service (contract in docs/eds.md)
 *   and everything else to a fallback verifier. Not used unless configured.
 */
import { createHash, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { ALG, isGostOid } from './oids';

export interface SignatureCheck {
  /** OID of the signature algorithm as written next to the signature. */
  signatureAlgorithm: string;
  /**
   * OID of the digest when the signature algorithm names only the key type (CMS signer infos
   * often say rsaEncryption and put the hash in digestAlgorithm).
   */
  digestAlgorithm?: string;
  /** DER SubjectPublicKeyInfo of the key that supposedly signed. */
  publicKeyInfo: Uint8Array;
  /** The exact signed bytes (a TBSCertificate, CMS signed attributes, OCSP ResponseData, ...). */
  data: Uint8Array;
  /** The signature value. */
  signature: Uint8Array;
}

export type VerifyOutcome =
  | { result: 'VALID' }
  | { result: 'INVALID' }
  | { result: 'UNSUPPORTED'; message: string }
  | { result: 'ERROR'; message: string };

export type DigestOutcome =
  | { result: 'OK'; digest: Uint8Array }
  | { result: 'UNSUPPORTED'; message: string }
  | { result: 'ERROR'; message: string };

export interface SignatureVerifier {
  /** For logs and reasons, e.g. 'default' or 'http-gost'. */
  readonly name: string;
  verify(check: SignatureCheck): Promise<VerifyOutcome>;
  /** A message digest (CMS messageDigest is computed with the signer's digest algorithm). */
  digest(algorithm: string, data: Uint8Array): Promise<DigestOutcome>;
}

const HASH_BY_DIGEST_OID: Readonly<Record<string, string>> = {
  [ALG.sha256]: 'sha256',
  [ALG.sha384]: 'sha384',
  [ALG.sha512]: 'sha512',
};

/** Signature algorithm OID → [key type, node hash]. SHA-1 signatures are refused as too weak. */
const SIGNATURES: Readonly<Record<string, readonly ['rsa' | 'ec', string]>> = {
  [ALG.sha256WithRsa]: ['rsa', 'sha256'],
  [ALG.sha384WithRsa]: ['rsa', 'sha384'],
  [ALG.sha512WithRsa]: ['rsa', 'sha512'],
  [ALG.ecdsaWithSha256]: ['ec', 'sha256'],
  [ALG.ecdsaWithSha384]: ['ec', 'sha384'],
  [ALG.ecdsaWithSha512]: ['ec', 'sha512'],
};

function unsupported(oid: string): { result: 'UNSUPPORTED'; message: string } {
  return {
    result: 'UNSUPPORTED',
    message: isGostOid(oid)
      ? `GOST algorithm ${oid} is unsupported by the default verifier; configure an external GOST verifier (docs/eds.md)`
      : `algorithm ${oid} is unsupported`,
  };
}

/** The signature scheme of a check: [key type, hash], or the OID that could not be resolved. */
function scheme(check: SignatureCheck): readonly ['rsa' | 'ec', string] | string {
  const direct = SIGNATURES[check.signatureAlgorithm];
  if (direct) return direct;
  if (check.signatureAlgorithm === ALG.rsaEncryption || check.signatureAlgorithm === ALG.ecPublicKey) {
    const digest = check.digestAlgorithm;
    if (digest === undefined) return check.signatureAlgorithm;
    const hash = HASH_BY_DIGEST_OID[digest];
    if (hash === undefined) return digest;
    return [check.signatureAlgorithm === ALG.rsaEncryption ? 'rsa' : 'ec', hash];
  }
  return check.signatureAlgorithm;
}

/** RSA and ECDSA in-process; GOST and anything else is UNSUPPORTED. */
export class DefaultSignatureVerifier implements SignatureVerifier {
  readonly name = 'default';

  async verify(check: SignatureCheck): Promise<VerifyOutcome> {
    const s = scheme(check);
    if (typeof s === 'string') return unsupported(s);
    const [keyType, hash] = s;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Buffer.from(check.publicKeyInfo), format: 'der', type: 'spki' });
    } catch {
      // A key node cannot read (a GOST key under an RSA algorithm label, or garbage) cannot have made it.
      return { result: 'INVALID' };
    }
    if (key.asymmetricKeyType !== keyType) return { result: 'INVALID' };
    try {
      return nodeVerify(hash, check.data, key, check.signature) ? { result: 'VALID' } : { result: 'INVALID' };
    } catch {
      return { result: 'INVALID' };
    }
  }

  async digest(algorithm: string, data: Uint8Array): Promise<DigestOutcome> {
    const hash = HASH_BY_DIGEST_OID[algorithm];
    if (hash === undefined) return unsupported(algorithm);
    return { result: 'OK', digest: new Uint8Array(createHash(hash).update(data).digest()) };
  }
}

export const defaultVerifier: SignatureVerifier = new DefaultSignatureVerifier();

export interface HttpGostVerifierOptions {
  /** Base URL of the service, e.g. `http://gost-verifier.internal:8080/v1`. */
  baseUrl: string;
  /** Per-request timeout; default 5 s. */
  timeoutMs?: number;
  /** Extra headers, e.g. an Authorization token for the service. */
  headers?: Record<string, string>;
  /** Used for every non-GOST algorithm; default DefaultSignatureVerifier. */
  fallback?: SignatureVerifier;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * Adapter for an external GOST verification service (for example a small service around NCA's
 * Kalkan library, or NCANode). Contract, documented in docs/eds.md:
 *   POST {baseUrl}/verify  {signatureAlgorithm, digestAlgorithm?, publicKeyInfo, data, signature}
 *        (byte fields base64) → 200 {"valid": boolean}
 *   POST {baseUrl}/digest  {algorithm, data} → 200 {"digest": base64}
 * Any other answer, a timeout or a network error is ERROR (never VALID).
 */
export class HttpGostVerifier implements SignatureVerifier {
  readonly name = 'http-gost';
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly fallback: SignatureVerifier;
  private readonly fetchImpl: typeof fetch;

  constructor(options: HttpGostVerifierOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.headers = options.headers ?? {};
    this.fallback = options.fallback ?? defaultVerifier;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async verify(check: SignatureCheck): Promise<VerifyOutcome> {
    const gost = isGostOid(check.signatureAlgorithm) || (check.digestAlgorithm !== undefined && isGostOid(check.digestAlgorithm));
    if (!gost) return this.fallback.verify(check);
    const answer = await this.post('verify', {
      signatureAlgorithm: check.signatureAlgorithm,
      ...(check.digestAlgorithm === undefined ? {} : { digestAlgorithm: check.digestAlgorithm }),
      publicKeyInfo: b64(check.publicKeyInfo),
      data: b64(check.data),
      signature: b64(check.signature),
    });
    if ('error' in answer) return { result: 'ERROR', message: answer.error };
    const valid = (answer.body as { valid?: unknown }).valid;
    if (typeof valid !== 'boolean') return { result: 'ERROR', message: 'GOST verifier answered without a boolean "valid"' };
    return valid ? { result: 'VALID' } : { result: 'INVALID' };
  }

  async digest(algorithm: string, data: Uint8Array): Promise<DigestOutcome> {
    if (!isGostOid(algorithm)) return this.fallback.digest(algorithm, data);
    const answer = await this.post('digest', { algorithm, data: b64(data) });
    if ('error' in answer) return { result: 'ERROR', message: answer.error };
    const digest = (answer.body as { digest?: unknown }).digest;
    if (typeof digest !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(digest)) {
      return { result: 'ERROR', message: 'GOST verifier answered without a base64 "digest"' };
    }
    return { result: 'OK', digest: new Uint8Array(Buffer.from(digest, 'base64')) };
  }

  private async post(path: string, body: unknown): Promise<{ body: unknown } | { error: string }> {
    try {
      const res = await this.fetchImpl(`${this.baseUrl}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) return { error: `GOST verifier answered HTTP ${res.status}` };
      const json: unknown = await res.json();
      if (typeof json !== 'object' || json === null) return { error: 'GOST verifier answered with no JSON object' };
      return { body: json };
    } catch (err) {
      return { error: `GOST verifier unreachable: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
