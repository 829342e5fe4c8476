/**
 * Checks an order document before it goes to a topic, so a bug upstream cannot put a message on
 * the wrong topic or with missing fields (the bridge and the dashboards trust these topics).
 * A bad order is a bug, not a transient failure: the error is non-retryable, the activity fails
 * at once and the workflow shows why.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isFailedStatus, type Order } from '../domain/order.js';
import type { LifecycleTopic } from '../kafka/order-producer.js';
import { INVALID_ORDER_FAILURE } from '../workflows/activity-options.js';

/** ApplicationFailure type of every validation error; listed as non-retryable in the retry policies. */
export const INVALID_ORDER = INVALID_ORDER_FAILURE;

export function invalidOrder(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: INVALID_ORDER, nonRetryable: true });
}

/** A non-retryable failure unless `date` is an ISO-8601 timestamp. */
export function assertIsoDate(what: string, date: unknown): asserts date is string {
  if (typeof date !== 'string' || Number.isNaN(Date.parse(date))) {
    throw invalidOrder(`${what} must be an ISO-8601 date, got ${JSON.stringify(date)}`);
  }
}

function requireField(order: Order, topic: LifecycleTopic, name: string, value: unknown): void {
  if (value === null || value === undefined || value === '') {
    throw invalidOrder(`order ${order.order_id} cannot go to ${topic}: ${name} is not set`);
  }
}

function requireStatus(order: Order, topic: LifecycleTopic, ok: boolean): void {
  if (!ok) {
    throw invalidOrder(`order ${order.order_id} cannot go to ${topic} with order_status "${order.shipping_info.order_status}"`);
  }
}

/** What each topic demands of the order, beyond the common fields. */
const TOPIC_RULES: Record<LifecycleTopic, (order: Order, topic: LifecycleTopic) => void> = {
  unpaid: (o, t) => {
    requireStatus(o, t, o.shipping_info.order_status === 'Processing' && o.payment_info.payment_status === 'Unpaid');
  },
  paid: (o, t) => {
    requireStatus(o, t, o.shipping_info.order_status === 'Processing' && o.payment_info.payment_status === 'Paid');
    requireField(o, t, 'payment_info.payment_method', o.payment_info.payment_method);
    assertIsoDate('payment_info.payment_date', o.payment_info.payment_date);
  },
  shipped: (o, t) => {
    requireStatus(o, t, o.shipping_info.order_status === 'Shipped');
    requireField(o, t, 'shipping_info.shipping_id', o.shipping_info.shipping_id);
    assertIsoDate('shipping_info.shipped_date', o.shipping_info.shipped_date);
    assertIsoDate('shipping_info.eta', o.shipping_info.eta);
  },
  finished: (o, t) => {
    requireStatus(o, t, o.shipping_info.order_status === 'Delivered');
    assertIsoDate('shipping_info.finished_date', o.shipping_info.finished_date);
  },
  failed: (o, t) => {
    requireStatus(o, t, isFailedStatus(o.shipping_info.order_status));
    assertIsoDate('shipping_info.finished_date', o.shipping_info.finished_date);
  },
};

/** Throws a non-retryable InvalidOrder failure unless `order` may be emitted to `topic`. */
export function validateOrderFor(topic: LifecycleTopic, order: Order): void {
  if (typeof order?.order_id !== 'string' || !/^\d+$/.test(order.order_id)) {
    throw invalidOrder(`order_id must be a string of digits, got ${JSON.stringify(order?.order_id)}`);
  }
  assertIsoDate('order_date', order.order_date);
  if (!order.customer_info || !order.payment_info || !order.shipping_info || !Array.isArray(order.item_info)) {
    throw invalidOrder(`order ${order.order_id} lacks customer_info, payment_info, shipping_info or item_info`);
  }
  TOPIC_RULES[topic](order, topic);
}
