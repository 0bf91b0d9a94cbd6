/**
 * Recording histories of the workflow types beside the application workflow (the complaint, the
 * category re-check, its SMS notice, the queue snapshots) for the replay test
 * (test/workflow/replay.test.ts, test/histories/other/). Only with HPC_RECORD_HISTORIES=1, like
 * scripts/record-histories.ts: a test run never rewrites them. Payloads are stored decoded (as the
 * other recorded histories are), so the replay needs no key of the run that made them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const OTHER_HISTORY_DIR = join(__dirname, '..', 'histories', 'other');
export const recording = (): boolean => process.env.HPC_RECORD_HISTORIES === '1';

/** A Payload: metadata and data (wherever it sits: a list, a memo field, a header, a failure's attributes). */
const isPayload = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && 'metadata' in v && 'data' in v;

/** Decodes every payload of a history, in place (the codec leaves plain ones as they are). */
async function decodeAll(node: unknown, codec: PayloadCodec): Promise<void> {
  if (node === null || typeof node !== 'object') return;
  const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (isPayload(v)) (node as Record<string | number, unknown>)[k] = (await codec.decode([v as never]))[0];
    else await decodeAll(v, codec);
  }
}

/** The first closed run of each type that completed, written as `<name>.json`. */
export async function recordCompletedOfTypes(client: Client, types: Record<string, string>, codec?: PayloadCodec): Promise<void> {
  if (!recording()) return;
  for (const [type, name] of Object.entries(types)) {
    // Visibility trails the runs a little: ask again for a while.
    let written = false;
    for (let attempt = 0; attempt < 40 && !written; attempt++) {
      for await (const wf of client.workflow.list({ query: `WorkflowType = '${type}' AND ExecutionStatus = 'Completed'` })) {
        const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
        if (codec) await decodeAll(history, codec);
        writeFileSync(join(OTHER_HISTORY_DIR, `${name}.json`), historyToJSON(history));
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
  if (codec) await decodeAll(history, codec);
  writeFileSync(join(OTHER_HISTORY_DIR, `${name}.json`), historyToJSON(history));
}
