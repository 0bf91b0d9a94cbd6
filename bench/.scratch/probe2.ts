import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { importEsm } from '../../cli/esm';
import { createPool } from '../../db/pool';
import { createWorker } from '../../worker/create-worker';
import { closedLoop } from '../load';

interface TemporalTools {
  startTemporalDev(o: { root: string; port: number; dbFile?: string }): Promise<{ address: string; stop(): Promise<void> }>;
  freePort(): Promise<number>;
}
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const tools = await importEsm<TemporalTools>(join(root, 'scripts', 'temporal-dev.mjs'));
  const t = await tools.startTemporalDev({ root, port: await tools.freePort(), dbFile: `/tmp/probe2-${process.pid}.db` });
  Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } } });
  const nc = await NativeConnection.connect({ address: t.address });
  const pool = createPool('postgres://nobody@127.0.0.1:1/none', 1);
  const extra = process.env.PROBE_OPTS ? JSON.parse(process.env.PROBE_OPTS) : {};
  const worker = await createWorker({ connection: nc, pool, gatewayUrl: 'http://127.0.0.1:1', taskQueue: 'p2', options: extra });
  const running = worker.run();
  const conn = await Connection.connect({ address: t.address });
  const client = new Client({ connection: conn });
  const wf = process.env.PROBE_WF ?? 'baselineWorkflow';
  const run = async (label: string, n: number): Promise<void> => {
    const t0 = Date.now(); const c0 = process.cpuUsage();
    await closedLoop(n, 64, async (i) => { await client.workflow.execute(wf, { taskQueue: 'p2', workflowId: `${label}-${i}`, args: [{ first: 2, second: 11 }] }); });
    const s = (Date.now() - t0) / 1000; const c = process.cpuUsage(c0);
    console.log(`${label}: ${n} in ${s}s = ${(n / s).toFixed(1)}/s, this process cpu ${((c.user + c.system) / 1e6 / s).toFixed(2)} cores, ${((c.user + c.system) / 1e3 / n).toFixed(1)} ms/wf`);
  };
  await run('warm', 100);
  await run('main', Number(process.argv[2] ?? 500));
  worker.shutdown(); await running; await conn.close(); await nc.close(); await t.stop();
}
void main();
