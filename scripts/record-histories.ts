/**
 * Records one real run of each lifecycle path as a JSON history in test/fixtures/histories/<shape>/,
 * for the replay test (test/integration/replay.test.ts): if a change to the workflow code would make
 * workflows already running fail on replay, that test fails first. Each shape the workflow has had
 * keeps its folder for as long as runs of it may exist (docs/versioning.md): `pre-patch/` was
 * recorded before the local-emits patch, `one-task/` between it and the plan-from-input patch,
 * `plan-from-input/` (CURRENT_SHAPE) since. After a new versioned change, record into a new folder
 * and keep the old ones. Runs are started as the generator starts them (lifecycleInput).
 *
 *   node --import tsx scripts/record-histories.ts [--shape NAME]   (default plan-from-input; needs
 *   Temporal and Kafka: TEMPORAL_ADDRESS, KAFKA_BROKERS)
 *
 * Paths: the five fate branches in skip mode, and in scaled mode a payment and a cancellation by
 * update, a timeout on the durable timer, a cancellation by signal, and a delivery during which a
 * late cancel signal is ignored.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { parseArgs } from 'node:util';
import { runMain } from '../src/cli/main.js';
import { UserError } from '../src/errors/user-error.js';
import { loadConfig, topicNames, type AppConfig } from '../src/config/config.js';
import { decideFate } from '../src/domain/fate.js';
import type { Order } from '../src/domain/order.js';
import { lifecycleInput } from '../src/generator/lifecycle-input.js';
import { createKafka, ensureTopics } from '../src/kafka/client.js';
import { createLogger } from '../src/logging/logger.js';
import { pollUntil } from '../src/stack/wait.js';
import { BRANCHES, findOrdersByBranch, type Branch } from '../test/kit/branches.js';
import { connectTemporalClient } from '../src/temporal/connection.js';
import { historyToJson } from '../src/workers/history-json.js';
import { createOrderWorker } from '../src/workers/order-worker.js';
import {
  DEFAULT_LIFECYCLE_OPTIONS,
  WORKFLOW_TYPE,
  cancelOrderSignal,
  cancelOrderUpdate,
  getOrderQuery,
  orderWorkflowId,
  payOrderUpdate,
  type LifecycleOptions,
  type LifecyclePhase,
} from '../src/workflows/contract.js';

const SEED = '31337';
const HOUR = 3_600_000;
const ORDER_DATE = new Date('2025-04-14T09:30:00Z');
const HISTORIES_ROOT = fileURLToPath(new URL('../test/fixtures/histories/', import.meta.url));
/** The folder today's workflow code records into. */
const CURRENT_SHAPE = 'plan-from-input';

interface Recorder {
  client: Client;
  taskQueue: string;
  candidates: Map<Branch, Order[]>;
}

function take(rec: Recorder, branch: Branch, fits: (o: Order) => boolean = () => true): Order {
  const list = rec.candidates.get(branch) ?? [];
  const i = list.findIndex(fits);
  if (i < 0) throw new Error(`no ${branch} candidate left that fits`);
  return list.splice(i, 1)[0] as Order;
}

