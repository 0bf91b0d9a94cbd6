import { combineRuns } from '../../bench/repeat';

const run = (at: string, ratio: number, p99: number) => ({
  throughputPerSec: ratio * 20,
  baselineThroughputPerSec: 20,
  ratio,
  latencyMs: { p50: p99 / 2, p99 },
  errors: 0,
  representative: true,
  at,
  phases: { marker: at },
});

describe('bench --repeat: combining runs', () => {
  it('records the run with the median ratio whole, and the spread of every run', () => {
    const combined = combineRuns([run('a', 0.82, 900), run('b', 0.62, 1200), run('c', 0.7, 800)]) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads nested JSON
    expect(combined.at).toBe('c');
    expect(combined.ratio).toBe(0.7);
    expect(combined.phases).toEqual({ marker: 'c' }); // a real run, not an average
    expect(combined.repeats.ratio).toEqual({ min: 0.62, median: 0.7, max: 0.82 });
    expect(combined.repeats.latencyP99Ms).toEqual({ min: 800, median: 900, max: 1200 });
    expect(combined.repeats.each.map((e: { at: string }) => e.at)).toEqual(['a', 'b', 'c']);
  });

  it('takes the lower median of an even number of runs', () => {
    const combined = combineRuns([run('a', 0.8, 1), run('b', 0.6, 1), run('c', 0.7, 1), run('d', 0.9, 1)]);
    expect(combined.at).toBe('c');
  });
});
