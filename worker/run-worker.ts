/**
 * Starting and running one worker process from the environment (worker/main.ts), with optional
 * WorkerOptions overrides and the benchmark's baseline (bench/worker.ts). Prints one JSON line when it polls, and returns
 * after SIGINT/SIGTERM once in-flight tasks are done (the SDK's default shutdown).
 */
import { NativeConnection, Runtime, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import { settingsOrExit } from '../config/settings';
import { createPool } from '../db/pool';
import { loadPayloadCodec } from '../security/codec/data-converter';
import { createWorker, type WorkerDeps } from './create-worker';

export async function runWorker(overrides?: Partial<WorkerOptions>, extend?: WorkerDeps['extend']): Promise<void> {
  const settings = settingsOrExit('worker');
  // Before connecting: unusable keys stop the worker with the reason, not after it took tasks.
  const payloadCodec = loadPayloadCodec(settings);
  Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } } });
  const connection = await NativeConnection.connect({ address: settings.temporalAddress });
  const pool = createPool(settings.databaseUrl, Number(process.env.PG_POOL_MAX ?? 20));
  const worker = await createWorker({
    connection,
    namespace: settings.temporalNamespace,
    pool,
    gatewayUrl: settings.gatewayUrl,
    taskQueue: settings.taskQueue,
    payloadCodec,
    ...(overrides ? { options: overrides } : {}),
    ...(extend ? { extend } : {}),
  });
  process.stdout.write(
    JSON.stringify({
      service: 'worker',
      taskQueue: worker.options.taskQueue,
      temporal: settings.temporalAddress,
      payloadKeyId: payloadCodec.keyring.activeKeyId,
      ...(overrides ? { overrides } : {}),
    }) + '\n',
  );
  await worker.run();
  await pool.end();
  await connection.close();
}
