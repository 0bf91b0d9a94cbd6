/**
 * The working-day calendar of Kazakhstan and the terms built on it (SPEC §2, §3, §7).
 *
 * Each year is versioned data in reference/calendar/<year>.json. The only rule kept in code is the
 * Labour Code carry-over: a non-religious holiday on Saturday or Sunday makes the next working day a
 * day off. A year without a data file is refused (SPEC §3), never guessed: a deadline computed on a
 * wrong calendar would be a wrong legal deadline.
 */

import cal2025 from '../reference/calendar/2025.json';
import cal2026 from '../reference/calendar/2026.json';
import cal2027 from '../reference/calendar/2027.json';
import { INTERPRETATIONS } from './interpretations';
import type { IsoDate } from './registry-facts';
import { addDays, almatyDate, almatyInstant, isWeekend, yearOf } from './time';

// Adding a year = adding its JSON file and one line here (static imports keep the module pure).
// The installed files are schema-checked by the unit tests, not here (see domain/reference-schemas.ts).
const RAW_YEARS: Readonly<Record<number, CalendarYearFile>> = {
  2025: cal2025 as CalendarYearFile,
  2026: cal2026 as CalendarYearFile,
  2027: cal2027 as CalendarYearFile,
};

type Localized = { kk: string; ru: string; en: string };
export interface Holiday {
  date: IsoDate;
  name: Localized;
  religious: boolean;
}
export interface DayOffTransfer {
  from: IsoDate;
  to: IsoDate;
  act: string;
  note: Localized;
}
/** The shape of reference/calendar/<year>.json (checked by domain/reference-schemas.ts). */
export interface CalendarYearFile {
  year: number;
  version: string;
  status: 'final' | 'provisional';
  sources: { title: string; url: string }[];
  notes: string[];
  holidays: Holiday[];
  transfers: DayOffTransfer[];
}

/** A weekday that is off because a holiday fell on Saturday or Sunday (Labour Code art. 85). */
export interface CarryOver {
  date: IsoDate;
  holiday: Holiday;
}

export interface YearCalendar {
  year: number;
  version: string;
  status: 'final' | 'provisional';
  holidays: readonly Holiday[];
  transfers: readonly DayOffTransfer[];
  carryOvers: readonly CarryOver[];
  /** Every date of the year that is not a working day, weekends included, ascending. */
  nonWorkingDays: readonly IsoDate[];
}

/** SPEC §3: no calendar data for the year, so no deadline may be computed in it. */
export class CalendarUnavailableError extends Error {
  readonly year: number;
  readonly reason: { code: 'CALENDAR_UNAVAILABLE'; kk: string; ru: string; en: string };
  constructor(year: number) {
    super(`No working-day calendar for ${year}; refusing to compute deadlines in that year (SPEC §3)`);
    this.name = 'CalendarUnavailableError';
    this.year = year;
    this.reason = {
      code: 'CALENDAR_UNAVAILABLE',
      kk: `${year} жылға жұмыс күндерінің күнтізбесі жоқ; мерзімді есептеу мүмкін емес`,
      ru: `Нет производственного календаря на ${year} год; срок не может быть рассчитан`,
      en: `No working-day calendar for ${year}; the term cannot be computed`,
    };
  }
}

/** The year file contradicts itself (a data error, not bad user input). */
export class CalendarDataError extends Error {
  constructor(year: number, detail: string) {
    super(`Calendar data for ${year} is invalid: ${detail}`);
    this.name = 'CalendarDataError';
  }
}

export const CALENDAR_YEARS: readonly number[] = Object.keys(RAW_YEARS)
  .map(Number)
  .sort((a, b) => a - b);

const cache = new Map<number, { calendar: YearCalendar; off: ReadonlySet<IsoDate> }>();

function build(year: number): { calendar: YearCalendar; off: ReadonlySet<IsoDate> } {
  const raw = RAW_YEARS[year];
  if (raw === undefined) throw new CalendarUnavailableError(year);
  const calendar = compileYear(raw, year);
  return { calendar, off: new Set(calendar.nonWorkingDays) };
}

