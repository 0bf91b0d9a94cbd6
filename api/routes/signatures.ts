/**
 * Signed documents in the API (docs/eds.md "Signed documents"; R5, R13, R17):
 *
 *   POST /v1/applications/sign-request      the canonical form of an application to sign (not stored)
 *   POST /v1/applications/:id/sign-request  the canonical form of a position, a consent or (officer)
 *                                           the hearing's decision, for this case (not stored)
 *   GET  /v1/applications/:id/signature     the application's signature, verified again now
 *   GET  /v1/applications/:id/signatures    every signed document of the case, each verified again
 *
 * The flow: the client asks for the canonical form, hands its bytes (`data`, base64) to NCALayer
 * with the SIGN key (detached CMS), and sends the CMS as `signature` with the request itself. The
 * server never uses the client's copy of the form: it rebuilds it from the request it received and
 * verifies the CMS over that (signed-documents.ts, document-signature.ts), then stores the
 * canonical text and the CMS in the same transaction as the document.
 *
 * When a signature is required: always for a caller signed in by EDS (a session) — a session
 * citizen cannot skip it; with the development header X-HPC-Actor only when
 * HPC_REQUIRE_SIGNATURES=1 (a signature that is sent is verified either way).
 */
import type { Request, Response } from 'express';
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { toAlmatyIso } from '../../domain/time';
import { COMPLAINT_SUBJECTS, type ComplaintSubject } from '../../domain/complaints/procedure';
import type { AuthSettings } from '../auth/config';
import { findStaffMember } from '../auth/staff';
import { caseForActor, caseForParty, isPartyOf, procedureStateOf, type ApplicationRow } from '../cases';
import { ApiError, apiError, invalidCaseAction, parseOrThrow, type LocalizedMessage } from '../errors';
import { checkAction } from '../../domain/procedure/actions';
import {
  applicationSignature,
  caseSignedDocuments,
  currentHearingSeq,
  findDecision,
  storeSignedDocument as storeSigned,
  type SignedDocumentInput,
  type SignedDocumentRow as DbSignedDocumentRow,
} from '../../db/cases';
import type { ApiDeps } from '../http';
import { actorOf, actorRef, isStaff, type Actor } from '../identity';
import { authoriseSubject } from '../auth/authorise';
import { applicationIdParams, createApplicationBody, idempotencyKeySchema, type CreateApplicationBody } from '../schemas';
import {
  applicationDocument,
  canonicalFormOf,
  complaintDocument,
  consentDocument,
  decisionDocument,
  positionDocument,
  SIGNED_DOCUMENT_TYPES,
  type CanonicalForm,
  type DecisionDocument,
  type SignedDocument,
  type SignedDocumentType,
} from '../../security/pki/signed-documents';
import {
  DEFAULT_MAX_DOCUMENT_SIGNING_AGE_MS,
  verifyDocumentSignature,
  type DocumentSignatureFailure,
  type DocumentSigner,
  type ExpectedSigner,
} from '../../security/pki/document-signature';
import { NO_POSITION_REASONING } from '../../workflows/contract';
import { checkPersonBlock } from '../services/person-registry';
import { withdrawableEntry, withdrawalDocumentOf } from './withdrawal';
import { EKU } from '../../security/pki/oids';

const iso = (d: Date): string => toAlmatyIso(d.getTime());

export const SIGNATURE_FIELD = 'signature';

