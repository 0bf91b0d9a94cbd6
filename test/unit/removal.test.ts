/**
 * Removal from the register (issue #11 §2; Housing Law, APPC art. 73) — the pure parts: which
 * grounds need the hearing (interpretation `removal.hearingGrounds`), the terms on the working-day
 * calendar (R17's hearing reused), the table of who may act in which status, and the notices.
 */
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import { groundNeedsHearing, REMOVAL_GROUNDS, REMOVAL_GROUND_TEXT } from '../../domain/removal/grounds';
import { removalDecidedNotice, removalPreliminaryNotice } from '../../domain/removal/notices';
import { allowedRemovalActions, removalActionRefusal, REMOVAL_STATUSES } from '../../domain/removal/procedure';
import { removalTerms } from '../../domain/removal/terms';
import { parseInstant, toAlmatyIso } from '../../domain/time';
import { INTERPRETATIONS } from '../../domain/interpretations';

const ref = currentReferenceSnapshot();
const iso = (ms: number): string => toAlmatyIso(ms);

describe('grounds (interpretation `removal`)', () => {
  test('HOUSING_ACQUIRED and DATA_UNRELIABLE go against the person: a hearing (APPC art. 73); HOUSING_PROVIDED and DIED do not', () => {
    expect(REMOVAL_GROUNDS.filter((g) => groundNeedsHearing(ref, g))).toEqual(['HOUSING_ACQUIRED', 'DATA_UNRELIABLE']);
    expect(groundNeedsHearing(ref, 'HOUSING_PROVIDED')).toBe(false);
    expect(groundNeedsHearing(ref, 'DIED')).toBe(false);
  });

  test('the reading is a named interpretation a lawyer can change, pinned per case', () => {
    expect(INTERPRETATIONS.removal.hearingGrounds).toEqual(['HOUSING_ACQUIRED', 'DATA_UNRELIABLE']);
    const all = { ...ref, interpretations: { ...ref.interpretations, removal: { ...ref.interpretations.removal, hearingGrounds: [...REMOVAL_GROUNDS] } } };
    expect(groundNeedsHearing(all, 'DIED')).toBe(true);
    // A snapshot pinned before the interpretation existed reads the same values.
    const { removal: _r, ...older } = ref.interpretations;
    expect(groundNeedsHearing({ ...ref, interpretations: older as typeof ref.interpretations }, 'DATA_UNRELIABLE')).toBe(true);
  });

  test('every ground and the grounds of the ledger agree, each named in kk and ru', () => {
    for (const g of REMOVAL_GROUNDS) {
      expect(REMOVAL_GROUND_TEXT[g].kk.length).toBeGreaterThan(5);
      expect(REMOVAL_GROUND_TEXT[g].ru.length).toBeGreaterThan(5);
    }
    expect([...REMOVAL_GROUNDS].sort()).toEqual([...INTERPRETATIONS.removal.grounds].sort());
  });
});

describe('terms (R17 hearing reused; working days in UTC+05:00)', () => {
  test('opened Wednesday 15 April 2026 10:00 on DATA_UNRELIABLE: hearing 11:00 Friday 17, the decision due 18:30 Monday 20', () => {
    const t = removalTerms(ref, 'DATA_UNRELIABLE', parseInstant('2026-04-15T10:00:00+05:00'));
    expect(iso(t.hearing!.noticeAtMs)).toBe('2026-04-15T10:00:00+05:00');
    expect(iso(t.hearing!.hearingAtMs)).toBe('2026-04-17T11:00:00+05:00');
    expect(iso(t.decisionDueAtMs)).toBe('2026-04-20T18:30:00+05:00');
  });

  test('across Nauryz (21–25 March 2026): opened Friday 20 March, the hearing is Friday 27 March', () => {
    const t = removalTerms(ref, 'HOUSING_ACQUIRED', parseInstant('2026-03-20T16:00:00+05:00'));
    expect(iso(t.hearing!.hearingAtMs)).toBe('2026-03-27T11:00:00+05:00');
  });

  test('DIED: no hearing; the officer decides by 18:30 on the 3rd working day (interpretation `removal.decisionWorkingDays`)', () => {
    const t = removalTerms(ref, 'DIED', parseInstant('2026-04-15T10:00:00+05:00'));
    expect(t.hearing).toBeUndefined();
    expect(iso(t.decisionDueAtMs)).toBe('2026-04-20T18:30:00+05:00');
  });
});

