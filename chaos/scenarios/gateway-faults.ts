/**
 * The gateway sandbox answering 30 % errors after 2 s on every registry and the SMS gateway for
 * the whole load, and one registry (realEstate, which every case reads) down mid-load for 5 minutes
 * (20 s in the short version). Cases must wait visibly (WAITING_REGISTRY, WaitingOn=registry:…)
 * and never be refused or registered on missing facts.
 */
import type { ChaosScenario } from '../scenario';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const DOWN = 'realEstate';

export const gatewayFaults: ChaosScenario = {
  name: 'gateway-faults',
  fault: `gateway: 30 % errors and 2 s latency on every call; ${DOWN} down mid-load (20 s short, 5 min full)`,
  async before(ctx) {
    ctx.stack.sandbox.settings.update({ default: { errorRate: 0.3, latencyMs: 2000, latencyJitterMs: 0 } });
  },
  async inject(ctx) {
    const downMs = ctx.short ? 20_000 : 300_000;
    ctx.stack.sandbox.settings.update({ [DOWN]: { down: true } });
    ctx.log(`[gateway-faults] ${DOWN} down for ${downMs / 1000} s`);
    await sleep(downMs);
    ctx.stack.sandbox.settings.update({ [DOWN]: { down: false } });
    ctx.log(`[gateway-faults] ${DOWN} back`);
    const stats = ctx.stack.sandbox.app.sandbox.gatewayStats();
    const unavailable = Object.values(stats).reduce((n, s) => n + s.unavailable, 0);
    return { figures: { registryDownMs: downMs, registryAnswers503: unavailable, sms: ctx.stack.sandbox.sms.stats() } };
  },
  async after(ctx) {
    // Errors and latency stay until the load is submitted and its paths followed; quiescence is
    // measured with the gateway healthy again, as an operator would after an incident.
    ctx.stack.sandbox.settings.update({ default: { errorRate: 0, latencyMs: 5 } });
  },
};
