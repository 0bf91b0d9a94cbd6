/**
 * `npm run bench:load` (also `npm run bench -- --suite load`): the system at national scale.
 *
 * 1. Loads 1,000,000 active queue entries the way production gets them: a synthetic file of the
 *    akimats' unified database (import/generate.ts) through `import-unified` (import/loader.ts).
 * 2. Sustained R7.1: finds the highest arrival rate whose p99 submit-to-decision stays under 1 s
 *    (short probes on a rising ladder), then holds it for 10 minutes (open loop) and reports the
 *    latency, errors (must be 0) and the worker's and the API's peak memory.
 * 3. Reads: the public queue list and a case's queue position through the API with autocannon, and
 *    the same queries (the functions the handlers call) straight against PostgreSQL as the
 *    baseline, with the same concurrency; ratio = API requests/s ÷ SQL queries/s.
 *
 * Writes bench/results/load.json (a --quick run writes bench/results/load-quick.tmp). Method and
 * figures: bench/README.md.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { Command, InvalidArgumentError } from 'commander';
import type { Pool } from 'pg';
import { placementOf, queueListPage } from '../db/cases';
import { entryOfApplication, queueHistoryPage } from '../db/queue-ledger';
import { historySizes, ledgerYears, snapshotAll } from './queue-ledger';
import { reverifyAll } from './reverification';

import { createPool } from '../db/pool';
import { generateUnifiedFile } from '../import/generate';
import { importUnified } from '../import/loader';
import { benchPopulation, type BenchPerson } from './fixture';
import { DecisionWatcher, newRunId, Progress, Submitter } from './load';
import { openLoopPhase, type OpenLoopPhase } from './open-loop';
import {
  log,
  machine,
  machineLoad,
  round1,
  round2,
  sleep,
  waitQuiet,
  writeResult,
} from './measure';
import { treePeakRssMb } from './procfs';
import { Cleanup, ROOT, startStack, type Stack } from './stack';
import { distribution } from './stats';

const TARGET_P99_MS = 1000;
/** A probe passes with p99 under this: a 45-second probe is optimistic about a 10-minute run. */
const PROBE_P99_MS = 600;
const PAGE_SIZE = 50;
const MAX_BENCH_PERSONS = 12_000;

interface Options {
  quick: boolean;
  entries: number;
  /** Fixed sustained rate; without it the probe ladder chooses. */
  rate?: number;
  ladder: number[];
  probeSec: number;
  sustainedSec: number;
  readSec: number;
  connections: number;
  registryLatencyMs: number;
  skipSustained: boolean;
  skipReads: boolean;
  /** Issue #11: months of ledger events written before the reads; 0 skips the ledger phases. */
  ledgerMonths: number;
  /** Issue #11 §2: persons given a death before the re-verification run; 0 skips the run. */
  reverifyDeaths: number;
  out: string;
  waitQuietSec: number;
}

function positiveInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function parseOptions(argv: string[]): Options {
  const o = new Command()
    .name('bench:load')
    .description('1M queue entries: sustained R7.1 at the highest rate with p99 < 1 s, and queue reads through the API vs SQL')
    .option('--quick', 'a smoke run with small counts (writes bench/results/load-quick.tmp)')
    .option('--entries <n>', 'active queue entries to load through import-unified', positiveInt('--entries'))
    .option('--rate <n>', 'sustained arrival rate (applications/s); default: chosen by the probe ladder', positiveInt('--rate'))
    .option('--ladder <list>', 'probe rates, comma-separated, ascending', (v) => v.split(',').map((x) => positiveInt('--ladder')(x.trim())))
    .option('--probe-seconds <n>', 'length of each probe', positiveInt('--probe-seconds'))
    .option('--sustained-seconds <n>', 'length of the sustained run', positiveInt('--sustained-seconds'))
    .option('--read-seconds <n>', 'length of each read run (API and SQL, per query kind)', positiveInt('--read-seconds'))
    .option('--connections <n>', 'concurrent connections of the read runs', positiveInt('--connections'))
    .option('--registry-latency-ms <n>', 'gateway sandbox latency per call', (v) => Number(v))
    .option('--skip-sustained', 'only load and read')
    .option('--skip-reads', 'only load and the sustained run')
    .option('--ledger-months <n>', 'months of queue-ledger events before the history reads and snapshots (0: skip; default 36)', (v: string) => Number(v))
    .option('--reverify-deaths <n>', 're-verification over every active entry after the other phases, with this many persons given a death first (0: skip; default 200)', (v: string) => Number(v))
    .option('--wait-quiet <s>', 'wait up to this long for other processes to go quiet', (v) => Number(v))
    .option('--out <file>', 'result file')
    .allowExcessArguments(false)
    .parse(argv, { from: 'user' })
    .opts<{
      quick?: boolean;
      entries?: number;
      rate?: number;
      ladder?: number[];
      probeSeconds?: number;
      sustainedSeconds?: number;
      readSeconds?: number;
      connections?: number;
      registryLatencyMs?: number;
      skipSustained?: boolean;
      skipReads?: boolean;
      ledgerMonths?: number;
      reverifyDeaths?: number;
      waitQuiet?: number;
      out?: string;
    }>();
  const quick = o.quick === true;
  return {
    quick,
    entries: o.entries ?? (quick ? 20_000 : 1_000_000),
    ...(o.rate ? { rate: o.rate } : {}),
    ladder: o.ladder ?? (quick ? [4, 8] : [6, 8, 10, 12, 14]),
    probeSec: o.probeSeconds ?? (quick ? 15 : 45),
    sustainedSec: o.sustainedSeconds ?? (quick ? 30 : 600),
    readSec: o.readSeconds ?? (quick ? 5 : 30),
    connections: o.connections ?? 16,
    registryLatencyMs: o.registryLatencyMs ?? 20,
    skipSustained: o.skipSustained === true,
    skipReads: o.skipReads === true,
    ledgerMonths: o.ledgerMonths ?? (quick ? 6 : 36),
    reverifyDeaths: o.reverifyDeaths ?? (quick ? 20 : 200),
    out: o.out ? resolve(o.out) : join(ROOT, 'bench', 'results', quick ? 'load-quick.tmp' : 'load.json'),
    waitQuietSec: o.waitQuiet ?? (quick ? 0 : 120),
  };
}

// ---- 1. loading the queue -----------------------------------------------------------------------

