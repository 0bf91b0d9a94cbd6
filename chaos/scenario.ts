/**
 * One chaos scenario: a load of mixed paths through the real stack (bench/stack.ts: Temporal dev
 * server on a SQLite file, embedded PostgreSQL, the gateway sandbox, the worker and the API as
 * child processes), a fault injected mid-load, recovery, quiescence, and the audit.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup, startStack, type Stack } from '../bench/stack';
import type { Pool } from 'pg';
import { createPool } from '../db/pool';
import { auditCases, auditPassed, collectAudit, type AuditFigures } from './audit';
import { ChaosClient, type SubmissionRecord } from './client';
import { chaosPopulation, type ChaosPath, type ChaosPerson } from './fixture';

export interface ScenarioContext {
  stack: Stack;
  client: ChaosClient;
  short: boolean;
  log: (line: string) => void;
  /** Persons kept out of the load for the scenario's own use (one of each path at least). */
  spare: ChaosPerson[];
  /** Submissions the scenario makes itself; they are audited with the load's. */
  extraSubmissions: SubmissionRecord[];
  /** The persons of the load (for the scenario's own checks, e.g. nothing of theirs in the logs). */
  load: ChaosPerson[];
}

/** What a scenario's own check after quiescence sees (besides the context). */
export interface VerifyInput {
  /** The load's submissions and the scenario's own, one record per request (retries folded). */
  submissions: SubmissionRecord[];
  /** What `inject` returned. */
  fault: Record<string, unknown>;
  /** The common audit's figures, already taken. */
  audit: AuditFigures;
  /** A pool on the stack's database (closed after the check). */
  pool: Pool;
}

export interface ChaosScenario {
  name: string;
  /** What is done to the system, for the report. */
  fault: string;
  /** Before the load starts (e.g. the gateway's error rate). */
  before?(ctx: ScenarioContext): Promise<void>;
  /** Mid-load: inject the fault and recover from it. Returns scenario figures and problems. */
  inject(ctx: ScenarioContext): Promise<{ figures?: Record<string, unknown>; problems?: string[] }>;
  /** After the load and the fault, before quiescence (e.g. restore the gateway). */
  after?(ctx: ScenarioContext): Promise<void>;
  /**
   * A rush instead of the closed loop: the load is offered open-loop at this many submissions a
   * second, each sent at its time whatever the answers before it (a crowd, not a queue of clients).
   */
  rushPerSecond?(short: boolean): number;
  /** After quiescence and the common audit: the scenario's own checks. */
  verify?(ctx: ScenarioContext, input: VerifyInput): Promise<{ figures?: Record<string, unknown>; problems?: string[] }>;
}

export interface ScenarioOptions {
  short: boolean;
  /** Applications in the load (default 300 full, 40 short). */
  applications?: number;
  concurrency?: number;
  log: (line: string) => void;
  /** Run on this stack and these persons instead of starting a fresh stack (the test suite). */
  shared?: { stack: Stack; persons: ChaosPerson[] };
  /** How long to wait for quiescence (default 15 min full, 3 min short). */
  quiesceMs?: number;
  temporal?: 'dev' | 'cluster';
}

export interface ScenarioReport extends Omit<AuditFigures, 'problems'> {
  name: string;
  fault: string;
  short: boolean;
  passed: boolean;
  durationMs: number;
  /** Requests the clients had to retry (no answer or 5xx). */
  retriedRequests: number;
  /**
   * Actions answered 409 while the case, as its applicant read it, still waited for that very action
   * (ChaosClient.untilTaken tries again, as a person would). Not yet a failure: see chaos/README.md.
   */
  refusedWhileAwaited: number;
  paths: Record<ChaosPath, number>;
  scenario: Record<string, unknown>;
  problems: string[];
}

/** Persons kept out of each load for the scenario's own use. */
export const SPARE = 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const defaultSize = (short: boolean): { applications: number; concurrency: number } =>
  short ? { applications: 40, concurrency: 8 } : { applications: 300, concurrency: 16 };

