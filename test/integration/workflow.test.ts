/**
 * orderLifecycle on a real Temporal server with a real worker emitting to a real Kafka broker.
 * Every branch is driven through production code: orders are picked (deterministically, by
 * searching order ids of a fixed seed) whose fate is the branch wanted, and people's actions go
 * through the real payOrder / cancelOrder updates and signal. Scaled-mode tests pick a speed that
 * makes the stage under test last a couple of seconds.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError, WorkflowUpdateFailedError, type Client, type Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { validateOrderMessage } from '../../src/bridge/bridge.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { decideFate, type OrderFate } from '../../src/domain/fate.js';
import { provinceForCode } from '../../src/domain/geography.js';
import type { LifecyclePlan } from '../../src/domain/lifecycle-plan.js';
import type { Order } from '../../src/domain/order.js';
import { lifecycleInput } from '../../src/generator/lifecycle-input.js';
import type { LifecycleTopic } from '../../src/kafka/order-producer.js';
import { findOrdersByBranch, type Branch } from '../kit/branches.js';
import { shapeOf } from '../kit/history-shape.js';
import { auditLifecycle, type TopicMessage } from '../kit/lifecycle-audit.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { bundleOrderWorkflows, createOrderWorker, type OrderWorker } from '../../src/workers/order-worker.js';
import {
  DEFAULT_LIFECYCLE_OPTIONS,
  WORKFLOW_TYPE,
  cancelOrderSignal,
  cancelOrderUpdate,
  getOrderQuery,
  orderWorkflowId,
  payOrderUpdate,
  searchAttributes,
  type LifecycleOptions,
  type LifecyclePhase,
  type OrderLifecycleInput,
  type OrderSnapshot,
} from '../../src/workflows/contract.js';
import { createPrefixedTopics, readTopic, uniqueTopicPrefix } from '../support/kafka.js';
import { installQuietRuntime } from '../support/temporal.js';
import { PLAN_FROM_INPUT_PATCH } from '../../src/workflows/order-lifecycle.js';

const SEED = '20250303';
const HOUR = 3_600_000;
const ORDER_DATE = new Date('2025-03-03T10:00:00Z');
const taskQueue = `workflow-test-${randomUUID()}`;
// A run id of its own: order (and so workflow) ids never collide with other test files or runs.
const runId = randomInt(1_000_000_000_000, 9_000_000_000_000);
const LIFECYCLE_TOPICS: LifecycleTopic[] = ['unpaid', 'paid', 'shipped', 'finished', 'failed'];

let config: AppConfig;
let orderWorker: OrderWorker;
let running: Promise<void>;
let client: Client;
let connection: Connection;
/** Candidate orders by branch; each test takes its own so no two share a workflow id. */
let pool: Map<Branch, Order[]>;

/** An unused candidate of `branch` (whose fate also passes `fits`, if given). */
function take(branch: Branch, fits: (fate: OrderFate) => boolean = () => true): Order {
  const candidates = pool.get(branch) ?? [];
  const index = candidates.findIndex((o) => fits(fateOf(o)));
  assert.ok(index >= 0, `an unused ${branch} order that fits`);
  return candidates.splice(index, 1)[0] as Order;
}

/** Simulated ms from the order to a date of its fate. */
function offsetMs(order: Order, date: string): number {
  return Date.parse(date) - Date.parse(order.order_date);
}

function fateOf(order: Order, paymentWindowHours = DEFAULT_LIFECYCLE_OPTIONS.paymentWindowHours): OrderFate {
  return decideFate(SEED, order.order_id, order.order_date, order.shipping_info.express_shipping, { paymentWindowHours });
}

/**
 * Starts the order's run as the generator does (its plan in the input, lifecycleInput), or with
 * `plan: 'asked'` as a client that gives none (the run asks planLifecycle), or with a plan of the
 * caller's.
 */
function start(order: Order, options: Partial<LifecycleOptions> = {}, plan: 'given' | 'asked' | LifecyclePlan = 'given'): Promise<WorkflowHandle> {
  const full: LifecycleOptions = { ...DEFAULT_LIFECYCLE_OPTIONS, timeMode: 'skip', seed: SEED, ...options };
  const input: OrderLifecycleInput = plan === 'given' ? lifecycleInput(order, full) : plan === 'asked' ? { order, options: full } : { order, options: full, plan };
  return client.workflow.start(WORKFLOW_TYPE, { taskQueue, workflowId: orderWorkflowId(order.order_id), args: [input] });
}

