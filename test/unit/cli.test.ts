import { expectNoStackTrace as noStackTrace, hpc } from '../helpers/cli';

jest.setTimeout(120_000);

describe('hpc CLI', () => {
  test('calendar 2026 lists non-working days', () => {
    const r = hpc('calendar', '2026');
    expect(r.status).toBe(0);
    const body = r.json as { year: number; nonWorkingDays: string[] };
    expect(body.year).toBe(2026);
    expect(body.nonWorkingDays).toEqual(expect.arrayContaining(['2026-01-01', '2026-03-09', '2026-03-24', '2026-03-25']));
    expect(body.nonWorkingDays).not.toContain('2026-08-31');
  });

  test('calendar for a year without data is a JSON error, exit 1', () => {
    const r = hpc('calendar', '2030');
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'CALENDAR_UNAVAILABLE', field: 'year' } });
    noStackTrace(r);
  });

  test('term: SPEC §2 example', () => {
    const r = hpc('term', '2026-03-06T10:00:00+05:00', '1');
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({
      acceptedAt: '2026-03-06T10:00:00+05:00',
      dueAt: '2026-03-10T18:30:00+05:00',
    });
  });

  test('term: received on Saturday is accepted Tuesday 09:00 after the carried-over Monday', () => {
    const r = hpc('term', '2026-03-07T03:00:00Z', '3');
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ acceptedAt: '2026-03-10T09:00:00+05:00', dueAt: '2026-03-13T18:30:00+05:00' });
  });

  test.each([
    [['2026-03-06T10:00:00', '1'], 'receivedAt', 'NO_OFFSET'],
    [['tomorrow', '1'], 'receivedAt', 'BAD_FORMAT'],
    [['2026-03-06T10:00:00+05:00', '0'], 'workingDays', 'BAD_WORKING_DAYS'],
    [['2026-03-06T10:00:00+05:00', '1.5'], 'workingDays', 'BAD_WORKING_DAYS'],
    [['2026-03-06T10:00:00+05:00', 'x'], 'workingDays', 'BAD_WORKING_DAYS'],
  ])('term %j → error on %s (%s), exit 1', (args, field, code) => {
    const r = hpc('term', ...args);
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ error: { code, field, reason: { kk: expect.any(String), ru: expect.any(String), en: expect.any(String) } } });
    noStackTrace(r);
  });

  test('term running into a year without data is refused', () => {
    const r = hpc('term', '2027-12-31T10:00:00+05:00', '1');
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'CALENDAR_UNAVAILABLE', details: { year: 2028 } } });
  });

  test('iin valid', () => {
    const r = hpc('iin', '871008400002');
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ valid: true, birthDate: '1987-10-08', sex: 'F' });
  });

  test('iin invalid (NCA test IIN) → reason, exit 1', () => {
    const r = hpc('iin', '123456789011');
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ valid: false, reason: { code: 'CHECKSUM' } });
  });

  test('usage errors are JSON, never a stack trace', () => {
    for (const args of [['bogus'], ['term'], ['iin']]) {
      const r = hpc(...args);
      expect(r.status).toBe(1);
      expect(r.json).toMatchObject({ error: { code: 'USAGE' } });
      noStackTrace(r);
    }
  });
});
