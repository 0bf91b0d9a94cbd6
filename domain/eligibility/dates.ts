/**
 * Pure calendar-date helpers over `YYYY-MM-DD` strings (SPEC §2).
 *
 * Kazakhstan keeps UTC+05:00 all year since 1 March 2024, so nothing here consults a time-zone
 * database (older tzdata still says +06 for Asia/Almaty): instants are shifted by the fixed offset
 * and all arithmetic runs on UTC calendar days, which has no DST and gives the same answer on any
 * machine.
 */
import type { IsoDate, IsoInstant } from '../registry-facts';

/** Kazakhstan time is UTC+05:00 all year (SPEC §2). */
export const KAZAKHSTAN_OFFSET_MINUTES = 5 * 60;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const MS_PER_DAY = 24 * 60 * 60 * 1000;

interface DateParts {
  year: number;
  month: number; // 1..12
  day: number;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parts(date: IsoDate): DateParts {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not an ISO calendar date (YYYY-MM-DD): ${date}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return { year, month, day };
}

function format({ year, month, day }: DateParts): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** True when `date` is a real calendar date written as `YYYY-MM-DD`. */
export function isIsoDate(date: string): boolean {
  try {
    parts(date);
    return true;
  } catch {
    return false;
  }
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parts(date);
  const d = new Date(Date.UTC(year, month - 1, day) + days * MS_PER_DAY);
  return format({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/**
 * `date` plus `years` calendar years (negative to go back). 29 February maps to 28 February in a
 * common year: a period in years that ends in a month without that day ends on its last day.
 */
export function addYears(date: IsoDate, years: number): IsoDate {
  const { year, month, day } = parts(date);
  const y = year + years;
  return format({ year: y, month, day: Math.min(day, daysInMonth(y, month)) });
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  // Validated `YYYY-MM-DD` strings order lexicographically as dates do.
  parts(a);
  parts(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isBefore(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) < 0;
}

export function isOnOrBefore(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) <= 0;
}

/** `date` lies in the closed interval [from, to]. */
export function isWithin(date: IsoDate, from: IsoDate, to: IsoDate): boolean {
  return isOnOrBefore(from, date) && isOnOrBefore(date, to);
}

/**
 * Whether a period [start, end] (end absent = still running; both days inclusive) shares at least
 * one day with the closed window [windowFrom, windowTo].
 */
export function periodOverlaps(
  start: IsoDate,
  end: IsoDate | undefined,
  windowFrom: IsoDate,
  windowTo: IsoDate,
): boolean {
  return isOnOrBefore(start, windowTo) && (end === undefined || isOnOrBefore(windowFrom, end));
}

/**
 * Completed years of age on `on`. Someone born on 29 February completes a year on 1 March in a
 * common year (the birthday has not yet come on 28 February).
 */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const b = parts(birthDate);
  const o = parts(on);
  const birthdayPassed = o.month > b.month || (o.month === b.month && o.day >= b.day);
  return o.year - b.year - (birthdayPassed ? 0 : 1);
}

/**
 * The Kazakhstan calendar date of an instant: the date part of `acceptedAt` at UTC+05:00
 * (SPEC §2). An instant written with another offset (e.g. `Z`) is shifted first, so
 * `2026-03-05T20:00:00Z` is 6 March in Kazakhstan.
 */
export function kazakhstanDate(instant: IsoInstant): IsoDate {
  const m = INSTANT_RE.exec(instant);
  if (!m) throw new RangeError(`not an ISO instant with an offset: ${instant}`);
  const date = m[1];
  const zone = m[5];
  const offset =
    zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const minuteOfDay = Number(m[2]) * 60 + Number(m[3]) - offset + KAZAKHSTAN_OFFSET_MINUTES;
  return addDays(date, Math.floor(minuteOfDay / (24 * 60)));
}

/** `dd.mm.yyyy`, the way dates are written in Kazakh and Russian notices. */
export function formatDotted(date: IsoDate): string {
  const { year, month, day } = parts(date);
  return `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${String(year).padStart(4, '0')}`;
}
