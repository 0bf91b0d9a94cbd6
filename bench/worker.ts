/**
 * The benchmark's own worker (never shipped): worker/main.ts's worker plus the no-op baseline
 * workflow and activities (bench/baseline/), which the production worker does not register, with
 * WorkerOptions overrides from BENCH_WORKER_OPTIONS (JSON) for trying worker settings without
 * editing worker/create-worker.ts: `npm run bench -- --worker-options '{"workflowThreadPoolSize":2}'`.
 * Only plain JSON options (numbers, booleans, strings) make sense here.
 */
import type { WorkerOptions } from '@temporalio/worker';
import { runWorker } from '../worker/run-worker';
import { baselineActivities } from './baseline/activities';

function overrides(): Partial<WorkerOptions> | undefined {
  const raw = process.env.BENCH_WORKER_OPTIONS;
  if (!raw) return undefined;
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('BENCH_WORKER_OPTIONS must be a JSON object');
  return parsed as Partial<WorkerOptions>;
}

runWorker(overrides(), { workflowsPath: require.resolve('./workflows'), activities: { ...baselineActivities } }).catch((err: Error) => {
  process.stderr.write(`bench worker failed: ${err.message}\n`);
  process.exit(1);
});
