/**
 * A simulator on this machine for the CLI and scripts (not the tests, which get PostgreSQL and the
 * test server from test/global-setup.mjs): PostgreSQL from DATABASE_URL or the embedded server in
 * data/sim-pg, the time-skipping test server from tools/bin or PATH, and the SDK's logs on stderr
 * so stdout carries only the result.
 */
import { join } from 'node:path';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { importEsm } from '../cli/esm';
import { createSimulator, type Simulator } from './harness';

const ROOT = join(__dirname, '..');

interface EmbeddedPg {
  startEmbeddedPostgres(o: { dataDir: string; port: number; database: string }): Promise<{ url: string; stop(): Promise<void> }>;
}
interface TemporalTools {
  testServerBinary(root: string): string;
  freePort(): Promise<number>;
}

export async function startLocalSimulator(opts: { historyDir?: string } = {}): Promise<Simulator> {
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
  try {
    const simulator = await createSimulator({
      adminDatabaseUrl: adminUrl,
      testServerPath: tools.testServerBinary(ROOT),
      ...(opts.historyDir ? { historyDir: opts.historyDir } : {}),
    });
    return {
      pool: simulator.pool,
      run: (loaded, probe, options) => simulator.run(loaded, probe, options),
      async close() {
        await simulator.close();
        if (stopPg) await stopPg();
      },
    };
  } catch (err) {
    if (stopPg) await stopPg();
    throw err;
  }
}
