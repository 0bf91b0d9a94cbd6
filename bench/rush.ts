/**
 * `npm run bench -- rush`: a launch rush (issue #14). Measures the sustained R7.1 rate this machine
 * holds (closed loop through the API, as the r71 suite's saturation phase), then offers at least
 * `--factor` (5) times that rate for `--rush-seconds` (60) through the API, open loop, registries at
 * `--registry-latency-ms` (20), and waits for the backlog to drain. Writes bench/results/rush.json:
 *
 *   sustainedPerSec, offeredPerSec, durationSec, submissions, accepted, rejected,
 *   answerLatencyMs {p50, p99}, lost, decidedEventually, drainSeconds, orderViolations, machine, at
 *
 * and, beside them, what each phase measured. `lost`: an accepted case (an answer with its id) that
 * is not on record with the receivedAt it was given. `orderViolations`: among the rush's cases, a
 * pair received in one order (the answers' receivedAt, then the receipt sequence) whose queue
 * positions (db/cases placementOf, what GET /queue-position reads) stand in the other.
 *
 * A phase that overruns its budget is recorded as such with what it measured; the phases after it
 * are skipped, the figures written, everything stopped, and the run exits 3 (bench/README.md).
 */
import { join, relative } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Pool } from 'pg';
import { placementOf } from '../db/cases';
import { createPool } from '../db/pool';
import { benchPopulation, type BenchPerson } from './fixture';
import { boundedPhase, closedLoop, DecisionWatcher, isAccepted, newRunId, openLoop, Progress, Submitter, type DecisionRow, type Submission } from './load';
import { failures, log, machine, machineLoad, round1, sleep, writeResult } from './measure';
import { Cleanup, ROOT, startStack, type Stack } from './stack';
import { distribution, steadyRate } from './stats';

interface Options {
  quick: boolean;
  warmup: number;
  sustainedMax: number;
  sustainedSec: number;
  factor: number;
  rushSec: number;
  maxRate: number;
  registryLatencyMs: number;
  drainBudgetSec: number | undefined;
  out: string;
  pgDataDir: string | undefined;
  check: boolean;
  env: Record<string, string>;
}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};

function parseOptions(): Options {
  const o = new Command()
    .name('bench rush')
    .description('a launch rush through the API: at least 5× the sustained R7.1 rate for 60 s, then the drain (bench/README.md)')
    .option('--quick', 'smoke run with small counts; writes bench/results/rush-quick.tmp')
    .option('--warmup <n>', 'warm-up applications', positiveInt('warmup'))
    .option('--sustained-max <n>', 'at most this many applications to measure the sustained rate', positiveInt('sustained-max'))
    .option('--sustained-seconds <s>', 'at most this long measuring the sustained rate', positiveInt('sustained-seconds'))
    .option('--factor <x>', 'offered rate ÷ sustained rate (≥ 5 for the issue)', (v) => {
      const n = Number(v);
      if (!(n > 0)) throw new InvalidArgumentError('must be > 0');
      return n;
    })
    .option('--rush-seconds <s>', 'length of the rush', positiveInt('rush-seconds'))
    .option('--max-rate <n>', 'the offered rate is capped here (the fixture holds one person per application)', positiveInt('max-rate'))
    .option('--registry-latency-ms <ms>', 'sandbox latency of every registry and SMS call', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer ≥ 0');
      return n;
    })
    .option('--drain-budget-seconds <s>', 'how long the drain may take before the phase counts as overrun (default: 3× the backlog at the sustained rate, at least 300 s)', positiveInt('drain-budget-seconds'))
    .option('--pg-data-dir <dir>', 'the embedded PostgreSQL data folder (default data/bench-pg)')
    .option('--out <file>', 'result file (default bench/results/rush.json; rush-quick.tmp with --quick)')
    .option('--check', 'exit with code 2 when a target is missed')
    .option(
      '--env <KEY=VALUE>',
      'extra environment for the worker and the API (repeatable)',
      (v: string, acc: Record<string, string>) => {
        const eq = v.indexOf('=');
        if (eq < 1) throw new InvalidArgumentError('expected KEY=VALUE');
        return { ...acc, [v.slice(0, eq)]: v.slice(eq + 1) };
      },
      {} as Record<string, string>,
    )
    .parse()
    .opts<{
      quick?: boolean;
      warmup?: number;
      sustainedMax?: number;
      sustainedSeconds?: number;
      factor?: number;
      rushSeconds?: number;
      maxRate?: number;
      registryLatencyMs?: number;
      drainBudgetSeconds?: number;
      pgDataDir?: string;
      out?: string;
      check?: boolean;
      env: Record<string, string>;
    }>();
  const quick = o.quick === true;
  return {
    quick,
    warmup: o.warmup ?? (quick ? 10 : 30),
    sustainedMax: o.sustainedMax ?? (quick ? 60 : 400),
    sustainedSec: o.sustainedSeconds ?? (quick ? 20 : 60),
    factor: o.factor ?? 5,
    rushSec: o.rushSeconds ?? (quick ? 10 : 60),
    maxRate: o.maxRate ?? 100,
    registryLatencyMs: o.registryLatencyMs ?? 20,
    drainBudgetSec: o.drainBudgetSeconds,
    out: o.out ?? join(ROOT, 'bench', 'results', quick ? 'rush-quick.tmp' : 'rush.json'),
    pgDataDir: o.pgDataDir,
    check: o.check === true,
    env: o.env,
  };
}

