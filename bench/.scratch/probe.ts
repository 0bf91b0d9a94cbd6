import { Client, Connection } from '@temporalio/client';
import { benchPopulation } from '../fixture';
import { closedLoop } from '../load';
import { Cleanup, startStack } from '../stack';
import { treeCpuSeconds } from '../procfs';

async function main(): Promise<void> {
  const log = (l: string): void => void process.stderr.write(`[probe] ${l}\n`);
  const cleanup = new Cleanup(log);
  const n = Number(process.argv[2] ?? 300);
  const conc = Number(process.argv[3] ?? 64);
  try {
    const { fixture } = benchPopulation(10, 'probe');
    const stack = await startStack({ fixture, registryLatencyMs: 20, taskQueue: 'probe', serviceEnv: process.env.PROBE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.PROBE_NODE_OPTIONS } : {}, log }, cleanup);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    cleanup.push('conn', () => connection.close());
    const client = new Client({ connection });
    const run = async (label: string, count: number): Promise<void> => {
      const t0 = Date.now();
      const c0 = [treeCpuSeconds(stack.worker.pid)!, treeCpuSeconds(stack.temporalPid!)!];
      await closedLoop(count, conc, async (i) => {
        await client.workflow.execute('baselineWorkflow', { taskQueue: 'probe', workflowId: `${label}-${i}`, args: [{ first: 2, second: 11 }] });
      });
      const s = (Date.now() - t0) / 1000;
      const c1 = [treeCpuSeconds(stack.worker.pid)!, treeCpuSeconds(stack.temporalPid!)!];
      log(`${label}: ${count} in ${s}s = ${(count / s).toFixed(1)}/s; worker cpu ${((c1[0] - c0[0]) / s).toFixed(2)}, temporal ${((c1[1] - c0[1]) / s).toFixed(2)}`);
    };
    await run('warm', 50);
    await run('main', n);
    for (const i of [100, 200]) {
      const h = await client.workflow.getHandle(`main-${i}`).fetchHistory();
      const evs = h.events ?? [];
      const t0 = Number(evs[0].eventTime!.seconds) * 1000 + evs[0].eventTime!.nanos! / 1e6;
      for (const e of evs) {
        const t = Number(e.eventTime!.seconds) * 1000 + e.eventTime!.nanos! / 1e6;
        console.log(String(e.eventId).padStart(3), (t - t0).toFixed(1).padStart(8), e.eventType);
      }
      console.log('---');
    }
  } finally {
    await cleanup.run();
  }
}
void main();