const SIGNATURE_MESSAGES = {
  SIGNATURE_REQUIRED: {
    kk: 'Құжатқа ЭЦҚ-мен қол қою керек: signature өрісінде NCALayer берген CMS (base64) жіберіңіз',
    ru: 'Документ нужно подписать ЭЦП: передайте в поле signature CMS (base64), полученную от NCALayer',
    en: 'The document must be signed with EDS: send the CMS (base64) NCALayer made in the signature field',
  },
  NOT_SIGNED: {
    kk: 'Бұл құжатқа ЭЦҚ қойылмаған',
    ru: 'Этот документ не подписан ЭЦП',
    en: 'This document carries no EDS signature',
  },
  SIGNING_UNAVAILABLE: {
    kk: 'Қызметкердің ЭЦҚ-сын тексеру мүмкін емес: берушінің БСН-і бапталмаған',
    ru: 'Проверка ЭЦП сотрудника невозможна: БИН предоставителя не настроен',
    en: "Staff signatures cannot be checked: the provider's BIN is not configured",
  },
  DECIDED_AT_INVALID: {
    kk: 'decidedAt қол қою сұрауы берген уақыт болуы керек (соңғы 10 минут ішінде)',
    ru: 'decidedAt должно быть временем из запроса на подпись (за последние 10 минут)',
    en: 'decidedAt must be the instant the sign request gave (within the last 10 minutes)',
  },
  STAFF_SIGNER_UNKNOWN: {
    kk: 'Қол қойған қызметкер тіркелімде бұл лауазымды тұлға ретінде жоқ',
    ru: 'Подписавший сотрудник не значится в реестре как это должностное лицо',
    en: 'The signing employee is not this staff member in the staff registry',
  },
  SIGN_REQUEST_NOT_FOR_ROLE: {
    kk: 'Бұл рөл мұндай құжатқа қол қоймайды',
    ru: 'Эта роль не подписывает такой документ',
    en: 'This role does not sign this kind of document',
  },
} as const satisfies Record<string, LocalizedMessage>;

export function signatureError(status: number, code: keyof typeof SIGNATURE_MESSAGES, field = SIGNATURE_FIELD): ApiError {
  return new ApiError(status, code, SIGNATURE_MESSAGES[code], { field });
}

/** PKI refusals that are the infrastructure's fault: try again later. */
const UNAVAILABLE = new Set<string>(['REVOCATION_UNAVAILABLE', 'VERIFIER_UNAVAILABLE']);

function refusal(failure: DocumentSignatureFailure): ApiError {
  const { code, kk, ru, en } = failure;
  return new ApiError(UNAVAILABLE.has(code) ? 503 : 400, code, { kk, ru, en }, { field: SIGNATURE_FIELD });
}

// ---- schemas ----------------------------------------------------------------------------------

export const caseSignRequestBody = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('position'), text: z.string().min(1).max(5000) }),
    z.strictObject({ action: z.literal('consents'), codes: z.array(z.enum(['C1', 'C2', 'C3', 'C4'])).min(1).max(4) }),
    z.strictObject({ action: z.literal('hearing-outcome'), outcome: z.enum(['REFUSE', 'REGISTER']), reasoning: z.string().min(1).max(5000) }),
    z.strictObject({ action: z.literal('final-refusal') }),
    z.strictObject({ action: z.literal('complaint'), subject: z.enum(COMPLAINT_SUBJECTS), text: z.string().min(1).max(5000) }),
    z.strictObject({ action: z.literal('withdrawal'), reason: z.string().trim().min(1).max(2000) }),
  ])
  .meta({ id: 'CaseSignRequest', description: 'The request the person or officer is about to send, without its signature' });

export const signRequestResponse = z
  .object({
    documentType: z.enum(SIGNED_DOCUMENT_TYPES),
    canonical: z.string().meta({ description: 'The canonical JSON (RFC 8785) that is signed' }),
    sha256: z.string().meta({ description: 'SHA-256 (hex) of its UTF-8 bytes' }),
    data: z.string().meta({ description: 'Its UTF-8 bytes, base64: NCALayer `data` with signingParams {decode: true, encapsulate: false}' }),
    extKeyUsageOids: z.array(z.string()).meta({ description: 'NCALayer signerParams.extKeyUsageOids: the SIGN key' }),
    decidedAt: z.string().optional().meta({ description: 'Hearing outcome only: send it back as `decidedAt` with the signature' }),
  })
  .meta({ id: 'SignRequest' });

const signerView = z.object({
  role: z.string().meta({ description: 'applicant, representative, officer, … or system' }),
  staffId: z.string().optional(),
  iinMasked: z.string().optional().meta({ description: 'The IIN in the certificate, masked' }),
  bin: z.string().optional(),
  commonName: z.string().optional().meta({ description: 'Absent for a person signer when staff read it (role only)' }),
  certificateSerial: z.string(),
});

