import type { Command } from 'commander';
import { fail, printJson, runAction } from '../output';

/**
 * `simulate <scenario.json>`: the real workflow on the time-skipping server, real PostgreSQL
 * (DATABASE_URL, or the embedded server in data/sim-pg), a gateway sandbox with the scenario's
 * fixture. Prints the outcome (simulation/README.md). The simulator (and @temporalio/testing, a
 * development package the production image leaves out) loads only when the command runs.
 */
export function register(program: Command): void {
  program
    .command('simulate')
    .description('Run a scenario through the real workflow on the time-skipping test server')
    .argument('<scenario>', 'scenario JSON file (simulation/README.md)')
    .option('--record-history <dir>', 'write the workflow history to this folder (for replay tests)')
    .action(
      runAction(async (file: string, opts: { recordHistory?: string }) => {
        const { loadScenario, ScenarioError } = await import('../../simulation/scenario');
        const { startLocalSimulator } = await import('../../simulation/local');
        let loaded;
        try {
          loaded = loadScenario(file);
        } catch (err) {
          if (err instanceof ScenarioError) {
            fail(
              'INVALID_SCENARIO',
              { kk: `Сценарий жарамсыз: ${err.message}`, ru: `Неверный сценарий: ${err.message}`, en: `Invalid scenario: ${err.message}` },
              { field: err.field ? `scenario.${err.field}` : 'scenario' },
            );
          }
          throw err;
        }
        const simulator = await startLocalSimulator(opts.recordHistory ? { historyDir: opts.recordHistory } : {});
        try {
          printJson(await simulator.run(loaded));
        } finally {
          await simulator.close();
        }
      }),
    );
}
