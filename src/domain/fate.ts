/**
 * The fate of an order: whether and how it is paid, shipped and delivered, with the simulated
 * dates (docs/simulation.md). Deterministic: each stage draws from a generator keyed by
 * (seed, order id, stage), so a retried activity or a replayed workflow decides the same thing,
 * and each stage can be decided on its own from the real date of the previous one (for example
 * after a person paid through the payOrder update). Pure: no Node built-ins, no Math.random, no
 * clock, so it runs inside the workflow sandbox as well as in activities.
 */
import type { OrderStatus, PaymentMethod } from './order.js';
import {
  DEFAULT_PAYMENT_WINDOW_HOURS,
  PAID_SHARE,
  PAY_AT_ONCE_MAX_MINUTES,
  PAY_AT_ONCE_SHARE,
  PAY_LATER_MAX_HOURS,
  PAYMENT_METHOD_SHARES,
} from './payment.js';
import { Rng, WeightedTable } from './random.js';
import {
  CANCEL_BEFORE_DISPATCH_SHARE,
  DELIVERY_OUTCOME_SHARES,
  DISPATCH_HOURS,
  ETA_HOURS,
  FINISH_AROUND_ETA_HOURS,
  MIN_TRANSIT_HOURS,
  type DeliveryOutcome,
  type HourRange,
} from './shipping.js';

const HOUR_MS = 3600_000;

export type PaymentDecision =
  | { status: 'Paid'; method: PaymentMethod; /** ISO-8601 */ paymentDate: string }
  | { status: 'Timed Out'; /** When the payment window closed, ISO-8601. */ timedOutDate: string };

export type ShippingDecision =
  | { outcome: 'Shipped'; shippingId: string; shippedDate: string; eta: string }
  | { outcome: 'Cancelled'; /** Cancelled by the customer before dispatch, ISO-8601. */ cancelledDate: string };

export interface DeliveryDecision {
  outcome: DeliveryOutcome;
  finishedDate: string;
}

export interface OrderFate {
  payment: PaymentDecision;
  /** Absent when the order was never paid. */
  shipping?: ShippingDecision;
  /** Absent unless shipped. */
  delivery?: DeliveryDecision;
  /** The order_status the order ends with. */
  finalStatus: OrderStatus;
}

export interface PaymentOptions {
  /** Orders not paid inside this window time out (docs/simulation.md: 7 days). */
  paymentWindowHours?: number;
}

const METHODS = new WeightedTable(PAYMENT_METHOD_SHARES);
const DELIVERY_OUTCOMES = new WeightedTable(DELIVERY_OUTCOME_SHARES);

/** The generator of one stage of one order. */
export function stageRng(seed: string, orderId: string, stage: string): Rng {
  return Rng.keyed(seed, orderId, stage);
}

function toMs(date: string | Date): number {
  const ms = typeof date === 'string' ? Date.parse(date) : date.getTime();
  if (Number.isNaN(ms)) throw new Error(`fate: invalid date ${String(date)}`);
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function hoursIn(rng: Rng, range: HourRange): number {
  return rng.float(range.min, range.max) * HOUR_MS;
}

/** Whether the order gets paid, when (after `orderDate`) and how; or when it times out. */
export function decidePayment(seed: string, orderId: string, orderDate: string | Date, options: PaymentOptions = {}): PaymentDecision {
  const rng = stageRng(seed, orderId, 'payment');
  const placed = toMs(orderDate);
  const windowMs = (options.paymentWindowHours ?? DEFAULT_PAYMENT_WINDOW_HOURS) * HOUR_MS;
  // Draw everything up front so the numbers do not depend on which branch is taken.
  const pays = rng.chance(PAID_SHARE);
  const atOnce = rng.chance(PAY_AT_ONCE_SHARE);
  const delayMs = atOnce ? rng.float(0, PAY_AT_ONCE_MAX_MINUTES * 60_000) : rng.float(0, PAY_LATER_MAX_HOURS * HOUR_MS);
  const method = METHODS.pick(rng);
  if (!pays || delayMs > windowMs) return { status: 'Timed Out', timedOutDate: iso(placed + windowMs) };
  return { status: 'Paid', method, paymentDate: iso(placed + delayMs) };
}

/** Whether a paid order is dispatched or cancelled first; dispatch and ETA count from payment. */
export function decideShipping(seed: string, orderId: string, paymentDate: string | Date, express: boolean): ShippingDecision {
  const rng = stageRng(seed, orderId, 'shipping');
  const paid = toMs(paymentDate);
  const speed = express ? 'express' : 'standard';
  const shippedMs = paid + hoursIn(rng, DISPATCH_HOURS[speed]);
  const etaMs = paid + hoursIn(rng, ETA_HOURS[speed]);
  const cancelled = rng.chance(CANCEL_BEFORE_DISPATCH_SHARE);
  const cancelledMs = rng.float(paid, shippedMs);
  if (cancelled) return { outcome: 'Cancelled', cancelledDate: iso(cancelledMs) };
  // The id is derived from the order id: unique wherever the order id is, the same on every retry.
  return { outcome: 'Shipped', shippingId: `SHP${orderId}`, shippedDate: iso(shippedMs), eta: iso(etaMs) };
}

/** How a shipped order ends, and when (around its ETA, never before a minimal transit time). */
export function decideDelivery(seed: string, orderId: string, shippedDate: string | Date, eta: string | Date): DeliveryDecision {
  const rng = stageRng(seed, orderId, 'delivery');
  const outcome = DELIVERY_OUTCOMES.pick(rng);
  const finishedMs = Math.max(toMs(eta) + hoursIn(rng, FINISH_AROUND_ETA_HOURS), toMs(shippedDate) + MIN_TRANSIT_HOURS * HOUR_MS);
  return { outcome, finishedDate: iso(finishedMs) };
}

/** The whole lifecycle of an order, each stage chained on the simulated date of the one before. */
export function decideFate(seed: string, orderId: string, orderDate: string | Date, express: boolean, options: PaymentOptions = {}): OrderFate {
  const payment = decidePayment(seed, orderId, orderDate, options);
  if (payment.status === 'Timed Out') return { payment, finalStatus: 'Timed Out' };
  const shipping = decideShipping(seed, orderId, payment.paymentDate, express);
  if (shipping.outcome === 'Cancelled') return { payment, shipping, finalStatus: 'Cancelled' };
  const delivery = decideDelivery(seed, orderId, shipping.shippedDate, shipping.eta);
  return { payment, shipping, delivery, finalStatus: delivery.outcome };
}
