/**
 * Orders running on the worker code from before the local-emits patch finish correctly on today's
 * worker, next to new orders (docs/versioning.md). The old code is a frozen copy of the lifecycle
 * as it was deployed (test/fixtures/workflows/lifecycle-v1), bundled for a worker of its own on a
 * real Temporal server emitting to a real Kafka broker. Orders are started on it and left waiting
 * (for a person's payment, for dispatch on a durable timer); that worker stops, today's worker takes
 * the task queue over, people pay and cancel, timers fire, new orders start. Then every order must
 * end as its fate and the people decided, each on the topics of its path exactly once, the old runs
 * in their old shape (emit activities, no patch marker), the new ones in one task.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { decideFate } from '../../src/domain/fate.js';
import type { Order } from '../../src/domain/order.js';
import type { LifecycleTopic } from '../../src/kafka/order-producer.js';
import { findOrdersByBranch, type Branch } from '../kit/branches.js';
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
import { LOCAL_EMITS_PATCH } from '../../src/workflows/order-lifecycle.js';
import { createPrefixedTopics, readTopic, uniqueTopicPrefix } from '../support/kafka.js';
import { installQuietRuntime } from '../support/temporal.js';

const SEED = '20251117';
const ORDER_DATE = new Date('2025-05-05T08:00:00Z');

const OLD_WORKFLOWS = fileURLToPath(new URL('../fixtures/workflows/lifecycle-v1/index.ts', import.meta.url));
const LIFECYCLE_TOPICS: LifecycleTopic[] = ['unpaid', 'paid', 'shipped', 'finished', 'failed'];
const EMITS = new Set(['placeOrder', 'processPayment', 'shipOrder', 'deliverOrder', 'failOrder']);
const taskQueue = `upgrade-test-${randomUUID()}`;
const runId = randomInt(1_000_000_000_000, 9_000_000_000_000);

let config: AppConfig;
let client: Client;
let connection: Connection;
let pool: Map<Branch, Order[]>;

function take(branch: Branch): Order {
  const order = pool.get(branch)?.shift();
  assert.ok(order, `an unused ${branch} order`);
  return order;
}

function start(order: Order, options: Partial<LifecycleOptions> = {}): Promise<WorkflowHandle> {
  return client.workflow.start(WORKFLOW_TYPE, {
    taskQueue,
    workflowId: orderWorkflowId(order.order_id),
    args: [{ order, options: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip', ...options } }],
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

/** What a run's history says about its shape. */
interface Shape {
  patched: boolean;
  emitActivities: string[];
  localActivities: string[];
  workflowTasks: number;
}

async function shapeOf(handle: WorkflowHandle): Promise<Shape> {
  const events = (await handle.fetchHistory()).events ?? [];
  const shape: Shape = { patched: false, emitActivities: [], localActivities: [], workflowTasks: 0 };
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) shape.workflowTasks++;
    const type = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (type) shape.emitActivities.push(type);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_patch') {
      const id = defaultPayloadConverter.fromPayload<string>(marker.details?.['patch-data']?.payloads?.[0] ?? {});
      if (JSON.stringify(id).includes(LOCAL_EMITS_PATCH)) shape.patched = true;
    }
    if (marker?.markerName === 'core_local_activity') {
      const data = defaultPayloadConverter.fromPayload<{ activity_type?: string }>(marker.details?.data?.payloads?.[0] ?? {});
      if (data?.activity_type) shape.localActivities.push(data.activity_type);
    }
  }
  return shape;
}

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

interface Case {
  name: string;
  order: Order;
  handle: WorkflowHandle;
  /** The status it must end with. */
  status: string;
  /** Started on the pre-patch worker. */
  old: boolean;
  result?: OrderSnapshot;
}

