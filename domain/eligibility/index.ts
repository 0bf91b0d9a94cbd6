/**
 * The eligibility engine: pure, deterministic functions from registry facts to the refusal grounds
 * of R15 and Appendix 1 row 9 (SPEC §5), the confirmed categories (R8–R10) and, when nothing bars
 * registration, the rule it rests on (R7.1 or R7.2).
 *
 * Every ground found is returned, not only the first (SPEC §5: "a refusal lists every ground"), in
 * the order of SPEC §5's table, then by subject. Thresholds (look-back years, residence years, age
 * limits) come from the named interpretations, so a lawyer can change them without a code change.
 */
import type { EligibilityResult, Ground } from '../application';
import type { Interpretations } from '../interpretations';
import { checkCategories } from './categories';
import { buildContext, type EligibilityContext, type EligibilityInput } from './context';
import { kazakhstanDate } from './dates';
import { consentGrounds } from './grounds/consent';
import { documentGrounds } from './grounds/documents';
import { emergencyGrounds } from './grounds/emergency';
import { mortgageGrounds } from './grounds/mortgage';
import { enterpriseFundGrounds, institutionFundGrounds, recentOwnershipGrounds } from './grounds/ownership';
import { privatisationGrounds } from './grounds/privatisation';
import { requirementGrounds } from './grounds/requirements';
import { tenancyGrounds } from './grounds/tenancy';
import { unifiedQueueGrounds } from './grounds/unified-queue';
import { worseningGrounds } from './grounds/worsening';
import { sortGrounds } from './order';

export type { EligibilityInput, EligibilityContext, Subject, FoundRecognition } from './context';
export { MissingFamilyFactsError } from './context';
export { familyOf, type FamilyMember, type FamilyRelation } from './family';
export { checkCategories, ORPHAN_CATEGORY_CODE } from './categories';
export { GROUND_ORDER, compareGrounds } from './order';

/** The per-rule checks, each a pure function of the context. */
const CHECKS: readonly ((ctx: EligibilityContext) => Ground[])[] = [
  unifiedQueueGrounds, // R15.1
  recentOwnershipGrounds, // R15.2
  institutionFundGrounds, // R15.3
  enterpriseFundGrounds, // R15.4
  tenancyGrounds, // R15.5
  documentGrounds, // R15.6
  privatisationGrounds, // R15.7
  emergencyGrounds, // R15.8, A1.9.2 (R7.2)
  mortgageGrounds, // R15.9
  requirementGrounds, // A1.9.2 (R7, R11, R6, R7.1)
  worseningGrounds, // A1.9.3
  consentGrounds, // A1.9.4
];

/**
 * Evaluate an application against the registry facts as of its acceptance date (the Kazakhstan
 * date of `acceptedAt`). Throws `MissingFamilyFactsError` when the facts lack a family member's
 * registry answers, and `RangeError` on a malformed date, rather than registering unchecked.
 */
export function evaluateEligibility(
  input: EligibilityInput,
  interpretations: Interpretations,
): EligibilityResult {
  const ctx = buildContext(input, kazakhstanDate(input.acceptedAt), interpretations);
  const grounds = sortGrounds(CHECKS.flatMap((check) => check(ctx)));
  const categories = checkCategories(input.declaration.categories, input.facts.applicant);
  if (grounds.length > 0) return { grounds, categories };
  return { grounds, categories, basis: input.declaration.path === 'NO_HOUSING' ? 'R7.1' : 'R7.2' };
}
