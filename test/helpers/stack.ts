/**
 * The real stack for integration tests: the gateway sandbox (in-process, random port), PostgreSQL
 * (from test/global-setup.mjs), Temporal's dev server and a worker on a private task queue.
 * Each test file starts one stack and stops it in afterAll.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { loadSettings, type Settings } from '../../config/settings';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import type { Fixture } from '../../sandbox/fixture';
import { payloadDataConverter } from '../../security/codec/data-converter';
import { EncryptionCodec } from '../../security/codec/encryption-codec';
import { Keyring } from '../../security/codec/keyring';
import { createWorker } from '../../worker/create-worker';
import { startIntakeStarter, type Starter } from '../../intake/starter';

export const DEMO_FIXTURE = join(__dirname, '..', '..', 'sandbox', 'fixtures', 'demo.json');

export interface Stack {
  sandbox: RunningSandbox;
  pool: Pool;
  client: Client;
  worker: Worker;
  /** The intake starter of this stack's task queue (intake/starter.ts), as the worker process runs it. */
  starter: Starter;
  settings: Settings;
  /** The payload codec of `client` and `worker` (a random key per stack, held in memory). */
  payloadCodec: EncryptionCodec;
  stop(): Promise<void>;
}

export function testEnv(name: 'HPC_TEST_DATABASE_URL' | 'HPC_TEST_TEMPORAL_ADDRESS' | 'HPC_TEST_SERVER_BINARY'): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (test/global-setup.mjs)`);
  return v;
}

/** Worker logs at WARN and above only; the runtime is per process, so install it once. */
export function quietTemporalLogs(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
    });
  } catch {
    // Already installed by an earlier test file in this process.
  }
}

export async function startStack(opts: { fixture?: string | Fixture; starter?: boolean } = {}): Promise<Stack> {
  quietTemporalLogs();
  const sandbox = await startSandbox({ port: 0, fixture: opts.fixture ?? DEMO_FIXTURE });
  const pool = createPool(testEnv('HPC_TEST_DATABASE_URL'), 10);
  await migrate(pool);
  const address = testEnv('HPC_TEST_TEMPORAL_ADDRESS');
  // Encrypted as in production; a key of its own, so the tests never write data/payload-keys.json.
  const payloadCodec = new EncryptionCodec(Keyring.ephemeral(`test-${randomUUID().slice(0, 8)}`));
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter: payloadDataConverter(payloadCodec) });
  const native = await NativeConnection.connect({ address });
  const taskQueue = `test-${randomUUID()}`;
  const worker = await createWorker({ connection: native, pool, gatewayUrl: sandbox.url, taskQueue, payloadCodec });
  const running = worker.run();
  // Starts the workflows of the cases the API records on this queue (issue #14); `starter: false`
  // leaves it paused (a stopped stand-in), for tests of intake while nothing starts workflows.
  const starter =
    opts.starter === false ? { stop: async () => undefined, idle: async () => undefined, wake: () => undefined } : startIntakeStarter({ pool, client, taskQueue, pollMs: 100 });
  const settings: Settings = {
    ...loadSettings({}),
    temporalAddress: address,
    databaseUrl: testEnv('HPC_TEST_DATABASE_URL'),
    gatewayUrl: sandbox.url,
    taskQueue,
    // Tests run at any hour: cases are accepted at receipt (A1.7.2's wait is tested on the time-skipping server).
    devAlwaysOpen: true,
  };
  return {
    sandbox,
    pool,
    client,
    worker,
    starter,
    settings,
    payloadCodec,
    async stop() {
      await starter.stop();
      worker.shutdown();
      await running.catch(() => undefined);
      await native.close();
      await connection.close();
      await pool.end();
      await sandbox.close();
    },
  };
}
