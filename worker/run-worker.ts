/**
 * Starting and running one worker process from the environment (worker/main.ts), with optional
 * WorkerOptions overrides and the benchmark's baseline (bench/worker.ts). Prints one JSON line when
 * it polls, and returns after SIGINT/SIGTERM once in-flight tasks are done (the SDK's default shutdown).
 *
 * Observability (issue #13 §1): the Temporal Runtime's SDK metrics in Prometheus format on
 * WORKER_METRICS_PORT (the Runtime's own exporter serves /metrics), liveness /health and readiness
 * /ready (polling, PostgreSQL answers) on WORKER_HEALTH_PORT, the Runtime's log through the one pino
 * logger, and traces with the OpenTelemetry plugin when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 *
 * The process also runs the intake starter (intake/starter.ts): it starts the workflows of received
 * cases from the intake outbox. HPC_INTAKE_STARTER=0 leaves it out (e.g. a worker pool that only
 * runs activities); HPC_INTAKE_STARTER_CONCURRENCY sets how many starts are in flight at once.
 */
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Runtime, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import { settingsOrExit } from '../config/settings';
import { TEMPORAL_CHANNEL_ARGS } from '../config/temporal';
import { createPool } from '../db/pool';
import { startIntakeStarter, type Starter } from '../intake/starter';
import { createLogger } from '../observability/logger';
import { runtimeLogger } from '../observability/runtime-logger';
import { startProbeServer } from '../observability/probe-server';
import { startTracing, type Tracing } from '../observability/tracing';
import { loadPayloadCodec, payloadDataConverter } from '../security/codec/data-converter';
import { createWorker, type WorkerDeps } from './create-worker';
import { ensureSchedulesAt } from './schedules';

/**
 * The OpenTelemetry plugin (client, activity and workflow interceptors, the workflow span sink). A
 * pre-built bundle cannot take the workflow interceptors afterwards: from one, activity spans only.
 */
function tracingOptions(tracing: Tracing, prebuiltBundle: boolean): Partial<WorkerOptions> {
  if (prebuiltBundle) return { interceptors: { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })] } };
  return { plugins: [new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.spanProcessor })] };
}

export async function runWorker(overrides?: Partial<WorkerOptions>, extend?: WorkerDeps['extend']): Promise<void> {
  const settings = settingsOrExit('worker');
  const logger = createLogger('worker', settings.logLevel);
  // Before connecting: unusable keys stop the worker with the reason, not after it took tasks.
  const payloadCodec = loadPayloadCodec(settings);
  const metricsAddress = `${settings.metricsHost}:${settings.workerMetricsPort}`;
  Runtime.install({
    logger: runtimeLogger(logger),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      metrics: { prometheus: { bindAddress: metricsAddress } },
    },
  });
  const tracing = startTracing('worker', settings.otlpEndpoint);
  const connection = await NativeConnection.connect({ address: settings.temporalAddress });
  const pool = createPool(settings.databaseUrl, Number(process.env.PG_POOL_MAX ?? 20));
  const worker = await createWorker({
    connection,
    namespace: settings.temporalNamespace,
    pool,
    gatewayUrl: settings.gatewayUrl,
    taskQueue: settings.taskQueue,
    payloadCodec,
    ...(overrides || tracing ? { options: { ...overrides, ...(tracing ? tracingOptions(tracing, settings.workflowBundlePath !== undefined) : {}) } } : {}),
    ...(settings.workflowBundlePath ? { workflowBundlePath: settings.workflowBundlePath } : {}),
    ...(extend ? { extend } : {}),
  });
  // The hourly queue snapshots (issue #11 §4) and the monthly re-verification (issue #11 §2),
  // created once, by whichever worker starts first (worker/schedules.ts).
  const schedules = await ensureSchedulesAt(settings.temporalAddress, settings.temporalNamespace, worker.options.taskQueue, process.env);
  const probes = await startProbeServer({
    host: settings.metricsHost,
    port: settings.workerHealthPort,
    ready: async () => {
      if (worker.getState() !== 'RUNNING') return false;
      await pool.query('SELECT 1');
      return true;
    },
  });
  const shownHost = settings.metricsHost.includes(':') ? `[${settings.metricsHost}]` : settings.metricsHost;
  process.stdout.write(
    JSON.stringify({
      service: 'worker',
      schedules,
      taskQueue: worker.options.taskQueue,
      temporal: settings.temporalAddress,
      payloadKeyId: payloadCodec.keyring.activeKeyId,
      metrics: `http://${shownHost}:${settings.workerMetricsPort}/metrics`,
      health: `${probes.url}/health`,
      ready: `${probes.url}/ready`,
      tracing: tracing ? 'otlp' : 'off',
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
    // Lazy: a Temporal that is not up yet delays the starts, not the worker's start. Its reconnect
    // backoff capped (config/temporal.ts): the backlog resumes as soon as Temporal is back.
    clientConnection = Connection.lazy({ address: settings.temporalAddress, channelArgs: { ...TEMPORAL_CHANNEL_ARGS } });
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
    await probes.close();
    await tracing?.shutdown();
    await starterPool?.end();
    await clientConnection?.close();
    await pool.end();
    await connection.close();
  }
}
