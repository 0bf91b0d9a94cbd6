import type { Command } from 'commander';
import { acceptanceInstant, calendarVersion, CalendarUnavailableError, termEnd } from '../../domain/calendar';
import { InvalidInstantError, parseInstant, toAlmatyIso } from '../../domain/time';
import { fail, printJson, runAction } from '../output';

/**
 * `term <receivedAt> <workingDays>`: acceptance instant (A1.7.2) and the end of a term of N working
 * days (SPEC §2 Interpretations), both in Kazakhstan time.
 */
export function register(program: Command): void {
  program
    .command('term')
    .description('Acceptance instant and due instant of a term of N working days (SPEC §2)')
    .argument('<receivedAt>', 'ISO 8601 instant with offset, e.g. 2026-03-06T10:00:00+05:00')
    .argument('<workingDays>', 'positive whole number of working days')
    .action(
      runAction((receivedAtArg: string, workingDaysArg: string) => {
        let receivedAt: number;
        try {
          receivedAt = parseInstant(receivedAtArg);
        } catch (err) {
          if (err instanceof InvalidInstantError) {
            fail(err.code, err.reason, { field: 'receivedAt' });
          }
          throw err;
        }
        // Digits only, no leading zero: "1.5", "-1", "0", "1e3" are all refused.
        if (!/^[1-9]\d{0,3}$/.test(workingDaysArg)) {
          fail(
            'BAD_WORKING_DAYS',
            {
              kk: 'Жұмыс күндерінің саны 1-ден 9999-ға дейінгі бүтін сан болуы керек',
              ru: 'Число рабочих дней должно быть целым числом от 1 до 9999',
              en: 'The number of working days must be a whole number from 1 to 9999',
            },
            { field: 'workingDays' },
          );
        }
        const workingDays = Number(workingDaysArg);
        try {
          const acceptedAt = acceptanceInstant(receivedAt);
          printJson({
            receivedAt: toAlmatyIso(receivedAt),
            acceptedAt: toAlmatyIso(acceptedAt),
            workingDays,
            dueAt: toAlmatyIso(termEnd(acceptedAt, workingDays)),
            calendarVersion: calendarVersion(),
          });
        } catch (err) {
          if (err instanceof CalendarUnavailableError) {
            // Name the argument only when the missing year is the receipt's own; a term running
            // into a year without data is not the fault of either argument.
            const field = err.year === Number(toAlmatyIso(receivedAt).slice(0, 4)) ? 'receivedAt' : undefined;
            fail(err.reason.code, err.reason, { field, details: { year: err.year } });
          }
          throw err;
        }
      }),
    );
}
