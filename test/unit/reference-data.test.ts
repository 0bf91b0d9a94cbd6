/**
 * The installed reference files against their schemas. The domain modules read them without a
 * schema check (they are in the workflow bundle, see domain/reference-schemas.ts), so this test is
 * what stops a malformed file from shipping.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALENDAR_YEARS } from '../../domain/calendar';
import { compileCalendarYear } from '../../domain/calendar-file';
import { categoriesFileSchema, katoFileSchema } from '../../domain/reference-schemas';

const REFERENCE = join(__dirname, '..', '..', 'reference');
const readJson = (...p: string[]): unknown => JSON.parse(readFileSync(join(REFERENCE, ...p), 'utf8'));

describe('reference data files', () => {
  test('every calendar year file passes the schema and its own consistency checks', () => {
    const files = readdirSync(join(REFERENCE, 'calendar')).filter((f) => f.endsWith('.json'));
    expect(files.map((f) => Number(f.slice(0, 4))).sort()).toEqual([...CALENDAR_YEARS]);
    for (const f of files) {
      const year = Number(f.slice(0, 4));
      expect(compileCalendarYear(readJson('calendar', f), year).year).toBe(year);
    }
  });

  test('kato.json passes its schema, with no code listed twice', () => {
    const file = katoFileSchema.parse(readJson('kato.json'));
    expect(new Set(file.entries.map((e) => e.code)).size).toBe(file.entries.length);
  });

  test('categories.json passes its schema, with no code listed twice', () => {
    const file = categoriesFileSchema.parse(readJson('categories.json'));
    expect(new Set(file.categories.map((c) => c.code)).size).toBe(file.categories.length);
  });

  test('a malformed file is refused by the schema', () => {
    expect(katoFileSchema.safeParse({ version: '1', entries: [{ code: '12', kind: 'CITY' }] }).success).toBe(false);
    expect(categoriesFileSchema.safeParse({ version: '1', categories: [] }).success).toBe(false);
  });
});
