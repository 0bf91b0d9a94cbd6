/**
 * A launch rush with Temporal crashing in the middle of it (issue #14): the load is offered open
 * loop, faster than the machine decides (10/s short, 20/s full; the sustained R7.1 rate here is
 * about 4–6/s), and once a third of it is in, the Temporal dev server is SIGKILLed — no shutdown of
 * its own, as a crash or an OOM kill — kept down (45 s short, 120 s full) while the rest of the rush
 * arrives, and started again on the same SQLite file, as production's Temporal keeps its state
 * (bench/stack.ts runs the dev server with --db-filename; a restart of an in-memory server would
 * lose every run, which no production cluster does).
 *
 * What must hold besides the common audit (chaos/rush-audit.ts): every answer to every attempt is
 * a 202/200/201 or 4xx, or the documented 503 INTAKE_BUSY with Retry-After (retried by the client),
 * never another 5xx or no answer; each accepted case is on record with the receivedAt it was told,
 * its workflow started once from the intake outbox within a bound after Temporal is back, its place
 * in the queue by receipt order (receivedAt, receipt_seq) whatever order the workflows ran in; the
 * audit log's chain verifies; and no IIN, phone or name of the load reached the worker's, the API's
 * or Temporal's output.
 */
import { Connection } from '@temporalio/client';
import { verifyAudit } from '../../db/audit';
import { EXPECTED_OUTCOME } from '../fixture';
import { collectRush, rushFindings } from '../rush-audit';
import type { ChaosScenario, ScenarioContext } from '../scenario';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What of a person may never be printed: the IIN, the phone (with and without +), the full name. */
function personalNeedles(ctx: ScenarioContext): { needle: string; kind: string }[] {
  const out: { needle: string; kind: string }[] = [];
  for (const p of [...ctx.load, ...ctx.spare]) {
    out.push({ needle: p.iin, kind: 'IIN' }, { needle: p.mobile, kind: 'phone' }, { needle: p.mobile.replace(/^\+/, ''), kind: 'phone' });
    if (p.fullName) out.push({ needle: p.fullName, kind: 'name' });
  }
  return out;
}

/**
 * When the restarted server serves again: a fresh connection each time (no reconnect backoff of an
 * old channel in the way) describes the default namespace. Milliseconds after `from`, or null when
 * it did not within two minutes.
 */
async function servingAfter(address: string, from: number): Promise<number | null> {
  while (Date.now() - from < 120_000) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.withDeadline(Date.now() + 1_000, () => connection!.workflowService.describeNamespace({ namespace: 'default' }));
      return Date.now() - from;
    } catch {
      await sleep(200);
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  return null;
}

/**
 * How long Temporal stays down: HPC_CHAOS_TEMPORAL_DOWN_SECONDS, else 45 s short, 120 s full — long
 * enough for a gRPC channel's default reconnect backoff (growing ×1.6 from 1 s) to have grown past
 * the resumption bound (chaos/rush-audit.ts RESUME_BOUND_MS): with it, the starter sat idle 11–19 s
 * after a 45 s outage and 48 s after a 2-minute one (config/temporal.ts).
 */
function downMs(short: boolean): number {
  const told = Number(process.env.HPC_CHAOS_TEMPORAL_DOWN_SECONDS);
  return Number.isFinite(told) && told > 0 ? told * 1000 : short ? 45_000 : 120_000;
}

/** Per run of the scenario: the log watch and what it found (a scenario object is shared by runs). */
const watches = new WeakMap<ScenarioContext, { hits: { service: string; kind: string }[]; stop: () => void }>();

export const temporalRush: ChaosScenario = {
  name: 'temporal-rush',
  fault: 'a rush offered open loop (10/s short, 20/s full); a third in, the Temporal dev server SIGKILLed, down 45 s (120 s full), restarted on the same SQLite file',
  rushPerSecond: (short) => (short ? 10 : 20),
  async before(ctx) {
    const needles = personalNeedles(ctx);
    const hits: { service: string; kind: string }[] = [];
    const listener = (service: string, line: string): void => {
      for (const n of needles) {
        if (line.includes(n.needle)) {
          hits.push({ service, kind: n.kind });
          return;
        }
      }
    };
    ctx.stack.logListeners.add(listener);
    watches.set(ctx, { hits, stop: () => ctx.stack.logListeners.delete(listener) });
  },
  async inject(ctx) {
    const t0 = Date.now();
    await ctx.stack.faults.killTemporal();
    ctx.log('[temporal-rush] Temporal SIGKILLed');
    await sleep(downMs(ctx.short));
    await ctx.stack.faults.startTemporal();
    const temporalBackAt = Date.now();
    const servingMs = await servingAfter(ctx.stack.temporalAddress, temporalBackAt);
    ctx.log(`[temporal-rush] Temporal started again after ${temporalBackAt - t0} ms, serving ${servingMs} ms later`);
    return { figures: { temporalDownMs: temporalBackAt - t0, temporalServingAfterRestartMs: servingMs, temporalKilledAt: t0, temporalBackAt } };
  },
  async verify(ctx, { submissions, fault, pool }) {
    const watch = watches.get(ctx);
    watch?.stop();
    const pathOf = new Map([...ctx.load, ...ctx.spare].map((p) => [p.index, p.path]));
    const accepted = submissions.flatMap((s) =>
      s.outcome === 'accepted' && s.applicationId
        ? [{ applicationId: s.applicationId, index: s.index, ...(s.receivedAt ? { receivedAt: s.receivedAt } : {}), mustDecide: EXPECTED_OUTCOME[pathOf.get(s.index) ?? 'HEARING_WAITING'] !== undefined }]
        : [],
    );
    const { cases, missingRows } = await collectRush(pool, accepted);
    const auditChain = await verifyAudit(pool);
    const { figures, problems } = rushFindings({
      answers: ctx.client.submitAnswers,
      otherAnswers: ctx.client.answers,
      cases,
      missingRows,
      temporalBackAt: Number(fault.temporalBackAt),
      temporalKilledAt: Number(fault.temporalKilledAt),
      temporalServingAt: Number(fault.temporalBackAt) + Number(fault.temporalServingAfterRestartMs ?? 0),
      personalInLogs: watch?.hits ?? [],
      auditChain,
    });
    ctx.log(`[temporal-rush] ${JSON.stringify(figures)}`);
    return { figures: { rush: figures }, problems };
  },
};
