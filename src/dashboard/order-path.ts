/**
 * An order's path through the lifecycle topics, read back from its row in order_record: which
 * topics it went through, when, and where it ended. Pure, so it is unit-tested on its own.
 */
import type { KafkaTopics } from '../config/config.js';
import { isFailedStatus, type OrderStatus } from '../domain/order.js';

export interface OrderDates {
  order_status: OrderStatus;
  order_date: string;
  payment_date: string | null;
  shipped_date: string | null;
  finished_date: string | null;
}

export interface PathStep {
  label: string;
  topic: string;
  date: string | null;
  /** done = on this topic; delivered / failed = the terminal topic. */
  state: 'done' | 'delivered' | 'failed';
  note?: string;
}

/** Where a failure happened, from the dates that were reached. */
function failureNote(order: OrderDates): string {
  if (order.order_status === 'Timed Out') return 'not paid inside the payment window';
  if (order.order_status === 'Returned') return 'returned after delivery';
  if (order.shipped_date) return 'cancelled in transit';
  if (order.payment_date) return 'cancelled before dispatch';
  return 'cancelled before payment';
}

export function orderPath(order: OrderDates, topics: KafkaTopics): PathStep[] {
  const steps: PathStep[] = [{ label: 'Placed', topic: topics.unpaid, date: order.order_date, state: 'done' }];
  if (order.payment_date) steps.push({ label: 'Paid', topic: topics.paid, date: order.payment_date, state: 'done' });
  if (order.shipped_date) steps.push({ label: 'Shipped', topic: topics.shipped, date: order.shipped_date, state: 'done' });
  if (order.order_status === 'Delivered') {
    steps.push({ label: 'Delivered', topic: topics.finished, date: order.finished_date, state: 'delivered' });
  } else if (isFailedStatus(order.order_status)) {
    steps.push({ label: order.order_status, topic: topics.failed, date: order.finished_date, state: 'failed', note: failureNote(order) });
  }
  return steps;
}
