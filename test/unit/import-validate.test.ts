/**
 * Row validation of `hpc import-unified` (import/validate.ts): every rejection reason, the
 * duplicate and database rules, the CSV splitter, and the fast paths agreeing with the domain rules.
 */
import fc from 'fast-check';
import { splitCsvLine, LineSplitter } from '../../import/csv';
import { almatyYmd, fastIinBirth, fastInstant } from '../../import/fast';
import { recordSignature, RowChecker, validateFields, type ExistingEntry } from '../../import/validate';
import { makeIin, validateIin } from '../../domain/iin';
import { almatyDate, parseInstant } from '../../domain/time';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const IIN = makeIin('1980-04-12', 'M', 1234); // born 12 April 1980
const ROW = [IIN, '351010000', '2012-03-05T10:15:00+06:00', 'LARGE_FAMILY;ORPHAN', 'Қарағанды қаласының әкімдігі'];

function codesOf(fields: string[] | null): string[] {
  const r = validateFields(fields, NOW);
  return 'problems' in r ? r.problems.map((p) => `${p.field}:${p.code}`) : [];
}
function withField(i: number, value: string): string[] {
  const f = [...ROW];
  f[i] = value;
  return f;
}

describe('validateFields', () => {
  it('accepts a good row: locality of a district, distinct categories, the instant as written', () => {
    const r = validateFields(withField(3, 'ORPHAN; ORPHAN;;LARGE_FAMILY'), NOW);
    expect('row' in r && r.row).toMatchObject({ iin: IIN, locality: '351010000', categories: ['ORPHAN', 'LARGE_FAMILY'] });
    const almaty = validateFields(withField(1, '751110000'), NOW);
    expect('row' in almaty && almaty.row.locality).toBe('750000000');
    const none = validateFields(withField(3, ''), NOW);
    expect('row' in none && none.row.categories).toEqual([]);
  });

  it.each([
    ['bad IIN checksum', withField(0, IIN.slice(0, 11) + String((Number(IIN[11]) + 1) % 10)), 'iin:BAD_IIN'],
    ['IIN not 12 digits', withField(0, '12345'), 'iin:BAD_IIN'],
    ['unknown KATO', withField(1, '999999999'), 'kato:UNKNOWN_KATO'],
    ['KATO not 9 digits', withField(1, '35101'), 'kato:UNKNOWN_KATO'],
    ['unparseable date', withField(2, 'вчера'), 'registered_at:BAD_DATE'],
    ['30 February', withField(2, '2012-02-30T10:00:00+06:00'), 'registered_at:BAD_DATE'],
    ['local time without offset', withField(2, '2012-03-05T10:15:00'), 'registered_at:BAD_DATE'],
    ['date in the future', withField(2, '2026-06-02T10:00:00+05:00'), 'registered_at:DATE_IN_FUTURE'],
    ['before 16 December 1991', withField(2, '1991-12-15T23:00:00+05:00'), 'registered_at:DATE_BEFORE_1991'],
    ['before the birth date in the IIN', withField(0, makeIin('2013-05-10', 'F', 7)), 'registered_at:DATE_BEFORE_BIRTH'],
    ['unknown category', withField(3, 'ORPHAN;NOPE'), 'categories:UNKNOWN_CATEGORY'],
    ['no akimat', withField(4, '  '), 'source_akimat:NO_AKIMAT'],
    ['too few columns', ROW.slice(0, 4), 'row:COLUMN_COUNT'],
    ['too many columns', [...ROW, 'x'], 'row:COLUMN_COUNT'],
  ])('%s', (_name, fields, code) => {
    expect(codesOf(fields)).toEqual([code]);
  });

  it('broken quoting is its own reason; every problem of a row is reported', () => {
    expect(codesOf(splitCsvLine(`${IIN},351010000,"2012-03-05T10:15:00+06:00,,x`))).toEqual(['row:BAD_CSV']);
    expect(codesOf(['1', '2', '3', 'NOPE', ''])).toEqual([
      'iin:BAD_IIN',
      'kato:UNKNOWN_KATO',
      'registered_at:BAD_DATE',
      'categories:UNKNOWN_CATEGORY',
      'source_akimat:NO_AKIMAT',
    ]);
  });

  it('the day of birth itself is not "before birth" (the Kazakhstan day counts)', () => {
    const born = makeIin('2000-01-01', 'F', 55);
    // 18:59:59Z is 23:59:59 on 31 December in Kazakhstan (+05:00): the day before the birth.
    expect(codesOf([born, ROW[1], '2000-01-01T04:59:59+05:00', '', 'a'])).toEqual([]);
    expect(codesOf([born, ROW[1], '1999-12-31T18:59:59Z', '', 'a'])).toEqual(['registered_at:DATE_BEFORE_BIRTH']);
  });
});

