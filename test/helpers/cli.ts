import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface CliRun {
  status: number | null;
  json: unknown;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a user would (`npx tsx cli/hpc.ts ...`); stdout parsed as JSON if it is. */
export function hpc(...args: string[]): CliRun {
  const r = spawnSync('npx', ['tsx', 'cli/hpc.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI never prints a stack trace, on stdout or stderr. */
export function expectNoStackTrace(r: CliRun): void {
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/\n\s+at /);
}