async function waitForPhase(handle: WorkflowHandle, phase: LifecyclePhase): Promise<OrderSnapshot> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const snapshot = await handle.query(getOrderQuery);
    if (snapshot.phase === phase) return snapshot;
    assert.ok(Date.now() < deadline, `workflow reached phase ${phase} (still ${snapshot.phase})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The lifecycle messages of these orders, read back from the topics. */
async function messagesOf(orderIds: string[]): Promise<TopicMessage[]> {
  const ids = new Set(orderIds);
  const all: TopicMessage[] = [];
  for (const topic of LIFECYCLE_TOPICS) {
    for (const m of await readTopic(config.kafka, config.kafka.topics[topic])) {
      if (m.key !== null && ids.has(m.key)) all.push({ topic, key: m.key, value: m.value, headers: m.headers });
    }
  }
  return all;
}

/** Audits the orders' messages and returns each order's trail. */
async function auditOrders(orders: Order[]) {
  const report = auditLifecycle(await messagesOf(orders.map((o) => o.order_id)), orders.map((o) => o.order_id));
  assert.deepEqual(report.problems, []);
  return report;
}

function updateRejection(err: unknown): string {
  assert.ok(err instanceof WorkflowUpdateFailedError, `a WorkflowUpdateFailedError, got ${String(err)}`);
  return (err.cause as Error | undefined)?.message ?? '';
}

before(async () => {
  installQuietRuntime();
  const base = loadConfig();
  const kafka = await createPrefixedTopics(base.kafka, uniqueTopicPrefix('workflow'));
  config = { ...base, kafka, temporal: { ...base.temporal, taskQueue } };
  pool = new Map();
  for (let i = 0; i < 12; i++) {
    const found = findOrdersByBranch({ seed: SEED, runId: runId + i, orderDate: ORDER_DATE });
    for (const [branch, order] of found) pool.set(branch, [...(pool.get(branch) ?? []), order]);
  }
  orderWorker = await createOrderWorker(config, { workflowBundle: await bundleOrderWorkflows() });
  running = orderWorker.run();
  ({ client, connection } = await connectTemporalClient(config.temporal));
});

after(async () => {
  orderWorker?.shutdown();
  await running;
  await connection?.close();
});

describe('orderLifecycle, each branch as its fate decides (skip mode)', () => {
  const cases: Array<{ branch: Branch; status: string }> = [
    { branch: 'delivered', status: 'Delivered' },
    { branch: 'timed-out', status: 'Timed Out' },
    { branch: 'cancelled-before-dispatch', status: 'Cancelled' },
    { branch: 'cancelled-in-transit', status: 'Cancelled' },
    { branch: 'returned', status: 'Returned' },
  ];
  const done = new Map<Branch, { order: Order; result: OrderSnapshot }>();

  before(async () => {
    await Promise.all(
      cases.map(async ({ branch }) => {
        const order = take(branch);
        const result = await (await start(order)).result();
        done.set(branch, { order, result: result as OrderSnapshot });
      }),
    );
  });

  for (const { branch, status } of cases) {
    it(`${branch}: ends ${status} with the fate's simulated dates`, () => {
      const { order, result } = done.get(branch) as { order: Order; result: OrderSnapshot };
      const fate = fateOf(order);
      const final = result.order;
      assert.equal(result.phase, 'done');
      assert.equal(final.shipping_info.order_status, status);
      assert.equal(final.order_id, order.order_id);
      assert.deepEqual(final.item_info, order.item_info);
      if (fate.payment.status === 'Timed Out') {
        assert.equal(final.payment_info.payment_status, 'Timed Out');
        assert.equal(final.shipping_info.finished_date, fate.payment.timedOutDate);
        return;
      }
      assert.deepEqual(final.payment_info, { payment_status: 'Paid', payment_method: fate.payment.method, payment_date: fate.payment.paymentDate });
      if (fate.shipping?.outcome === 'Cancelled') {
        assert.equal(final.shipping_info.shipped_date, null);
        assert.equal(final.shipping_info.finished_date, fate.shipping.cancelledDate);
        return;
      }
      assert.ok(fate.shipping && fate.delivery);
      assert.equal(final.shipping_info.shipping_id, fate.shipping.shippingId);
      assert.equal(final.shipping_info.shipped_date, fate.shipping.shippedDate);
      assert.equal(final.shipping_info.eta, fate.shipping.eta);
      assert.equal(final.shipping_info.finished_date, fate.delivery.finishedDate);
    });
  }

  it('each order is on the topics of its path once, with event id <workflowId>:<stage>, and the final message is the result', async () => {
    const orders = [...done.values()].map((d) => d.order);
    const report = await auditOrders(orders);
    for (const { branch } of cases) {
      const { order, result } = done.get(branch) as { order: Order; result: OrderSnapshot };
      const trail = report.trails.get(order.order_id);
      assert.equal(trail?.branch, branch);
      const terminal = trail.byTopic.finished ?? trail.byTopic.failed;
      assert.deepEqual(terminal?.order, result.order);
    }
  });

  it('each run took its plan from the input: local activities are the emits alone, in one workflow task', async () => {
    for (const { branch } of cases) {
      const { order } = done.get(branch) as { order: Order; result: OrderSnapshot };
      const shape = await shapeOf(client.workflow.getHandle(orderWorkflowId(order.order_id)));
      assert.deepEqual(shape.patches, [PLAN_FROM_INPUT_PATCH], branch);
      assert.equal(shape.localActivities[0], 'placeOrder', branch);
      assert.ok(!shape.localActivities.includes('planLifecycle'), `${branch}: ${shape.localActivities.join(',')}`);
      assert.deepEqual(shape.activities, [], branch);
      assert.equal(shape.workflowTasks, 1, branch);
    }
  });

  it('search attributes show the final status, phase done, customer, province and total', async () => {
    for (const { branch, status } of cases) {
      const { order } = done.get(branch) as { order: Order; result: OrderSnapshot };
      const sa = (await client.workflow.getHandle(orderWorkflowId(order.order_id)).describe()).typedSearchAttributes;
      assert.equal(sa.get(searchAttributes.orderStatus), status);
      assert.equal(sa.get(searchAttributes.lifecyclePhase), 'done');
      assert.equal(sa.get(searchAttributes.customerId), order.customer_info.customer_id);
      assert.equal(sa.get(searchAttributes.province), provinceForCode(order.customer_info.provincial_code));
      assert.equal(sa.get(searchAttributes.orderTotal), order.order_total);
    }
  });
});

