/**
 * Working days (SPEC §2, §3) computed from a calendar *snapshot*: the days off of each year as they
 * stood when a case was accepted. A case carries its snapshot (domain/procedure/reference.ts), so a
 * holiday added to reference/calendar/ later never changes the terms of a case already running —
 * nor how its workflow replays. This module reads no file: the workflow bundle imports it.
 */
import type { IsoDate } from '../registry-facts';
import { addDays, almatyDate, almatyInstant, isWeekend, yearOf } from '../time';

/** One year's exceptions to "Monday–Friday": weekdays off and weekend days worked. */
export interface CalendarYearSnapshot {
  version: string;
  /** Holidays, carry-overs and Government transfers that fall on a weekday, ascending. */
  offWeekdays: IsoDate[];
  /** Weekend days the Government made working days (transfers), ascending. */
  workedWeekendDays: IsoDate[];
}

export interface CalendarSnapshot {
  /** `2025.1,2026.1,2027.1`: the year files' versions, recorded with each case. */
  version: string;
  years: Record<string, CalendarYearSnapshot>;
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

export class WorkingCalendar {
  readonly version: string;
  private readonly years: ReadonlyMap<number, { off: ReadonlySet<IsoDate>; worked: ReadonlySet<IsoDate> }>;

  constructor(snapshot: CalendarSnapshot) {
    this.version = snapshot.version;
    const years = new Map<number, { off: ReadonlySet<IsoDate>; worked: ReadonlySet<IsoDate> }>();
    for (const [year, y] of Object.entries(snapshot.years)) {
      years.set(Number(year), { off: new Set(y.offWeekdays), worked: new Set(y.workedWeekendDays) });
    }
    this.years = years;
  }

  /** SPEC §2: Monday–Friday that is not a day off, plus a weekend day the Government made worked. */
  isWorkingDay(date: IsoDate): boolean {
    const year = yearOf(date);
    const y = this.years.get(year);
    if (!y) throw new CalendarUnavailableError(year);
    return isWeekend(date) ? y.worked.has(date) : !y.off.has(date);
  }

  /** The n-th working day after `date`, the date itself not counted (SPEC §2); n = 0 gives `date`. */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a non-negative integer: ${n}`);
    let d = date;
    yearOf(d); // validates the date even when n = 0
    for (let left = n; left > 0; ) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) left -= 1;
    }
    return d;
  }

  nextWorkingDay(date: IsoDate): IsoDate {
    return this.addWorkingDays(date, 1);
  }

  /** 18:30 (or `time`) on the n-th working day after the day of `fromMs` (SPEC §2, §8). */
  endOfNthWorkingDayAfter(fromMs: number, n: number, time: string): number {
    return almatyInstant(this.addWorkingDays(almatyDate(fromMs), n), time);
  }
}
