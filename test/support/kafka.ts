/**
 * Kafka helpers for tests: topics of their own (a unique prefix), producing order messages as the
 * workflow does, and reading a topic completely (up to its high watermarks at the time of the call).
 */
import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import { topicNames, type AppConfig, type KafkaConfig } from '../../src/config/config.js';
import { HEADERS } from '../../src/domain/order.js';
import { createKafka, ensureTopics } from '../../src/kafka/client.js';
import { retry } from '../../src/stack/wait.js';
import type { TerminalOrder } from './orders.js';

export interface TestTopics {
  config: AppConfig;
  kafka: Kafka;
}

/** A topic prefix no other test run shares, readable in the broker's topic list. */
export function uniqueTopicPrefix(label = 't'): string {
  return `${label}-${randomUUID().slice(0, 8)}-`;
}

/** The config with its own topic names (prefix) and bridge group, topics created. */
export async function createTestTopics(config: AppConfig, partitions = 3, prefix = uniqueTopicPrefix()): Promise<TestTopics> {
  const kafkaConfig = { ...config.kafka, topics: topicNames(prefix), topicPartitions: partitions, bridgeGroupId: `${prefix}bridge` };
  const kafka = createKafka(kafkaConfig, { logLevel: 'error' });
  // A broker that just started may briefly refuse ("does not host this topic-partition"): a bench's
  // throwaway stack asks at once (the fault suite and bench/pipeline.ts retry the same way).
  await retry(() => ensureTopics(kafka, kafkaConfig), { attempts: 5, delayMs: (attempt) => 1000 * attempt });
  await untilLeadersServe(kafka, Object.values(kafkaConfig.topics));
  return { config: { ...config, kafka: kafkaConfig }, kafka };
}

/**
 * Created topics are listed with leaders before every partition's leader serves: a produce right
 * away can be refused ("not the leader for that topic-partition") and the producer's retry then
 * writes a batch twice, which a test counting messages reads as a duplicate. Listing each topic's
 * offsets asks every partition's leader itself, so once that answers, sends go through first time.
 */
async function untilLeadersServe(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) await retry(() => admin.fetchTopicOffsets(topic), { attempts: 10, delayMs: (attempt) => 200 * attempt });
  } finally {
    await admin.disconnect();
  }
}

/** Kafka settings with topics under `prefix`, created on the broker (for tests that only need the config). */
export async function createPrefixedTopics(kafkaConfig: KafkaConfig, prefix: string): Promise<KafkaConfig> {
  const { config } = await createTestTopics({ kafka: kafkaConfig } as AppConfig, kafkaConfig.topicPartitions, prefix);
  return config.kafka;
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

/** The message the worker's last activity sends for this order: key = order id, event-id and stage headers. */
export function terminalMessage(t: TerminalOrder): OutMessage {
  return { key: t.order.order_id, value: JSON.stringify(t.order), headers: { [HEADERS.eventId]: t.eventId, [HEADERS.stage]: t.eventId.split(':')[1] ?? '' } };
}

/** Each order onto the terminal topic it ends on (finished or failed), as the workflow would. */
export async function produceTerminalOrders(kafka: Kafka, topics: AppConfig['kafka']['topics'], orders: TerminalOrder[]): Promise<void> {
  await produce(kafka, topics.finished, orders.filter((o) => o.kind === 'finished').map(terminalMessage));
  await produce(kafka, topics.failed, orders.filter((o) => o.kind === 'failed').map(terminalMessage));
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

/** Every message of `topic` with its value as text, through a short-lived client of `kafkaConfig`. */
export async function readTopic(kafkaConfig: KafkaConfig, topic: string): Promise<Array<{ key: string | null; value: string | null; headers: Record<string, string> }>> {
  const messages = await readAll(createKafka(kafkaConfig, { logLevel: 'error' }), topic);
  return messages.map((m) => ({ key: m.key, value: m.value?.toString('utf8') ?? null, headers: m.headers }));
}
