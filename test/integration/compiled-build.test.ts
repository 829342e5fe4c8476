/**
 * The compiled build, run as the image runs it: `npm run build` (skipped when dist/ is newer than
 * every source), then `node dist/db/cli.js`
 * (migrations), `node dist/bridge/cli.js`, `node dist/workers/cli.js` (with NODE_ENV=production,
 * so it must load the prebuilt dist/workflow-bundle.js) and `node dist/dashboard/cli.js` against
 * the real test stack. Orders go through all of them and land in Postgres exactly once; the
 * dashboard serves its page and data from dist/. No tsx loader in any of these processes.
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../src/config/config.js';
import { createKafka, ensureTopics } from '../../src/kafka/client.js';
import { freePort } from '../../src/stack/wait.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { checkRound, storedCount } from '../faults/verify.js';
import { ROOT, startApp, type AppProcess } from '../support/app-process.js';
import { ensureBuild } from '../support/build.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { isolatedEnv, ordersOfRun, startOrders, waitForCount } from '../support/pipeline-run.js';

const ORDERS = 30;
const SEED = 'compiled-build';

describe('the compiled build (node dist/...) against the real stack', () => {
  let db: TestDatabase;
  let client: Client;
  let connection: Connection;
  let env: ReturnType<typeof isolatedEnv>;
  const apps: AppProcess[] = [];

  before(async () => {
    await ensureBuild(); // npm run build, unless dist/ is newer than its sources
    db = await createTestDatabase(loadConfig(), { migrate: false });
    env = isolatedEnv(db.url, { NODE_ENV: 'production', DASHBOARD_PORT: String(await freePort()) });
    const config = loadConfig(env);
    await ensureTopics(createKafka(config.kafka, { logLevel: 'error' }), config.kafka);
    ({ client, connection } = await connectTemporalClient(config.temporal));
  });

  after(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await connection?.close();
    await db?.drop();
  });

  it('npm run build wrote the compiled entry points, the dashboard assets and the workflow bundle', () => {
    for (const file of ['workers/cli.js', 'bridge/cli.js', 'db/cli.js', 'dashboard/cli.js', 'generator/cli.js', 'dashboard/public/index.html']) {
      assert.ok(existsSync(path.join(ROOT, 'dist', file)), `dist/${file} is missing`);
    }
    assert.ok(statSync(path.join(ROOT, 'dist', 'workflow-bundle.js')).size > 100_000, 'dist/workflow-bundle.js is missing or tiny');
  });

  it('migrates, sinks and runs every order exactly once, and the dashboard serves them', async () => {
    const migrate = startApp('migrate', ['dist/db/cli.js'], env);
    assert.equal(await migrate.exited(), 0, migrate.output());

    const bridge = startApp('bridge', ['dist/bridge/cli.js'], env);
    const worker = startApp('worker', ['dist/workers/cli.js'], env);
    apps.push(bridge, worker);
    await Promise.all([bridge.waitFor(/consuming .* as group/), worker.waitFor(/polling task queue/)]);

    const orders = await ordersOfRun(ORDERS, SEED);
    const ids = orders.map((o) => o.order_id);
    const counts = await startOrders(connection, { namespace: env.TEMPORAL_NAMESPACE ?? 'default', taskQueue: env.TEMPORAL_TASK_QUEUE, seed: SEED }, orders);
    assert.deepEqual(counts, { started: ORDERS, existing: 0 });
    await waitForCount('orders in Postgres', () => storedCount(db.pool, ids), ORDERS, 180_000);
    const check = await checkRound(client, db.pool, ids);
    assert.deepEqual({ lost: check.lost, duplicated: check.duplicated, mismatched: check.mismatched }, { lost: [], duplicated: [], mismatched: [] }, check.examples.join('\n'));

    const dashboard = startApp('dashboard', ['dist/dashboard/cli.js'], env);
    apps.push(dashboard);
    await dashboard.waitFor(/Dashboard: http/);
    const base = `http://127.0.0.1:${env.DASHBOARD_PORT}`;
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i, 'the page comes from dist/dashboard/public');
    const lookup = await fetch(`${base}/api/orders?q=${encodeURIComponent(ids[0] ?? '')}`);
    assert.equal(lookup.status, 200);
    assert.ok((await lookup.text()).includes(ids[0] ?? '-'), 'the order lookup finds a sunk order');

    // A graceful stop, as compose's SIGTERM: each exits 0 within the grace period.
    for (const app of [dashboard, worker, bridge]) assert.equal(await app.stop('SIGTERM'), 0, `${app.name} did not stop cleanly:\n${app.output().slice(-2000)}`);
    for (const app of [worker, bridge, dashboard, migrate]) assert.doesNotMatch(app.child.spawnargs.join(' '), /tsx/);
  });
});
