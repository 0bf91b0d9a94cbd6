import {
  acceptanceInstant,
  addWorkingDays,
  calendarVersion,
  CALENDAR_YEARS,
  CalendarDataError,
  CalendarUnavailableError,
  extendedDecisionDue,
  hearingInstant,
  isWorkingDay,
  loadCalendar,
  nextWorkingDay,
  nonWorkingDays,
  termEnd,
} from '../../domain/calendar';
import { compileCalendarYear } from '../../domain/calendar-file';
import { parseInstant, toAlmatyIso } from '../../domain/time';

const at = (iso: string): number => parseInstant(iso);
const iso = (ms: number): string => toAlmatyIso(ms);
const accept = (received: string): string => iso(acceptanceInstant(at(received)));

describe('SPEC §2 example', () => {
  test('accepted Friday 6 March 2026 10:00 → 1 working day ends Tuesday 10 March 18:30', () => {
    const accepted = acceptanceInstant(at('2026-03-06T10:00:00+05:00'));
    expect(iso(accepted)).toBe('2026-03-06T10:00:00+05:00');
    expect(iso(termEnd(accepted, 1))).toBe('2026-03-10T18:30:00+05:00');
    expect(isWorkingDay('2026-03-09')).toBe(false); // 8 March (Sunday) carried over
  });

  test('A1.3.2: 3 working days from the same acceptance end Thursday 12 March', () => {
    expect(iso(termEnd(at('2026-03-06T10:00:00+05:00'), 3))).toBe('2026-03-12T18:30:00+05:00');
  });
});

describe('carry-over of holidays on weekends (SPEC §3)', () => {
  test('Nauryz 2026 (Sat 21 – Mon 23): carried-over days off are Tue 24 and Wed 25', () => {
    const off = nonWorkingDays(2026);
    for (const d of ['2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24', '2026-03-25']) {
      expect(off).toContain(d);
    }
    expect(isWorkingDay('2026-03-20')).toBe(true);
    expect(isWorkingDay('2026-03-26')).toBe(true);
    expect(nextWorkingDay('2026-03-20')).toBe('2026-03-26');
    const carried = loadCalendar(2026).carryOvers.map((c) => [c.holiday.date, c.date]);
    expect(carried).toEqual([
      ['2026-03-08', '2026-03-09'],
      ['2026-03-21', '2026-03-24'],
      ['2026-03-22', '2026-03-25'],
      ['2026-05-09', '2026-05-11'],
      ['2026-10-25', '2026-10-26'],
    ]);
  });

  test('2025 matches the published calendar: 246 working days', () => {
    const cal = loadCalendar(2025);
    expect(cal.carryOvers.map((c) => c.date)).toEqual([
      '2025-03-10',
      '2025-03-24',
      '2025-03-25',
      '2025-07-07',
      '2025-09-01',
      '2025-10-27',
    ]);
    expect(365 - cal.nonWorkingDays.length).toBe(246);
  });

  test('religious holidays (Orthodox Christmas, Kurban Ait) are days off', () => {
    expect(isWorkingDay('2025-01-07')).toBe(false);
    expect(isWorkingDay('2025-06-06')).toBe(false);
    expect(isWorkingDay('2026-05-27')).toBe(false);
  });

  test('Constitution Day: 30 Aug up to 2025, none in 2026, 15 Mar from 2027', () => {
    expect(isWorkingDay('2025-09-01')).toBe(false); // 30 Aug 2025 was Saturday
    expect(isWorkingDay('2026-08-31')).toBe(true); // no carry-over of 30 Aug 2026 (Sunday)
    expect(loadCalendar(2026).holidays.map((h) => h.date)).not.toContain('2026-08-30');
    expect(isWorkingDay('2027-03-15')).toBe(false); // Monday
    expect(isWorkingDay('2027-08-30')).toBe(true); // Monday, no longer a holiday
    expect(isWorkingDay('2027-03-24')).toBe(false); // Nauryz 21 Mar 2027 is a Sunday
    expect(isWorkingDay('2027-01-04')).toBe(false); // 2 Jan 2027 is a Saturday
  });
});

describe('Government transfers (2025: Friday 3 Jan off, Sunday 5 Jan worked)', () => {
  test('3 January 2025 is a day off and Sunday 5 January a working day', () => {
    expect(isWorkingDay('2025-01-03')).toBe(false);
    expect(isWorkingDay('2025-01-04')).toBe(false);
    expect(isWorkingDay('2025-01-05')).toBe(true);
    expect(nonWorkingDays(2025)).not.toContain('2025-01-05');
    expect(nextWorkingDay('2025-01-02')).toBe('2025-01-05');
  });

  test('acceptance and terms use the worked Sunday', () => {
    expect(accept('2025-01-03T11:00:00+05:00')).toBe('2025-01-05T09:00:00+05:00');
    expect(accept('2025-01-05T11:00:00+05:00')).toBe('2025-01-05T11:00:00+05:00');
    // 6 Jan (Mon) is the 1st working day; 7 Jan is Christmas; 8 Jan the 2nd.
    expect(iso(termEnd(at('2025-01-05T11:00:00+05:00'), 2))).toBe('2025-01-08T18:30:00+05:00');
  });
});

