/** PostgreSQL stopped mid-load (fast shutdown: connections cut) and started again. */
import type { ChaosScenario } from '../scenario';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const postgresRestart: ChaosScenario = {
  name: 'postgres-restart',
  fault: 'PostgreSQL stopped mid-load (fast shutdown), restarted on the same data folder after a pause (5 s short, 20 s full)',
  async inject(ctx) {
    const t0 = Date.now();
    await ctx.stack.faults.stopPostgres();
    ctx.log('[postgres-restart] PostgreSQL stopped');
    await sleep(ctx.short ? 5_000 : 20_000);
    await ctx.stack.faults.startPostgres();
    ctx.log('[postgres-restart] PostgreSQL started again');
    return { figures: { postgresDownMs: Date.now() - t0 } };
  },
};
