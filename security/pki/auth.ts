/**
 * EDS sign-in: the check the API runs on the answer to its challenge (docs/eds.md).
 *
 * 1. The server issues a one-time nonce (newSignInNonce) and remembers it with an expiry.
 * 2. The browser asks NCALayer to sign it: `kz.gov.pki.knca.basics` `sign`, format 'cms',
 *    data = the nonce (base64), signingParams {decode: true, encapsulate: false},
 *    signerParams {extKeyUsageOids: ['1.3.6.1.5.5.7.3.2']} (AUTH keys only).
 * 3. The server consumes the nonce (once, atomically: that part is the API's) and calls
 *    verifySignIn, which requires: the signed content is exactly the nonce; a valid signature;
 *    the AUTH key (clientAuth); for citizens an individual's certificate (1.2.398.3.3.4.1.1),
 *    for staff an organisation employee's certificate with OU=BIN equal to the provider's BIN; an
 *    IIN in SERIALNUMBER; validity at the signing time, a chain to the trust store, and an OCSP
 *    (or CRL) status of good.
 * The identity comes from the certificate only; nothing the client says about itself is used.
 */
import { randomBytes } from 'node:crypto';
import { validateIin } from '../../domain/iin';
import type { SubjectType } from './certificate';
import { checkCmsSignature, verifyCertificateAt } from './cms';
import { decodeBase64 } from './der';
import { EKU } from './oids';
import { pkiReason, type PkiReason } from './reasons';
import type { RevocationChecker } from './revocation';
import type { TrustStore } from './trust-store';
import type { SignatureVerifier } from './verifier';

export type SignInPurpose = 'CITIZEN' | 'STAFF';

export interface SignInRequest {
  /** NCALayer's result: the base64 CMS. */
  cmsBase64: string;
  /** The challenge the server issued (base64, as made by newSignInNonce); its bytes are what is signed. */
  nonce: string;
  /** When the server received the answer; the signing time must be close to it. */
  at: Date;
  purpose: SignInPurpose;
  /** The provider's BIN; required for STAFF. */
  providerBin?: string;
  trust: TrustStore;
  revocation: RevocationChecker;
  verifier?: SignatureVerifier;
  /**
   * Refuse an IIN with a wrong check digit (default true). NCA's test certificates carry
   * 123456789011, which fails it on purpose; only a test trust store may turn this off.
   */
  requireValidIin?: boolean;
  /** Oldest acceptable signing time before `at`; default 10 minutes (a nonce's lifetime). */
  maxSigningAgeMs?: number;
}

export interface SignInIdentity {
  iin: string;
  bin?: string;
  subjectType: SubjectType;
  commonName: string;
  /** Hex serial of the AUTH certificate (for the audit log and sessions). */
  certificateSerial: string;
}

export type SignInResult = { ok: true; identity: SignInIdentity } | { ok: false; failure: PkiReason };

const DEFAULT_MAX_SIGNING_AGE_MS = 10 * 60_000;

/** A fresh challenge: 32 random bytes, base64 (the `data` the browser hands NCALayer). */
export function newSignInNonce(): string {
  return randomBytes(32).toString('base64');
}

const fail = (failure: PkiReason): SignInResult => ({ ok: false, failure });

/** Verifies a sign-in answer; a refusal is `{ok: false, failure}` with one reason code. */
export async function verifySignIn(request: SignInRequest): Promise<SignInResult> {
  const expected = decodeBase64(request.nonce);
  if (expected === undefined) throw new TypeError('the nonce must be the base64 string the server issued');
  if (request.purpose === 'STAFF' && !/^\d{12}$/.test(request.providerBin ?? '')) {
    throw new TypeError('a STAFF sign-in needs the provider BIN (12 digits)');
  }

  const signed = await checkCmsSignature(request.cmsBase64, expected, {
    verifier: request.verifier,
    now: request.at,
    maxSigningAgeMs: request.maxSigningAgeMs ?? DEFAULT_MAX_SIGNING_AGE_MS,
  });
  if (!signed.ok) {
    return fail(signed.reason.code === 'CONTENT_MISMATCH' ? pkiReason('NONCE_MISMATCH') : signed.reason);
  }
  const cert = signed.certificate.parsed;

  if (!cert.extKeyUsage.includes(EKU.clientAuth)) return fail(pkiReason('NOT_AUTH_KEY'));
  if (request.purpose === 'CITIZEN') {
    if (cert.subjectType !== 'INDIVIDUAL' || cert.bin !== undefined) return fail(pkiReason('NOT_INDIVIDUAL', { subjectType: cert.subjectType }));
  } else {
    if (!cert.subjectType.startsWith('ORGANIZATION_')) return fail(pkiReason('NOT_ORGANIZATION_EMPLOYEE', { subjectType: cert.subjectType }));
    if (cert.bin !== request.providerBin) return fail(pkiReason('BIN_MISMATCH', { bin: cert.bin ?? '' }));
  }
  if (cert.iin === undefined) return fail(pkiReason('NO_IIN'));
  if (request.requireValidIin !== false) {
    const iin = validateIin(cert.iin);
    if (!iin.valid) return fail(pkiReason('INVALID_IIN', { check: iin.reason.code }));
  }

  const at = signed.signingTime ?? request.at;
  const refused = await verifyCertificateAt(signed.certificate, signed.others, at, request);
  if (refused) return fail(refused);

  return {
    ok: true,
    identity: {
      iin: cert.iin,
      ...(cert.bin === undefined ? {} : { bin: cert.bin }),
      subjectType: cert.subjectType,
      commonName: cert.commonName,
      certificateSerial: cert.serialNumber,
    },
  };
}
