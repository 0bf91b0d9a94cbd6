/**
 * A real multi-service Temporal cluster on this machine (issue #13 §3; development and measurement
 * only): the server built from source by scripts/install-temporal-server.sh (tools/bin), its schema
 * applied to PostgreSQL with its SQL tool from the module's schema/postgresql/v12, and the services
 * as separate processes — frontend, matching, two (or more) history hosts, the internal worker —
 * each with a config file derived from the module's config/development-postgres12.yaml (own ports,
 * own Prometheus endpoint, the shard count and database given here). Then the namespace with its
 * retention and the case search attributes.
 *
 * Each service runs in a process group of its own (a terminal's Ctrl-C does not reach it): the
 * caller stops it with `stop()`, and chaos kills and restarts single services (`kill`, `start`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../workflows/contract';

const run = promisify(execFile);

export const TEMPORAL_SERVER_VERSION = 'v1.32.2';

export interface ClusterOptions {
  root: string;
  /** PostgreSQL the cluster keeps its state in (a superuser: the tool creates the databases). */
  postgres: { host: string; port: number; user: string; password: string };
  /** Folder for the generated config files and the services' logs. */
  dir: string;
  historyHosts?: number;
  /** Fixed for the cluster's life (Temporal cannot change it later). */
  historyShards?: number;
  namespace?: string;
  retention?: string;
  /** Ports for the services (default lowFreePort). */
  freePort?: () => Promise<number>;
  log?: (line: string) => void;
}

