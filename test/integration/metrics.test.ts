/**
 * The metrics endpoints on the real stack, the programs run as processes with their metrics ports
 * set: the bridge's consumer lag rises while a backlog waits (its Postgres writes held back by a
 * table lock) and returns to 0 once the rows are in, with the counters matching the rows; the
 * dashboard's lag module reads the same number from Kafka; the worker serves the Temporal SDK's
 * own metrics once it has run an order.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Admin, Kafka } from 'kafkajs';
import pg from 'pg';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { createKafka } from '../../src/kafka/client.js';
import { startDashboard } from '../../src/dashboard/server.js';
import { fetchConsumerLag } from '../../src/kafka/consumer-lag.js';
import { createLogger } from '../../src/logging/logger.js';
import { freePort } from '../../src/stack/wait.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { startApp, type AppProcess } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createPrefixedTopics, produceTerminalOrders } from '../support/kafka.js';
import { terminalOrders } from '../support/orders.js';
import { GeneratorMetrics } from '../../src/generator/metrics.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../../src/workflows/contract.js';
import { isolatedEnv, ordersOfRun } from '../support/pipeline-run.js';
import { waitUntil } from '../support/wait.js';

const BACKLOG = 300;
const STARTUP_MS = 180_000;

/** The text of an endpoint's /metrics. */
async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url} answered ${res.status}`);
  return res.text();
}

/** The sum of every series of `name` (all labels), or undefined when the text has none. */
function sumOf(text: string, name: string): number | undefined {
  const values = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
}

describe('metrics endpoints', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let env: ReturnType<typeof isolatedEnv>;
  let kafka: Kafka;
  let admin: Admin;
  const apps: AppProcess[] = [];

  before(async () => {
    db = await createTestDatabase(loadConfig());
    env = isolatedEnv(db.url, { BRIDGE_METRICS_PORT: String(await freePort()), WORKER_METRICS_PORT: String(await freePort()) });
    config = loadConfig(env);
    await createPrefixedTopics(config.kafka, env.KAFKA_TOPIC_PREFIX as string);
    kafka = createKafka(config.kafka, { logLevel: 'error' });
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await Promise.all(apps.map((a) => a.stop('SIGTERM')));
    await admin?.disconnect();
    await db?.drop();
  });

  test("the bridge's consumer lag rises during a backlog and returns to 0, its counters matching the rows", async () => {
    const url = `http://127.0.0.1:${config.metrics.bridgePort}/metrics`;
    const bridge = startApp('bridge', ['--import', 'tsx', 'src/bridge/cli.ts'], env);
    apps.push(bridge);
    await bridge.waitFor(/consuming .* as group/, STARTUP_MS);
    assert.match(bridge.output(), new RegExp(`metrics at ${url.replace(/[.]/g, '\\.')}`));
    const idle = await scrape(url);
    assert.equal(sumOf(idle, 'bridge_consumer_lag'), 0, `an idle bridge has no lag:\n${idle}`);

    // Hold the bridge's writes: it consumes the backlog but cannot commit it while the lock is held.
    const lock = new pg.Client({ connectionString: db.url });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE customer_info IN EXCLUSIVE MODE');
      await produceTerminalOrders(kafka, config.kafka.topics, terminalOrders(BACKLOG, 'metrics-test', randomInt(1000, 9999)));
      await waitUntil('the lag gauge to show the whole backlog', async () => sumOf(await scrape(url), 'bridge_consumer_lag') === BACKLOG, 60_000, 250);
      const held = Date.now();
      // The same definition, read by the module the dashboard uses, sees the same backlog.
      const shared = await fetchConsumerLag(admin, config.kafka.bridgeGroupId, [config.kafka.topics.finished, config.kafka.topics.failed]);
      assert.equal(shared.total, BACKLOG);
      assert.ok((shared.worst?.lag ?? 0) > 0 && (shared.worst?.lag ?? 0) <= BACKLOG);
      // And the dashboard's pipeline strip reports it.
      const dashboard = await startDashboard({ ...config, dashboardPort: await freePort() }, createLogger('metrics-test', 'error'));
      try {
        const pipeline = (await (await fetch(`${dashboard.url}api/pipeline`)).json()) as { bridgeLag: { available: boolean; total: number; worst: { lag: number } | null } };
        assert.deepEqual({ available: pipeline.bridgeLag.available, total: pipeline.bridgeLag.total, worst: pipeline.bridgeLag.worst?.lag }, { available: true, total: BACKLOG, worst: shared.worst?.lag });
      } finally {
        await dashboard.stop();
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 3_000 - (Date.now() - held))));
      await lock.query('COMMIT');
    } finally {
      await lock.end();
    }

    let text = '';
    await waitUntil('the lag gauge back at 0', async () => sumOf((text = await scrape(url)), 'bridge_consumer_lag') === 0, 120_000, 250);
    const rows = Number((await db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM order_record')).rows[0]?.n);
    assert.equal(rows, BACKLOG);
    assert.equal(sumOf(text, 'bridge_rows_written_total'), BACKLOG, 'rows written = rows in order_record');
    assert.equal(sumOf(text, 'bridge_orders_consumed_total'), BACKLOG);
    assert.equal(sumOf(text, 'bridge_dead_letters_total') ?? 0, 0);
    // The writes waited on the lock for at least the 3 s it was held after the backlog showed.
    assert.ok((sumOf(text, 'bridge_postgres_wait_seconds_sum') ?? 0) >= 2.5, `Postgres wait: ${sumOf(text, 'bridge_postgres_wait_seconds_sum')} s`);
    assert.ok((sumOf(text, 'bridge_batch_duration_seconds_count') ?? 0) >= 1);
  });

  test("the worker serves the Temporal SDK's metrics after running an order; the generator's counters count its starts", async () => {
    const url = `http://127.0.0.1:${config.metrics.workerPort}/metrics`;
    const worker = startApp('worker', ['--import', 'tsx', 'src/workers/cli.ts'], env);
    apps.push(worker);
    await worker.waitFor(/polling task queue/, STARTUP_MS);
    const generator = new GeneratorMetrics();
    const { connection } = await connectTemporalClient(config.temporal);
    try {
      const [order] = await ordersOfRun(1, 'metrics-worker');
      assert.ok(order);
      const settings = { taskQueue: config.temporal.taskQueue, lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: 'metrics-worker', timeMode: 'skip' as const }, metrics: generator };
      const starter = new OrderStarter(connection, { ...settings, namespace: config.temporal.namespace });
      assert.equal(await starter.start(order), 'started');
      assert.equal(await starter.start(order), 'existing');
      // A namespace the server does not have: the start fails and is counted as an error.
      await assert.rejects(new OrderStarter(connection, { ...settings, namespace: 'no-such-namespace-metrics' }).start(order));
    } finally {
      await connection.close();
    }
    const counted = await generator.registry.metrics();
    assert.match(counted, /^generator_workflow_starts_total\{result="started"\} 1$/m);
    assert.match(counted, /^generator_workflow_starts_total\{result="existing"\} 1$/m);
    assert.match(counted, /^generator_workflow_start_errors_total 1$/m);
    let text = '';
    await waitUntil('workflow task latencies in the worker metrics', async () => /^temporal_workflow_task_execution_latency/m.test((text = await scrape(url))), 120_000, 500);
    assert.match(text, /^temporal_workflow_task_schedule_to_start_latency/m);
    assert.match(text, new RegExp(`task_queue="${config.temporal.taskQueue}"`), 'the series carry the task queue');
  });
});
