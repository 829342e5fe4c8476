/**
 * Payment facts (docs/simulation.md): the share of placed orders that get paid, how soon, and with
 * which method. Pure data: used by the fate simulator, which the workflow sandbox may import.
 */
import type { PaymentMethod } from './order.js';

/** Share of each payment method among paid orders. */
export const PAYMENT_METHOD_SHARES: readonly (readonly [PaymentMethod, number])[] = [
  ['Bank Transfer', 0.57],
  ['Credit Card', 0.24],
  ['Digital Wallet', 0.19],
];

/** About 77 % of placed orders are paid; the rest time out when the payment window closes. */
export const PAID_SHARE = 0.77;
/** Of the paid orders, 63 % pay at once (within minutes); the rest within 0–2 days. */
export const PAY_AT_ONCE_SHARE = 0.63;
/** "At once" means within this many minutes of placing the order. */
export const PAY_AT_ONCE_MAX_MINUTES = 15;
export const PAY_LATER_MAX_HOURS = 48;
/** Payment window (docs/simulation.md); LifecycleOptions.paymentWindowHours overrides it. */
export const DEFAULT_PAYMENT_WINDOW_HOURS = 7 * 24;
