/**
 * The order document's one schema (src/domain/order-schema.ts): everything the generator places and
 * every stage the workflow's transitions make of it passes on its own topic; a malformed document
 * is refused with one line naming the field, what it expects and what it got; and the topic rules
 * put each status on its topic only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideFate } from '../../src/domain/fate.js';
import type { Order } from '../../src/domain/order.js';
import { checkOrder, checkOrderFor, type OrderTopic } from '../../src/domain/order-schema.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { markEnded, markPaid, markShipped, markTimedOut } from '../../src/workflows/order-transitions.js';

const SEED = 'schema-seed';
const generator = new OrderGenerator({ seed: SEED, runId: 7 });
const START = Date.parse('2025-01-01T00:00:00Z');
// A year of orders, one every 52 minutes: every sale day and both halves of every day.
const placed: Order[] = Array.from({ length: 10_000 }, (_, i) => generator.next(new Date(START + i * 52 * 60_000)).order);

function problemOf(topic: OrderTopic, value: unknown): string | undefined {
  const checked = checkOrderFor(topic, value);
  return checked.ok ? undefined : checked.problem;
}

/** Every message the workflow would emit for `order`, with its topic, via the workflow's own transitions. */
function lifecycle(order: Order): Array<[OrderTopic, Order]> {
  const fate = decideFate(SEED, order.order_id, order.order_date, order.shipping_info.express_shipping);
  const out: Array<[OrderTopic, Order]> = [['unpaid', order]];
  if (fate.payment.status === 'Timed Out') return [...out, ['failed', markTimedOut(order, fate.payment.timedOutDate)]];
  const paid = markPaid(order, fate.payment.method, fate.payment.paymentDate);
  out.push(['paid', paid]);
  if (!fate.shipping || fate.shipping.outcome === 'Cancelled') return [...out, ['failed', markEnded(paid, 'Cancelled', fate.shipping?.cancelledDate ?? fate.payment.paymentDate)]];
  const shipped = markShipped(paid, fate.shipping);
  out.push(['shipped', shipped]);
  const delivery = fate.delivery as NonNullable<typeof fate.delivery>;
  return [...out, [delivery.outcome === 'Delivered' ? 'finished' : 'failed', markEnded(shipped, delivery.outcome, delivery.finishedDate)]];
}

describe('order schema', () => {
  it('passes every generated order, and every stage of its life on its own topic', () => {
    const problems: string[] = [];
    const topics = new Set<OrderTopic>();
    for (const order of placed) {
      for (const [topic, o] of lifecycle(order)) {
        topics.add(topic);
        const problem = problemOf(topic, o);
        if (problem) problems.push(`order ${o.order_id} on ${topic}: ${problem}`);
      }
    }
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} of the generated orders fail the schema`);
    assert.deepEqual([...topics].sort(), ['failed', 'finished', 'paid', 'shipped', 'unpaid']);
  });

  it('returns the order typed, and refuses a malformed one naming the field, the expectation and the value', () => {
    const order = placed[0] as Order;
    const checked = checkOrder(order);
    assert.ok(checked.ok);
    assert.deepEqual(checked.order, order);
    const bad = (mutate: (x: Order & Record<string, unknown>) => void): unknown => {
      const x = structuredClone(order) as Order & Record<string, unknown>;
      mutate(x);
      return x;
    };
    const cases: Array<[unknown, string]> = [
      [null, 'order: expected an object, got null'],
      [bad((x) => (x.item_info[0]!.quantity = -3)), 'item_info[0].quantity: expected a positive whole number up to 10000, got -3'],
      [bad((x) => (x.item_info[0]!.sku = 'SKU-9999')), 'item_info[0].sku: expected a SKU of the catalogue, got "SKU-9999"'],
      [bad((x) => delete (x as Record<string, unknown>).customer_info), 'customer_info: expected an object, got nothing'],
      [bad((x) => (x.customer_info.email = ' ')), 'customer_info.email: expected a non-empty string of at most 500 characters, got " "'],
      [bad((x) => (x.order_date = 'yesterday')), 'order_date: expected an ISO-8601 date, got "yesterday"'],
      [bad((x) => (x.item_variety = 99)), `item_variety: expected the number of lines (${order.item_info.length}), got 99`],
      [bad((x) => (x.shipping_info.order_status = 'Lost' as never)), 'shipping_info.order_status: expected one of Processing, Shipped, Delivered, Timed Out, Cancelled, Returned, got "Lost"'],
      [bad((x) => (x.payment_info.payment_status = 'Paid')), 'payment_info.payment_method: expected a payment method on a Processing order, got null'],
    ];
    for (const [value, problem] of cases) assert.deepEqual(checkOrder(value), { ok: false, problem });
    assert.match(String(problemOf('unpaid', bad((x) => (x.order_total += 1)))), /^order_total: [\d.]+ is not the sum of the subtotals \([\d.]+\)$/);
  });

  it('lets each status onto its own topics only', () => {
    const order = placed[0] as Order;
    const paid = markPaid(order, 'Credit Card', '2025-01-01T01:00:00.000Z');
    assert.equal(problemOf('unpaid', paid), 'payment_info.payment_status: Paid does not belong on the unpaid orders topic');
    assert.equal(problemOf('shipped', paid), 'shipping_info.order_status: Processing does not belong on the shipped orders topic');
    assert.equal(problemOf('finished', markTimedOut(order, '2025-01-08T00:00:00.000Z')), 'shipping_info.order_status: Timed Out does not belong on the finished orders topic');
    assert.equal(problemOf('failed', markTimedOut(order, '2025-01-08T00:00:00.000Z')), undefined);
    // A document problem comes before a topic problem: every caller names the same first one.
    assert.equal(problemOf('finished', { ...order, order_id: 'x' }), 'order_id: expected a numeric string of up to 19 digits, got "x"');
  });
});
