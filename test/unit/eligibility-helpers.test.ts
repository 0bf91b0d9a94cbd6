/**
 * Date and locality helpers of the eligibility engine (SPEC §2 time, SPEC §4 "Locality").
 */
import {
  addDays,
  addYears,
  ageOn,
  compareDates,
  formatDotted,
  isIsoDate,
  kazakhstanDate,
  periodOverlaps,
} from '../../domain/eligibility/dates';
import { isRepublicanCity, localityOf, sameLocality } from '../../domain/eligibility/locality';
import { firstUncoveredDay } from '../../domain/eligibility/grounds/requirements';

describe('dates (SPEC §2: UTC+05:00, no tz database)', () => {
  test('kazakhstanDate: the date part at +05:00, shifting other offsets', () => {
    expect(kazakhstanDate('2026-03-06T10:00:00+05:00')).toBe('2026-03-06');
    expect(kazakhstanDate('2026-03-06T23:59:59.999+05:00')).toBe('2026-03-06');
    expect(kazakhstanDate('2026-03-05T19:00:00Z')).toBe('2026-03-06');
    expect(kazakhstanDate('2026-03-05T18:59:00Z')).toBe('2026-03-05');
    // Old tzdata's +06:00 for Almaty: 00:30+06 is 23:30 the day before in Kazakhstan time.
    expect(kazakhstanDate('2024-03-02T00:30:00+06:00')).toBe('2024-03-01');
    expect(kazakhstanDate('2025-12-31T22:00:00-03:00')).toBe('2026-01-01');
    expect(() => kazakhstanDate('2026-03-06 10:00')).toThrow(RangeError);
  });

  test('addYears: 29 February falls back to 28 February (R15.2 window from a leap day)', () => {
    expect(addYears('2028-02-29', -5)).toBe('2023-02-28');
    expect(addYears('2026-03-10', -5)).toBe('2021-03-10');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  test('addDays crosses months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  test('ageOn: full years; birthday on the day counts (R11 adult, A1.8 child under 18, R6 orphan under 29)', () => {
    expect(ageOn('2008-03-10', '2026-03-10')).toBe(18);
    expect(ageOn('2008-03-11', '2026-03-10')).toBe(17);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  test('periodOverlaps: closed periods, open end = still running', () => {
    expect(periodOverlaps('2010-01-01', '2021-03-09', '2021-03-10', '2026-03-10')).toBe(false);
    expect(periodOverlaps('2010-01-01', '2021-03-10', '2021-03-10', '2026-03-10')).toBe(true);
    expect(periodOverlaps('2026-03-10', undefined, '2021-03-10', '2026-03-10')).toBe(true);
    expect(periodOverlaps('2026-03-11', undefined, '2021-03-10', '2026-03-10')).toBe(false);
  });

  test('validation and formatting', () => {
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(() => compareDates('2024-13-01', '2024-01-01')).toThrow(RangeError);
    expect(formatDotted('2026-03-10')).toBe('10.03.2026');
  });
});

describe('locality (SPEC §4: districts of Astana, Almaty, Shymkent belong to the city)', () => {
  test('localityOf maps district codes to the city and leaves other codes alone', () => {
    expect(localityOf('711310000')).toBe('710000000');
    expect(localityOf('751210000')).toBe('750000000');
    expect(localityOf('791610000')).toBe('790000000');
    expect(localityOf('351010000')).toBe('351010000');
    expect(localityOf('193630100')).toBe('193630100'); // Almaty region is not Almaty city
  });

  test('isRepublicanCity (R6) and sameLocality', () => {
    expect(isRepublicanCity('750000000')).toBe(true);
    expect(isRepublicanCity('751510000')).toBe(true);
    expect(isRepublicanCity('191610000')).toBe(false);
    expect(sameLocality('751210000', '751510000')).toBe(true);
    expect(sameLocality('711310000', '751510000')).toBe(false);
  });
});

describe('R6 continuity (firstUncoveredDay)', () => {
  const A = '750000000';
  test('overlapping and out-of-order periods still cover the window', () => {
    const periods = [
      { kato: '751510000', from: '2024-01-01' },
      { kato: '751210000', from: '2022-01-01', to: '2024-06-01' },
    ];
    expect(firstUncoveredDay(periods, A, '2023-03-10', '2026-03-10')).toBeUndefined();
  });

  test('a period ending before the acceptance day leaves the tail uncovered', () => {
    expect(firstUncoveredDay([{ kato: A, from: '2020-01-01', to: '2026-03-09' }], A, '2023-03-10', '2026-03-10')).toBe(
      '2026-03-10',
    );
  });

  test('no periods at all: uncovered from the window start', () => {
    expect(firstUncoveredDay([], A, '2023-03-10', '2026-03-10')).toBe('2023-03-10');
  });
});