export const signatureView = z
  .object({
    documentType: z.enum(SIGNED_DOCUMENT_TYPES),
    signedAt: z.string().optional().meta({ description: 'The signing time in the CMS' }),
    receivedAt: z.string(),
    sha256: z.string(),
    signer: signerView,
    valid: z.boolean().meta({ description: 'Verified again now: CMS, content, chain and revocation as of the signing time' }),
    reason: z.object({ code: z.string(), kk: z.string(), ru: z.string(), en: z.string() }).optional(),
    final: z.boolean().optional().meta({ description: 'Decisions: this is the signature of the recorded final decision' }),
    document: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The signed document (the canonical JSON, parsed); for staff with IINs masked and contacts left out' }),
  })
  .meta({ id: 'SignedDocument' });

export const signaturesResponse = z
  .object({ applicationId: z.uuid(), signatures: z.array(signatureView) })
  .meta({ id: 'SignedDocuments' });

// ---- verification and storage -----------------------------------------------------------------

export interface DocumentSigning {
  /** Must this caller's document carry a signature? */
  required(actor: Actor): boolean;
  /** Verifies `cms` over `doc` for `actor`; throws the 4xx/503 ApiError naming `signature`. */
  verify(actor: Actor, doc: SignedDocument, cms: string): Promise<VerifiedDocument>;
  /** Verifies a stored signature again (as of the instant it was received). */
  reverify(row: SignedDocumentRow): Promise<{ valid: boolean; reason?: DocumentSignatureFailure }>;
}

export interface VerifiedDocument {
  doc: SignedDocument;
  form: CanonicalForm;
  cms: string;
  signer: DocumentSigner;
  signerRef: string;
  receivedAt: Date;
}

export interface SigningOptions {
  auth: AuthSettings;
  pool: Pool;
  /** Require signatures of callers named by the development header too (HPC_REQUIRE_SIGNATURES=1; off by default). */
  requireSignatures?: boolean;
}

function expectedFor(actor: Actor, providerBin: string | undefined): ExpectedSigner {
  if (!isStaff(actor)) return { kind: 'PERSON', iin: actor.id };
  if (providerBin === undefined) throw signatureError(503, 'SIGNING_UNAVAILABLE');
  return { kind: 'STAFF', providerBin, ...(actor.iin ? { iin: actor.iin } : {}) };
}

export function documentSigning(options: SigningOptions): DocumentSigning {
  const { auth, pool } = options;
  const devRequired = options.requireSignatures ?? process.env.HPC_REQUIRE_SIGNATURES === '1';
  const checkOptions = () => ({ trust: auth.trust(), revocation: auth.revocation, ...(auth.verifier ? { verifier: auth.verifier } : {}) });

  return {
    required: (actor) => actor.via === 'session' || devRequired,

    async verify(actor, doc, cms) {
      const form = canonicalFormOf(doc);
      const receivedAt = auth.now();
      const result = await verifyDocumentSignature({
        cmsBase64: cms,
        content: form.bytes,
        expected: expectedFor(actor, auth.providerBin),
        at: receivedAt,
        maxSigningAgeMs: DEFAULT_MAX_DOCUMENT_SIGNING_AGE_MS,
        ...checkOptions(),
      });
      if (!result.ok) throw refusal(result.failure);
      if (isStaff(actor)) {
        // The certificate proves an employee of the provider; the registry says which staff member.
        const member = result.signer.iin === undefined ? undefined : await findStaffMember(pool, result.signer.iin);
        if (!member || !member.active || member.staffId !== actor.id || !member.roles.includes(actor.role)) {
          throw signatureError(400, 'STAFF_SIGNER_UNKNOWN');
        }
      }
      return { doc, form, cms, signer: result.signer, signerRef: actorRef(actor), receivedAt };
    },

    async reverify(row) {
      const canonical = Buffer.from(row.canonical, 'utf8');
      const [role, id] = splitRef(row.signer_ref);
      let expected: ExpectedSigner;
      const bin = auth.providerBin ?? row.signer_bin ?? '';
      if (role === 'system') expected = { kind: 'SYSTEM', providerBin: bin };
      else if (role === 'applicant' || role === 'representative') expected = { kind: 'PERSON', iin: id };
      else expected = { kind: 'STAFF', providerBin: bin, ...(row.signer_iin ? { iin: row.signer_iin } : {}) };
      const result = await verifyDocumentSignature({
        cmsBase64: row.cms,
        content: canonical,
        expected,
        // As of when it was received: the signing time had to be close to that instant, and the
        // certificate valid and not revoked at the signing time.
        at: row.received_at,
        maxSigningAgeMs: DEFAULT_MAX_DOCUMENT_SIGNING_AGE_MS,
        ...checkOptions(),
      });
      return result.ok ? { valid: true } : { valid: false, reason: result.failure };
    },
  };
}

