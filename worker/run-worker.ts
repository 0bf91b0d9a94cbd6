/**
 * Starting and running one worker process from the environment (worker/main.ts), with optional
 * WorkerOptions overrides (bench/tuned-worker.ts). Prints one JSON line when it polls, and returns
 * after SIGINT/SIGTERM once in-flight tasks are done (the SDK's default shutdown).
 *
 * The process also runs the intake starter (intake/starter.ts): it starts the workflows of received
 * cases from the intake outbox. HPC_INTAKE_STARTER=0 leaves it out (e.g. a worker pool that only
 * runs activities); HPC_INTAKE_STARTER_CONCURRENCY sets how many starts are in flight at once.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import { loadSettings } from '../config/settings';
import { createPool } from '../db/pool';
import { startIntakeStarter, type Starter } from '../intake/starter';
import { loadPayloadCodec, payloadDataConverter } from '../security/codec/data-converter';
import { createWorker } from './create-worker';

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
  process.stdout.write(
    JSON.stringify({
      service: 'worker',
      taskQueue: worker.options.taskQueue,
      temporal: settings.temporalAddress,
      payloadKeyId: payloadCodec.keyring.activeKeyId,
      ...(overrides ? { overrides } : {}),
    }) + '\n',
  );
  let starter: Starter | undefined;
  let starterPool: ReturnType<typeof createPool> | undefined;
  let clientConnection: Connection | undefined;
  if (process.env.HPC_INTAKE_STARTER !== '0') {
    const concurrency = Number(process.env.HPC_INTAKE_STARTER_CONCURRENCY ?? 8);
    // A pool of its own: a start holds its connection while Temporal answers, and must not take
    // the activities' connections (nor they its own).
    starterPool = createPool(settings.databaseUrl, concurrency + 2);
    // Lazy: a Temporal that is not up yet delays the starts, not the worker's start.
    clientConnection = Connection.lazy({ address: settings.temporalAddress });
    const client = new Client({ connection: clientConnection, namespace: settings.temporalNamespace, dataConverter: payloadDataConverter(payloadCodec) });
    starter = startIntakeStarter({
      pool: starterPool,
      client,
      taskQueue: settings.taskQueue,
      concurrency,
      onError: (kind) => process.stderr.write(JSON.stringify({ service: 'intake-starter', error: kind }) + '\n'),
    });
  }
  try {
    await worker.run();
  } finally {
    await starter?.stop();
    await starterPool?.end();
    await clientConnection?.close();
    await pool.end();
    await connection.close();
  }
}
