/**
 * The Temporal Schedules the worker keeps (created by every worker at start, worker/run-worker.ts —
 * idempotent: one that exists is left as it is, so an operator's pause or edit in the Temporal UI
 * stands):
 *
 * - `hpc-queue-snapshots`, hourly: queueSnapshotsWorkflow builds the signed snapshots of the lists
 *   that changed (issue #11 §4).
 * - `hpc-reverification`, every 30 days: reverificationWorkflow re-reads the registries for every
 *   active entry and opens a removal case where a fact changed (issue #11 §2). A run over a million
 *   entries takes minutes (bench/README.md), so a month leaves the registries alone most of the
 *   time; an operator triggers a run from the Temporal UI when an inventory is ordered.
 *
 * Each can be left out with its environment switch set to `off` (benchmarks and tests that run the
 * workflow themselves).
 */
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Duration } from '@temporalio/common';

export interface ScheduleDefinition {
  id: string;
  every: Duration;
  workflowType: string;
  /** The env switch that leaves the schedule out when `off`. */
  switch: string;
}

export const QUEUE_SNAPSHOT_SCHEDULE: ScheduleDefinition = { id: 'hpc-queue-snapshots', every: '1 hour', workflowType: 'queueSnapshotsWorkflow', switch: 'HPC_QUEUE_SNAPSHOT_SCHEDULE' };
export const REVERIFICATION_SCHEDULE: ScheduleDefinition = { id: 'hpc-reverification', every: '30 days', workflowType: 'reverificationWorkflow', switch: 'HPC_REVERIFICATION_SCHEDULE' };
export const SCHEDULES = [QUEUE_SNAPSHOT_SCHEDULE, REVERIFICATION_SCHEDULE] as const;

/** Creates the schedule unless it exists; true when this call created it. */
export async function ensureSchedule(client: Client, s: ScheduleDefinition, taskQueue: string): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: s.id,
      spec: { intervals: [{ every: s.every }] },
      // The schedule appends the run's time to the workflow id: each run is its own execution.
      action: { type: 'startWorkflow', workflowType: s.workflowType, workflowId: s.id, taskQueue, args: [] },
      // A run still going when the next is due finishes first; no second one in parallel.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    return true;
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return false;
    throw err;
  }
}

/** For the worker process: connects, ensures every schedule not switched off, disconnects. */
export async function ensureSchedulesAt(address: string, namespace: string, taskQueue: string, env: NodeJS.ProcessEnv): Promise<Record<string, 'created' | 'exists' | 'off'>> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const out: Record<string, 'created' | 'exists' | 'off'> = {};
    for (const s of SCHEDULES) out[s.id] = env[s.switch] === 'off' ? 'off' : (await ensureSchedule(client, s, taskQueue)) ? 'created' : 'exists';
    return out;
  } finally {
    await connection.close();
  }
}
