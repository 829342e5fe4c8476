/**
 * planLifecycle, the one plan step of the one-task shape: for every order it must decide exactly
 * what planPayment, planShipping and planDelivery decide when the stages ask one by one (the shape
 * before the local-emits patch), so both shapes put the same orders on the same topics; and the
 * emit options as local activities keep the emit activity's retry policy.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDelivery, planLifecycle, planPayment, planShipping } from '../../src/activities/index.js';
import { planProblem, type LifecyclePlan } from '../../src/domain/lifecycle-plan.js';
import type { Order } from '../../src/domain/order.js';
import { lifecycleInput } from '../../src/generator/lifecycle-input.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../../src/workflows/contract.js';
import { EMIT_ACTIVITY_OPTIONS, EMIT_LOCAL_ACTIVITY_OPTIONS } from '../../src/workflows/activity-options.js';

const SEED = '4242';
const generator = new OrderGenerator({ seed: SEED, runId: 11 });
const orders: Order[] = Array.from({ length: 600 }, () => generator.next(new Date('2025-08-01T03:00:00Z')).order);

function stageByStage(o: Order, customerMayCancel: boolean) {
  const payment = planPayment({ seed: SEED, orderId: o.order_id, orderDate: o.order_date, paymentWindowHours: 168 });
  if (payment.status !== 'Paid') return { payment };
  const shipping = planShipping({ seed: SEED, orderId: o.order_id, paymentDate: payment.paymentDate, express: o.shipping_info.express_shipping, customerMayCancel });
  if (shipping.outcome !== 'Shipped') return { payment, shipping };
  return { payment, shipping, delivery: planDelivery({ seed: SEED, orderId: o.order_id, shippedDate: shipping.shippedDate, eta: shipping.eta }) };
}

describe('planLifecycle', () => {
  for (const customerMayCancel of [true, false]) {
    it(`decides what the stages decide one by one (customer ${customerMayCancel ? 'may' : 'never'} cancel${customerMayCancel ? '' : 's'})`, () => {
      const outcomes = new Set<string>();
      for (const o of orders) {
        const plan = planLifecycle({ seed: SEED, orderId: o.order_id, orderDate: o.order_date, paymentWindowHours: 168, express: o.shipping_info.express_shipping, customerMayCancel });
        assert.deepEqual(plan, stageByStage(o, customerMayCancel), o.order_id);
        outcomes.add(`${plan.payment.status}/${plan.shipping?.outcome ?? '-'}/${plan.delivery?.outcome ?? '-'}`);
      }
      // Every branch showed up, so the comparison covered each of them.
      const expected = customerMayCancel ? ['Timed Out/-/-', 'Paid/Cancelled/-', 'Paid/Shipped/Delivered', 'Paid/Shipped/Returned'] : ['Timed Out/-/-', 'Paid/Shipped/Delivered'];
      for (const e of expected) assert.ok(outcomes.has(e), `${e} among ${[...outcomes].join(', ')}`);
      if (!customerMayCancel) assert.ok(![...outcomes].some((x) => x.startsWith('Paid/Cancelled')), 'no cancel when the customer may not');
    });
  }

  it('refuses bad input like planPayment does', () => {
    assert.throws(() => planLifecycle({ seed: '', orderId: '1', orderDate: '2025-01-01T00:00:00Z', paymentWindowHours: 168, express: false, customerMayCancel: true }), /seed/);
  });
});

describe('the plan in the workflow input (lifecycleInput, planProblem)', () => {
  const options = { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED };

  it('the generator gives each order the plan planLifecycle decides, and the workflow’s check accepts it', () => {
    for (const o of orders) {
      const input = lifecycleInput(o, options);
      const asked = planLifecycle({ seed: SEED, orderId: o.order_id, orderDate: o.order_date, paymentWindowHours: options.paymentWindowHours, express: o.shipping_info.express_shipping, customerMayCancel: true });
      assert.deepEqual(input.plan, asked, o.order_id);
      assert.equal(planProblem(input.plan, o.order_date), undefined, o.order_id);
    }
  });

  it('gives no plan when payment is left to a person', () => {
    assert.equal(lifecycleInput(orders[0] as Order, { ...options, simulatePayment: false }).plan, undefined);
  });

  it('refuses a plan that cannot be the order’s, naming the field', () => {
    const delivered = orders.map((o) => ({ o, plan: lifecycleInput(o, options).plan as LifecyclePlan })).find((x) => x.plan.delivery?.outcome === 'Delivered');
    assert.ok(delivered);
    const { o, plan } = delivered;
    const paid = plan.payment as Extract<LifecyclePlan['payment'], { status: 'Paid' }>;
    const shipped = plan.shipping as Extract<NonNullable<LifecyclePlan['shipping']>, { outcome: 'Shipped' }>;
    const cases: Array<[unknown, RegExp]> = [
      [null, /^plan must be an object, got null$/],
      [{ ...plan, payment: { ...paid, status: 'Maybe' } }, /^plan\.payment\.status must be Paid or Timed Out, got "Maybe"$/],
      [{ ...plan, payment: { ...paid, method: 'Cash' } }, /^plan\.payment\.method must be one of Bank Transfer, Credit Card, Digital Wallet, got "Cash"$/],
      [{ ...plan, payment: { ...paid, paymentDate: 'tomorrow' } }, /^plan\.payment\.paymentDate must be an ISO-8601 date, got "tomorrow"$/],
      [{ ...plan, payment: { ...paid, paymentDate: '2000-01-01T00:00:00.000Z' } }, /^plan\.payment\.paymentDate 2000-01-01T00:00:00\.000Z is before /],
      [{ payment: paid }, /^plan\.shipping must be an object when the plan pays the order$/],
      [{ ...plan, shipping: { ...shipped, shippingId: '' } }, /^plan\.shipping\.shippingId must be a non-empty string/],
      [{ ...plan, shipping: { ...shipped, eta: paid.paymentDate.replace(/^\d{4}/, '1999') } }, /^plan\.shipping\.eta .* is before /],
      [{ ...plan, delivery: { ...plan.delivery, outcome: 'Lost' } }, /^plan\.delivery\.outcome must be one of Delivered, Cancelled, Returned, got "Lost"$/],
      [{ payment: { status: 'Timed Out', timedOutDate: paid.paymentDate }, shipping: shipped }, /^plan\.shipping must be absent when the plan times the payment out$/],
      [{ ...plan, shipping: { outcome: 'Cancelled', cancelledDate: paid.paymentDate } }, /^plan\.delivery must be absent when the plan cancels before dispatch$/],
    ];
    for (const [bad, expected] of cases) assert.match(planProblem(bad, o.order_date) ?? 'accepted', expected);
  });
});

describe('emit options as a local activity', () => {
  it('keep the emit activity’s timeout and unlimited retries', () => {
    assert.equal(EMIT_LOCAL_ACTIVITY_OPTIONS.startToCloseTimeout, EMIT_ACTIVITY_OPTIONS.startToCloseTimeout);
    assert.deepEqual(EMIT_LOCAL_ACTIVITY_OPTIONS.retry, EMIT_ACTIVITY_OPTIONS.retry);
    assert.equal(EMIT_LOCAL_ACTIVITY_OPTIONS.retry?.maximumAttempts, undefined);
  });
});
