/**
 * What exactly is signed for each document a person or the provider signs (R5, R13, R17): a plain
 * JSON object with a `documentType` and a `version`, whose canonical JSON (RFC 8785, cms.ts
 * `canonicalJson`) is the content of the detached CMS. docs/eds.md lists the fields per type.
 *
 * The server never trusts a client's copy of the canonical form: it rebuilds it from the request it
 * received (and, for a decision, from the case) with these functions and verifies the signature
 * over the result. Every builder is pure: the same inputs give the same bytes.
 */
import { createHash } from 'node:crypto';
import { canonicalDocument, canonicalJson } from './cms';

export const SIGNED_DOCUMENT_TYPES = ['APPLICATION', 'CONSENT', 'POSITION', 'DECISION', 'COMPLAINT', 'CASE_FILE', 'WITHDRAWAL', 'REMOVAL_DECISION', 'REMOVAL_POSITION'] as const;
export type SignedDocumentType = (typeof SIGNED_DOCUMENT_TYPES)[number];

/** Bumped when the fields of a document type change; old signatures keep their own version. */
export const SIGNED_DOCUMENT_VERSION = 1;

/**
 * The version of the consent texts of Appendix 2 block C that a person agrees to
 * (personal-data/consents.ts CONSENT_TITLES): Order No. 130 of 17 April 2025, first wording.
 */
export const CONSENT_TEXT_VERSION = 'order-130-2025-04-17/A2.C/1';

type ConsentCode = 'C1' | 'C2' | 'C3' | 'C4';

export interface ApplicationDocument {
  documentType: 'APPLICATION';
  version: number;
  /** The client's Idempotency-Key: binds the signature to this one submission. */
  idempotencyKey: string;
  applicantIin: string;
  representativeIin?: string;
  path: string;
  fund: string;
  kato: string;
  emergencyPropertyId?: string;
  categories: string[];
  contact: { mobile?: string; email?: string };
  consents: ConsentCode[];
  consentTextVersion: string;
  /**
   * A2's identity block as the registries hold it (issue #11 §3: GET /v1/applications/prefill).
   * Absent from applications filed without it: their canonical form is byte for byte as before.
   */
  person?: ApplicationPersonBlock;
}

/** A2: surname, name, patronymic, birth date, identity document and registered address. */
export interface ApplicationPersonBlock {
  iin: string;
  surname: string;
  name: string;
  patronymic: string | null;
  birthDate: string;
  identityDocument: { number: string; issuedAt: string };
  address: { kato: string; text: string };
}

export interface ConsentDocument {
  documentType: 'CONSENT';
  version: number;
  applicationId: string;
  /** The person the data is about (the applicant). */
  applicantIin: string;
  /** Who gives the consent for them, when a representative does. */
  representativeIin?: string;
  codes: ConsentCode[];
  consentTextVersion: string;
}

export interface PositionDocument {
  documentType: 'POSITION';
  version: number;
  applicationId: string;
  /** The preliminary decision (and so the hearing) the position answers: preliminary_decisions.seq. */
  hearingSeq: number;
  text: string;
  /** `role:IIN` of the person stating it. */
  statedBy: string;
}

export interface DecisionDocument {
  documentType: 'DECISION';
  version: number;
  applicationId: string;
  outcome: 'REGISTERED' | 'REFUSED';
  /** Rule ids of the grounds: the refusal's, or for a registration the grounds the officer dismissed. */
  grounds: string[];
  categories: { confirmed: string[]; unconfirmed: string[] };
  reasoning?: string;
  /** ISO 8601 +05:00: the workflow's instant (system), or the instant the officer signed it. */
  decidedAt: string;
  /** `system`, or the `role:id` of the staff member (officer:HO-0001). */
  decidedBy: string;
}

/** R18: a complaint about a decision, action or inaction of the provider, addressed to its head. */
export interface ComplaintDocument {
  documentType: 'COMPLAINT';
  version: number;
  applicationId: string;
  subject: 'DECISION' | 'ACTION' | 'INACTION';
  addressedTo: 'head';
  text: string;
  /** `role:IIN` of the person filing it (the applicant, or their representative). */
  filedBy: string;
}

