/** The Temporal dev server stopped mid-load and started again on its database file. */
import type { ChaosScenario } from '../scenario';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const temporalRestart: ChaosScenario = {
  name: 'temporal-restart',
  fault: 'Temporal dev server stopped mid-load, restarted on the same SQLite file after a pause (5 s short, 20 s full)',
  async inject(ctx) {
    const t0 = Date.now();
    await ctx.stack.faults.stopTemporal();
    ctx.log('[temporal-restart] Temporal stopped');
    await sleep(ctx.short ? 5_000 : 20_000);
    await ctx.stack.faults.startTemporal();
    ctx.log('[temporal-restart] Temporal started again');
    return { figures: { temporalDownMs: Date.now() - t0 } };
  },
};
