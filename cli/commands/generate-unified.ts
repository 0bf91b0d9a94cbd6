import type { Command } from 'commander';
import { fail, printJson, runAction } from '../output';

function numberOption(value: string, field: string, min: number, max: number, integer: boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    fail(
      'BAD_NUMBER',
      {
        kk: `--${field} мәні ${min}–${max} аралығындағы ${integer ? 'бүтін ' : ''}сан болуы керек`,
        ru: `Значение --${field} должно быть ${integer ? 'целым ' : ''}числом от ${min} до ${max}`,
        en: `--${field} must be a${integer ? ' whole' : ''} number from ${min} to ${max}`,
      },
      { field },
    );
  }
  return n;
}

/**
 * `generate-unified <out.csv> --rows N [--seed S]`: a synthetic file of the unified database for
 * `import-unified` and its benchmark; the same seed gives the same file (import/generate.ts).
 */
export function register(program: Command): void {
  program
    .command('generate-unified')
    .description('Write a synthetic unified-database CSV for import-unified (deterministic for a seed)')
    .argument('<out>', 'the CSV file to write')
    .requiredOption('--rows <n>', 'number of data rows')
    .option('--seed <n>', 'seed of the generator', '1')
    .option('--invalid-share <x>', 'share of invalid rows, spread over every rejection kind', '0.01')
    .option('--duplicate-share <x>', 'share of rows repeating an earlier IIN', '0.005')
    .action(
      runAction(async (out: string, opts: { rows: string; seed: string; invalidShare: string; duplicateShare: string }) => {
        // Loaded when run: the generator uses the sandbox's PRNG, which production never loads.
        const { generateUnifiedFile } = await import('../../import/generate');
        const stats = await generateUnifiedFile({
          out,
          rows: numberOption(opts.rows, 'rows', 0, 100_000_000, true),
          seed: numberOption(opts.seed, 'seed', 0, 2 ** 31 - 1, true),
          invalidShare: numberOption(opts.invalidShare, 'invalid-share', 0, 1, false),
          duplicateShare: numberOption(opts.duplicateShare, 'duplicate-share', 0, 1, false),
        });
        printJson(stats);
      }),
    );
}
