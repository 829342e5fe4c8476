/**
 * Sale events (docs/simulation.md): every month on the 14th–15th ("mid-month"), and at month end on
 * the 30th, or the 27th–29th in February ("month-end"). Each event has its own discount table
 * (0–50 % per SKU) and raises the largest quantity per line from 9 to 12 or 15. Calendar days are
 * Philippine days (UTC+8, no daylight saving). Tables derive from the run seed and the event, so
 * every order of one event sees the same prices. Pure: the workflow sandbox may import it.
 */
import { CATALOGUE } from './catalogue.js';
import { Rng } from './random.js';

export const PH_UTC_OFFSET_MS = 8 * 3600_000;

export const NORMAL_MAX_QUANTITY = 9;
export const SALE_MAX_QUANTITIES = [12, 15] as const;
export const MAX_DISCOUNT_PERCENT = 50;
/** Discounts come in steps of 5 %; about a quarter of the SKUs stay at full price in an event. */
const DISCOUNT_STEP = 5;
const UNDISCOUNTED_SHARE = 0.25;

export type SaleEventKind = 'mid-month' | 'month-end';

export interface SaleEvent {
  /** Unique per event, e.g. "2025-02-month-end": the key of its discount table. */
  key: string;
  kind: SaleEventKind;
}

export interface SaleTerms {
  event: SaleEvent;
  /** Largest quantity of one SKU per order during this event. */
  maxQuantity: number;
  /** Discount percent per SKU code (0–50). */
  discounts: ReadonlyMap<string, number>;
}

/** Year, month (1–12) and day of a moment on the Philippine calendar. */
export function manilaDay(date: Date): { year: number; month: number; day: number } {
  const d = new Date(date.getTime() + PH_UTC_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isMonthEndSaleDay(month: number, day: number): boolean {
  return month === 2 ? day >= 27 && day <= 29 : day === 30;
}

/** The sale event running at `date`, or undefined on an ordinary day. */
export function saleEventOn(date: Date): SaleEvent | undefined {
  const { year, month, day } = manilaDay(date);
  const ym = `${year}-${String(month).padStart(2, '0')}`;
  if (day === 14 || day === 15) return { key: `${ym}-mid-month`, kind: 'mid-month' };
  if (isMonthEndSaleDay(month, day)) return { key: `${ym}-month-end`, kind: 'month-end' };
  return undefined;
}

export function isSaleDay(date: Date): boolean {
  return saleEventOn(date) !== undefined;
}

/** The discount table and quantity limit of one event under one run seed. */
export function saleTerms(seed: string, event: SaleEvent): SaleTerms {
  const rng = Rng.keyed(seed, 'sale', event.key);
  const maxQuantity = rng.pick(SALE_MAX_QUANTITIES);
  const discounts = new Map<string, number>();
  for (const { sku } of CATALOGUE) {
    const pct = rng.chance(UNDISCOUNTED_SHARE) ? 0 : DISCOUNT_STEP * rng.int(1, MAX_DISCOUNT_PERCENT / DISCOUNT_STEP);
    discounts.set(sku, pct);
  }
  return { event, maxQuantity, discounts };
}
