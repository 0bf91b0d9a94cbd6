/**
 * `npm run bench:import [-- --rows N] [--seed S] [--quick]`: the unified-database import (issue #4) against a
 * plain PostgreSQL COPY of the same file.
 *
 * 1. Generates the file (data/unified-<rows>-s<seed>.csv), or reuses it when it is already there.
 * 2. PostgreSQL: DATABASE_URL's server if set, else an embedded one in data/bench-import-pg on a
 *    free port (scripts/postgres.mjs), never the developer's running one.
 * 3. Baseline: a fresh database, a bare one-column text table (no index, no constraint), and
 *    `COPY bare FROM STDIN` of the file streamed from Node. One column because the file holds rows
 *    with the wrong number of columns on purpose, which a five-column COPY refuses outright; a
 *    one-column COPY is the cheapest load of the same bytes, so the ratio errs against the import.
 * 4. The import: another fresh, migrated database, `importUnified` as the CLI runs it.
 * 5. A reference: the loaded rows, valid and in PostgreSQL's own text format, COPYed into an
 *    unindexed table of the queue's column types — PostgreSQL's floor under any import of them.
 * 6. bench/results/import.json: rows, rejected, loaded, seconds, copyBaselineSeconds,
 *    ratio = baseline / import, typedCopyReferenceSeconds, bestPossibleRatio (= baseline / that
 *    reference: what the ratio could at most be with free validation and no index), rowsPerSecond,
 *    machine, at, target, met.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { importEsm } from '../cli/esm';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { generateUnifiedFile } from '../import/generate';
import { importUnified, type IndexStrategy } from '../import/loader';
import { toAlmatyIso } from '../domain/time';

const ROOT = join(__dirname, '..');
const TARGET = { seconds: 60, ratio: 0.5 };

interface EmbeddedPg {
  startEmbeddedPostgres(o: { dataDir: string; port: number; database: string; log?: (l: string) => void }): Promise<{
    url: string;
    stop(): Promise<void>;
  }>;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

function log(line: string): void {
  process.stderr.write(`[bench:import] ${line}\n`);
}

async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function copyBaseline(url: string, file: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('CREATE TABLE bare_import (line text)');
    await c.query('CHECKPOINT');
    const started = performance.now();
    // \x01 never occurs in the file, so each line is one value; HEADER skips the header as the import does.
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      c.query(copyFrom(`COPY bare_import FROM STDIN WITH (FORMAT text, DELIMITER E'\\x01', HEADER true)`)),
    );
    return (performance.now() - started) / 1000;
  } finally {
    await c.end();
  }
}

/**
 * The reference between the two: the rows the import loaded, already valid and already in
 * PostgreSQL's text format, COPYed into a table of queue_entries' column types with no index, no
 * key, no trigger and no foreign key. What PostgreSQL alone takes to land these rows typed, without
 * any check or index — the part of the import no validation code can remove.
 */
async function typedCopyReference(importUrl: string, dir: string): Promise<{ seconds: number; rows: number }> {
  const c = new Client({ connectionString: importUrl });
  await c.connect();
  const file = join(dir, 'typed-reference.tmp');
  try {
    const cols = 'application_id, registration_number, applicant_iin, locality, received_at, registered_at, categories, status, source, source_akimat';
    await pipeline(
      c.query(copyTo(`COPY (SELECT ${cols} FROM queue_entries WHERE source = 'MIGRATED') TO STDOUT`)),
      createWriteStream(file, { highWaterMark: 1 << 20 }),
    );
    // LIKE copies the column types and NOT NULLs only: no index, key, CHECK, trigger or foreign key.
    await c.query(`CREATE TABLE typed_reference (LIKE queue_entries)`);
    await c.query(`ALTER TABLE typed_reference DROP COLUMN id, DROP COLUMN removed_at, DROP COLUMN removal_reason, DROP COLUMN public_id`);
    await c.query('CHECKPOINT');
    const started = performance.now();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), c.query(copyFrom(`COPY typed_reference (${cols}) FROM STDIN`)));
    const seconds = (performance.now() - started) / 1000;
    const rows = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM typed_reference')).rows[0].n;
    await c.query('DROP TABLE typed_reference');
    return { seconds, rows };
  } finally {
    rmSync(file, { force: true });
    await c.end();
  }
}