describe('orderLifecycle with people in the loop (scaled mode)', () => {
  it('a person pays through payOrder; a second payment is refused; a cancel before dispatch ends it Cancelled', async () => {
    const order = take('delivered');
    // Nobody pays automatically: the 7-day window takes 168 s, far longer than this test.
    const handle = await start(order, { timeMode: 'scaled', speed: 3600, simulatePayment: false });
    const waiting = await waitForPhase(handle, 'payment');
    assert.equal(waiting.order.payment_info.payment_status, 'Unpaid');

    const paid = await handle.executeUpdate(payOrderUpdate, { args: [{ method: 'Digital Wallet' }] });
    const payment = paid.order.payment_info;
    assert.equal(payment.payment_status, 'Paid');
    assert.equal(payment.payment_method, 'Digital Wallet');
    const paidAfterMs = Date.parse(payment.payment_date as string) - Date.parse(order.order_date);
    assert.ok(paidAfterMs >= 0 && paidAfterMs <= 168 * HOUR, `paid inside the window (${paidAfterMs} ms after the order)`);

    const again = await handle.executeUpdate(payOrderUpdate, { args: [{ method: 'Bank Transfer' }] }).catch((e: unknown) => e);
    assert.match(updateRejection(again), /not awaiting payment: it was already paid by Digital Wallet/);
    assert.deepEqual((await handle.query(getOrderQuery)).order.payment_info, payment, 'a refused update changes nothing');

    // Dispatch is 24–60 simulated hours after payment (24 s or more here): cancel well before.
    const cancelled = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'found it cheaper elsewhere' }] });
    assert.equal(cancelled.phase, 'done');
    assert.equal(cancelled.order.shipping_info.order_status, 'Cancelled');
    assert.equal(cancelled.order.shipping_info.shipped_date, null);
    const result = (await handle.result()) as OrderSnapshot;
    assert.deepEqual(result, cancelled);
    assert.deepEqual(result.order.payment_info, payment);

    const report = await auditOrders([order]);
    const trail = report.trails.get(order.order_id);
    assert.equal(trail?.branch, 'cancelled-before-dispatch');
    assert.equal(trail.byTopic.failed?.stage, 'shipping');
    assert.equal((await handle.describe()).memo?.cancelReason, 'found it cheaper elsewhere');

    // Paying the cancelled order: it has ended, so the server refuses the update; nothing changes.
    const late = await handle.executeUpdate(payOrderUpdate, { args: [{ method: 'Credit Card' }] }).catch((e: unknown) => e);
    assert.ok(late instanceof Error, 'paying a cancelled order must fail');
    assert.match(late.message, /workflow execution already completed/);
    assert.deepEqual(await handle.query(getOrderQuery), result, 'a refused payment changes nothing');
  });

  it('no payment inside a short window: Timed Out at the window end, on failed_orders', async () => {
    const order = take('delivered');
    const handle = await start(order, { timeMode: 'scaled', speed: 3600, simulatePayment: false, paymentWindowHours: 2 });
    const waiting = await waitForPhase(handle, 'payment');
    assert.equal(waiting.order.shipping_info.order_status, 'Processing');
    const result = (await handle.result()) as OrderSnapshot;
    assert.equal(result.order.shipping_info.order_status, 'Timed Out');
    assert.equal(result.order.payment_info.payment_status, 'Timed Out');
    assert.equal(result.order.shipping_info.finished_date, new Date(Date.parse(order.order_date) + 2 * HOUR).toISOString());
    const trail = (await auditOrders([order])).trails.get(order.order_id);
    assert.equal(trail?.branch, 'timed-out');
    assert.equal(trail.byTopic.failed?.stage, 'payment');
  });

  it('after dispatch, a cancel update is refused and a cancel signal ignored; the order is delivered', async () => {
    // Dispatch comes about 2 s after the start; the parcel is in transit for 2 to 6 s after that.
    const order = take('delivered', (f) => {
      if (f.shipping?.outcome !== 'Shipped' || !f.delivery) return false;
      const transit = Date.parse(f.delivery.finishedDate) - Date.parse(f.shipping.shippedDate);
      const toDispatch = Date.parse(f.shipping.shippedDate) - ORDER_DATE.getTime();
      return transit >= toDispatch && transit <= 3 * toDispatch;
    });
    const fate = fateOf(order);
    assert.ok(fate.shipping?.outcome === 'Shipped' && fate.delivery);
    const speed = offsetMs(order, fate.shipping.shippedDate) / 2000;
    const handle = await start(order, { timeMode: 'scaled', speed });
    const inTransit = await waitForPhase(handle, 'delivery');
    assert.equal(inTransit.order.shipping_info.order_status, 'Shipped');

    const refused = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'too slow' }] }).catch((e: unknown) => e);
    assert.match(updateRejection(refused), new RegExp(`cannot be cancelled: it was dispatched on ${fate.shipping.shippedDate}`));
    await handle.signal(cancelOrderSignal, { reason: 'too slow, really' });
    assert.deepEqual((await handle.query(getOrderQuery)).order, inTransit.order, 'a refused update or ignored signal changes nothing');

    const result = (await handle.result()) as OrderSnapshot;
    assert.equal(result.order.shipping_info.order_status, 'Delivered');
    assert.equal(result.order.shipping_info.finished_date, fate.delivery.finishedDate);
    assert.equal((await auditOrders([order])).trails.get(order.order_id)?.branch, 'delivered');

    // Cancelling the delivered order: it has ended, so the server refuses the update; nothing changes.
    const late = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'after the fact' }] }).catch((e: unknown) => e);
    assert.ok(late instanceof Error, 'cancelling a delivered order must fail');
    assert.match(late.message, /workflow execution already completed/);
    assert.deepEqual(await handle.query(getOrderQuery), result, 'a refused cancel changes nothing');
  });

  it('a cancel signal before dispatch ends the order Cancelled at the shipping stage', async () => {
    // At 1440× an at-once payment (≤ 15 min) lands within 1 s and dispatch (≥ 12 h later) takes 30 s or more.
    const order = take('delivered', (f) => f.payment.status === 'Paid' && Date.parse(f.payment.paymentDate) - ORDER_DATE.getTime() <= 15 * 60_000);
    const fate = fateOf(order);
    assert.ok(fate.payment.status === 'Paid' && fate.shipping?.outcome === 'Shipped');
    const handle = await start(order, { timeMode: 'scaled', speed: (12 * HOUR) / 30_000 });
    await waitForPhase(handle, 'shipping');
    await handle.signal(cancelOrderSignal, { reason: 'ordered twice' });
    const result = (await handle.result()) as OrderSnapshot;
    assert.equal(result.order.shipping_info.order_status, 'Cancelled');
    assert.equal(result.order.payment_info.payment_status, 'Paid');
    const finishedMs = Date.parse(result.order.shipping_info.finished_date as string);
    assert.ok(finishedMs >= Date.parse(fate.payment.paymentDate) && finishedMs <= Date.parse(fate.shipping.shippedDate), 'cancelled between payment and dispatch');
    const trail = (await auditOrders([order])).trails.get(order.order_id);
    assert.equal(trail?.byTopic.failed?.stage, 'shipping');
  });
});

