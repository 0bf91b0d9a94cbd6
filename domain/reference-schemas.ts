/**
 * zod schemas of the versioned reference files (reference/*.json).
 *
 * Kept apart from the modules that use the data because those modules end up in the workflow
 * bundle, and the Temporal SDK re-evaluates the bundle's modules for every workflow it starts:
 * importing zod there cost every case milliseconds of workflow-thread CPU (bench/README.md). The
 * files are checked against these schemas by the unit tests (test/unit/reference-data.test.ts), so
 * a malformed file fails CI, and by `compileCalendarYear` for a year file not yet installed.
 */
import { z } from 'zod';
import { isIsoDate } from './time';

const localized = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });
const isoDate = z.string().refine(isIsoDate, 'not a YYYY-MM-DD date');

export const calendarYearFileSchema = z.object({
  year: z.number().int(),
  version: z.string().min(1),
  status: z.enum(['final', 'provisional']),
  sources: z.array(z.object({ title: z.string(), url: z.string() })).min(1),
  notes: z.array(z.string()),
  holidays: z.array(z.object({ date: isoDate, name: localized, religious: z.boolean() })),
  transfers: z.array(z.object({ from: isoDate, to: isoDate, act: z.string().min(1), note: localized })),
});

export const katoFileSchema = z.object({
  version: z.string().min(1),
  entries: z
    .array(
      z.object({
        code: z.string().regex(/^\d{9}$/),
        kind: z.enum(['REPUBLICAN_CITY', 'CITY_DISTRICT', 'CITY', 'TOWN', 'VILLAGE']),
        parent: z.string().regex(/^\d{9}$/).optional(),
        name: localized,
        verified: z.boolean(),
      }),
    )
    .min(1),
});

export const categoriesFileSchema = z.object({
  version: z.string().min(1),
  categories: z
    .array(
      z.object({
        code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
        name: localized,
        /** Date from which the code may no longer be declared; it stays resolvable for old cases. */
        retired: z.string().optional(),
      }),
    )
    .min(1),
});
