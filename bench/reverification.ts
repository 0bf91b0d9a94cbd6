/**
 * `npm run bench -- load` (bench/load-queue.ts), issue #11 §2: the periodic re-verification over
 * every active entry (the million loaded, the cases registered behind them) with the registries
 * answering each gateway call after the run's registry latency (20 ms by default). A few hundred
 * of the entries' persons are given a death in the persons registry first, so the run also opens
 * removal cases, as a real inventory does; the rest answer "no record" (no ground).
 *
 * The workflow runs on the benchmark's worker exactly as the Schedule would start it; the figure is
 * entries re-verified per second over the whole run (its wall time, from the start to the result).
 */
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { FixturePerson } from '../sandbox/fixture';
import { iinBirthDate, iinSex } from '../sandbox/iin-gen';
import type { ReverificationProgress } from '../workflows/reverification';
import { log, round1 } from './measure';
import type { Stack } from './stack';

export interface ReverifyOptions {
  /** Entries whose person is given a death before the run (each should open a removal case). */
  deaths: number;
  batchSize?: number;
  registryLatencyMs: number;
}

export async function reverifyAll(stack: Stack, pool: Pool, base: { persons: FixturePerson[]; version: string; description: string }, o: ReverifyOptions): Promise<Record<string, unknown>> {
  // Spread over the register: every n-th active migrated entry.
  const total = Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM queue_entries WHERE status = 'ACTIVE'`)).rows[0]!.n);
  const step = Math.max(1, Math.floor(total / Math.max(1, o.deaths)));
  const picked = await pool.query<{ applicant_iin: string }>(
    `SELECT applicant_iin FROM (SELECT applicant_iin, row_number() OVER (ORDER BY id) AS r FROM queue_entries WHERE status = 'ACTIVE' AND source = 'MIGRATED') x
      WHERE r % $1 = 0 LIMIT $2`,
    [step, o.deaths],
  );
  const dead: FixturePerson[] = picked.rows.map(({ applicant_iin: iin }) => ({
    iin,
    persons: {
      iin,
      surname: 'СЕРІКОВ',
      givenName: 'НҰРЛАН',
      birthDate: iinBirthDate(iin) ?? '1970-01-01',
      sex: iinSex(iin),
      citizenship: 'CITIZEN',
      deathDate: '2026-06-01',
      identityDocument: { number: '200000000', issuedAt: '2019-05-05' },
      address: { kato: '351010000', text: 'г. Караганда' },
    },
  }));
  stack.sandbox.setFixture({ ...base, version: `${base.version}+deaths`, persons: [...base.persons, ...dead] });
  log(`re-verification: ${total} active entries, ${dead.length} persons given a death in the persons registry`);

  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const client = new Client({ connection, dataConverter: stack.dataConverter });
    const workflowId = `bench-reverification-${Date.now()}`;
    const calls = (): { persons: number; realEstate: number } => {
      const g = stack.sandbox.app.sandbox.gatewayStats();
      return { persons: g.persons.batchCalls, realEstate: g.realEstate.batchCalls };
    };
    const callsBefore = calls();
    const started = performance.now();
    const progress = await client.workflow.execute('reverificationWorkflow', {
      workflowId,
      taskQueue: stack.taskQueue,
      args: [{ ...(o.batchSize ? { batchSize: o.batchSize } : {}) }],
    });
    const seconds = (performance.now() - started) / 1000;
    const p = progress as ReverificationProgress;
    const summary = {
      entries: p.checked,
      total: p.total,
      seconds: round1(seconds),
      entriesPerSec: Math.round(p.checked / seconds),
      registryLatencyMs: o.registryLatencyMs,
      batchSize: o.batchSize ?? 1000,
      deathsGiven: dead.length,
      removalCasesOpened: p.opened,
      // 50 IINs a call (the gateway's batch limit), several calls of a batch in flight at once.
      gatewayBatchCalls: { persons: calls().persons - callsBefore.persons, realEstate: calls().realEstate - callsBefore.realEstate },
    };
    log(`re-verification: ${summary.entries} entries in ${summary.seconds} s = ${summary.entriesPerSec}/s, ${summary.removalCasesOpened} removal cases opened`);
    return summary;
  } finally {
    await connection.close();
  }
}
