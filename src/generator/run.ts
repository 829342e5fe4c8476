/**
 * One generator run: a stream of orders dated by the arrival model (or a fixed rate, for
 * benchmarks), either printed as JSON lines (dry run, never waiting) or handed to Temporal with
 * bounded concurrency, with progress on stderr and a summary at the end. With the run's clock,
 * each order starts once the clock reaches its date: orders already in the clock's past (a
 * backfill, a history) start at once, later ones as the clock gets there. Entry points and tests
 * call these functions; the CLI only parses flags and wires them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Order } from '../domain/order.js';
import { realMomentOf, type SimClockAnchor } from '../domain/sim-clock.js';
import { describeError } from '../logging/logger.js';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../workflows/contract.js';
import { ArrivalProcess, ListedArrivals, LiveClock, spreadArrivals, type ArrivalClock } from './arrivals.js';
import type { BacklogGate } from './backlog-gate.js';
import { forEachBounded } from './bounded.js';
import { UserError } from '../errors/user-error.js';
import { MAX_SEQUENCE } from './ids.js';
import { OrderGenerator } from './order-generator.js';
import type { ProgressReporter } from './progress.js';
import type { OrderStarter } from './workflow-starter.js';

export type RunMode =
  /** The arrival model over a closed window; with `count`, exactly that many spread over it. */
  | { kind: 'backfill'; from: Date; to: Date }
  /** The arrival model from `from` without end: history up to the clock's start, then live. */
  | { kind: 'continuous'; from: Date }
  /** Fixed-rate starts for benchmarks: the i-th order dated and started at start + i / rate s. */
  | { kind: 'live'; /** Date of the first order. */ start: Date; ratePerSecond: number };

export interface RunPlan {
  seed: string;
  runId: number;
  mode: RunMode;
  /** Orders to make: exactly this many over a backfill window; else at most (undefined = no limit). */
  count?: number;
  /**
   * The run's simulated clock. An order starts once the clock reaches its date (at once when it
   * is already past). Without it orders start as fast as they are made (tests, skip mode).
   */
  clock?: SimClockAnchor;
  /** Multiplier of the arrival model's volume (default 1, the model). */
  volume?: number;
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
  /** Real ms the starts were held back for the workers (backlog gate). */
  heldMs?: number;
}

function arrivalsFor(plan: RunPlan): ArrivalClock {
  const { mode } = plan;
  if (mode.kind === 'live') return new LiveClock(mode.start, mode.ratePerSecond);
  if (mode.kind === 'continuous') return new ArrivalProcess(plan.seed, mode.from, undefined, plan.volume ?? 1);
  if (plan.count !== undefined) return new ListedArrivals(spreadArrivals(plan.seed, mode.from, mode.to, plan.count, plan.volume ?? 1), mode.from, mode.to);
  return new ArrivalProcess(plan.seed, mode.from, mode.to, plan.volume ?? 1);
}

interface StreamState {
  arrivals: ArrivalClock;
  generator: OrderGenerator;
  exhausted: boolean;
  /** Date of the latest order made. */
  lastDate?: Date;
  /** Orders made before the first one that had to wait for the clock (the history), once known. */
  caughtUpAt?: number;
}

/** Hooks of a run: `caughtUp` fires once, when the first order has to wait for the clock. */
export interface RunEvents {
  caughtUp?(ordersSoFar: number, lastDate: Date | undefined): void;
}

/** Real milliseconds until the order dated `date` is due; 0 when due now or when nothing paces. */
function dueInMs(plan: RunPlan, date: Date, realStart: number): number {
  if (plan.mode.kind === 'live') return realStart + (date.getTime() - plan.mode.start.getTime()) - performance.now();
  return plan.clock ? realMomentOf(plan.clock, date.getTime()) - Date.now() : 0;
}

/**
 * The plan's orders in sequence. With `pace`, each is yielded once it is due (see RunPlan.clock;
 * fixed-rate runs: i / rate seconds after the stream started); dates never depend on timing.
 */
