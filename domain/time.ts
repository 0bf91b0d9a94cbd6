/**
 * Kazakhstan time and calendar-date arithmetic (SPEC §2).
 *
 * Kazakhstan has used one zone, UTC+05:00 all year, since 1 March 2024. Older tzdata still gives
 * +06:00 for Asia/Almaty, so nothing here goes through `Intl` or a timezone database: every
 * conversion is a fixed 5-hour shift. Dates are ISO `YYYY-MM-DD` strings; instants are epoch
 * milliseconds inside the domain and ISO 8601 strings with an explicit offset at the edges.
 */

import type { IsoDate, IsoInstant } from './registry-facts';

/** The fixed Kazakhstan offset (SPEC §2). */
export const ALMATY_OFFSET = '+05:00';
const OFFSET_MS = 5 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LocalizedReason {
  code: string;
  kk: string;
  ru: string;
  en: string;
}

export type InstantErrorCode = 'NO_OFFSET' | 'BAD_FORMAT' | 'BAD_VALUE';

const INSTANT_REASONS: Record<InstantErrorCode, LocalizedReason> = {
  NO_OFFSET: {
    code: 'NO_OFFSET',
    kk: 'Уақыт белдеуінің ығысуы көрсетілмеген (мысалы, +05:00)',
    ru: 'Не указано смещение часового пояса (например, +05:00)',
    en: 'The time has no UTC offset (e.g. +05:00)',
  },
  BAD_FORMAT: {
    code: 'BAD_FORMAT',
    kk: 'Уақыт ISO 8601 пішімінде емес (ЖЖЖЖ-АА-ККTСС:ММ:сс+05:00)',
    ru: 'Время не в формате ISO 8601 (ГГГГ-ММ-ДДTЧЧ:ММ:сс+05:00)',
    en: 'The time is not ISO 8601 (YYYY-MM-DDTHH:mm:ss+05:00)',
  },
  BAD_VALUE: {
    code: 'BAD_VALUE',
    kk: 'Мұндай күн немесе уақыт жоқ',
    ru: 'Такой даты или времени не существует',
    en: 'No such date or time of day',
  },
};

/** An instant string that cannot be accepted; `reason` is ready to show in kk/ru/en. */
export class InvalidInstantError extends Error {
  readonly code: InstantErrorCode;
  readonly reason: LocalizedReason;
  constructor(code: InstantErrorCode, input: string) {
    super(`${INSTANT_REASONS[code].en}: ${JSON.stringify(input)}`);
    this.name = 'InvalidInstantError';
    this.code = code;
    this.reason = INSTANT_REASONS[code];
  }
}

const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
// Same shape without the offset: recognised only to give the clearer NO_OFFSET reason.
const LOCAL_TIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^(\d{2}):(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(utcMidnight(year, month + 1, 1) - DAY_MS).getUTCDate();
}

/** Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not. */
function utcMidnight(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * Parses an ISO 8601 instant that carries an explicit offset (`Z` or `±HH:MM`). A local time
 * without offset is refused: applications arrive from a 24/7 portal (A1.7.2) and a wall-clock time
 * alone would silently depend on the server's zone.
 */
export function parseInstant(input: string): number {
  const m = INSTANT_RE.exec(input);
  if (!m) {
    throw new InvalidInstantError(LOCAL_TIME_RE.test(input) ? 'NO_OFFSET' : 'BAD_FORMAT', input);
  }
  const [, ys, mos, ds, hs, mis, ss, frac, off] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidInstantError('BAD_VALUE', input);
  }
  // Leap seconds (:60) are refused: no registry in the chain produces them.
  if (hour > 23 || minute > 59 || second > 59) throw new InvalidInstantError('BAD_VALUE', input);
  let offsetMs = 0;
  if (off !== 'Z') {
    const sign = off.startsWith('-') ? -1 : 1;
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 14 || om > 59) throw new InvalidInstantError('BAD_VALUE', input);
    offsetMs = sign * (oh * 60 + om) * 60 * 1000;
  }
  // Milliseconds are kept (sub-millisecond digits truncated): receivedAt orders the queue (SPEC §7).
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  return (
    utcMidnight(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMs
  );
}

/**
 * `YYYY-MM-DDTHH:mm:ss+05:00`. Milliseconds are appended (`.SSS`) only when not zero, so that an
 * instant survives a round trip exactly: two applications in the same second must keep their order.
 */
export function toAlmatyIso(instantMs: number): IsoInstant {
  assertFiniteMs(instantMs);
  const d = new Date(instantMs + OFFSET_MS);
  const ms = d.getUTCMilliseconds();
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    (ms === 0 ? '' : `.${pad(ms, 3)}`) +
    ALMATY_OFFSET
  );
}

/** The Kazakhstan calendar date of an instant. */
export function almatyDate(instantMs: number): IsoDate {
  assertFiniteMs(instantMs);
  return formatUtcDate(instantMs + OFFSET_MS);
}

/** The instant of a Kazakhstan wall-clock time `HH:mm` on a date. */
export function almatyInstant(date: IsoDate, hhmm: string): number {
  const { year, month, day } = parseDate(date);
  const m = HHMM_RE.exec(hhmm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw new RangeError(`Not a time of day HH:mm: ${JSON.stringify(hhmm)}`);
  }
  return utcMidnight(year, month, day) + (Number(m[1]) * 60 + Number(m[2])) * 60 * 1000 - OFFSET_MS;
}

export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

export function parseDate(date: IsoDate): { year: number; month: number; day: number } {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function yearOf(date: IsoDate): number {
  return parseDate(date).year;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be an integer: ${days}`);
  const { year, month, day } = parseDate(date);
  return formatUtcDate(utcMidnight(year, month, day) + days * DAY_MS);
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: IsoDate): number {
  const { year, month, day } = parseDate(date);
  const js = new Date(utcMidnight(year, month, day)).getUTCDay();
  return js === 0 ? 7 : js;
}

export function isWeekend(date: IsoDate): boolean {
  return dayOfWeek(date) >= 6;
}

/**
 * Adds whole years; 29 February becomes 28 February in a common year. Used for the 5-year
 * look-back (R15.2) and ages (R7, R6), where "the same date N years earlier" must exist.
 */
export function addYears(date: IsoDate, years: number): IsoDate {
  if (!Number.isInteger(years)) throw new RangeError(`Years must be an integer: ${years}`);
  const { year, month, day } = parseDate(date);
  const y = year + years;
  if (y < 0 || y > 9999) throw new RangeError(`Year out of range: ${y}`);
  return `${pad(y, 4)}-${pad(month)}-${pad(Math.min(day, daysInMonth(y, month)))}`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = parseDate(from);
  const b = parseDate(to);
  return Math.round((utcMidnight(b.year, b.month, b.day) - utcMidnight(a.year, a.month, a.day)) / DAY_MS);
}

function formatUtcDate(ms: number): IsoDate {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function assertFiniteMs(ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${ms}`);
}
