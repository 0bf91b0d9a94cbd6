/**
 * The worker of worker/main.ts with WorkerOptions overrides from BENCH_WORKER_OPTIONS (JSON), for
 * trying worker settings without editing worker/create-worker.ts: `npm run bench --
 * --worker-options '{"workflowThreadPoolSize":2}'` starts this instead of worker/main.ts. Only
 * plain JSON options (numbers, booleans, strings) make sense here.
 */
import type { WorkerOptions } from '@temporalio/worker';
import { runWorker } from '../worker/run-worker';

function overrides(): Partial<WorkerOptions> {
  const raw = process.env.BENCH_WORKER_OPTIONS;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('BENCH_WORKER_OPTIONS must be a JSON object');
  return parsed as Partial<WorkerOptions>;
}

runWorker(overrides()).catch((err: Error) => {
  process.stderr.write(`bench worker failed: ${err.message}\n`);
  process.exit(1);
});
