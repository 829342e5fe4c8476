/**
 * The shared order producer: the message layout every consumer relies on (key, value, headers),
 * and that a broker it cannot reach makes a send fail with the address in the message (so the
 * activity fails and Temporal retries it), instead of hanging or succeeding silently.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { HEADERS, ORDER_SCHEMA_VERSION, type Order } from '../../src/domain/order.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { eventIdOf, orderMessage, OrderProducer } from '../../src/kafka/order-producer.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';
import { freePort } from '../../src/stack/wait.js';

const order: Order = new OrderGenerator({ seed: '5', runId: 8 }).next(new Date('2025-06-01T00:00:00Z')).order;

describe('order messages', () => {
  it('event id is <workflowId>:<stage>', () => {
    assert.equal(eventIdOf(orderWorkflowId('123'), 'payment'), 'order-123:payment');
  });

  it('key is the order id, value the order JSON, headers event id, stage and schema version', () => {
    const eventId = eventIdOf(orderWorkflowId(order.order_id), 'place');
    const message = orderMessage({ topic: 'unpaid', stage: 'place', eventId, order });
    assert.equal(message.key, order.order_id);
    assert.deepEqual(JSON.parse(String(message.value)), order);
    assert.deepEqual(message.headers, {
      [HEADERS.eventId]: `order-${order.order_id}:place`,
      [HEADERS.stage]: 'place',
      [HEADERS.schemaVersion]: ORDER_SCHEMA_VERSION,
    });
  });
});

describe('OrderProducer', () => {
  it('fails a send to an unreachable broker with an error naming its address, and can be closed', async () => {
    const port = await freePort(); // nothing listens there
    const config = loadConfig({ KAFKA_BROKERS: `127.0.0.1:${port}` }).kafka;
    const producer = new OrderProducer(config, { kafkaLogLevel: 'silent' });
    const event = { topic: 'unpaid' as const, stage: 'place' as const, eventId: 'order-1:place', order };
    await assert.rejects(producer.send(event), new RegExp(`cannot connect to Kafka at 127\\.0\\.0\\.1:${port}`));
    // A failed connect is retried by the next send (same error, not a stale cached one).
    await assert.rejects(producer.send(event), /cannot connect to Kafka/);
    await producer.disconnect();
    await assert.rejects(producer.send(event), /the order producer is closed/);
  });
});
