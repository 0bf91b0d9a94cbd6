/**
 * Starting and running one worker process from the environment (worker/main.ts), with optional
 * WorkerOptions overrides and the benchmark's baseline (bench/worker.ts). Prints one JSON line when
 * it polls, and returns after SIGINT/SIGTERM once in-flight tasks are done (the SDK's default shutdown).
 *
 * Observability (issue #13 §1): the Temporal Runtime's SDK metrics in Prometheus format on
 * WORKER_METRICS_PORT (the Runtime's own exporter serves /metrics), liveness /health and readiness
 * /ready (polling, PostgreSQL answers) on WORKER_HEALTH_PORT, the Runtime's log through the one pino
 * logger, and traces with the OpenTelemetry plugin when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Runtime, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import { settingsOrExit } from '../config/settings';
import { createPool } from '../db/pool';
import { createLogger } from '../observability/logger';
import { runtimeLogger } from '../observability/runtime-logger';
import { startProbeServer } from '../observability/probe-server';
import { startTracing, type Tracing } from '../observability/tracing';
import { loadPayloadCodec } from '../security/codec/data-converter';
import { createWorker, type WorkerDeps } from './create-worker';

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
  await worker.run();
  await probes.close();
  await tracing?.shutdown();
  await pool.end();
  await connection.close();
}
