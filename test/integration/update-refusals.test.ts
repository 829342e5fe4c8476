/**
 * Update refusals on a real Temporal server: a validator's refusal reaches the client as a
 * non-retryable ApplicationFailure whose message is the reason (not "Error, retryable: true"),
 * and missing input is named rather than reported as an unknown value.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError, type Client, type Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { bundleOrderWorkflows, createOrderWorker, type OrderWorker } from '../../src/workers/order-worker.js';
import {
  DEFAULT_LIFECYCLE_OPTIONS,
  WORKFLOW_TYPE,
  cancelOrderUpdate,
  getOrderQuery,
  orderWorkflowId,
  payOrderUpdate,
  type OrderLifecycleInput,
} from '../../src/workflows/contract.js';
import { createPrefixedTopics, uniqueTopicPrefix } from '../support/kafka.js';
import { installQuietRuntime } from '../support/temporal.js';

const taskQueue = `refusals-test-${randomUUID()}`;
let config: AppConfig;
let orderWorker: OrderWorker;
let running: Promise<void>;
let client: Client;
let connection: Connection;

before(async () => {
  installQuietRuntime();
  const base = loadConfig();
  const kafka = await createPrefixedTopics(base.kafka, uniqueTopicPrefix('refusals'));
  config = { ...base, kafka, temporal: { ...base.temporal, taskQueue } };
  orderWorker = await createOrderWorker(config, { workflowBundle: await bundleOrderWorkflows() });
  running = orderWorker.run();
  ({ client, connection } = await connectTemporalClient(config.temporal));
});

after(async () => {
  orderWorker.shutdown();
  await running;
  await connection.close();
});

/** An order waiting for a person's payment (nobody pays automatically; the window is a week). */
async function awaitingPayment(): Promise<WorkflowHandle> {
  const order = new OrderGenerator({ seed: 'refusals', runId: randomInt(1_000_000_000_000, 9_000_000_000_000) }).next(new Date()).order;
  const input: OrderLifecycleInput = { order, options: { ...DEFAULT_LIFECYCLE_OPTIONS, timeMode: 'scaled', speed: 1, seed: 'refusals', simulatePayment: false } };
  const handle = await client.workflow.start(WORKFLOW_TYPE, { taskQueue, workflowId: orderWorkflowId(order.order_id), args: [input] });
  const deadline = Date.now() + 30_000;
  while ((await handle.query(getOrderQuery)).phase !== 'payment') {
    assert.ok(Date.now() < deadline, 'the order reaches the payment phase');
    await new Promise((r) => setTimeout(r, 50));
  }
  return handle;
}

/** The refusal the client got: a non-retryable ApplicationFailure of type UpdateRefused. */
function refusal(err: unknown): ApplicationFailure {
  assert.ok(err instanceof WorkflowUpdateFailedError, `a WorkflowUpdateFailedError, got ${String(err)}`);
  const cause = err.cause;
  assert.ok(cause instanceof ApplicationFailure, `an ApplicationFailure, got ${String(cause)}`);
  assert.equal(cause.nonRetryable, true);
  assert.equal(cause.type, 'UpdateRefused');
  return cause;
}

describe('update validators', () => {
  it('payOrder without input names the missing { method }; bad values and empty reasons are refused, non-retryable, the order unchanged', async () => {
    const handle = await awaitingPayment();
    const before = await handle.query(getOrderQuery);
    // The client sends no argument at all, as `temporal workflow update execute` without --input does.
    const missing = await handle.executeUpdate(payOrderUpdate, { args: [] as never }).catch((e: unknown) => e);
    assert.match(refusal(missing).message, /^payOrder needs \{ method \} with method one of .*Credit Card.*; got no input$/);
    const unknown = await handle.executeUpdate(payOrderUpdate, { args: [{ method: 'Cash' as never }] }).catch((e: unknown) => e);
    assert.match(refusal(unknown).message, /^unknown payment method "Cash"; expected one of/);
    const noReason = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: ' ' }] }).catch((e: unknown) => e);
    assert.match(refusal(noReason).message, /non-empty reason/);
    assert.deepEqual(await handle.query(getOrderQuery), before, 'refused updates change nothing');

    const cancelled = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'test over' }] });
    assert.equal(cancelled.order.shipping_info.order_status, 'Cancelled');
  });
});
