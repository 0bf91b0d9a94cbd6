import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { createPool } from '../../db/pool';
import { ImportFileError, importUnified, type IndexStrategy } from '../../import/loader';
import { fail, printJson, runAction } from '../output';

const NO_DATABASE = {
  kk: 'DATABASE_URL орнатылмаған: кезек сақталатын дерекқорды көрсетіңіз',
  ru: 'DATABASE_URL не задан: укажите базу данных с очередью',
  en: 'DATABASE_URL is not set: name the database that holds the queue',
};
const BAD_INDEXES = {
  kk: '--indexes мәні auto, keep немесе rebuild болуы керек',
  ru: 'Значение --indexes должно быть auto, keep или rebuild',
  en: '--indexes must be auto, keep or rebuild',
};
const STRATEGIES: readonly IndexStrategy[] = ['auto', 'keep', 'rebuild'];

/**
 * `import-unified <file.csv>`: loads the akimats' unified republican database into the queue
 * (issue #4, docs/import-unified.md). A JSON summary on stdout; the rejects report in a CSV file;
 * a progress bar on stderr only when stderr is a terminal.
 */
export function register(program: Command): void {
  program
    .command('import-unified')
    .description("Load the akimats' unified database (CSV) into the queue; rejects go to a report (docs/import-unified.md)")
    .argument('<file>', 'CSV file: iin,kato,registered_at,categories,source_akimat')
    .option('--rejects <file>', 'the rejects report (default: <file>.rejects.csv next to the input)')
    .option('--indexes <strategy>', 'auto | keep | rebuild: how queue indexes are maintained during a large load', 'auto')
    .action(
      runAction(async (file: string, opts: { rejects?: string; indexes: string }) => {
        const url = process.env.DATABASE_URL;
        if (!url) fail('NO_DATABASE', NO_DATABASE, { field: 'DATABASE_URL' });
        if (!STRATEGIES.includes(opts.indexes as IndexStrategy)) fail('BAD_INDEXES', BAD_INDEXES, { field: 'indexes' });
        const bar = process.stderr.isTTY
          ? new SingleBar(
              { stream: process.stderr, format: 'import-unified [{bar}] {percentage}% | {rows} rows | {eta_formatted}', etaBuffer: 50 },
              Presets.shades_classic,
            )
          : undefined;
        const pool = createPool(url, 1);
        try {
          bar?.start(100, 0, { rows: 0 });
          const summary = await importUnified(pool, {
            file,
            rejectsFile: opts.rejects,
            indexes: opts.indexes as IndexStrategy,
            onProgress: bar ? (read, total, rows) => bar.update(total > 0 ? Math.floor((read / total) * 100) : 100, { rows }) : undefined,
          });
          bar?.stop();
          printJson({ ...summary, rowsPerSecond: summary.seconds > 0 ? Math.round(summary.rows / summary.seconds) : summary.rows });
        } catch (err) {
          bar?.stop();
          if (err instanceof ImportFileError) fail(err.code, err.reason, { field: 'file' });
          throw err;
        } finally {
          await pool.end();
        }
      }),
    );
}
