/** Percentiles and rates, computed from sorted arrays (no histogram library needed at these counts). */

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, min: NaN, mean: NaN };
  return {
    count: sorted.length,
    p50: round1(percentile(sorted, 50)),
    p95: round1(percentile(sorted, 95)),
    p99: round1(percentile(sorted, 99)),
    max: round1(sorted[sorted.length - 1]),
    min: round1(sorted[0]),
    mean: round1(sorted.reduce((s, v) => s + v, 0) / sorted.length),
  };
}

export interface SteadyRate {
  /** Completions per second between the first and the last completion of the steady window. */
  perSec: number;
  /** Completions in the window and the window's length. */
  windowCount: number;
  windowSec: number;
  /** Rate over all completions, first to last (includes ramp-up and drain). */
  overallPerSec: number;
}

/**
 * Sustained rate from completion instants (ms): the first and the last `trim` share are left out
 * (ramp-up and drain), and the rate is (completions − 1) / (last − first) over the rest.
 */
export function steadyRate(instantsMs: readonly number[], trim = 0.1): SteadyRate {
  const t = [...instantsMs].sort((a, b) => a - b);
  const n = t.length;
  const overallSec = n > 1 ? (t[n - 1] - t[0]) / 1000 : 0;
  const lo = Math.floor(n * trim);
  const hi = Math.ceil(n * (1 - trim)) - 1;
  if (hi - lo < 1) return { perSec: NaN, windowCount: 0, windowSec: 0, overallPerSec: NaN };
  const windowSec = (t[hi] - t[lo]) / 1000;
  return {
    perSec: round1((hi - lo) / windowSec),
    windowCount: hi - lo + 1,
    windowSec: round1(windowSec),
    overallPerSec: round1((n - 1) / overallSec),
  };
}

/** Completions per whole second of the window, for spotting stalls (min and max of the series). */
export function perSecondSeries(instantsMs: readonly number[]): number[] {
  if (instantsMs.length === 0) return [];
  const t0 = Math.min(...instantsMs);
  const buckets: number[] = [];
  for (const t of instantsMs) {
    const i = Math.floor((t - t0) / 1000);
    while (buckets.length <= i) buckets.push(0);
    buckets[i] += 1;
  }
  return buckets;
}
