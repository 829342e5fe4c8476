/**
 * The live pipeline strip: how many orders are in each stage right now, counted in Temporal
 * visibility by the search attributes the workflow keeps up to date (LifecyclePhase, OrderStatus;
 * src/workflows/contract.ts). Scoped to this deployment's task queue, so other deployments (or
 * other test runs) on the same namespace do not mix in.
 *
 * Temporal may be down while Postgres is up: the monitor then reports why, without blocking the
 * page (one connection attempt at a time, retried after RETRY_MS), and the charts carry on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, Connection } from '@temporalio/client';
import type { TemporalConfig } from '../config/config.js';
import { FAILED_STATUSES, type OrderStatus } from '../domain/order.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../logging/logger.js';
import { connectTemporalClient } from '../temporal/connection.js';
import { describeQueue, TaskQueueType } from '../temporal/task-queue.js';
import { WORKFLOW_TYPE, searchAttributes, type LifecyclePhase } from '../workflows/contract.js';

/** Counts are cached this long, so many open pages cost Temporal one round of queries. */
const CACHE_MS = 2_000;
/** After a failed connection, wait this long before trying again. */
const RETRY_MS = 10_000;
/** Deadline of one round of count queries. */
const QUERY_DEADLINE_MS = 3_000;
/** How long a request waits for a connection attempt before answering "connecting". */
const CONNECT_WAIT_MS = 1_000;

export interface StageCounts {
  /** Started, not yet picked up by a worker (no LifecyclePhase yet). */
  waiting: number;
  /** Placed, awaiting payment. */
  placed: number;
  /** Paid, awaiting dispatch. */
  paid: number;
  /** Dispatched, in transit. */
  shipped: number;
  /** Delivered. */
  finished: number;
  /** Ended in failure, by status. */
  failed: Record<string, number>;
}

/**
 * Who serves the task queue, from Temporal's DescribeTaskQueue: workers polling it (recently) and
 * the tasks waiting for them. `state` tells the page what to say:
 *   - no-worker: nobody polls the workflow task queue (start a worker);
 *   - backlog: workers poll, and tasks or started workflows wait for them (they are busy);
 *   - ok: workers poll and nothing waits.
 */
export interface WorkerState {
  state: 'ok' | 'backlog' | 'no-worker';
  workflowPollers: number;
  activityPollers: number;
  /** Approximate tasks waiting on the queue (workflow + activity), when the server reports stats. */
  backlog: number | null;
  /** Age of the oldest waiting task in seconds, when reported. */
  backlogAgeSeconds: number | null;
}

export type PipelineSnapshot =
  | { available: true; at: string; scope: string; counts: StageCounts; failedTotal: number; failureRate: number | null; workers: WorkerState }
  | { available: false; at: string; scope: string; reason: string };

const PHASE = searchAttributes.lifecyclePhase.name;
const STATUS = searchAttributes.orderStatus.name;

function quote(value: string): string {
  return `'${value.replace(/'/g, "\\'")}'`;
}

function phaseIs(...phases: LifecyclePhase[]): string {
  return phases.length === 1 ? `${PHASE} = ${quote(phases[0] as string)}` : `${PHASE} IN (${phases.map(quote).join(', ')})`;
}

/** The visibility queries behind each number of the strip. */
export function stageQueries(taskQueue: string): Record<string, string> {
  const base = `WorkflowType = ${quote(WORKFLOW_TYPE)} AND TaskQueue = ${quote(taskQueue)}`;
  const running = `${base} AND ExecutionStatus = 'Running'`;
  const queries: Record<string, string> = {
    waiting: `${running} AND ${PHASE} IS NULL`,
    placed: `${running} AND ${phaseIs('place', 'payment')}`,
    paid: `${running} AND ${phaseIs('shipping')}`,
    shipped: `${running} AND ${phaseIs('delivery')}`,
    finished: `${base} AND ${phaseIs('done')} AND ${STATUS} = ${quote('Delivered' satisfies OrderStatus)}`,
  };
  for (const status of FAILED_STATUSES) queries[`failed:${status}`] = `${base} AND ${phaseIs('done')} AND ${STATUS} = ${quote(status)}`;
  return queries;
}

/** What the strip says about the workers, from the pollers, the backlog and the workflows not yet picked up. */
export function workerState(workflowPollers: number, activityPollers: number, backlog: number | null, waiting: number, backlogAgeSeconds: number | null = null): WorkerState {
  const state = workflowPollers === 0 ? 'no-worker' : (backlog ?? 0) > 0 || waiting > 0 ? 'backlog' : 'ok';
  return { state, workflowPollers, activityPollers, backlog, backlogAgeSeconds };
}

