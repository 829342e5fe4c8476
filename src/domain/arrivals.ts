/**
 * Order arrival facts (docs/simulation.md): intervals shrink on sale days, and every 400 orders the
 * volume drifts, mostly upward (the shop grows); backfilled history never has two orders closer
 * than about 6 minutes.
 */
export const ARRIVALS = {
  /** Smallest gap between consecutive backfilled orders. */
  minIntervalMinutes: 6,
  /** Mean gap at the start of a backfill. */
  initialMeanMinutes: 45,
  /** The mean gap never drifts below this, so the 6-minute floor stays a floor, not the norm. */
  floorMeanMinutes: 9,
  /** The mean gap drifts once per this many orders… */
  driftEvery: 400,
  /** …multiplied by a factor drawn from this range: 75 % of drifts shorten it (more volume). */
  driftFactor: { min: 0.88, max: 1.04 },
  /** On sale days the mean gap is multiplied by this. */
  saleDayFactor: 0.4,
} as const;
