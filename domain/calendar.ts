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
import { Terms } from './procedure/terms';
import {
  CalendarUnavailableError,
  WorkingCalendar,
  type CalendarSnapshot,
  type CalendarYearSnapshot,
} from './procedure/working-calendar';
import type { IsoDate } from './registry-facts';
import { addDays, isWeekend, yearOf } from './time';

export { CalendarUnavailableError };

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
 * not a constant, so that importing this module compiles no year it does not use.
 */
export function calendarVersion(): string {
  calendarVersionMemo ??= CALENDAR_YEARS.map((y) => loadCalendar(y).version).join(',');
  return calendarVersionMemo;
}

/** A year as a case pins it: only the exceptions to Monday–Friday (domain/procedure/working-calendar.ts). */
export function yearSnapshot(calendar: YearCalendar): CalendarYearSnapshot {
  const off = new Set(calendar.nonWorkingDays);
  const offWeekdays = calendar.nonWorkingDays.filter((d) => !isWeekend(d));
  const workedWeekendDays = calendar.transfers.map((t) => t.from).filter((d) => !off.has(d)).sort();
  return { version: calendar.version, offWeekdays, workedWeekendDays };
}

let snapshotMemo: CalendarSnapshot | undefined;
/** Every installed year, as a new case pins it (domain/reference-snapshot.ts). */
export function calendarSnapshot(): CalendarSnapshot {
  snapshotMemo ??= {
    version: calendarVersion(),
    years: Object.fromEntries(CALENDAR_YEARS.map((y) => [String(y), yearSnapshot(loadCalendar(y))])),
  };
  return snapshotMemo;
}

let currentMemo: WorkingCalendar | undefined;
const current = (): WorkingCalendar => (currentMemo ??= new WorkingCalendar(calendarSnapshot()));
let termsMemo: Terms | undefined;
/** Terms on the installed reference data, for tools and new cases (a running case uses its own snapshot). */
export const currentTerms = (): Terms => (termsMemo ??= new Terms({ calendar: calendarSnapshot(), interpretations: INTERPRETATIONS }));

/** SPEC §2: Monday–Friday that is not a day off, plus a weekend day the Government made worked. */
export function isWorkingDay(date: IsoDate): boolean {
  return current().isWorkingDay(date);
}

export function nonWorkingDays(year: number): IsoDate[] {
  return [...loadCalendar(year).nonWorkingDays];
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  return addWorkingDays(date, 1);
}

/** The n-th working day after `date` (the date itself not counted, SPEC §2); n = 0 returns `date`. */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  return current().addWorkingDays(date, n);
}

/** A1.7.2 acceptance on the installed calendar (Terms.acceptance). */
export function acceptanceInstant(receivedAtMs: number): number {
  return currentTerms().acceptance(receivedAtMs);
}

/** R13 on the installed interpretations (Terms.decisionTermDays). */
export function decisionTermDays(path: 'NO_HOUSING' | 'EMERGENCY'): number {
  return currentTerms().decisionTermDays(path);
}

/** SPEC §2 Interpretation on the installed calendar (Terms.termEnd). */
export function termEnd(acceptedAtMs: number, workingDays: number): number {
  return currentTerms().termEnd(acceptedAtMs, workingDays);
}

/** R17 hearing instant on the installed calendar (Terms.hearing). */
export function hearingInstant(noticeAtMs: number): number {
  return currentTerms().hearing(noticeAtMs).hearingAtMs;
}

/** R17 extended term on the installed calendar (Terms.hearing). */
export function extendedDecisionDue(noticeAtMs: number): number {
  return currentTerms().hearing(noticeAtMs).extendedDecisionDueAtMs;
}
