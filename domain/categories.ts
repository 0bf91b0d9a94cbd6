/**
 * Priority categories (R8–R10; Housing Law art. 74 para 1; SPEC §6) over the versioned
 * reference/categories.json. An unknown or unconfirmed category is never a refusal ground (R10):
 * callers use `isKnownCategory` to reject malformed input, not to refuse registration.
 */

import categoriesJson from '../reference/categories.json';

export interface Category {
  code: string;
  name: { kk: string; ru: string; en: string };
  /** Date from which the code may no longer be declared; it stays resolvable for old cases. */
  retired?: string;
}

// Schema-checked by the unit tests (domain/reference-schemas.ts), not at import: see domain/kato.ts.
const file = categoriesJson as { version: string; categories: Category[] };

export const CATEGORIES_VERSION: string = file.version;
export const CATEGORIES: readonly Category[] = file.categories;

const byCode: ReadonlyMap<string, Category> = new Map(CATEGORIES.map((c) => [c.code, c]));
if (byCode.size !== CATEGORIES.length) throw new Error('reference/categories.json repeats a code');

/** True for a code in the reference table that has not been retired. */
export function isKnownCategory(code: string): boolean {
  const c = byCode.get(code);
  return c !== undefined && c.retired === undefined;
}

/** Names of a category, retired ones included (old cases must still display them). */
export function categoryName(code: string): { kk: string; ru: string; en: string } | undefined {
  return byCode.get(code)?.name;
}
