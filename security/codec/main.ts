/**
 * `npm run codec-server`: the codec server for the Temporal UI and CLI (docs/payload-encryption.md).
 * Reads the payload keys like the worker and the API (HPC_PAYLOAD_KEYS, or data/payload-keys.json in
 * development), staff tokens from HPC_CODEC_TOKENS, the allowed UI origins from
 * HPC_CODEC_CORS_ORIGINS; listens on CODEC_HOST:CODEC_PORT (127.0.0.1:8888).
 * Prints one JSON line `{service: 'codec-server', url}` when ready; the audit log goes to stderr.
 */
import pino from 'pino';
import { loadSettings } from '../../config/settings';
import { StaffTokens, startCodecServer } from './codec-server';
import { loadPayloadCodec } from './data-converter';

async function main(): Promise<void> {
  const settings = loadSettings();
  const tokens = StaffTokens.parse(settings.codecTokens);
  if (tokens.size === 0) {
    // Without tokens every request would be refused: say so now rather than serve 401s.
    throw new Error('HPC_CODEC_TOKENS is not set: give staff tokens as token:staffId:role,… (docs/payload-encryption.md)');
  }
  const codec = loadPayloadCodec(settings);
  const logger = pino({ name: 'codec-server', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const running = await startCodecServer({
    codec,
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
    void running.close().then(
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
