/**
 * The worker process: `npm run worker`. Reads TEMPORAL_ADDRESS, DATABASE_URL, GATEWAY_URL and the
 * payload keys (HPC_PAYLOAD_KEYS / HPC_PAYLOAD_ACTIVE_KEY, docs/payload-encryption.md).
 * Several may run against one cluster (docker-compose.yml runs three); they all need the same keys.
 */
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { loadSettings } from '../config/settings';
import { createPool } from '../db/pool';
import { loadPayloadCodec } from '../security/codec/data-converter';
import { createWorker } from './create-worker';

async function main(): Promise<void> {
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
  });
  process.stdout.write(
    JSON.stringify({ service: 'worker', taskQueue: worker.options.taskQueue, temporal: settings.temporalAddress, payloadKeyId: payloadCodec.keyring.activeKeyId }) + '\n',
  );
  // worker.run() resolves after SIGINT/SIGTERM once in-flight tasks are done (the SDK's default shutdown).
  await worker.run();
  await pool.end();
  await connection.close();
}

main().catch((err: Error) => {
  process.stderr.write(`worker failed: ${err.message}\n`);
  process.exit(1);
});
