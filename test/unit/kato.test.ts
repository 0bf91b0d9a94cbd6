import {
  isRepublicanCity,
  katoEntries,
  katoName,
  KATO_VERSION,
  localityOf,
  REPUBLICAN_CITIES,
  validateKato,
} from '../../domain/kato';

describe('localityOf (SPEC §4 "Locality")', () => {
  test.each([
    ['711210000', '710000000'], // Astana, Yesil district
    ['711410000', '710000000'], // Astana, Baikonyr district
    ['710000000', '710000000'],
    ['751410000', '750000000'], // Almaty, Bostandyk district
    ['751910000', '750000000'], // Almaty, Turksib district
    ['791310000', '790000000'], // Shymkent, Al-Farabi district
    ['351010000', '351010000'], // Karaganda is its own locality
    ['611010000', '611010000'], // Turkistan
    ['614030100', '614030100'], // a village
    ['123456789', '123456789'], // not in the reference: still mapped by the rule
  ])('%s → %s', (code, locality) => {
    expect(localityOf(code)).toBe(locality);
  });

  test('every district in the reference belongs to its parent city', () => {
    for (const e of katoEntries().filter((x) => x.kind === 'CITY_DISTRICT')) {
      expect(e.parent).toBeDefined();
      expect(localityOf(e.code)).toBe(e.parent);
    }
  });

  test('refuses a malformed code', () => {
    expect(() => localityOf('71121000')).toThrow(RangeError);
    expect(() => isRepublicanCity('abc')).toThrow(RangeError);
  });
});

describe('isRepublicanCity (R6)', () => {
  test('cities and their districts', () => {
    expect(REPUBLICAN_CITIES).toEqual(['710000000', '750000000', '790000000']);
    expect(isRepublicanCity('750000000')).toBe(true);
    expect(isRepublicanCity('751110000')).toBe(true);
    expect(isRepublicanCity('791910000')).toBe(true);
    expect(isRepublicanCity('351010000')).toBe(false);
    expect(isRepublicanCity('191010000')).toBe(false);
  });
});

describe('validateKato', () => {
  test('known codes are valid', () => {
    expect(validateKato('710000000')).toEqual({ valid: true });
    expect(validateKato('751410000')).toEqual({ valid: true });
  });

  test.each([
    ['71000000', 'FORMAT'],
    ['7100000000', 'FORMAT'],
    ['71000000a', 'FORMAT'],
    ['', 'FORMAT'],
    ['999999999', 'UNKNOWN'],
    ['511010000', 'UNKNOWN'], // Shymkent before 2018
  ])('%j → %s', (code, reason) => {
    const r = validateKato(code);
    expect(r.valid).toBe(false);
    if (!r.valid) {
      expect(r.reason.code).toBe(reason);
      expect(r.reason.kk && r.reason.ru && r.reason.en).toBeTruthy();
    }
  });
});

describe('reference data', () => {
  test('versioned, unique 9-digit codes, names in kk and ru', () => {
    expect(KATO_VERSION).toMatch(/\S/);
    const codes = katoEntries().map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThanOrEqual(30);
    for (const e of katoEntries()) {
      expect(e.code).toMatch(/^\d{9}$/);
      expect(katoName(e.code)).toEqual({ kk: e.name.kk, ru: e.name.ru });
    }
  });

  test('the three republican cities and their districts are present', () => {
    expect(katoName('710000000')).toEqual({ kk: 'Астана', ru: 'Астана' });
    expect(katoName('750000000')?.ru).toBe('Алматы');
    expect(katoName('790000000')?.ru).toBe('Шымкент');
    const districtsOf = (city: string): number =>
      katoEntries().filter((e) => e.kind === 'CITY_DISTRICT' && e.parent === city).length;
    expect(districtsOf('710000000')).toBe(6);
    expect(districtsOf('750000000')).toBe(8);
    expect(districtsOf('790000000')).toBe(5);
  });

  test('an unknown code has no name', () => {
    expect(katoName('999999999')).toBeUndefined();
  });
});
