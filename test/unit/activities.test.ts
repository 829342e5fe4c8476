/**
 * The lifecycle activities' decisions and checks, without servers: plans are pure functions of
 * (seed, order id), a customer who may not cancel never does, and an order that does not fit its
 * topic is refused with a non-retryable InvalidOrder failure. Emitting through a real worker and
 * broker is covered by test/integration/workflow.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { planDelivery, planPayment, planShipping, validateOrderFor } from '../../src/activities/index.js';
import { decideFate } from '../../src/domain/fate.js';
import type { Order } from '../../src/domain/order.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { EMIT_ACTIVITY_OPTIONS, INVALID_ORDER_FAILURE, PLAN_ACTIVITY_OPTIONS } from '../../src/workflows/activity-options.js';
import { markEnded, markPaid, markShipped } from '../../src/workflows/order-transitions.js';

const SEED = '99';
const generator = new OrderGenerator({ seed: SEED, runId: 3 });
const orders: Order[] = Array.from({ length: 400 }, () => generator.next(new Date('2025-02-10T12:00:00Z')).order);
const order = orders[0] as Order;

function assertInvalid(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApplicationFailure, 'an ApplicationFailure');
    assert.equal(err.type, INVALID_ORDER_FAILURE);
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, message);
    return true;
  });
}

describe('plan activities', () => {
  it('decide the same as the fate simulator, every time', () => {
    for (const o of orders.slice(0, 50)) {
      const fate = decideFate(SEED, o.order_id, o.order_date, o.shipping_info.express_shipping);
      const input = { seed: SEED, orderId: o.order_id, orderDate: o.order_date, paymentWindowHours: 168 };
      assert.deepEqual(planPayment(input), fate.payment);
      assert.deepEqual(planPayment(input), planPayment(input));
      if (fate.payment.status !== 'Paid' || !fate.shipping) continue;
      const shipping = planShipping({
        seed: SEED,
        orderId: o.order_id,
        paymentDate: fate.payment.paymentDate,
        express: o.shipping_info.express_shipping,
        customerMayCancel: true,
      });
      assert.deepEqual(shipping, fate.shipping);
      if (shipping.outcome !== 'Shipped') continue;
      assert.deepEqual(planDelivery({ seed: SEED, orderId: o.order_id, shippedDate: shipping.shippedDate, eta: shipping.eta }), fate.delivery);
    }
  });

  it('a shorter payment window times out more orders, at the window end', () => {
    const timedOut = (hours: number) =>
      orders.filter((o) => planPayment({ seed: SEED, orderId: o.order_id, orderDate: o.order_date, paymentWindowHours: hours }).status === 'Timed Out');
    assert.ok(timedOut(1).length > timedOut(168).length);
    const one = timedOut(1)[0] as Order;
    const decision = planPayment({ seed: SEED, orderId: one.order_id, orderDate: one.order_date, paymentWindowHours: 1 });
    assert.deepEqual(decision, { status: 'Timed Out', timedOutDate: '2025-02-10T13:00:00.000Z' });
  });

  it('with customerMayCancel false, orders the simulated customer would cancel are dispatched, deterministically', () => {
    const cancelling = orders.filter(
      (o) => planShipping({ seed: SEED, orderId: o.order_id, paymentDate: o.order_date, express: false, customerMayCancel: true }).outcome === 'Cancelled',
    );
    assert.ok(cancelling.length > 5, `some of 400 orders are cancelled before dispatch (got ${cancelling.length})`);
    for (const o of cancelling) {
      const input = { seed: SEED, orderId: o.order_id, paymentDate: o.order_date, express: false, customerMayCancel: false };
      const d = planShipping(input);
      assert.equal(d.outcome, 'Shipped');
      assert.deepEqual(planShipping(input), d);
      if (d.outcome !== 'Shipped') continue;
      const hours = (Date.parse(d.shippedDate) - Date.parse(o.order_date)) / 3_600_000;
      assert.ok(hours >= 24 && hours <= 60, `standard dispatch 24–60 h after payment, got ${hours}`);
    }
  });

  it('refuse bad input with a non-retryable InvalidOrder failure naming the field', () => {
    assertInvalid(() => planPayment({ seed: SEED, orderId: order.order_id, orderDate: 'yesterday', paymentWindowHours: 168 }), /orderDate must be an ISO-8601 date/);
    assertInvalid(() => planPayment({ seed: SEED, orderId: order.order_id, orderDate: order.order_date, paymentWindowHours: 0 }), /paymentWindowHours must be positive/);
    assertInvalid(() => planPayment({ seed: '', orderId: order.order_id, orderDate: order.order_date, paymentWindowHours: 1 }), /seed must be a non-empty string/);
    assertInvalid(() => planShipping({ seed: SEED, orderId: 'abc', paymentDate: order.order_date, express: true, customerMayCancel: true }), /orderId must be digits/);
    assertInvalid(() => planDelivery({ seed: SEED, orderId: order.order_id, shippedDate: order.order_date, eta: 'soon' }), /eta must be an ISO-8601 date/);
  });
});

describe('emit validation', () => {
  const paid = markPaid(order, 'Bank Transfer', '2025-02-10T12:05:00.000Z');
  const shipped = markShipped(paid, { shippingId: `SHP${order.order_id}`, shippedDate: '2025-02-11T12:00:00.000Z', eta: '2025-02-15T12:00:00.000Z' });

  it('accepts each stage’s order on its own topic', () => {
    validateOrderFor('unpaid', order);
    validateOrderFor('paid', paid);
    validateOrderFor('shipped', shipped);
    validateOrderFor('finished', markEnded(shipped, 'Delivered', '2025-02-15T00:00:00.000Z'));
    validateOrderFor('failed', markEnded(shipped, 'Returned', '2025-02-15T00:00:00.000Z'));
    validateOrderFor('failed', markEnded(order, 'Cancelled', '2025-02-10T13:00:00.000Z'));
  });

  it('refuses an order on the wrong topic or with a missing field, naming the field', () => {
    assertInvalid(() => validateOrderFor('paid', order), /^payment_info\.payment_status: Unpaid does not belong on the paid orders topic$/);
    assertInvalid(() => validateOrderFor('finished', shipped), /^shipping_info\.order_status: Shipped does not belong on the finished orders topic$/);
    assertInvalid(() => validateOrderFor('failed', markEnded(shipped, 'Delivered', '2025-02-15T00:00:00.000Z')), /Delivered does not belong on the failed orders topic/);
    assertInvalid(
      () => validateOrderFor('shipped', { ...shipped, shipping_info: { ...shipped.shipping_info, shipping_id: null } }),
      /^shipping_info\.shipping_id: expected a shipping id on a Shipped order, got null$/,
    );
    assertInvalid(() => validateOrderFor('unpaid', { ...order, order_id: '12a' }), /^order_id: expected a numeric string of up to 19 digits, got "12a"$/);
    assertInvalid(() => validateOrderFor('failed', { ...markEnded(order, 'Cancelled', 'x') }), /^shipping_info\.finished_date: expected an ISO-8601 date or null, got "x"$/);
  });
});

describe('activity options', () => {
  it('set timeouts and retries on purpose, and never retry an invalid order', () => {
    for (const options of [EMIT_ACTIVITY_OPTIONS, PLAN_ACTIVITY_OPTIONS]) {
      assert.ok(options.startToCloseTimeout, 'a start-to-close timeout');
      assert.ok(options.retry?.initialInterval && options.retry.backoffCoefficient && options.retry.maximumInterval);
      assert.deepEqual(options.retry?.nonRetryableErrorTypes, [INVALID_ORDER_FAILURE]);
    }
    // Emits retry until Kafka is back (no attempt limit); plans are pure, a few attempts suffice.
    assert.equal(EMIT_ACTIVITY_OPTIONS.retry?.maximumAttempts, undefined);
    assert.ok((PLAN_ACTIVITY_OPTIONS.retry?.maximumAttempts ?? 0) > 1);
  });
});
