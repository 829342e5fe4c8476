/**
 * One round of the fault suite: N orders started (skip mode, as a backfill), one fault injected
 * once a tenth of them have reached Postgres, then bounded waits until Temporal has closed every
 * workflow and Postgres holds every order, then the exactly-once check.
 */
import { randomInt } from 'node:crypto';
import type { Client, Connection } from '@temporalio/client';
import type { Pool } from '../../src/db/pool.js';
import type { Order } from '../../src/domain/order.js';
import { runDry, type RunPlan } from '../../src/generator/run.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../../src/workflows/contract.js';
import { pollUntil, retry } from '../../src/stack/wait.js';
import { checkRound, closedCount, storedCount, type RoundCheck } from './verify.js';

export interface RoundSettings {
  orders: number;
  seed: string;
  taskQueue: string;
  namespace: string;
  /** Bound on the whole round after the fault (starts, workflows, sink). */
  timeoutMs: number;
  /** Told every few seconds what the round waits for and how far it is. */
  progress: (line: string) => void;
  /** Aborted on Ctrl-C: the round stops waiting and throws, so the suite can clean up. */
  signal: AbortSignal;
}

export interface RoundResult extends RoundCheck {
  fault: string;
  orders: number;
  /** Orders already in Postgres when the fault hit. */
  doneAtFault: number;
  /** Seconds from the fault until the component was back. */
  outageSeconds: number;
  /** Seconds from the fault until every order of the round was closed in Temporal and stored in Postgres. */
  recoverSeconds: number;
  examples: string[];
}

async function ordersOf(plan: RunPlan): Promise<Order[]> {
  let text = '';
  await runDry(plan, { write: (chunk) => ((text += chunk), true), once: () => undefined }, new AbortController().signal);
  return text.trim().split('\n').map((line) => JSON.parse(line) as Order);
}

/**
 * Starts every order, retrying a start that fails (Temporal down mid-round) until the deadline:
 * starts are idempotent (FAIL / REJECT_DUPLICATE), so a retry never makes a second workflow.
 */
async function startAll(starter: OrderStarter, orders: Order[], deadline: number, signal: AbortSignal, concurrency = 20): Promise<void> {
  let next = 0;
  const work = async () => {
    while (next < orders.length && !signal.aborted) {
      const order = orders[next++] as Order;
      try {
        await retry(() => starter.start(order), { attempts: Infinity, delayMs: () => 500, shouldRetry: () => !signal.aborted && Date.now() <= deadline });
      } catch (err) {
        if (signal.aborted) return;
        throw new Error(`could not start order ${order.order_id}: ${(err as Error).message}`, { cause: err });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, work));
}

const PROGRESS_EVERY_MS = 15_000;

/**
 * Polls `count` until it reaches `target` or the deadline. Errors count as "not yet" (the server
 * may be the one that is down) and are named in the progress line and the timeout.
 */
async function waitFor(what: string, count: () => Promise<number>, target: number, deadline: number, { progress, signal }: RoundSettings): Promise<number> {
  let lastError = '';
  let n = 0;
  let nextReport = Date.now() + PROGRESS_EVERY_MS;
  const reached = await pollUntil(
    async () => {
      if (signal.aborted) throw new Error(`interrupted while waiting for ${what} (${n} of ${target})`);
      try {
        n = await count();
        lastError = '';
        if (n >= target) return true;
      } catch (err) {
        lastError = (err as Error).message;
      }
      if (Date.now() >= nextReport) {
        progress(`  ${what}: ${n} of ${target}${lastError ? ` (waiting: ${lastError})` : ''}`);
        nextReport = Date.now() + PROGRESS_EVERY_MS;
      }
      return false;
    },
    { timeoutMs: deadline - Date.now(), intervalMs: 250 },
  );
  if (!reached) throw new Error(`timed out waiting for ${what}: ${n} of ${target}${lastError ? ` (last error: ${lastError})` : ''}`);
  return n;
}

export async function runRound(
  fault: { name: string; inject: () => Promise<void> },
  settings: RoundSettings,
  temporal: { client: Client; connection: Connection },
  pool: Pool,
  closedBefore: number,
): Promise<RoundResult> {
  const plan: RunPlan = {
    seed: settings.seed,
    runId: randomInt(1_000_000_000_000, 9_000_000_000_000),
    count: settings.orders,
    mode: { kind: 'backfill', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-12-31T00:00:00Z') },
  };
  const orders = await ordersOf(plan);
  const ids = orders.map((o) => o.order_id);
  const starter = new OrderStarter(temporal.connection, {
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: settings.seed, timeMode: 'skip' },
  });
  const deadline = Date.now() + settings.timeoutMs;
  const starting = startAll(starter, orders, deadline, settings.signal);
  starting.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
  const trigger = Math.max(1, Math.floor(orders.length / 10));
  const doneAtFault = await waitFor('orders in Postgres before the fault', () => storedCount(pool, ids), trigger, deadline, settings);
  const t0 = performance.now();
  await fault.inject();
  const outageSeconds = (performance.now() - t0) / 1000;
  await starting;
  await waitFor('workflows closed in Temporal', async () => (await closedCount(temporal.client, settings.taskQueue)) - closedBefore, orders.length, deadline, settings);
  await waitFor('orders in Postgres', () => storedCount(pool, ids), orders.length, deadline, settings).catch(() => undefined); // missing rows are reported as lost below
  // Interrupted: rows still on their way are not lost; the round has no verdict.
  if (settings.signal.aborted) throw new Error('interrupted before the round was checked');
  const recoverSeconds = (performance.now() - t0) / 1000;
  const check = await checkRound(temporal.client, pool, ids);
  return { fault: fault.name, orders: orders.length, doneAtFault, outageSeconds, recoverSeconds, ...check };
}
