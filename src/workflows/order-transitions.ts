/**
 * How the order document changes at each step of its lifecycle, and when a person's request may
 * change it. Pure functions over plain data (no Temporal API), so they are unit-tested directly
 * and run unchanged inside the workflow sandbox.
 */
import { PAYMENT_METHODS, type Order, type OrderStatus, type PaymentMethod } from '../domain/order.js';
import type { CancelOrderRequest, PayOrderRequest } from './contract.js';

/** A copy of the order, so a snapshot handed out never changes under its reader. */
export function cloneOrder(order: Order): Order {
  return JSON.parse(JSON.stringify(order)) as Order;
}

export function markPaid(order: Order, method: PaymentMethod, paymentDate: string): Order {
  return { ...order, payment_info: { payment_status: 'Paid', payment_method: method, payment_date: paymentDate } };
}

/** No payment inside the window: both statuses say so, and finished_date records when it ended. */
export function markTimedOut(order: Order, timedOutDate: string): Order {
  return {
    ...order,
    payment_info: { ...order.payment_info, payment_status: 'Timed Out' },
    shipping_info: { ...order.shipping_info, order_status: 'Timed Out', finished_date: timedOutDate },
  };
}

export interface Dispatch {
  shippingId: string;
  shippedDate: string;
  eta: string;
}

export function markShipped(order: Order, dispatch: Dispatch): Order {
  return {
    ...order,
    shipping_info: {
      ...order.shipping_info,
      order_status: 'Shipped',
      shipping_id: dispatch.shippingId,
      shipped_date: dispatch.shippedDate,
      eta: dispatch.eta,
    },
  };
}

/** The last status of an order (Delivered, Cancelled, Returned), with the date its life ended. */
export function markEnded(order: Order, status: Extract<OrderStatus, 'Delivered' | 'Cancelled' | 'Returned'>, finishedDate: string): Order {
  return { ...order, shipping_info: { ...order.shipping_info, order_status: status, finished_date: finishedDate } };
}

/** Requests accepted but not yet applied by the workflow. */
export interface PendingRequests {
  pay?: PayOrderRequest;
  cancel?: CancelOrderRequest;
}

/** Why a payOrder request is refused, or undefined when it may proceed. */
export function payRejection(order: Order, pending: PendingRequests, request: PayOrderRequest | undefined): string | undefined {
  const id = order.order_id;
  if (typeof request !== 'object' || request === null || request.method === undefined) {
    return `payOrder needs { method } with method one of ${PAYMENT_METHODS.join(', ')}; got ${request === undefined ? 'no input' : JSON.stringify(request)}`;
  }
  if (!(PAYMENT_METHODS as readonly string[]).includes(request.method)) {
    return `unknown payment method ${JSON.stringify(request?.method)}; expected one of ${PAYMENT_METHODS.join(', ')}`;
  }
  const status = order.shipping_info.order_status;
  if (order.payment_info.payment_status === 'Paid') {
    return `order ${id} is not awaiting payment: it was already paid by ${order.payment_info.payment_method} on ${order.payment_info.payment_date}`;
  }
  if (status !== 'Processing' || order.payment_info.payment_status !== 'Unpaid') {
    return `order ${id} is not awaiting payment: it ended with status ${status}`;
  }
  if (pending.pay) return `order ${id} is not awaiting payment: a payment by ${pending.pay.method} is already being processed`;
  if (pending.cancel) return `order ${id} is not awaiting payment: it is being cancelled`;
  return undefined;
}

/** Why a cancelOrder request is refused, or undefined when it may proceed. */
export function cancelRejection(order: Order, pending: PendingRequests, request: CancelOrderRequest | undefined): string | undefined {
  const id = order.order_id;
  if (typeof request !== 'object' || request === null || request.reason === undefined) {
    return `cancelOrder needs { reason } with a non-empty reason; got ${request === undefined ? 'no input' : JSON.stringify(request)}`;
  }
  if (typeof request.reason !== 'string' || request.reason.trim() === '') {
    return 'a cancellation needs a non-empty reason';
  }
  const info = order.shipping_info;
  if (info.shipped_date !== null || info.order_status === 'Shipped' || info.order_status === 'Delivered') {
    return `order ${id} cannot be cancelled: it was dispatched on ${info.shipped_date} (shipping id ${info.shipping_id})`;
  }
  if (info.order_status !== 'Processing') return `order ${id} cannot be cancelled: it already ended with status ${info.order_status}`;
  if (pending.cancel) return `order ${id} is already being cancelled (${pending.cancel.reason})`;
  return undefined;
}

/** `date` moved into [min, max] (ISO-8601 strings in, ISO-8601 out). */
export function clampDate(dateMs: number, min: string, max: string): string {
  const clamped = Math.min(Math.max(dateMs, Date.parse(min)), Date.parse(max));
  return new Date(clamped).toISOString();
}
