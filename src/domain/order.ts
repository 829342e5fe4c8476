/**
 * The order document: the value of every lifecycle message (docs/order-document.md).
 * Field names follow the original pipeline so its SQL and dashboards carry over.
 * Pure types and constants only: the workflow sandbox imports this file.
 */

/** Every status an order can have; the last three are failures (topic failed_orders). */
export const ORDER_STATUSES = ['Processing', 'Shipped', 'Delivered', 'Timed Out', 'Cancelled', 'Returned'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const FAILED_STATUSES: readonly OrderStatus[] = ['Timed Out', 'Cancelled', 'Returned'];

export const PAYMENT_METHODS = ['Bank Transfer', 'Credit Card', 'Digital Wallet'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * The document's types, inferred from its one schema (order-schema.ts), which also says what each
 * field holds. Type-only: the schema imports the constants above, not the other way round.
 */
export type { CustomerInfo, ItemLine, Order, PaymentInfo, PaymentStatus, ShippingInfo } from './order-schema.js';

/** Lifecycle stages, each emitting to one topic (failures to failed_orders). */
export const STAGES = ['place', 'payment', 'shipping', 'delivery'] as const;
export type Stage = (typeof STAGES)[number];

/** Version of the message layout, sent as a header so consumers can evolve. */
export const ORDER_SCHEMA_VERSION = '1';

/** Kafka header names on every lifecycle message. */
export const HEADERS = {
  eventId: 'event-id',
  stage: 'stage',
  schemaVersion: 'schema-version',
} as const;

/** ISO-8601 as the pipeline writes it (Date.toISOString): a date, a `T`, a time. */
export function isIsoDate(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));
}

/** Money arithmetic in whole cents, so totals add up exactly. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}

export function isFailedStatus(status: OrderStatus): boolean {
  return FAILED_STATUSES.includes(status);
}