describe('the removal table', () => {
  const officer = { role: 'officer' as const };
  const person = { role: 'applicant' as const };

  test('before the hearing: the person may state a position (once); the officer may not decide yet (APPC art. 73)', () => {
    expect(removalActionRefusal({ status: 'HEARING_SCHEDULED', positionStated: false }, person, 'STATE_REMOVAL_POSITION')).toBeUndefined();
    expect(removalActionRefusal({ status: 'HEARING_SCHEDULED', positionStated: true }, person, 'STATE_REMOVAL_POSITION')?.code).toBe('REMOVAL_POSITION_ALREADY_STATED');
    expect(removalActionRefusal({ status: 'HEARING_SCHEDULED', positionStated: false }, officer, 'DECIDE_REMOVAL')?.code).toBe('REMOVAL_HEARING_PENDING');
  });

  test('the person’s representative (R13) states the position as the person does', () => {
    expect(removalActionRefusal({ status: 'HEARING_SCHEDULED', positionStated: false }, { role: 'representative' }, 'STATE_REMOVAL_POSITION')).toBeUndefined();
  });

  test('awaiting the decision: the officer decides; the person can no longer state a position', () => {
    expect(removalActionRefusal({ status: 'AWAITING_DECISION', positionStated: false }, officer, 'DECIDE_REMOVAL')).toBeUndefined();
    expect(removalActionRefusal({ status: 'AWAITING_DECISION', positionStated: false }, person, 'STATE_REMOVAL_POSITION')?.code).toBe('REMOVAL_NOT_IN_HEARING');
  });

  test('closed: nothing more, with the reason in kk and ru', () => {
    for (const status of ['REMOVED', 'KEPT'] as const) {
      const why = removalActionRefusal({ status, positionStated: false }, officer, 'DECIDE_REMOVAL')!;
      expect(why.code).toBe('REMOVAL_CLOSED');
      expect(why.kk).toMatch(/шешім/);
      expect(why.ru).toMatch(/решение/);
    }
  });

  test('other roles: never (ROLE_NOT_ALLOWED), and allowedActions lists only the role\'s own', () => {
    expect(removalActionRefusal({ status: 'AWAITING_DECISION', positionStated: false }, { role: 'operator' }, 'DECIDE_REMOVAL')?.code).toBe('ROLE_NOT_ALLOWED');
    expect(removalActionRefusal({ status: 'HEARING_SCHEDULED', positionStated: false }, officer, 'STATE_REMOVAL_POSITION')?.code).toBe('ROLE_NOT_ALLOWED');
    for (const status of REMOVAL_STATUSES) {
      expect(allowedRemovalActions({ status, positionStated: false }, officer).map((a) => a.action)).toEqual(['DECIDE_REMOVAL']);
      expect(allowedRemovalActions({ status, positionStated: false }, { role: 'head' })).toEqual([]);
    }
  });
});

describe('notices (kk/ru)', () => {
  test('the preliminary decision names the ground, the hearing and what the person may do', () => {
    const n = removalPreliminaryNotice({ ref: 'ЕШ-1', registrationNumber: '351010000-00000042', ground: 'HOUSING_ACQUIRED', hearingAt: '2026-04-17T11:00:00+05:00', decisionDueAt: '2026-04-20T18:30:00+05:00' });
    expect(n.kind).toBe('REMOVAL_PRELIMINARY');
    expect(n.cabinet.kk).toContain('2026-04-17 11:00');
    expect(n.cabinet.ru).toContain('Заслушивание: 2026-04-17 11:00');
    expect(n.cabinet.ru).toContain('статья 73 АППК');
    expect(n.cabinet.ru).toContain('приобретено жилище');
    expect(n.cabinet.kk).toContain('ұстанымыңызды');
    expect(n.sms.ru).toContain('351010000-00000042');
  });

  test('the final decision: removed (with the complaint route) or kept', () => {
    const removed = removalDecidedNotice({ ref: 'ЕШ-1', registrationNumber: 'N', ground: 'DIED', outcome: 'REMOVE', at: '2026-04-20T12:00:00+05:00', reasoning: 'r' });
    expect(removed.cabinet.ru).toContain('снята с учёта');
    expect(removed.cabinet.ru).toContain('пункт 18');
    const kept = removalDecidedNotice({ ref: 'ЕШ-1', registrationNumber: 'N', ground: 'DIED', outcome: 'KEEP', at: '2026-04-20T12:00:00+05:00', reasoning: 'r' });
    expect(kept.cabinet.ru).toContain('оставлена на учёте');
    expect(kept.cabinet.kk).toContain('есепте қалдырылды');
  });
});
