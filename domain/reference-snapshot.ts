/**
 * The snapshot of the installed reference data that a new case pins (domain/procedure/reference.ts):
 * the working-day calendar of every installed year and the named interpretations. Reads the
 * reference files through domain/calendar.ts and domain/interpretations.ts, so the workflow bundle
 * never imports this module.
 */
import { calendarSnapshot } from './calendar';
import { INTERPRETATIONS } from './interpretations';
import type { ReferenceSnapshot } from './procedure/reference';

let memo: ReferenceSnapshot | undefined;
export function currentReferenceSnapshot(): ReferenceSnapshot {
  memo ??= { calendar: calendarSnapshot(), interpretations: INTERPRETATIONS };
  return memo;
}