export class PipelineMonitor {
  private handle?: { client: Client; connection: Connection };
  private connecting?: Promise<void>;
  private lastFailure?: { at: number; reason: string };
  private cached?: { at: number; snapshot: PipelineSnapshot };
  private inFlight?: Promise<PipelineSnapshot>;
  private closed = false;
  private readonly scope: string;

  constructor(
    private readonly config: TemporalConfig,
    private readonly log: Logger,
  ) {
    this.scope = `task queue ${config.taskQueue} on Temporal at ${config.address} (namespace ${config.namespace})`;
  }

  /** The latest counts, or why there are none. Never throws. */
  snapshot(): Promise<PipelineSnapshot> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return Promise.resolve(this.cached.snapshot);
    this.inFlight ??= this.refresh().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    await this.handle?.connection.close();
    this.handle = undefined;
  }

  private async refresh(): Promise<PipelineSnapshot> {
    const snapshot = await this.count();
    this.cached = { at: Date.now(), snapshot };
    return snapshot;
  }

  private unavailable(reason: string): PipelineSnapshot {
    return { available: false, at: new Date().toISOString(), scope: this.scope, reason };
  }

  private async count(): Promise<PipelineSnapshot> {
    const client = await this.client();
    if (!client) {
      const reason = this.connecting ? `connecting to Temporal at ${this.config.address}…` : (this.lastFailure?.reason ?? 'not connected');
      return this.unavailable(reason);
    }
    const queries = stageQueries(this.config.taskQueue);
    try {
      const { namespace, taskQueue } = this.config;
      const [entries, workflowQueue, activityQueue] = await client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        Promise.all([
          Promise.all(Object.entries(queries).map(async ([key, query]) => [key, (await client.workflow.count(query)).count] as const)),
          describeQueue(client, namespace, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
          describeQueue(client, namespace, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
        ]),
      );
      const counts = new Map(entries);
      const backlog = workflowQueue.backlog === null && activityQueue.backlog === null ? null : (workflowQueue.backlog ?? 0) + (activityQueue.backlog ?? 0);
      const age = Math.max(workflowQueue.ageSeconds ?? -1, activityQueue.ageSeconds ?? -1);
      const workers = workerState(workflowQueue.pollers, activityQueue.pollers, backlog, counts.get('waiting') ?? 0, age >= 0 ? age : null);
      return this.available(counts, workers);
    } catch (err) {
      const reason = `Temporal at ${this.config.address} did not answer the stage counts: ${describeError(err)}`;
      this.log.warn(reason);
      // Drop the connection: the next refresh reconnects (the server may have restarted).
      await this.dropConnection(reason);
      return this.unavailable(reason);
    }
  }

  private available(counts: Map<string, number>, workers: WorkerState): PipelineSnapshot {
    const failed: Record<string, number> = {};
    for (const status of FAILED_STATUSES) failed[status] = counts.get(`failed:${status}`) ?? 0;
    const failedTotal = Object.values(failed).reduce((a, b) => a + b, 0);
    const finished = counts.get('finished') ?? 0;
    const ended = finished + failedTotal;
    return {
      available: true,
      at: new Date().toISOString(),
      scope: this.scope,
      counts: {
        waiting: counts.get('waiting') ?? 0,
        placed: counts.get('placed') ?? 0,
        paid: counts.get('paid') ?? 0,
        shipped: counts.get('shipped') ?? 0,
        finished,
        failed,
      },
      failedTotal,
      failureRate: ended > 0 ? failedTotal / ended : null,
      workers,
    };
  }

  private async dropConnection(reason: string): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.lastFailure = { at: Date.now(), reason };
    await handle?.connection.close().catch(() => undefined);
  }

  /** The connected client, connecting if needed; undefined while Temporal is unreachable. */
  private async client(): Promise<Client | undefined> {
    if (this.handle) return this.handle.client;
    if (this.closed) return undefined;
    if (this.lastFailure && Date.now() - this.lastFailure.at < RETRY_MS) return undefined;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    // An unreachable server takes the whole connect timeout to say so: the page is not kept waiting.
    await Promise.race([this.connecting, sleep(CONNECT_WAIT_MS, undefined, { ref: false })]);
    return this.connected();
  }

  /** Read through a method: the awaits above may have set the handle (TypeScript narrowed it away). */
  private connected(): Client | undefined {
    return this.handle?.client;
  }

  private async connect(): Promise<void> {
    try {
      const handle = await connectTemporalClient(this.config);
      if (this.closed) {
        await handle.connection.close();
        return;
      }
      this.handle = handle;
      this.lastFailure = undefined;
      this.log.info(`pipeline strip reads ${this.scope}`);
    } catch (err) {
      const reason = describeError(err);
      this.lastFailure = { at: Date.now(), reason };
      this.log.warn(`pipeline strip: ${reason}`);
    }
  }
}
