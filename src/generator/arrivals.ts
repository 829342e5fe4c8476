/**
 * When orders are placed. One arrival process serves a backfill and a live run alike: from a
 * start moment it walks forward in simulated time with random gaps (exponential above a 6-minute
 * floor, shorter on sale days, drifting every 400 orders), so a live run's orders per simulated
 * day match a backfill's. A backfill is the process over a closed window; a live run is the same
 * process without an end; the run's clock (src/domain/sim-clock.ts) decides when each one starts.
 * `volume` scales the model: every gap is divided by it and the drift comes every 400 × volume
 * orders, so the shape over time (sale days, growth) stays the model's. Everything is driven by
 * the seed and the start, so dates are repeatable.
 */
import { ARRIVALS } from '../domain/arrivals.js';
import { Rng } from '../domain/random.js';
import { isSaleDay } from '../domain/sales.js';

const MINUTE_MS = 60_000;
/** Largest volume a caller may set, and the most `spreadArrivals` scales the model by. */
export const MAX_VOLUME = 1_000_000_000;

export interface ArrivalClock {
  /** Date of the next order, or undefined when the window is over. */
  next(): Date | undefined;
  /** Share of the window covered so far (0..1), or undefined for an open-ended clock. */
  progress(): number | undefined;
}

/** The arrival model from `from`, until `to` when given (else without end), at `volume` × the model. */
export class ArrivalProcess implements ArrivalClock {
  private readonly rng: Rng;
  private current: number;
  private meanMs = ARRIVALS.initialMeanMinutes * MINUTE_MS;
  private issued = 0;
  private drifts = 0;

  constructor(
    seed: string,
    private readonly from: Date,
    private readonly to?: Date,
    private readonly volume = 1,
  ) {
    if (to && !(to.getTime() > from.getTime())) throw new RangeError('arrivals: window end must be after its start');
    if (!(volume > 0 && volume <= MAX_VOLUME)) throw new RangeError(`arrivals: volume must be above 0 and at most ${MAX_VOLUME}`);
    this.rng = Rng.keyed(seed, 'arrivals');
    this.current = from.getTime();
  }

  next(): Date | undefined {
    // One drift per 400 model orders: at volume 1 before the 401st, 801st, … order.
    while (this.drifts < Math.floor(this.issued / (ARRIVALS.driftEvery * this.volume))) this.drift();
    const minMs = ARRIVALS.minIntervalMinutes * MINUTE_MS;
    const mean = this.meanMs * (isSaleDay(new Date(this.current)) ? ARRIVALS.saleDayFactor : 1);
    // The floor plus an exponential excess: the gap averages `mean` but is never below the floor.
    const gap = (minMs + this.rng.exponential(Math.max(mean - minMs, MINUTE_MS))) / this.volume;
    const candidate = this.current + gap;
    if (this.to && candidate > this.to.getTime()) return undefined;
    this.current = candidate;
    this.issued++;
    return new Date(candidate);
  }

  progress(): number | undefined {
    if (!this.to) return undefined;
    return (this.current - this.from.getTime()) / (this.to.getTime() - this.from.getTime());
  }

  private drift(): void {
    const { min, max } = ARRIVALS.driftFactor;
    this.meanMs = Math.max(ARRIVALS.floorMeanMinutes * MINUTE_MS, this.meanMs * this.rng.float(min, max));
    this.drifts++;
  }
}

/** The model over a closed window at its own volume (tests and benchmarks use it by this name). */
export class BackfillClock extends ArrivalProcess {
  constructor(seed: string, from: Date, to: Date) {
    super(seed, from, to, 1);
  }
}

/**
 * Exactly `count` arrival moments (epoch ms, ascending) spread over [from, to] with the model's
 * shape: the process runs over the whole window (its volume raised until it holds at least
 * `count` arrivals), then a uniform random subset of exactly `count` is kept. Keeping each
 * arrival with the same chance leaves the shares of sale days, months and quarters as the model
 * makes them, only noisier for small counts.
 */
export function spreadArrivals(seed: string, from: Date, to: Date, count: number, volume = 1): number[] {
  let v = volume;
  for (;;) {
    const all: number[] = [];
    const process = new ArrivalProcess(seed, from, to, v);
    for (let d = process.next(); d; d = process.next()) all.push(d.getTime());
    if (all.length >= count) return selectUniformly(all, count, Rng.keyed(seed, 'arrivals-spread'));
    if (v >= MAX_VOLUME) throw new RangeError(`arrivals: ${count} orders do not fit between ${from.toISOString()} and ${to.toISOString()}`);
    v = Math.min(MAX_VOLUME, v * Math.max(1.25, (1.1 * count) / Math.max(all.length, 1)));
  }
}

/** Selection sampling (Knuth's algorithm S): `k` of `items` in their order, each subset equally likely. */
function selectUniformly(items: readonly number[], k: number, rng: Rng): number[] {
  const chosen: number[] = [];
  for (let i = 0; i < items.length && chosen.length < k; i++) {
    if (rng.next() * (items.length - i) < k - chosen.length) chosen.push(items[i] as number);
  }
  return chosen;
}

/** Moments given in advance (a spread backfill), as a clock over their window. */
export class ListedArrivals implements ArrivalClock {
  private index = 0;

  constructor(
    private readonly moments: readonly number[],
    private readonly from: Date,
    private readonly to: Date,
  ) {}

  next(): Date | undefined {
    const ms = this.moments[this.index];
    if (ms === undefined) return undefined;
    this.index++;
    return new Date(ms);
  }

  progress(): number {
    const last = this.index > 0 ? (this.moments[this.index - 1] as number) : this.from.getTime();
    return (last - this.from.getTime()) / (this.to.getTime() - this.from.getTime());
  }
}

/** Fixed-rate starts for benchmarks: the i-th order (0-based) is dated start + i / rate seconds. */
export class LiveClock implements ArrivalClock {
  private issued = 0;

  constructor(
    private readonly start: Date,
    private readonly ratePerSecond: number,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('LiveClock: rate must be positive');
  }

  next(): Date {
    const date = new Date(this.start.getTime() + Math.round((this.issued * 1000) / this.ratePerSecond));
    this.issued++;
    return date;
  }

  progress(): undefined {
    return undefined;
  }
}
