import type { Command } from 'commander';
import { CalendarUnavailableError, nonWorkingDays, loadCalendar } from '../../domain/calendar';
import { fail, printJson, runAction } from '../output';

/** `calendar <year>`: every non-working day of the year (SPEC §3), weekends included. */
export function register(program: Command): void {
  program
    .command('calendar')
    .description('List the non-working days of a year (SPEC §3)')
    .argument('<year>', 'four-digit year, e.g. 2026')
    .action(
      runAction((yearArg: string) => {
        if (!/^\d{4}$/.test(yearArg)) {
          fail(
            'BAD_YEAR',
            {
              kk: 'Жыл төрт цифрмен берілуі керек, мысалы 2026',
              ru: 'Год должен быть задан четырьмя цифрами, например 2026',
              en: 'The year must be four digits, e.g. 2026',
            },
            { field: 'year' },
          );
        }
        const year = Number(yearArg);
        try {
          const cal = loadCalendar(year);
          printJson({ year, version: cal.version, status: cal.status, nonWorkingDays: nonWorkingDays(year) });
        } catch (err) {
          if (err instanceof CalendarUnavailableError) {
            fail(err.reason.code, err.reason, { field: 'year' });
          }
          throw err;
        }
      }),
    );
}
