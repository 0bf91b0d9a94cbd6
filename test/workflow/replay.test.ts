/**
 * Determinism: replays every recorded history in test/histories/ (one per shipped scenario, written
 * by `npx tsx scripts/record-histories.ts`) against the current workflow code. A change to the
 * order of workflow commands that is not behind `patched()` (docs/workflow-versioning.md) fails
 * here with a nondeterminism error, before it can break running cases.
 *
 * The histories must include at least one case of each path through the workflow: R7.1
 * registered at once, R7.2 registered after the operator's review, and a refusal after a hearing
 * (R17). Every workflow type the worker registers (workflows/index.ts) must have recorded
 * histories: the benchmark's baseline workflow has its own in test/histories/baseline/
 * (`npx tsx scripts/record-baseline-history.ts`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter, type HistoryAndWorkflowId } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { payloadDataConverter } from '../../security/codec/data-converter';
import { EncryptionCodec } from '../../security/codec/encryption-codec';
import { Keyring } from '../../security/codec/keyring';
import { CASE_CLOCK_WORKFLOW_MODULE } from '../../simulation/case-clock-client';
import type { ApplicationOutcome, ApplicationWorkflowInput } from '../../workflows/contract';
// Every workflow type a worker registers: the production ones and the benchmark's baseline.
import * as workflowTypes from '../../bench/workflows';

jest.setTimeout(300_000);

const HISTORY_DIR = join(__dirname, '..', 'histories');

type History = ReturnType<typeof historyFromJSON>;
type CasePathKind = 'no-housing registered' | 'emergency registered' | 'refusal with hearing';
const REQUIRED_PATHS: readonly CasePathKind[] = ['no-housing registered', 'emergency registered', 'refusal with hearing'];

interface Recorded {
  file: string;
  history: History;
}

function loadHistories(): Recorded[] {
  return readdirSync(HISTORY_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, history: historyFromJSON(JSON.parse(readFileSync(join(HISTORY_DIR, file), 'utf8'))) }));
}

/** The workflow's input and result, decoded from the first and last events of a history. */
function inputAndResult(h: History): { input: ApplicationWorkflowInput; result?: ApplicationOutcome } {
  const events = h.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!started) throw new Error('the history does not start with WorkflowExecutionStarted');
  const input = defaultPayloadConverter.fromPayload<ApplicationWorkflowInput>(started);
  const completed = events[events.length - 1]?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
  return completed ? { input, result: defaultPayloadConverter.fromPayload<ApplicationOutcome>(completed) } : { input };
}

function pathOf(h: History): CasePathKind | undefined {
  const { input, result } = inputAndResult(h);
  if (!result) return undefined;
  if (result.outcome === 'REFUSED' && result.preliminaryDecisionAt !== undefined) return 'refusal with hearing';
  if (result.outcome === 'REGISTERED' && result.preliminaryDecisionAt === undefined) {
    return input.declaration.path === 'NO_HOUSING' ? 'no-housing registered' : 'emergency registered';
  }
  return undefined;
}

const recorded = loadHistories();
const BASELINE_DIR = join(HISTORY_DIR, 'baseline');
const baselineRecorded: Recorded[] = readdirSync(BASELINE_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, history: historyFromJSON(JSON.parse(readFileSync(join(BASELINE_DIR, file), 'utf8'))) }));

// The other workflow types of the production worker (the complaint, the category re-check and its
// SMS notice, the queue snapshots): recorded by their own tests with HPC_RECORD_HISTORIES=1
// (test/helpers/record-history.ts).
const OTHER_DIR = join(HISTORY_DIR, 'other');
const otherRecorded: Recorded[] = readdirSync(OTHER_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, history: historyFromJSON(JSON.parse(readFileSync(join(OTHER_DIR, file), 'utf8'))) }));

const workflowTypeOf = (h: History): string | undefined => h.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined;

describe('workflow replay (determinism)', () => {
  it('has completed histories covering every path of the workflow', () => {
    expect(recorded.length).toBeGreaterThan(0);
    const paths = new Set(recorded.map((r) => pathOf(r.history)));
    expect(REQUIRED_PATHS.filter((p) => !paths.has(p))).toEqual([]);
    // Every history ran to the end, so replay exercises the whole procedure.
    expect(recorded.filter((r) => inputAndResult(r.history).result === undefined).map((r) => r.file)).toEqual([]);
  });

  it('has recorded histories for every workflow type the worker registers', () => {
    const recordedTypes = new Set([...recorded, ...baselineRecorded, ...otherRecorded].map((r) => workflowTypeOf(r.history)));
    expect(Object.keys(workflowTypes).filter((t) => !recordedTypes.has(t))).toEqual([]);
    expect(new Set(recorded.map((r) => workflowTypeOf(r.history)))).toEqual(new Set(['applicationWorkflow']));
  });

  it('replays every recorded history without a nondeterminism error', async () => {
    const asReplay = (list: Recorded[]): HistoryAndWorkflowId[] => list.map((r) => ({ workflowId: r.file.replace(/\.json$/, ''), history: r.history }));
    const histories = asReplay(recorded);
    const failures: string[] = [];
    let replayed = 0;
    // The production worker's data converter: the recorded histories are unencrypted (as any history
    // from before encryption), and the codec must let them through unchanged.
    const dataConverter = payloadDataConverter(new EncryptionCodec(Keyring.ephemeral('replay')));
    // The simulator's case clock (simulation/case-clock.ts): the histories were recorded at their scenarios' instants.
    const options = { workflowsPath: require.resolve('../../workflows'), interceptors: { workflowModules: [CASE_CLOCK_WORKFLOW_MODULE] }, dataConverter };
    for await (const result of Worker.runReplayHistories(options, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    // The benchmark's baseline is not in the production bundle (issue #9 §4): its own worker's
    // bundle (bench/workflows.ts) replays its histories.
    const baselineOptions = { ...options, workflowsPath: require.resolve('../../bench/workflows') };
    for await (const result of Worker.runReplayHistories(baselineOptions, asReplay(baselineRecorded))) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    // The other types, recorded on servers without the simulator's case clock.
    const otherOptions = { workflowsPath: require.resolve('../../workflows'), dataConverter };
    for await (const result of Worker.runReplayHistories(otherOptions, asReplay(otherRecorded))) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length + baselineRecorded.length + otherRecorded.length);
  });
});
