/**
 * Individual identification number (IIN) — SPEC §11.
 *
 * `YYMMDD C NNNN K`: birth date, century-and-sex digit, serial, check digit.
 * C: 1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s; odd = male, even = female.
 * K = (Σ dᵢ·i, i = 1..11) mod 11; if that is 10, K = (Σ dᵢ·wᵢ, w = 3,4,5,6,7,8,9,10,11,1,2) mod 11;
 * a second 10 means the number cannot be valid (such numbers are never issued).
 */

import type { IsoDate } from './registry-facts';
import { isIsoDate, parseDate } from './time';

export type Sex = 'M' | 'F';

export type IinErrorCode = 'FORMAT' | 'CHECKSUM' | 'CHECKSUM_UNRESOLVABLE' | 'CENTURY_SEX' | 'BIRTH_DATE';

export interface IinReason {
  code: IinErrorCode;
  kk: string;
  ru: string;
  en: string;
}

export type IinResult =
  | { valid: true; birthDate: IsoDate; sex: Sex }
  | { valid: false; reason: IinReason };

const REASONS: Record<IinErrorCode, IinReason> = {
  FORMAT: {
    code: 'FORMAT',
    kk: 'ЖСН 12 цифрдан тұруы керек',
    ru: 'ИИН должен состоять из 12 цифр',
    en: 'An IIN must be exactly 12 digits',
  },
  CHECKSUM: {
    code: 'CHECKSUM',
    kk: 'ЖСН бақылау разряды сәйкес келмейді',
    ru: 'Контрольный разряд ИИН не совпадает',
    en: 'The IIN check digit does not match',
  },
  CHECKSUM_UNRESOLVABLE: {
    code: 'CHECKSUM_UNRESOLVABLE',
    kk: 'Мұндай ЖСН берілмейді: бақылау разрядын есептеу мүмкін емес',
    ru: 'Такой ИИН не выдаётся: контрольный разряд не вычисляется',
    en: 'No such IIN is issued: its check digit cannot be computed',
  },
  CENTURY_SEX: {
    code: 'CENTURY_SEX',
    kk: 'ЖСН-нің 7-цифры (ғасыр және жыныс) 1-ден 6-ға дейін болуы керек',
    ru: '7-я цифра ИИН (век и пол) должна быть от 1 до 6',
    en: 'The 7th IIN digit (century and sex) must be 1 to 6',
  },
  BIRTH_DATE: {
    code: 'BIRTH_DATE',
    kk: 'ЖСН-дегі туған күн нақты күн емес',
    ru: 'Дата рождения в ИИН не является существующей датой',
    en: 'The birth date in the IIN is not a real date',
  },
};

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit of the first 11 digits, or null when both passes give 10 (SPEC §11). */
export function iinCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) throw new RangeError('An IIN body is 11 digits');
  const digits = [...first11].map(Number);
  const weighted = (w: number[]): number => digits.reduce((s, d, i) => s + d * w[i], 0) % 11;
  const k1 = weighted(FIRST_WEIGHTS);
  if (k1 !== 10) return k1;
  const k2 = weighted(SECOND_WEIGHTS);
  return k2 === 10 ? null : k2;
}

/**
 * Validates an IIN. The checksum is checked before the date and century digit: a failed checksum
 * means the number was mistyped, and saying so is more useful than naming a digit that is wrong only
 * because of the typo. (The NCA test IIN 123456789011 therefore reports CHECKSUM.)
 */
export function validateIin(iin: string): IinResult {
  if (typeof iin !== 'string' || !/^\d{12}$/.test(iin)) return invalid('FORMAT');
  const k = iinCheckDigit(iin.slice(0, 11));
  if (k === null) return invalid('CHECKSUM_UNRESOLVABLE');
  if (k !== Number(iin[11])) return invalid('CHECKSUM');
  const c = Number(iin[6]);
  if (c < 1 || c > 6) return invalid('CENTURY_SEX');
  const year = 1800 + 100 * Math.floor((c - 1) / 2) + Number(iin.slice(0, 2));
  const birthDate = `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
  if (!isIsoDate(birthDate)) return invalid('BIRTH_DATE');
  return { valid: true, birthDate, sex: c % 2 === 1 ? 'M' : 'F' };
}

export function isValidIin(iin: string): boolean {
  return validateIin(iin).valid;
}

/**
 * Builds a valid IIN (for the sandbox's population generator). When the serial yields an
 * unresolvable checksum (10 twice), the next serial is taken, wrapping 9999 → 0000; at most a few
 * steps are ever needed since only about 1 serial in 11² is unresolvable.
 */
export function makeIin(birthDate: IsoDate, sex: Sex, serial: number): string {
  const { year, month, day } = parseDate(birthDate);
  if (year < 1800 || year > 2099) throw new RangeError(`IIN birth year must be 1800–2099: ${year}`);
  if (sex !== 'M' && sex !== 'F') throw new RangeError(`Sex must be M or F: ${String(sex)}`);
  if (!Number.isInteger(serial) || serial < 0 || serial > 9999) {
    throw new RangeError(`IIN serial must be an integer 0–9999: ${serial}`);
  }
  const centuryIndex = Math.floor((year - 1800) / 100); // 0, 1, 2
  const c = 2 * centuryIndex + (sex === 'M' ? 1 : 2);
  const head =
    String(year % 100).padStart(2, '0') + String(month).padStart(2, '0') + String(day).padStart(2, '0') + String(c);
  for (let step = 0; step < 10000; step += 1) {
    const body = head + String((serial + step) % 10000).padStart(4, '0');
    const k = iinCheckDigit(body);
    if (k !== null) return body + String(k);
  }
  throw new Error('No resolvable IIN serial exists'); // unreachable: most serials resolve
}

function invalid(code: IinErrorCode): IinResult {
  return { valid: false, reason: REASONS[code] };
}