describe('orderLifecycle input checks', () => {
  it('fails at once, non-retryable, when the workflow id is not order-<order_id>', async () => {
    const order = take('delivered');
    const input: OrderLifecycleInput = { order, options: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip' } };
    const handle = await client.workflow.start(WORKFLOW_TYPE, { taskQueue, workflowId: `not-an-order-${randomUUID()}`, args: [input] });
    const err = await handle.result().catch((e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError);
    assert.ok(err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, 'InvalidOrder');
    assert.match(err.cause.message, new RegExp(`workflow id must be order-${order.order_id}`));
  });

  it('refuses a malformed order with the reason the bridge gives for the same document: one schema', async () => {
    const malformed: Array<[string, (x: Order & Record<string, unknown>) => void]> = [
      ['timed-out', (x) => (x.item_info[0]!.quantity = -3)],
      ['cancelled-before-dispatch', (x) => (x.item_info[0]!.sku = 'SKU-9999')],
      ['cancelled-in-transit', (x) => (x.order_total = x.order_total + 1)],
      ['returned', (x) => delete (x as Record<string, unknown>).customer_info],
    ];
    const refused: string[] = [];
    for (const [branch, mutate] of malformed) {
      const order = structuredClone(take(branch as Branch)) as Order & Record<string, unknown>;
      mutate(order);
      const bridge = validateOrderMessage(Buffer.from(JSON.stringify(order)), 'finished', 1_000_000);
      assert.ok(!bridge.ok, 'the bridge dead-letters it');
      const err = await (await start(order)).result().catch((e: unknown) => e);
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, `the workflow fails, got ${String(err)}`);
      assert.equal(err.cause.type, 'InvalidOrder');
      assert.equal(err.cause.nonRetryable, true);
      assert.equal(err.cause.message, bridge.reason, 'the workflow and the bridge give one reason');
      assert.deepEqual(await messagesOf([order.order_id]), [], 'nothing emitted for a refused order');
      refused.push(bridge.reason);
    }
    assert.match(refused[0] ?? '', /^item_info\[0\]\.quantity: expected a positive whole number up to 10000, got -3$/);
    assert.match(refused[3] ?? '', /^customer_info: expected an object, got nothing$/);
  });

  it('a run given no plan asks planLifecycle once and ends as a run given the plan', async () => {
    const asked = take('cancelled-in-transit');
    const handle = await start(asked, {}, 'asked');
    const result = (await handle.result()) as OrderSnapshot;
    const fate = fateOf(asked);
    assert.equal(result.order.shipping_info.order_status, 'Cancelled');
    assert.equal(result.order.shipping_info.finished_date, fate.delivery?.finishedDate);
    assert.deepEqual((await shapeOf(handle)).localActivities, ['placeOrder', 'planLifecycle', 'processPayment', 'shipOrder', 'failOrder']);
    await auditOrders([asked]);
  });

  it('refuses a plan that cannot be the order’s, naming the field; nothing emitted', async () => {
    const order = take('delivered');
    const plan = lifecycleInput(order, { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip' }).plan as LifecyclePlan;
    const early = new Date(Date.parse(order.order_date) - HOUR).toISOString();
    const bad = { ...plan, payment: { ...plan.payment, paymentDate: early } } as LifecyclePlan;
    const err = await (await start(order, {}, bad)).result().catch((e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, `the workflow fails, got ${String(err)}`);
    assert.equal(err.cause.type, 'InvalidOrder');
    assert.equal(err.cause.message, `plan.payment.paymentDate ${early} is before ${order.order_date}`);
    assert.deepEqual(await messagesOf([order.order_id]), [], 'nothing emitted for a refused input');
  });

  it('fails with a message naming the option when speed is not positive', async () => {
    const order = take('delivered');
    const err = await (await start(order, { timeMode: 'scaled', speed: 0 })).result().catch((e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError);
    assert.match((err.cause as Error).message, /options.speed must be a positive number, got 0/);
    assert.deepEqual(await messagesOf([order.order_id]), [], 'nothing emitted for a refused input');
  });
});