describe('acceptance (A1.7.2, SPEC §2 Interpretation)', () => {
  // Tuesday 10 March 2026 is a working day.
  test.each([
    ['2026-03-10T00:00:00+05:00', '2026-03-10T09:00:00+05:00'],
    ['2026-03-10T08:59:00+05:00', '2026-03-10T09:00:00+05:00'],
    ['2026-03-10T08:59:59.999+05:00', '2026-03-10T09:00:00+05:00'],
    ['2026-03-10T09:00:00+05:00', '2026-03-10T09:00:00+05:00'],
    ['2026-03-10T13:30:00+05:00', '2026-03-10T13:30:00+05:00'], // lunch does not delay acceptance
    ['2026-03-10T18:29:00+05:00', '2026-03-10T18:29:00+05:00'],
    ['2026-03-10T18:29:59.999+05:00', '2026-03-10T18:29:59.999+05:00'],
    ['2026-03-10T18:30:00+05:00', '2026-03-11T09:00:00+05:00'],
    ['2026-03-10T23:59:59+05:00', '2026-03-11T09:00:00+05:00'],
  ])('working day: received %s → accepted %s', (received, accepted) => {
    expect(accept(received)).toBe(accepted);
  });

  test('the receipt offset does not matter, only the instant', () => {
    expect(accept('2026-03-10T03:59:00Z')).toBe('2026-03-10T09:00:00+05:00'); // 08:59 in Astana
    expect(accept('2026-03-10T13:30:00Z')).toBe('2026-03-11T09:00:00+05:00'); // 18:30 in Astana
  });

  test('Friday after hours, weekend and holidays → 09:00 of the next working day', () => {
    expect(accept('2026-03-06T18:30:00+05:00')).toBe('2026-03-10T09:00:00+05:00');
    expect(accept('2026-03-07T10:00:00+05:00')).toBe('2026-03-10T09:00:00+05:00'); // Saturday
    expect(accept('2026-03-08T08:00:00+05:00')).toBe('2026-03-10T09:00:00+05:00'); // Sunday, holiday
    expect(accept('2026-03-09T10:00:00+05:00')).toBe('2026-03-10T09:00:00+05:00'); // carry-over Monday
    expect(accept('2026-03-21T12:00:00+05:00')).toBe('2026-03-26T09:00:00+05:00'); // Nauryz
    expect(accept('2026-05-27T08:00:00+05:00')).toBe('2026-05-28T09:00:00+05:00'); // Kurban Ait
  });
});

describe('year boundaries', () => {
  test('a term crossing New Year 2025 → 2026', () => {
    const accepted = acceptanceInstant(at('2025-12-31T10:00:00+05:00'));
    // 1–2 Jan holidays, 3–4 Jan weekend: Monday 5 January is the 1st working day.
    expect(iso(termEnd(accepted, 1))).toBe('2026-01-05T18:30:00+05:00');
    // 6 Jan is the 2nd, 7 Jan Christmas, 8 Jan the 3rd.
    expect(iso(termEnd(accepted, 3))).toBe('2026-01-08T18:30:00+05:00');
    expect(accept('2025-12-31T18:30:00+05:00')).toBe('2026-01-05T09:00:00+05:00');
  });

  test('a term crossing into 2027 uses the carry-over of 2 Jan 2027 (Saturday)', () => {
    expect(iso(termEnd(at('2026-12-31T10:00:00+05:00'), 1))).toBe('2027-01-05T18:30:00+05:00');
  });

  test('a term running into a year without data is refused, not guessed (SPEC §3)', () => {
    expect(() => termEnd(at('2027-12-30T10:00:00+05:00'), 3)).toThrow(CalendarUnavailableError);
    expect(() => acceptanceInstant(at('2027-12-31T19:00:00+05:00'))).toThrow(CalendarUnavailableError);
  });
});

describe('refusing a year without data (SPEC §3)', () => {
  test.each([2024, 2028, 1999])('%i', (year) => {
    expect(() => loadCalendar(year)).toThrow(CalendarUnavailableError);
    expect(() => nonWorkingDays(year)).toThrow(CalendarUnavailableError);
    expect(() => isWorkingDay(`${year}-06-01`)).toThrow(CalendarUnavailableError);
    try {
      loadCalendar(year);
    } catch (err) {
      const e = err as CalendarUnavailableError;
      expect(e.year).toBe(year);
      expect(e.reason.code).toBe('CALENDAR_UNAVAILABLE');
      expect(e.reason.ru).toContain(String(year));
    }
  });

  test('acceptance on a date without data', () => {
    expect(() => acceptanceInstant(at('2024-12-31T10:00:00+05:00'))).toThrow(CalendarUnavailableError);
  });
});

