/**
 * The akimats' unified database loaded into the queue (`hpc import-unified`, import/loader.ts):
 * the statements the bulk load runs, in one transaction the loader holds. The loader parses and
 * checks the file; what touches queue_entries is here.
 */
import type { Readable, Writable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { withQueueChangeReason } from '../queue-ledger';

/** Any constant; it serialises concurrent imports (db/migrate.ts uses another). */
export const IMPORT_LOCK_ID = 72_130_2004;

/** Opens the import's transaction, alone, with room to sort the index builds in memory. */
export async function beginImport(c: PoolClient): Promise<void> {
  await c.query('BEGIN');
  await c.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_ID]);
  await c.query(`SET LOCAL maintenance_work_mem = '1GB'`);
  // The ledger's reason for the COPY's arrivals (db/queue-ledger.ts): migrated records merged.
  await withQueueChangeReason(c, 'MIGRATED');
}

/**
 * Every entry that matters to the import, as COPY text lines: `iin, source, kato, received_at as
 * epoch ms, categories joined by ';', source akimat` (active entries, and every migrated one).
 */
export function existingEntriesStream(c: PoolClient): Readable {
  return c.query(
    copyTo(`COPY (
      SELECT applicant_iin, source, kato, floor(extract(epoch FROM received_at) * 1000)::bigint,
             array_to_string(categories, ';'), source_akimat
        FROM queue_entries WHERE status = 'ACTIVE' OR source = 'MIGRATED') TO STDOUT`),
  );
}

export async function queueSize(c: PoolClient): Promise<number> {
  return (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM queue_entries')).rows[0].n;
}

export interface IndexDef {
  /** How to drop it and how to make it again. */
  drop: string;
  create: string;
}

/**
 * The indexes of queue_entries, as statements to drop and to rebuild them: plain indexes, and the
 * primary-key and unique constraints that no foreign key depends on. Read from the catalogue, so an
 * index a later migration adds is rebuilt too. Building an index once over the loaded table is a
 * sort; keeping it during the load is a random B-tree insert per row, several times slower.
 */
export async function rebuildableIndexes(c: PoolClient): Promise<IndexDef[]> {
  const r = await c.query<{ name: string; conname: string | null; condef: string | null; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, k.conname, pg_get_constraintdef(k.oid) AS condef,
            pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
       LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
      WHERE i.indrelid = 'queue_entries'::regclass
        AND (k.oid IS NULL OR (k.contype IN ('p', 'u')
             AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)))
      ORDER BY k.contype NULLS LAST, 1`,
  );
  return r.rows.map((x) =>
    x.conname
      ? {
          drop: `ALTER TABLE queue_entries DROP CONSTRAINT "${x.conname}"`,
          create: `ALTER TABLE queue_entries ADD CONSTRAINT "${x.conname}" ${x.condef}`,
        }
      : { drop: `DROP INDEX ${x.name}`, create: x.def },
  );
}

export async function runAll(c: PoolClient, statements: readonly string[]): Promise<void> {
  for (const s of statements) await c.query(s);
}

/** The first of the numbers the migrated entries take (`<locality>-M<8 digits>`). */
export async function nextMigratedNumber(c: PoolClient): Promise<number> {
  return Number((await c.query<{ n: string }>(`SELECT nextval('migrated_registration_number_seq')::text AS n`)).rows[0].n);
}

/** COPY text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch]!) : value;
}

export interface MigratedEntry {
  iin: string;
  kato: string;
  locality: string;
  /** ISO instant: both the receipt and the registration of a migrated record. */
  registeredAt: string;
  categories: string[];
  sourceAkimat: string;
}

/** One migrated entry as a line of the COPY that `migratedEntriesCopy` opens. */
export function migratedEntryLine(e: MigratedEntry, registrationNumber: string): string {
  return (
    `MIGRATED\t${registrationNumber}\t${e.iin}\t${e.kato}\t${e.locality}\t${e.registeredAt}\t${e.registeredAt}\t` +
    `{${e.categories.join(',')}}\tACTIVE\t${copyText(e.sourceAkimat)}\n`
  );
}

/** The COPY the migrated entries are written into (lines from `migratedEntryLine`). */
export function migratedEntriesCopy(c: PoolClient): Writable {
  return c.query(
    copyFrom(
      `COPY queue_entries (source, registration_number, applicant_iin, kato, locality, received_at, registered_at,
                           categories, status, source_akimat) FROM STDIN`,
    ),
  );
}

/** After the COPY: the indexes back, the number sequence past the loaded entries, fresh statistics. */
export async function finishImport(c: PoolClient, rebuilt: readonly IndexDef[], firstNumber: number, loaded: number): Promise<void> {
  await runAll(c, rebuilt.map((ix) => ix.create));
  if (loaded > 0) {
    await c.query(`SELECT setval('migrated_registration_number_seq', $1)`, [firstNumber + loaded - 1]);
    // Fresh statistics, so the public lists' plans see the new size of the table.
    await c.query('ANALYZE queue_entries');
  }
}
