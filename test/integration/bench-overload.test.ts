/**
 * The benchmark survives its own overload (issue #14): a phase cut off by its budget is recorded
 * as such with what it measured, the earlier phases' figures are kept, the run exits non-zero
 * (3) after writing them, and nothing it started is left running; a run interrupted mid-phase
 * (SIGINT) also stops everything. Each run is a real `bench/rush.ts` with its own Temporal dev
 * server, embedded PostgreSQL (a temporary data folder), worker and API; every process it starts
 * inherits a marker in its environment, so an orphan is found by that marker in /proc.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeTsx } from '../../scripts/node-tsx';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const MARK = 'HPC_BENCH_TEST_MARK';

/** PIDs of live processes whose environment carries this run's marker. */
function marked(value: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (env.split('\0').includes(`${MARK}=${value}`)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or another user's
    }
  }
  return found;
}

async function noneLeft(value: string, withinMs = 20_000): Promise<number[]> {
  const until = Date.now() + withinMs;
  let left = marked(value);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    left = marked(value);
  }
  return left;
}

function runRush(args: string[], mark: string, onLine?: (line: string, child: ReturnType<typeof spawn>) => void) {
  const run = nodeTsx(join(ROOT, 'bench', 'rush.ts'));
  const child = spawn(run.command, [...run.args, ...args], {
    cwd: ROOT,
    env: { ...process.env, [MARK]: mark, DATABASE_URL: '', TEMPORAL_ADDRESS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffer = '';
  const take = (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      onLine?.(line, child);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  return { child, lines, exited };
}

const dirs: string[] = [];
/** The cluster's folder: under data/ (initdb runs as the postgres user, who cannot enter a private temp folder). */
function pgDir(): string {
  const d = join(ROOT, 'data', `rush-test-pg-${randomUUID().slice(0, 8)}`);
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('a phase past its budget: recorded with what it measured, earlier figures kept, exit 3, nothing left running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hpc-rush-test-'));
  dirs.push(dir);
  const mark = randomUUID();
  const out = join(dir, 'rush.json');
  // Registries at 300 ms: no case can be decided within the drain's 1 s budget.
  const { lines, exited } = runRush(
    [
      '--warmup', '2', '--sustained-max', '6', '--sustained-seconds', '15', '--factor', '1', '--rush-seconds', '2',
      '--registry-latency-ms', '300', '--drain-budget-seconds', '1', '--pg-data-dir', pgDir(), '--out', out,
    ],
    mark,
  );
  const code = await exited;
  expect({ code, tail: code === 3 ? '' : lines.slice(-30).join('\n') }).toEqual({ code: 3, tail: '' });
  expect(existsSync(out)).toBe(true);
  const r = JSON.parse(readFileSync(out, 'utf8'));
  expect(r.complete).toBe(false);
  expect(r.overran).toEqual(['drain']);
  expect(r.phases.drain.overran).toMatchObject({ budgetSec: 1 });
  // What the overrun phase measured, and the figures of the phases before it, are there.
  expect(typeof r.phases.drain.decided).toBe('number');
  expect(r.sustainedPerSec).toBeGreaterThan(0);
  expect(r.phases.warmup.decided).toBe(2);
  expect(r.submissions).toBeGreaterThan(0);
  expect(r.accepted).toBe(r.submissions);
  expect(r.lost).toBe(0);
  expect(lines.join('\n')).toMatch(/drain overran its budget/);
  expect(await noneLeft(mark)).toEqual([]);
});

test('interrupted mid-phase (SIGINT during the rush): everything it started is stopped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hpc-rush-test-'));
  dirs.push(dir);
  const mark = randomUUID();
  let sent = false;
  let during: number[] = [];
  const { exited } = runRush(
    [
      '--warmup', '2', '--sustained-max', '6', '--sustained-seconds', '15', '--factor', '2', '--rush-seconds', '60',
      '--pg-data-dir', pgDir(), '--out', join(dir, 'rush.json'),
    ],
    mark,
    (line, child) => {
      if (!sent && line.includes('phase 3/4 rush')) {
        sent = true;
        // A moment into the phase, with submissions in flight.
        setTimeout(() => {
          // The marker reaches what the run started (the check below would prove nothing otherwise).
          during = marked(mark);
          child.kill('SIGINT');
        }, 2_000);
      }
    },
  );
  const code = await exited;
  expect(sent).toBe(true);
  // The bench, Temporal, PostgreSQL (postmaster and its backends), the worker and the API at least.
  expect(during.length).toBeGreaterThanOrEqual(5);
  expect(code).toBe(130);
  expect(await noneLeft(mark)).toEqual([]);
});
