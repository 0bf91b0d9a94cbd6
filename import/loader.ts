/**
 * Loads a file of the akimats' unified republican database into the provider's queue
 * (`hpc import-unified`, docs/import-unified.md).
 *
 * One transaction per run, under an advisory lock: a crash or an error leaves nothing written, a
 * concurrent run waits and then finds every row already present, and a re-run of the same file
 * loads nothing. The file is read as a stream; each chunk is checked in Node and its valid rows go
 * at once into a COPY into queue_entries, so parsing here overlaps the server's work there.
 */
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import {
  beginImport,
  existingEntriesStream,
  finishImport,
  migratedEntriesCopy,
  migratedEntryLine,
  nextMigratedNumber,
  queueSize,
  rebuildableIndexes,
  runAll,
  type IndexDef,
} from '../db/cases/queue-import';
import type { LocalizedReason } from '../domain/time';
import { csvField, LineSplitter, splitCsvLine } from './csv';
import type { RejectCode } from './reasons';
import { COLUMNS, recordSignature, RowChecker, type ExistingEntry, type Problem } from './validate';

export { IMPORT_LOCK_ID } from '../db/cases/queue-import';

/** Below this many rows keeping the indexes is cheaper than rebuilding them. */
const REBUILD_MIN_ROWS = 100_000;
/** Rough bytes per row of the format, to size a load before reading it. */
const BYTES_PER_ROW = 80;

export type IndexStrategy = 'auto' | 'keep' | 'rebuild';

export interface ImportOptions {
  file: string;
  /** Where the rejects report goes; by default `<file>.rejects.csv`. */
  rejectsFile?: string;
  /** "Now" for the future-date check (tests pin it). */
  nowMs?: number;
  /**
   * `rebuild` drops queue_entries' secondary indexes inside the transaction and builds them again
   * after the load (much faster for a large load, but the table is locked for reads until the
   * commit); `keep` maintains them row by row; `auto` rebuilds for a load of at least 100,000 rows
   * that is at least as large as the table.
   */
  indexes?: IndexStrategy;
  onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
}

export interface ImportSummary {
  file: string;
  rejectsFile: string;
  /** Data rows in the file (the header and blank lines not counted). */
  rows: number;
  loaded: number;
  alreadyPresent: number;
  rejected: number;
  /** Rejected rows by the code of their first problem. */
  rejectedBy: Partial<Record<RejectCode, number>>;
  indexes: 'kept' | 'rebuilt';
  seconds: number;
  /** Where the time went: reading what is there, the streamed load, the index builds, the commit. */
  phases: { existing: number; load: number; indexes: number; commit: number };
}

/** A whole-file problem (missing file, wrong header), reported before anything is written. */
export class ImportFileError extends Error {
  constructor(
    readonly code: 'NO_FILE' | 'BAD_HEADER',
    readonly reason: LocalizedReason,
  ) {
    super(reason.en);
    this.name = 'ImportFileError';
  }
}

const HEADER_REASON: LocalizedReason = {
  code: 'BAD_HEADER',
  kk: `Файлдың бірінші жолы тақырып болуы керек: ${COLUMNS.join(',')}`,
  ru: `Первая строка файла должна быть заголовком: ${COLUMNS.join(',')}`,
  en: `The first line of the file must be the header: ${COLUMNS.join(',')}`,
};
const NO_FILE_REASON: LocalizedReason = {
  code: 'NO_FILE',
  kk: 'Файл табылмады немесе оқылмайды',
  ru: 'Файл не найден или не читается',
  en: 'The file does not exist or cannot be read',
};

export function defaultRejectsFile(file: string): string {
  return `${file.replace(/\.csv$/i, '')}.rejects.csv`;
}

/** The first line must name the columns (any case, surrounding spaces and a BOM allowed). */
export function isHeader(line: string): boolean {
  const fields = splitCsvLine(line.replace(/^\uFEFF/, ''));
  return fields !== null && fields.length === COLUMNS.length && fields.every((f, i) => f.trim().toLowerCase() === COLUMNS[i]);
}

function firstLine(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new ImportFileError('NO_FILE', NO_FILE_REASON);
  }
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    return (nl === -1 ? text : text.slice(0, nl)).replace(/\r$/, '');
  } finally {
    closeSync(fd);
  }
}

