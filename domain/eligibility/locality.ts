/**
 * Locality comparisons for the eligibility checks (SPEC §4 "Locality"), over the KATO reference in
 * domain/kato.ts: every code of a district of Astana, Almaty or Shymkent belongs to the city's code.
 */
import { isRepublicanCity, localityOf } from '../locality';

export { isRepublicanCity, localityOf };

/** Whether two KATO codes name the same locality (districts count as their city). */
export function sameLocality(a: string, b: string): boolean {
  return localityOf(a) === localityOf(b);
}
