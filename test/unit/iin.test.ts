import { iinCheckDigit, isValidIin, makeIin, validateIin } from '../../domain/iin';

describe('validateIin (SPEC §11)', () => {
  test('valid IIN with the first weights', () => {
    expect(validateIin('871008400002')).toEqual({ valid: true, birthDate: '1987-10-08', sex: 'F' });
  });

  test('second-weights branch: first sum mod 11 is 10, second resolves', () => {
    // Σ dᵢ·i for 87100840030 is 10 mod 11; with 3,4,…,11,1,2 it is 6.
    expect(iinCheckDigit('87100840030')).toBe(6);
    expect(validateIin('871008400306')).toEqual({ valid: true, birthDate: '1987-10-08', sex: 'F' });
    expect(validateIin('871008400300').valid).toBe(false);
  });

  test('both passes give 10: no such IIN', () => {
    expect(iinCheckDigit('87100840032')).toBeNull();
    for (const k of '0123456789') {
      const r = validateIin(`87100840032${k}`);
      expect(r.valid).toBe(false);
      if (!r.valid) expect(r.reason.code).toBe('CHECKSUM_UNRESOLVABLE');
    }
  });

  test('NCA test IIN 123456789011 fails the checksum', () => {
    const r = validateIin('123456789011');
    expect(r.valid).toBe(false);
    if (!r.valid) expect(r.reason.code).toBe('CHECKSUM');
  });

  test('a single wrong digit is caught', () => {
    expect(isValidIin('871008400002')).toBe(true);
    expect(isValidIin('871008400003')).toBe(false);
    expect(isValidIin('871009400002')).toBe(false);
  });

  test.each([
    ['000101100006', '1800-01-01', 'M'],
    ['900101300004', '1990-01-01', 'M'],
    ['000229500008', '2000-02-29', 'M'],
  ])('century and sex digit: %s → %s %s', (iin, birthDate, sex) => {
    const expected = iinCheckDigit(iin.slice(0, 11));
    const fixed = iin.slice(0, 11) + String(expected);
    expect(validateIin(fixed)).toEqual({ valid: true, birthDate, sex });
  });

  test('every century/sex digit 1–6 decodes', () => {
    const cases: Array<[number, string, 'M' | 'F']> = [
      [1, '1885', 'M'],
      [2, '1885', 'F'],
      [3, '1985', 'M'],
      [4, '1985', 'F'],
      [5, '2085', 'M'],
      [6, '2085', 'F'],
    ];
    for (const [c, year, sex] of cases) {
      const iin = makeIin(`${year}-05-17`, sex, 1234);
      expect(iin[6]).toBe(String(c));
      expect(validateIin(iin)).toEqual({ valid: true, birthDate: `${year}-05-17`, sex });
    }
  });

  test.each([
    ['12345', 'FORMAT'],
    ['', 'FORMAT'],
    ['87100840000a', 'FORMAT'],
    ['8710084000021', 'FORMAT'],
    [' 871008400002', 'FORMAT'],
    ['900101700002', 'CENTURY_SEX'], // C = 7, checksum right
    ['900101000008', 'CENTURY_SEX'], // C = 0, checksum right
    ['000229300005', 'BIRTH_DATE'], // 29 Feb 1900 does not exist
    ['050229500806', 'BIRTH_DATE'], // 29 Feb 2005 does not exist
  ])('%j is invalid: %s, with kk/ru/en reason', (iin, code) => {
    const r = validateIin(iin);
    expect(r.valid).toBe(false);
    if (!r.valid) {
      expect(r.reason.code).toBe(code);
      expect(r.reason.kk.length).toBeGreaterThan(0);
      expect(r.reason.ru.length).toBeGreaterThan(0);
      expect(r.reason.en.length).toBeGreaterThan(0);
    }
  });
});

describe('makeIin', () => {
  test('builds the expected IIN', () => {
    expect(makeIin('1987-10-08', 'F', 0)).toBe('871008400002');
    expect(makeIin('1987-10-08', 'F', 30)).toBe('871008400306');
  });

  test('bumps the serial when the checksum is unresolvable', () => {
    const iin = makeIin('1987-10-08', 'F', 32);
    expect(iin.slice(0, 11)).toBe('87100840033');
    expect(isValidIin(iin)).toBe(true);
  });

  test('wraps serial 9999 → 0000 if needed and always round-trips', () => {
    const dates = ['1899-12-31', '1900-01-01', '1955-06-15', '1999-12-31', '2000-01-01', '2008-02-29', '2024-11-30'];
    for (const d of dates) {
      for (const sex of ['M', 'F'] as const) {
        for (let serial = 0; serial < 10000; serial += 97) {
          const iin = makeIin(d, sex, serial);
          expect(validateIin(iin)).toEqual({ valid: true, birthDate: d, sex });
        }
      }
    }
  });

  test('refuses impossible inputs', () => {
    expect(() => makeIin('1799-12-31', 'M', 1)).toThrow(RangeError);
    expect(() => makeIin('2100-01-01', 'M', 1)).toThrow(RangeError);
    expect(() => makeIin('2001-02-29', 'M', 1)).toThrow(RangeError);
    expect(() => makeIin('1990-01-01', 'M', 10000)).toThrow(RangeError);
    expect(() => makeIin('1990-01-01', 'M', -1)).toThrow(RangeError);
    expect(() => makeIin('1990-01-01', 'M', 1.5)).toThrow(RangeError);
  });
});