function uncopyText(value: string): string {
  return value.indexOf('\\') === -1
    ? value
    : value.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

/** Every IIN the queue already holds that matters to the import, read with one COPY. */
export async function loadExisting(c: PoolClient): Promise<Map<string, ExistingEntry>> {
  const existing = new Map<string, ExistingEntry>();
  const stream = existingEntriesStream(c);
  const lines = new LineSplitter();
  const take = (line: string): void => {
    const [iin, source, kato, ms, categories, akimat] = line.split('\t');
    if (source === 'APPLICATION') {
      existing.set(iin, { kind: 'APPLICATION' });
    } else if (existing.get(iin)?.kind !== 'APPLICATION') {
      const signature = recordSignature({
        kato,
        registeredAtMs: Number(ms),
        categories: categories === '' ? [] : categories.split(';'),
        sourceAkimat: uncopyText(akimat),
      });
      existing.set(iin, { kind: 'MIGRATED', signature });
    }
  };
  stream.setEncoding('utf8');
  for await (const chunk of stream) for (const line of lines.push(chunk as string)) take(line);
  for (const line of lines.flush()) take(line);
  return existing;
}

function rejectLines(rowNumber: number, problems: Problem[]): string {
  let out = '';
  for (const p of problems) {
    out += `${rowNumber},${p.field},${p.code},${p.firstRow ?? ''},${csvField(p.reason.kk)},${csvField(p.reason.ru)},${csvField(p.reason.en)}\n`;
  }
  return out;
}

async function writeAll(stream: Writable, text: string): Promise<void> {
  // A stream that already failed (a COPY refused by the server) would never emit 'drain'.
  if (stream.errored) throw stream.errored;
  if (text !== '' && !stream.write(text)) await once(stream, 'drain');
}

export async function importUnified(pool: Pool, opts: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const { file } = opts;
  const rejectsFile = opts.rejectsFile ?? defaultRejectsFile(file);
  if (!isHeader(firstLine(file))) throw new ImportFileError('BAD_HEADER', HEADER_REASON);
  const totalBytes = statSync(file).size;
  const nowMs = opts.nowMs ?? Date.now();

  const client = await pool.connect();
  const partFile = `${rejectsFile}.part`;
  const rejects = createWriteStream(partFile, { encoding: 'utf8' });
  rejects.write('row,field,code,first_row,reason_kk,reason_ru,reason_en\n');
  let rows = 0;
  let loaded = 0;
  let alreadyPresent = 0;
  let rejected = 0;
  const rejectedBy: Partial<Record<RejectCode, number>> = {};
  let rebuilt: IndexDef[] = [];
  const phases = { existing: 0, load: 0, indexes: 0, commit: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases): void => {
    const now = performance.now();
    phases[phase] = Number(((now - mark) / 1000).toFixed(3));
    mark = now;
  };
  try {
    await beginImport(client);
    const existing = await loadExisting(client);
    const strategy = opts.indexes ?? 'auto';
    const estimate = totalBytes / BYTES_PER_ROW;
    const tableRows = await queueSize(client);
    if (strategy === 'rebuild' || (strategy === 'auto' && estimate >= REBUILD_MIN_ROWS && estimate >= tableRows)) {
      rebuilt = await rebuildableIndexes(client);
      await runAll(client, rebuilt.map((ix) => ix.drop));
    }
    lap('existing');
    const firstNumber = await nextMigratedNumber(client);

    const copy = migratedEntriesCopy(client);
    const copyDone = finished(copy);
    // An error on the COPY (e.g. a constraint) must end the read loop, not leave it waiting on 'drain'.
    copyDone.catch(() => undefined);
    const checker = new RowChecker(existing, nowMs);
    const lines = new LineSplitter();
    let lineNumber = 0;
    const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const handle = (batch: string[]): { out: string; bad: string } => {
      let out = '';
      let bad = '';
      for (const line of batch) {
        lineNumber += 1;
        if (lineNumber === 1 || line.trim() === '') continue; // the header; blank lines
        rows += 1;
        const outcome = checker.check(lineNumber, splitCsvLine(line));
        if (outcome.kind === 'load') {
          const number = firstNumber + loaded;
          loaded += 1;
          out += migratedEntryLine(outcome.row, `${outcome.row.locality}-M${String(number).padStart(8, '0')}`);
        } else if (outcome.kind === 'present') {
          alreadyPresent += 1;
        } else {
          rejected += 1;
          const code = outcome.problems[0].code;
          rejectedBy[code] = (rejectedBy[code] ?? 0) + 1;
          bad += rejectLines(lineNumber, outcome.problems);
        }
      }
      return { out, bad };
    };
    for await (const chunk of input) {
      const { out, bad } = handle(lines.push(chunk as string));
      await writeAll(copy, out);
      await writeAll(rejects, bad);
      opts.onProgress?.(input.bytesRead, totalBytes, rows);
    }
    const last = handle(lines.flush());
    await writeAll(copy, last.out);
    await writeAll(rejects, last.bad);
    copy.end();
    await copyDone;
    opts.onProgress?.(totalBytes, totalBytes, rows);
    lap('load');

    await finishImport(client, rebuilt, firstNumber, loaded);
    lap('indexes');
    await client.query('COMMIT');
    lap('commit');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    rejects.destroy();
    rmSync(partFile, { force: true });
    throw err;
  } finally {
    client.release();
  }
  rejects.end();
  await finished(rejects);
  renameSync(partFile, rejectsFile);
  return {
    file,
    rejectsFile,
    rows,
    loaded,
    alreadyPresent,
    rejected,
    rejectedBy,
    indexes: rebuilt.length > 0 ? 'rebuilt' : 'kept',
    phases,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
  };
}