/** A stack of its own for chaos: a private PostgreSQL cluster in a temp folder, restartable. */
export async function startChaosStack(
  persons: number,
  log: (line: string) => void,
  cleanup: Cleanup,
  temporal: 'dev' | 'cluster' = 'dev',
): Promise<{ stack: Stack; persons: ChaosPerson[] }> {
  const population = chaosPopulation(persons, `chaos-${randomUUID().slice(0, 8)}`);
  const dir = mkdtempSync(join(tmpdir(), 'hpc-chaos-pg-'));
  chmodSync(dir, 0o755); // the server runs as the postgres user when this runs as root
  cleanup.push('chaos pg folder', async () => rmSync(dir, { recursive: true, force: true }));
  const stack = await startStack(
    {
      fixture: population.fixture,
      registryLatencyMs: 5,
      taskQueue: `chaos-${randomUUID().slice(0, 8)}`,
      // One load generator stands for hundreds of clients from one address, and the same-IIN burst
      // must reach the one-active-application guards, not the per-IIN rate limit (api/hardening.ts).
      serviceEnv: { LOG_LEVEL: 'warn', HPC_RATE_LIMIT_PER_ADDRESS: '100000000', HPC_RATE_LIMIT_PER_IIN: '100000000' },
      pgDataDir: join(dir, 'pg'),
      databaseName: 'hpc_chaos',
      forceEmbeddedPostgres: true,
      temporal,
      log,
    },
    cleanup,
  );
  return { stack, persons: population.persons };
}

/** Splits persons into the load (by path order) and spares (at least one of each path). */
function splitPersons(persons: ChaosPerson[], n: number): { load: ChaosPerson[]; spare: ChaosPerson[] } {
  return { load: persons.slice(0, n), spare: persons.slice(n, n + SPARE) };
}

