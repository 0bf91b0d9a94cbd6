/**
 * The periodic re-verification (issue #11 §2) on the real stack: migrated records of the akimats'
 * queues (imported as production gets them), the gateway sandbox as the registries, the worker
 * running reverificationWorkflow on the Temporal dev server.
 *
 * Among the entries: one whose person died (persons registry), one who acquired a dwelling after
 * registration (real-estate registry), one who owned a dwelling before registration (not a changed
 * fact: an officer's finding, not the registry's), one whose dwelling acquired after registration
 * was disposed of again. A removal case (workflow `removal-<entryId>`) is opened for the first two
 * only; a second run over unchanged registries opens none; a fact that changes later opens one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { openRemovalOfEntry } from '../../db/removals';
import { latestRuns } from '../../db/reverification';
import { importUnified } from '../../import/loader';
import type { Fixture, FixturePerson } from '../../sandbox/fixture';
import { removalWorkflowId } from '../../workflows/removal/contract';
import type { ReverificationProgress } from '../../workflows/reverification';
import { ensureSchedule, REVERIFICATION_SCHEDULE } from '../../worker/schedules';
import { cleanPerson } from '../helpers/persons';
import { recordRun } from '../helpers/record-history';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(180_000);

// A locality no other test uses: the queue tests count their list's changes exactly.
const ORAL = '271010000';
const REGISTERED_AT = '2021-03-01T10:00:00+05:00';
const dwelling = (propertyId: string, acquiredAt: string, disposedAt?: string) => ({
  propertyId,
  kato: ORAL,
  address: 'г. Уральск, ул. Достык, 5, кв. 12',
  share: 1,
  habitable: true,
  acquiredAt,
  acquiredHow: 'PURCHASE' as const,
  ...(disposedAt ? { disposedAt, disposedHow: 'SALE' as const } : {}),
});

const people: FixturePerson[] = Array.from({ length: 9 }, () => cleanPerson());
const [clean, died, acquired, ownedBefore, disposed, laterDies] = people as [FixturePerson, FixturePerson, FixturePerson, FixturePerson, FixturePerson, FixturePerson];
died.persons = { ...died.persons!, deathDate: '2026-05-10' };
acquired.realEstate = { ownership: [dwelling('P-ACQ-1', '2025-08-20')], moveIns: [] };
ownedBefore.realEstate = { ownership: [dwelling('P-OLD-1', '2015-04-02')], moveIns: [] };
disposed.realEstate = { ownership: [dwelling('P-DIS-1', '2023-01-10', '2024-02-01')], moveIns: [] };
const fixture = (persons: FixturePerson[]): Fixture => ({ version: `reverification-${Date.now()}`, description: 'issue #11 §2 re-verification', persons });

let stack: Stack;
let dir: string;
const entryOf = new Map<string, string>();

beforeAll(async () => {
  stack = await startStack({ fixture: fixture(people) });
  dir = mkdtempSync(join(tmpdir(), 'hpc-reverify-'));
  const file = join(dir, 'unified.csv');
  writeFileSync(file, ['iin,kato,registered_at,categories,source_akimat', ...people.map((p) => `${p.iin},${ORAL},${REGISTERED_AT},,Орал қаласының әкімдігі`)].join('\n') + '\n');
  const summary = await importUnified(stack.pool, { file });
  expect(summary.loaded).toBe(people.length);
  const r = await stack.pool.query<{ id: string; applicant_iin: string }>(`SELECT id::text, applicant_iin FROM queue_entries WHERE applicant_iin = ANY($1)`, [people.map((p) => p.iin)]);
  for (const row of r.rows) entryOf.set(row.applicant_iin, row.id);
}, 180_000);

afterAll(async () => {
  await stack?.client.schedule.getHandle(REVERIFICATION_SCHEDULE.id).delete().catch(() => undefined);
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * A run to its end, in small batches so it continues as new on the way (`batchesPerRun` 2), or in
 * one run; with HPC_RECORD_HISTORIES=1 the history of its last run is kept as `record` for the
 * replay test.
 */
async function run(id: string, batchesPerRun = 2, record?: string): Promise<ReverificationProgress> {
  const handle = await stack.client.workflow.start('reverificationWorkflow', {
    workflowId: id,
    taskQueue: stack.settings.taskQueue,
    args: [{ batchSize: 4, batchesPerRun }],
  });
  const result = (await handle.result()) as ReverificationProgress;
  if (record) await recordRun(stack.client.workflow.getHandle(id), record, stack.payloadCodec);
  return result;
}

