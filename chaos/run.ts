/**
 * `npm run chaos [-- --scenario <name,...>] [--short] [--one-stack]`: runs the fault scenarios (chaos/scenarios/),
 * each on a fresh stack, and writes bench/results/chaos.json (--short: chaos-short.json) as
 * {scenarios: [...], at, machine}. Exit code 1 when any scenario fails its audit or cannot run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { Cleanup, ROOT } from '../bench/stack';
import { defaultSize, runScenario, SPARE, startChaosStack, type ScenarioReport } from './scenario';
import { CLUSTER_SCENARIOS, SCENARIOS } from './scenarios';

async function main(): Promise<number> {
  const program = new Command()
    .name('chaos')
    .option('--scenario <names>', `scenarios, comma-separated: ${SCENARIOS.map((s) => s.name).join(', ')}`)
    .option('--short', 'the short version (as in the test suite)', false)
    .option('--applications <n>', 'applications per scenario', (v) => Number.parseInt(v, 10))
    .option('--out <file>', 'where to write the report')
    .option('--temporal <kind>', 'dev (default) or cluster: the Temporal server built here as separate processes, with its own faults (history host, matching) and a worker killed', 'dev')
    .option('--one-stack', 'run the scenarios one after another on one stack (the test suite: saves the start-ups)', false)
    .parse();
  const o = program.opts<{ scenario?: string; short: boolean; applications?: number; out?: string; oneStack: boolean; temporal: string }>();
  if (o.temporal !== 'dev' && o.temporal !== 'cluster') {
    process.stderr.write(`--temporal is dev or cluster, not "${o.temporal}"\n`);
    return 1;
  }
  const temporal = o.temporal;
  const available = temporal === 'cluster' ? CLUSTER_SCENARIOS : SCENARIOS;
  const names = o.scenario?.split(',').map((n) => n.trim());
  const chosen = names ? available.filter((s) => names.includes(s.name)) : available;
  if (chosen.length === 0 || (names && chosen.length !== names.length)) {
    process.stderr.write(`no scenario "${o.scenario}"; there are: ${available.map((s) => s.name).join(', ')}\n`);
    return 1;
  }
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  };
  const reports: (ScenarioReport | { name: string; passed: false; error: string })[] = [];
  let stopping = false;
  // First Ctrl-C: finish the scenario under way, then stop. A second one (or SIGTERM): stop every
  // stack now. The services run in process groups of their own, so a terminal's Ctrl-C does not
  // reach them, and a runner that simply died would leave them running.
  const stopNow = (): void => {
    log('stopping every stack now');
    void Cleanup.runAll().then(() => process.exit(130));
  };
  process.on('SIGINT', () => {
    if (stopping) return stopNow();
    stopping = true;
    log('interrupted: finishing the current scenario (its cleanup stops everything it started); Ctrl-C again to stop now');
  });
  process.once('SIGTERM', stopNow);
  process.once('SIGHUP', stopNow); // the terminal closed
  const size = o.applications ?? defaultSize(o.short).applications;
  const cleanup = new Cleanup(log);
  try {
    // --one-stack: each scenario gets its own persons (its load and spares) on the shared stack,
    // and the audit reads only those persons' rows and workflows.
    const shared = o.oneStack ? await startChaosStack(chosen.length * (size + SPARE), log, cleanup, temporal) : undefined;
    for (const [i, scenario] of chosen.entries()) {
      if (stopping) break;
      try {
        const persons = shared?.persons.slice(i * (size + SPARE), (i + 1) * (size + SPARE));
        reports.push(
          await runScenario(scenario, {
            short: o.short,
            log,
            applications: size,
            temporal,
            ...(shared && persons ? { shared: { stack: shared.stack, persons } } : {}),
          }),
        );
      } catch (err) {
        log(`[${scenario.name}] could not run: ${(err as Error).message}`);
        reports.push({ name: scenario.name, passed: false, error: (err as Error).message.slice(0, 2000) });
      }
    }
  } catch (err) {
    log(`the stack did not start: ${(err as Error).message}`);
    reports.push({ name: 'stack', passed: false, error: (err as Error).message.slice(0, 2000) });
  } finally {
    await cleanup.run();
  }
  const out = o.out ?? join(ROOT, 'bench', 'results', `chaos${temporal === 'cluster' ? '-cluster' : ''}${o.short ? '-short' : ''}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  const document = {
    scenarios: reports,
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  };
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  log(`written ${out}`);
  const summary = reports.map((r) => ({
    name: r.name,
    passed: r.passed,
    ...('lost' in r
      ? { applications: r.applications, cases: r.cases, decisions: r.decisions, lost: r.lost, duplicateCases: r.duplicateCases, duplicateQueueEntries: r.duplicateQueueEntries, duplicateSms: r.duplicateSms, stuckInvisible: r.stuckInvisible }
      : { error: r.error.split('\n')[0] }),
  }));
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return reports.every((r) => r.passed) && reports.length === chosen.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
