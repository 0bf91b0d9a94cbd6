import type { IsoInstant, RegistryAnswers } from './registry-facts';

/** R7.1 no-housing path or R7.2 emergency-dwelling path. */
export type CasePath = 'NO_HOUSING' | 'EMERGENCY';

/**
 * The housing fund the application asks for (SPEC §5 note): the default is the state housing fund /
 * housing rented by an akimat; the two special funds bring R15.3 and R15.4.
 */
export type HousingFund = 'STATE_HOUSING' | 'STATE_INSTITUTION' | 'STATE_ENTERPRISE';

/** Consents of Appendix 2 block C. */
export type ConsentCode = 'C1' | 'C2' | 'C3' | 'C4';

export interface ConsentGiven {
  code: ConsentCode;
  givenAt: IsoInstant;
}

/** The declared technical report for the R7.2 path (A1.8.2). */
export interface TechnicalReportRef {
  documentId: string;
  sha256: string;
  reportNumber: string;
  propertyId: string;
}

/** What the applicant (or their representative) declares in the application (A2). */
export interface ApplicationDeclaration {
  applicantIin: string;
  /** Present when a legal representative or trustee files for the applicant (R13, A2.B). */
  representativeIin?: string;
  path: CasePath;
  fund: HousingFund;
  /** The locality (KATO) of the queue asked for (SPEC §4 "Locality"). */
  kato: string;
  /** R7.2: the emergency dwelling the application rests on. */
  emergencyPropertyId?: string;
  /** Declared priority categories (R8), codes of reference/categories.json. */
  categories: string[];
  contact: { mobile?: string; email?: string };
  consents: ConsentGiven[];
  /** A2's identity block from the persons registry, as signed with the application (issue #11 §3). */
  person?: {
    iin: string;
    surname: string;
    name: string;
    patronymic: string | null;
    birthDate: string;
    identityDocument: { number: string; issuedAt: string };
    address: { kato: string; text: string };
  };
}

/** Registry answers for the applicant and each family member, keyed by IIN. */
export interface CaseFacts {
  applicant: RegistryAnswers;
  /** IINs of the family members (current spouse, children under 18 at acceptance: SPEC §4). */
  familyIins: string[];
  family: Record<string, RegistryAnswers>;
  /** Answers about the representative, when there is one. */
  representative?: RegistryAnswers;
}

/** The instants that start the case (SPEC §2). */
export interface CaseClock {
  receivedAt: IsoInstant;
  acceptedAt: IsoInstant;
}

/** Rule IDs a refusal can rest on (SPEC §5). */
export type GroundId =
  | 'R15.1'
  | 'R15.2'
  | 'R15.3'
  | 'R15.4'
  | 'R15.5'
  | 'R15.6'
  | 'R15.7'
  | 'R15.8'
  | 'R15.9'
  | 'A1.9.2'
  | 'A1.9.3'
  | 'A1.9.4';

/** One refusal ground with the rule behind it and the facts that establish it. */
export interface Ground {
  id: GroundId;
  /** A narrower rule, e.g. `R6` for the residence requirement under A1.9.2. */
  rule?: string;
  /** Whose facts: the applicant, a family member or the representative. */
  subject: 'APPLICANT' | 'SPOUSE' | 'CHILD' | 'REPRESENTATIVE';
  subjectIin: string;
  /** Which registry answered. */
  registry: string;
  /** The registry records (or their relevant part) behind the ground. */
  facts: unknown;
  /** Short explanation for the applicant. */
  reason: { kk: string; ru: string; en: string };
}

export interface CategoryOutcome {
  confirmed: string[];
  unconfirmed: string[];
}

export interface EligibilityResult {
  grounds: Ground[];
  categories: CategoryOutcome;
  /** The rule the registration rests on when no ground is found. */
  basis?: 'R7.1' | 'R7.2';
}
