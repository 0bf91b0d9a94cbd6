/**
 * Measurement helpers shared by the benchmarks (bench/run.ts, bench/load-queue.ts): CPU per part of
 * the stack from /proc, machine quietness, latencies from the database, result files.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import type { Pool } from 'pg';
import type { Submission } from './load';
import { machineCoresBusy, machineCpu, selfCpuSeconds, treeCpuSeconds, type MachineCpu } from './procfs';
import type { Stack } from './stack';

export const round1 = (x: number): number => Math.round(x * 10) / 10;
export const round2 = (x: number): number => Math.round(x * 100) / 100;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- measurement helpers ------------------------------------------------------------------------

export const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};
export type Component = 'worker' | 'api' | 'temporal' | 'postgres' | 'bench';
export type CpuSample = Record<Component, number | null> & { at: number; machine: MachineCpu | null };

/** The Temporal cluster's services together (dev/cluster/temporal-cluster.ts). */
function clusterCpuSeconds(stack: Stack): number | null {
  const per = temporalServiceCpuSeconds(stack);
  const values = Object.values(per);
  return values.length === 0 || values.some((v) => v === null) ? null : values.reduce<number>((s, v) => s + (v ?? 0), 0);
}

/** CPU seconds of each Temporal service process of a cluster stack (empty on the dev server). */
export function temporalServiceCpuSeconds(stack: Stack): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, pid] of Object.entries(stack.temporalCluster?.pids() ?? {})) out[name] = treeCpuSeconds(pid);
  return out;
}

export function cpuSample(stack: Stack): CpuSample {
  return {
    at: Date.now(),
    worker: treeCpuSeconds(stack.worker.pid),
    api: treeCpuSeconds(stack.api.pid),
    temporal: stack.temporalCluster ? clusterCpuSeconds(stack) : stack.temporalPid ? treeCpuSeconds(stack.temporalPid) : null,
    postgres: stack.postgresPid ? treeCpuSeconds(stack.postgresPid) : null,
    bench: selfCpuSeconds(),
    machine: machineCpu(),
  };
}

export type CoresBusy = Record<Component | 'total' | 'machine' | 'otherProcesses', number | null>;

/**
 * Average number of cores each component kept busy between two samples; `machine` is every process
 * on the machine, `otherProcesses` what was not ours (another test run would show here).
 */
export function coresBusy(a: CpuSample, b: CpuSample): CoresBusy {
  const wall = (b.at - a.at) / 1000;
  const out = {} as CoresBusy;
  let total = 0;
  for (const c of ['worker', 'api', 'temporal', 'postgres', 'bench'] as const) {
    const x = a[c];
    const y = b[c];
    out[c] = x === null || y === null ? null : round2((y - x) / wall);
    total += out[c] ?? 0;
  }
  out.total = round2(total);
  const machine = machineCoresBusy(a.machine, b.machine);
  out.machine = machine === null ? null : round2(machine);
  out.otherProcesses = machine === null ? null : round2(Math.max(0, machine - total));
  return out;
}

/** CPU milliseconds per completed item, per component (from cores busy over the phase). */
export function cpuMsPer(c: CoresBusy, wallSec: number, items: number): Partial<Record<Component | 'total', number>> {
  const out: Partial<Record<Component | 'total', number>> = {};
  if (items === 0) return out;
  for (const k of ['worker', 'api', 'temporal', 'postgres', 'bench', 'total'] as const) {
    const v = c[k];
    if (v !== null) out[k] = round1((v * wallSec * 1000) / items);
  }
  return out;
}

/** Cores busy on the whole machine over `ms` (before our stack starts: other users' load). */
export async function machineLoad(ms: number): Promise<number | null> {
  const a = machineCpu();
  await sleep(ms);
  const busy = machineCoresBusy(a, machineCpu());
  return busy === null ? null : round2(busy);
}

export const QUIET_CORES = 0.25;

/** Waits up to `maxSec` for the machine to be quiet; returns the last load measured. */
export async function waitQuiet(maxSec: number): Promise<number | null> {
  const until = Date.now() + maxSec * 1000;
  for (;;) {
    const load = await machineLoad(3000);
    if (load === null || load <= QUIET_CORES) return load;
    if (Date.now() >= until) return load;
    log(`the machine is busy (${load} cores in use by other processes); waiting for it to be quiet…`);
    await sleep(7000);
  }
}

export interface DbLatency {
  decisionMs: number[];
  noticeMs: number[];
}

/** submit-to-decision (decided_at − received_at) and submit-to-notices-delivered, from the database. */
export async function dbLatencies(pool: Pool, ids: string[]): Promise<DbLatency> {
  const out: DbLatency = { decisionMs: [], noticeMs: [] };
  for (let i = 0; i < ids.length; i += 1000) {
    const res = await pool.query<{ decision_ms: number; notice_ms: number | null }>(
      `SELECT (extract(epoch FROM d.decided_at - a.received_at) * 1000)::float8 AS decision_ms,
              (SELECT (extract(epoch FROM max(n.delivered_at) - a.received_at) * 1000)::float8
                 FROM notices n WHERE n.application_id = a.id) AS notice_ms
         FROM applications a JOIN decisions d ON d.application_id = a.id
        WHERE a.id = ANY($1::uuid[])`,
      [ids.slice(i, i + 1000)],
    );
    for (const r of res.rows) {
      out.decisionMs.push(r.decision_ms);
      if (r.notice_ms !== null) out.noticeMs.push(r.notice_ms);
    }
  }
  return out;
}

/** Waits until no notice of these applications is still pending (their workflows are then ending). */
export async function waitNoticesDelivered(pool: Pool, ids: string[], timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notices WHERE status = 'PENDING' AND application_id = ANY($1::uuid[])`,
      [ids],
    );
    if (res.rows[0].n === 0 || Date.now() > until) return res.rows[0].n;
    await sleep(100);
  }
}

export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memGb: round1(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
  };
}

export function writeResult(file: string, result: Record<string, unknown>): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n');
  renameSync(tmp, file);
}

export function failures(subs: Submission[]): { count: number; byStatus: Record<string, number>; sample?: string } {
  const bad = subs.filter((s) => s.applicationId === undefined);
  const byStatus: Record<string, number> = {};
  for (const s of bad) byStatus[String(s.status)] = (byStatus[String(s.status)] ?? 0) + 1;
  return { count: bad.length, byStatus, ...(bad[0]?.error ? { sample: `${bad[0].status}: ${bad[0].error}` } : {}) };
}

