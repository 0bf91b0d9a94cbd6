/**
 * Pre-builds the production workflow bundle (workflows/index.ts) for the image (Dockerfile), so a
 * worker starts without webpack and every worker of a deployment runs byte-identical workflow code:
 *
 *   node dist/scripts/build-workflow-bundle.js dist/workflow-bundle.js
 *
 * The worker loads it when HPC_WORKFLOW_BUNDLE names it (worker/create-worker.ts).
 */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(out: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  writeFileSync(out, code);
  process.stdout.write(`${JSON.stringify({ bundle: out, bytes: Buffer.byteLength(code) })}\n`);
}

main(process.argv[2] ?? 'workflow-bundle.js').catch((err: Error) => {
  process.stderr.write(`bundle failed: ${err.message}\n`);
  process.exit(1);
});
