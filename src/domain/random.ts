/**
 * Seeded pseudo-random numbers for the simulation. Pure (no Node built-ins, no Math.random), so the
 * workflow sandbox, activities and the generator all draw the same numbers from the same seed.
 * xmur3 hashes a string key into 32-bit seeds; mulberry32 is a small, fast 32-bit generator with a
 * full 2^32 period, plenty for per-order draws.
 */

/** xmur3: a string hash that yields a stream of well-mixed 32-bit values. */
export function xmur3(key: string): () => number {
  let h = 1779033703 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
}

/** A 32-bit hash of a string key, e.g. to seed faker. */
export function hash32(key: string): number {
  return xmur3(key)();
}

/** mulberry32: uniform floats in [0, 1) from a 32-bit state. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Convenience draws over a uniform source. */
export class Rng {
  private spareGaussian: number | undefined;

  constructor(private readonly uniform: () => number) {}

  /** A generator keyed by any parts, e.g. (seed, orderId, 'payment'): same parts, same numbers. */
  static keyed(...parts: readonly (string | number)[]): Rng {
    return new Rng(mulberry32(hash32(parts.join('|'))));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uniform();
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.uniform();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.uniform() * items.length)] as T;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  gaussian(mean = 0, sd = 1): number {
    if (this.spareGaussian !== undefined) {
      const z = this.spareGaussian;
      this.spareGaussian = undefined;
      return mean + sd * z;
    }
    const u = 1 - this.uniform(); // (0, 1]: log(0) never happens
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** A random digit string of the given length (leading zeros allowed). */
  digits(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += Math.floor(this.uniform() * 10).toString();
    return s;
  }
}

/** Picks from a fixed list by weight in O(log n); weights need not sum to 1. */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: readonly number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error('WeightedTable: no entries');
    let sum = 0;
    const cumulative: number[] = [];
    for (const [, w] of entries) {
      if (!(w >= 0)) throw new Error(`WeightedTable: bad weight ${w}`);
      sum += w;
      cumulative.push(sum);
    }
    if (sum <= 0) throw new Error('WeightedTable: weights sum to 0');
    this.items = entries.map(([item]) => item);
    this.cumulative = cumulative;
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}
