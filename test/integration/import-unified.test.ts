/**
 * `hpc import-unified` on real PostgreSQL (a database of its own, hpc_test_import, so the other
 * files' data is never touched): counts, the rejects report with row numbers, a re-run changing
 * nothing, an overlapping file loading only its new rows, migrated entries holding their place in
 * the public list, and the unifiedQueue registry read returning them so R15.1 refuses a later
 * application. The CLI is run as a person would run it.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import { Client, type Pool } from 'pg';
import { createRegistryActivities } from '../../activities/registry-activities';
import { MIGRATED_RECORDS_SQL, queueListPage } from '../../db/cases';
import type { ApiDeps } from '../../api/http';
import { queueListHandler } from '../../api/routes/public';
import { migrate } from '../../db/migrate';
import { withQueueChangeReason } from '../../db/queue-ledger';
import { withTransaction } from '../../db/transaction';
import type { QueueChangeReason } from '../../domain/queue-reasons';
import { createPool } from '../../db/pool';
import type { EligibilityContext } from '../../domain/eligibility/context';
import { createCaseActivities } from '../../activities/case-activities';
import { unifiedQueueGrounds } from '../../domain/eligibility/grounds/unified-queue';
import { makeIin } from '../../domain/iin';
import { localityOf } from '../../domain/kato';
import { emptyAnswers, type UnifiedQueueRecord } from '../../domain/registry-facts';
import { parseInstant } from '../../domain/time';
import { splitCsvLine } from '../../import/csv';
import { generateUnifiedFile, type GenerateStats } from '../../import/generate';
import { importUnified, type ImportSummary } from '../../import/loader';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { expectNoStackTrace, hpc, type CliRun } from '../helpers/cli';
import { DEMO_FIXTURE } from '../helpers/stack';

const DB = 'hpc_test_import';
let dir: string;
let url: string;
let pool: Pool;
let sandbox: RunningSandbox;
let file: string;
let stats: GenerateStats;
let first: ImportSummary;

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: process.env.HPC_TEST_DATABASE_ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function counts(): Promise<{ n: number; maxId: number; seq: string }> {
  const r = await pool.query(
    `SELECT count(*)::int AS n, coalesce(max(id), 0)::int AS "maxId",
            (SELECT count(*) FROM queue_entries WHERE source = 'MIGRATED')::text AS seq FROM queue_entries`,
  );
  return r.rows[0];
}

function fileLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n');
}

function parseRejects(path: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const names = splitCsvLine(header)!;
  return rows.map((l) => Object.fromEntries(splitCsvLine(l)!.map((v, i) => [names[i], v])));
}

beforeAll(async () => {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB}`);
  const u = new URL(process.env.HPC_TEST_DATABASE_ADMIN_URL!);
  u.pathname = `/${DB}`;
  url = u.toString();
  pool = createPool(url, 4);
  await migrate(pool);
  sandbox = await startSandbox({ port: 0, fixture: DEMO_FIXTURE });
  dir = mkdtempSync(join(tmpdir(), 'hpc-import-'));
  file = join(dir, 'unified.csv');
  stats = await generateUnifiedFile({ out: file, rows: 600, seed: 7, invalidShare: 0.1, duplicateShare: 0.03 });
  first = await importUnified(pool, { file });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
});

describe('import-unified', () => {
  it('loads every valid row and rejects the rest, by reason', async () => {
    expect(first.rows).toBe(600);
    expect(first.loaded).toBe(stats.valid);
    expect(first.loaded + first.rejected).toBe(600);
    expect(first.alreadyPresent).toBe(0);
    for (const [kind, n] of Object.entries(stats.invalid)) {
      // A repeated IIN whose new date falls before that person's birth is a DATE_BEFORE_BIRTH too.
      if (kind === 'DATE_BEFORE_BIRTH') expect(first.rejectedBy.DATE_BEFORE_BIRTH).toBeGreaterThanOrEqual(n);
      else expect(first.rejectedBy[kind as keyof ImportSummary['rejectedBy']]).toBe(n);
    }
    expect(first.rejectedBy.DUPLICATE_IN_FILE).toBeGreaterThan(0);
    expect((await counts()).n).toBe(stats.valid);
    const r = await pool.query(`SELECT DISTINCT source, status, application_id FROM queue_entries`);
    expect(r.rows).toEqual([{ source: 'MIGRATED', status: 'ACTIVE', application_id: null }]);
  });

  it('the rejects report names the row (the file line), the field and the reason in kk/ru/en; no IINs', () => {
    const lines = fileLines(file);
    const rejects = parseRejects(first.rejectsFile);
    expect(new Set(rejects.map((r) => r.row)).size).toBe(first.rejected);
    for (const r of rejects) {
      const line = lines[Number(r.row) - 1];
      expect(r.reason_kk && r.reason_ru && r.reason_en).toBeTruthy();
      if (r.code === 'COLUMN_COUNT') expect(splitCsvLine(line)).toHaveLength(4);
      if (r.code === 'UNKNOWN_KATO') expect(splitCsvLine(line)![1]).toBe('999999999');
      if (r.code === 'DUPLICATE_IN_FILE') {
        expect(Number(r.first_row)).toBeLessThan(Number(r.row));
        expect(splitCsvLine(lines[Number(r.first_row) - 1])![0]).toBe(splitCsvLine(line)![0]);
      }
    }
    expect(readFileSync(first.rejectsFile, 'utf8')).not.toMatch(/\d{12}/);
  });

  it('a re-run of the same file changes nothing; an overlapping file loads only its new rows', async () => {
    const before = await counts();
    const again = await importUnified(pool, { file });
    expect(again).toMatchObject({ loaded: 0, alreadyPresent: stats.valid, rejected: first.rejected });
    expect(await counts()).toEqual(before);

    const extra = join(dir, 'extra.csv');
    const extraStats = await generateUnifiedFile({ out: extra, rows: 40, seed: 99, invalidShare: 0, duplicateShare: 0 });
    const overlap = join(dir, 'overlap.csv');
    writeFileSync(overlap, [...fileLines(file).slice(0, 101), ...fileLines(extra).slice(1)].join('\n'));
    const third = await importUnified(pool, { file: overlap });
    expect(third.loaded).toBe(extraStats.valid);
    expect((await counts()).n).toBe(before.n + extraStats.valid);
  });

  it('concurrent runs of one file do not load twice (advisory lock, one transaction each)', async () => {
    const other = join(dir, 'concurrent.csv');
    const s = await generateUnifiedFile({ out: other, rows: 50, seed: 1234, invalidShare: 0, duplicateShare: 0 });
    const before = (await counts()).n;
    const [a, b] = await Promise.all([importUnified(pool, { file: other }), importUnified(pool, { file: other, rejectsFile: `${other}.b.csv` })]);
    expect(a.loaded + b.loaded).toBe(s.valid);
    expect(a.alreadyPresent + b.alreadyPresent).toBe(s.valid);
    expect((await counts()).n).toBe(before + s.valid);
  });

  it('a large load may rebuild the indexes: the same indexes and constraints afterwards', async () => {
    const shape = async (): Promise<string[]> =>
      (
        await pool.query<{ d: string }>(
          `SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index WHERE indrelid = 'queue_entries'::regclass
           UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'queue_entries'::regclass
           ORDER BY 1`,
        )
      ).rows.map((r) => r.d);
    const before = await shape();
    expect(before.join('\n')).toMatch(/queue_entries_one_active_per_person/);
    const big = join(dir, 'rebuild.csv');
    const s = await generateUnifiedFile({ out: big, rows: 80, seed: 4242, invalidShare: 0, duplicateShare: 0 });
    const n = (await counts()).n;
    const r = await importUnified(pool, { file: big, indexes: 'rebuild' });
    expect(r).toMatchObject({ indexes: 'rebuilt', loaded: s.valid });
    expect(await shape()).toEqual(before);
    expect((await counts()).n).toBe(n + s.valid);
  });

  it('migrated entries hold their place in the public list by their akimat registration date', async () => {
    // The locality with the most migrated entries, and its entries' instants as the file gives them.
    const rows = fileLines(file).slice(1).map((l) => splitCsvLine(l)).filter((f): f is string[] => f !== null && f.length === 5);
    const top = (await pool.query<{ locality: string; n: number }>(
      `SELECT locality, count(*)::int AS n FROM queue_entries GROUP BY locality ORDER BY 2 DESC, 1 LIMIT 1`,
    )).rows[0];
    const migrated = await pool.query<{ applicant_iin: string; received_at: Date }>(
      `SELECT applicant_iin, received_at FROM queue_entries WHERE locality = $1`,
      [top.locality],
    );
    const instants = migrated.rows.map((r) => r.received_at.getTime()).sort((x, y) => x - y);
    // An applicant registered (through an application, with consent C3) at a middle instant.
    const middle = instants[Math.floor(instants.length / 2)] + 1;
    const appId = randomUUID();
    const iin = makeIin('1990-01-02', 'F', 4321);
    expect(rows.some((f) => f[0] === iin)).toBe(false);
    const at = new Date(middle).toISOString();
    await pool.query(
      `INSERT INTO applications (id, idempotency_key, request_hash, applicant_iin, submitted_by, path, fund, kato, locality,
         declaration, received_at, accepted_at, decision_due_at, status, workflow_id, interpretations_version, calendar_version)
       VALUES ($1, $6, 'x', $2, 'applicant', 'NO_HOUSING', 'x', $3, $3, $4, $5, $5, $5, 'REGISTERED', 'wf', 'v', 'v')`,
      [appId, iin, top.locality, JSON.stringify({ consents: [{ code: 'C3' }] }), at, `import-test-${appId}`],
    );
    await withTransaction(pool, async (tx) => {
      await withQueueChangeReason(tx, 'REGISTERED');
      await tx.query(
        `INSERT INTO queue_entries (application_id, registration_number, applicant_iin, locality, received_at, registered_at)
         VALUES ($1, $2 || '-00000001', $3, $2, $4, $4)`,
        [appId, top.locality, iin, at],
      );
    });
    let body: { total: number; entries: { position: number; published: boolean; registrationNumber?: string }[] } | undefined;
    const res = { json: (b: typeof body) => (body = b) } as unknown as Response;
    // Only the pool is read by this handler.
    await queueListHandler({ pool } as unknown as ApiDeps)(
      { params: { kato: top.locality }, query: { pageSize: '500' } } as unknown as Request,
      res,
    );
    expect(body!.total).toBe(instants.length + 1);
    expect(body!.entries.map((e) => e.position)).toEqual(Array.from({ length: instants.length + 1 }, (_, i) => i + 1));
    const ahead = instants.filter((t) => t < middle).length;
    const mine = body!.entries.find((e) => e.published);
    expect(mine).toMatchObject({ position: ahead + 1, registrationNumber: `${top.locality}-00000001` });
    // Migrated people gave the provider no consent C3: position only, never an IIN.
    expect(body!.entries.filter((e) => !e.published)).toHaveLength(instants.length);
    expect(JSON.stringify(body)).not.toMatch(/\d{12}/);
  });

  it('the unifiedQueue registry read returns the migrated record, and R15.1 refuses a later application', async () => {
    const someone = await pool.query<{ applicant_iin: string }>(
      `SELECT applicant_iin FROM queue_entries WHERE source = 'MIGRATED' AND categories <> '{}' ORDER BY id LIMIT 1`,
    );
    // The first row of that IIN in the file is the one loaded.
    const line = fileLines(file).map((l) => splitCsvLine(l)).find((f) => f?.[0] === someone.rows[0].applicant_iin);
    const [iin, kato, registeredAt, categories, akimat] = line!;
    const activities = createRegistryActivities({ url: sandbox.url, pool });
    const answer = (await activities.fetchRegistry('unifiedQueue', [iin, '950314419498'])) as Record<string, UnifiedQueueRecord[]>;
    expect(answer[iin]).toHaveLength(1);
    expect(answer[iin][0]).toMatchObject({ kato, categories: categories.split(';'), sourceAkimat: akimat, active: true });
    expect(parseInstant(answer[iin][0].registeredAt)).toBe(parseInstant(registeredAt));
    expect(answer['950314419498']).toEqual([]); // the demo's clean applicant: nothing added
    expect(localityOf(kato)).toBeDefined();

    // The R15.1 ground reads only the subjects' unifiedQueue answers.
    const subject = { role: 'APPLICANT' as const, iin, answers: { ...emptyAnswers(), unifiedQueue: answer[iin] } };
    const ctx = { subjects: [subject], applicant: subject, input: {}, interpretations: {} } as unknown as EligibilityContext;
    const grounds = unifiedQueueGrounds(ctx);
    expect(grounds.map((g) => g.id)).toEqual(['R15.1']);
    expect(grounds[0].registry).toBe('unifiedQueue');

    // The acceptance's own-queue check counts only the provider's own entries, so the migrated
    // record gives R15.1 once (through the registry), not a second time as an own queue entry.
    const appId = randomUUID();
    const at = new Date().toISOString();
    await pool.query(
      `INSERT INTO applications (id, idempotency_key, request_hash, applicant_iin, submitted_by, path, fund, kato, locality,
         declaration, received_at, accepted_at, decision_due_at, workflow_id, interpretations_version, calendar_version)
       VALUES ($1, $5, 'x', $2, 'applicant', 'NO_HOUSING', 'x', $3, $3, '{}', $4, $4, $4, 'wf', 'v', 'v')`,
      [appId, iin, localityOf(kato), at, `import-test-${appId}`],
    );
    const accepted = await createCaseActivities(pool).recordAcceptance({ applicationId: appId, acceptedAt: at, decisionDueAt: at, at });
    expect(accepted.ownQueueActive).toBe(false);

    // Every case reads this: it must be an index look-up, never a scan of the whole queue.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${MIGRATED_RECORDS_SQL}`, [[iin]]);
      // The IIN is the index condition (not a filter over a scan of some other index).
      expect(JSON.stringify(plan.rows[0]['QUERY PLAN'])).toMatch(/"Index Cond":"[^"]*applicant_iin/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('the published lists\' totals follow every change of the queue (db/migrations/008)', async () => {
    const actual = async (): Promise<Record<string, number>> => {
      const r = await pool.query<{ k: string; n: number }>(
        `SELECT locality || '/' || category AS k, count(*)::int AS n FROM (
           SELECT locality, '' AS category FROM queue_entries WHERE status = 'ACTIVE'
           UNION ALL SELECT locality, unnest(categories) FROM queue_entries WHERE status = 'ACTIVE') x
         GROUP BY 1`,
      );
      return Object.fromEntries(r.rows.map((x) => [x.k, x.n]));
    };
    const kept = async (): Promise<Record<string, number>> => {
      const r = await pool.query<{ k: string; n: number }>(
        `SELECT locality || '/' || category AS k, active::int AS n FROM queue_list_totals WHERE active > 0`,
      );
      return Object.fromEntries(r.rows.map((x) => [x.k, x.n]));
    };
    // After the bulk import (one COPY) and the application entry of the test above.
    const before = await actual();
    expect(Object.keys(before).length).toBeGreaterThan(3);
    expect(await kept()).toEqual(before);
    // A removal, a change of categories, a move to another locality, and a deletion.
    const some = await pool.query<{ id: number }>(`SELECT id FROM queue_entries WHERE status = 'ACTIVE' ORDER BY id LIMIT 4`);
    const [a, b, c, d] = some.rows.map((r) => r.id);
    // Each with its reason, as the queue ledger requires (db/queue-ledger.ts).
    const change = (reason: QueueChangeReason, sql: string, id: number): Promise<void> =>
      withTransaction(pool, async (tx) => {
        await withQueueChangeReason(tx, reason);
        await tx.query(sql, [id]);
      });
    await change('DIED', `UPDATE queue_entries SET status = 'REMOVED', removed_at = now(), removal_reason = 'DIED' WHERE id = $1`, a);
    await change('CATEGORY_CONFIRMED', `UPDATE queue_entries SET categories = ARRAY['ORPHAN']::text[] WHERE id = $1`, b);
    await change('RECORD_CORRECTED', `UPDATE queue_entries SET locality = '351010000' WHERE id = $1`, c);
    await change('RECORD_CORRECTED', `DELETE FROM queue_entries WHERE id = $1`, d);
    expect(await kept()).toEqual(await actual());
    // The public list reads its total from there.
    const top = Object.entries(await actual()).filter(([k]) => k.endsWith('/')).sort((x, y) => y[1] - x[1])[0];
    const page = await queueListPage(pool, { locality: top[0].slice(0, 9), page: 1, pageSize: 10 });
    expect(page.total).toBe(top[1]);
    expect(page.entries.map((e) => e.position)).toEqual(Array.from({ length: Math.min(10, top[1]) }, (_, i) => i + 1));
  });

  it('the CLI: JSON summary on stdout, no progress bar when stderr is not a terminal, JSON errors', () => {
    const csv = join(dir, 'cli.csv');
    const gen = hpc('generate-unified', csv, '--rows', '30', '--seed', '5', '--invalid-share', '0.2');
    expect(gen.status).toBe(0);
    const genStats = gen.json as GenerateStats;
    // Like helpers/cli.ts `hpc`, with DATABASE_URL naming this file's database (jest's process.env
    // is not what a child process inherits).
    const run = (...args: string[]): CliRun => {
      const p = spawnSync('npx', ['tsx', 'cli/hpc.ts', 'import-unified', ...args], {
        cwd: join(__dirname, '..', '..'),
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, DATABASE_URL: url },
      });
      let json: unknown;
      try {
        json = JSON.parse(p.stdout);
      } catch {
        json = undefined;
      }
      return { status: p.status, json, stdout: p.stdout, stderr: p.stderr };
    };
    const r = run(csv, '--rejects', join(dir, 'cli-rejects.csv'));
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ rows: 30, loaded: genStats.valid, rejectsFile: join(dir, 'cli-rejects.csv') });
    expect(r.stderr).toBe('');
    expect(run(csv, '--rejects', join(dir, 'cli-rejects.csv')).json).toMatchObject({ loaded: 0, alreadyPresent: genStats.valid });
    const bad = join(dir, 'noheader.csv');
    writeFileSync(bad, '950314419498,351010000,2012-03-05T10:15:00+06:00,,x\n');
    const e = run(bad);
    expect(e.status).toBe(1);
    expect(e.json).toMatchObject({ error: { code: 'BAD_HEADER', field: 'file' } });
    expectNoStackTrace(e);
    expect(run(join(dir, 'missing.csv')).json).toMatchObject({ error: { code: 'NO_FILE' } });
    expect(hpc('generate-unified', csv, '--rows', '-1').json).toMatchObject({ error: { code: 'BAD_NUMBER', field: 'rows' } });
  }, 120_000);
});
