/**
 * A small seeded pseudo-random generator for the sandbox and the population generator.
 *
 * Why not Math.random: tests and benchmarks must be able to replay the same failure draws and the
 * same synthetic population from a seed. sfc32 (seeded through splitmix32) is fast, has a 128-bit
 * state and passes the usual statistical batteries, which is plenty for test data.
 */

/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/** 32-bit FNV-1a hash, used to derive independent streams from one seed and a name. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any integer; `stream` names an independent sequence derived from the same seed. */
  constructor(seed: number, stream = '') {
    const init = splitmix32((Math.trunc(seed) ^ hashString(stream)) >>> 0);
    this.a = init();
    this.b = init();
    this.c = init();
    this.d = init();
    // Warm up so that close seeds do not give visibly correlated first draws.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A source function bound to this generator, for code that takes a plain `() => number`. */
  source(): RandomSource {
    return () => this.next();
  }
}

/**
 * Weighted choice with a precomputed cumulative table, so a hot loop (100k persons) does not
 * re-sum the weights on every draw.
 */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new Error('empty weighted table');
    this.items = entries.map(([item]) => item);
    this.cumulative = [];
    let sum = 0;
    for (const [, weight] of entries) {
      if (!(weight >= 0)) throw new Error('weights must be non-negative');
      sum += weight;
      this.cumulative.push(sum);
    }
    if (sum <= 0) throw new Error('weights must not all be zero');
    this.total = sum;
  }

  pick(random: RandomSource): T {
    const target = random() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}
