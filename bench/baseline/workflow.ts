/**
 * The benchmark's baseline (bench/README.md): the same number and shape of activities as an R7.1
 * application — one local acceptance write, two registry reads, then eleven in parallel, one
 * registration, one notice delivery — with no-op implementations. Throughput of the real workflow
 * divided by this one's is the `ratio` the benchmark reports.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

const local = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '15s' });
const regular = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30s' });

export async function baselineWorkflow(registryReads: { first: number; second: number }): Promise<string> {
  await local.noop('accept');
  await Promise.all(Array.from({ length: registryReads.first }, (_, i) => local.noop(`r1-${i}`)));
  await Promise.all(Array.from({ length: registryReads.second }, (_, i) => local.noop(`r2-${i}`)));
  await regular.noopRegular('register');
  await regular.noopRegular('notices');
  return 'done';
}
