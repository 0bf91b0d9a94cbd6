import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import { loadPayloadCodec, payloadDataConverter } from '../security/codec/data-converter';
import { TASK_QUEUE } from '../workflows/contract';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace?: string;
  pool: Pool;
  gatewayUrl: string;
  taskQueue?: string;
  /**
   * Encrypts and decrypts every payload (security/codec/encryption-codec.ts). Defaults to the
   * process's keys (HPC_PAYLOAD_KEYS, or data/payload-keys.json in development), the same ones the
   * API's Client loads, so a worker can never be started that writes histories in plain text.
   */
  payloadCodec?: PayloadCodec;
  /** Overrides for tuning (benchmarks) and tests. */
  options?: Partial<WorkerOptions>;
  /**
   * Another workflow bundle entry and more activities beside the production ones: the benchmark's
   * own worker (bench/worker.ts) adds its no-op baseline this way; the production worker
   * (worker/main.ts) registers only the production workflows of workflows/index.ts.
   */
  extend?: { workflowsPath: string; activities: Record<string, (...args: never[]) => Promise<unknown>> };
  /** A workflow bundle built ahead (scripts/build-workflow-bundle.ts) instead of bundling at start. */
  workflowBundlePath?: string;
}

/** The worker: the application workflow (bundled from workflows/) and its activities. */
export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace ?? 'default',
    taskQueue: deps.taskQueue ?? TASK_QUEUE,
    ...(deps.workflowBundlePath && !deps.extend
      ? { workflowBundle: { codePath: deps.workflowBundlePath } }
      : { workflowsPath: deps.extend?.workflowsPath ?? require.resolve('../workflows') }),
    activities: { ...createActivities({ pool: deps.pool, gatewayUrl: deps.gatewayUrl }), ...deps.extend?.activities },
    // Codecs run here, in the worker's main thread, never inside the workflow sandbox.
    dataConverter: payloadDataConverter(deps.payloadCodec ?? loadPayloadCodec()),
    // Sticky workflow caches make each case's later steps cheap; sized for a 2-core machine.
    maxCachedWorkflows: 2000,
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentLocalActivityExecutions: 200,
    maxConcurrentWorkflowTaskExecutions: 40,
    ...deps.options,
  });
}
