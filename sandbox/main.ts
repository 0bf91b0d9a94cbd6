/**
 * CLI entry of the gateway sandbox: `npm run sandbox -- [options]`.
 *
 * stdout carries exactly one JSON line once the server listens ({"url": ...}), so scripts and
 * test harnesses can start it and read where it is; the request log goes to stderr.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { FixtureError, loadFixtureFile } from './fixture';
import { SettingsError, startSandbox, type RunningSandbox } from './server';
import type { SandboxSettings } from './settings';

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}]`);
    return n;
  };
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number in [0, 1]');
  return n;
}

interface CliOptions {
  port: number;
  host: string;
  fixture: string;
  latencyMs?: number;
  jitterMs?: number;
  errorRate?: number;
  seed?: number;
  logLevel: string;
}

async function main(): Promise<void> {
  const envPort = process.env.SANDBOX_PORT;
  const defaultPort = envPort !== undefined && envPort !== '' ? integer('SANDBOX_PORT', 0, 65535)(envPort) : 4010;
  const program = new Command()
    .name('sandbox')
    .description("Stand-in for the e-government gateway's registries and the SMS gateway")
    .option('--port <port>', 'port to listen on (0 = any free port); env SANDBOX_PORT', integer('port', 0, 65535), defaultPort)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--fixture <file>', 'fixture file (sandbox/fixture-format.md)', path.join(__dirname, 'fixtures', 'demo.json'))
    .option('--latency-ms <ms>', 'default latency of every registry and SMS', integer('latency', 0, 120_000))
    .option('--jitter-ms <ms>', 'default extra random latency in [0, ms)', integer('jitter', 0, 120_000))
    .option('--error-rate <rate>', 'default probability of a 503 answer', rate)
    .option('--seed <n>', 'seed for failure and jitter draws (reproducible runs)', integer('seed', -(2 ** 31), 2 ** 32 - 1))
    .option('--log-level <level>', 'request log level on stderr (silent to turn off)', 'info')
    .parse();
  const opts = program.opts<CliOptions>();

  const logger = pino({ level: opts.logLevel, base: { service: 'gateway-sandbox' } }, pino.destination(2));

  const settings: SandboxSettings = { default: {} };
  if (opts.latencyMs !== undefined) settings.default = { ...settings.default, latencyMs: opts.latencyMs };
  if (opts.jitterMs !== undefined) settings.default = { ...settings.default, latencyJitterMs: opts.jitterMs };
  if (opts.errorRate !== undefined) settings.default = { ...settings.default, errorRate: opts.errorRate };
  if (opts.seed !== undefined) settings.seed = opts.seed;

  const startedLoading = Date.now();
  const fixture = await loadFixtureFile(opts.fixture);
  logger.info({ persons: fixture.size, version: fixture.version, loadMs: Date.now() - startedLoading }, 'fixture loaded');

  const sandbox: RunningSandbox = await startSandbox({ port: opts.port, host: opts.host, fixture, settings, logger });
  process.stdout.write(
    JSON.stringify({ url: sandbox.url, fixture: path.resolve(opts.fixture), persons: fixture.size, version: fixture.version }) + '\n',
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Requests still sleeping out a configured latency must not keep the process alive forever.
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    sandbox
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err: (err as Error).message }, 'close failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof FixtureError || err instanceof SettingsError || err instanceof InvalidArgumentError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`sandbox failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  }
  process.exit(1);
});
