import { CATEGORIES, CATEGORIES_VERSION, categoryName, isKnownCategory } from '../../domain/categories';

describe('category reference table (SPEC §6)', () => {
  test('has the SPEC §6 categories with stable codes', () => {
    for (const code of [
      'WAR_VETERAN',
      'COMBAT_VETERAN',
      'ORPHAN',
      'LARGE_FAMILY',
      'ALTYN_ALKA',
      'KUMIS_ALKA',
      'DISABLED_CHILD_FAMILY',
      'DISABLED_1_2',
      'SEVERE_CHRONIC_DISEASE',
      'SINGLE_PARENT',
      'DEATH_IN_DUTY_FAMILY',
      'SOCIALLY_VULNERABLE',
    ]) {
      expect(isKnownCategory(code)).toBe(true);
    }
  });

  test('unknown codes', () => {
    expect(isKnownCategory('war_veteran')).toBe(false);
    expect(isKnownCategory('')).toBe(false);
    expect(isKnownCategory('PENSIONER')).toBe(false);
    expect(categoryName('PENSIONER')).toBeUndefined();
  });

  test('versioned; every category has kk and ru names; codes unique', () => {
    expect(CATEGORIES_VERSION).toMatch(/\S/);
    const codes = CATEGORIES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CATEGORIES) {
      expect(c.name.kk.trim()).not.toBe('');
      expect(c.name.ru.trim()).not.toBe('');
      expect(c.name.kk).not.toBe(c.name.ru);
    }
    expect(categoryName('ORPHAN')?.ru).toContain('сирот');
  });
});
