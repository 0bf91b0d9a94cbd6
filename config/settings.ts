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
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const sandboxPort = Number(env.SANDBOX_PORT ?? 4010);
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    databaseUrl: env.DATABASE_URL,
    gatewayUrl: env.GATEWAY_URL ?? `http://127.0.0.1:${sandboxPort}`,
    apiPort: Number(env.API_PORT ?? 3000),
    sandboxPort,
    workflowIdKey: env.HPC_WORKFLOW_ID_KEY ?? 'development-only-key-change-me',
    taskQueue: env.HPC_TASK_QUEUE ?? TASK_QUEUE,
  };
}
