import type { Command } from 'commander';
import { validateIin } from '../../domain/iin';
import { EXIT_BAD_INPUT, printJson, runAction } from '../output';

/** `iin <digits>`: IIN check (SPEC §11); an invalid IIN prints its reason and exits 1. */
export function register(program: Command): void {
  program
    .command('iin')
    .description('Validate an IIN and decode its birth date and sex (SPEC §11)')
    .argument('<digits>', '12-digit IIN')
    .action(
      runAction((digits: string) => {
        const result = validateIin(digits);
        printJson(result, result.valid ? undefined : EXIT_BAD_INPUT);
      }),
    );
}