/** The removal case of the entry, if one was opened: its type and the input it was opened with. */
async function removalOf(iin: string): Promise<{ type: string; input: Record<string, unknown> } | undefined> {
  const handle = stack.client.workflow.getHandle(removalWorkflowId(entryOf.get(iin)!));
  try {
    const d = await handle.describe();
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0];
    const [decoded] = await stack.payloadCodec.decode([payload!]);
    return { type: d.type, input: JSON.parse(Buffer.from(decoded!.data!).toString('utf8')) as Record<string, unknown> };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

describe('re-verification of the register (issue #11 §2)', () => {
  let firstOpened = 0;

  it('a run reads every active entry in batches and opens a removal case only where a registry fact gives a ground', async () => {
    const progress = await run(`reverify-1-${Date.now()}`);
    expect(progress.finished).toBe(true);
    const total = Number((await stack.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM queue_entries WHERE status = 'ACTIVE'`)).rows[0]!.n);
    expect(progress.checked).toBe(total);

    const died_ = await removalOf(died.iin);
    expect(died_).toMatchObject({ type: 'removalWorkflow', input: { ground: 'DIED', entryId: entryOf.get(died.iin), openedBy: 'system:reverification', evidence: { registry: 'persons', facts: { deathDate: '2026-05-10' } } } });
    expect(died_!.input.applicationId).toBeUndefined(); // a migrated record has no application
    const acquired_ = await removalOf(acquired.iin);
    expect(acquired_).toMatchObject({ input: { ground: 'HOUSING_ACQUIRED', evidence: { registry: 'realEstate', facts: { ownership: [{ propertyId: 'P-ACQ-1' }] } } } });
    for (const p of [clean, ownedBefore, disposed, laterDies]) expect(await removalOf(p.iin)).toBeUndefined();
    // The cases are on record for the officer: a death straight to the officer's decision, acquired
    // housing with the preliminary decision and the hearing (APPC art. 73) first.
    const onRecord = async (iin: string) => {
      const until = Date.now() + 30_000;
      for (;;) {
        const r = await openRemovalOfEntry(stack.pool, entryOf.get(iin)!);
        if (r) return r;
        if (Date.now() > until) throw new Error(`no removal case on record for entry ${entryOf.get(iin)}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    expect(await onRecord(died.iin)).toMatchObject({ ground: 'DIED', opened_by: 'system:reverification', status: 'AWAITING_DECISION', application_id: null });
    expect(await onRecord(acquired.iin)).toMatchObject({ ground: 'HOUSING_ACQUIRED', status: 'HEARING_SCHEDULED', hearing_at: expect.any(Date) });

    // The run's progress as the operator reads it (db/reverification.ts, the Temporal query).
    const [row] = (await latestRuns(stack.pool, 5)).filter((r) => r.runId.startsWith('reverify-1-'));
    expect(row).toMatchObject({ total, checked: total, finishedAt: expect.any(String) });
    expect(row!.opened).toBe(progress.opened);
    expect(row!.opened).toBeGreaterThanOrEqual(2);
    firstOpened = row!.opened;
    // Only the fingerprint's hash is kept, for the two entries with a ground.
    const v = await stack.pool.query(`SELECT entry_id::text FROM entry_verifications WHERE entry_id = ANY($1::bigint[])`, [people.map((p) => entryOf.get(p.iin))]);
    expect(v.rows.map((x) => x.entry_id).sort()).toEqual([entryOf.get(died.iin), entryOf.get(acquired.iin)].sort());
  });

  it('a second run over unchanged registries opens nothing; a fact that changes later opens its case', async () => {
    const again = await run(`reverify-2-${Date.now()}`);
    expect(again.opened).toBe(0);
    const [row] = (await latestRuns(stack.pool, 5)).filter((r) => r.runId.startsWith('reverify-2-'));
    expect(row).toMatchObject({ changed: 0, opened: 0 });

    laterDies.persons = { ...laterDies.persons!, deathDate: '2026-11-30' };
    stack.sandbox.setFixture(fixture(people));
    // One run, no continue-as-new: its history (the child removal case started) is the replay test's.
    const third = await run(`reverify-3-${Date.now()}`, 1000, 'reverification-opens-removal');
    expect(third.opened).toBe(1);
    expect(await removalOf(laterDies.iin)).toMatchObject({ input: { ground: 'DIED', evidence: { facts: { deathDate: '2026-11-30' } } } });
    expect(firstOpened).toBeGreaterThan(0);
  });

  it('the Schedule is created once by the worker side, every 30 days, running reverificationWorkflow', async () => {
    expect(await ensureSchedule(stack.client, REVERIFICATION_SCHEDULE, stack.settings.taskQueue)).toBe(true);
    expect(await ensureSchedule(stack.client, REVERIFICATION_SCHEDULE, stack.settings.taskQueue)).toBe(false);
    const d = await stack.client.schedule.getHandle(REVERIFICATION_SCHEDULE.id).describe();
    expect(d.spec.intervals?.[0]?.every).toBe(30 * 86_400_000);
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reverificationWorkflow' });
  });
});
