/**
 * Everything a per-rule check needs, computed once: the acceptance date, the look-back window,
 * whose facts are checked (applicant and family, SPEC §5) and the declared emergency dwelling's
 * recognition. Each check is a pure function of this context.
 */
import type { ApplicationDeclaration, CaseFacts, Ground } from '../application';
import type { Interpretations } from '../interpretations';
import type { EmergencyRecognitionRecord, IsoDate, RegistryAnswers } from '../registry-facts';
import { addYears, isOnOrBefore } from './dates';
import { familyOf } from './family';

export type SubjectRole = Ground['subject'];

/** A person whose registry answers are checked. */
export interface Subject {
  role: SubjectRole;
  iin: string;
  answers: RegistryAnswers;
}

export interface EligibilityInput {
  declaration: ApplicationDeclaration;
  facts: CaseFacts;
  /** ISO instant with offset; its Kazakhstan (UTC+05:00) date is the acceptance date (SPEC §2). */
  acceptedAt: string;
  /**
   * The person already has an active entry in the provider's own queue; counts as R15.1 when
   * `interpretations.ownQueueCountsAsUnifiedDatabase`.
   */
  ownQueueActive?: boolean;
  /** The technical report declared for the R7.2 path (A1.8.2), as the operator read it. */
  technicalReport?: { reportNumber: string; propertyId: string };
  /** The operator rejected the technical report as unreliable (R15.6). */
  reportRejected?: { reason: string };
  /** R7.2: the term ended and no technical report was attached (A1.8.2, R13) — the instant it ended. */
  reportMissingAtTermEnd?: string;
}

/** The declared emergency dwelling's recognition, with whose registry answer holds it. */
export interface FoundRecognition {
  subject: Subject;
  record: EmergencyRecognitionRecord;
}

export interface EligibilityContext {
  input: EligibilityInput;
  declaration: ApplicationDeclaration;
  interpretations: Interpretations;
  acceptedDate: IsoDate;
  /** First day of the `lookbackYears` window [acceptedDate − 5 years, acceptedDate] (R7.1, R15.2). */
  lookbackFrom: IsoDate;
  applicant: Subject;
  /** Applicant first, then family members (spouses, then children). */
  subjects: Subject[];
  /**
   * EMERGENCY path: the recognition of the declared dwelling in the emergency registry of the
   * applicant or a family member (the family's only dwelling may be in a spouse's name), made on or
   * before the acceptance date. Undefined on the NO_HOUSING path or when there is none.
   */
  emergencyRecognition?: FoundRecognition;
}

/** Raised when the workflow has not fetched the registry answers of a family member. */
export class MissingFamilyFactsError extends Error {
  constructor(readonly missingIins: string[]) {
    super(`registry answers missing for family members: ${missingIins.join(', ')}`);
    this.name = 'MissingFamilyFactsError';
  }
}

export function buildContext(
  input: EligibilityInput,
  acceptedDate: IsoDate,
  interpretations: Interpretations,
): EligibilityContext {
  const { declaration, facts } = input;
  const applicant: Subject = { role: 'APPLICANT', iin: declaration.applicantIin, answers: facts.applicant };

  // The family is derived from the applicant's civil record here too, rather than trusted from
  // `facts.familyIins`, so the engine's idea of "family" cannot drift from SPEC §4. Checking a
  // family with missing answers would register someone unchecked, so that is an error, not "no facts".
  const family = familyOf(facts.applicant, acceptedDate, interpretations);
  const members: Subject[] = [];
  const missing: string[] = [];
  for (const member of family) {
    const answers: RegistryAnswers | undefined = facts.family[member.iin];
    if (answers === undefined) missing.push(member.iin);
    else members.push({ role: member.relation, iin: member.iin, answers });
  }
  if (missing.length > 0) throw new MissingFamilyFactsError(missing);
  const subjects = [applicant, ...members];

  let emergencyRecognition: FoundRecognition | undefined;
  const declared = declaration.emergencyPropertyId;
  if (declaration.path === 'EMERGENCY' && declared !== undefined) {
    for (const subject of subjects) {
      const record = subject.answers.emergency.find(
        (r) => r.propertyId === declared && isOnOrBefore(r.recognisedAt, acceptedDate),
      );
      if (record) {
        emergencyRecognition = { subject, record };
        break;
      }
    }
  }

  return {
    input,
    declaration,
    interpretations,
    acceptedDate,
    lookbackFrom: addYears(acceptedDate, -interpretations.lookbackYears),
    applicant,
    subjects,
    emergencyRecognition,
  };
}
