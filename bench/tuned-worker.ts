/**
 * The worker of worker/main.ts with WorkerOptions overrides from BENCH_WORKER_OPTIONS (JSON), for
 * trying worker settings without editing worker/create-worker.ts: `npm run bench --
 * --worker-options '{"workflowThreadPoolSize":2}'` starts this instead of worker/main.ts. Only
 * plain JSON options (numbers, booleans, strings) make sense here.
 */
import { NativeConnection, Runtime, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import { loadSettings } from '../config/settings';
import { createPool } from '../db/pool';
import { createWorker } from '../worker/create-worker';

function overrides(): Partial<WorkerOptions> {
  const raw = process.env.BENCH_WORKER_OPTIONS;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('BENCH_WORKER_OPTIONS must be a JSON object');
  return parsed as Partial<WorkerOptions>;
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const options = overrides();
  Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } } });
  const connection = await NativeConnection.connect({ address: settings.temporalAddress });
  const pool = createPool(settings.databaseUrl, Number(process.env.PG_POOL_MAX ?? 20));
  const worker = await createWorker({
    connection,
    namespace: settings.temporalNamespace,
    pool,
    gatewayUrl: settings.gatewayUrl,
    taskQueue: settings.taskQueue,
    options,
  });
  process.stdout.write(JSON.stringify({ service: 'worker', taskQueue: worker.options.taskQueue, overrides: options }) + '\n');
  await worker.run();
  await pool.end();
  await connection.close();
}

main().catch((err: Error) => {
  process.stderr.write(`bench worker failed: ${err.message}\n`);
  process.exit(1);
});
