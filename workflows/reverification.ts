/**
 * The periodic re-verification of the register (issue #11 §2, the 2026 "inventory" — the 650,000
 * migrated records among the entries): started by the Temporal Schedule `hpc-reverification`
 * (worker/schedules.ts). It reads:
 *
 *   for every active entry, in batches in id order: re-read the registries (domain/reverification.ts
 *   REVERIFIED_REGISTRIES) → where a fact behind a removal ground changed since the last
 *   verification, open a removal case (workflows/removal/, a workflow per entry, with the hearing
 *   where it goes against the person) → record the batch and the run's progress → continue as new
 *   every BATCHES_PER_RUN batches, so the history stays small over a million entries.
 *
 * One workflow for the whole run, not one per entry: an entry gets a workflow of its own only when
 * something changed. The workflow id (the schedule's, per run) is the run's id in
 * reverification_runs; `reverificationProgress` answers the Temporal UI. Nothing personal in the
 * workflow's inputs or search attributes: entry ids and counts; the registry records behind a
 * ground travel encrypted, as every payload does.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { continueAsNew, defineQuery, ParentClosePolicy, proxyActivities, setHandler, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import type { ReverificationActivities, BatchRead } from '../activities/reverification';
import type { ReferenceSnapshot } from '../domain/procedure/reference';
import { toAlmatyIso } from '../domain/time';
import { REMOVAL_WORKFLOW_TYPE, removalWorkflowId, type RemovalWorkflowInput } from './removal/contract';

const { startReverificationRun, reverifyBatch, recordReverifiedBatch, finishReverificationRun } = proxyActivities<ReverificationActivities>({
  // A batch is a few dozen gateway calls; a registry that stays down is retried without end, visibly.
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export interface ReverificationInput {
  /** Entries per batch (one registry read of each kind, 50 IINs a gateway call). */
  batchSize?: number;
  /** Batches before continuing as new. */
  batchesPerRun?: number;
  /** Carried over a continue-as-new. */
  cursor?: string;
  total?: number;
  checked?: number;
  opened?: number;
  reference?: ReferenceSnapshot;
}

export interface ReverificationProgress {
  total: number;
  checked: number;
  opened: number;
  cursor: string;
  finished: boolean;
}

export const reverificationProgressQuery = defineQuery<ReverificationProgress>('reverificationProgress');

const DEFAULT_BATCH_SIZE = 1000;
/** Batches per run before continuing as new: ~5 events and a few KB each. */
const BATCHES_PER_RUN = 100;

export async function reverificationWorkflow(input: ReverificationInput = {}): Promise<ReverificationProgress> {
  const runId = workflowInfo().workflowId;
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const batchesPerRun = input.batchesPerRun ?? BATCHES_PER_RUN;
  const now = (): string => new Date(Date.now()).toISOString();
  const p: ReverificationProgress = { total: input.total ?? 0, checked: input.checked ?? 0, opened: input.opened ?? 0, cursor: input.cursor ?? '0', finished: false };
  setHandler(reverificationProgressQuery, () => ({ ...p }));

  let reference = input.reference;
  if (!reference) ({ total: p.total, reference } = await startReverificationRun({ runId, at: now() }));

  for (let i = 0; i < batchesPerRun; i++) {
    const batch = await reverifyBatch({ afterEntryId: p.cursor, limit: batchSize, at: now() });
    if (batch.checked === 0) {
      await finishReverificationRun({ runId, at: now() });
      p.finished = true;
      return p;
    }
    const opened = await openRemovalCases(batch, reference);
    await recordReverifiedBatch({ runId, afterEntryId: p.cursor, batch, opened, at: now() });
    p.cursor = batch.lastEntryId;
    p.checked += batch.checked;
    p.opened += opened;
  }
  return continueAsNew<typeof reverificationWorkflow>({ batchSize, batchesPerRun, cursor: p.cursor, total: p.total, checked: p.checked, opened: p.opened, reference });
}

/**
 * A removal case per changed entry (workflows/removal/contract.ts: one running per entry). It
 * outlives this run (ABANDON); an entry that already has one running keeps it — the officer's case
 * in hand is not opened twice.
 */
async function openRemovalCases(batch: BatchRead, reference: ReferenceSnapshot): Promise<number> {
  let opened = 0;
  for (const change of batch.changes) {
    if (!change.open) continue;
    const removal: RemovalWorkflowInput = {
      removalId: uuid4(),
      entryId: change.entryId,
      ...(change.applicationId ? { applicationId: change.applicationId } : {}),
      ground: change.open.ground,
      evidence: { registry: change.open.registry, facts: change.open.facts },
      openedBy: 'system:reverification',
      openedAt: toAlmatyIso(Date.now()),
      reference,
    };
    try {
      await startChild(REMOVAL_WORKFLOW_TYPE, {
        workflowId: removalWorkflowId(change.entryId),
        args: [removal],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      opened++;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return opened;
}
