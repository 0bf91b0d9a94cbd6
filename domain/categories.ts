/**
 * Priority categories (R8–R10; Housing Law art. 74 para 1; SPEC §6) over the versioned
 * reference/categories.json. An unknown or unconfirmed category is never a refusal ground (R10):
 * callers use `isKnownCategory` to reject malformed input, not to refuse registration.
 */

import { z } from 'zod';
import categoriesJson from '../reference/categories.json';

const categorySchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  name: z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) }),
  /** Date from which the code may no longer be declared; it stays resolvable for old cases. */
  retired: z.string().optional(),
});
const fileSchema = z.object({ version: z.string().min(1), categories: z.array(categorySchema).min(1) });

export type Category = z.infer<typeof categorySchema>;

const file = fileSchema.parse(categoriesJson);

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
