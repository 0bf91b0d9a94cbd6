/**
 * Deterministic order of grounds: by rule ID in the order of SPEC §5's table, then by subject
 * (applicant, spouse, child, representative), then by the subject's IIN. Ties keep the order the
 * checks produced them in (Array.prototype.sort is stable), which follows the registry records.
 */
import type { Ground, GroundId } from '../application';

export const GROUND_ORDER: readonly GroundId[] = [
  'R15.1',
  'R15.2',
  'R15.3',
  'R15.4',
  'R15.5',
  'R15.6',
  'R15.7',
  'R15.8',
  'R15.9',
  'A1.9.2',
  'A1.9.3',
  'A1.9.4',
];

const SUBJECT_ORDER: readonly Ground['subject'][] = ['APPLICANT', 'SPOUSE', 'CHILD', 'REPRESENTATIVE'];

export function compareGrounds(a: Ground, b: Ground): number {
  return (
    GROUND_ORDER.indexOf(a.id) - GROUND_ORDER.indexOf(b.id) ||
    SUBJECT_ORDER.indexOf(a.subject) - SUBJECT_ORDER.indexOf(b.subject) ||
    (a.subjectIin < b.subjectIin ? -1 : a.subjectIin > b.subjectIin ? 1 : 0)
  );
}

export function sortGrounds(grounds: readonly Ground[]): Ground[] {
  return [...grounds].sort(compareGrounds);
}
