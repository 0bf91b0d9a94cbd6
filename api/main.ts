/**
 * `npm run api`: migrate the database, connect to Temporal, serve the HTTP API.
 * Listens on 127.0.0.1 unless API_HOST says otherwise (behind a reverse proxy in any real setup).
 * Prints one JSON line `{service: 'api', url}` when ready; SIGINT/SIGTERM close it cleanly.
 */
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { settingsOrExit } from '../config/settings';
import { TEMPORAL_CHANNEL_ARGS } from '../config/temporal';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { loadPayloadCodec, payloadDataConverter } from '../security/codec/data-converter';
import { createApiApp } from './app';
import { createApiMetrics } from '../observability/http-metrics';
import { createLogger } from '../observability/logger';
import { startProbeServer } from '../observability/probe-server';
import { requestSpans, startTracing } from '../observability/tracing';

async function main(): Promise<void> {
  // First, before any connection: in production a missing or development setting stops the API
  // here with every such setting named (config/settings.ts), exit code 1.
  const settings = settingsOrExit('api');
  const logger = createLogger('api', settings.logLevel);
  // Traces only when OTEL_EXPORTER_OTLP_ENDPOINT is set (observability/tracing.ts).
  const tracing = startTracing('api', settings.otlpEndpoint);
  // Workflow inputs, update arguments and the memo are encrypted before they leave this process.
  const payloadCodec = loadPayloadCodec(settings);
  const pool = createPool(settings.databaseUrl);
  await migrate(pool);
  // Reconnect backoff capped (config/temporal.ts): case actions work again as soon as Temporal is back.
  const connection = await Connection.connect({ address: settings.temporalAddress, channelArgs: { ...TEMPORAL_CHANNEL_ARGS } });
  const client = new Client({
    connection,
    namespace: settings.temporalNamespace,
    dataConverter: payloadDataConverter(payloadCodec),
    ...(tracing ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } } : {}),
  });
  const metrics = createApiMetrics(pool);
  const app = createApiApp({ pool, client, settings, logger, requestObservers: [metrics.middleware, ...(tracing ? [requestSpans()] : [])] });
  // /metrics, /health (live) and /ready (PostgreSQL and Temporal answer) on their own port, off the
  // public API and its policy (API_METRICS_PORT; 0 = any free port).
  const probes = await startProbeServer({
    host: settings.metricsHost,
    port: settings.apiMetricsPort,
    registry: metrics.registry,
    ready: async () => {
      await pool.query('SELECT 1');
      await connection.healthService.check({});
      return true;
    },
  });

  const host = settings.apiHost;
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(settings.apiPort, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.apiPort;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(
    `${JSON.stringify({ service: 'api', url: `http://${shownHost}:${port}`, metrics: `${probes.url}/metrics`, health: `${probes.url}/health`, ready: `${probes.url}/ready`, tracing: tracing ? 'otlp' : 'off' })}\n`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Stop taking connections, let requests in flight finish, then release PostgreSQL and Temporal.
    server.close(() => {
      void Promise.allSettled([pool.end(), connection.close(), probes.close(), tracing?.shutdown()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
    // A client holding a connection open must not keep the process alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`${JSON.stringify({ service: 'api', error: e.message })}\n`);
  process.exit(1);
});
