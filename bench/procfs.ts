/**
 * CPU time and peak memory of the benchmark's child processes, read from /proc (Linux only; on
 * other systems every figure is null). A service started through `tsx` is a small wrapper process
 * with the real Node process as its child, so figures are taken over a process tree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const PROC = '/proc';

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export function procAvailable(): boolean {
  return existsSync(`${PROC}/self/stat`);
}

interface StatLine {
  ppid: number;
  /** utime + stime of the process itself, seconds. */
  own: number;
  /** cutime + cstime: children it has waited for (a postmaster's ended backends), seconds. */
  reaped: number;
}

function readStat(pid: number): StatLine | undefined {
  try {
    const raw = readFileSync(`${PROC}/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14 → index 11.
    const t = ticksPerSecond();
    return {
      ppid: Number(fields[1]),
      own: (Number(fields[11]) + Number(fields[12])) / t,
      reaped: (Number(fields[13]) + Number(fields[14])) / t,
    };
  } catch {
    return undefined; // the process ended meanwhile
  }
}

/** The pid and all its living descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync(PROC)) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU seconds used so far by a process tree (living members plus the children they reaped). */
export function treeCpuSeconds(root: number, exclude: ReadonlySet<number> = new Set()): number | null {
  if (!procAvailable()) return null;
  let total = 0;
  for (const pid of processTree(root)) {
    if (exclude.has(pid) && pid !== root) continue;
    const stat = readStat(pid);
    if (stat) total += stat.own + stat.reaped;
  }
  return total;
}

/** CPU seconds of this process alone (the load generator and the in-process sandbox). */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`${PROC}/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Peak resident set (VmHWM) of the largest process in a tree, MB: the service itself, not its wrapper. */
export function treePeakRssMb(root: number): number | null {
  if (!procAvailable()) return null;
  const peak = Math.max(0, ...processTree(root).map((pid) => statusKb(pid, 'VmHWM')));
  return peak > 0 ? Math.round(peak / 102.4) / 10 : null;
}

/** Sum of the tree's VmHWM (e.g. a postmaster and its backends share memory, so this overstates), MB. */
export function treeRssMb(root: number): number | null {
  if (!procAvailable()) return null;
  const kb = processTree(root).reduce((s, pid) => s + statusKb(pid, 'VmRSS'), 0);
  return kb > 0 ? Math.round(kb / 102.4) / 10 : null;
}

export interface MachineCpu {
  at: number;
  /** Jiffy counters of all CPUs together, seconds. */
  busy: number;
  total: number;
}

/** Whole-machine CPU counters from /proc/stat (null elsewhere). */
export function machineCpu(): MachineCpu | null {
  if (!procAvailable()) return null;
  try {
    const line = readFileSync(`${PROC}/stat`, 'utf8').split('\n')[0];
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const t = ticksPerSecond();
    const idle = (f[3] + (f[4] ?? 0)) / t;
    const total = f.slice(0, 8).reduce((s, x) => s + x, 0) / t;
    return { at: Date.now(), busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Cores kept busy between two samples (all processes on the machine). */
export function machineCoresBusy(a: MachineCpu | null, b: MachineCpu | null): number | null {
  if (!a || !b || b.at <= a.at) return null;
  return (b.busy - a.busy) / ((b.at - a.at) / 1000);
}