/**
 * Derives a year's days off (carry-overs included) from a file of the right shape, checking that the
 * file does not contradict itself. `compileCalendarYear` (domain/calendar-file.ts) checks the shape
 * first, for a file that is not installed yet.
 */
export function compileYear(file: CalendarYearFile, year: number): YearCalendar {  if (file.year !== year) throw new CalendarDataError(year, `file says year ${file.year}`);

  const holidays = [...file.holidays].sort((a, b) => a.date.localeCompare(b.date));
  const holidayDates = new Set<IsoDate>();
  for (const h of holidays) {
    if (yearOf(h.date) !== year) throw new CalendarDataError(year, `holiday ${h.date} outside the year`);
    if (holidayDates.has(h.date)) throw new CalendarDataError(year, `holiday ${h.date} listed twice`);
    holidayDates.add(h.date);
  }

  const workedWeekendDays = new Set<IsoDate>();
  const extraDaysOff = new Set<IsoDate>();
  for (const t of file.transfers) {
    // Both halves in one file: a transfer across New Year would need both files, so it is refused.
    if (yearOf(t.from) !== year || yearOf(t.to) !== year) {
      throw new CalendarDataError(year, `transfer ${t.from}→${t.to} leaves the year`);
    }
    if (!isWeekend(t.from) || holidayDates.has(t.from)) {
      throw new CalendarDataError(year, `transfer source ${t.from} is not an ordinary weekend day`);
    }
    if (isWeekend(t.to) || holidayDates.has(t.to)) {
      throw new CalendarDataError(year, `transfer target ${t.to} is not an ordinary weekday`);
    }
    workedWeekendDays.add(t.from);
    extraDaysOff.add(t.to);
  }

  // Labour Code art. 85: a holiday on Saturday/Sunday moves the day off to the next working day,
  // except the religious ones (SPEC §3 '*'). Taken in date order, each carry-over skips days already
  // off — other holidays, earlier carry-overs, Government extra days off — which is what gives
  // Nauryz 2026 (Sat 21, Sun 22, Mon 23) the days off Tue 24 and Wed 25 March.
  const carryOvers: CarryOver[] = [];
  const carried = new Set<IsoDate>();
  for (const h of holidays) {
    if (h.religious || !isWeekend(h.date)) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || holidayDates.has(d) || carried.has(d) || extraDaysOff.has(d)) {
      d = addDays(d, 1);
    }
    if (yearOf(d) !== year) throw new CalendarDataError(year, `carry-over of ${h.date} leaves the year`);
    carried.add(d);
    carryOvers.push({ date: d, holiday: h });
  }

  // One pass over the year on a single Date, not through the string helpers: this runs for every
  // workflow (the SDK re-evaluates the bundle's modules per workflow, so nothing is cached across
  // cases), and parsing each day's string several times was the calendar's whole cost.
  const off = new Set<IsoDate>();
  const day = new Date(Date.UTC(year, 0, 1));
  while (day.getUTCFullYear() === year) {
    const d = day.toISOString().slice(0, 10);
    const dow = day.getUTCDay(); // 0 = Sunday, 6 = Saturday
    const weekendOff = (dow === 0 || dow === 6) && !workedWeekendDays.has(d);
    if (weekendOff || holidayDates.has(d) || carried.has(d) || extraDaysOff.has(d)) off.add(d);
    day.setUTCDate(day.getUTCDate() + 1);
  }

  return {
    year,
    version: file.version,
    status: file.status,
    holidays,
    transfers: file.transfers,
    carryOvers,
    nonWorkingDays: [...off].sort(),
  };
}

function entry(year: number): { calendar: YearCalendar; off: ReadonlySet<IsoDate> } {
  let e = cache.get(year);
  if (!e) {
    e = build(year);
    cache.set(year, e);
  }
  return e;
}

