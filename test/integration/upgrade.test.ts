/**
 * Orders running on the worker code of an earlier shape finish correctly on today's worker, next to
 * new orders (docs/versioning.md), for each shape runs may still be open in: before the local-emits
 * patch (test/fixtures/workflows/lifecycle-v1) and before the plan-from-input patch (lifecycle-v2).
 * Each old shape is a frozen copy of the lifecycle as it was deployed, bundled for a worker of its
 * own on a real Temporal server emitting to a real Kafka broker. Orders are started on it as
 * today's generator starts them (plan in the input, which old code ignores) and left waiting (for
 * a person's payment, for dispatch on a durable timer); that worker stops, today's worker takes the
 * task queue over, people pay and cancel, timers fire, new orders start. Then every order must end
 * as its fate and the people decided, each on the topics of its path exactly once, the old runs in
 * their old shape, the new ones in today's: one task, the plan from the input.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { decideFate } from '../../src/domain/fate.js';
import type { Order } from '../../src/domain/order.js';
import { lifecycleInput } from '../../src/generator/lifecycle-input.js';
import type { LifecycleTopic } from '../../src/kafka/order-producer.js';
import { findOrdersByBranch, type Branch } from '../kit/branches.js';
import { shapeOf, type Shape } from '../kit/history-shape.js';
import { auditLifecycle, type TopicMessage } from '../kit/lifecycle-audit.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { bundleOrderWorkflows, createOrderWorker } from '../../src/workers/order-worker.js';
import {
  DEFAULT_LIFECYCLE_OPTIONS,
  WORKFLOW_TYPE,
  cancelOrderUpdate,
  getOrderQuery,
  orderWorkflowId,
  payOrderUpdate,
  type LifecycleOptions,
  type LifecyclePhase,
  type OrderSnapshot,
} from '../../src/workflows/contract.js';
import { LOCAL_EMITS_PATCH, PLAN_FROM_INPUT_PATCH } from '../../src/workflows/order-lifecycle.js';
import { createPrefixedTopics, readTopic, uniqueTopicPrefix } from '../support/kafka.js';
import { installQuietRuntime } from '../support/temporal.js';

const SEED = '20251117';
const ORDER_DATE = new Date('2025-05-05T08:00:00Z');

const LIFECYCLE_TOPICS: LifecycleTopic[] = ['unpaid', 'paid', 'shipped', 'finished', 'failed'];
const EMITS = new Set(['placeOrder', 'processPayment', 'shipOrder', 'deliverOrder', 'failOrder']);
const runId = randomInt(1_000_000_000_000, 9_000_000_000_000);

let client: Client;
let connection: Connection;
let pool: Map<Branch, Order[]>;

function take(branch: Branch): Order {
  const order = pool.get(branch)?.shift();
  assert.ok(order, `an unused ${branch} order`);
  return order;
}

/** Starts the order's run as today's generator does: its plan in the input (lifecycleInput). */
function start(taskQueue: string, order: Order, options: Partial<LifecycleOptions> = {}): Promise<WorkflowHandle> {
  return client.workflow.start(WORKFLOW_TYPE, {
    taskQueue,
    workflowId: orderWorkflowId(order.order_id),
    args: [lifecycleInput(order, { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip', ...options })],
  });
}

async function waitForPhase(handle: WorkflowHandle, phases: LifecyclePhase[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { phase } = await handle.query(getOrderQuery);
    if (phases.includes(phase)) return;
    assert.ok(Date.now() < deadline, `${handle.workflowId} reached ${phases.join(' or ')} (still ${phase})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function messagesOf(config: AppConfig, orderIds: string[]): Promise<TopicMessage[]> {
  const ids = new Set(orderIds);
  const all: TopicMessage[] = [];
  for (const topic of LIFECYCLE_TOPICS) {
    for (const m of await readTopic(config.kafka, config.kafka.topics[topic])) {
      if (m.key !== null && ids.has(m.key)) all.push({ topic, key: m.key, value: m.value, headers: m.headers });
    }
  }
  return all;
}

interface Case {
  name: string;
  order: Order;
  handle: WorkflowHandle;
  /** The status it must end with. */
  status: string;
  /** Started on the old worker. */
  old: boolean;
  result?: OrderSnapshot;
}

interface OldShape {
  name: string;
  /** The frozen workflow module of that shape. */
  workflows: string;
  /** Asserts that an old run kept its shape (`simulated`: its payment was simulated). */
  assertShape(shape: Shape, name: string, simulated: boolean): void;
}

const OLD_SHAPES: OldShape[] = [
  {
    name: 'the pre-patch worker (emit activities)',
    workflows: fileURLToPath(new URL('../fixtures/workflows/lifecycle-v1/index.ts', import.meta.url)),
    assertShape(shape, name) {
      assert.deepEqual(shape.patches, [], name);
      assert.ok(shape.activities.length >= 2 && shape.activities.every((t) => EMITS.has(t)), `${name}: ${shape.activities.join(',')}`);
      assert.ok(!shape.localActivities.includes('planLifecycle'), name);
    },
  },
  {
    name: 'the one-task worker of the local-emits patch (plan asked)',
    workflows: fileURLToPath(new URL('../fixtures/workflows/lifecycle-v2/index.ts', import.meta.url)),
    assertShape(shape, name, simulated) {
      assert.deepEqual(shape.patches, [LOCAL_EMITS_PATCH], name);
      assert.deepEqual(shape.activities, [], name);
      // Its code ignores the input's plan and asks its own: the same decisions.
      assert.equal(shape.localActivities.includes('planLifecycle'), simulated, `${name}: ${shape.localActivities.join(',')}`);
    },
  },
];

/** Today's shape: one patch marker, no scheduled activity, the plan from the input. */
function assertTodaysShape(shape: Shape, name: string, oneTask: boolean): void {
  assert.deepEqual(shape.patches, [PLAN_FROM_INPUT_PATCH], name);
  assert.deepEqual(shape.activities, [], name);
  assert.equal(shape.localActivities[0], 'placeOrder', `${name}: ${shape.localActivities.join(',')}`);
  assert.ok(!shape.localActivities.includes('planLifecycle'), `${name}: ${shape.localActivities.join(',')}`);
  if (oneTask) assert.equal(shape.workflowTasks, 1, `${name}: one workflow task`);
}

before(async () => {
  installQuietRuntime();
  pool = new Map();
  for (let i = 0; i < 16; i++) {
    for (const [branch, order] of findOrdersByBranch({ seed: SEED, runId: runId + i, orderDate: ORDER_DATE })) {
      pool.set(branch, [...(pool.get(branch) ?? []), order]);
    }
  }
  ({ client, connection } = await connectTemporalClient(loadConfig().temporal));
});

after(async () => {
  await connection?.close();
});

for (const from of OLD_SHAPES) {
  describe(`upgrade: orders started on ${from.name} finish on today’s worker`, () => {
    const cases: Case[] = [];
    const taskQueue = `upgrade-test-${randomUUID()}`;
    let config: AppConfig;

    before(async () => {
      const base = loadConfig();
      const kafka = await createPrefixedTopics(base.kafka, uniqueTopicPrefix('upgrade'));
      config = { ...base, kafka, temporal: { ...base.temporal, taskQueue } };
      const [oldBundle, newBundle] = await Promise.all([bundleWorkflowCode({ workflowsPath: from.workflows, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } }), bundleOrderWorkflows()]);

      // On the old worker: two orders wait for a person's payment (a year-long window, so only
      // the person ends the wait), one is between stages on durable timers of simulated time.
      const oldWorker = await createOrderWorker(config, { workflowBundle: oldBundle });
      const oldRunning = oldWorker.run();
      // A year of window at this speed is about three minutes: the person acts long before.
      const waiting = { timeMode: 'scaled', speed: 172_800, simulatePayment: false, paymentWindowHours: 365 * 24 } as const;
      const toPay = take('delivered');
      const toCancel = take('delivered');
      const inTransit = take('delivered');
      const fate = decideFate(SEED, inTransit.order_id, inTransit.order_date, inTransit.shipping_info.express_shipping);
      assert.ok(fate.delivery);
      const spanMs = Date.parse(fate.delivery.finishedDate) - Date.parse(inTransit.order_date);
      cases.push(
        { name: 'paid by a person after the swap', order: toPay, handle: await start(taskQueue, toPay, waiting), status: 'Shipped or later', old: true },
        { name: 'cancelled by a person after the swap', order: toCancel, handle: await start(taskQueue, toCancel, waiting), status: 'Cancelled', old: true },
        // About 20 s from order to delivery: the swap happens while it waits for dispatch or delivery.
        { name: 'between timers at the swap', order: inTransit, handle: await start(taskQueue, inTransit, { timeMode: 'scaled', speed: spanMs / 20_000 }), status: 'Delivered', old: true },
      );
      for (const c of cases) await waitForPhase(c.handle, c.name.startsWith('between') ? ['shipping', 'delivery'] : ['payment']);
      oldWorker.shutdown();
      await oldRunning;

      // Today's worker on the same task queue: people act, timers fire, new orders start.
      const newWorker = await createOrderWorker(config, { workflowBundle: newBundle });
      await newWorker.runUntil(
        (async () => {
          const [paid, cancelled] = cases;
          await (paid as Case).handle.executeUpdate(payOrderUpdate, { args: [{ method: 'Digital Wallet' }] });
          await (cancelled as Case).handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'upgrade test' }] });
          const fresh: Array<[Branch, string]> = [
            ['delivered', 'Delivered'],
            ['timed-out', 'Timed Out'],
            ['cancelled-before-dispatch', 'Cancelled'],
            ['cancelled-in-transit', 'Cancelled'],
            ['returned', 'Returned'],
          ];
          for (const [branch, status] of fresh) {
            const order = take(branch);
            cases.push({ name: `new ${branch}`, order, handle: await start(taskQueue, order), status, old: false });
          }
          const byPerson = take('delivered');
          cases.push({ name: 'new, paid by a person', order: byPerson, handle: await start(taskQueue, byPerson, waiting), status: 'Shipped or later', old: false });
          await waitForPhase(cases[cases.length - 1]?.handle as WorkflowHandle, ['payment']);
          await cases[cases.length - 1]?.handle.executeUpdate(payOrderUpdate, { args: [{ method: 'Credit Card' }] });
          for (const c of cases) c.result = (await c.handle.result()) as OrderSnapshot;
        })(),
      );
    });

    it('every order ends done with the status its fate and the people decided', () => {
      for (const c of cases) {
        assert.equal(c.result?.phase, 'done', c.name);
        const status = c.result?.order.shipping_info.order_status;
        if (c.status === 'Shipped or later') {
          assert.equal(c.result?.order.payment_info.payment_status, 'Paid', c.name);
          assert.ok(status && ['Delivered', 'Cancelled', 'Returned'].includes(status), `${c.name}: ended ${status}`);
        } else {
          assert.equal(status, c.status, c.name);
        }
      }
    });

    it('each order is on the topics of its path exactly once, the last message equal to the result', async () => {
      // An order cancelled while unpaid is no fate branch of the audit: its two messages are checked here.
      const unpaid = cases.filter((c) => c.result?.order.payment_info.payment_status === 'Unpaid');
      const audited = cases.filter((c) => !unpaid.includes(c));
      for (const c of unpaid) {
        const messages = await messagesOf(config, [c.order.order_id]);
        assert.deepEqual(messages.map((m) => `${m.topic} ${m.headers['event-id']}`).sort(), [`failed ${c.handle.workflowId}:payment`, `unpaid ${c.handle.workflowId}:place`], c.name);
        assert.deepEqual(JSON.parse(messages.find((m) => m.topic === 'failed')?.value ?? 'null'), c.result?.order, c.name);
      }
      const ids = audited.map((c) => c.order.order_id);
      const report = auditLifecycle(await messagesOf(config, ids), ids);
      assert.deepEqual(report.problems, []);
      for (const c of audited) {
        const trail = report.trails.get(c.order.order_id);
        const terminal = trail?.byTopic.finished ?? trail?.byTopic.failed;
        assert.deepEqual(terminal?.order, c.result?.order, c.name);
      }
    });

    it('old runs kept their shape; new runs are today’s: one task, the plan from the input', async () => {
      for (const c of cases) {
        const shape = await shapeOf(c.handle);
        const byPerson = c.name.includes('person');
        if (c.old) from.assertShape(shape, c.name, !byPerson);
        else assertTodaysShape(shape, c.name, !byPerson);
      }
    });
  });
}