type Overran = { budgetSec: number; reason: string };

interface Ctx {
  opts: Options;
  stack: Stack;
  pool: Pool;
  watcher: DecisionWatcher;
  submitter: Submitter;
  persons: BenchPerson[];
  progress: Progress;
}

/** Closed loop through the API, `concurrency` in flight, each awaited to its decision. */
async function closedPhase(ctx: Ctx, label: string, first: number, count: number, concurrency: number, maxSec: number) {
  const submissions: Submission[] = [];
  const decisions: DecisionRow[] = [];
  const started = Date.now();
  const render = () => `${label}: submitted ${submissions.length}/${count}, decided ${decisions.length}, rejected ${submissions.filter((s) => !isAccepted(s)).length}`;
  const phase = await boundedPhase({ progress: ctx.progress, crashed: ctx.stack.crashed, label, budgetMs: (maxSec + 180) * 1000, render }, (signal) =>
    closedLoop(
      count,
      concurrency,
      async (i) => {
        const s = await ctx.submitter.submit(ctx.persons[first + i], first + i);
        submissions.push(s);
        if (isAccepted(s)) decisions.push(await ctx.watcher.wait(s.applicationId));
      },
      started + maxSec * 1000,
      signal,
    ),
  );
  return { submissions, decisions, wallSec: (Date.now() - started) / 1000, ...(phase.overran ? { overran: phase.overran } : {}) };
}

/** The rush: `rate` a second for `seconds`, open loop; only the answers are awaited here. */
async function rushPhase(ctx: Ctx, first: number, rate: number, seconds: number) {
  const n = rate * seconds;
  const submissions: Submission[] = [];
  const started = Date.now();
  const render = () => `rush: ${rate}/s, answered ${submissions.length}/${n}, rejected ${submissions.filter((s) => !isAccepted(s)).length}`;
  const phase = await boundedPhase({ progress: ctx.progress, crashed: ctx.stack.crashed, label: 'rush', budgetMs: (seconds + 60) * 1000, render }, async (signal) => {
    const loop = await openLoop(
      n,
      rate,
      async (i) => {
        submissions.push(await ctx.submitter.submit(ctx.persons[first + i], first + i));
      },
      signal,
    );
    await Promise.all(loop.results);
    return loop.maxLagMs;
  });
  return {
    submissions,
    offeredUntil: Date.now(),
    wallSec: (Date.now() - started) / 1000,
    maxScheduleLagMs: phase.value ?? null,
    ...(phase.overran ? { overran: phase.overran } : {}),
  };
}

