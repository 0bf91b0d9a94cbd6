/**
 * Family members whose facts are checked with the applicant's (R7.1 "neither they nor their family
 * members", R13, A1.8). SPEC §4 Interpretation: the current spouse by registered marriage and the
 * children under 18 at acceptance, both taken from the applicant's civil-registry record.
 */
import type { Interpretations } from '../interpretations';
import type { IsoDate, RegistryAnswers } from '../registry-facts';
import { ageOn, isBefore, isOnOrBefore } from './dates';

export type FamilyRelation = 'SPOUSE' | 'CHILD';

export interface FamilyMember {
  iin: string;
  relation: FamilyRelation;
}

/**
 * The applicant's family at the acceptance date: spouses first (in civil-registry order), then
 * children, each IIN once.
 *
 * - A marriage counts when it began on or before the acceptance date and has no `to` or a `to`
 *   after it: `to` is the day of the divorce or the spouse's death, from which they are no longer
 *   married.
 * - A child counts when born on or before the acceptance date and younger than
 *   `familyChildAgeLimitYears` (18) that day; a child whose 18th birthday is the acceptance day or
 *   earlier is an adult with their own case.
 */
export function familyOf(
  applicant: RegistryAnswers,
  acceptedDate: IsoDate,
  interpretations: Interpretations,
): FamilyMember[] {
  const members: FamilyMember[] = [];
  const seen = new Set<string>();
  const add = (iin: string, relation: FamilyRelation): void => {
    if (seen.has(iin)) return;
    seen.add(iin);
    members.push({ iin, relation });
  };
  for (const marriage of applicant.civil.marriages) {
    const begun = isOnOrBefore(marriage.from, acceptedDate);
    const notEnded = marriage.to === undefined || isBefore(acceptedDate, marriage.to);
    if (begun && notEnded) add(marriage.spouseIin, 'SPOUSE');
  }
  for (const child of applicant.civil.children) {
    const born = isOnOrBefore(child.birthDate, acceptedDate);
    if (born && ageOn(child.birthDate, acceptedDate) < interpretations.familyChildAgeLimitYears) {
      add(child.iin, 'CHILD');
    }
  }
  return members;
}
