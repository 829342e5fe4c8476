/**
 * The bridge process when its Kafka consumer stops for good (a crash kafkajs will not restart):
 * it exits non-zero, naming why, instead of living on and consuming nothing; a fresh bridge then
 * stores every order. Real Kafka, real Postgres, the real `npm run bridge` entry point.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { squatGroup } from '../support/group-squatter.js';
import { createTestTopics, produceTerminalOrders, type TestTopics } from '../support/kafka.js';
import { terminalOrders } from '../support/orders.js';
import { waitUntil } from '../support/wait.js';

let topics: TestTopics;
let db: TestDatabase;

before(async () => {
  topics = await createTestTopics(loadConfig());
  db = await createTestDatabase(loadConfig());
});

after(async () => {
  await db.drop();
});

function runBridge(config: AppConfig): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: config.kafka.brokers.join(','),
    KAFKA_TOPIC_PREFIX: config.kafka.topics.finished.replace(/finished_orders$/, ''),
    KAFKA_BRIDGE_GROUP_ID: config.kafka.bridgeGroupId,
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bridge/cli.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

const storedOrders = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM order_record')).rows[0]?.n);

describe('bridge: consumer stopped for good', () => {
  test('a non-retriable consumer crash ends the process with code 1 and the reason; a fresh bridge stores every order', async () => {
    const config = topics.config;
    const orders = terminalOrders(200, 'consumer-crash', 4242);
    await produceTerminalOrders(topics.kafka, config.kafka.topics, orders);
    const squatter = await squatGroup(topics.kafka, config.kafka.bridgeGroupId, config.kafka.topics.finished);
    let squatting = true;
    try {
      const first = runBridge(config);
      const code = await Promise.race([first.exit, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 120_000).unref())]);
      if (code === 'alive') first.child.kill('SIGKILL');
      assert.equal(code, 1, `the bridge must exit 1 when its consumer cannot go on; output:\n${first.output()}`);
      assert.match(first.output(), /crashed and will not restart: .*incompatible.*exiting for the supervisor to restart the bridge/);
      assert.equal(await storedOrders(), 0, 'nothing was consumed by the crashed bridge');
      await squatter.leave();
      squatting = false;

      const second = runBridge(config);
      try {
        await waitUntil('all 200 orders stored by the fresh bridge', async () => (await storedOrders()) === orders.length, 120_000);
      } finally {
        second.child.kill('SIGINT');
      }
      assert.equal(await second.exit, 0, `a SIGINT stops the bridge cleanly; output:\n${second.output()}`);
      assert.equal(await storedOrders(), orders.length);
    } finally {
      if (squatting) await squatter.leave();
    }
  });
});
