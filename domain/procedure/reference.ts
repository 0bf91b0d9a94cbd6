/**
 * The reference data a case is decided by, pinned when it is received: the working-day calendar
 * and the named interpretations of SPEC, as they stood then. The API takes a snapshot of the
 * installed reference data (domain/reference-snapshot.ts) and hands it to the case's workflow in
 * its input, so the history holds the data the case used: editing a future holiday or an
 * interpretation changes new cases only, never a running one or its replay.
 */
import type { Interpretations } from '../interpretations';
import type { CalendarSnapshot } from './working-calendar';

export interface ReferenceSnapshot {
  calendar: CalendarSnapshot;
  interpretations: Interpretations;
}
