/**
 * Scale-out as users run it (`docker compose up --scale worker=2 --scale bridge=2`: the image's
 * compiled build, `node dist/workers/cli.js` and `node dist/bridge/cli.js`): two workers polling
 * one task queue and two bridges in one consumer group, real processes against the real test stack. Mid-run one worker and one bridge
 * are stopped (SIGTERM, as a scale-down sends); the survivors take over their share, and every order
 * ends in Postgres exactly once, equal to its workflow's final document. Both workers and both
 * bridges did work before the stop: the histories name both worker identities, the group had two
 * members.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { Client, Connection } from '@temporalio/client';
import type { Admin } from 'kafkajs';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { createKafka, ensureTopics } from '../../src/kafka/client.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';
import { checkRound, closedCount, storedCount } from '../faults/verify.js';
import { startApp, type AppProcess } from '../support/app-process.js';
import { ensureBuild } from '../support/build.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { isolatedEnv, ordersOfRun, startOrders, waitForCount } from '../support/pipeline-run.js';

const ORDERS = 160;
const SEED = 'scale-out';
const TIMEOUT_MS = 300_000;

/** Members of the consumer group once it is stable (a rebalance in progress counts as not yet). */
async function stableMembers(admin: Admin, groupId: string): Promise<number> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  return group?.state === 'Stable' ? group.members.length : 0;
}

/** The worker identities (pid@host, the SDK's default) that completed workflow tasks or ran activities. */
async function identitiesOf(client: Client, workflowIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const id of workflowIds) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    for (const e of history.events ?? []) {
      const identity = e.workflowTaskCompletedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity;
      if (identity) out.add(identity);
    }
  }
  return out;
}

describe('scale-out: two workers and two bridges, one of each stopped mid-run', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let client: Client;
  let connection: Connection;
  let admin: Admin;
  let env: ReturnType<typeof isolatedEnv>;
  const apps: AppProcess[] = [];

  before(async () => {
    await ensureBuild(); // the image's build: npm run build unless dist/ is newer than its sources
    db = await createTestDatabase(loadConfig());
    env = isolatedEnv(db.url, { NODE_ENV: 'production' });
    config = loadConfig(env);
    const kafka = createKafka(config.kafka, { logLevel: 'error' });
    await ensureTopics(kafka, config.kafka);
    admin = kafka.admin();
    await admin.connect();
    ({ client, connection } = await connectTemporalClient(config.temporal));
  });

  after(async () => {
    await Promise.all(apps.map((a) => a.stop('SIGTERM')));
    await admin?.disconnect();
    await connection?.close();
    await db?.drop();
  });

  it('gets every order exactly once while one worker and one bridge stop', async () => {
    const program = (name: string, script: string) => startApp(name, [script], env);
    const [bridgeA, bridgeB] = [program('bridge-a', 'dist/bridge/cli.js'), program('bridge-b', 'dist/bridge/cli.js')];
    const [workerA, workerB] = [program('worker-a', 'dist/workers/cli.js'), program('worker-b', 'dist/workers/cli.js')];
    apps.push(bridgeA, bridgeB, workerA, workerB);
    await Promise.all([
      ...[bridgeA, bridgeB].map((b) => b.waitFor(/consuming .* as group/, 180_000)),
      ...[workerA, workerB].map((w) => w.waitFor(/polling task queue/, 180_000)),
    ]);
    await waitForCount(`two members in consumer group ${config.kafka.bridgeGroupId}`, () => stableMembers(admin, config.kafka.bridgeGroupId), 2, 60_000);

    const orders = await ordersOfRun(ORDERS, SEED);
    const ids = orders.map((o) => o.order_id);
    const closedBefore = await closedCount(client, config.temporal.taskQueue);
    const starting = startOrders(connection, { namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, seed: SEED }, orders);
    starting.catch(() => undefined); // awaited below

    // Mid-run: a quarter of the orders are in Postgres, the rest still flowing.
    const atStop = await waitForCount('a quarter of the orders in Postgres', () => storedCount(db.pool, ids), ORDERS / 4, TIMEOUT_MS);
    assert.ok(atStop < ORDERS, 'the stop must happen while orders are still flowing');
    const [workerExit, bridgeExit] = await Promise.all([workerA.stop('SIGTERM'), bridgeA.stop('SIGTERM')]);
    assert.equal(workerExit, 0, `worker-a did not drain cleanly:\n${workerA.output().slice(-2000)}`);
    assert.equal(bridgeExit, 0, `bridge-a did not stop cleanly:\n${bridgeA.output().slice(-2000)}`);

    assert.deepEqual(await starting, { started: ORDERS, existing: 0 });
    await waitForCount('workflows closed in Temporal', async () => (await closedCount(client, config.temporal.taskQueue)) - closedBefore, ORDERS, TIMEOUT_MS);
    await waitForCount('orders in Postgres', () => storedCount(db.pool, ids), ORDERS, TIMEOUT_MS);
    const check = await checkRound(client, db.pool, ids);
    assert.deepEqual(
      { lost: check.lost.length, duplicated: check.duplicated.length, mismatched: check.mismatched.length },
      { lost: 0, duplicated: 0, mismatched: 0 },
      check.examples.join('\n'),
    );

    // Both workers shared the work: their identities (pid@host) appear in the histories (a sample:
    // the first orders started, which ran while both workers polled).
    const identities = await identitiesOf(client, ids.slice(0, 40).map(orderWorkflowId));
    for (const w of [workerA, workerB]) {
      assert.ok(identities.has(`${w.child.pid}@${os.hostname()}`), `${w.name} (pid ${w.child.pid}) ran none of the sampled workflows: ${[...identities].join(', ')}`);
    }
    // The survivors are still running and take the stop as well.
    for (const app of [workerB, bridgeB]) assert.equal(await app.stop('SIGTERM'), 0, `${app.name}:\n${app.output().slice(-2000)}`);
  });
});
