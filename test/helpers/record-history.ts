/**
 * Recording histories of the workflow types beside the application workflow (the complaint, the
 * category re-check, its SMS notice, the queue snapshots) for the replay test
 * (test/workflow/replay.test.ts, test/histories/other/). Only with HPC_RECORD_HISTORIES=1, like
 * scripts/record-histories.ts: a test run never rewrites them. Payloads are stored decoded (as the
 * other recorded histories are, security/codec/history.ts), so the replay needs no key of the run
 * that made them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { decodeHistoryPayloads } from '../../security/codec/history';

export const OTHER_HISTORY_DIR = join(__dirname, '..', 'histories', 'other');
export const recording = (): boolean => process.env.HPC_RECORD_HISTORIES === '1';

/** The first closed run of each type that completed, written as `<name>.json`. */
export async function recordCompletedOfTypes(client: Client, types: Record<string, string>, codec?: PayloadCodec): Promise<void> {
  if (!recording()) return;
  for (const [type, name] of Object.entries(types)) {
    // Visibility trails the runs a little: ask again for a while.
    let written = false;
    for (let attempt = 0; attempt < 40 && !written; attempt++) {
      for await (const wf of client.workflow.list({ query: `WorkflowType = '${type}' AND ExecutionStatus = 'Completed'` })) {
        const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
        writeFileSync(join(OTHER_HISTORY_DIR, `${name}.json`), historyToJSON(codec ? await decodeHistoryPayloads(history, codec) : history));
        written = true;
        break;
      }
      if (!written) await new Promise((r) => setTimeout(r, 500));
    }
    if (!written) throw new Error(`no completed ${type} run to record`);
  }
}

/** One run's history, written as `<name>.json` (for servers without visibility queries: the time-skipping one). */
export async function recordRun(handle: { fetchHistory(): Promise<Parameters<typeof historyToJSON>[0]> }, name: string, codec?: PayloadCodec): Promise<void> {
  if (!recording()) return;
  const history = await handle.fetchHistory();
  writeFileSync(join(OTHER_HISTORY_DIR, `${name}.json`), historyToJSON(codec ? await decodeHistoryPayloads(history, codec) : history));
}
