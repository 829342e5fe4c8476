/**
 * The worker's producer against the real broker: many sends at once share produce requests
 * (KAFKA_PRODUCER_MAX_IN_FLIGHT, KAFKA_PRODUCER_MAX_BATCH), and whatever the settings every send
 * lands exactly once, keyed by its order, with its own event id, and resolves only once stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { HEADERS, type Order } from '../../src/domain/order.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { eventIdOf, OrderProducer, type OrderEvent } from '../../src/kafka/order-producer.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';
import { createTestTopics, readTopic } from '../support/kafka.js';

const SENDS = 300;

function events(count: number): OrderEvent[] {
  const gen = new OrderGenerator({ seed: 'producer-test', runId: 31 });
  return Array.from({ length: count }, (_, i) => {
    const order: Order = gen.next(new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60_000)).order;
    return { topic: 'unpaid', stage: 'place', order, eventId: eventIdOf(orderWorkflowId(order.order_id), 'place') };
  });
}

describe('OrderProducer on the real broker', () => {
  let base: AppConfig;
  before(() => {
    base = loadConfig();
  });
  const producers: OrderProducer[] = [];
  after(async () => {
    for (const p of producers) await p.disconnect();
  });

  for (const [inFlight, batch] of [
    [1, 1],
    [1, 7],
    [2, 200],
  ] as const) {
    test(`${SENDS} sends at once, ${inFlight} request(s) in flight of at most ${batch} message(s): each stored once, keyed by its order, with its event id`, async () => {
      const { config } = await createTestTopics(base);
      const kafka = { ...config.kafka, producerMaxInFlight: inFlight, producerMaxBatch: batch };
      const producer = new OrderProducer(kafka, { kafkaLogLevel: 'error' });
      producers.push(producer);
      const sent = events(SENDS);
      await Promise.all(sent.map((e) => producer.send(e)));

      // Every send has resolved: each message is on the broker now, none twice.
      const stored = await readTopic(kafka, kafka.topics.unpaid);
      assert.equal(stored.length, SENDS);
      const byEventId = new Map(stored.map((m) => [m.headers[HEADERS.eventId], m]));
      assert.equal(byEventId.size, SENDS);
      for (const e of sent) {
        const m = byEventId.get(e.eventId);
        assert.ok(m, `message ${e.eventId} missing`);
        assert.equal(m.key, e.order.order_id);
        assert.deepEqual(JSON.parse(m.value ?? 'null'), e.order);
      }
    });
  }
});