function start(rec: Recorder, order: Order, options: Partial<LifecycleOptions>): Promise<WorkflowHandle> {
  return rec.client.workflow.start(WORKFLOW_TYPE, {
    taskQueue: rec.taskQueue,
    workflowId: orderWorkflowId(order.order_id),
    args: [lifecycleInput(order, { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip', ...options })],
  });
}

async function waitForPhase(handle: WorkflowHandle, phase: LifecyclePhase): Promise<void> {
  const reached = await pollUntil(async () => (await handle.query(getOrderQuery)).phase === phase, { timeoutMs: 60_000, intervalMs: 50 });
  if (!reached) throw new Error(`${handle.workflowId} never reached phase ${phase}`);
}

function fateOf(order: Order) {
  return decideFate(SEED, order.order_id, order.order_date, order.shipping_info.express_shipping);
}

/** Each scenario runs one workflow to its end and returns its handle. */
const SCENARIOS: Record<string, (rec: Recorder) => Promise<WorkflowHandle>> = {
  ...Object.fromEntries(BRANCHES.map((branch) => [`skip-${branch}`, (rec: Recorder) => start(rec, take(rec, branch), {})])),

  'scaled-paid-by-update-then-cancelled-by-update': async (rec) => {
    const handle = await start(rec, take(rec, 'delivered'), { timeMode: 'scaled', speed: 3600, simulatePayment: false });
    await waitForPhase(handle, 'payment');
    await handle.executeUpdate(payOrderUpdate, { args: [{ method: 'Credit Card' }] });
    await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'recorded for the replay test' }] });
    return handle;
  },

  'scaled-timed-out': (rec) => start(rec, take(rec, 'delivered'), { timeMode: 'scaled', speed: 3600, simulatePayment: false, paymentWindowHours: 1 }),

  'scaled-cancelled-by-signal': async (rec) => {
    const atOnce = (o: Order) => {
      const p = fateOf(o).payment;
      return p.status === 'Paid' && Date.parse(p.paymentDate) - ORDER_DATE.getTime() <= 15 * 60_000;
    };
    const handle = await start(rec, take(rec, 'delivered', atOnce), { timeMode: 'scaled', speed: (12 * HOUR) / 30_000 });
    await waitForPhase(handle, 'shipping');
    await handle.signal(cancelOrderSignal, { reason: 'recorded for the replay test' });
    return handle;
  },

  'scaled-delivered-late-cancel-ignored': async (rec) => {
    const order = take(rec, 'delivered');
    const fate = fateOf(order);
    if (fate.shipping?.outcome !== 'Shipped' || !fate.delivery) throw new Error('a delivered order ships');
    const spanMs = Date.parse(fate.delivery.finishedDate) - Date.parse(order.order_date);
    const handle = await start(rec, order, { timeMode: 'scaled', speed: spanMs / 60_000 });
    await waitForPhase(handle, 'delivery');
    await handle.signal(cancelOrderSignal, { reason: 'too late, ignored' });
    return handle;
  },
};

async function record(config: AppConfig, shape: string): Promise<string[]> {
  const dir = path.join(HISTORIES_ROOT, shape);
  const log = createLogger('record-histories', config.logLevel);
  const taskQueue = `record-histories-${randomUUID()}`;
  const kafka = { ...config.kafka, topics: topicNames(`record-${randomUUID().slice(0, 8)}-`), topicPartitions: 1 };
  await ensureTopics(createKafka(kafka, { logLevel: 'silent' }), kafka, log);
  const candidates = new Map<Branch, Order[]>();
  const runId = randomInt(1_000_000_000_000, 9_000_000_000_000);
  for (let i = 0; i < 8; i++) {
    for (const [branch, order] of findOrdersByBranch({ seed: SEED, runId: runId + i, orderDate: ORDER_DATE })) {
      candidates.set(branch, [...(candidates.get(branch) ?? []), order]);
    }
  }
  const orderWorker = await createOrderWorker({ ...config, kafka }, { taskQueue, logger: log });
  const { client, connection } = await connectTemporalClient(config.temporal);
  const rec: Recorder = { client, taskQueue, candidates };
  mkdirSync(dir, { recursive: true });
  try {
    // allSettled: a failed scenario must not close the connection under the others still running.
    const outcomes = await orderWorker.runUntil(
      Promise.allSettled(
        Object.entries(SCENARIOS).map(async ([name, run]) => {
          const handle = await run(rec);
          await handle.result();
          const file = path.join(dir, `${name}.json`);
          writeFileSync(file, historyToJson(await handle.fetchHistory()) + '\n');
          return file;
        }),
      ),
    );
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.map((o) => (o as PromiseFulfilledResult<string>).value);
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { shape: { type: 'string', default: CURRENT_SHAPE }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write('Usage: node --import tsx scripts/record-histories.ts [--shape NAME]\n\n  --shape NAME  folder under test/fixtures/histories to write (default plan-from-input, the current shape)\n');
    return;
  }
  if (!/^[a-z0-9-]+$/.test(values.shape)) throw new UserError(`--shape expects lower-case letters, digits and dashes, got "${values.shape}"`);
  const config = loadConfig();
  // The worker's state changes and each order's end are not news here; warnings and errors are.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const files = await record(config, values.shape);
  for (const file of files) process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

runMain(main);
