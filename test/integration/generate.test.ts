/**
 * The generator against a real Temporal server (from the environment, see loadConfig): it starts
 * one `order-<id>` workflow per order with the search attributes set, and starting the same orders
 * again creates none. No worker runs: the workflows just sit scheduled on a task queue of their
 * own, and are terminated at the end.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client, Connection } from '@temporalio/client';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { provinceForCode } from '../../src/domain/geography.js';
import type { Order } from '../../src/domain/order.js';
import { BacklogGate, workflowBacklogProbe } from '../../src/generator/backlog-gate.js';
import type { ProgressReporter } from '../../src/generator/progress.js';
import { runDry, runStart, type RunPlan } from '../../src/generator/run.js';
import { describeQueue, TaskQueueType } from '../../src/temporal/task-queue.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { waitUntil } from '../support/wait.js';
import { DEFAULT_LIFECYCLE_OPTIONS, WORKFLOW_TYPE, orderWorkflowId, searchAttributes } from '../../src/workflows/contract.js';

const N = 20;
const SEED = '4242';
const taskQueue = `generate-test-${randomUUID()}`;
const config: AppConfig = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: taskQueue });
// A run id of its own, so repeated test runs against one server never share order ids.
const runId = Date.now();
const plan = (count: number): RunPlan => ({
  seed: SEED,
  runId,
  count,
  mode: { kind: 'backfill', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-12-31T00:00:00Z') },
});

async function ordersOf(p: RunPlan): Promise<Order[]> {
  let text = '';
  await runDry(p, { write: (chunk) => ((text += chunk), true), once: () => undefined }, new AbortController().signal);
  return text.trim().split('\n').map((line) => JSON.parse(line) as Order);
}

/** Visibility is eventually consistent: poll the list until it shows `expected` workflows. */
async function listIds(client: Client, query: string, expected: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
    if (ids.length >= expected || Date.now() > deadline) return ids.sort();
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('generate → Temporal', () => {
  let client: Client;
  let connection: Connection;
  let starter: OrderStarter;
  const target = `${config.temporal.address} (namespace ${config.temporal.namespace})`;
  const startedIds = new Set<string>();

  before(async () => {
    ({ client, connection } = await connectTemporalClient(config.temporal));
    starter = new OrderStarter(connection, {
      namespace: config.temporal.namespace,
      taskQueue,
      lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip' },
    });
  });

  after(async () => {
    for (const id of startedIds) await client.workflow.getHandle(id).terminate('generate test cleanup').catch(() => undefined);
    await connection?.close();
  });

  it(`starts ${N} order workflows with their search attributes`, async () => {
    const summary = await runStart(plan(N), starter, { concurrency: 20, target }, new AbortController().signal);
    assert.equal(summary.started, N);
    assert.equal(summary.existing, 0);
    const orders = await ordersOf(plan(N));
    assert.equal(orders.length, N);
    for (const order of orders) {
      const id = orderWorkflowId(order.order_id);
      startedIds.add(id);
      const d = await client.workflow.getHandle(id).describe();
      assert.equal(d.type, WORKFLOW_TYPE);
      assert.equal(d.taskQueue, taskQueue);
      assert.equal(d.status.name, 'RUNNING');
      const sa = d.typedSearchAttributes;
      assert.equal(sa.get(searchAttributes.customerId), order.customer_info.customer_id);
      assert.equal(sa.get(searchAttributes.orderStatus), 'Processing');
      assert.equal(sa.get(searchAttributes.province), provinceForCode(order.customer_info.provincial_code));
      assert.equal(sa.get(searchAttributes.orderTotal), order.order_total);
    }
    const listed = await listIds(client, `TaskQueue = '${taskQueue}' AND OrderStatus = 'Processing'`, N);
    assert.deepEqual(listed, [...startedIds].sort());
    assert.ok(listed.every((id) => /^order-\d+$/.test(id)));
  });

  it('starting the same orders again creates no workflow', async () => {
    const before = new Map<string, string>();
    for (const id of startedIds) before.set(id, (await client.workflow.getHandle(id).describe()).runId);
    const again = await runStart(plan(N), starter, { concurrency: 20, target }, new AbortController().signal);
    assert.equal(again.started, 0);
    assert.equal(again.existing, N);
    for (const [id, runIdBefore] of before) assert.equal((await client.workflow.getHandle(id).describe()).runId, runIdBefore);
    // A longer run over the same ids starts only the new orders.
    const longer = await runStart(plan(N + 5), starter, { concurrency: 7, target }, new AbortController().signal);
    assert.equal(longer.started, 5);
    assert.equal(longer.existing, N);
    for (const o of await ordersOf(plan(N + 5))) startedIds.add(orderWorkflowId(o.order_id));
    const listed = await listIds(client, `TaskQueue = '${taskQueue}'`, N + 5);
    assert.equal(listed.length, N + 5);
    assert.equal(new Set(listed).size, N + 5);
  });

  it('holds starts back while workflow tasks wait for a worker (backlog gate)', async () => {
    // One poll makes a worker "seen" on a queue of its own; it takes the first task and never
    // completes it, so every later start adds to the backlog the server reports.
    const gateQueue = `${taskQueue}-gate`;
    const poll = connection
      .withDeadline(Date.now() + 60_000, () =>
        connection.workflowService.pollWorkflowTaskQueue({ namespace: config.temporal.namespace, taskQueue: { name: gateQueue }, identity: 'generate-test-poller' }),
      )
      .catch(() => undefined);
    const gateStarter = new OrderStarter(connection, { namespace: config.temporal.namespace, taskQueue: gateQueue, lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip' } });
    const gate = new BacklogGate(workflowBacklogProbe(connection, config.temporal.namespace, gateQueue), { limit: 3, intervalMs: 100 });
    const stop = new AbortController();
    const held: number[] = [];
    const gatePlan = { ...plan(20), runId: runId + 2 };
    // Wait until the server lists the poller, so the gate sees a worker from the first start.
    await waitUntil(`a poller on ${gateQueue}`, async () => (await describeQueue(connection, config.temporal.namespace, gateQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)).pollers > 0, 10_000, 100);
    const run = runStart(gatePlan, gateStarter, { concurrency: 5, target, gate }, stop.signal, {
      update: (_done: number, _f?: number, detail?: string) => {
        const m = /holding starts: (\d+) workflow tasks/.exec(detail ?? '');
        if (m) held.push(Number(m[1]));
        if (held.length >= 3) stop.abort();
      },
      finish: () => undefined,
    } as unknown as ProgressReporter);
    const timer = setTimeout(() => stop.abort(), 60_000);
    const summary = await run;
    clearTimeout(timer);
    for (const o of await ordersOf(gatePlan)) startedIds.add(orderWorkflowId(o.order_id));
    await poll;
    assert.ok(held.length >= 3, `the gate never held (started ${summary.started} of 20)`);
    assert.ok(held.every((b) => b >= 3), `held at backlogs ${held.join(', ')}`);
    // One grant per stats snapshot: at most the limit before the first backlog shows, the limit after.
    assert.ok(summary.started >= 3 && summary.started <= 6, `started ${summary.started} of 20: the gate let the backlog grow past its limit`);
  });

  it('the CLI starts workflows and reports them in its summary', () => {
    const cliRunId = String(runId + 1);
    const r = spawnSync(
      process.execPath,
      // A one-day history: all three orders are in the clock's past, so they start at once.
      ['--import', 'tsx', 'src/generator/cli.ts', '--backfill', '1d', '--count', '3', '--seed', SEED, '--run-id', cliRunId],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue } },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /3 workflows started, 0 already existed/);
    for (let seq = 1; seq <= 3; seq++) startedIds.add(orderWorkflowId(`${cliRunId}${String(seq).padStart(6, '0')}`));
  });
});
