/**
 * Shipping and delivery facts (docs/simulation.md). Hours are simulated hours after payment.
 * Pure data: used by the fate simulator, which the workflow sandbox may import.
 */

/** Share of orders with express shipping, decided when the order is placed. */
export const EXPRESS_SHARE = 0.4;
/** Share of paid orders the customer cancels before dispatch. */
export const CANCEL_BEFORE_DISPATCH_SHARE = 0.05;

export interface HourRange {
  min: number;
  max: number;
}

/** Dispatch (shipped_date) after payment. */
export const DISPATCH_HOURS: Readonly<Record<'express' | 'standard', HourRange>> = {
  express: { min: 12, max: 36 },
  standard: { min: 24, max: 60 },
};

/** Promised delivery (eta) after payment. */
export const ETA_HOURS: Readonly<Record<'express' | 'standard', HourRange>> = {
  express: { min: 3 * 24, max: 5 * 24 },
  standard: { min: 5 * 24, max: 10 * 24 },
};

/** How shipped orders end. */
export const DELIVERY_OUTCOME_SHARES = [
  ['Delivered', 0.95],
  ['Cancelled', 0.035],
  ['Returned', 0.015],
] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOME_SHARES)[number][0];

/** finished_date falls between ETA − 48 h and ETA + 36 h. */
export const FINISH_AROUND_ETA_HOURS: HourRange = { min: -48, max: 36 };
/** A parcel is never finished sooner than this after dispatch, whatever the ETA draw says. */
export const MIN_TRANSIT_HOURS = 6;
