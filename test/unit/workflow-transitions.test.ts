/**
 * The workflow's pure parts: how the order document changes at each step, when people's requests
 * are refused (the update validators' reasons), and the simulated clock. The workflow itself runs
 * against a real server in test/integration/workflow.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Order } from '../../src/domain/order.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import {
  cancelRejection,
  clampDate,
  cloneOrder,
  markEnded,
  markPaid,
  markShipped,
  markTimedOut,
  payRejection,
} from '../../src/workflows/order-transitions.js';
import { SimClock } from '../../src/workflows/sim-clock.js';

const placed: Order = new OrderGenerator({ seed: '11', runId: 5 }).next(new Date('2025-05-05T08:00:00Z')).order;
const paid = markPaid(placed, 'Credit Card', '2025-05-05T09:00:00.000Z');
const shipped = markShipped(paid, { shippingId: 'SHP1', shippedDate: '2025-05-06T09:00:00.000Z', eta: '2025-05-09T09:00:00.000Z' });

describe('order transitions', () => {
  it('markPaid fills the payment fields and leaves the input untouched', () => {
    assert.deepEqual(paid.payment_info, { payment_status: 'Paid', payment_method: 'Credit Card', payment_date: '2025-05-05T09:00:00.000Z' });
    assert.equal(paid.shipping_info.order_status, 'Processing');
    assert.equal(placed.payment_info.payment_status, 'Unpaid');
  });

  it('markTimedOut sets both statuses and the date the window closed', () => {
    const t = markTimedOut(placed, '2025-05-12T08:00:00.000Z');
    assert.equal(t.payment_info.payment_status, 'Timed Out');
    assert.equal(t.payment_info.payment_method, null);
    assert.equal(t.shipping_info.order_status, 'Timed Out');
    assert.equal(t.shipping_info.finished_date, '2025-05-12T08:00:00.000Z');
  });

  it('markShipped fills shipping id, dispatch date and ETA', () => {
    assert.equal(shipped.shipping_info.order_status, 'Shipped');
    assert.equal(shipped.shipping_info.shipping_id, 'SHP1');
    assert.equal(shipped.shipping_info.shipped_date, '2025-05-06T09:00:00.000Z');
    assert.equal(shipped.shipping_info.eta, '2025-05-09T09:00:00.000Z');
    assert.equal(shipped.shipping_info.finished_date, null);
  });

  it('markEnded records the final status and date', () => {
    const d = markEnded(shipped, 'Returned', '2025-05-10T00:00:00.000Z');
    assert.equal(d.shipping_info.order_status, 'Returned');
    assert.equal(d.shipping_info.finished_date, '2025-05-10T00:00:00.000Z');
    assert.equal(d.shipping_info.shipping_id, 'SHP1');
  });

  it('cloneOrder is a deep copy', () => {
    const c = cloneOrder(placed);
    c.customer_info.customer_name = 'changed';
    assert.notEqual(placed.customer_info.customer_name, 'changed');
    assert.deepEqual(cloneOrder(placed), placed);
  });
});

describe('payOrder validation', () => {
  it('accepts a known method on an order awaiting payment', () => {
    assert.equal(payRejection(placed, {}, { method: 'Digital Wallet' }), undefined);
  });

  it('refuses an unknown method, naming the allowed ones', () => {
    assert.match(payRejection(placed, {}, { method: 'Cash' as never }) ?? '', /unknown payment method "Cash".*Bank Transfer/);
    assert.match(payRejection(placed, {}, undefined) ?? '', /^payOrder needs \{ method \} with method one of .*Bank Transfer.*; got no input$/);
    assert.match(payRejection(placed, {}, {} as never) ?? '', /^payOrder needs \{ method \}.*; got \{\}$/);
  });

  it('refuses an order already paid, saying how and when', () => {
    assert.match(payRejection(paid, {}, { method: 'Bank Transfer' }) ?? '', /not awaiting payment: it was already paid by Credit Card on 2025-05-05T09:00/);
  });

  it('refuses an order that timed out or was cancelled', () => {
    assert.match(payRejection(markTimedOut(placed, '2025-05-12T08:00:00Z'), {}, { method: 'Bank Transfer' }) ?? '', /ended with status Timed Out/);
    assert.match(payRejection(markEnded(placed, 'Cancelled', '2025-05-06T00:00:00Z'), {}, { method: 'Bank Transfer' }) ?? '', /ended with status Cancelled/);
  });

  it('refuses a second payment while the first is being processed, and paying an order being cancelled', () => {
    assert.match(payRejection(placed, { pay: { method: 'Credit Card' } }, { method: 'Bank Transfer' }) ?? '', /already being processed/);
    assert.match(payRejection(placed, { cancel: { reason: 'x' } }, { method: 'Bank Transfer' }) ?? '', /being cancelled/);
  });
});

describe('cancelOrder validation', () => {
  it('accepts cancelling before dispatch, paid or not', () => {
    assert.equal(cancelRejection(placed, {}, { reason: 'changed my mind' }), undefined);
    assert.equal(cancelRejection(paid, { pay: { method: 'Credit Card' } }, { reason: 'changed my mind' }), undefined);
  });

  it('refuses after dispatch, naming the dispatch date and shipping id', () => {
    assert.match(cancelRejection(shipped, {}, { reason: 'too late' }) ?? '', /cannot be cancelled: it was dispatched on 2025-05-06T09:00:00.000Z \(shipping id SHP1\)/);
    assert.match(cancelRejection(markEnded(shipped, 'Delivered', '2025-05-09T00:00:00Z'), {}, { reason: 'x' }) ?? '', /dispatched/);
  });

  it('refuses an order that already ended, a second cancel, and an empty reason', () => {
    assert.match(cancelRejection(markTimedOut(placed, '2025-05-12T08:00:00Z'), {}, { reason: 'x' }) ?? '', /already ended with status Timed Out/);
    assert.match(cancelRejection(placed, { cancel: { reason: 'first' } }, { reason: 'second' }) ?? '', /already being cancelled \(first\)/);
    assert.match(cancelRejection(placed, {}, { reason: '  ' }) ?? '', /non-empty reason/);
    assert.match(cancelRejection(placed, {}, undefined) ?? '', /^cancelOrder needs \{ reason \}.*; got no input$/);
  });
});

describe('simulated clock', () => {
  const orderMs = Date.parse('2025-01-01T00:00:00Z');
  const startMs = 1_000_000;

  it('scaled: simulated time runs `speed` times faster from the order date', () => {
    const clock = new SimClock('scaled', 3600, orderMs, startMs);
    assert.equal(clock.now(startMs + 2000), orderMs + 2000 * 3600);
    // One simulated hour ahead at speed 3600 is one real second away.
    assert.equal(clock.realDelayMs(orderMs + 3_600_000, startMs), 1000);
    assert.equal(clock.realDelayMs(orderMs + 3_600_000, startMs + 400), 600);
    assert.equal(clock.realDelayMs(orderMs - 1, startMs), 0);
  });

  it('scaled: a reached date is never undone by a slower clock', () => {
    const clock = new SimClock('scaled', 10, orderMs, startMs);
    clock.advanceTo(orderMs + 1_000_000);
    assert.equal(clock.now(startMs), orderMs + 1_000_000);
  });

  it('scaled with the run clock: now is the run’s, past dates are due at once, later ones when the clock gets there', () => {
    // The run's clock shows 2025-03-01 at real moment startMs, 86,400 times faster (a day a second).
    const anchor = { simStartMs: Date.parse('2025-03-01T00:00:00Z'), realStartMs: startMs, speed: 86_400 };
    // An order of January (a backfilled one) whose workflow runs at real startMs + 500.
    const clock = new SimClock('scaled', 3600, orderMs, startMs + 500, anchor);
    assert.equal(clock.now(startMs + 500), anchor.simStartMs + 500 * 86_400);
    assert.equal(clock.realDelayMs(orderMs + 7 * 86_400_000, startMs + 500), 0);
    // Two days after the clock's start is 1.5 s away at real startMs + 500, at the clock's speed.
    assert.equal(clock.realDelayMs(anchor.simStartMs + 2 * 86_400_000, startMs + 500), 1500);
    // A reached date is kept; the clock never runs backwards.
    clock.advanceTo(anchor.simStartMs + 10 * 86_400_000);
    assert.equal(clock.now(startMs + 600), anchor.simStartMs + 10 * 86_400_000);
  });

  it('skip: never waits, and now is the last date reached', () => {
    const clock = new SimClock('skip', 3600, orderMs, startMs);
    assert.equal(clock.realDelayMs(orderMs + 7 * 86_400_000, startMs), 0);
    assert.equal(clock.now(startMs + 99_999), orderMs);
    clock.advanceTo(orderMs + 5000);
    clock.advanceTo(orderMs + 1000);
    assert.equal(clock.now(startMs), orderMs + 5000);
  });

  it('clampDate keeps a date inside its stage', () => {
    assert.equal(clampDate(Date.parse('2025-01-05T00:00:00Z'), '2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z'), '2025-01-03T00:00:00.000Z');
    assert.equal(clampDate(Date.parse('2024-12-01T00:00:00Z'), '2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z'), '2025-01-01T00:00:00.000Z');
    assert.equal(clampDate(Date.parse('2025-01-02T00:00:00Z'), '2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z'), '2025-01-02T00:00:00.000Z');
  });
});