/** Waits until every accepted case has its decision row; the time from the rush's end to the last one. */
async function drainPhase(ctx: Ctx, ids: string[], rushEnd: number, budgetSec: number) {
  let decided = 0;
  let lastDecidedAt: number | null = null;
  const render = () => `drain: decided ${decided}/${ids.length}`;
  const phase = await boundedPhase({ progress: ctx.progress, crashed: ctx.stack.crashed, label: 'drain', budgetMs: budgetSec * 1000, render }, async (signal) => {
    while (!signal.aborted) {
      const res = await ctx.pool.query<{ n: number; last: Date | null }>(
        `SELECT count(*)::int AS n, max(decided_at) AS last FROM decisions WHERE application_id = ANY($1::uuid[])`,
        [ids],
      );
      decided = res.rows[0].n;
      lastDecidedAt = res.rows[0].last?.getTime() ?? null;
      if (decided >= ids.length) return;
      await sleep(1000);
    }
  });
  const drainSeconds = lastDecidedAt !== null ? round1(Math.max(0, lastDecidedAt - rushEnd) / 1000) : null;
  return { decided, drainSeconds, budgetSec, ...(phase.overran ? { overran: phase.overran } : {}) };
}

/** lost, order violations and what the outbox still holds, from the database (see the header). */
async function audit(ctx: Ctx, accepted: (Submission & { applicationId: string })[]) {
  const ids = accepted.map((s) => s.applicationId);
  const rows = await ctx.pool.query<{ id: string; received_at: Date; receipt_seq: number }>(
    `SELECT id, received_at, receipt_seq FROM applications WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  let lost = 0;
  let receivedAtChanged = 0;
  for (const s of accepted) {
    const row = byId.get(s.applicationId);
    if (!row) lost += 1;
    else if (s.receivedAtMs !== undefined && row.received_at.getTime() !== s.receivedAtMs) receivedAtChanged += 1;
  }
  const ordered = accepted
    .filter((s) => byId.has(s.applicationId))
    .map((s) => ({ id: s.applicationId, at: s.receivedAtMs ?? byId.get(s.applicationId)!.received_at.getTime(), seq: byId.get(s.applicationId)!.receipt_seq }))
    .sort((a, b) => a.at - b.at || a.seq - b.seq);
  const positions: (number | null)[] = [];
  for (const o of ordered) positions.push((await placementOf(ctx.pool, o.id))?.position ?? null);
  let orderViolations = 0;
  let previous: number | null = null;
  for (const p of positions) {
    if (p === null) continue; // not registered (there should be none: a clean R7.1 fixture)
    if (previous !== null && p <= previous) orderViolations += 1;
    previous = p;
  }
  const outbox = await ctx.pool.query<{ pending: number; attempts: number; retried: number }>(
    `SELECT count(*) FILTER (WHERE started_at IS NULL)::int AS pending, coalesce(sum(attempts), 0)::int AS attempts,
            count(*) FILTER (WHERE attempts > 1)::int AS retried
       FROM intake_outbox WHERE application_id = ANY($1::uuid[])`,
    [ids],
  );
  return {
    lost: lost + receivedAtChanged,
    lostDetail: { notOnRecord: lost, receivedAtChanged },
    orderViolations,
    inQueue: positions.filter((p) => p !== null).length,
    outbox: outbox.rows[0],
  };
}

async function main(): Promise<number> {
  const opts = parseOptions();
  const cleanup = new Cleanup(log);
  cleanup.stopOnSignals();
  const startedAt = new Date();
  const progress = new Progress();
  const runId = newRunId();
  const maxRush = opts.maxRate * opts.rushSec;
  const total = opts.warmup + opts.sustainedMax + maxRush;
  const { fixture, persons } = benchPopulation(total, `rush-${runId}`);
  const phases: Record<string, unknown> = {};
  const overran: string[] = [];
  const result: Record<string, unknown> = { complete: false, overran, machine: machine(), at: startedAt.toISOString(), phases };
  const write = () => writeResult(opts.out, { ...result, wallSec: round1((Date.now() - startedAt.getTime()) / 1000) });
  log(`rush ${runId}: warm-up ${opts.warmup}, sustained ≤ ${opts.sustainedMax} in ≤ ${opts.sustainedSec} s, then ${opts.factor}× for ${opts.rushSec} s (at most ${opts.maxRate}/s)`);
  try {
    const load = await machineLoad(2000);
    result.machine = { ...machine(), loadBeforeStartCores: load };
    const apiPoolMax = Number(opts.env.PG_POOL_MAX ?? process.env.PG_POOL_MAX ?? 10);
    const stack = await startStack(
      {
        fixture,
        registryLatencyMs: opts.registryLatencyMs,
        taskQueue: `hpc-rush-${runId}`,
        serviceEnv: opts.env,
        log,
        ...(opts.pgDataDir ? { pgDataDir: opts.pgDataDir } : {}),
      },
      cleanup,
    );
    const pool = createPool(stack.databaseUrl, 3);
    cleanup.push('bench database pool', () => pool.end());
    const watcher = new DecisionWatcher(pool);
    cleanup.push('decision watcher', async () => watcher.stop());
    cleanup.push('progress', async () => progress.stop());
    const ctx: Ctx = { opts, stack, pool, watcher, submitter: new Submitter(stack.apiUrl, runId), persons, progress };
    const note = (name: string, o: { overran?: Overran }) => {
      if (!o.overran) return;
      overran.push(name);
      log(`${name} overran its budget (${o.overran.reason}): its figures are kept, the later phases are skipped`);
    };

    // 1. Warm-up (few in flight): also the intake's own answer time when it is not loaded.
    log(`phase 1/4 warm-up: ${opts.warmup} applications`);
    const warm = await closedPhase(ctx, 'warm-up', 0, opts.warmup, 4, 120);
    const warmHttp = distribution(warm.submissions.map((s) => s.httpMs));
    phases.warmup = { applications: warm.submissions.length, decided: warm.decisions.length, errors: failures(warm.submissions), answerMs: warmHttp, ...(warm.overran ? { overran: warm.overran } : {}) };
    note('warmup', warm);
    write();
    if (overran.length > 0) return 3;

    // 2. The sustained R7.1 rate, measured now, on this machine as it is.
    log(`phase 2/4 sustained rate: ≤ ${opts.sustainedMax} applications, 64 in flight, ≤ ${opts.sustainedSec} s`);
    const sus = await closedPhase(ctx, 'sustained', opts.warmup, opts.sustainedMax, 64, opts.sustainedSec);
    const rate = steadyRate(sus.decisions.map((d) => d.decidedAt), 0.1);
    phases.sustained = { applications: sus.submissions.length, decided: sus.decisions.length, errors: failures(sus.submissions), throughput: rate, wallSec: round1(sus.wallSec), ...(sus.overran ? { overran: sus.overran } : {}) };
    result.sustainedPerSec = rate.perSec;
    note('sustained', sus);
    write();
    if (overran.length > 0) return 3;
    if (!(rate.perSec > 0)) throw new Error('sustained: no steady rate measured');
    log(`sustained: ${rate.perSec}/s`);

    // 3. The rush: at least factor × the sustained rate (a whole number a second, rounded up).
    const offered = Math.min(opts.maxRate, Math.ceil(opts.factor * rate.perSec));
    log(`phase 3/4 rush: ${offered}/s for ${opts.rushSec} s (${offered * opts.rushSec} applications, ${round1(offered / rate.perSec)}× the sustained rate)`);
    const rush = await rushPhase(ctx, opts.warmup + opts.sustainedMax, offered, opts.rushSec);
    const accepted = rush.submissions.filter(isAccepted);
    const answer = distribution(rush.submissions.map((s) => s.httpMs));
    Object.assign(result, {
      offeredPerSec: offered,
      offeredFactor: round1(offered / rate.perSec),
      durationSec: opts.rushSec,
      submissions: rush.submissions.length,
      accepted: accepted.length,
      rejected: rush.submissions.length - accepted.length,
      answerLatencyMs: { p50: answer.p50, p99: answer.p99 },
    });
    phases.rush = {
      offeredPerSec: offered,
      planned: offered * opts.rushSec,
      answered: rush.submissions.length,
      answerLatencyMs: answer,
      byStatus: rush.submissions.reduce<Record<string, number>>((acc, s) => ({ ...acc, [String(s.status)]: (acc[String(s.status)] ?? 0) + 1 }), {}),
      rejectedSample: failures(rush.submissions).sample ?? null,
      maxScheduleLagMs: rush.maxScheduleLagMs === null ? null : round1(rush.maxScheduleLagMs),
      wallSec: round1(rush.wallSec),
      ...(rush.overran ? { overran: rush.overran } : {}),
    };
    note('rush', rush);
    write();

    // 4. The drain: every accepted case decided, at the sustained rate (budget: 3× that, ≥ 300 s).
    if (overran.length === 0) {
      const budget = opts.drainBudgetSec ?? Math.max(300, Math.ceil((3 * accepted.length) / rate.perSec));
      log(`phase 4/4 drain: ${accepted.length} accepted cases (budget ${budget} s)`);
      const drain = await drainPhase(ctx, accepted.map((s) => s.applicationId), rush.offeredUntil, budget);
      Object.assign(result, { decidedEventually: drain.decided, drainSeconds: drain.drainSeconds });
      const backlogAtEnd = accepted.length;
      phases.drain = {
        ...drain,
        // What draining at the sustained rate would take for the whole rush, for comparison.
        expectedAtSustainedSec: round1(backlogAtEnd / rate.perSec - opts.rushSec),
      };
      note('drain', drain);
      write();
    } else {
      phases.drain = { skipped: `not run: ${overran.join(', ')} overran its budget` };
    }

    // The audit runs whatever happened: what was accepted must be on record, in receipt order.
    const a = await audit(ctx, accepted);
    Object.assign(result, { lost: a.lost, orderViolations: a.orderViolations });
    phases.audit = a;
    // Admission control (db/intake/admission.ts): where the database stops taking submissions —
    // the API's pool, each submission holding a connection for about its unloaded answer time.
    result.admission = {
      apiPoolConnections: apiPoolMax,
      maxWaitMs: Number(opts.env.HPC_INTAKE_MAX_WAIT_MS ?? 2000),
      maxWaiting: Number(opts.env.HPC_INTAKE_MAX_WAITING ?? 500),
      unloadedAnswerMsP50: warmHttp.p50,
      estimatedLimitPerSec: warmHttp.p50 > 0 ? Math.floor((apiPoolMax * 1000) / warmHttp.p50) : null,
      intakeBusyAnswers: rush.submissions.filter((s) => s.status === 503 && (s.error ?? '').includes('INTAKE_BUSY')).length,
    };
    result.targets = {
      allAccepted: result.accepted === result.submissions,
      answerP99Under1s: answer.p99 < 1000,
      noneLost: a.lost === 0,
      allDecided: result.decidedEventually === result.submissions,
      noOrderViolations: a.orderViolations === 0,
    };
    result.complete = overran.length === 0;
    write();
    printSummary(result, relative(process.cwd(), opts.out));
    if (overran.length > 0) return 3;
    return opts.check && !Object.values(result.targets as Record<string, boolean>).every(Boolean) ? 2 : 0;
  } catch (err) {
    progress.stop();
    log(`failed: ${(err as Error).stack ?? (err as Error).message}`);
    result.failure = (err as Error).message.split('\n')[0];
    write();
    return 1;
  } finally {
    await cleanup.run();
  }
}

function printSummary(r: Record<string, unknown>, file: string): void {
  const m = r.machine as Record<string, unknown>;
  const lat = r.answerLatencyMs as { p50: number; p99: number } | undefined;
  process.stdout.write(
    [
      '',
      `Rush benchmark — ${m.cpus} × ${m.model}, load before start ${m.loadBeforeStartCores ?? '?'} cores`,
      `  sustained     ${r.sustainedPerSec}/s R7.1 (measured in this run)`,
      `  offered       ${r.offeredPerSec}/s for ${r.durationSec} s (${r.offeredFactor}×): ${r.submissions} submissions`,
      `  accepted      ${r.accepted}, rejected ${r.rejected}; answer p50 ${lat?.p50} ms, p99 ${lat?.p99} ms`,
      `  decided       ${r.decidedEventually ?? '—'} eventually; drain ${r.drainSeconds ?? '—'} s after the rush`,
      `  lost          ${r.lost}; order violations ${r.orderViolations}`,
      `  written to    ${file}`,
      '',
    ].join('\n'),
  );
}

void main().then((code) => process.exit(code));
