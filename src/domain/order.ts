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

export type PaymentStatus = 'Unpaid' | 'Paid' | 'Timed Out';

export interface CustomerInfo {
  customer_id: string;
  customer_name: string;
  company: string;
  email: string;
  street_address: string;
  /** Local government unit: a city of Metro Manila or a province. */
  lgu: string;
  /** ISO 3166-2:PH code of the province; Metro Manila is PH-00. */
  provincial_code: string;
  contact_number: string;
}

export interface PaymentInfo {
  payment_status: PaymentStatus;
  payment_method: PaymentMethod | null;
  /** ISO-8601 timestamp; null until paid. */
  payment_date: string | null;
}

export interface ShippingInfo {
  shipping_id: string | null;
  express_shipping: boolean;
  order_status: OrderStatus;
  shipped_date: string | null;
  eta: string | null;
  finished_date: string | null;
}

export interface ItemLine {
  line_no: number;
  sku: string;
  /** Unit price after the sale discount, PHP with two decimals. */
  unit_price: number;
  quantity: number;
  discount_percent: number;
  /** unit_price × quantity, rounded to the cent. */
  subtotal: number;
}

export interface Order {
  /** Numeric string, unique per Temporal namespace; the Kafka key. */
  order_id: string;
  /** ISO-8601 timestamp of placement. */
  order_date: string;
  customer_info: CustomerInfo;
  payment_info: PaymentInfo;
  shipping_info: ShippingInfo;
  item_info: ItemLine[];
  /** Number of distinct SKUs (= item_info.length). */
  item_variety: number;
  /** Sum of subtotals, to the cent. */
  order_total: number;
}

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
