import { join } from 'node:path';
import type { Command } from 'commander';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createSimulator } from '../../simulation/harness';
import { loadScenario, ScenarioError } from '../../simulation/scenario';
import { importEsm } from '../esm';
import { fail, printJson, runAction } from '../output';

const ROOT = join(__dirname, '..', '..');

interface EmbeddedPg {
  startEmbeddedPostgres(o: { dataDir: string; port: number; database: string }): Promise<{ url: string; stop(): Promise<void> }>;
}
interface TemporalTools {
  testServerBinary(root: string): string;
  freePort(): Promise<number>;
}

/**
 * `simulate <scenario.json>`: the real workflow on the time-skipping server, real PostgreSQL
 * (DATABASE_URL, or the embedded server in data/sim-pg), a gateway sandbox with the scenario's
 * fixture. Prints the outcome (simulation/README.md).
 */
export function register(program: Command): void {
  program
    .command('simulate')
    .description('Run a scenario through the real workflow on the time-skipping test server')
    .argument('<scenario>', 'scenario JSON file (simulation/README.md)')
    .option('--record-history <dir>', 'write the workflow history to this folder (for replay tests)')
    .action(
      runAction(async (file: string, opts: { recordHistory?: string }) => {
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
        // Keep stdout for the one JSON result: the SDK's own logging goes to stderr, warnings only.
        Runtime.install({
          logger: new DefaultLogger('WARN', (entry) => process.stderr.write(`[${entry.level}] ${entry.message}\n`)),
          // The SDK core's own log lines are forwarded to the logger above instead of stdout.
          telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
        });
        const tools = await importEsm<TemporalTools>(join(ROOT, 'scripts', 'temporal-dev.mjs'));
        let adminUrl = process.env.DATABASE_URL;
        let stopPg: (() => Promise<void>) | undefined;
        if (!adminUrl) {
          const pg = await importEsm<EmbeddedPg>(join(ROOT, 'scripts', 'postgres.mjs'));
          const server = await pg.startEmbeddedPostgres({ dataDir: join(ROOT, 'data', 'sim-pg'), port: await tools.freePort(), database: 'postgres' });
          adminUrl = server.url;
          stopPg = server.stop;
        }
        const simulator = await createSimulator({
          adminDatabaseUrl: adminUrl,
          testServerPath: tools.testServerBinary(ROOT),
          ...(opts.recordHistory ? { historyDir: opts.recordHistory } : {}),
        });
        try {
          printJson(await simulator.run(loaded));
        } finally {
          await simulator.close();
          if (stopPg) await stopPg();
        }
      }),
    );
}
