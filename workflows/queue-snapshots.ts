/**
 * The hourly build of the published queue snapshots (issue #11 §4), started by the Temporal
 * Schedule `hpc-queue-snapshots` (worker/schedules.ts). One workflow run per hour:
 * the lists changed since their last snapshot, one activity each (idempotent: a retried or
 * overlapping build stores nothing twice). Nothing personal in its inputs or outputs: list keys
 * (a KATO code and a category) and counts.
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { QueueSnapshotActivities } from '../activities/queue-snapshots';

const { queueListsToSnapshot, buildQueueSnapshot } = proxyActivities<QueueSnapshotActivities>({
  // A list of a million entries takes tens of seconds (bench/README.md); the tree is rebuilt on retry.
  startToCloseTimeout: '15 minutes',
  retry: { maximumAttempts: 5, initialInterval: '10 seconds' },
});

/** Lists per run before continuing as new, so the history stays small with thousands of lists. */
const LISTS_PER_RUN = 300;

export async function queueSnapshotsWorkflow(state: { built: number } = { built: 0 }): Promise<{ built: number }> {
  const lists = await queueListsToSnapshot();
  let built = state.built;
  for (const [i, list] of lists.entries()) {
    if (i === LISTS_PER_RUN) return continueAsNew<typeof queueSnapshotsWorkflow>({ built });
    if (await buildQueueSnapshot(list)) built++;
  }
  return { built };
}
