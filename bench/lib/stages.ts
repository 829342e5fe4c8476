/**
 * Stage figures measured on their own, on the benchmark's stack: the Kafka emit path the worker's
 * activities use (the real OrderProducer: one send per message, acks from all in-sync replicas),
 * with as many sends in flight as the worker runs activities at once.
 */
import type { AppConfig } from '../../src/config/config.js';
import type { Stage } from '../../src/domain/order.js';
import { forEachBounded } from '../../src/generator/bounded.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { OrderProducer, eventIdOf, type OrderEvent } from '../../src/kafka/order-producer.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';
import { createTestTopics } from '../../test/support/kafka.js';

/** Messages one order puts on Kafka on average: 2 timed out (23 %), 3 cancelled before dispatch (3.85 %), 4 otherwise. */
export const MESSAGES_PER_ORDER = 0.23 * 2 + 0.77 * 0.05 * 3 + 0.77 * 0.95 * 4;

const STEPS: Array<{ topic: OrderEvent['topic']; stage: Stage }> = [
  { topic: 'unpaid', stage: 'place' },
  { topic: 'paid', stage: 'payment' },
  { topic: 'shipped', stage: 'shipping' },
  { topic: 'finished', stage: 'delivery' },
];

/** Messages per second through the worker's OrderProducer, `concurrency` sends in flight, to fresh topics. */
export async function kafkaEmitRate(base: AppConfig, messages: number, concurrency: number): Promise<number> {
  const { config } = await createTestTopics(base, base.kafka.topicPartitions);
  const producer = new OrderProducer(config.kafka, { kafkaLogLevel: 'error' });
  const gen = new OrderGenerator({ seed: 'bench-emit', runId: 77 });
  const events: OrderEvent[] = [];
  for (let i = 0; events.length < messages; i++) {
    const order = gen.next(new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000)).order;
    for (const step of STEPS) {
      if (events.length < messages) events.push({ ...step, order, eventId: eventIdOf(orderWorkflowId(order.order_id), step.stage) });
    }
  }
  try {
    // Connect first so the rate measures sending, not the connection.
    await producer.send(events[0] as OrderEvent);
    const t0 = performance.now();
    await forEachBounded(
      (async function* () {
        yield* events.slice(1);
      })(),
      concurrency,
      (e) => producer.send(e),
    );
    return (messages - 1) / ((performance.now() - t0) / 1000);
  } finally {
    await producer.disconnect();
  }
}
