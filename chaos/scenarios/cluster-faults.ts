/**
 * Faults of a multi-service Temporal cluster (issue #13 §3; `npm run chaos -- --temporal cluster`):
 * a history host SIGKILLed mid-load and restarted (its shards move to the other host and back), and
 * matching killed and restarted (task queues unserved meanwhile). Only on a cluster stack.
 */
import type { ChaosScenario } from '../scenario';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const historySigkill: ChaosScenario = {
  name: 'history-sigkill',
  fault: 'one of two Temporal history hosts SIGKILLed mid-load, restarted after a pause (10 s short, 30 s full)',
  async inject(ctx) {
    const t0 = Date.now();
    await ctx.stack.faults.killTemporalService('history-1');
    ctx.log('[history-sigkill] history-1 killed');
    await sleep(ctx.short ? 10_000 : 30_000);
    await ctx.stack.faults.startTemporalService('history-1');
    ctx.log('[history-sigkill] history-1 started again');
    return { figures: { historyHostDownMs: Date.now() - t0 } };
  },
};

export const matchingKill: ChaosScenario = {
  name: 'matching-kill',
  fault: 'the Temporal matching service SIGKILLed mid-load, restarted after a pause (10 s short, 30 s full)',
  async inject(ctx) {
    const t0 = Date.now();
    await ctx.stack.faults.killTemporalService('matching');
    ctx.log('[matching-kill] matching killed');
    await sleep(ctx.short ? 10_000 : 30_000);
    await ctx.stack.faults.startTemporalService('matching');
    ctx.log('[matching-kill] matching started again');
    return { figures: { matchingDownMs: Date.now() - t0 } };
  },
};