function splitRef(ref: string): [string, string] {
  const i = ref.indexOf(':');
  return i < 0 ? [ref, ''] : [ref.slice(0, i), ref.slice(i + 1)];
}

/** A stored signed document, typed by its document type. */
export type SignedDocumentRow = Omit<DbSignedDocumentRow, 'document_type'> & { document_type: SignedDocumentType };

/** The key of a document's row: one application per case; other documents by their content. */
export function documentKeyOf(doc: SignedDocument, form: CanonicalForm): string {
  return doc.documentType === 'APPLICATION' ? 'application' : `${doc.documentType.toLowerCase()}:${form.sha256}`;
}

/** What the database keeps of a verified signature (db/cases/signed-documents.ts). */
export function signedDocumentInput(v: VerifiedDocument): SignedDocumentInput {
  return {
    documentType: v.doc.documentType,
    documentKey: documentKeyOf(v.doc, v.form),
    canonical: v.form.canonical,
    sha256: v.form.sha256,
    cms: v.cms,
    signerRef: v.signerRef,
    signerIin: v.signer.iin ?? null,
    signerBin: v.signer.bin ?? null,
    signerName: v.signer.commonName,
    certificateSerial: v.signer.certificateSerial,
    signingTime: v.signer.signingTime ?? null,
    receivedAt: v.receivedAt,
  };
}

/**
 * Stores a verified signature with its document, in the caller's transaction. The same document
 * again (a retried request) keeps the first row.
 */
export async function storeSignedDocument(tx: PoolClient | Pool, applicationId: string, v: VerifiedDocument): Promise<{ id: number; created: boolean }> {
  return storeSigned(tx, applicationId, signedDocumentInput(v));
}

// ---- the canonical forms the API builds from requests -------------------------------------------

/** The application's form: the submitted body (after defaults), the parties and the Idempotency-Key. */
export function applicationDocumentOf(body: CreateApplicationBody, idempotencyKey: string): SignedDocument {
  return applicationDocument({ ...body, idempotencyKey });
}

export async function positionDocumentOf(pool: Pool, row: ApplicationRow, actor: Actor, text: string): Promise<SignedDocument> {
  return positionDocument({ applicationId: row.id, hearingSeq: await currentHearingSeq(pool, row.id), text, statedBy: actorRef(actor) });
}

/** R18: the complaint as the person signs it, addressed to the provider's head. */
export function complaintDocumentOf(row: ApplicationRow, actor: Actor, subject: ComplaintSubject, text: string): SignedDocument {
  return complaintDocument({ applicationId: row.id, subject, text, filedBy: actorRef(actor) });
}

export function consentDocumentOf(row: ApplicationRow, codes: readonly ('C1' | 'C2' | 'C3' | 'C4')[]): SignedDocument {
  return consentDocument({
    applicationId: row.id,
    applicantIin: row.applicant_iin,
    ...(row.representative_iin ? { representativeIin: row.representative_iin } : {}),
    codes,
  });
}

/**
 * The hearing officer's decision: outcome and reasoning from the request, the grounds and
 * categories from the case record (what the workflow evaluated last and will write), decidedAt =
 * the instant the sign request gave (the officer decides by signing).
 */
export function decisionDocumentOf(
  row: ApplicationRow,
  actor: Actor,
  input: { outcome: 'REFUSE' | 'REGISTER'; reasoning: string; decidedAt: string },
): DecisionDocument {
  const allowed = checkAction(procedureStateOf(row), { role: actor.role }, 'RECORD_HEARING_OUTCOME');
  if (!allowed.allowed) throw invalidCaseAction(allowed.reason);
  return decisionDocument({
    applicationId: row.id,
    outcome: input.outcome === 'REGISTER' ? 'REGISTERED' : 'REFUSED',
    grounds: [...new Set(row.grounds.map((g) => g.id))],
    categories: row.categories ?? { confirmed: [], unconfirmed: [] },
    reasoning: input.reasoning,
    decidedAt: input.decidedAt,
    decidedBy: actorRef(actor),
  });
}

