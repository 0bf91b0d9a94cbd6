/**
 * Allocation-free fast paths for the two checks that dominate the import's time per row: the IIN
 * (SPEC §11) and the registration instant. Each answers only "valid, and here is the value" and
 * returns 0 / NaN otherwise; the caller then asks the domain functions (domain/iin.ts,
 * domain/time.ts) for the reason, so the rules themselves live in one place and the fast paths
 * are tested to agree with them (test/unit/import-validate.test.ts).
 */

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
const DAY_MS = 86_400_000;
const ALMATY_OFFSET_MS = 5 * 3_600_000;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `yyyymmdd` of a day number (civil_from_days). */
export function ymdFromDays(z0: number): number {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

/** The Kazakhstan (UTC+05:00) calendar date of an instant as `yyyymmdd`. */
export function almatyYmd(ms: number): number {
  return ymdFromDays(Math.floor((ms + ALMATY_OFFSET_MS) / DAY_MS));
}

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1000; // poisons any sum it enters
}

/** The birth date (`yyyymmdd`) of a valid IIN, or 0 when it is not valid for any reason. */
export function fastIinBirth(iin: string): number {
  if (iin.length !== 12) return 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < 11; i += 1) {
    const d = digit(iin, i);
    if (d < 0) return 0;
    s1 += d * W1[i];
    s2 += d * W2[i];
  }
  const check = digit(iin, 11);
  if (check < 0) return 0;
  let k = s1 % 11;
  if (k === 10) {
    k = s2 % 11;
    if (k === 10) return 0;
  }
  if (k !== check) return 0;
  const c = digit(iin, 6);
  if (c < 1 || c > 6) return 0;
  const year = 1800 + 100 * ((c - 1) >> 1) + digit(iin, 0) * 10 + digit(iin, 1);
  const month = digit(iin, 2) * 10 + digit(iin, 3);
  const day = digit(iin, 4) * 10 + digit(iin, 5);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return 0;
  return year * 10000 + month * 100 + day;
}

function num2(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
}

/**
 * Epoch milliseconds of the usual form `YYYY-MM-DDTHH:mm:ss±HH:MM` (25 characters), or NaN for
 * anything else — other forms (fractions, `Z`, no seconds) and invalid values go to parseInstant.
 */
export function fastInstant(s: string): number {
  if (s.length !== 25) return NaN;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[22] !== ':') return NaN;
  const sign = s[19] === '+' ? 1 : s[19] === '-' ? -1 : 0;
  if (sign === 0) return NaN;
  const year = num2(s, 0) * 100 + num2(s, 2);
  const month = num2(s, 5);
  const day = num2(s, 8);
  const hour = num2(s, 11);
  const minute = num2(s, 14);
  const second = num2(s, 17);
  const oh = num2(s, 20);
  const om = num2(s, 23);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  if (oh < 0 || oh > 14 || om < 0 || om > 59) return NaN;
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 - sign * (oh * 60 + om) * 60_000;
}
