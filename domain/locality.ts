/**
 * Localities (SPEC §4 "Locality", §11): the rule that a district code of Astana, Almaty or Shymkent
 * belongs to its city. A rule, not reference data — so the workflow bundle carries it without the
 * KATO table (domain/kato.ts), and a new edition of that table never changes a running case.
 */

/** Prefix of a republican city's codes → the city's own code (SPEC §4). */
const REPUBLICAN_CITY_BY_PREFIX: Readonly<Record<string, string>> = {
  '71': '710000000', // Astana
  '75': '750000000', // Almaty
  '79': '790000000', // Shymkent
};
export const REPUBLICAN_CITIES: readonly string[] = Object.values(REPUBLICAN_CITY_BY_PREFIX);

const KATO_RE = /^\d{9}$/;

function assertFormat(kato: string): void {
  if (typeof kato !== 'string' || !KATO_RE.test(kato)) {
    throw new RangeError(`Not a 9-digit KATO code: ${JSON.stringify(kato)}`);
  }
}

/**
 * The locality a queue is kept for (SPEC §4): the city's code for any code of Astana, Almaty or
 * Shymkent, otherwise the code itself. Works on codes outside the reference too, since registry
 * addresses (SPEC §10) may carry settlements this table does not list.
 */
export function localityOf(kato: string): string {
  assertFormat(kato);
  return REPUBLICAN_CITY_BY_PREFIX[kato.slice(0, 2)] ?? kato;
}

/** True for a republican city's code or any of its districts' codes (R6 applies to both). */
export function isRepublicanCity(kato: string): boolean {
  assertFormat(kato);
  return kato.slice(0, 2) in REPUBLICAN_CITY_BY_PREFIX;
}