/**
 * R19: the administrative case file forwarded with a complaint to the review body — the
 * application, the registry facts, the grounds, the decisions, the signed documents (by their
 * hashes: each keeps its own signature) and the timeline — as one document the system signs.
 */
export interface CaseFileDocument {
  documentType: 'CASE_FILE';
  version: number;
  applicationId: string;
  complaintId: string;
  assembledAt: string;
  application: unknown;
  grounds: unknown;
  categories: unknown;
  preliminaryDecision: unknown;
  decision: unknown;
  signedDocuments: { type: string; sha256: string; signer: string; cms: string }[];
  timeline: { at: string; kind: string; actor: string | null; data: unknown }[];
}


export function complaintDocument(input: Omit<ComplaintDocument, 'documentType' | 'version' | 'addressedTo'>): ComplaintDocument {
  return { documentType: 'COMPLAINT', version: SIGNED_DOCUMENT_VERSION, addressedTo: 'head', ...input };
}

/** Issue #11 §2: the registered person's application to leave the queue, with their reason. */
export interface WithdrawalDocument {
  documentType: 'WITHDRAWAL';
  version: number;
  applicationId: string;
  /** The entry that leaves every list. */
  registrationNumber: string;
  reason: string;
  /** `role:IIN` of the person asking (the applicant, or their representative). */
  withdrawnBy: string;
}

/**
 * Issue #11 §2: the authorised officer's decision in a removal case (Housing Law; APPC art. 73):
 * remove the entry from the register or keep it, with reasoning. Names the case, the entry and the
 * ground; no personal data (a migrated record has no application, so none is named then).
 */
export interface RemovalDecisionDocument {
  documentType: 'REMOVAL_DECISION';
  version: number;
  removalId: string;
  registrationNumber: string;
  ground: string;
  outcome: 'REMOVE' | 'KEEP';
  reasoning: string;
  /** ISO 8601 +05:00: the instant the sign request gave (the officer decides by signing). */
  decidedAt: string;
  /** `officer:<staffId>`. */
  decidedBy: string;
}

export function removalDecisionDocument(input: Omit<RemovalDecisionDocument, 'documentType' | 'version'>): RemovalDecisionDocument {
  return {
    documentType: 'REMOVAL_DECISION',
    version: SIGNED_DOCUMENT_VERSION,
    removalId: input.removalId,
    registrationNumber: input.registrationNumber,
    ground: input.ground,
    outcome: input.outcome,
    reasoning: input.reasoning,
    decidedAt: input.decidedAt,
    decidedBy: input.decidedBy,
  };
}

/**
 * Issue #11 §2, APPC art. 73: the person's position in a removal case, stated before its hearing
 * (as the application procedure's POSITION, R17).
 */
export interface RemovalPositionDocument {
  documentType: 'REMOVAL_POSITION';
  version: number;
  removalId: string;
  registrationNumber: string;
  /** The hearing the position is for (ISO 8601 +05:00). */
  hearingAt: string;
  text: string;
  /** `applicant:<IIN>` of the person stating it. */
  statedBy: string;
}

export function removalPositionDocument(input: Omit<RemovalPositionDocument, 'documentType' | 'version'>): RemovalPositionDocument {
  return {
    documentType: 'REMOVAL_POSITION',
    version: SIGNED_DOCUMENT_VERSION,
    removalId: input.removalId,
    registrationNumber: input.registrationNumber,
    hearingAt: input.hearingAt,
    text: input.text,
    statedBy: input.statedBy,
  };
}

export type SignedDocument =
  | RemovalPositionDocument
  | RemovalDecisionDocument
  | ApplicationDocument
  | ConsentDocument
  | PositionDocument
  | DecisionDocument
  | ComplaintDocument
  | CaseFileDocument
  | WithdrawalDocument;

