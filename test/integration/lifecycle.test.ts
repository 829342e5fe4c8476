/**
 * 200 orders end to end: the generator starts their workflows (skip mode, as a backfill does), a
 * real worker runs them and emits to a real Kafka broker, and the topics are read back and audited:
 * each order once on exactly one terminal topic, every paid/shipped/finished message on its path,
 * event ids `<workflowId>:<stage>`, each order's branch the one its fate decides, and branch shares
 * near docs/simulation.md's (wide tolerances: 200 orders are a small sample).
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Connection } from '@temporalio/client';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import type { Order } from '../../src/domain/order.js';
import { runDry, runStart, type RunPlan } from '../../src/generator/run.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import type { LifecycleTopic } from '../../src/kafka/order-producer.js';
import { branchOfOrder, type Branch } from '../kit/branches.js';
import { auditLifecycle, type AuditReport, type TopicMessage } from '../kit/lifecycle-audit.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { bundleOrderWorkflows, createOrderWorker, type OrderWorker } from '../../src/workers/order-worker.js';
import { DEFAULT_LIFECYCLE_OPTIONS, orderWorkflowId } from '../../src/workflows/contract.js';
import { createPrefixedTopics, readTopic, uniqueTopicPrefix } from '../support/kafka.js';
import { installQuietRuntime } from '../support/temporal.js';

const N = 200;
const SEED = '424242';
const LIFECYCLE_TOPICS: LifecycleTopic[] = ['unpaid', 'paid', 'shipped', 'finished', 'failed'];
const taskQueue = `lifecycle-test-${randomUUID()}`;
const plan: RunPlan = {
  seed: SEED,
  runId: randomInt(1_000_000_000_000, 9_000_000_000_000),
  count: N,
  mode: { kind: 'backfill', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-12-31T00:00:00Z') },
};

/** docs/simulation.md: 77 % paid; of those 5 % cancelled before dispatch; of the rest 95 / 3.5 / 1.5 %. */
const EXPECTED_SHARES: Record<Branch, number> = {
  'timed-out': 0.23,
  'cancelled-before-dispatch': 0.77 * 0.05,
  delivered: 0.77 * 0.95 * 0.95,
  'cancelled-in-transit': 0.77 * 0.95 * 0.035,
  returned: 0.77 * 0.95 * 0.015,
};

let config: AppConfig;
let orders: Order[];
let messages: TopicMessage[];
let report: AuditReport;

async function ordersOf(p: RunPlan): Promise<Order[]> {
  let text = '';
  await runDry(p, { write: (chunk) => ((text += chunk), true), once: () => undefined }, new AbortController().signal);
  return text.trim().split('\n').map((line) => JSON.parse(line) as Order);
}

async function readLifecycleTopics(): Promise<TopicMessage[]> {
  const all: TopicMessage[] = [];
  for (const topic of LIFECYCLE_TOPICS) {
    for (const m of await readTopic(config.kafka, config.kafka.topics[topic])) all.push({ topic, key: m.key, value: m.value, headers: m.headers });
  }
  return all;
}

describe(`${N} orders end to end (skip mode)`, () => {
  let orderWorker: OrderWorker;
  let running: Promise<void>;
  let connection: Connection;

  before(async () => {
    installQuietRuntime();
    const base = loadConfig();
    config = { ...base, kafka: await createPrefixedTopics(base.kafka, uniqueTopicPrefix('lifecycle')), temporal: { ...base.temporal, taskQueue } };
    orders = await ordersOf(plan);
    orderWorker = await createOrderWorker(config, { workflowBundle: await bundleOrderWorkflows() });
    running = orderWorker.run();
    const temporal = await connectTemporalClient(config.temporal);
    connection = temporal.connection;
    const starter = new OrderStarter(connection, {
      namespace: config.temporal.namespace,
      taskQueue,
      lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip' },
    });
    const t0 = performance.now();
    const summary = await runStart(plan, starter, { concurrency: 20, target: config.temporal.address }, new AbortController().signal);
    assert.equal(summary.started, N);
    process.stderr.write(`# started in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    await Promise.all(orders.map((o) => temporal.client.workflow.getHandle(orderWorkflowId(o.order_id)).result()));
    const seconds = (performance.now() - t0) / 1000;
    process.stderr.write(`# ${N} lifecycles (start to last result) in ${seconds.toFixed(1)} s, ${(N / seconds).toFixed(0)} orders/s\n`);
    messages = await readLifecycleTopics();
    report = auditLifecycle(messages, orders.map((o) => o.order_id));
  });

  after(async () => {
    orderWorker?.shutdown();
    await running;
    await connection?.close();
  });

  it('puts each order exactly once on exactly one terminal topic', () => {
    const terminal = messages.filter((m) => m.topic === 'finished' || m.topic === 'failed');
    assert.equal(terminal.length, N);
    assert.equal(new Set(terminal.map((m) => m.key)).size, N);
    assert.deepEqual(report.problems, []);
  });

  it('every message follows its order’s path, with key = order id and event id <workflowId>:<stage>', () => {
    // The audit checks paths, headers and that later messages carry earlier facts forward.
    assert.deepEqual(report.problems, []);
    assert.equal(messages.filter((m) => m.topic === 'unpaid').length, N);
    for (const m of messages) assert.match(m.headers['event-id'] ?? '', new RegExp(`^order-${m.key}:(place|payment|shipping|delivery)$`));
  });

  it('each order takes the branch its fate decides', () => {
    for (const order of orders) {
      assert.equal(report.trails.get(order.order_id)?.branch, branchOfOrder(SEED, order), `order ${order.order_id}`);
    }
  });

  it('branch shares are near docs/simulation.md (about four standard errors at 200 orders)', () => {
    const counts = report.branchCounts;
    process.stderr.write(`# branches of ${N}: ${JSON.stringify(counts)}\n`);
    for (const [branch, p] of Object.entries(EXPECTED_SHARES) as Array<[Branch, number]>) {
      const share = counts[branch] / N;
      const tolerance = 4 * Math.sqrt((p * (1 - p)) / N) + 0.01;
      assert.ok(Math.abs(share - p) <= tolerance, `${branch}: ${share.toFixed(3)} not within ${p.toFixed(3)} ± ${tolerance.toFixed(3)}`);
    }
  });
});