export interface ServiceInfo {
  name: string;
  service: 'frontend' | 'matching' | 'history' | 'worker';
  pid: number | undefined;
  running: boolean;
  metricsUrl: string;
  logFile: string;
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  historyShards: number;
  /** frontend, matching, history-1, history-2, …, worker. */
  names(): string[];
  info(name: string): ServiceInfo;
  /** SIGKILL to one service (a crash). */
  kill(name: string): Promise<void>;
  /** Starts a stopped or killed service again with the same config. */
  start(name: string): Promise<void>;
  /** Living service pids, for CPU figures. */
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

/** The Go module folder of the server (its schema and configs), from the module cache. */
export function serverModuleDir(): string {
  const gomodcache = process.env.GOMODCACHE ?? join(process.env.GOPATH ?? join(homedir(), 'go'), 'pkg', 'mod');
  const dir = join(gomodcache, 'go.temporal.io', `server@${TEMPORAL_SERVER_VERSION}`);
  if (!existsSync(join(dir, 'schema', 'postgresql', 'v12'))) {
    throw new Error(`${dir} not found: run scripts/install-temporal-server.sh (it leaves the module in the Go module cache)`);
  }
  return dir;
}

export function serverBinaries(root: string): { server: string; sqlTool: string } {
  const server = join(root, 'tools', 'bin', 'temporal-server');
  const sqlTool = join(root, 'tools', 'bin', 'temporal-sql-tool');
  if (!existsSync(server) || !existsSync(sqlTool)) throw new Error('tools/bin/temporal-server not found: run `nice -n 10 bash scripts/install-temporal-server.sh` (10-18 min)');
  return { server, sqlTool };
}

/** Creates the two databases and brings both schemas to the module's latest version (idempotent). */
export async function applySchema(o: Pick<ClusterOptions, 'root' | 'postgres' | 'log'>): Promise<void> {
  const { sqlTool } = serverBinaries(o.root);
  const schema = join(serverModuleDir(), 'schema', 'postgresql', 'v12');
  const base = ['--plugin', 'postgres12', '--endpoint', o.postgres.host, '--port', String(o.postgres.port), '--user', o.postgres.user, '--password', o.postgres.password];
  for (const [db, folder] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
    const exists = await run(sqlTool, [...base, '--database', db, 'update-schema', '--schema-dir', join(schema, folder, 'versioned')]).then(
      () => true,
      () => false,
    );
    if (exists) {
      o.log?.(`temporal schema: ${db} up to date`);
      continue;
    }
    await run(sqlTool, [...base, '--database', db, 'create-database']).catch(() => undefined); // may exist without a schema
    await run(sqlTool, [...base, '--database', db, 'setup-schema', '-v', '0.0']);
    await run(sqlTool, [...base, '--database', db, 'update-schema', '--schema-dir', join(schema, folder, 'versioned')]);
    o.log?.(`temporal schema: ${db} created from ${join(folder, 'versioned')}`);
  }
}

export interface Ports {
  grpc: number;
  membership: number;
  http?: number;
  metrics: number;
}

/** One service's config: development-postgres12.yaml with this cluster's database, ports and shards. */
export function serviceConfig(
  base: Record<string, any>,
  o: ClusterOptions,
  all: Record<ServiceInfo['service'], Ports>,
  me: { service: ServiceInfo['service']; ports: Ports },
  dynamicConfig: string,
): string {
  const frontend = all.frontend;
  const c = structuredClone(base);
  c.log = { stdout: true, level: 'warn' };
  c.persistence.numHistoryShards = o.historyShards ?? 16;
  for (const store of Object.values(c.persistence.datastores) as { sql: Record<string, unknown> }[]) {
    store.sql.connectAddr = `${o.postgres.host}:${o.postgres.port}`;
    store.sql.user = o.postgres.user;
    store.sql.password = o.postgres.password;
  }
  c.global.pprof = { port: 0 };
  c.global.metrics.prometheus.listenAddress = `127.0.0.1:${me.ports.metrics}`;
  // Every service is listed (the membership monitor tracks the services of the config); this
  // process's own block carries its ports — for a second history host, its own. The others find
  // each other through the cluster_membership table, not through these ports.
  const block = (p: Ports): Record<string, unknown> => ({ rpc: { grpcPort: p.grpc, membershipPort: p.membership, bindOnLocalHost: true, ...(p.http ? { httpPort: p.http } : {}) } });
  c.services = {
    frontend: block(all.frontend),
    matching: block(all.matching),
    history: block(me.service === 'history' ? me.ports : all.history),
    worker: block(all.worker),
  };
  c.publicClient = { hostPort: `127.0.0.1:${frontend.grpc}` };
  c.clusterMetadata.clusterInformation.active.rpcAddress = `127.0.0.1:${frontend.grpc}`;
  c.archival = { history: { state: 'disabled' }, visibility: { state: 'disabled' } };
  c.namespaceDefaults = { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } };
  c.dynamicConfigClient = { filepath: dynamicConfig, pollInterval: '10s' };
  return stringify(c);
}