describe('RowChecker', () => {
  it('the first valid row of an IIN wins; a later one is rejected naming it', () => {
    const c = new RowChecker(new Map(), NOW);
    expect(c.check(2, withField(1, '999999999')).kind).toBe('reject'); // invalid: does not claim the IIN
    expect(c.check(3, ROW).kind).toBe('load');
    const dup = c.check(7, withField(1, '751110000'));
    expect(dup).toEqual({ kind: 'reject', problems: [expect.objectContaining({ field: 'iin', code: 'DUPLICATE_IN_FILE', firstRow: 3 })] });
  });

  it('against the database: active application entry refused, same migrated record present, other one a conflict', () => {
    const ok = validateFields(ROW, NOW);
    if (!('row' in ok)) throw new Error('fixture row invalid');
    const existing = new Map<string, ExistingEntry>([[IIN, { kind: 'MIGRATED', signature: recordSignature(ok.row) }]]);
    expect(new RowChecker(existing, NOW).check(2, ROW).kind).toBe('present');
    // Categories in another order are the same record.
    expect(new RowChecker(existing, NOW).check(2, withField(3, 'ORPHAN;LARGE_FAMILY')).kind).toBe('present');
    const conflict = new RowChecker(existing, NOW).check(2, withField(2, '2013-03-05T10:15:00+06:00'));
    expect(conflict.kind === 'reject' && conflict.problems[0].code).toBe('CONFLICTS_WITH_MIGRATED');
    const app = new RowChecker(new Map([[IIN, { kind: 'APPLICATION' } as ExistingEntry]]), NOW).check(2, ROW);
    expect(app.kind === 'reject' && app.problems[0].code).toBe('ALREADY_IN_QUEUE');
  });
});

describe('CSV splitting', () => {
  it('quotes, doubled quotes, CRLF and a partial last line', () => {
    expect(splitCsvLine('a,"b, c","d ""e""",')).toEqual(['a', 'b, c', 'd "e"', '']);
    expect(splitCsvLine('a,"b')).toBeNull();
    expect(splitCsvLine('a,b"c')).toBeNull();
    expect(splitCsvLine('"a"x,b')).toBeNull();
    const s = new LineSplitter();
    expect(s.push('h1,h2\r\nx,')).toEqual(['h1,h2']);
    expect(s.push('y\nz')).toEqual(['x,y']);
    expect(s.flush()).toEqual(['z']);
  });
});

describe('fast paths agree with the domain rules', () => {
  it('IIN: any 12 characters of digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), (iin) => {
        const d = validateIin(iin);
        expect(fastIinBirth(iin)).toBe(d.valid ? Number(d.birthDate.replace(/-/g, '')) : 0);
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 9999 }), (d, serial) => {
        const iin = makeIin(d.toISOString().slice(0, 10), serial % 2 ? 'M' : 'F', serial);
        expect(fastIinBirth(iin)).toBe(Number(d.toISOString().slice(0, 10).replace(/-/g, '')));
      }),
    );
  });

  it('instants: the 25-character form, valid or not, and the Almaty date', () => {
    const two = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), two(0, 13), two(0, 32), two(0, 24), two(0, 60), two(0, 60), fc.constantFrom('+', '-'), two(0, 15), two(0, 60), (y, mo, d, h, mi, s, sign, oh, om) => {
        const text = `${y}-${mo}-${d}T${h}:${mi}:${s}${sign}${oh}:${om}`;
        let expected: number;
        try {
          expected = parseInstant(text);
        } catch {
          expected = NaN;
        }
        expect(fastInstant(text)).toBe(expected);
        if (!Number.isNaN(expected)) expect(almatyYmd(expected)).toBe(Number(almatyDate(expected).replace(/-/g, '')));
      }),
      { numRuns: 5000 },
    );
    expect(fastInstant('2012-03-05T10:15:00.5+06:00')).toBeNaN(); // other forms go to parseInstant
  });
});
