import { TASK_QUEUE } from '../workflows/contract';

/**
 * Process settings from the environment, with the embedded defaults that `npm start` uses.
 * One place, so every part reads the same names.
 */
export interface Settings {
  temporalAddress: string;
  temporalNamespace: string;
  databaseUrl: string | undefined;
  gatewayUrl: string;
  apiPort: number;
  sandboxPort: number;
  /** Key for the pseudonymous workflow IDs (HMAC of the IIN): no IIN in Temporal's visibility. */
  workflowIdKey: string;
  taskQueue: string;
  /**
   * Payload encryption keys `keyId:base64key,…` (HPC_PAYLOAD_KEYS) and the id of the one that
   * encrypts (HPC_PAYLOAD_ACTIVE_KEY); docs/payload-encryption.md. Unset in development.
   */
  payloadKeys: string | undefined;
  payloadActiveKeyId: string | undefined;
  /** Whether data/payload-keys.json may stand in for payloadKeys: never with NODE_ENV=production. */
  allowDevPayloadKey: boolean;
  /** The codec server (`npm run codec-server`): address, staff tokens, the Temporal UI origins it answers. */
  codecHost: string;
  codecPort: number;
  /** HPC_CODEC_TOKENS: `token:staffId:role,…`, break-glass only beside staff sessions (security/codec/codec-server.ts). */
  codecTokens: string | undefined;
  codecCorsOrigins: string[];
  /**
   * HPC_DEV_ALWAYS_OPEN=1 (development and tests only; refused with NODE_ENV=production): new cases
   * pin a calendar in which every day is a working day and every hour a working hour, so a case
   * received at night is accepted and decided at once instead of at 09:00 the next working day
   * (A1.7.2) — for test stacks, benchmarks and demos that run at any hour.
   */
  devAlwaysOpen: boolean;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const devAlwaysOpen = env.HPC_DEV_ALWAYS_OPEN === '1';
  if (devAlwaysOpen && env.NODE_ENV === 'production') {
    throw new Error('HPC_DEV_ALWAYS_OPEN is a development setting and is refused with NODE_ENV=production');
  }
  const sandboxPort = Number(env.SANDBOX_PORT ?? 4010);
  const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    databaseUrl: env.DATABASE_URL,
    gatewayUrl: env.GATEWAY_URL ?? `http://127.0.0.1:${sandboxPort}`,
    apiPort: Number(env.API_PORT ?? 3000),
    sandboxPort,
    workflowIdKey: env.HPC_WORKFLOW_ID_KEY ?? 'development-only-key-change-me',
    taskQueue: env.HPC_TASK_QUEUE ?? TASK_QUEUE,
    payloadKeys: env.HPC_PAYLOAD_KEYS,
    payloadActiveKeyId: env.HPC_PAYLOAD_ACTIVE_KEY,
    allowDevPayloadKey: env.NODE_ENV !== 'production',
    codecHost: env.CODEC_HOST ?? '127.0.0.1',
    codecPort: Number(env.CODEC_PORT ?? 8888),
    codecTokens: env.HPC_CODEC_TOKENS,
    // The Temporal UI that `npm start` runs (TEMPORAL_UI_PORT); browsers send either host name.
    codecCorsOrigins: (env.HPC_CODEC_CORS_ORIGINS ?? `http://127.0.0.1:${uiPort},http://localhost:${uiPort}`)
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
    devAlwaysOpen,
  };
}
