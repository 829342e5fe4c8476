/**
 * Who serves a task queue and how much waits on it, from Temporal's DescribeTaskQueue: the
 * dashboard's pipeline strip shows it, and the generator holds its starts back on it while a
 * history catches up (src/generator/backlog-gate.ts).
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

export const TaskQueueType = proto.temporal.api.enums.v1.TaskQueueType;

/** A poller seen longer ago than this has gone (a live worker polls again within a long poll, ~60 s). */
export const POLLER_FRESH_MS = 90_000;

export interface QueueDescription {
  /** Workers polling the queue recently (within POLLER_FRESH_MS). */
  pollers: number;
  /** Tasks waiting for a worker (approximate); null when the server reports no stats. */
  backlog: number | null;
  /** Age of the oldest waiting task in seconds; null without stats. */
  ageSeconds: number | null;
  /** The stats as the server sent them: equal for two answers from one cached snapshot; null without stats. */
  statsSample: string | null;
}

/** Pollers seen within POLLER_FRESH_MS, and the approximate backlog when the server reports stats. */
export async function describeQueue(
  client: Pick<Client, 'workflowService'>,
  namespace: string,
  taskQueue: string,
  type: proto.temporal.api.enums.v1.TaskQueueType,
): Promise<QueueDescription> {
  const res = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: type, reportStats: true });
  const now = Date.now();
  const pollers = (res.pollers ?? []).filter((p) => {
    const seconds = p.lastAccessTime?.seconds;
    return seconds === undefined || seconds === null || now - Number(seconds) * 1000 < POLLER_FRESH_MS;
  }).length;
  const stats = res.stats;
  const age = stats?.approximateBacklogAge?.seconds;
  return {
    pollers,
    backlog: stats ? Number(stats.approximateBacklogCount ?? 0) : null,
    ageSeconds: stats && age !== undefined && age !== null ? Number(age) : null,
    statsSample: stats ? JSON.stringify(stats) : null,
  };
}