export async function runScenario(scenario: ChaosScenario, o: ScenarioOptions): Promise<ScenarioReport> {
  const started = Date.now();
  const size = { ...defaultSize(o.short), ...(o.applications ? { applications: o.applications } : {}), ...(o.concurrency ? { concurrency: o.concurrency } : {}) };
  const quiesceMs = o.quiesceMs ?? (o.short ? 180_000 : 900_000);
  const cleanup = new Cleanup(o.log);
  try {
    const { stack, persons } = o.shared ?? (await startChaosStack(size.applications + SPARE, o.log, cleanup, o.temporal));
    const { load, spare } = splitPersons(persons, size.applications);
    if (load.length < size.applications || spare.length < SPARE) throw new Error(`need ${size.applications + SPARE} persons, have ${persons.length}`);
    // A service that dies on its own during the fault is a finding (a supervisor would restart it,
    // but the scenario does not hide it): it fails the scenario, with the last lines it printed.
    const crashes: string[] = [];
    stack.crashed.catch((err: Error) => {
      crashes.push(err.message.split('\n')[0]);
      o.log(`[${scenario.name}] ${err.message.split('\n').slice(0, 30).join('\n')}`);
    });
    const client = new ChaosClient(stack.apiUrl, o.short ? 120_000 : 600_000);
    const ctx: ScenarioContext = { stack, client, short: o.short, log: o.log, spare, extraSubmissions: [], load };
    const rushRate = scenario.rushPerSecond?.(o.short);
    o.log(`[${scenario.name}] ${load.length} applications, ${rushRate ? `a rush of ${rushRate}/s` : `${size.concurrency} in flight`}; fault: ${scenario.fault}`);
    await scenario.before?.(ctx);

    // The load: a closed loop; the fault starts once a third is submitted and runs beside the rest.
    const submissions: SubmissionRecord[] = [];
    const followUps: Promise<string>[] = [];
    const faultAt = Math.floor(load.length / 3);
    let fault: Promise<{ figures?: Record<string, unknown>; problems?: string[] }> | undefined;
    let next = 0;
    const submitOne = async (p: ChaosPerson): Promise<void> => {
      const s = await ctx.client.submit(p, `chaos-${scenario.name}-${randomUUID()}`);
      submissions.push(s);
      if (s.outcome === 'accepted' && s.applicationId) followUps.push(ctx.client.followPath(p, s.applicationId, quiesceMs));
    };
    const startFault = (): void => {
      if (fault) return;
      o.log(`[${scenario.name}] injecting the fault after ${faultAt} submissions`);
      fault = scenario.inject(ctx);
    };
    if (rushRate) {
      // Open loop: submission i leaves at t0 + i/rate, answered or not the ones before it.
      const t0 = Date.now();
      await Promise.all(
        load.map(async (p, i) => {
          await sleep(t0 + (i * 1000) / rushRate - Date.now());
          if (i >= faultAt) startFault();
          await submitOne(p);
        }),
      );
    } else {
      const lane = async (): Promise<void> => {
        while (next < load.length) {
          const p = load[next];
          next += 1;
          if (next > faultAt) startFault();
          await submitOne(p);
        }
      };
      await Promise.all(Array.from({ length: size.concurrency }, lane));
    }
    const faultResult = await (fault ?? scenario.inject(ctx));
    o.log(`[${scenario.name}] load submitted (${submissions.filter((s) => s.outcome === 'accepted').length} accepted), fault over; following the paths`);
    const followed = await Promise.all(followUps);
    await scenario.after?.(ctx);

    // Quiescence: every case decided or visibly waiting, every case that should be decided decided.
    const all = [...submissions, ...ctx.extraSubmissions];
    const paths = new Map<string, ChaosPath>([...load, ...spare].map((p) => [p.iin, p.path]));
    const pool = createPool(stack.databaseUrl, 2);
    let figures: AuditFigures;
    try {
      const audit = async (): Promise<AuditFigures> =>
        auditCases(
          await collectAudit(
            { pool, temporalAddress: stack.temporalAddress, dataConverter: stack.dataConverter, taskQueue: stack.taskQueue, smsReceived: stack.sandbox.sms.received() },
            all,
            paths,
          ),
        );
      const until = Date.now() + quiesceMs;
      for (;;) {
        figures = await audit().catch((err: Error) => {
          o.log(`[${scenario.name}] audit read failed (${err.message}); retrying`);
          return undefined as unknown as AuditFigures;
        });
        if (figures && ((figures.undecided === 0 && figures.stuckInvisible === 0) || Date.now() > until)) break;
        await sleep(3000);
      }
      // Visibility lags the workflows a little: one more read after quiescence is the one reported.
      await sleep(1500);
      figures = await audit();
    } finally {
      await pool.end();
    }
    const extraProblems = [...crashes, ...(faultResult.problems ?? [])];
    let verified: { figures?: Record<string, unknown>; problems?: string[] } = {};
    if (scenario.verify) {
      const vpool = createPool(stack.databaseUrl, 2);
      try {
        verified = await scenario.verify(ctx, { submissions: all, fault: faultResult.figures ?? {}, audit: figures, pool: vpool });
      } catch (err) {
        verified = { problems: [`the scenario's own check failed to run: ${(err as Error).message.split('\n')[0]}`] };
      } finally {
        await vpool.end();
      }
      extraProblems.push(...(verified.problems ?? []));
    }
    const stuckFollowUps = followed.filter((f) => !['reviewed', 'position stated', 'nothing to do'].includes(f));
    if (stuckFollowUps.length > 0) extraProblems.push(`${stuckFollowUps.length} path follow-ups did not complete: ${[...new Set(stuckFollowUps)].join('; ')}`);
    const pathCounts = { R7_1: 0, EMERGENCY: 0, HEARING_POSITION: 0, HEARING_WAITING: 0 } as Record<ChaosPath, number>;
    for (const p of load) pathCounts[p.path] += 1;
    const { problems, ...counts } = figures;
    const report: ScenarioReport = {
      name: scenario.name,
      fault: scenario.fault,
      short: o.short,
      ...counts,
      passed: auditPassed(figures) && extraProblems.length === 0,
      durationMs: Date.now() - started,
      retriedRequests: client.retried,
      refusedWhileAwaited: client.refusedWhileAwaited,
      paths: pathCounts,
      scenario: { ...(faultResult.figures ?? {}), ...(verified.figures ?? {}) },
      problems: [...extraProblems, ...problems],
    };
    o.log(`[${scenario.name}] ${report.passed ? 'PASSED' : 'FAILED'}: ${JSON.stringify({ ...counts, problems: report.problems.slice(0, 5) })}`);
    return report;
  } finally {
    await cleanup.run();
  }
}
