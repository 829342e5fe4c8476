/**
 * Smoke tests of the local stack: a message round-trips through the real Kafka broker, a row
 * through the real Postgres, and a workflow with an activity through the real Temporal server.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pg from 'pg';
import { loadConfig, topicNames } from '../../src/config/config.js';
import { createKafka, ensureTopics } from '../../src/kafka/client.js';
import { installQuietRuntime } from '../support/temporal.js';

const config = loadConfig();

describe('local stack smoke', () => {
  let bundle: WorkflowBundleWithSourceMap;

  before(async () => {
    installQuietRuntime();
    bundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../fixtures/workflows/smoke.ts', import.meta.url)),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
  });

  test('Kafka: a message produced with headers is consumed back', async () => {
    const prefix = `smoke-${randomUUID().slice(0, 8)}-`;
    const kafkaConfig = { ...config.kafka, topics: topicNames(prefix), topicPartitions: 1 };
    const kafka = createKafka(kafkaConfig);
    await ensureTopics(kafka, kafkaConfig);
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `${prefix}group` });
    try {
      await producer.connect();
      await producer.send({ topic: kafkaConfig.topics.unpaid, messages: [{ key: '42', value: '{"order_id":"42"}', headers: { stage: 'place' } }] });
      await consumer.connect();
      await consumer.subscribe({ topic: kafkaConfig.topics.unpaid, fromBeginning: true });
      const received = await new Promise<{ key: string; value: string; stage: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) =>
            resolve({ key: String(message.key), value: String(message.value), stage: String(message.headers?.stage) }),
        });
      });
      assert.deepEqual(received, { key: '42', value: '{"order_id":"42"}', stage: 'place' });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  test('Postgres: a row written is read back', async () => {
    const client = new pg.Client({ connectionString: config.database.url });
    await client.connect();
    try {
      await client.query('CREATE TEMP TABLE smoke (id int primary key, total numeric(12,2))');
      await client.query('INSERT INTO smoke VALUES ($1, $2)', [1, '1234.50']);
      const { rows } = await client.query<{ id: number; total: string }>('SELECT id, total FROM smoke');
      assert.deepEqual(rows, [{ id: 1, total: '1234.50' }]);
    } finally {
      await client.end();
    }
  });

  test('Temporal: a workflow runs an activity on a real worker and returns', async () => {
    const taskQueue = `smoke-${randomUUID()}`;
    const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowBundle: bundle,
      activities: { shout: async (text: string) => text.toUpperCase() },
    });
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const result = await worker.runUntil(
        client.workflow.execute('smokeWorkflow', { taskQueue, workflowId: `smoke-${randomUUID()}`, args: ['temporal'] }),
      );
      assert.equal(result, 'hello TEMPORAL');
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });

});