export function withdrawalDocument(input: { applicationId: string; registrationNumber: string; reason: string; withdrawnBy: string }): WithdrawalDocument {
  return {
    documentType: 'WITHDRAWAL',
    version: SIGNED_DOCUMENT_VERSION,
    applicationId: input.applicationId,
    registrationNumber: input.registrationNumber,
    reason: input.reason,
    withdrawnBy: input.withdrawnBy,
  };
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T; // only drops undefined members

/** What the application document is made of: the document without what this module adds. */
type ApplicationDocumentInput = Omit<ApplicationDocument, 'documentType' | 'version' | 'consentTextVersion' | 'categories' | 'consents'> & {
  categories: readonly string[];
  consents: readonly ConsentCode[];
};

export function applicationDocument(input: ApplicationDocumentInput): ApplicationDocument {
  return defined({
    documentType: 'APPLICATION',
    version: SIGNED_DOCUMENT_VERSION,
    idempotencyKey: input.idempotencyKey,
    applicantIin: input.applicantIin,
    representativeIin: input.representativeIin,
    path: input.path,
    fund: input.fund,
    kato: input.kato,
    emergencyPropertyId: input.emergencyPropertyId,
    categories: [...input.categories],
    contact: defined({ mobile: input.contact.mobile, email: input.contact.email }),
    consents: [...input.consents],
    consentTextVersion: CONSENT_TEXT_VERSION,
    person: input.person
      ? {
          iin: input.person.iin,
          surname: input.person.surname,
          name: input.person.name,
          patronymic: input.person.patronymic,
          birthDate: input.person.birthDate,
          identityDocument: { number: input.person.identityDocument.number, issuedAt: input.person.identityDocument.issuedAt },
          address: { kato: input.person.address.kato, text: input.person.address.text },
        }
      : undefined,
  });
}

export function consentDocument(input: { applicationId: string; applicantIin: string; representativeIin?: string; codes: readonly ConsentCode[] }): ConsentDocument {
  return defined({
    documentType: 'CONSENT',
    version: SIGNED_DOCUMENT_VERSION,
    applicationId: input.applicationId,
    applicantIin: input.applicantIin,
    representativeIin: input.representativeIin,
    codes: [...input.codes],
    consentTextVersion: CONSENT_TEXT_VERSION,
  });
}

export function positionDocument(input: { applicationId: string; hearingSeq: number; text: string; statedBy: string }): PositionDocument {
  return {
    documentType: 'POSITION',
    version: SIGNED_DOCUMENT_VERSION,
    applicationId: input.applicationId,
    hearingSeq: input.hearingSeq,
    text: input.text,
    statedBy: input.statedBy,
  };
}

export function decisionDocument(input: {
  applicationId: string;
  outcome: 'REGISTERED' | 'REFUSED';
  grounds: readonly string[];
  categories: { confirmed: readonly string[]; unconfirmed: readonly string[] };
  reasoning?: string;
  decidedAt: string;
  decidedBy: string;
}): DecisionDocument {
  return defined({
    documentType: 'DECISION',
    version: SIGNED_DOCUMENT_VERSION,
    applicationId: input.applicationId,
    outcome: input.outcome,
    grounds: [...input.grounds],
    categories: { confirmed: [...input.categories.confirmed], unconfirmed: [...input.categories.unconfirmed] },
    reasoning: input.reasoning,
    decidedAt: input.decidedAt,
    decidedBy: input.decidedBy,
  });
}

/** The canonical text, its UTF-8 bytes, their SHA-256 (hex) and the base64 NCALayer is given as `data`. */
export interface CanonicalForm {
  canonical: string;
  bytes: Uint8Array;
  sha256: string;
  data: string;
}

export function canonicalFormOf(doc: SignedDocument): CanonicalForm {
  const canonical = canonicalJson(doc);
  const bytes = canonicalDocument(doc);
  return {
    canonical,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    data: Buffer.from(bytes).toString('base64'),
  };
}
