/**
 * When orders are placed. A backfill walks from a past moment to the end of its window with
 * random gaps (exponential above a 6-minute floor, shorter on sale days, drifting every 400
 * orders); a live run places orders at a fixed rate from its start. Both are driven only by
 * the seed and their start, so dates are repeatable.
 */
import { ARRIVALS } from '../domain/arrivals.js';
import { Rng } from '../domain/random.js';
import { isSaleDay } from '../domain/sales.js';

const MINUTE_MS = 60_000;

export interface ArrivalClock {
  /** Date of the next order, or undefined when the window is over. */
  next(): Date | undefined;
  /** Share of the window covered so far (0..1), or undefined for an open-ended clock. */
  progress(): number | undefined;
}

export class BackfillClock implements ArrivalClock {
  private readonly rng: Rng;
  private current: number;
  private meanMs = ARRIVALS.initialMeanMinutes * MINUTE_MS;
  private issued = 0;

  constructor(
    seed: string,
    private readonly from: Date,
    private readonly to: Date,
  ) {
    if (!(to.getTime() > from.getTime())) throw new RangeError('BackfillClock: window end must be after its start');
    this.rng = Rng.keyed(seed, 'arrivals');
    this.current = from.getTime();
  }

  next(): Date | undefined {
    if (this.issued > 0 && this.issued % ARRIVALS.driftEvery === 0) this.drift();
    const minMs = ARRIVALS.minIntervalMinutes * MINUTE_MS;
    const mean = this.meanMs * (isSaleDay(new Date(this.current)) ? ARRIVALS.saleDayFactor : 1);
    // The floor plus an exponential excess: the gap averages `mean` but is never below the floor.
    const gap = minMs + this.rng.exponential(Math.max(mean - minMs, MINUTE_MS));
    const candidate = this.current + gap;
    if (candidate > this.to.getTime()) return undefined;
    this.current = candidate;
    this.issued++;
    return new Date(candidate);
  }

  progress(): number {
    return (this.current - this.from.getTime()) / (this.to.getTime() - this.from.getTime());
  }

  private drift(): void {
    const { min, max } = ARRIVALS.driftFactor;
    this.meanMs = Math.max(ARRIVALS.floorMeanMinutes * MINUTE_MS, this.meanMs * this.rng.float(min, max));
  }
}

/** Live orders: the i-th order (0-based) is dated start + i / rate seconds, its scheduled moment. */
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
