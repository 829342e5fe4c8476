/**
 * The worker dies mid-run and nothing is lost. `npm run worker` runs as a child process while 200
 * order lifecycles are under way (scaled mode, so their durable timers span the crash); it is
 * killed with SIGKILL once some orders have finished, and started again. Every order must still end
 * on exactly one terminal topic, as its fate decides, and a message sent twice (an activity retried
 * after the crash) must repeat the same content under the same event id. Then SIGTERM stops the
 * second worker gracefully (exit code 0).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Client, Connection } from '@temporalio/client';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import type { Order } from '../../src/domain/order.js';
import { runDry, runStart, type RunPlan } from '../../src/generator/run.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import { createKafka } from '../../src/kafka/client.js';
import type { LifecycleTopic } from '../../src/kafka/order-producer.js';
import { branchOfOrder } from '../kit/branches.js';
import { auditLifecycle, type TopicMessage } from '../kit/lifecycle-audit.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { DEFAULT_LIFECYCLE_OPTIONS, orderWorkflowId } from '../../src/workflows/contract.js';
import { createPrefixedTopics, readTopic, uniqueTopicPrefix } from '../support/kafka.js';
import { freePort } from '../../src/stack/wait.js';

const N = 200;
const SEED = '777';
/** 7 simulated days (the payment window) in 10 s: lifecycles last 2–18 s, so the crash lands mid-run. */
const SPEED = 60_000;
const KILL_AFTER_TERMINAL = 15;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIFECYCLE_TOPICS: LifecycleTopic[] = ['unpaid', 'paid', 'shipped', 'finished', 'failed'];
const taskQueue = `crash-test-${randomUUID()}`;
const prefix = uniqueTopicPrefix('crash');
const plan: RunPlan = {
  seed: SEED,
  runId: randomInt(1_000_000_000_000, 9_000_000_000_000),
  count: N,
  mode: { kind: 'backfill', from: new Date('2025-06-01T00:00:00Z'), to: new Date('2025-12-31T00:00:00Z') },
};

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm run worker` as a child, with this test's task queue and topics; resolves once it polls. */
async function startWorkerProcess(config: AppConfig): Promise<WorkerProcess> {
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    KAFKA_BROKERS: config.kafka.brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/workers/cli.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 60_000;
  while (!text.includes('polling task queue')) {
    assert.equal(child.exitCode, null, `worker exited early:\n${text}`);
    assert.ok(Date.now() < deadline, `worker did not start polling in 60 s:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => text, exited };
}

async function ordersOf(p: RunPlan): Promise<Order[]> {
  let text = '';
  await runDry(p, { write: (chunk) => ((text += chunk), true), once: () => undefined }, new AbortController().signal);
  return text.trim().split('\n').map((line) => JSON.parse(line) as Order);
}

/** Messages on the terminal topics so far (high watermarks; cheap enough to poll). */
async function terminalCount(config: AppConfig): Promise<number> {
  const admin = createKafka(config.kafka, { logLevel: 'silent' }).admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of [config.kafka.topics.finished, config.kafka.topics.failed]) {
      for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

describe(`worker killed mid-run of ${N} orders`, () => {
  let config: AppConfig;
  let client: Client;
  let connection: Connection;
  let orders: Order[];
  let second: WorkerProcess | undefined;
  const children: ChildProcess[] = [];

  before(async () => {
    const base = loadConfig();
    config = { ...base, kafka: await createPrefixedTopics(base.kafka, prefix), temporal: { ...base.temporal, taskQueue } };
    orders = await ordersOf(plan);
    ({ client, connection } = await connectTemporalClient(config.temporal));
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await connection?.close();
  });

  it('loses no order and never sends a terminal message twice with different content', async () => {
    const first = await startWorkerProcess(config);
    children.push(first.child);
    const starter = new OrderStarter(connection, {
      namespace: config.temporal.namespace,
      taskQueue,
      lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'scaled', speed: SPEED },
    });
    const summary = await runStart(plan, starter, { concurrency: 20, target: config.temporal.address }, new AbortController().signal);
    assert.equal(summary.started, N);

    const deadline = Date.now() + 60_000;
    let doneAtKill: number;
    while ((doneAtKill = await terminalCount(config)) < KILL_AFTER_TERMINAL) {
      assert.ok(Date.now() < deadline, 'some orders finished within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    process.stderr.write(`# killed the worker with ${doneAtKill} of ${N} orders finished\n`);
    assert.ok(doneAtKill < N, 'the kill came mid-run');

    second = await startWorkerProcess(config);
    children.push(second.child);
    const results = await Promise.all(orders.map((o) => client.workflow.getHandle(orderWorkflowId(o.order_id)).result()));
    assert.equal(results.length, N);

    const messages: TopicMessage[] = [];
    for (const topic of LIFECYCLE_TOPICS) {
      for (const m of await readTopic(config.kafka, config.kafka.topics[topic])) messages.push({ topic, key: m.key, value: m.value, headers: m.headers });
    }
    const report = auditLifecycle(messages, orders.map((o) => o.order_id));
    process.stderr.write(`# after the restart: ${messages.length} messages, ${report.duplicates} repeated sends (same event id, same content)\n`);
    assert.deepEqual(report.problems, []);
    for (const order of orders) assert.equal(report.trails.get(order.order_id)?.branch, branchOfOrder(SEED, order), `order ${order.order_id}`);
  });

  it('refuses an unreachable Temporal with one line naming the address and exit code 2', async () => {
    const port = await freePort(); // nothing listens there
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/workers/cli.ts'], {
      cwd: ROOT,
      env: { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}`, KAFKA_BROKERS: config.kafka.brokers.join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 2, stderr);
    assert.match(stderr, new RegExp(`^error: cannot reach Temporal at 127\\.0\\.0\\.1:${port} `));
    assert.equal(stderr.trim().split('\n').length, 1, 'one line, no stack trace');
  });

  it('SIGTERM stops the worker gracefully', async () => {
    assert.ok(second, 'the restarted worker is running');
    second.child.kill('SIGTERM');
    const { code } = await second.exited;
    assert.equal(code, 0, second.output());
    assert.match(second.output(), /SIGTERM: shutting down/);
    assert.match(second.output(), /\[worker\] stopped/);
  });
});
