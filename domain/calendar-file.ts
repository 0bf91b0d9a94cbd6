/**
 * Checking a calendar year file before it is installed (reference/calendar/<year>.json): its shape
 * against the schema, then its content through the same derivation the calendar uses. Apart from
 * domain/calendar.ts so that the workflow bundle does not carry zod (domain/reference-schemas.ts).
 */
import { CalendarDataError, compileYear, type YearCalendar } from './calendar';
import { calendarYearFileSchema } from './reference-schemas';

export function compileCalendarYear(raw: unknown, year: number): YearCalendar {
  const parsed = calendarYearFileSchema.safeParse(raw);
  if (!parsed.success) throw new CalendarDataError(year, parsed.error.message);
  return compileYear(parsed.data, year);
}
