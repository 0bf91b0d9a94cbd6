/**
 * Starting and running one worker process from the environment (worker/main.ts), with optional
 * WorkerOptions overrides (bench/tuned-worker.ts). Prints one JSON line when it polls, and returns
 * after SIGINT/SIGTERM once in-flight tasks are done (the SDK's default shutdown).
 */
import { NativeConnection, Runtime, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import { loadSettings } from '../config/settings';
import { createPool } from '../db/pool';
import { loadPayloadCodec } from '../security/codec/data-converter';
import { createWorker } from './create-worker';
import { ensureQueueSnapshotScheduleAt } from './queue-snapshot-schedule';

export async function runWorker(overrides?: Partial<WorkerOptions>): Promise<void> {
  const settings = loadSettings();
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
  });
  // The hourly queue snapshots (issue #11 §4): created once, by whichever worker starts first.
  // HPC_QUEUE_SNAPSHOT_SCHEDULE=off (benchmarks that build the snapshots themselves) leaves it out.
  const scheduleCreated =
    process.env.HPC_QUEUE_SNAPSHOT_SCHEDULE === 'off'
      ? false
      : await ensureQueueSnapshotScheduleAt(settings.temporalAddress, settings.temporalNamespace, worker.options.taskQueue);
  process.stdout.write(
    JSON.stringify({
      service: 'worker',
      queueSnapshotSchedule: scheduleCreated ? 'created' : 'exists',
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
