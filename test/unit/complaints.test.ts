/**
 * Complaints' pure parts (R18, R19; SPEC §8): the terms by the named interpretations and the table of
 * who may act in which status; the CLI prints the same terms.
 */
import { allowedComplaintActions, complaintActionRefusal, complaintFilingRefusal, COMPLAINT_STATUSES } from '../../domain/complaints/procedure';
import { complaintTerms, reviewBodyTerms } from '../../domain/complaints/terms';
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import { parseInstant, toAlmatyIso } from '../../domain/time';
import { expectNoStackTrace, hpc } from '../helpers/cli';

jest.setTimeout(60_000);

const ref = currentReferenceSnapshot();
const at = (s: string): number => parseInstant(s);
const iso = (ms: number): string => toAlmatyIso(ms);

describe('complaint terms (SPEC §8 Interpretation)', () => {
  test('received in hours on Friday 6 March 2026: registered at once; the head 5 WD from registration, forwarding 3 WD from receipt (8 March on a Sunday moves to Monday 9 March)', () => {
    const t = complaintTerms(ref, at('2026-03-06T10:00:00+05:00'));
    expect(iso(t.registeredAtMs)).toBe('2026-03-06T10:00:00+05:00');
    expect(iso(t.forwardDueAtMs)).toBe('2026-03-12T18:30:00+05:00');
    expect(iso(t.providerDecisionDueAtMs)).toBe('2026-03-16T18:30:00+05:00');
  });

  test('received out of hours: registered 09:00 of the next working day, the provider counted from then, forwarding still from receipt', () => {
    const t = complaintTerms(ref, at('2026-03-06T19:00:00+05:00'));
    expect(iso(t.registeredAtMs)).toBe('2026-03-10T09:00:00+05:00');
    expect(iso(t.providerDecisionDueAtMs)).toBe('2026-03-17T18:30:00+05:00');
    expect(iso(t.forwardDueAtMs)).toBe('2026-03-12T18:30:00+05:00');
  });

  test("the review body: 15 working days from its own registration, across Nauryz (21–25 March 2026)", () => {
    const rb = reviewBodyTerms(ref, at('2026-03-12T19:00:00+05:00'));
    expect(iso(rb.reviewBodyRegisteredAtMs)).toBe('2026-03-13T09:00:00+05:00');
    // 16,17,18,19,20, 26,27, 30,31, 1,2,3, 6,7,8 April.
    expect(iso(rb.reviewBodyDecisionDueAtMs)).toBe('2026-04-08T18:30:00+05:00');
  });

  test('the terms are named interpretations a lawyer can change', () => {
    const longer = { ...ref, interpretations: { ...ref.interpretations, complaintForwardWorkingDays: 4 } };
    expect(iso(complaintTerms(longer, at('2026-03-06T10:00:00+05:00')).forwardDueAtMs)).toBe('2026-03-13T18:30:00+05:00');
  });
});

describe('the complaint table', () => {
  test('only the head decides with the provider, only the review body once forwarded; nobody after the end', () => {
    for (const status of COMPLAINT_STATUSES) {
      const s = { status, flags: [] };
      expect(complaintActionRefusal(s, { role: 'head' }, 'PROVIDER_DECISION') === undefined).toBe(status === 'WITH_PROVIDER');
      expect(complaintActionRefusal(s, { role: 'complaint-review' }, 'REVIEW_BODY_DECISION') === undefined).toBe(status === 'FORWARDED');
      for (const role of ['applicant', 'operator', 'officer', 'auditor'] as const) {
        expect(allowedComplaintActions(s, { role })).toEqual([]);
        expect(complaintActionRefusal(s, { role }, 'PROVIDER_DECISION')?.code).toBe('ROLE_NOT_ALLOWED');
      }
    }
  });

  test('R18: a decision once out (or the preliminary one), inaction only while overdue, nothing before acceptance', () => {
    const base = { path: 'NO_HOUSING' as const, preliminaryDecided: false };
    expect(complaintFilingRefusal({ ...base, status: 'CHECKING', flags: [] }, 'DECISION')?.code).toBe('NOTHING_DECIDED_YET');
    expect(complaintFilingRefusal({ ...base, status: 'REFUSED', flags: [] }, 'DECISION')).toBeUndefined();
    expect(complaintFilingRefusal({ ...base, status: 'HEARING_SCHEDULED', flags: [], preliminaryDecided: true }, 'DECISION')).toBeUndefined();
    expect(complaintFilingRefusal({ ...base, status: 'AWAITING_REVIEW', flags: [] }, 'INACTION')?.code).toBe('CASE_NOT_OVERDUE');
    expect(complaintFilingRefusal({ ...base, status: 'AWAITING_REVIEW', flags: ['OVERDUE'] }, 'INACTION')).toBeUndefined();
    expect(complaintFilingRefusal({ ...base, status: 'RECEIVED', flags: [] }, 'ACTION')?.code).toBe('CASE_NOT_ACCEPTED');
  });
});

describe('hpc complaint-terms', () => {
  test('prints the terms, with the review body when given', () => {
    const r = hpc('complaint-terms', '2026-03-06T19:00:00+05:00', '--review-body-registered-at', '2026-03-13T09:00:00+05:00');
    expect(r.status).toBe(0);
    expect(r.json).toEqual({
      receivedAt: '2026-03-06T19:00:00+05:00',
      registeredAt: '2026-03-10T09:00:00+05:00',
      providerDecisionDueAt: '2026-03-17T18:30:00+05:00',
      forwardDueAt: '2026-03-12T18:30:00+05:00',
      reviewBodyDecisionDueAt: '2026-04-08T18:30:00+05:00',
    });
  });

  test.each([
    [['yesterday'], 'receivedAt'],
    [['2026-03-06T19:00:00+05:00', '--review-body-registered-at', '13.03.2026'], 'reviewBodyRegisteredAt'],
  ])('bad input %j → a JSON error naming %s, exit 1', (args, field) => {
    const r = hpc('complaint-terms', ...args);
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ error: { field } });
    expectNoStackTrace(r);
  });
});
