/**
 * Consumer lag, the one definition the bridge's metrics and the dashboard share: per partition,
 * the partition's high watermark (the offset the next message will get) minus the group's
 * committed offset (the next message the group will read). Both come from Kafka itself, so the
 * number is the same whoever asks and whether a bridge runs or not. A partition the group has
 * never committed on counts from its low watermark: the bridge starts new groups at the earliest
 * offset, so everything still in the partition is waiting for it.
 */
import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset; -1 when it has none yet. */
  committed: number;
  high: number;
  lag: number;
}

export interface ConsumerLag {
  groupId: string;
  partitions: PartitionLag[];
  /** Sum over the partitions. */
  total: number;
  /** The partition furthest behind (undefined when the topics have none). */
  worst?: PartitionLag;
}

/**
 * Promise.all that waits for every request before it throws the first failure: a caller that then
 * disconnects must not leave a request running, which kafkajs would reconnect for (a connection
 * nobody closes, keeping the process alive).
 */
async function allSettledOrThrow<T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** The lag of `groupId` on every partition of `topics`, read from Kafka through `admin` (connected). */
export async function fetchConsumerLag(admin: Admin, groupId: string, topics: string[]): Promise<ConsumerLag> {
  const [committedByTopic, ...watermarks] = await allSettledOrThrow([admin.fetchOffsets({ groupId, topics }), ...topics.map((t) => admin.fetchTopicOffsets(t))] as const);
  const partitions: PartitionLag[] = [];
  topics.forEach((topic, i) => {
    const committed = new Map((committedByTopic.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    for (const w of watermarks[i] ?? []) {
      const high = Number(w.high);
      const c = committed.get(w.partition) ?? -1;
      const from = c >= 0 ? c : Number(w.low);
      partitions.push({ topic, partition: w.partition, committed: c, high, lag: Math.max(0, high - from) });
    }
  });
  const worst = partitions.reduce<PartitionLag | undefined>((w, p) => (w === undefined || p.lag > w.lag ? p : w), undefined);
  return { groupId, partitions, total: partitions.reduce((sum, p) => sum + p.lag, 0), ...(worst ? { worst } : {}) };
}
