/**
 * Simulated time of one order. Simulated dates always come from the order date plus the offsets
 * the activities decided; this clock only says how long to wait for them in real time, and what
 * simulated moment a person's action (payOrder, cancelOrder) happened at.
 *
 * `scaled`: simulated time runs `speed` times faster than the workflow's clock, from the order
 * date at the workflow's start. The workflow clock (Date.now() inside the sandbox) is the
 * replay-safe time of the workflow task, so the same history always maps to the same dates.
 * `scaled` with the run's clock (an anchor): the simulated now is the run's, read from the anchor
 * at the workflow's real now (never before the last date reached), so past dates happen at once.
 * `skip`: nothing waits; "now" is the last simulated date the lifecycle reached.
 */
import { simulatedNow, type SimClockAnchor } from '../domain/sim-clock.js';
import type { TimeMode } from './contract.js';

export class SimClock {
  private reachedMs: number;

  constructor(
    private readonly mode: TimeMode,
    private readonly speed: number,
    private readonly orderDateMs: number,
    private readonly startRealMs: number,
    private readonly anchor?: SimClockAnchor,
  ) {
    this.reachedMs = orderDateMs;
  }

  /** The simulated now, given the workflow's (replay-safe) real now. */
  now(realNowMs: number): number {
    if (this.mode === 'skip') return this.reachedMs;
    if (this.anchor) return Math.max(this.reachedMs, simulatedNow(this.anchor, realNowMs));
    return Math.max(this.reachedMs, this.orderDateMs + (realNowMs - this.startRealMs) * this.speed);
  }

  /** Real milliseconds to wait until the simulated `targetMs`; 0 in skip mode or when already past. */
  realDelayMs(targetMs: number, realNowMs: number): number {
    if (this.mode === 'skip') return 0;
    const speed = this.anchor?.speed ?? this.speed;
    return Math.max(0, Math.ceil((targetMs - this.now(realNowMs)) / speed));
  }

  /** Records that the lifecycle reached a simulated date (stages only move forward). */
  advanceTo(dateMs: number): void {
    this.reachedMs = Math.max(this.reachedMs, dateMs);
  }
}