async function main(): Promise<void> {
  // --quick (also from `npm run bench -- all --quick`): 100,000 rows, written to a git-ignored file.
  const rows = Number(arg('rows') ?? (process.argv.includes('--quick') ? 100_000 : 1_000_000));
  const seed = Number(arg('seed') ?? 1);
  const indexes = (arg('indexes') ?? 'auto') as IndexStrategy;
  const dataDir = join(ROOT, 'data');
  mkdirSync(dataDir, { recursive: true });
  const file = arg('file') ?? join(dataDir, `unified-${rows}-s${seed}.csv`);
  if (!existsSync(file)) {
    const t = performance.now();
    const stats = await generateUnifiedFile({ out: file, rows, seed });
    log(`generated ${file}: ${stats.valid} valid rows, ${stats.duplicates} duplicates (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } else {
    log(`reusing ${file}`);
  }

  let adminUrl = process.env.DATABASE_URL;
  let stopPg: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const pg = await importEsm<EmbeddedPg>(join(ROOT, 'scripts', 'postgres.mjs'));
    const tools = await importEsm<{ freePort(): Promise<number> }>(join(ROOT, 'scripts', 'temporal-dev.mjs'));
    const server = await pg.startEmbeddedPostgres({ dataDir: join(dataDir, 'bench-import-pg'), port: await tools.freePort(), database: 'postgres' });
    adminUrl = server.url;
    stopPg = server.stop;
  }
  try {
    const baselineUrl = await recreateDatabase(adminUrl, 'hpc_import_baseline');
    const copyBaselineSeconds = await copyBaseline(baselineUrl, file);
    log(`COPY baseline: ${copyBaselineSeconds.toFixed(2)} s`);

    const importUrl = await recreateDatabase(adminUrl, 'hpc_import_bench');
    const pool = createPool(importUrl, 2);
    let summary;
    try {
      await migrate(pool);
      await pool.query('CHECKPOINT');
      summary = await importUnified(pool, { file, indexes });
      const n = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_entries WHERE source = 'MIGRATED'`)).rows[0].n;
      if (n !== summary.loaded) throw new Error(`loaded ${summary.loaded} but the queue holds ${n}`);
    } finally {
      await pool.end();
    }
    const typed = await typedCopyReference(importUrl, dataDir);
    if (typed.rows !== summary.loaded) throw new Error(`typed reference: ${typed.rows} rows, the import loaded ${summary.loaded}`);
    log(`typed COPY reference: ${typed.seconds.toFixed(2)} s for the ${typed.rows} loaded rows`);
    await recreateDatabase(adminUrl, 'hpc_import_baseline'); // leaves it empty: its disk space back
    log(`import: ${summary.seconds} s (${summary.loaded} loaded, ${summary.rejected} rejected, indexes ${summary.indexes})`);

    const ratio = Number((copyBaselineSeconds / summary.seconds).toFixed(3));
    const result = {
      rows: summary.rows,
      rejected: summary.rejected,
      loaded: summary.loaded,
      alreadyPresent: summary.alreadyPresent,
      rejectedBy: summary.rejectedBy,
      indexes: summary.indexes,
      phases: summary.phases,
      seconds: summary.seconds,
      copyBaselineSeconds: Number(copyBaselineSeconds.toFixed(3)),
      ratio,
      // The loaded rows COPYed, typed, into an unindexed table of the queue's column types: the
      // floor PostgreSQL sets under any import of these rows (typedCopyReference).
      typedCopyReferenceSeconds: Number(typed.seconds.toFixed(3)),
      typedCopyOverBareCopy: Number((typed.seconds / copyBaselineSeconds).toFixed(2)),
      bestPossibleRatio: Number((copyBaselineSeconds / typed.seconds).toFixed(3)),
      rowsPerSecond: Math.round(summary.rows / summary.seconds),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)) },
      at: toAlmatyIso(Date.now()),
      target: TARGET,
      met: summary.seconds < TARGET.seconds && ratio >= TARGET.ratio,
    };
    // Only the full run is the recorded result; a quick run (--rows) goes to a git-ignored file.
    const out = join(ROOT, 'bench', 'results', rows === 1_000_000 ? 'import.json' : `import-${rows}.tmp`);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stopPg?.();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
