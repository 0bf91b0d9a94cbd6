/**
 * Priority categories (R8–R10, Housing Law art. 74 para 1). The applicant declares them (R8); the
 * provider checks each against state data. A declared category is confirmed when the applicant's
 * `categories` registry answer holds its code; the orphan category is also confirmed by the orphan
 * and parental-care status registry, which is the primary source for it (R11).
 *
 * An unconfirmed category is never a refusal ground (R10): the person is registered without it and
 * may have the state body correct its data (R9). Codes unknown to the reference table are not
 * judged here; the API rejects them at submission.
 */
import type { CategoryOutcome } from '../application';
import type { RegistryAnswers } from '../registry-facts';

/** Code of "orphans and children left without parental care" in reference/categories.json. */
export const ORPHAN_CATEGORY_CODE = 'ORPHAN';

export function checkCategories(declared: readonly string[], applicant: RegistryAnswers): CategoryOutcome {
  const onFile = new Set(applicant.categories.map((c) => c.code));
  const status = applicant.orphanStatus;
  const orphanByStatus = status !== null && (status.orphan || status.withoutParentalCare);
  const confirmed: string[] = [];
  const unconfirmed: string[] = [];
  // Each declared code once, in the order declared, so the outcome is stable.
  for (const code of new Set(declared)) {
    const ok = onFile.has(code) || (code === ORPHAN_CATEGORY_CODE && orphanByStatus);
    (ok ? confirmed : unconfirmed).push(code);
  }
  return { confirmed, unconfirmed };
}
