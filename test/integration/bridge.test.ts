/**
 * The bridge against the real Kafka and Postgres: valid orders land once with their lines, bad
 * messages are dead-lettered with a reason, replays change nothing, and neither a SIGKILL of the
 * bridge nor a Postgres outage loses or doubles an order.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { startBridge } from '../../src/bridge/bridge.js';
import { DLQ_HEADERS } from '../../src/bridge/dead-letter.js';
import type { Order } from '../../src/domain/order.js';
import { createLogger } from '../../src/logging/logger.js';
import { startPostgres, type PostgresServer } from '../../src/stack/postgres.js';
import { freePort } from '../../src/stack/wait.js';
import { createTestDatabase, tableFingerprint, type TestDatabase } from '../support/database.js';
import { createTestTopics, produce, produceTerminalOrders, readAll, terminalMessage, type TestTopics } from '../support/kafka.js';
import { terminalOrders, type TerminalOrder } from '../support/orders.js';

const baseConfig = loadConfig();
const log = createLogger('bridge-test', 'error');
const MAX_BYTES = 64 * 1024;

async function produceOrders(topics: TestTopics, orders: TerminalOrder[]): Promise<void> {
  await produceTerminalOrders(topics.kafka, topics.config.kafka.topics, orders);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const count = async (db: TestDatabase, sql: string) => Number((await db.pool.query<{ n: string }>(sql)).rows[0]?.n);

/** The group has committed everything the two terminal topics hold right now. */
async function caughtUp(topics: TestTopics, groupId: string): Promise<boolean> {
  const admin = topics.kafka.admin();
  await admin.connect();
  try {
    const { finished, failed } = topics.config.kafka.topics;
    for (const topic of [finished, failed]) {
      const high = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const p of high) {
        const c = committed?.partitions.find((x) => x.partition === p.partition)?.offset ?? '-1';
        if (p.high !== '0' && c !== p.high) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

/** Twenty ways a message can be wrong, each with the words its reason must contain. */
function malformed(valid: Order): Array<{ value: string | null; reason: RegExp; topic: 'finished' | 'failed' }> {
  const o = (): Order => JSON.parse(JSON.stringify(valid)) as Order;
  const set = (mutate: (x: Order & Record<string, unknown>) => void): string => {
    const x = o() as Order & Record<string, unknown>;
    mutate(x);
    return JSON.stringify(x);
  };
  return [
    { value: 'not json{', reason: /not JSON/, topic: 'finished' },
    { value: null, reason: /empty message/, topic: 'finished' },
    { value: '[1,2,3]', reason: /order: expected an object/, topic: 'finished' },
    { value: set((x) => (x.order_total = 'abc' as unknown as number)), reason: /^order_total: expected an amount/, topic: 'finished' },
    { value: set((x) => (x.item_info[0]!.quantity = -3)), reason: /item_info\[0\]\.quantity: expected a positive whole number.*got -3/, topic: 'finished' },
    { value: set((x) => (x.order_total = x.order_total + 1)), reason: /order_total: .* is not the sum of the subtotals/, topic: 'finished' },
    { value: set((x) => (x.item_info[0]!.sku = 'SKU-9999')), reason: /item_info\[0\]\.sku: expected a SKU of the catalogue/, topic: 'finished' },
    { value: JSON.stringify({ ...o(), padding: 'x'.repeat(MAX_BYTES) }), reason: /over the limit of 65536/, topic: 'finished' },
    { value: set((x) => delete (x as Record<string, unknown>).customer_info), reason: /customer_info: expected an object, got nothing/, topic: 'finished' },
    { value: set(() => undefined), reason: /Delivered does not belong on the failed orders topic/, topic: 'failed' },
    { value: set((x) => (x.order_date = 'yesterday')), reason: /^order_date: expected an ISO-8601 date/, topic: 'finished' },
    { value: set((x) => (x.order_id = "1'; DROP TABLE order_info; --")), reason: /order_id: expected a numeric string/, topic: 'finished' },
    { value: set((x) => (x.item_info[0]!.subtotal = x.item_info[0]!.subtotal + 0.01)), reason: /item_info\[0\]\.subtotal: .* is not unit_price/, topic: 'finished' },
    { value: set((x) => x.item_info.push({ ...x.item_info[0]! })), reason: /line_no: expected a line number used once/, topic: 'finished' },
    { value: set((x) => (x.item_variety = 99)), reason: /item_variety: expected the number of lines/, topic: 'finished' },
    { value: set((x) => (x.customer_info.provincial_code = 'XX-1')), reason: /provincial_code: expected an ISO 3166-2:PH code/, topic: 'finished' },
    { value: set((x) => (x.item_info[0]!.discount_percent = 150)), reason: /discount_percent: expected a number from 0 to 100/, topic: 'finished' },
    { value: set((x) => (x.payment_info.payment_method = 'Barter' as never)), reason: /payment_method: expected one of Bank Transfer/, topic: 'finished' },
    { value: set((x) => (x.shipping_info.shipped_date = null)), reason: /shipping_info\.shipped_date: expected a shipped date on a Delivered order, got null/, topic: 'finished' },
    { value: set((x) => (x.item_info[0]!.quantity = 2.5)), reason: /item_info\[0\]\.quantity: expected a positive whole number/, topic: 'finished' },
  ];
}

describe('bridge: 1,000 orders and 20 bad messages', () => {
  let topics: TestTopics;
  let db: TestDatabase;
  let config: AppConfig;
  const orders = terminalOrders(1000, 'bridge-seed');
  // A hostile but valid name is stored verbatim, never executed.
  const hostile = "Robert'); DROP TABLE order_info;--";
  const perCustomer = new Map<string, number>();
  for (const o of orders) perCustomer.set(o.order.customer_info.customer_id, (perCustomer.get(o.order.customer_info.customer_id) ?? 0) + 1);
  // A one-time customer, so no later order of theirs legitimately updates the name.
  const target = orders.find((o) => perCustomer.get(o.order.customer_info.customer_id) === 1)!;
  target.order.customer_info.customer_name = hostile;
  const bad = malformed(orders.find((o) => o.kind === 'finished')!.order);

  before(async () => {
    topics = await createTestTopics(baseConfig);
    db = await createTestDatabase(baseConfig);
    config = { ...topics.config, database: db.config.database, kafka: { ...topics.config.kafka, maxMessageBytes: MAX_BYTES } };
    await produceOrders(topics, orders.slice(0, 500));
    const { finished, failed } = config.kafka.topics;
    for (const b of bad) await produce(topics.kafka, b.topic === 'finished' ? finished : failed, [{ key: 'bad', value: b.value }]);
    await produceOrders(topics, orders.slice(500));
  });
  after(async () => {
    await db?.drop();
  });

  test('every valid order lands once with its lines and total; every bad one is dead-lettered with its reason', async () => {
    const bridge = await startBridge(config, log);
    try {
      await waitFor('1,000 orders and 20 dead letters', async () => (await caughtUp(topics, config.kafka.bridgeGroupId)));
    } finally {
      await bridge.stop();
    }
    assert.equal(await count(db, 'SELECT count(*) AS n FROM order_record'), 1000);
    assert.equal(await count(db, 'SELECT count(*) AS n FROM item_record'), orders.reduce((n, o) => n + o.order.item_info.length, 0));
    const totals = await db.pool.query<{ order_id: string; order_total: string; lines: string }>(
      'SELECT o.order_id, o.order_total::text, sum(i.subtotal)::text AS lines FROM order_record o JOIN item_record i USING (order_id) GROUP BY 1, 2',
    );
    const expected = new Map(orders.map((o) => [o.order.order_id, o.order.order_total]));
    for (const row of totals.rows) {
      assert.equal(Number(row.order_total), expected.get(row.order_id), `total of ${row.order_id}`);
      assert.equal(row.order_total, row.lines, `lines of ${row.order_id} add up`);
    }
    const status = await db.pool.query<{ order_id: string; order_status: string }>('SELECT order_id, order_status FROM order_record');
    const statusOf = new Map(orders.map((o) => [o.order.order_id, o.order.shipping_info.order_status]));
    for (const r of status.rows) assert.equal(r.order_status, statusOf.get(r.order_id));
    const name = await db.pool.query('SELECT customer_name FROM customer_info WHERE customer_id = $1', [target.order.customer_info.customer_id]);
    assert.equal(name.rows[0]?.customer_name, hostile);

    const letters = await readAll(topics.kafka, config.kafka.topics.deadLetter);
    assert.equal(letters.length, 20);
    const reasons = letters.map((l) => l.headers[DLQ_HEADERS.reason] ?? '');
    for (const b of bad) assert.ok(reasons.some((r) => b.reason.test(r)), `a dead letter says ${b.reason}; got:\n${reasons.join('\n')}`);
    for (const l of letters) {
      assert.match(l.headers[DLQ_HEADERS.topic] ?? '', /(finished|failed)_orders$/);
      assert.match(l.headers[DLQ_HEADERS.offset] ?? '', /^\d+$/);
    }
    assert.equal(await count(db, 'SELECT count(*) AS n FROM dead_letters'), 20);
  });

  test('replaying every message from offset 0 leaves every table byte-for-byte the same', async () => {
    const before = await tableFingerprint(db.pool);
    const replayGroup = `${config.kafka.bridgeGroupId}-replay`;
    const bridge = await startBridge(config, log, { groupId: replayGroup });
    try {
      await waitFor('the replay to catch up', () => caughtUp(topics, replayGroup));
    } finally {
      await bridge.stop();
    }
    assert.deepEqual(await tableFingerprint(db.pool), before);
    assert.equal(before.order_record?.rows, 1000);
  });
});

describe('bridge: a database that refuses for a reason other than the data', () => {
  test('a write refused for lack of privilege dead-letters nothing and waits, saying why; granted again, every order lands', async () => {
    const topics = await createTestTopics(baseConfig);
    const db = await createTestDatabase(baseConfig);
    const login = { name: `bridge_${randomUUID().replace(/-/g, '').slice(0, 10)}`, password: randomUUID() };
    await db.pool.query(`CREATE ROLE ${login.name} LOGIN PASSWORD '${login.password}' IN ROLE order_bridge`);
    // A set-up mistake, not bad data: the bridge role lost INSERT on one of its tables.
    await db.pool.query('REVOKE INSERT ON item_record FROM order_bridge');
    const url = new URL(db.url);
    url.username = login.name;
    url.password = login.password;
    const config = { ...topics.config, database: { ...db.config.database, url: url.toString() } };
    const lines: string[] = [];
    const bridge = await startBridge(config, createLogger('bridge-test', 'warn', (line) => lines.push(line) > 0));
    try {
      const orders = terminalOrders(10, 'privilege-seed', 99);
      await produceOrders(topics, orders);
      await waitFor('the bridge to say it waits for the grant', () => Promise.resolve(lines.some((l) => /refused the write for a reason that is not the data/.test(l))), 60_000);
      assert.equal(await count(db, 'SELECT count(*) AS n FROM order_record'), 0, 'nothing half-written');
      assert.equal(await count(db, 'SELECT count(*) AS n FROM dead_letters'), 0, 'valid orders are not dead-lettered');
      assert.deepEqual(await readAll(topics.kafka, topics.config.kafka.topics.deadLetter), []);
      assert.ok(lines.some((l) => /refused the write for a reason that is not the data .*\(permission denied for table item_record\); waiting/.test(l)), `the bridge should say what it waits for:\n${lines.join('\n')}`);
      await db.pool.query('GRANT INSERT ON item_record TO order_bridge');
      await waitFor('every order once the grant is back', async () => (await count(db, 'SELECT count(*) AS n FROM order_record')) === 10, 120_000);
      assert.equal(await count(db, 'SELECT count(*) AS n FROM dead_letters'), 0);
    } finally {
      await bridge.stop();
      await db.drop();
      const admin = new pg.Client({ connectionString: baseConfig.database.url });
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS ${login.name}`).finally(() => admin.end());
    }
  });
});

function runBridgeProcess(config: AppConfig): ChildProcess {
  const env = {
    ...process.env,
    DATABASE_URL: config.database.url,
    KAFKA_BROKERS: config.kafka.brokers.join(','),
    KAFKA_TOPIC_PREFIX: config.kafka.topics.finished.replace(/finished_orders$/, ''),
    KAFKA_BRIDGE_GROUP_ID: config.kafka.bridgeGroupId,
    LOG_LEVEL: 'error',
  };
  return spawn(process.execPath, ['--import', 'tsx', 'src/bridge/cli.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

const exited = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

describe('bridge: crashes and outages', () => {
  test('SIGKILL in the middle of 20,000 orders, then a restart: every order exactly once', async () => {
    const topics = await createTestTopics(baseConfig);
    const db = await createTestDatabase(baseConfig);
    try {
      const config = { ...topics.config, database: db.config.database };
      const orders = terminalOrders(20_000, 'crash-seed', 777);
      await produceOrders(topics, orders);
      const first = runBridgeProcess(config);
      await waitFor('the first rows', async () => (await count(db, 'SELECT count(*) AS n FROM order_record')) >= 2000);
      first.kill('SIGKILL');
      await exited(first);
      const atKill = await count(db, 'SELECT count(*) AS n FROM order_record');
      assert.ok(atKill < 20_000, `killed mid-run (had ${atKill})`);
      const second = runBridgeProcess(config);
      try {
        await waitFor('all 20,000 orders', async () => (await count(db, 'SELECT count(*) AS n FROM order_record')) >= 20_000, 300_000);
        await waitFor('offsets committed', () => caughtUp(topics, config.kafka.bridgeGroupId));
      } finally {
        second.kill('SIGTERM');
        await exited(second);
      }
      assert.equal(second.exitCode, 0, 'a SIGTERM stops the bridge cleanly');
      assert.equal(await count(db, 'SELECT count(*) AS n FROM order_record'), 20_000);
      assert.equal(await count(db, 'SELECT count(DISTINCT order_id) AS n FROM order_record'), 20_000);
      assert.equal(await count(db, 'SELECT count(*) AS n FROM item_record'), orders.reduce((n, o) => n + o.order.item_info.length, 0));
    } finally {
      await db.drop();
    }
  });

  test('Postgres stopped during a run and started again: nothing lost', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'order-pipeline-pgfault-'));
    const pgConfig = loadConfig({ ...process.env, STACK_POSTGRES_PORT: String(await freePort()), DATABASE_URL: undefined });
    let server: PostgresServer | undefined;
    try {
      server = await startPostgres(pgConfig.stack, dataDir, log);
      const topics = await createTestTopics(baseConfig);
      const config = { ...topics.config, database: { ...pgConfig.database, url: server.url }, bridge: { ...baseConfig.bridge, batchSize: 100 } };
      const orders = terminalOrders(5000, 'outage-seed', 888);
      const warnings: string[] = [];
      const bridge = await startBridge(config, createLogger('bridge-test', 'warn', (line) => warnings.push(line) > 0));
      try {
        await produceOrders(topics, orders.slice(0, 1000));
        const { createPool } = await import('../../src/db/pool.js');
        const probe = () => {
          const pool = createPool(config.database, { max: 1 });
          return pool.query<{ n: string }>('SELECT count(*) AS n FROM order_record').then((r) => Number(r.rows[0]?.n)).finally(() => pool.end());
        };
        await waitFor('the first rows', async () => (await probe()) > 0);
        await server.stop();
        await produceOrders(topics, orders.slice(1000));
        // The outage lasts until the bridge has met it (and said so), not a fixed time.
        await waitFor('the bridge to meet the outage', () => Promise.resolve(warnings.some((l) => /Postgres at .* (did not take the write|did not answer)/.test(l))), 60_000);
        await server.start();
        await waitFor('all 5,000 orders after the outage', async () => (await probe()) >= 5000, 180_000);
        await waitFor('offsets committed', () => caughtUp(topics, config.kafka.bridgeGroupId));
        assert.equal(await probe(), 5000);
      } finally {
        await bridge.stop();
      }
    } finally {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('bridge: schema-version and ksqlDB', () => {
  test('a message of an unknown schema-version is dead-lettered with the reason; version 1 and unversioned ones are stored; ksqlDB down holds up nothing', async () => {
    const topics = await createTestTopics(baseConfig);
    const db = await createTestDatabase(baseConfig);
    const warnings: string[] = [];
    // KSQLDB_URL points at a closed port: the statements wait in the background, the sink runs.
    const config = { ...topics.config, database: db.config.database, ksqldbUrl: `http://127.0.0.1:${await freePort()}` };
    const [v1, v2, none] = terminalOrders(30, 'schema-version-seed', 31).filter((t) => t.kind === 'finished').slice(0, 3).map(terminalMessage);
    const finished = config.kafka.topics.finished;
    await produce(topics.kafka, finished, [
      { ...v1!, headers: { ...v1!.headers, 'schema-version': '1' } },
      { ...v2!, headers: { ...v2!.headers, 'schema-version': '2' } },
      { ...none!, headers: { ...none!.headers } },
    ]);
    const bridge = await startBridge(config, createLogger('bridge-test', 'warn', (line) => warnings.push(line) > 0));
    try {
      await waitFor('the three messages handled', () => caughtUp(topics, config.kafka.bridgeGroupId), 120_000);
    } finally {
      await bridge.stop();
    }
    try {
      const stored = await db.pool.query<{ order_id: string }>('SELECT order_id FROM order_record ORDER BY 1');
      assert.deepEqual(stored.rows.map((r) => r.order_id), [v1!.key, none!.key].sort());
      const letters = await readAll(topics.kafka, config.kafka.topics.deadLetter);
      assert.equal(letters.length, 1);
      assert.equal(letters[0]?.key, v2!.key);
      assert.equal(letters[0]?.headers[DLQ_HEADERS.reason], 'schema-version "2" is not one this bridge reads (it reads 1)');
      assert.equal(await count(db, 'SELECT count(*) AS n FROM dead_letters'), 1);
      const ksqlWarnings = warnings.filter((l) => /ksqlDB statements not applied yet .*cannot reach ksqlDB at http:\/\/127\.0\.0\.1:\d+.*the Postgres sink goes on/.test(l));
      assert.equal(ksqlWarnings.length, 1, `one warning about ksqlDB:\n${warnings.join('\n')}`);
    } finally {
      await db.drop();
    }
  });
});
