import {
  addDays,
  addYears,
  almatyDate,
  almatyInstant,
  dayOfWeek,
  daysBetween,
  InvalidInstantError,
  isIsoDate,
  parseInstant,
  toAlmatyIso,
} from '../../domain/time';

describe('parseInstant (SPEC §2: instants carry an offset)', () => {
  test('reads +05:00, Z and other offsets as the same instant', () => {
    const ms = Date.UTC(2026, 2, 6, 5, 0, 0);
    expect(parseInstant('2026-03-06T10:00:00+05:00')).toBe(ms);
    expect(parseInstant('2026-03-06T05:00:00Z')).toBe(ms);
    expect(parseInstant('2026-03-06T02:00:00-03:00')).toBe(ms);
    expect(parseInstant('2026-03-06T10:00+05:00')).toBe(ms);
  });

  test('keeps milliseconds (receivedAt orders the queue)', () => {
    expect(parseInstant('2026-03-06T10:00:00.123+05:00')).toBe(Date.UTC(2026, 2, 6, 5, 0, 0, 123));
    expect(parseInstant('2026-03-06T10:00:00.5+05:00')).toBe(Date.UTC(2026, 2, 6, 5, 0, 0, 500));
    expect(parseInstant('2026-03-06T10:00:00.123456+05:00')).toBe(Date.UTC(2026, 2, 6, 5, 0, 0, 123));
  });

  test.each([
    ['2026-03-06T10:00:00', 'NO_OFFSET'],
    ['2026-03-06 10:00:00', 'NO_OFFSET'],
    ['2026-03-06T10:00', 'NO_OFFSET'],
    ['2026-03-06', 'BAD_FORMAT'],
    ['yesterday', 'BAD_FORMAT'],
    ['', 'BAD_FORMAT'],
    ['2026-03-06T10:00:00+0500', 'BAD_FORMAT'],
    ['2026-02-29T10:00:00+05:00', 'BAD_VALUE'],
    ['2026-13-01T10:00:00+05:00', 'BAD_VALUE'],
    ['2026-03-06T24:00:00+05:00', 'BAD_VALUE'],
    ['2026-03-06T10:60:00+05:00', 'BAD_VALUE'],
    ['2026-03-06T10:00:60+05:00', 'BAD_VALUE'],
    ['2026-03-06T10:00:00+15:00', 'BAD_VALUE'],
  ])('refuses %j with %s', (input, code) => {
    expect(() => parseInstant(input)).toThrow(InvalidInstantError);
    try {
      parseInstant(input);
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInstantError);
      const e = err as InvalidInstantError;
      expect(e.code).toBe(code);
      expect(e.reason.kk).not.toBe('');
      expect(e.reason.ru).not.toBe('');
      expect(e.reason.en).not.toBe('');
    }
  });
});

describe('Kazakhstan wall clock, UTC+05:00 all year', () => {
  test('toAlmatyIso formats with +05:00 and round-trips', () => {
    const ms = Date.UTC(2026, 2, 6, 5, 0, 0);
    expect(toAlmatyIso(ms)).toBe('2026-03-06T10:00:00+05:00');
    expect(parseInstant(toAlmatyIso(ms))).toBe(ms);
    const withMs = ms + 7;
    expect(toAlmatyIso(withMs)).toBe('2026-03-06T10:00:00.007+05:00');
    expect(parseInstant(toAlmatyIso(withMs))).toBe(withMs);
  });

  test('summer and winter have the same offset (no DST since 1 March 2024)', () => {
    expect(toAlmatyIso(Date.UTC(2026, 0, 15, 12))).toBe('2026-01-15T17:00:00+05:00');
    expect(toAlmatyIso(Date.UTC(2026, 6, 15, 12))).toBe('2026-07-15T17:00:00+05:00');
  });

  test('almatyDate switches at 19:00 UTC', () => {
    expect(almatyDate(Date.UTC(2026, 2, 5, 18, 59, 59, 999))).toBe('2026-03-05');
    expect(almatyDate(Date.UTC(2026, 2, 5, 19, 0, 0))).toBe('2026-03-06');
    expect(almatyDate(Date.UTC(2025, 11, 31, 19, 0, 0))).toBe('2026-01-01');
  });

  test('almatyInstant', () => {
    expect(almatyInstant('2026-03-06', '09:00')).toBe(Date.UTC(2026, 2, 6, 4, 0));
    expect(almatyInstant('2026-01-01', '00:00')).toBe(Date.UTC(2025, 11, 31, 19, 0));
    expect(() => almatyInstant('2026-03-06', '9:00')).toThrow(RangeError);
    expect(() => almatyInstant('2026-03-06', '24:00')).toThrow(RangeError);
    expect(() => almatyInstant('2026-02-30', '09:00')).toThrow(RangeError);
  });

  test('results do not depend on the process time zone (no tzdata for Asia/Almaty)', () => {
    const saved = process.env.TZ;
    const results: string[] = [];
    try {
      for (const tz of ['UTC', 'Asia/Almaty', 'America/New_York', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        const ms = parseInstant('2026-03-29T01:30:00+05:00');
        results.push(`${toAlmatyIso(ms)} ${almatyDate(ms)} ${almatyInstant('2026-03-29', '09:00')} ${addDays('2026-03-28', 1)}`);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect(new Set(results).size).toBe(1);
  });
});

describe('date arithmetic on YYYY-MM-DD', () => {
  test('addDays across months, years and leap days', () => {
    expect(addDays('2026-03-06', 4)).toBe('2026-03-10');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('0050-01-01', 0)).toBe('0050-01-01');
  });

  test('dayOfWeek is ISO (1 = Monday, 7 = Sunday)', () => {
    expect(dayOfWeek('2026-03-06')).toBe(5); // Friday (SPEC §2 example)
    expect(dayOfWeek('2026-03-08')).toBe(7); // Sunday
    expect(dayOfWeek('2026-03-09')).toBe(1); // Monday
    expect(dayOfWeek('2025-01-05')).toBe(7);
  });

  test('addYears: 29 February becomes 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2024-02-29', -5)).toBe('2019-02-28');
    expect(addYears('2026-03-06', -5)).toBe('2021-03-06');
    expect(addYears('2000-02-29', -100)).toBe('1900-02-28');
  });

  test('isIsoDate and daysBetween', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-2-28')).toBe(false);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2026-03-10', '2026-03-06')).toBe(-4);
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});
