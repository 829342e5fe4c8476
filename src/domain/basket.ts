/**
 * What goes into an order (docs/simulation.md): 1–5 distinct SKUs, sometimes fewer or more
 * (variety ±1–3), and quantities tied to price: expected quantity ≈ max × (1 − price/1000) with
 * Gaussian noise, clamped to 1..max. Pure: the workflow sandbox may import it.
 */
import type { Rng } from './random.js';

export const BASE_VARIETY = { min: 1, max: 5 } as const;
/** Share of orders whose variety moves by 1–3 SKUs up or down. */
export const VARIETY_JITTER_SHARE = 0.2;
export const VARIETY_JITTER_MAX = 3;
/** Hard bounds after jitter. */
export const VARIETY_BOUNDS = { min: 1, max: 8 } as const;
export const QUANTITY_NOISE_SD = 1.5;

/** How many distinct SKUs an order gets. */
export function drawVariety(rng: Rng): number {
  let variety = rng.int(BASE_VARIETY.min, BASE_VARIETY.max);
  if (rng.chance(VARIETY_JITTER_SHARE)) {
    const shift = rng.int(1, VARIETY_JITTER_MAX);
    variety += rng.chance(0.5) ? shift : -shift;
  }
  return Math.min(VARIETY_BOUNDS.max, Math.max(VARIETY_BOUNDS.min, variety));
}

/** Mean quantity before noise: cheap items sell in larger numbers. */
export function expectedQuantity(listPrice: number, maxQuantity: number): number {
  return maxQuantity * (1 - listPrice / 1000);
}

/** Quantity of one line: expected value plus Gaussian noise, rounded and clamped to 1..max. */
export function drawQuantity(rng: Rng, listPrice: number, maxQuantity: number): number {
  const q = Math.round(rng.gaussian(expectedQuantity(listPrice, maxQuantity), QUANTITY_NOISE_SD));
  return Math.min(maxQuantity, Math.max(1, q));
}