/** The calendar of one year; throws CalendarUnavailableError when there is no data for it. */
export function loadCalendar(year: number): YearCalendar {
  if (!Number.isInteger(year)) throw new CalendarUnavailableError(year);
  return entry(year).calendar;
}

let calendarVersionMemo: string | undefined;
/**
 * `2025.1,2026.1,2027.1`: recorded with each case so its terms can be recomputed later. A function,
 * not a constant, so that importing this module (every workflow does) compiles no year it does not use.
 */
export function calendarVersion(): string {
  calendarVersionMemo ??= CALENDAR_YEARS.map((y) => loadCalendar(y).version).join(',');
  return calendarVersionMemo;
}

/** SPEC §2: Monday–Friday that is not a day off, plus a weekend day the Government made worked. */
export function isWorkingDay(date: IsoDate): boolean {
  return !entry(yearOf(date)).off.has(date);
}

export function nonWorkingDays(year: number): IsoDate[] {
  return [...loadCalendar(year).nonWorkingDays];
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  return addWorkingDays(date, 1);
}

/**
 * The n-th working day after `date` (the date itself is not counted: Civil Code rule that a period
 * starts the day after the event, SPEC §2). n = 0 returns `date`.
 */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a non-negative integer: ${n}`);
  let d = date;
  yearOf(d); // validates the date even when n = 0
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}

const { start: WORK_START, end: WORK_END } = INTERPRETATIONS.workingHours;

/**
 * A1.7.2 acceptance — SPEC §2 Interpretation: received on a working day in [09:00, 18:30) →
 * accepted at receipt; before 09:00 on a working day → 09:00 that day; otherwise 09:00 of the next
 * working day. The lunch break (A1.7.1) does not delay acceptance: the portal accepts electronically.
 */
export function acceptanceInstant(receivedAtMs: number): number {
  const day = almatyDate(receivedAtMs);
  if (isWorkingDay(day)) {
    const opens = almatyInstant(day, WORK_START);
    if (receivedAtMs < opens) return opens;
    if (receivedAtMs < almatyInstant(day, WORK_END)) return receivedAtMs;
  }
  return almatyInstant(nextWorkingDay(day), WORK_START);
}

/** R13: the decision term in working days — 1 for the automated R7.1 path, 3 for R7.2. */
export function decisionTermDays(path: 'NO_HOUSING' | 'EMERGENCY'): number {
  return path === 'NO_HOUSING' ? INTERPRETATIONS.automatedTermWorkingDays : INTERPRETATIONS.emergencyTermWorkingDays;
}

/** SPEC §2 Interpretation: a term of N working days ends at 18:30 on the N-th working day after the acceptance day. */
export function termEnd(acceptedAtMs: number, workingDays: number): number {
  if (!Number.isInteger(workingDays) || workingDays < 1) {
    throw new RangeError(`A term must be a positive whole number of working days: ${workingDays}`);
  }
  return almatyInstant(addWorkingDays(almatyDate(acceptedAtMs), workingDays), INTERPRETATIONS.termEndTime);
}

/**
 * R17 (APPC art. 73) — SPEC §7 Interpretation: the hearing is held no later than the
 * `hearingWithinWorkingDays`-th working day after the notice day, at `hearingTime`.
 */
export function hearingInstant(noticeAtMs: number): number {
  const day = addWorkingDays(almatyDate(noticeAtMs), INTERPRETATIONS.hearingWithinWorkingDays);
  return almatyInstant(day, INTERPRETATIONS.hearingTime);
}

/**
 * R17 — SPEC §7 Interpretation: with a hearing the term is extended and the final decision is due at
 * 18:30 on the `extendedDecisionWorkingDays`-th working day after the notice day.
 */
export function extendedDecisionDue(noticeAtMs: number): number {
  const day = addWorkingDays(almatyDate(noticeAtMs), INTERPRETATIONS.extendedDecisionWorkingDays);
  return almatyInstant(day, INTERPRETATIONS.termEndTime);
}
