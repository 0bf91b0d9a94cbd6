/**
 * Verification of a signed document (application, consent, hearing position, decision): the same
 * pipeline as sign-in (auth.ts) — CMS, content digest, signature, signing time, chain to the trust
 * store and revocation at the signing time — but with the SIGN key (nonRepudiation; NCA SIGN keys
 * carry digitalSignature + nonRepudiation and the emailProtection EKU) instead of the AUTH key, and
 * with the signer bound to who acts:
 *   PERSON: an individual's certificate whose IIN is the acting person's (applicant or representative);
 *   STAFF:  an employee of the provider (OU=BIN<provider>) whose IIN the caller resolves to the
 *           acting staff member (the staff registry maps IINs to staff ids);
 *   SYSTEM: the provider's own signing certificate (OU=BIN<provider>), for automated decisions.
 * The same function re-verifies a stored signature later, with `at` = the instant it was received.
 */
import { validateIin } from '../../domain/iin';
import type { SubjectType } from './certificate';
import { checkCmsSignature, verifyCertificateAt } from './cms';
import { pkiReason, type PkiReason } from './reasons';
import type { RevocationChecker } from './revocation';
import type { TrustStore } from './trust-store';
import type { SignatureVerifier } from './verifier';

/** Document-specific refusals, in the shape of reasons.ts. */
export type DocumentReasonCode = 'NOT_SIGN_KEY' | 'SIGNER_NOT_ACTOR' | 'NOT_SYSTEM_CERTIFICATE';
export interface DocumentReason {
  code: DocumentReasonCode;
  kk: string;
  ru: string;
  en: string;
  details?: Record<string, string | number | boolean>;
}
export type DocumentSignatureFailure = PkiReason | DocumentReason;

const DOCUMENT_TEXTS: Record<DocumentReasonCode, Omit<DocumentReason, 'code' | 'details'>> = {
  NOT_SIGN_KEY: {
    kk: 'Құжатқа аутентификация кілтімен емес, қол қою кілтімен (RSA256_… / GOST512_…) қол қойыңыз',
    ru: 'Подпишите документ ключом подписи (RSA256_… / GOST512_…), а не ключом аутентификации',
    en: 'Sign the document with the signing key (RSA256_… / GOST512_…), not the authentication key',
  },
  SIGNER_NOT_ACTOR: {
    kk: 'Құжатқа әрекет етуші тұлғаның өзі қол қоюы керек: сертификаттағы ЖСН сәйкес келмейді',
    ru: 'Документ должен подписать сам действующий человек: ИИН в сертификате не совпадает',
    en: 'The document must be signed by the person acting: the IIN in the certificate does not match',
  },
  NOT_SYSTEM_CERTIFICATE: {
    kk: 'Автоматты шешімге берушінің жүйелік сертификатымен қол қойылмаған',
    ru: 'Автоматическое решение подписано не системным сертификатом предоставителя',
    en: "The automated decision is not signed with the provider's system certificate",
  },
};

export function documentReason(code: DocumentReasonCode, details?: DocumentReason['details']): DocumentReason {
  return { code, ...DOCUMENT_TEXTS[code], ...(details === undefined ? {} : { details }) };
}

export type ExpectedSigner =
  | { kind: 'PERSON'; iin: string }
  /** The IIN of the acting staff member, when known; else `resolveStaff` decides after the check. */
  | { kind: 'STAFF'; providerBin: string; iin?: string }
  | { kind: 'SYSTEM'; providerBin: string };

export interface DocumentSigner {
  iin?: string;
  bin?: string;
  commonName: string;
  subjectType: SubjectType;
  certificateSerial: string;
  signingTime?: Date;
}

export interface VerifyDocumentRequest {
  cmsBase64: string;
  /** The canonical bytes the server rebuilt (signed-documents.ts). */
  content: Uint8Array;
  expected: ExpectedSigner;
  /** When the server received the signature: the signing time must be close to it. */
  at: Date;
  trust: TrustStore;
  revocation: RevocationChecker;
  verifier?: SignatureVerifier;
  /** Oldest acceptable signing time before `at`; default 10 minutes. */
  maxSigningAgeMs?: number;
  /** Refuse a person's IIN with a wrong check digit (default true; see auth.ts). */
  requireValidIin?: boolean;
}

export type DocumentVerification = { ok: true; signer: DocumentSigner } | { ok: false; failure: DocumentSignatureFailure; signer?: DocumentSigner };

export const DEFAULT_MAX_DOCUMENT_SIGNING_AGE_MS = 10 * 60_000;

/** Verifies a detached CMS over a document's canonical bytes and binds the signer to who acts. */
export async function verifyDocumentSignature(request: VerifyDocumentRequest): Promise<DocumentVerification> {
  const signed = await checkCmsSignature(request.cmsBase64, request.content, {
    verifier: request.verifier,
    now: request.at,
    maxSigningAgeMs: request.maxSigningAgeMs ?? DEFAULT_MAX_DOCUMENT_SIGNING_AGE_MS,
  });
  if (!signed.ok) return { ok: false, failure: signed.reason };
  const cert = signed.certificate.parsed;
  const signer: DocumentSigner = {
    ...(cert.iin === undefined ? {} : { iin: cert.iin }),
    ...(cert.bin === undefined ? {} : { bin: cert.bin }),
    commonName: cert.commonName,
    subjectType: cert.subjectType,
    certificateSerial: cert.serialNumber,
    ...(signed.signingTime ? { signingTime: signed.signingTime } : {}),
  };
  const fail = (failure: DocumentSignatureFailure): DocumentVerification => ({ ok: false, failure, signer });

  // The SIGN key: nonRepudiation (the AUTH key has digitalSignature + keyEncipherment only).
  if (!cert.keyUsage.includes('nonRepudiation')) return fail(documentReason('NOT_SIGN_KEY'));

  const { expected } = request;
  if (expected.kind === 'PERSON') {
    if (cert.subjectType !== 'INDIVIDUAL' || cert.bin !== undefined) return fail(pkiReason('NOT_INDIVIDUAL', { subjectType: cert.subjectType }));
    if (cert.iin === undefined) return fail(pkiReason('NO_IIN'));
    if (request.requireValidIin !== false) {
      const iin = validateIin(cert.iin);
      if (!iin.valid) return fail(pkiReason('INVALID_IIN', { check: iin.reason.code }));
    }
    if (cert.iin !== expected.iin) return fail(documentReason('SIGNER_NOT_ACTOR'));
  } else {
    if (!cert.subjectType.startsWith('ORGANIZATION_')) {
      return fail(expected.kind === 'SYSTEM' ? documentReason('NOT_SYSTEM_CERTIFICATE') : pkiReason('NOT_ORGANIZATION_EMPLOYEE', { subjectType: cert.subjectType }));
    }
    if (cert.bin !== expected.providerBin) return fail(pkiReason('BIN_MISMATCH', { bin: cert.bin ?? '' }));
    if (expected.kind === 'STAFF') {
      if (cert.iin === undefined) return fail(pkiReason('NO_IIN'));
      if (expected.iin !== undefined && cert.iin !== expected.iin) return fail(documentReason('SIGNER_NOT_ACTOR'));
    }
  }

  const at = signed.signingTime ?? request.at;
  const refused = await verifyCertificateAt(signed.certificate, signed.others, at, request);
  if (refused) return fail(refused);
  return { ok: true, signer };
}
