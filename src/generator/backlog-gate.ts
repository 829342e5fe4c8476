/**
 * Holds workflow starts back while the workers are behind. A history (a backfill, npm start's
 * first 30 days) has thousands of orders due at once; started open loop they pile up as a backlog
 * on the task queue, which the dev server then keeps in its SQLite store and matches from there
 * instead of handing each task straight to a waiting poller, so the whole pipeline slows to a
 * fraction of its rate (a 365-day backfill: 51 starts/s but 4.7 rows/s). With the gate the
 * generator starts only as many as keep the backlog under a limit: the server gets work as fast
 * as the workers finish it.
 *
 * The backlog comes from DescribeTaskQueue, probed at most every `intervalMs`. The server caches
 * those stats (5 s by default; the local stack's dev server refreshes them every second), so one
 * snapshot answers many probes: the gate admits what was left under the limit once per snapshot,
 * told apart by its `sample`, and waits for the next one before admitting more. Otherwise a stale
 * "backlog 0" would let a whole history through between two refreshes. With no worker polling
 * (or no stats from the server) there is nothing to pace against and every start goes through:
 * the workflows wait on the queue until a worker comes, as they always did.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { describeQueue, TaskQueueType } from '../temporal/task-queue.js';

export interface QueueReading {
  pollers: number;
  backlog: number | null;
  /** Identifies the server's stats snapshot (equal for two probes of one cached snapshot); absent: every reading is fresh. */
  sample?: string;
}

export type BacklogProbe = () => Promise<QueueReading>;

/** Reads the backlog of a workflow task queue from the Temporal server. */
export function workflowBacklogProbe(client: Pick<Client, 'workflowService'>, namespace: string, taskQueue: string): BacklogProbe {
  return async () => {
    const q = await describeQueue(client, namespace, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
    return { pollers: q.pollers, backlog: q.backlog, ...(q.statsSample === null ? {} : { sample: q.statsSample }) };
  };
}

export interface BacklogGateOptions {
  /** Most workflow tasks allowed to wait for a worker. */
  limit: number;
  /** Least time between two probes (ms). */
  intervalMs?: number;
  /** A probe failed: the gate lets starts through and says so once. */
  onProbeError?: (err: unknown) => void;
  /** A snapshot seen this long is taken as current (an idle queue's stats stop changing). */
  maxStaleMs?: number;
}

export class BacklogGate {
  private budget = 0;
  private refilling: Promise<void> | undefined;
  private lastProbeAt = -Infinity;
  private probeBroken = false;
  /** The snapshot the last admissions were granted on, and when. */
  private granted: { sample: string; at: number } | undefined;
  /** Real ms spent holding starts back, for the run's summary. */
  heldMs = 0;

  constructor(
    private readonly probe: BacklogProbe,
    private readonly options: BacklogGateOptions,
  ) {}

  /**
   * Resolves when one more start may go (at once while under the limit), or when `signal` aborts.
   * `onHold` hears the backlog at every probe that holds the starts back (progress, never silent).
   */
  async admit(signal: AbortSignal, onHold?: (backlog: number) => void): Promise<void> {
    while (this.budget <= 0 && !signal.aborted) {
      this.refilling ??= this.refill(signal, onHold).finally(() => {
        this.refilling = undefined;
      });
      await this.refilling;
    }
    this.budget--;
  }

  private async refill(signal: AbortSignal, onHold?: (backlog: number) => void): Promise<void> {
    const interval = this.options.intervalMs ?? 250;
    const heldFrom = performance.now();
    let held = false;
    try {
      while (!signal.aborted) {
        const wait = this.lastProbeAt + interval - performance.now();
        if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
        if (signal.aborted) return;
        this.lastProbeAt = performance.now();
        const reading = await this.read();
        if (reading.pollers === 0 || reading.backlog === null) {
          this.budget = this.options.limit;
          return;
        }
        if (!this.alreadyGranted(reading.sample)) {
          const room = this.options.limit - reading.backlog;
          if (room > 0) {
            if (reading.sample !== undefined) this.granted = { sample: reading.sample, at: performance.now() };
            this.budget = room;
            return;
          }
          onHold?.(reading.backlog);
        }
        held = true;
      }
    } finally {
      if (held) this.heldMs += performance.now() - heldFrom;
    }
  }

  /** The starts this snapshot allowed have gone; only a newer one (or an old enough one) allows more. */
  private alreadyGranted(sample: string | undefined): boolean {
    if (sample === undefined || this.granted?.sample !== sample) return false;
    return performance.now() - this.granted.at < (this.options.maxStaleMs ?? 15_000);
  }

  private async read(): Promise<QueueReading> {
    if (this.probeBroken) return { pollers: 0, backlog: null };
    try {
      return await this.probe();
    } catch (err) {
      this.probeBroken = true;
      this.options.onProbeError?.(err);
      return { pollers: 0, backlog: null };
    }
  }
}
