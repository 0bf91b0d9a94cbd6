/**
 * IIN helpers for building test data (SPEC §11). Self-contained on purpose: the domain's own IIN
 * module is written separately, and the sandbox must not depend on the code it is used to test.
 *
 * IIN = YYMMDD C NNNN K. C encodes century and sex (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd male,
 * even female). K = (Σ dᵢ·i, i = 1..11) mod 11; if that is 10, K = (Σ dᵢ·wᵢ, w = 3..11,1,2) mod 11;
 * a second 10 means the first eleven digits cannot form a valid IIN.
 */

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

function weightedMod11(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += (digits[i] as number) * (weights[i] as number);
  return sum % 11;
}

/** The check digit for the first eleven digits, or null when no check digit exists. */
export function iinCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) throw new Error('expected 11 digits');
  const digits = Array.from(first11, (ch) => ch.charCodeAt(0) - 48);
  const k1 = weightedMod11(digits, WEIGHTS_1);
  if (k1 !== 10) return k1;
  const k2 = weightedMod11(digits, WEIGHTS_2);
  return k2 === 10 ? null : k2;
}

/** Full validity: 12 digits, a real birth date for the century digit, and the checksum. */
export function isValidIin(iin: string): boolean {
  if (!/^\d{12}$/.test(iin)) return false;
  const c = iin.charCodeAt(6) - 48;
  if (c < 1 || c > 6) return false;
  if (iinBirthDate(iin) === null) return false;
  return iinCheckDigit(iin.slice(0, 11)) === iin.charCodeAt(11) - 48;
}

/** The century-and-sex digit for a birth year and sex. */
export function centuryDigit(birthYear: number, sex: 'M' | 'F'): number {
  const base = birthYear >= 2000 && birthYear <= 2099 ? 5 : birthYear >= 1900 ? 3 : birthYear >= 1800 ? 1 : 0;
  if (base === 0 || birthYear > 2099) throw new Error(`no IIN century digit for ${birthYear}`);
  return sex === 'M' ? base : base + 1;
}

/** The birth date encoded in an IIN, or null when the digits do not form a calendar date. */
export function iinBirthDate(iin: string): string | null {
  const c = iin.charCodeAt(6) - 48;
  const century = c <= 2 ? 1800 : c <= 4 ? 1900 : 2000;
  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
}

export function iinSex(iin: string): 'M' | 'F' {
  return (iin.charCodeAt(6) - 48) % 2 === 1 ? 'M' : 'F';
}

/**
 * The IIN for a birth date, sex and 4-digit serial, or null when that serial has no valid check
 * digit (callers then take the next serial, as the issuing registry does).
 */
export function makeIin(birthDate: string, sex: 'M' | 'F', serial: number): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) throw new Error(`bad birth date ${birthDate}`);
  if (!Number.isInteger(serial) || serial < 0 || serial > 9999) throw new Error(`bad serial ${serial}`);
  const year = Number(m[1]);
  const first11 =
    `${m[1]!.slice(2)}${m[2]}${m[3]}` + String(centuryDigit(year, sex)) + String(serial).padStart(4, '0');
  const k = iinCheckDigit(first11);
  return k === null ? null : first11 + String(k);
}

/**
 * Hands out unique valid IINs. Serials are kept per (birth date, century-and-sex digit), so the
 * same person data never collides however many persons share a birthday.
 */
export class IinAllocator {
  /** Per (birth date, sex): the next serial to try and how many serials were tried so far. */
  private readonly state = new Map<string, { serial: number; tried: number }>();

  /** `startSerial` picks where a fresh (date, sex) starts counting, e.g. from a seeded PRNG. */
  constructor(private readonly startSerial: (birthDate: string, sex: 'M' | 'F') => number = () => 1) {}

  next(birthDate: string, sex: 'M' | 'F'): string {
    const key = birthDate + sex;
    let entry = this.state.get(key);
    if (!entry) {
      entry = { serial: this.startSerial(birthDate, sex), tried: 0 };
      this.state.set(key, entry);
    }
    // Serials wrap around 9999 -> 0000; after 10000 tries every serial was used once.
    while (entry.tried < 10000) {
      const candidate = makeIin(birthDate, sex, entry.serial % 10000);
      entry.serial++;
      entry.tried++;
      if (candidate !== null) return candidate;
    }
    throw new Error(`IIN serials exhausted for ${birthDate} ${sex}`);
  }
}