describe('upgrade: orders started on the pre-patch worker finish on today’s worker', () => {
  const cases: Case[] = [];

  before(async () => {
    installQuietRuntime();
    const base = loadConfig();
    const kafka = await createPrefixedTopics(base.kafka, uniqueTopicPrefix('upgrade'));
    config = { ...base, kafka, temporal: { ...base.temporal, taskQueue } };
    pool = new Map();
    for (let i = 0; i < 8; i++) {
      for (const [branch, order] of findOrdersByBranch({ seed: SEED, runId: runId + i, orderDate: ORDER_DATE })) {
        pool.set(branch, [...(pool.get(branch) ?? []), order]);
      }
    }
    ({ client, connection } = await connectTemporalClient(config.temporal));
    const [oldBundle, newBundle] = await Promise.all([bundleWorkflowCode({ workflowsPath: OLD_WORKFLOWS, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } }), bundleOrderWorkflows()]);

    // On the pre-patch worker: two orders wait for a person's payment (a year-long window, so only
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
      { name: 'paid by a person after the swap', order: toPay, handle: await start(toPay, waiting), status: 'Shipped or later', old: true },
      { name: 'cancelled by a person after the swap', order: toCancel, handle: await start(toCancel, waiting), status: 'Cancelled', old: true },
      // About 20 s from order to delivery: the swap happens while it waits for dispatch or delivery.
      { name: 'between timers at the swap', order: inTransit, handle: await start(inTransit, { timeMode: 'scaled', speed: spanMs / 20_000 }), status: 'Delivered', old: true },
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
        cases.push({ name: `new ${branch}`, order, handle: await start(order), status, old: false });
      }
      const byPerson = take('delivered');
      cases.push({ name: 'new, paid by a person', order: byPerson, handle: await start(byPerson, waiting), status: 'Shipped or later', old: false });
      await waitForPhase(cases[cases.length - 1]?.handle as WorkflowHandle, ['payment']);
      await cases[cases.length - 1]?.handle.executeUpdate(payOrderUpdate, { args: [{ method: 'Credit Card' }] });
      for (const c of cases) c.result = (await c.handle.result()) as OrderSnapshot;
      })(),
    );
  });

  after(async () => {
    await connection?.close();
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
      const messages = await messagesOf([c.order.order_id]);
      assert.deepEqual(messages.map((m) => `${m.topic} ${m.headers['event-id']}`).sort(), [`failed ${c.handle.workflowId}:payment`, `unpaid ${c.handle.workflowId}:place`], c.name);
      assert.deepEqual(JSON.parse(messages.find((m) => m.topic === 'failed')?.value ?? 'null'), c.result?.order, c.name);
    }
    const ids = audited.map((c) => c.order.order_id);
    const report = auditLifecycle(await messagesOf(ids), ids);
    assert.deepEqual(report.problems, []);
    for (const c of audited) {
      const trail = report.trails.get(c.order.order_id);
      const terminal = trail?.byTopic.finished ?? trail?.byTopic.failed;
      assert.deepEqual(terminal?.order, c.result?.order, c.name);
    }
  });

  it('old runs kept their shape (emit activities, no patch); new runs are one task of local activities', async () => {
    for (const c of cases) {
      const shape = await shapeOf(c.handle);
      if (c.old) {
        assert.equal(shape.patched, false, c.name);
        assert.ok(shape.emitActivities.length >= 2 && shape.emitActivities.every((t) => EMITS.has(t)), `${c.name}: ${shape.emitActivities.join(',')}`);
        assert.ok(!shape.localActivities.includes('planLifecycle'), c.name);
      } else {
        assert.equal(shape.patched, true, c.name);
        assert.deepEqual(shape.emitActivities, [], c.name);
        assert.ok(shape.localActivities.includes('placeOrder'), `${c.name}: ${shape.localActivities.join(',')}`);
        if (!c.name.includes('person')) {
          assert.equal(shape.localActivities[1], 'planLifecycle', c.name);
          assert.equal(shape.workflowTasks, 1, `${c.name}: one workflow task`);
        }
      }
    }
  });
});
