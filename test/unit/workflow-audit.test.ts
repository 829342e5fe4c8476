/**
 * The lifecycle audit used by the end-to-end tests: it passes a good run (including a retried send
 * that repeats itself exactly) and names each kind of fault: a lost order, an order on two terminal
 * topics, a skipped stage, a wrong event id, and a retry that changed the content.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Order, Stage } from '../../src/domain/order.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import type { LifecycleTopic } from '../../src/kafka/order-producer.js';
import { eventIdOf, orderMessage } from '../../src/kafka/order-producer.js';
import { auditLifecycle, type TopicMessage } from '../kit/lifecycle-audit.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';
import { markEnded, markPaid, markShipped, markTimedOut } from '../../src/workflows/order-transitions.js';

const generator = new OrderGenerator({ seed: '3', runId: 9 });
const [a, b] = [generator.next(new Date('2025-07-01T00:00:00Z')).order, generator.next(new Date('2025-07-01T01:00:00Z')).order] as [Order, Order];

function msg(topic: LifecycleTopic, stage: Stage, order: Order, eventId = eventIdOf(orderWorkflowId(order.order_id), stage)): TopicMessage {
  const m = orderMessage({ topic, stage, eventId, order });
  const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)]));
  return { topic, key: String(m.key), value: String(m.value), headers };
}

/** `a` delivered, `b` timed out: a good run. */
function goodRun(): TopicMessage[] {
  const paid = markPaid(a, 'Credit Card', '2025-07-01T00:05:00.000Z');
  const shipped = markShipped(paid, { shippingId: 'SHP1', shippedDate: '2025-07-02T00:00:00.000Z', eta: '2025-07-05T00:00:00.000Z' });
  return [
    msg('unpaid', 'place', a),
    msg('paid', 'payment', paid),
    msg('shipped', 'shipping', shipped),
    msg('finished', 'delivery', markEnded(shipped, 'Delivered', '2025-07-04T00:00:00.000Z')),
    msg('unpaid', 'place', b),
    msg('failed', 'payment', markTimedOut(b, '2025-07-08T01:00:00.000Z')),
  ];
}

describe('lifecycle audit', () => {
  it('passes a good run and counts an exact repeat as a duplicate', () => {
    const run = goodRun();
    const report = auditLifecycle([...run, run[3] as TopicMessage], [a.order_id, b.order_id]);
    assert.deepEqual(report.problems, []);
    assert.equal(report.duplicates, 1);
    assert.equal(report.trails.get(a.order_id)?.branch, 'delivered');
    assert.equal(report.trails.get(b.order_id)?.branch, 'timed-out');
    assert.equal(report.branchCounts.delivered, 1);
  });

  it('names a lost order and an order not in the run', () => {
    const report = auditLifecycle(goodRun().slice(0, 4), [a.order_id, b.order_id, '42']);
    assert.ok(report.problems.includes(`order ${b.order_id}: no message at all`));
    assert.ok(report.problems.includes('order 42: no message at all'));
    assert.match(auditLifecycle(goodRun(), [a.order_id]).problems.join('\n'), new RegExp(`order ${b.order_id}: not part of this run`));
  });

  it('names an order with no terminal message, or on both terminal topics', () => {
    assert.match(auditLifecycle(goodRun().slice(0, 3)).problems.join('\n'), /on no terminal topic/);
    // (A second terminal message of `a` would reuse one of its event ids: `b` timed out at payment.)
    const both = [...goodRun(), msg('finished', 'delivery', markEnded(b, 'Delivered', '2025-07-04T00:00:00.000Z'))];
    assert.match(auditLifecycle(both).problems.join('\n'), /on both finished_orders and failed_orders/);
  });

  it('names a skipped stage', () => {
    const run = goodRun().filter((m) => m.topic !== 'shipped');
    assert.match(auditLifecycle(run).problems.join('\n'), /\(delivered\): on finished, paid, unpaid, expected unpaid → paid → shipped → finished/);
  });

  it('names a wrong event id, key or stage', () => {
    const run = goodRun();
    run[0] = msg('unpaid', 'place', a, 'random-id');
    assert.match(auditLifecycle(run).problems.join('\n'), /event id is not <workflowId>:<stage>/);
    const wrongStage = goodRun();
    wrongStage[1] = msg('paid', 'shipping', JSON.parse(wrongStage[1]?.value ?? '') as Order);
    assert.match(auditLifecycle(wrongStage).problems.join('\n'), /stage shipping does not belong on paid/);
    const wrongKey = goodRun();
    wrongKey[0] = { ...(wrongKey[0] as TopicMessage), key: '1' };
    assert.match(auditLifecycle(wrongKey).problems.join('\n'), /key 1 is not the order id/);
  });

  it('names a retried send whose content changed', () => {
    const run = goodRun();
    const changed = markEnded(JSON.parse(run[3]?.value ?? '') as Order, 'Delivered', '2025-07-09T00:00:00.000Z');
    const report = auditLifecycle([...run, msg('finished', 'delivery', changed)]);
    assert.match(report.problems.join('\n'), new RegExp(`finished message order-${a.order_id}:delivery: sent again with different content`));
  });

  it('names a payment that changed between paid_orders and the end', () => {
    const run = goodRun();
    const paidAgain = markPaid(a, 'Bank Transfer', '2025-07-01T00:05:00.000Z');
    run[1] = msg('paid', 'payment', paidAgain);
    assert.match(auditLifecycle(run).problems.join('\n'), /payment changed after paid_orders/);
  });
});
