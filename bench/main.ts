/**
 * `npm run bench [-- <suite>] [options]`: one entry for every benchmark, each writing its figures to
 * bench/results/ (bench/README.md).
 *
 *   r71     (default) R7.1 throughput against the no-op baseline, latency at 20/s → latest.json
 *   load    1M queue entries: sustained R7.1 with p99 < 1 s, queue reads API vs SQL → load.json
 *   import  import-unified of 1M rows against a plain COPY → import.json
 *   rush    a launch rush: ≥ 5× the sustained R7.1 rate for 60 s through the API, then the drain → rush.json
 *   web     the citizen page's JavaScript (gzip) and first render on a 4× CPU-throttled Chromium → web.json
 *   all     import, r71, load, one after another (about 35 minutes)
 *
 * Options after the suite go to that suite (`npm run bench -- load --quick`). Each suite runs in its
 * own process so that one's stack is stopped before the next starts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nodeTsx } from '../scripts/node-tsx';

const ROOT = join(__dirname, '..');
const SUITES: Record<string, string> = {
  r71: 'bench/run.ts',
  load: 'bench/load-queue.ts',
  import: 'bench/import.ts',
  rush: 'bench/rush.ts',
  web: 'bench/web.ts',
};

function run(suite: string, args: string[]): number {
  // node --import tsx, not the tsx CLI, whose signal relay SIGKILLs a child slow to answer a Ctrl-C
  // (scripts/node-tsx.ts): a killed suite would leave its stack running.
  const { command, args: nodeArgs } = nodeTsx(join(ROOT, SUITES[suite]));
  const res = spawnSync(command, [...nodeArgs, ...args], { stdio: 'inherit', cwd: ROOT });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

function main(argv: string[]): number {
  const [first, ...rest] = argv;
  if (first === 'all') {
    // The suites' options differ (--rate is a probe ladder in load, a latency rate in r71): only
    // what means the same to all three is passed on.
    const unknown = rest.filter((a) => a !== '--quick');
    if (unknown.length > 0) {
      process.stderr.write(`"all" takes only --quick; give suite options to one suite (npm run bench -- <suite> ${unknown.join(' ')})\n`);
      return 1;
    }
    let worst = 0;
    for (const suite of ['import', 'r71', 'load']) worst = Math.max(worst, run(suite, rest));
    return worst;
  }
  if (first !== undefined && first in SUITES) return run(first, rest);
  if (first !== undefined && !first.startsWith('-')) {
    process.stderr.write(`unknown benchmark suite "${first}"; one of: ${Object.keys(SUITES).join(', ')}, all\n`);
    return 1;
  }
  return run('r71', argv);
}

process.exit(main(process.argv.slice(2)));