async function* orderStream(plan: RunPlan, state: StreamState, signal: AbortSignal, pace: boolean, events: RunEvents = {}): AsyncGenerator<Order> {
  const limit = Math.min(plan.count ?? MAX_SEQUENCE, MAX_SEQUENCE);
  const realStart = performance.now();
  while (!signal.aborted && state.generator.count < limit) {
    const date = state.arrivals.next();
    if (!date) return;
    const waitMs = pace ? dueInMs(plan, date, realStart) : 0;
    if (waitMs > 1) {
      if (state.caughtUpAt === undefined) {
        state.caughtUpAt = state.generator.count;
        events.caughtUp?.(state.generator.count, state.lastDate);
      }
      try {
        await sleep(waitMs, undefined, { signal });
      } catch {
        return; // aborted while waiting
      }
    }
    state.lastDate = date;
    yield state.generator.next(date).order;
  }
  state.exhausted = !signal.aborted && plan.count === undefined && state.generator.count >= MAX_SEQUENCE;
}

function newState(plan: RunPlan): StreamState {
  return { arrivals: arrivalsFor(plan), generator: new OrderGenerator({ seed: plan.seed, runId: plan.runId }), exhausted: false };
}

/** Progress detail: the simulated date reached, and how far the history is while catching up. */
function progressOf(plan: RunPlan, state: StreamState): { fraction?: number; detail: string } {
  const date = state.lastDate;
  const detail = date ? `at ${date.toISOString().slice(0, 16).replace('T', ' ')} simulated` : '';
  const fraction = state.arrivals.progress();
  if (fraction !== undefined || plan.mode.kind !== 'continuous' || !plan.clock || !date || date.getTime() >= plan.clock.simStartMs) {
    return fraction !== undefined ? { fraction, detail } : { detail };
  }
  const from = plan.mode.from.getTime();
  const share = (date.getTime() - from) / Math.max(1, plan.clock.simStartMs - from);
  return { fraction: Math.min(1, share), detail: `history ${detail}` };
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
  // A dry run never waits for the clock: it prints as fast as the reader takes the lines.
  for await (const order of orderStream(plan, state, signal, false)) {
    buffer += JSON.stringify(order) + '\n';
    if (buffer.length >= FLUSH_CHARS) await flush();
    const p = progressOf(plan, state);
    progress?.update(state.generator.count, p.fraction, p.detail);
  }
  await flush();
  progress?.finish();
  return summary(state, t0, signal, { started: 0, existing: 0 });
}

function startFailure(order: Order, target: string, err: unknown): UserError {
  const message = describeError(err);
  const hint = /search attribute/i.test(message)
    ? `; register the search attributes (temporal server start-dev ${SEARCH_ATTRIBUTE_REGISTRATIONS.map((a) => `--search-attribute ${a.spec}`).join(' ')})`
    : '';
  return new UserError(`starting the workflow of order ${order.order_id} on Temporal at ${target} failed: ${message}${hint}`, { cause: err });
}

export interface StartRunSettings {
  /** Workflow starts in flight at once. */
  concurrency: number;
  /** Holds starts back while the workers are behind (see backlog-gate.ts); none: start as fast as due. */
  gate?: Pick<BacklogGate, 'admit' | 'heldMs'>;
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
  events: RunEvents = {},
): Promise<RunSummary> {
  const t0 = performance.now();
  const state = newState(plan);
  const counts = { started: 0, existing: 0 };
  const onHold = (backlog: number): void => {
    const p = progressOf(plan, state);
    progress?.update(counts.started + counts.existing, p.fraction, [p.detail, `holding starts: ${backlog} workflow tasks wait for the workers`].filter(Boolean).join('  '));
  };
  await forEachBounded(orderStream(plan, state, signal, true, events), settings.concurrency, async (order) => {
    await settings.gate?.admit(signal, onHold);
    if (signal.aborted) return;
    let result;
    try {
      result = await starter.start(order);
    } catch (err) {
      throw startFailure(order, settings.target, err);
    }
    counts[result]++;
    const p = progressOf(plan, state);
    const detail = [p.detail, counts.existing > 0 ? `${counts.existing} already existed` : ''].filter(Boolean).join('  ');
    progress?.update(counts.started + counts.existing, p.fraction, detail);
  });
  progress?.finish();
  const done = summary(state, t0, signal, counts);
  return settings.gate ? { ...done, heldMs: settings.gate.heldMs } : done;
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
  const held = s.heldMs !== undefined && s.heldMs >= 1000 ? `; held back ${(s.heldMs / 1000).toFixed(0)}s while the workers caught up` : '';
  const why = s.interrupted ? ' (interrupted)' : s.exhausted ? ' (run id used up: start a new run for more orders)' : '';
  return `done${why}: ${what}; ${s.orders} orders in ${secs.toFixed(1)}s (${rate.toFixed(1)} orders/s)${held}; seed ${plan.seed}, run id ${plan.runId}`;
}
