/** The pages' dates (web/src/dates.ts): Kazakhstan time, UTC+05:00 (SPEC §2), in Kazakh and Russian. */
import { formatDate, formatInstant } from '../../web/src/dates';

describe('dates on the pages', () => {
  it('shows an instant as the wall clock in UTC+05:00', () => {
    expect(formatInstant('2026-12-03T02:40:00Z', 'kk')).toBe('2026 ж. 3 желтоқсан, 07:40');
    expect(formatInstant('2026-12-03T07:40:00+05:00', 'kk')).toBe('2026 ж. 3 желтоқсан, 07:40');
    expect(formatInstant('2026-12-03T02:40:00Z', 'ru')).toMatch(/^3 декабря 2026 г\.,? (в )?07:40$/);
  });

  it('crosses midnight and the year by the +05:00 clock, not the browser’s', () => {
    expect(formatInstant('2026-12-31T19:30:00Z', 'kk')).toBe('2027 ж. 1 қаңтар, 00:30');
    expect(formatInstant('2026-12-31T19:30:00Z', 'ru')).toMatch(/^1 января 2027/);
  });

  it('shows a calendar date without a time', () => {
    expect(formatDate('2026-05-09', 'kk')).toBe('2026 ж. 9 мамыр');
    expect(formatDate('2026-05-09', 'ru')).toBe('9 мая 2026 г.');
  });
});