/**
 * R17: the refusal finalised after a hearing without a position, as the authorised officer signs
 * it: the grounds and categories of the case record, the reasoning the workflow records with it.
 */
export function finalRefusalDocumentOf(row: ApplicationRow, actor: Actor, decidedAt: string): DecisionDocument {
  const allowed = checkAction(procedureStateOf(row), { role: actor.role }, 'SIGN_FINAL_REFUSAL');
  if (!allowed.allowed) throw invalidCaseAction(allowed.reason);
  return decisionDocument({
    applicationId: row.id,
    outcome: 'REFUSED',
    grounds: [...new Set(row.grounds.map((g) => g.id))],
    categories: row.categories ?? { confirmed: [], unconfirmed: [] },
    reasoning: NO_POSITION_REASONING,
    decidedAt,
    decidedBy: actorRef(actor),
  });
}

/** decidedAt of a signed hearing outcome: an instant of the last 10 minutes (not in the future). */
export function checkDecidedAt(decidedAt: string, now: Date): void {
  const t = Date.parse(decidedAt);
  const skew = 5 * 60_000;
  if (!Number.isFinite(t) || t > now.getTime() + skew || t < now.getTime() - DEFAULT_MAX_DOCUMENT_SIGNING_AGE_MS - skew) {
    throw signatureError(400, 'DECIDED_AT_INVALID', 'decidedAt');
  }
}

function answerForm(res: Response, doc: SignedDocument, extra: Record<string, string> = {}): void {
  const form = canonicalFormOf(doc);
  res.status(200).json({
    documentType: doc.documentType,
    canonical: form.canonical,
    sha256: form.sha256,
    data: form.data,
    extKeyUsageOids: [EKU.emailProtection],
    ...extra,
  });
}

// ---- handlers ---------------------------------------------------------------------------------

/** POST /v1/applications/sign-request: the application's canonical form (Idempotency-Key required). */
export function applicationSignRequestHandler(deps: Pick<ApiDeps, 'settings'>) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const keyCheck = idempotencyKeySchema.safeParse(req.get('Idempotency-Key'));
    if (!keyCheck.success) throw apiError(400, 'IDEMPOTENCY_KEY_INVALID', { field: 'Idempotency-Key' });
    const { signature: _ignored, ...body } = parseOrThrow(createApplicationBody, req.body);
    await authoriseSubject(actor, { applicantIin: body.applicantIin, representativeIin: body.representativeIin ?? null });
    // A2 (issue #11 §3): the identity block is checked against the registry before it is signed.
    if (body.person) await checkPersonBlock(deps.settings.gatewayUrl, body.person);
    answerForm(res, applicationDocumentOf(body, keyCheck.data));
  };
}

/** POST /v1/applications/:id/sign-request: a position or consents (parties), the decision (officer). */
export function caseSignRequestHandler(deps: ApiDeps, auth: AuthSettings) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForParty(deps.pool, id, actor);
    const body = parseOrThrow(caseSignRequestBody, req.body);
    const staff = isStaff(actor);
    if (staff !== (body.action === 'hearing-outcome' || body.action === 'final-refusal')) throw signatureError(403, 'SIGN_REQUEST_NOT_FOR_ROLE', 'action');
    switch (body.action) {
      case 'position':
        answerForm(res, await positionDocumentOf(deps.pool, row, actor, body.text));
        return;
      case 'consents':
        answerForm(res, consentDocumentOf(row, body.codes));
        return;
      case 'complaint':
        answerForm(res, complaintDocumentOf(row, actor, body.subject, body.text));
        return;
      case 'hearing-outcome': {
        const decidedAt = iso(auth.now());
        answerForm(res, decisionDocumentOf(row, actor, { ...body, decidedAt }), { decidedAt });
        return;
      }
      case 'final-refusal': {
        const decidedAt = iso(auth.now());
        answerForm(res, finalRefusalDocumentOf(row, actor, decidedAt), { decidedAt });
        return;
      }
      case 'withdrawal': {
        // Issue #11 §2: the entry the person is to leave, named in what they sign.
        const placement = await withdrawableEntry(deps, row, actor);
        answerForm(res, withdrawalDocumentOf(row, placement.registrationNumber, actor, body.reason));
        return;
      }
    }
  };
}

