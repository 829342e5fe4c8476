/**
 * One generator run: a stream of orders (dated by a backfill or live clock, paced in live mode),
 * either printed as JSON lines (dry run) or handed to Temporal with bounded concurrency, with
 * progress on stderr and a summary at the end. Entry points and tests call these functions; the
 * CLI only parses flags and wires them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Order } from '../domain/order.js';
import { describeError } from '../logging/logger.js';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../workflows/contract.js';
import { BackfillClock, LiveClock, type ArrivalClock } from './arrivals.js';
import { forEachBounded } from './bounded.js';
import { UserError } from '../cli/main.js';
import { MAX_SEQUENCE } from './ids.js';
import { OrderGenerator } from './order-generator.js';
import type { ProgressReporter } from './progress.js';
import type { OrderStarter } from './workflow-starter.js';

export type RunMode =
  | { kind: 'live'; /** Date of the first order. */ start: Date; ratePerSecond: number }
  | { kind: 'backfill'; from: Date; to: Date };

export interface RunPlan {
  seed: string;
  runId: number;
  mode: RunMode;
  /** Orders to make at most; undefined = until the window ends, the signal fires or ids run out. */
  count?: number;
}

export interface RunSummary {
  orders: number;
  started: number;
  existing: number;
  elapsedMs: number;
  /** Stopped by the signal (Ctrl-C) before the plan was done. */
  interrupted: boolean;
  /** Stopped because the run id's 999,999 order ids were used up. */
  exhausted: boolean;
}

function clockFor(plan: RunPlan): ArrivalClock {
  return plan.mode.kind === 'backfill'
    ? new BackfillClock(plan.seed, plan.mode.from, plan.mode.to)
    : new LiveClock(plan.mode.start, plan.mode.ratePerSecond);
}

interface StreamState {
  clock: ArrivalClock;
  generator: OrderGenerator;
  exhausted: boolean;
}

/**
 * The plan's orders in sequence. Live orders are paced: the i-th waits until i / rate seconds
 * after the stream started, and is dated at that scheduled moment, so dates are repeatable.
 */
async function* orderStream(plan: RunPlan, state: StreamState, signal: AbortSignal, beforeWait?: () => void): AsyncGenerator<Order> {
  const limit = Math.min(plan.count ?? MAX_SEQUENCE, MAX_SEQUENCE);
  const realStart = performance.now();
  while (!signal.aborted && state.generator.count < limit) {
    const date = state.clock.next();
    if (!date) return;
    if (plan.mode.kind === 'live') {
      const waitMs = realStart + (date.getTime() - plan.mode.start.getTime()) - performance.now();
      if (waitMs > 1) {
        beforeWait?.();
        try {
          await sleep(waitMs, undefined, { signal });
        } catch {
          return; // aborted while waiting
        }
      }
    }
    yield state.generator.next(date).order;
  }
  state.exhausted = !signal.aborted && plan.count === undefined && state.generator.count >= MAX_SEQUENCE;
}

function newState(plan: RunPlan): StreamState {
  return { clock: clockFor(plan), generator: new OrderGenerator({ seed: plan.seed, runId: plan.runId }), exhausted: false };
}

export interface LineSink {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

const FLUSH_CHARS = 64 * 1024;

/** Dry run: every order as one JSON line on `out`, nothing started. */
export async function runDry(plan: RunPlan, out: LineSink, signal: AbortSignal, progress?: ProgressReporter): Promise<RunSummary> {
  const t0 = performance.now();
  const state = newState(plan);
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (buffer === '') return;
    const ok = out.write(buffer);
    buffer = '';
    if (!ok && !signal.aborted) {
      // Wait for the reader, unless the run is stopped (Ctrl-C, or the reader went away).
      await new Promise<void>((resolve) => {
        out.once('drain', resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  };
  let pendingFlush: Promise<void> = Promise.resolve();
  for await (const order of orderStream(plan, state, signal, () => void (pendingFlush = flush()))) {
    await pendingFlush;
    buffer += JSON.stringify(order) + '\n';
    if (buffer.length >= FLUSH_CHARS) await flush();
    progress?.update(state.generator.count, state.clock.progress());
  }
  await pendingFlush;
  await flush();
  progress?.finish();
  return summary(state, t0, signal, { started: 0, existing: 0 });
}

function startFailure(order: Order, target: string, err: unknown): UserError {
  const message = describeError(err);
  const hint = /search attribute/i.test(message)
    ? `; register the search attributes (temporal server start-dev ${Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES)
        .map(([name, type]) => `--search-attribute ${name}=${type}`)
        .join(' ')})`
    : '';
  return new UserError(`starting the workflow of order ${order.order_id} on Temporal at ${target} failed: ${message}${hint}`, { cause: err });
}

export interface StartRunSettings {
  /** Workflow starts in flight at once. */
  concurrency: number;
  /** Where the workflows go, for error messages (address and namespace). */
  target: string;
}

/** Starts one workflow per order; a repeated order id is counted as existing, never started twice. */
export async function runStart(
  plan: RunPlan,
  starter: OrderStarter,
  settings: StartRunSettings,
  signal: AbortSignal,
  progress?: ProgressReporter,
): Promise<RunSummary> {
  const t0 = performance.now();
  const state = newState(plan);
  const counts = { started: 0, existing: 0 };
  await forEachBounded(orderStream(plan, state, signal), settings.concurrency, async (order) => {
    let result;
    try {
      result = await starter.start(order);
    } catch (err) {
      throw startFailure(order, settings.target, err);
    }
    counts[result]++;
    const detail = counts.existing > 0 ? `${counts.existing} already existed` : '';
    progress?.update(counts.started + counts.existing, state.clock.progress(), detail);
  });
  progress?.finish();
  return summary(state, t0, signal, counts);
}

function summary(state: StreamState, t0: number, signal: AbortSignal, counts: { started: number; existing: number }): RunSummary {
  return {
    orders: state.generator.count,
    ...counts,
    elapsedMs: performance.now() - t0,
    interrupted: signal.aborted,
    exhausted: state.exhausted,
  };
}

/** The closing line of a run. */
export function formatSummary(s: RunSummary, dryRun: boolean, plan: RunPlan): string {
  const secs = s.elapsedMs / 1000;
  const rate = secs > 0 ? s.orders / secs : 0;
  const what = dryRun ? `${s.orders} orders printed` : `${s.started} workflows started, ${s.existing} already existed (skipped)`;
  const why = s.interrupted ? ' (interrupted)' : s.exhausted ? ' (run id used up: start a new run for more orders)' : '';
  return `done${why}: ${what}; ${s.orders} orders in ${secs.toFixed(1)}s (${rate.toFixed(1)} orders/s); seed ${plan.seed}, run id ${plan.runId}`;
}