async function temporalCli(root: string, args: string[]): Promise<string> {
  const { stdout } = await run(join(root, 'tools', 'bin', 'temporal'), args, { timeout: 30_000 });
  return stdout;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A free port below 32768: Temporal keeps each host's membership port in a smallint column
 * (cluster_membership.rpc_port), so the kernel's ephemeral ports (32768+) cannot be used.
 */
export async function lowFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const candidate = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(candidate, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  throw new Error('no free port below 32768');
}

export async function startTemporalCluster(o: ClusterOptions): Promise<TemporalCluster> {
  const log = o.log ?? (() => undefined);
  const { server } = serverBinaries(o.root);
  mkdirSync(join(o.dir, 'logs'), { recursive: true });
  await applySchema(o);
  const base = parse(readFileSync(join(serverModuleDir(), 'config', 'development-postgres12.yaml'), 'utf8')) as Record<string, any>;
  const dynamicConfig = join(o.dir, 'dynamicconfig.yaml');
  // The dev server's defaults that the application relies on (updates, search attributes at start).
  writeFileSync(
    dynamicConfig,
    stringify({
      'frontend.enableUpdateWorkflowExecution': [{ value: true }],
      'frontend.enableUpdateWorkflowExecutionAsyncAccepted': [{ value: true }],
      'frontend.workerVersioningDataAPIs': [{ value: true }],
      'system.enableEagerWorkflowStart': [{ value: true }],
    }),
  );
  const port = o.freePort ?? lowFreePort;
  const frontend: Ports = { grpc: await port(), membership: await port(), http: await port(), metrics: await port() };
  const specs: { name: string; service: ServiceInfo['service']; ports: Ports }[] = [
    { name: 'frontend', service: 'frontend', ports: frontend },
    { name: 'matching', service: 'matching', ports: { grpc: await port(), membership: await port(), metrics: await port() } },
  ];
  for (let i = 1; i <= (o.historyHosts ?? 2); i++) {
    specs.push({ name: `history-${i}`, service: 'history', ports: { grpc: await port(), membership: await port(), metrics: await port() } });
  }
  specs.push({ name: 'worker', service: 'worker', ports: { grpc: await port(), membership: await port(), metrics: await port() } });

  const first = (service: ServiceInfo['service']): Ports => specs.find((s) => s.service === service)!.ports;
  const all = { frontend, matching: first('matching'), history: first('history'), worker: first('worker') };
  const children = new Map<string, { child: ChildProcess; exited: Promise<void> }>();
  const configs = new Map<string, string>();
  for (const s of specs) {
    const file = join(o.dir, `${s.name}.yaml`);
    writeFileSync(file, serviceConfig(base, o, all, s, dynamicConfig));
    configs.set(s.name, file);
  }
  const startOne = async (name: string): Promise<void> => {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no Temporal service ${name}`);
    const current = children.get(name);
    if (current && current.child.exitCode === null && current.child.signalCode === null) return;
    const out = createWriteStream(join(o.dir, 'logs', `${name}.log`), { flags: 'a' });
    await new Promise((r) => out.once('open', r));
    const child = spawn(server, ['--config-file', configs.get(name)!, '--allow-no-auth', 'start', '--service', spec.service], {
      stdio: ['ignore', out, out],
      detached: true,
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    children.set(name, { child, exited });
    log(`temporal ${name} started (pid ${child.pid}, grpc 127.0.0.1:${spec.ports.grpc}, metrics :${spec.ports.metrics})`);
  };
  const killOne = async (name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const c = children.get(name);
    if (!c || c.child.exitCode !== null || c.child.signalCode !== null) return;
    try {
      process.kill(-c.child.pid!, signal);
    } catch {
      c.child.kill(signal);
    }
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => killOne(name, 'SIGKILL'), 15_000);
    await c.exited;
    if (timer) clearTimeout(timer);
  };
  const stopAll = async (): Promise<void> => {
    // Frontend first (no new work), the worker and matching, the history hosts last.
    for (const name of ['frontend', 'worker', 'matching', ...specs.filter((s) => s.service === 'history').map((s) => s.name)]) await killOne(name, 'SIGTERM');
  };

  /** Listening on its gRPC port: the service got past its start-up (cluster metadata, membership). */
  const listening = async (name: string, timeoutMs: number): Promise<void> => {
    const spec = specs.find((s) => s.name === name)!;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = children.get(name);
      if (!c || c.child.exitCode !== null || c.child.signalCode !== null) throw new Error(`temporal ${name} exited; see ${join(o.dir, 'logs', `${name}.log`)}`);
      const ok = await new Promise<boolean>((resolve) => {
        const sock = connect(spec.ports.grpc, '127.0.0.1');
        sock.once('connect', () => {
          sock.destroy();
          resolve(true);
        });
        sock.once('error', () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`temporal ${name} did not listen within ${timeoutMs} ms; see ${join(o.dir, 'logs', `${name}.log`)}`);
      await sleep(250);
    }
  };

  try {
    // The first history host alone: on a fresh database it initialises the cluster metadata, which
    // services starting at the same moment race for (one of them fails with "failed to initialize
    // current cluster metadata"). Then the others, each checked to be listening.
    const [firstHistory, ...rest] = [specs.find((s) => s.service === 'history')!, ...specs.filter((s) => s !== specs.find((x) => x.service === 'history'))];
    await startOne(firstHistory.name);
    await listening(firstHistory.name, 60_000);
    for (const s of rest) await startOne(s.name);
    for (const s of rest) await listening(s.name, 60_000);
    const address = `127.0.0.1:${frontend.grpc}`;
    // The frontend answers health once it joined the ring with the history hosts and matching.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const ok = await temporalCli(o.root, ['operator', 'cluster', 'health', '--address', address]).then(
        (out) => out.includes('SERVING'),
        () => false,
      );
      if (ok) break;
      for (const [name, c] of children) {
        if (c.child.exitCode !== null) throw new Error(`temporal ${name} exited (code ${c.child.exitCode}); see ${join(o.dir, 'logs', `${name}.log`)}`);
      }
      if (Date.now() > deadline) throw new Error(`the Temporal frontend at ${address} was not SERVING within 120 s; logs in ${join(o.dir, 'logs')}`);
      await sleep(1000);
    }
    const namespace = o.namespace ?? 'default';
    const retention = o.retention ?? '72h';
    const describe = await temporalCli(o.root, ['operator', 'namespace', 'describe', '--namespace', namespace, '--address', address]).then(
      () => true,
      () => false,
    );
    if (!describe) {
      await temporalCli(o.root, ['operator', 'namespace', 'create', '--namespace', namespace, '--retention', retention, '--address', address]);
      log(`namespace ${namespace} created (retention ${retention})`);
    }
    // Every case search attribute, or the start fails loudly (no `|| true`): the API starts each case with them.
    const deadlineNs = Date.now() + 60_000;
    const existing = async (): Promise<string> =>
      temporalCli(o.root, ['operator', 'search-attribute', 'list', '--namespace', namespace, '--address', address, '--output', 'json']);
    let listed = '';
    for (;;) {
      try {
        listed = await existing();
        break;
      } catch (err) {
        if (Date.now() > deadlineNs) throw err;
        await sleep(1000); // the namespace reaches every frontend cache within seconds
      }
    }
    const missing = SEARCH_ATTRIBUTE_REGISTRATIONS.filter((sa) => !listed.includes(`"${sa.split('=')[0]}"`));
    for (const sa of missing) {
      const [name, type] = sa.split('=');
      await temporalCli(o.root, ['operator', 'search-attribute', 'create', '--namespace', namespace, '--name', name!, '--type', type!, '--address', address]);
    }
    const after = await existing();
    const absent = SEARCH_ATTRIBUTE_REGISTRATIONS.filter((sa) => !after.includes(`"${sa.split('=')[0]}"`));
    if (absent.length > 0) throw new Error(`search attributes not registered: ${absent.join(', ')}`);
    if (missing.length > 0) log(`search attributes registered: ${missing.join(' ')}`);
    return {
      address,
      namespace,
      historyShards: o.historyShards ?? 16,
      names: () => specs.map((s) => s.name),
      info(name) {
        const spec = specs.find((s) => s.name === name);
        if (!spec) throw new Error(`no Temporal service ${name}`);
        const c = children.get(name);
        return {
          name,
          service: spec.service,
          pid: c?.child.pid,
          running: !!c && c.child.exitCode === null && c.child.signalCode === null,
          metricsUrl: `http://127.0.0.1:${spec.ports.metrics}/metrics`,
          logFile: join(o.dir, 'logs', `${name}.log`),
        };
      },
      kill: (name) => killOne(name, 'SIGKILL'),
      async start(name) {
        await startOne(name);
        await listening(name, 60_000);
      },
      pids() {
        const out: Record<string, number> = {};
        for (const [name, c] of children) if (c.child.exitCode === null && c.child.signalCode === null && c.child.pid) out[name] = c.child.pid;
        return out;
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
