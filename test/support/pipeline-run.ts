/**
 * Orders through the whole pipeline, for tests that run the programs as processes: a run's orders
 * (the real generator, skip time mode), their starts through OrderStarter, the environment that
 * points a worker, a bridge and a dashboard at the test stack with names of their own, and a
 * bounded wait on a count.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Order } from '../../src/domain/order.js';
import { runDry, type RunPlan } from '../../src/generator/run.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import { pollUntil } from '../../src/stack/wait.js';
import type { Connection } from '@temporalio/client';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../../src/workflows/contract.js';

/** `count` orders of a fresh run (its own run id, so no two test runs share order ids). */
export async function ordersOfRun(count: number, seed: string): Promise<Order[]> {
  const plan: RunPlan = {
    seed,
    runId: randomInt(1_000_000_000_000, 9_000_000_000_000),
    count,
    mode: { kind: 'backfill', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-12-31T00:00:00Z') },
  };
  let text = '';
  await runDry(plan, { write: (chunk) => ((text += chunk), true), once: () => undefined }, new AbortController().signal);
  return text.trim().split('\n').map((line) => JSON.parse(line) as Order);
}

/** Starts every order (skip mode: the lifecycle runs without waiting real time); counts what was new. */
export async function startOrders(connection: Connection, settings: { namespace: string; taskQueue: string; seed: string }, orders: Order[]): Promise<{ started: number; existing: number }> {
  const starter = new OrderStarter(connection, {
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: settings.seed, timeMode: 'skip' },
  });
  const counts = { started: 0, existing: 0 };
  let next = 0;
  const work = async () => {
    while (next < orders.length) {
      const result = await starter.start(orders[next++] as Order);
      counts[result]++;
    }
  };
  await Promise.all(Array.from({ length: 10 }, work));
  return counts;
}

/**
 * The environment of a program under test: the test stack's endpoints (from `npm test`), its own
 * database, and a task queue, topics and consumer group no other test file uses.
 */
export function isolatedEnv(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv & { TEMPORAL_TASK_QUEUE: string } {
  const id = `t${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_TASK_QUEUE: `${id}-orders`,
    KAFKA_TOPIC_PREFIX: `${id}-`,
    KAFKA_BRIDGE_GROUP_ID: `${id}-bridge`,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/**
 * Polls `count` (every 250 ms) until it reaches `target`; throws naming `what` after `timeoutMs`.
 * A failed poll (a server slow to accept a connection on a busy machine) counts as "not yet" and
 * is named in the timeout.
 */
export async function waitForCount(what: string, count: () => Promise<number>, target: number, timeoutMs: number): Promise<number> {
  let n = 0;
  let lastError = '';
  const reached = await pollUntil(
    async () => {
      try {
        n = await count();
        lastError = '';
        return n >= target;
      } catch (err) {
        lastError = (err as Error).message;
        return false;
      }
    },
    { timeoutMs, intervalMs: 250 },
  );
  if (!reached) throw new Error(`timed out waiting for ${what}: ${n} of ${target} after ${timeoutMs / 1000} s${lastError ? ` (last error: ${lastError})` : ''}`);
  return n;
}