/** Generates (or reuses) the synthetic unified-database file and imports it. */
async function loadQueue(pool: Pool, entries: number): Promise<Record<string, unknown>> {
  const dir = join(ROOT, 'data', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `unified-${entries}.csv`);
  // Only valid rows: the entries asked for are the entries loaded (rejects are import.json's subject).
  if (!existsSync(file) || statSync(file).size === 0) {
    const t0 = Date.now();
    log(`generating ${entries} unified-database records into ${file}`);
    await generateUnifiedFile({ out: file, rows: entries, seed: 2025, invalidShare: 0, duplicateShare: 0 });
    log(`generated in ${round1((Date.now() - t0) / 1000)} s`);
  }
  log(`importing ${entries} records (import-unified)`);
  const summary = await importUnified(pool, { file, rejectsFile: join(dir, `unified-${entries}.rejects.csv`) });
  log(`imported ${summary.loaded} entries in ${summary.seconds} s (${summary.rejected} rejected)`);
  // The planner needs the new distribution before the first query, as after any bulk load.
  await pool.query('ANALYZE queue_entries');
  const active = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_entries WHERE status = 'ACTIVE'`);
  return { file: file.replace(`${ROOT}/`, ''), loaded: summary.loaded, rejected: summary.rejected, importSeconds: summary.seconds, activeEntries: active.rows[0].n };
}

/** Bench persons whose IIN the generated file happens to hold would be refused (R15.1): left out. */
async function personsNotInQueue(pool: Pool, persons: BenchPerson[]): Promise<BenchPerson[]> {
  const res = await pool.query<{ applicant_iin: string }>(`SELECT applicant_iin FROM queue_entries WHERE applicant_iin = ANY($1::bpchar[])`, [
    persons.map((p) => p.iin),
  ]);
  const taken = new Set(res.rows.map((r) => r.applicant_iin));
  return persons.filter((p) => !taken.has(p.iin));
}

// ---- 2. sustained R7.1 --------------------------------------------------------------------------

interface RunContext {
  stack: Stack;
  pool: Pool;
  watcher: DecisionWatcher;
  submitter: Submitter;
  persons: BenchPerson[];
  next: number;
  progress: Progress;
}

/** `rate`/s for `seconds` through the API (open loop), every decision awaited. */
async function openLoopRun(ctx: RunContext, label: string, rate: number, seconds: number): Promise<OpenLoopPhase & { registered: string[] }> {
  const first = ctx.next;
  ctx.next += rate * seconds;
  const p = await openLoopPhase(ctx, label, { rate, seconds, persons: ctx.persons, first, drainSec: 300 });
  log(`${label}: ${rate}/s × ${seconds} s → p50 ${p.decision.p50} ms, p99 ${p.decision.p99} ms, max ${p.decision.max} ms, errors ${p.errors.count}`);
  return { ...p, registered: p.decisions.filter((d) => d.outcome === 'REGISTERED').map((d) => d.applicationId) };
}

const passes = (r: OpenLoopPhase, p99Ms: number): boolean =>
  r.errors.count === 0 && r.decisions.length === r.submissions.length && r.decision.p99 < p99Ms;

async function sustained(ctx: RunContext, o: Options): Promise<{ summary: Record<string, unknown>; registered: string[] }> {
  const probes: Record<string, unknown>[] = [];
  let rate = o.rate;
  const registered: string[] = [];
  if (rate === undefined) {
    const passed: number[] = [];
    for (const r of o.ladder) {
      const p = await openLoopRun(ctx, `probe ${r}/s`, r, o.probeSec);
      probes.push(p.summary);
      registered.push(...p.registered);
      if (!passes(p, PROBE_P99_MS)) break;
      passed.push(r);
      await sleep(5000); // let the last probe's notices drain before the next rate
    }
    if (passed.length === 0) throw new Error(`even ${o.ladder[0]}/s did not keep p99 under ${PROBE_P99_MS} ms: see the probes`);
    // One rung below the highest probe that passed: 45 s flatter a 10-minute run (on the reference
    // machine 10/s passed its probe with p99 237 ms and then held p99 2.7 s over 10 minutes, as
    // autovacuum, checkpoints and Temporal's SQLite growth come in; bench/README.md).
    rate = passed.length > 1 ? passed[passed.length - 2] : passed[0];
  }
  log(`sustained: ${rate}/s for ${o.sustainedSec} s`);
  const run = await openLoopRun(ctx, 'sustained', rate, o.sustainedSec);
  registered.push(...run.registered);
  const peakRssMb = { worker: treePeakRssMb(ctx.stack.worker.pid), api: treePeakRssMb(ctx.stack.api.pid) };
  return {
    registered,
    summary: {
      chosenBy:
        o.rate === undefined
          ? `probe ladder ${o.ladder.join(', ')}/s, ${o.probeSec} s each, p99 < ${PROBE_P99_MS} ms; one rung below the highest that passed`
          : '--rate',
      probes,
      ratePerSec: rate,
      ...run.summary,
      peakRssMb,
      targets: {
        p99Ms: { target: `< ${TARGET_P99_MS}`, value: run.decision.p99, met: run.decision.p99 < TARGET_P99_MS },
        errors: { target: '0', value: run.errors.count, met: run.errors.count === 0 },
        allDecided: {
          target: 'every accepted application decided',
          value: `${run.decisions.length}/${run.submissions.length - run.errors.count}`,
          met: run.decisions.length === run.submissions.length - run.errors.count,
        },
      },
    },
  };
}

// ---- 3. reads -----------------------------------------------------------------------------------

interface ListTarget {
  kato: string;
  pages: number;
  categories: string[];
}

/** Localities with their page counts, and the categories present in each (for category lists). */
async function listTargets(pool: Pool): Promise<ListTarget[]> {
  const res = await pool.query<{ locality: string; n: number; cats: string[] | null }>(
    `SELECT locality, count(*)::int AS n,
            (SELECT array_agg(DISTINCT c) FROM queue_entries q2, unnest(q2.categories) c
              WHERE q2.locality = q.locality AND q2.status = 'ACTIVE') AS cats
       FROM queue_entries q WHERE status = 'ACTIVE' GROUP BY locality`,
  );
  return res.rows.map((r) => ({ kato: r.locality, pages: Math.max(1, Math.ceil(r.n / PAGE_SIZE)), categories: r.cats ?? [] }));
}

/**
 * A read of a public list the way people read it: mostly the first pages of a locality (where one
 * looks for the current numbers), sometimes a deep page or one category's list.
 */
function randomListRead(targets: ListTarget[], rnd: () => number): { kato: string; page: number; category?: string } {
  const t = targets[Math.floor(rnd() * targets.length)];
  const deep = rnd() < 0.2;
  const page = deep ? 1 + Math.floor(rnd() * t.pages) : 1 + Math.floor(rnd() * Math.min(10, t.pages));
  if (t.categories.length > 0 && rnd() < 0.2) {
    return { kato: t.kato, page: 1 + Math.floor(rnd() * 3), category: t.categories[Math.floor(rnd() * t.categories.length)] };
  }
  return { kato: t.kato, page };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ReadFigures {
  requests: number;
  perSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
}

async function apiReads(url: string, seconds: number, connections: number, next: () => { path: string; headers?: Record<string, string> }): Promise<ReadFigures> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const r = next();
          return { ...req, path: r.path, headers: { ...(req.headers ?? {}), ...(r.headers ?? {}) } };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    perSec: round1(result.requests.total / seconds),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** The same work as the API's handler, as direct calls on a pool of `connections` connections. */
async function sqlReads(pool: Pool, seconds: number, connections: number, work: () => Promise<unknown>): Promise<ReadFigures> {
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  const lane = async (): Promise<void> => {
    while (Date.now() < until) {
      const t0 = performance.now();
      try {
        await work();
        latencies.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  const d = distribution(latencies);
  return { requests: latencies.length, perSec: round1(latencies.length / seconds), latencyMs: { p50: d.p50, p90: d.p95, p99: d.p99, max: d.max }, errors, non2xx: 0 };
}

async function reads(ctx: RunContext, o: Options, registered: string[]): Promise<Record<string, unknown>> {
  const targets = await listTargets(ctx.pool);
  const owners = await ctx.pool.query<{ id: string; applicant_iin: string }>(`SELECT id, applicant_iin FROM applications WHERE id = ANY($1::uuid[])`, [registered]);
  if (owners.rows.length === 0) throw new Error('no registered case to read the queue position of');
  const cases = owners.rows;
  const sqlPool = createPool(ctx.stack.databaseUrl, o.connections);
  try {
    const out: Record<string, unknown> = { connections: o.connections, seconds: o.readSec, localities: targets.length, positionCases: cases.length };
    // Public lists.
    let rnd = mulberry32(1);
    const listPath = (): { path: string } => {
      const r = randomListRead(targets, rnd);
      return { path: `/v1/queue/${r.kato}?page=${r.page}&pageSize=${PAGE_SIZE}${r.category ? `&category=${r.category}` : ''}` };
    };
    log(`reads: public queue list through the API (${o.readSec} s, ${o.connections} connections)`);
    const listApi = await apiReads(ctx.stack.apiUrl, o.readSec, o.connections, listPath);
    rnd = mulberry32(1);
    log('reads: public queue list straight in SQL');
    const listSql = await sqlReads(sqlPool, o.readSec, o.connections, () => {
      const r = randomListRead(targets, rnd);
      return queueListPage(sqlPool, { locality: r.kato, ...(r.category ? { category: r.category } : {}), page: r.page, pageSize: PAGE_SIZE });
    });
    out.publicList = { api: listApi, sql: listSql, ratio: round2(listApi.perSec / listSql.perSec) };
    // Queue position of a case, read by its applicant.
    rnd = mulberry32(2);
    const pick = (): { id: string; applicant_iin: string } => cases[Math.floor(rnd() * cases.length)];
    log(`reads: queue position through the API (${o.readSec} s)`);
    const posApi = await apiReads(ctx.stack.apiUrl, o.readSec, o.connections, () => {
      const c = pick();
      return { path: `/v1/applications/${c.id}/queue-position`, headers: { 'x-hpc-actor': `applicant:${c.applicant_iin}` } };
    });
    rnd = mulberry32(2);
    log('reads: queue position straight in SQL');
    const posSql = await sqlReads(sqlPool, o.readSec, o.connections, () => placementOf(sqlPool, pick().id));
    out.queuePosition = { api: posApi, sql: posSql, ratio: round2(posApi.perSec / posSql.perSec) };
    return out;
  } finally {
    await sqlPool.end();
  }
}

/** Issue #11 §1: GET /v1/applications/:id/queue-history (first page of 20), API and SQL. */
async function historyReads(ctx: RunContext, o: Options, registered: string[]): Promise<Record<string, unknown>> {
  const owners = await ctx.pool.query<{ id: string; applicant_iin: string }>(`SELECT id, applicant_iin FROM applications WHERE id = ANY($1::uuid[])`, [registered]);
  const cases = owners.rows;
  if (cases.length === 0) throw new Error('no registered case to read the queue history of');
  const sqlPool = createPool(ctx.stack.databaseUrl, o.connections);
  try {
    let rnd = mulberry32(3);
    const pick = (): { id: string; applicant_iin: string } => cases[Math.floor(rnd() * cases.length)];
    log(`reads: queue history through the API (${o.readSec} s)`);
    const api = await apiReads(ctx.stack.apiUrl, o.readSec, o.connections, () => {
      const c = pick();
      return { path: `/v1/applications/${c.id}/queue-history?limit=20`, headers: { 'x-hpc-actor': `applicant:${c.applicant_iin}` } };
    });
    rnd = mulberry32(3);
    log('reads: queue history straight in SQL');
    const sql = await sqlReads(sqlPool, o.readSec, o.connections, async () => {
      const e = await entryOfApplication(sqlPool, pick().id);
      return e ? queueHistoryPage(sqlPool, e, { limit: 20 }) : null;
    });
    const sizes = await historySizes(sqlPool, cases.map((c) => c.id));
    return { connections: o.connections, seconds: o.readSec, cases: cases.length, api, sql, ratio: round2(api.perSec / sql.perSec), ...sizes };
  } finally {
    await sqlPool.end();
  }
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const cleanup = new Cleanup(log);
  cleanup.stopOnSignals();

  const startedAt = new Date();
  const runId = newRunId();
  const { fixture, persons } = benchPopulation(MAX_BENCH_PERSONS, `bench-load-${runId}`);
  const progress = new Progress();
  try {
    const idle = o.waitQuietSec > 0 ? await waitQuiet(o.waitQuietSec) : await machineLoad(2000);
    log(`machine load before start: ${idle ?? 'unknown'} cores busy`);
    const stack = await startStack(
      {
        fixture,
        registryLatencyMs: o.registryLatencyMs,
        taskQueue: `hpc-bench-load-${runId}`,
        // One load generator is one client address; the per-address limit (a protection against
        // one abusive client) would measure the limiter, not the queries.
        // The snapshots are built and timed by this process (bench/queue-ledger.ts), not the hourly schedule.
        serviceEnv: { HPC_RATE_LIMIT_PER_ADDRESS: '100000000', HPC_RATE_LIMIT_PER_IIN: '100000000', HPC_QUEUE_SNAPSHOT_SCHEDULE: 'off', HPC_REVERIFICATION_SCHEDULE: 'off' },
        log,
      },
      cleanup,
    );
    const pool = createPool(stack.databaseUrl, 4);
    cleanup.push('bench database pool', () => pool.end());
    const watcher = new DecisionWatcher(pool);
    cleanup.push('decision watcher', async () => watcher.stop());
    cleanup.push('progress', async () => progress.stop());

    const load = await loadQueue(pool, o.entries);
    const free = await personsNotInQueue(pool, persons);
    const ctx: RunContext = { stack, pool, watcher, submitter: new Submitter(stack.apiUrl, runId), persons: free, next: 0, progress };

    let sustainedSummary: Record<string, unknown> | undefined;
    let registered: string[] = [];
    if (!o.skipSustained) {
      const s = await sustained(ctx, o);
      sustainedSummary = s.summary;
      registered = s.registered;
    } else {
      const warm = await openLoopRun(ctx, 'cases for the position reads', 5, 20);
      registered = warm.registered;
    }
    // Issue #11: years of the register's life in the ledger, before the reads see them.
    const ledger = o.ledgerMonths > 0 ? await ledgerYears(pool, { months: o.ledgerMonths, housedPerMonth: 1500, withdrawnPerMonth: 100, categoriesPerMonth: 300 }) : undefined;
    const readSummary = o.skipReads ? undefined : await reads(ctx, o, registered);
    const historySummary = o.ledgerMonths > 0 ? await historyReads(ctx, o, registered) : undefined;
    const snapshotSummary = o.ledgerMonths > 0 ? await snapshotAll(pool) : undefined;
    const reverificationSummary = o.reverifyDeaths > 0 ? await reverifyAll(stack, pool, fixture, { deaths: o.reverifyDeaths, registryLatencyMs: o.registryLatencyMs }) : undefined;

    const result = {
      kind: 'load',
      quick: o.quick,
      at: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: machine(),
      idleCoresBeforeStart: idle,
      queue: load,
      ...(sustainedSummary ? { sustained: sustainedSummary } : {}),
      ...(readSummary ? { reads: readSummary } : {}),
      ...(ledger ? { queueLedger: ledger } : {}),
      ...(historySummary ? { queueHistory: historySummary } : {}),
      ...(snapshotSummary ? { queueSnapshots: snapshotSummary } : {}),
      ...(reverificationSummary ? { reverification: reverificationSummary } : {}),
      peakRssMb: { worker: treePeakRssMb(stack.worker.pid), api: treePeakRssMb(stack.api.pid), temporal: stack.temporalPid ? treePeakRssMb(stack.temporalPid) : null },
    };
    writeResult(o.out, result);
    log(`written ${o.out.replace(`${ROOT}/`, '')}`);
    return 0;
  } catch (err) {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`failed: ${String(err)}`);
    process.exit(1);
  },
);
