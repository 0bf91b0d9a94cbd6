/**
 * Records one workflow history per shipped scenario into test/histories/ for the replay
 * (determinism) test, test/workflow/replay.test.ts:
 *
 *   npx tsx scripts/record-histories.ts [--out test/histories] [scenario.json ...]
 *
 * Runs every simulation/scenarios/*.json (or the files given) through the same harness as
 * `hpc simulate` — the real workflow on the time-skipping test server, real PostgreSQL
 * (DATABASE_URL, or the embedded server in data/sim-pg) and the gateway sandbox — with
 * `historyDir` set, so each run writes `<scenario name>.json`. Each result is checked against the
 * scenario's `expected` outcome so that a history is only recorded for a run that behaved as
 * specified. When every scenario was recorded, history files of scenarios that no longer exist are
 * removed so the folder matches simulation/scenarios/. Re-record after changing the workflow
 * deliberately (and add a `patched()` branch if running cases predate the change,
 * docs/workflow-versioning.md).
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { startLocalSimulator } from '../simulation/local';
import { loadScenario, type LoadedScenario } from '../simulation/scenario';

const ROOT = resolve(__dirname, '..');
const SCENARIO_DIR = join(ROOT, 'simulation', 'scenarios');

/** The file name the harness gives a scenario's history (simulation/harness.ts). */
export function historyFileName(scenarioName: string): string {
  return `${scenarioName.replace(/[^A-Za-z0-9._-]+/g, '-')}.json`;
}

function parseArgs(argv: string[]): { out: string; files: string[]; all: boolean } {
  let out = join(ROOT, 'test', 'histories');
  const files: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--out') {
      const v = argv[i + 1];
      if (!v) throw new Error('--out needs a folder');
      out = resolve(v);
      i += 1;
    } else {
      files.push(resolve(a));
    }
  }
  const all = files.length === 0;
  if (all) {
    for (const f of readdirSync(SCENARIO_DIR).filter((n) => n.endsWith('.json')).sort()) files.push(join(SCENARIO_DIR, f));
  }
  return { out, files, all };
}

/** The fields of `expected` that do not depend on elapsed real time. */
function mismatch(loaded: LoadedScenario, output: Record<string, unknown>): string | undefined {
  const expected = loaded.scenario.expected;
  if (!expected) return undefined;
  for (const key of ['outcome', 'grounds', 'acceptedAt', 'decisionDueAt', 'hearingAt', 'queue', 'categories'] as const) {
    if (JSON.stringify(expected[key]) !== JSON.stringify(output[key])) {
      return `${key}: expected ${JSON.stringify(expected[key])}, got ${JSON.stringify(output[key])}`;
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const { out, files, all } = parseArgs(process.argv.slice(2));
  const scenarios = files.map((f) => loadScenario(f));
  const names = new Set<string>();
  for (const s of scenarios) {
    const name = historyFileName(s.scenario.name);
    if (names.has(name)) throw new Error(`two scenarios would write ${name}`);
    names.add(name);
  }

  const simulator = await startLocalSimulator({ historyDir: out });
  const failures: string[] = [];
  try {
    for (const loaded of scenarios) {
      const started = Date.now();
      const output = await simulator.run(loaded);
      const wrong = mismatch(loaded, { ...output });
      if (wrong) failures.push(`${basename(loaded.file)}: ${wrong}`);
      process.stdout.write(
        `${wrong ? 'MISMATCH' : 'recorded'} ${historyFileName(loaded.scenario.name)} (${output.outcome}, ${Date.now() - started} ms)\n`,
      );
    }
  } finally {
    await simulator.close();
  }

  if (failures.length > 0) {
    for (const f of failures) process.stderr.write(`${f}\n`);
    throw new Error(`${failures.length} scenario(s) did not give their expected outcome; fix them before committing the histories`);
  }
  if (all) {
    // Every scenario was recorded: drop histories of scenarios that no longer exist.
    for (const f of readdirSync(out).filter((n) => n.endsWith('.json') && !names.has(n))) {
      rmSync(join(out, f));
      process.stdout.write(`removed stale ${f}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
