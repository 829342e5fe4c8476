/** An order's path through the topics, read back from its dates and status; and its workflow link. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { topicNames } from '../../src/config/config.js';
import { traceUrl, workflowUrl } from '../../src/dashboard/lookup.js';
import { orderPath, type OrderDates } from '../../src/dashboard/order-path.js';
import { stageQueries, workerState } from '../../src/dashboard/pipeline.js';

const topics = topicNames('t1_');
const base: OrderDates = {
  order_status: 'Delivered',
  order_date: '2025-01-01T00:00:00.000Z',
  payment_date: '2025-01-01T01:00:00.000Z',
  shipped_date: '2025-01-02T00:00:00.000Z',
  finished_date: '2025-01-06T00:00:00.000Z',
};

const summary = (o: OrderDates) => orderPath(o, topics).map((s) => `${s.label}@${s.topic}:${s.state}`);

describe('order path', () => {
  test('a delivered order went through every topic and ended on finished_orders', () => {
    assert.deepEqual(summary(base), ['Placed@t1_unpaid_orders:done', 'Paid@t1_paid_orders:done', 'Shipped@t1_shipped_orders:done', 'Delivered@t1_finished_orders:delivered']);
    assert.equal(orderPath(base, topics).at(-1)?.date, base.finished_date);
  });

  test('each failure ends on failed_orders after the stages it reached, with where it failed', () => {
    const timedOut = { ...base, order_status: 'Timed Out' as const, payment_date: null, shipped_date: null };
    assert.deepEqual(summary(timedOut), ['Placed@t1_unpaid_orders:done', 'Timed Out@t1_failed_orders:failed']);
    assert.equal(orderPath(timedOut, topics).at(-1)?.note, 'not paid inside the payment window');
    const beforeDispatch = { ...base, order_status: 'Cancelled' as const, shipped_date: null };
    assert.deepEqual(summary(beforeDispatch), ['Placed@t1_unpaid_orders:done', 'Paid@t1_paid_orders:done', 'Cancelled@t1_failed_orders:failed']);
    assert.equal(orderPath(beforeDispatch, topics).at(-1)?.note, 'cancelled before dispatch');
    const inTransit = { ...base, order_status: 'Cancelled' as const };
    assert.equal(orderPath(inTransit, topics).at(-1)?.note, 'cancelled in transit');
    assert.equal(summary(inTransit).length, 4);
    const returned = { ...base, order_status: 'Returned' as const };
    assert.deepEqual(summary(returned).at(-1), 'Returned@t1_failed_orders:failed');
  });

  test('the Temporal link names the namespace and the order workflow id', () => {
    const link = workflowUrl({ uiUrl: 'http://127.0.0.1:8233', namespace: 'default', address: 'x:1', taskQueue: 'q', tls: false }, '1736942400000000042');
    assert.equal(link.workflowId, 'order-1736942400000000042');
    assert.equal(link.url, 'http://127.0.0.1:8233/namespaces/default/workflows/order-1736942400000000042');
  });

  test("the trace link searches Jaeger for the generator's root span by order.id", () => {
    const { url } = traceUrl('http://127.0.0.1:16686', '1736942400000000042');
    const u = new URL(url);
    assert.equal(`${u.origin}${u.pathname}`, 'http://127.0.0.1:16686/search');
    assert.equal(u.searchParams.get('service'), 'order-generator');
    assert.deepEqual(JSON.parse(u.searchParams.get('tags') ?? ''), { 'order.id': '1736942400000000042' });
  });

  test('the strip counts only order workflows of this task queue, and quotes safely', () => {
    const queries = stageQueries("it's-a-queue");
    for (const q of Object.values(queries)) {
      assert.match(q, /^WorkflowType = 'orderLifecycle' AND TaskQueue = 'it\\'s-a-queue'/);
    }
    assert.match(queries.placed ?? '', /LifecyclePhase IN \('place', 'payment'\)/);
    assert.match(queries['failed:Timed Out'] ?? '', /OrderStatus = 'Timed Out'/);
    assert.deepEqual(Object.keys(queries), ['waiting', 'placed', 'paid', 'shipped', 'finished', 'failed:Timed Out', 'failed:Cancelled', 'failed:Returned']);
  });

  test('the strip tells a missing worker (no pollers) from a backlog (pollers, work waiting)', () => {
    assert.equal(workerState(0, 0, null, 5).state, 'no-worker');
    assert.equal(workerState(0, 2, 0, 0).state, 'no-worker', 'activity pollers alone do not run workflows');
    assert.equal(workerState(2, 2, 40, 0).state, 'backlog');
    assert.equal(workerState(1, 1, null, 3).state, 'backlog', 'without stats, started workflows not picked up are the backlog');
    assert.equal(workerState(1, 1, 0, 0).state, 'ok');
  });
});
