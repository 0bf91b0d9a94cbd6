/**
 * The snapshot of the installed reference data that a new case pins (domain/procedure/reference.ts):
 * the working-day calendar of every installed year and the named interpretations. Reads the
 * reference files through domain/calendar.ts and domain/interpretations.ts, so the workflow bundle
 * never imports this module.
 */
import { calendarSnapshot } from './calendar';
import { INTERPRETATIONS } from './interpretations';
import type { ReferenceSnapshot } from './procedure/reference';

let memo: ReferenceSnapshot | undefined;
export function currentReferenceSnapshot(): ReferenceSnapshot {
  memo ??= { calendar: calendarSnapshot(), interpretations: INTERPRETATIONS };
  return memo;
}

/**
 * Development and tests only (HPC_DEV_ALWAYS_OPEN, refused in production by config/settings.ts):
 * the installed snapshot with every day a working day and the working hours 00:00–23:59, so a case
 * received at any hour is accepted at receipt. Terms still count working days — of this calendar.
 */
let alwaysOpenMemo: ReferenceSnapshot | undefined;
export function developmentAlwaysOpenSnapshot(): ReferenceSnapshot {
  alwaysOpenMemo ??= alwaysOpen();
  return alwaysOpenMemo;
}

function alwaysOpen(): ReferenceSnapshot {
  const installed = currentReferenceSnapshot();
  const years = Object.fromEntries(
    Object.entries(installed.calendar.years).map(([year, y]) => {
      const weekends: string[] = [];
      for (const d = new Date(Date.UTC(Number(year), 0, 1)); d.getUTCFullYear() === Number(year); d.setUTCDate(d.getUTCDate() + 1)) {
        if (d.getUTCDay() === 0 || d.getUTCDay() === 6) weekends.push(d.toISOString().slice(0, 10));
      }
      return [year, { version: `${y.version}+always-open`, offWeekdays: [], workedWeekendDays: weekends }];
    }),
  );
  return {
    calendar: { version: `${installed.calendar.version}+always-open`, years },
    interpretations: { ...installed.interpretations, version: `${installed.interpretations.version}+always-open`, workingHours: { ...installed.interpretations.workingHours, start: '00:00', end: '23:59' } },
  };
}
