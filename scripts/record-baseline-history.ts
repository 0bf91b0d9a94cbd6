/**
 * Records the benchmark's baseline workflow (bench/baseline/workflow.ts) into
 * test/histories/baseline/ for the replay test, so that every workflow type the worker registers has
 * a recorded history (issue #4):
 *
 *   npx tsx scripts/record-baseline-history.ts
 *
 * The application workflow's histories come from the simulate harness (scripts/record-histories.ts);
 * this one needs no database or gateway: its activities are no-ops.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { baselineActivities } from '../bench/baseline/activities';
import { importEsm } from '../cli/esm';
import type { baselineWorkflow } from '../bench/baseline/workflow';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'test', 'histories', 'baseline');

async function main(): Promise<void> {
  const tools = await importEsm<{ testServerBinary(root: string): string }>(join(ROOT, 'scripts', 'temporal-dev.mjs'));
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: tools.testServerBinary(ROOT) } },
  });
  try {
    const taskQueue = 'record-baseline';
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../bench/workflows'),
      activities: baselineActivities,
    });
    mkdirSync(OUT, { recursive: true });
    // The shape the benchmark runs (bench/run.ts BASELINE_SHAPE), and a smaller one.
    const shapes = [
      { first: 2, second: 11 },
      { first: 1, second: 3 },
    ];
    await worker.runUntil(async () => {
      for (const shape of shapes) {
        const workflowId = `baseline-${shape.first}-${shape.second}`;
        const handle = await env.client.workflow.start<typeof baselineWorkflow>('baselineWorkflow', { taskQueue, workflowId, args: [shape] });
        await handle.result();
        writeFileSync(join(OUT, `${workflowId}.json`), historyToJSON(await handle.fetchHistory()));
        process.stdout.write(`${join('test', 'histories', 'baseline', `${workflowId}.json`)}\n`);
      }
    });
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
