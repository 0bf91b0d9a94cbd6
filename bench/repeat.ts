/**
 * `npm run bench -- --repeat N`: the R7.1 benchmark N times, one after another, each run a process
 * of its own with a fresh stack. On a shared virtual machine one run's throughputs drift with the
 * host (three runs of the same code gave ratios from 0.57 to 1.05), so a single run is one sample.
 * The recorded file is the run with the median ratio, plus every run's figures and their spread.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeResult } from './measure';
import { nodeTsx } from '../scripts/node-tsx';

interface RunFile {
  throughputPerSec: number;
  baselineThroughputPerSec: number;
  ratio: number;
  latencyMs: { p50: number; p99: number };
  baselineLatencyMs?: { p50: number; p99: number };
  errors: number;
  representative: boolean;
  at: string;
  [field: string]: unknown;
}

const spread = (xs: number[]): { min: number; median: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1] };
};

/** The lower median of the runs by ratio (a real run, not an average of runs). */
export function combineRuns(runs: RunFile[]): Record<string, unknown> {
  const byRatio = [...runs].sort((a, b) => a.ratio - b.ratio);
  const median = byRatio[Math.floor((byRatio.length - 1) / 2)];
  return {
    ...median,
    repeats: {
      runs: runs.length,
      recorded: `the run with the median ratio (${median.at})`,
      ratio: spread(runs.map((r) => r.ratio)),
      throughputPerSec: spread(runs.map((r) => r.throughputPerSec)),
      baselineThroughputPerSec: spread(runs.map((r) => r.baselineThroughputPerSec)),
      latencyP99Ms: spread(runs.map((r) => r.latencyMs.p99)),
      each: runs.map((r) => ({
        at: r.at,
        throughputPerSec: r.throughputPerSec,
        baselineThroughputPerSec: r.baselineThroughputPerSec,
        ratio: r.ratio,
        latencyMs: { p50: r.latencyMs.p50, p99: r.latencyMs.p99 },
        ...(r.baselineLatencyMs ? { baselineLatencyMs: { p50: r.baselineLatencyMs.p50, p99: r.baselineLatencyMs.p99 } } : {}),
        errors: r.errors,
        representative: r.representative,
      })),
    },
  };
}

/** Runs bench/run.ts `n` times with `args` (without --repeat and --out); writes the combination to `out`. */
export function repeatRuns(n: number, args: readonly string[], out: string, log: (m: string) => void): number {
  const root = join(__dirname, '..');
  const runs: RunFile[] = [];
  let worst = 0;
  for (let i = 1; i <= n; i += 1) {
    const file = `${out}.run-${i}.tmp`;
    log(`repeat ${i}/${n} → ${file}`);
    const { command, args: nodeArgs } = nodeTsx(join(root, 'bench', 'run.ts'));
    const res = spawnSync(command, [...nodeArgs, ...args, '--out', file], { stdio: 'inherit', cwd: root });
    if (res.error) throw res.error;
    const code = res.status ?? 1;
    if (code === 1) {
      log(`repeat ${i}/${n} failed; nothing recorded`);
      return 1;
    }
    worst = Math.max(worst, code);
    runs.push(JSON.parse(readFileSync(file, 'utf8')) as RunFile);
    rmSync(file, { force: true });
  }
  const combined = combineRuns(runs);
  writeResult(out, combined);
  const r = combined.repeats as { ratio: { min: number; median: number; max: number }; latencyP99Ms: { min: number; max: number } };
  log(`${n} runs: ratio min ${r.ratio.min}, median ${r.ratio.median}, max ${r.ratio.max}; p99 at the latency rate ${r.latencyP99Ms.min}–${r.latencyP99Ms.max} ms; written to ${out}`);
  return worst;
}