describe('calendar lists and versions', () => {
  test('nonWorkingDays is sorted, unique, includes ordinary weekends', () => {
    for (const year of CALENDAR_YEARS) {
      const off = nonWorkingDays(year);
      expect([...off].sort()).toEqual(off);
      expect(new Set(off).size).toBe(off.length);
      expect(off.every((d) => d.startsWith(`${year}-`))).toBe(true);
    }
    expect(nonWorkingDays(2026)).toContain('2026-01-10'); // a plain Saturday
    expect(nonWorkingDays(2026)).toHaveLength(365 - 247);
  });

  test('the returned list is a copy', () => {
    const off = nonWorkingDays(2026);
    off.push('2026-12-31');
    expect(nonWorkingDays(2026)).not.toContain('2026-12-31');
  });

  test('calendarVersion() lists every year version', () => {
    expect(CALENDAR_YEARS).toEqual([2025, 2026, 2027]);
    expect(calendarVersion()).toBe(CALENDAR_YEARS.map((y) => loadCalendar(y).version).join(','));
  });

  test('2027 is provisional: Kurban Ait not yet decreed', () => {
    const cal = loadCalendar(2027);
    expect(cal.status).toBe('provisional');
    expect(cal.holidays.some((h) => h.religious && h.date.slice(5) !== '01-07')).toBe(false);
  });
});

describe('addWorkingDays / nextWorkingDay', () => {
  test('counting starts the day after', () => {
    expect(addWorkingDays('2026-03-06', 0)).toBe('2026-03-06');
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-10');
    expect(addWorkingDays('2026-03-07', 1)).toBe('2026-03-10');
    expect(nextWorkingDay('2026-03-10')).toBe('2026-03-11');
  });

  test('bad counts are refused', () => {
    expect(() => addWorkingDays('2026-03-06', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-06', 1.5)).toThrow(RangeError);
    expect(() => termEnd(at('2026-03-06T10:00:00+05:00'), 0)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-02-30', 0)).toThrow(RangeError);
  });
});

describe('R17 hearing and extended decision (SPEC §7 Interpretation)', () => {
  test('notice Friday 6 March 2026 → hearing Wed 11 March 11:00, decision due Thu 12 March 18:30', () => {
    const notice = at('2026-03-06T15:00:00+05:00');
    expect(iso(hearingInstant(notice))).toBe('2026-03-11T11:00:00+05:00');
    expect(iso(extendedDecisionDue(notice))).toBe('2026-03-12T18:30:00+05:00');
  });

  test('a notice sent on a day off still counts from that day', () => {
    const notice = at('2026-03-21T10:00:00+05:00'); // Nauryz Saturday
    expect(iso(hearingInstant(notice))).toBe('2026-03-27T11:00:00+05:00');
    expect(iso(extendedDecisionDue(notice))).toBe('2026-03-30T18:30:00+05:00');
  });
});

describe('compileCalendarYear: the carry-over rule on synthetic data', () => {
  const name = { kk: 'x', ru: 'x', en: 'x' };
  const base = {
    year: 2030,
    version: 'test',
    status: 'provisional',
    sources: [{ title: 'test', url: 'https://example.invalid' }],
    notes: [],
    transfers: [] as unknown[],
  };

  test('religious holidays on a weekend are not carried over', () => {
    // 2030-01-05 is a Saturday, 2030-01-06 a Sunday.
    const cal = compileCalendarYear(
      {
        ...base,
        holidays: [
          { date: '2030-01-05', name, religious: true },
          { date: '2030-01-06', name, religious: false },
        ],
      },
      2030,
    );
    expect(cal.carryOvers.map((c) => c.date)).toEqual(['2030-01-07']);
  });

  test('a carry-over skips a Government extra day off', () => {
    const cal = compileCalendarYear(
      {
        ...base,
        holidays: [{ date: '2030-01-06', name, religious: false }],
        transfers: [{ from: '2030-01-12', to: '2030-01-07', act: 'test', note: name }],
      },
      2030,
    );
    expect(cal.carryOvers.map((c) => c.date)).toEqual(['2030-01-08']);
    expect(cal.nonWorkingDays).toContain('2030-01-07');
    expect(cal.nonWorkingDays).not.toContain('2030-01-12');
  });

  test.each([
    ['a transfer source that is a weekday', { from: '2030-01-07', to: '2030-01-08' }],
    ['a transfer target on a weekend', { from: '2030-01-12', to: '2030-01-13' }],
    ['a transfer leaving the year', { from: '2030-12-28', to: '2031-01-02' }],
  ])('refuses %s', (_label, t) => {
    expect(() =>
      compileCalendarYear({ ...base, holidays: [], transfers: [{ ...t, act: 'test', note: name }] }, 2030),
    ).toThrow(CalendarDataError);
  });

  test('refuses malformed data and a wrong year', () => {
    expect(() => compileCalendarYear({ ...base, holidays: [{ date: '2030-02-30', name, religious: false }] }, 2030)).toThrow(
      CalendarDataError,
    );
    expect(() => compileCalendarYear({ ...base, holidays: [] }, 2031)).toThrow(CalendarDataError);
  });
});
