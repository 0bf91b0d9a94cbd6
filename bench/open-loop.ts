/**
 * An open-loop phase of R7.1 applications through the API — arrivals at a fixed rate whatever the
 * system is doing, every decision awaited — shared by the latency phase of bench/run.ts and the
 * probes and sustained run of bench/load-queue.ts.
 */
import type { Pool } from 'pg';
import type { BenchPerson } from './fixture';
import { boundedPhase, type DecisionRow, type DecisionWatcher, openLoop, type Progress, type Submission, type Submitter } from './load';
import { coresBusy, cpuMsPer, cpuSample, dbLatencies, failures, round1, waitNoticesDelivered, type CoresBusy } from './measure';
import type { Stack } from './stack';
import { distribution, type Distribution } from './stats';

export interface OpenLoopDeps {
  stack: Stack;
  pool: Pool;
  watcher: DecisionWatcher;
  submitter: Submitter;
  progress: Progress;
}

export interface OpenLoopPhase {
  rate: number;
  seconds: number;
  submissions: Submission[];
  decisions: DecisionRow[];
  /** submit-to-decision from the database (decided_at − received_at). */
  decision: Distribution;
  errors: ReturnType<typeof failures>;
  cpuCores: CoresBusy;
  /** What the result files record of the phase. */
  summary: Record<string, unknown>;
  /** Set when the phase ran past its budget: the figures are of what it did until then. */
  overran?: { budgetSec: number; reason: string };
}

/**
 * `rate` applications a second for `seconds`, persons[first …] applying; waits for every decision
 * (at most `seconds` + `drainSec`) and for the notices of the decided cases.
 */
export async function openLoopPhase(
  d: OpenLoopDeps,
  label: string,
  o: { rate: number; seconds: number; persons: readonly BenchPerson[]; first: number; drainSec: number },
): Promise<OpenLoopPhase> {
  const n = o.rate * o.seconds;
  if (o.first + n > o.persons.length) throw new Error(`${label}: needs ${n} bench persons from ${o.first}, there are ${o.persons.length}`);
  const submissions: Submission[] = [];
  const decisions: DecisionRow[] = [];
  const observedMs: number[] = [];
  const before = cpuSample(d.stack);
  const started = Date.now();
  const render = (): string =>
    `${label}: ${o.rate}/s, submitted ${submissions.length}/${n}, decided ${decisions.length}, in flight ${d.watcher.pending}, ` +
    `errors ${submissions.filter((s) => s.applicationId === undefined).length}`;
  const phase = await boundedPhase(
    { progress: d.progress, crashed: d.stack.crashed, label, budgetMs: (o.seconds + o.drainSec) * 1000, render },
    async (signal) => {
      const loop = await openLoop(n, o.rate, async (i) => {
        const s = await d.submitter.submit(o.persons[o.first + i], o.first + i);
        submissions.push(s);
        if (s.applicationId) {
          const row = await d.watcher.wait(s.applicationId);
          decisions.push(row);
          observedMs.push(row.observedAt - s.sentAt);
        }
      }, signal);
      await Promise.all(loop.results);
      return loop.maxLagMs;
    },
  );
  const maxLagMs = phase.value ?? NaN;
  const wallSec = (Date.now() - started) / 1000;
  const cpuCores = coresBusy(before, cpuSample(d.stack));
  const ids = decisions.map((r) => r.applicationId);
  const pendingNotices = await waitNoticesDelivered(d.pool, ids, 60_000);
  const lat = await dbLatencies(d.pool, ids);
  const decision = distribution(lat.decisionMs);
  const errors = failures(submissions);
  const sends = submissions.map((s) => s.sentAt).sort((a, b) => a - b);
  const achieved = sends.length > 1 ? (sends.length - 1) / ((sends[sends.length - 1] - sends[0]) / 1000) : NaN;
  return {
    rate: o.rate,
    seconds: o.seconds,
    submissions,
    decisions,
    decision,
    errors,
    cpuCores,
    ...(phase.overran ? { overran: phase.overran } : {}),
    summary: {
      ...(phase.overran ? { overran: phase.overran } : {}),
      ratePerSec: o.rate,
      durationSec: o.seconds,
      applications: n,
      achievedArrivalRatePerSec: round1(achieved),
      maxScheduleLagMs: round1(maxLagMs),
      decided: decisions.length,
      notRegistered: decisions.filter((r) => r.outcome !== 'REGISTERED').length,
      errors,
      wallSec: round1(wallSec),
      latencyMs: decision,
      observedLatencyMs: distribution(observedMs),
      noticeLatencyMs: distribution(lat.noticeMs),
      noticesPendingAtEnd: pendingNotices,
      httpMs: distribution(submissions.map((s) => s.httpMs)),
      cpuCores,
      cpuMsPerApplication: cpuMsPer(cpuCores, wallSec, decisions.length),
    },
  };
}
