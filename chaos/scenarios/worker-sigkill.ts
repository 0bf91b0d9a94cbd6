/** The worker killed with SIGKILL mid-load (no graceful shutdown), then started again. */
import type { ChaosScenario } from '../scenario';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const workerSigkill: ChaosScenario = {
  name: 'worker-sigkill',
  fault: 'worker SIGKILLed mid-load, restarted after a pause (5 s short, 15 s full)',
  async inject(ctx) {
    const t0 = Date.now();
    await ctx.stack.faults.killWorker();
    ctx.log('[worker-sigkill] worker killed');
    await sleep(ctx.short ? 5_000 : 15_000);
    await ctx.stack.faults.startWorker();
    return { figures: { workerDownMs: Date.now() - t0 } };
  },
};
