/**
 * Kafka helpers for tests: topics of their own (a unique prefix), producing order messages as the
 * workflow does, and reading a topic completely (up to its high watermarks at the time of the call).
 */
import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import { topicNames, type AppConfig } from '../../src/config/config.js';
import { createKafka, ensureTopics } from '../../src/kafka/client.js';

export interface TestTopics {
  config: AppConfig;
  kafka: Kafka;
}

/** The config with its own topic names (prefix) and bridge group, topics created. */
export async function createTestTopics(config: AppConfig, partitions = 3): Promise<TestTopics> {
  const prefix = `t${randomUUID().slice(0, 8)}-`;
  const kafkaConfig = { ...config.kafka, topics: topicNames(prefix), topicPartitions: partitions, bridgeGroupId: `${prefix}bridge` };
  const kafka = createKafka(kafkaConfig, { logLevel: 'error' });
  await ensureTopics(kafka, kafkaConfig);
  return { config: { ...config, kafka: kafkaConfig }, kafka };
}

export interface OutMessage {
  key: string | null;
  value: string | Buffer | null;
  headers?: IHeaders;
}

export async function produce(kafka: Kafka, topic: string, messages: OutMessage[], chunk = 1000): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += chunk) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Every message of `topic` up to the high watermarks as they are now, with a throwaway group. */
export async function readAll(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(offsets.filter((o) => o.high !== o.low).map((o) => [o.partition, BigInt(o.high)]));
  const out: ReadMessage[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `read-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`readAll(${topic}): timed out with ${out.length} messages`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const high = remaining.get(partition);
          if (high === undefined || BigInt(message.offset) >= high) return;
          out.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value,
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)])),
          });
          if (BigInt(message.offset) + 1n >= high) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}
