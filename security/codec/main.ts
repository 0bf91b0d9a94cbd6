/**
 * `npm run codec-server`: the codec server for the Temporal UI and CLI (docs/payload-encryption.md).
 * Reads the payload keys like the worker and the API (HPC_PAYLOAD_KEYS, or data/payload-keys.json in
 * development); checks callers against the API's staff sessions and writes the audit log in the
 * API's database (DATABASE_URL, required); the allowed UI origins from HPC_CODEC_CORS_ORIGINS;
 * listens on CODEC_HOST:CODEC_PORT (127.0.0.1:8888). HPC_CODEC_TOKENS (static break-glass tokens)
 * are honoured only with HPC_CODEC_BREAK_GLASS=1, or outside production.
 * Prints one JSON line `{service: 'codec-server', url}` when ready; the audit log goes to stderr.
 */
import pino from 'pino';
import { authSettings } from '../../api/auth/config';
import { settingsOrExit } from '../../config/settings';
import { createPool } from '../../db/pool';
import { StaffTokens, startCodecServer } from './codec-server';
import { loadPayloadCodec } from './data-converter';
import { createLogger } from '../../observability/logger';

async function main(): Promise<void> {
  const settings = settingsOrExit('codec-server');
  if (!settings.databaseUrl) {
    // Sessions and the audit log live in the API's database: without it nobody could be let in.
    throw new Error('DATABASE_URL is not set: the codec server checks staff sessions and writes the audit log there (docs/payload-encryption.md)');
  }
  // The one logger (observability/logger.ts), on stderr: stdout carries the start-up line.
  const logger = createLogger('codec-server', settings.logLevel, pino.destination(2));
  const breakGlass = process.env.HPC_CODEC_BREAK_GLASS === '1' || process.env.NODE_ENV !== 'production';
  const tokens = breakGlass ? StaffTokens.parse(settings.codecTokens) : StaffTokens.parse(undefined);
  if (settings.codecTokens && !breakGlass) logger.warn('HPC_CODEC_TOKENS ignored: break-glass tokens need HPC_CODEC_BREAK_GLASS=1 in production');
  if (tokens.size > 0) logger.warn({ tokens: tokens.size }, 'break-glass codec tokens are enabled: every use is audited as PAYLOAD_INSPECTION_BREAK_GLASS');
  const codec = loadPayloadCodec(settings);
  const pool = createPool(settings.databaseUrl, 4);
  const sessions = { pool, idleTimeoutMs: authSettings({}, settings.gatewayUrl).idleTimeoutMs };
  const running = await startCodecServer({
    codec,
    sessions,
    tokens,
    corsOrigins: settings.codecCorsOrigins,
    namespaces: [settings.temporalNamespace],
    logger,
    host: settings.codecHost,
    port: settings.codecPort,
  });
  process.stdout.write(`${JSON.stringify({ service: 'codec-server', url: running.url, activeKeyId: codec.keyring.activeKeyId })}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void running.close().then(() => pool.end()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`${JSON.stringify({ service: 'codec-server', error: e.message })}\n`);
  process.exit(1);
});