function maskIin(iin: string): string {
  return `${iin.slice(0, 2)}${'*'.repeat(8)}${iin.slice(10)}`;
}

/** Keys of a signed document that hold a person's contacts: never shown to staff. */
const CONTACT_KEYS = new Set(['contact', 'mobile', 'phone', 'email']);

/**
 * What staff see of a signed document: the same rule as the case read (api/routes/read.ts) — IINs
 * and contacts only to the case's parties. The signature is verified over the stored text either
 * way; the redaction is of the view only.
 */
export function redactForStaff(value: unknown): unknown {
  if (typeof value === 'string') {
    if (/^\d{12}$/.test(value)) return maskIin(value);
    // A person named as `role:IIN` (a position's statedBy, a withdrawal's withdrawnBy).
    const ref = /^(applicant|representative):(\d{12})$/.exec(value);
    return ref ? `${ref[1]}:${maskIin(ref[2])}` : value;
  }
  if (Array.isArray(value)) return value.map(redactForStaff);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter(([k]) => !CONTACT_KEYS.has(k)).map(([k, v]) => [k, redactForStaff(v)]),
    );
  }
  return value;
}

async function viewOf(
  signing: DocumentSigning,
  r: SignedDocumentRow,
  finalDecisionId: number | null,
  party: boolean,
): Promise<z.input<typeof signatureView>> {
  const [role, id] = splitRef(r.signer_ref);
  const checked = await signing.reverify(r);
  let document: Record<string, unknown> = {};
  try {
    document = JSON.parse(r.canonical) as Record<string, unknown>; // written by canonicalJson
  } catch {
    // Stored text that is no JSON cannot verify either; the view says so through `valid`.
  }
  const personSigner = role === 'applicant' || role === 'representative';
  // Staff see a person signer by role only, as in the timeline.
  const showPerson = party || !personSigner;
  return {
    documentType: r.document_type,
    ...(r.signing_time ? { signedAt: iso(r.signing_time) } : {}),
    receivedAt: iso(r.received_at),
    sha256: r.sha256.trim(),
    signer: {
      role,
      ...(role !== 'system' && !personSigner && id ? { staffId: id } : {}),
      ...(r.signer_iin && showPerson ? { iinMasked: maskIin(r.signer_iin) } : {}),
      ...(r.signer_bin ? { bin: r.signer_bin } : {}),
      ...(showPerson ? { commonName: r.signer_name } : {}),
      certificateSerial: r.certificate_serial,
    },
    valid: checked.valid,
    ...(checked.reason ? { reason: { code: checked.reason.code, kk: checked.reason.kk, ru: checked.reason.ru, en: checked.reason.en } } : {}),
    ...(r.document_type === 'DECISION' ? { final: finalDecisionId === Number(r.id) } : {}),
    document: party ? document : (redactForStaff(document) as Record<string, unknown>),
  };
}

/** GET /v1/applications/:id/signature: the application's own signature. */
export function applicationSignatureHandler(deps: ApiDeps, signing: DocumentSigning) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const signed = (await applicationSignature(deps.pool, row.id)) as SignedDocumentRow | undefined; // written with its type by storeSignedDocument
    if (!signed) throw signatureError(404, 'NOT_SIGNED');
    res.json({ applicationId: row.id, ...(await viewOf(signing, signed, null, isPartyOf(actor, row))) });
  };
}

/** GET /v1/applications/:id/signatures: every signed document of the case, oldest first. */
export function caseSignaturesHandler(deps: ApiDeps, signing: DocumentSigning) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const found = (await caseSignedDocuments(deps.pool, row.id)) as SignedDocumentRow[];
    const decision = await findDecision(deps.pool, row.id);
    const finalId = decision?.signed_document_id == null ? null : Number(decision.signed_document_id);
    const signatures = [];
    // One at a time: each re-verification may ask the OCSP responder.
    const party = isPartyOf(actor, row);
    for (const r of found) signatures.push(await viewOf(signing, r, finalId, party));
    res.json({ applicationId: row.id, signatures });
  };
}

