/**
 * The Temporal Schedule `hpc-queue-snapshots`: every hour, queueSnapshotsWorkflow builds the signed
 * snapshots of the lists that changed (issue #11 §4). Created by every worker at start
 * (worker/run-worker.ts) — idempotent: when it exists, it is left as it is.
 */
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

export const QUEUE_SNAPSHOT_SCHEDULE_ID = 'hpc-queue-snapshots';

/** Creates the schedule unless it exists; true when this call created it. */
export async function ensureQueueSnapshotSchedule(client: Client, taskQueue: string): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: QUEUE_SNAPSHOT_SCHEDULE_ID,
      spec: { intervals: [{ every: '1 hour' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'queueSnapshotsWorkflow',
        workflowId: 'hpc-queue-snapshots',
        taskQueue,
        args: [],
      },
      // A build still running an hour later finishes first; no second one in parallel.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    return true;
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return false;
    throw err;
  }
}

/** For the worker process: connects, ensures, disconnects. */
export async function ensureQueueSnapshotScheduleAt(address: string, namespace: string, taskQueue: string): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    return await ensureQueueSnapshotSchedule(new Client({ connection, namespace }), taskQueue);
  } finally {
    await connection.close();
  }
}
