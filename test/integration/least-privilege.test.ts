/**
 * Least privilege against the real Postgres: the migrations' NOLOGIN roles, granted to login users
 * the way a deployment would (GRANT order_bridge TO bridge_user). The bridge's user can do the
 * bridge's writes (the real sink) and nothing destructive; the reader's user can read every view,
 * including ones a later migration adds, and write nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { writeBatchInTransaction } from '../../src/bridge/sink.js';
import { loadConfig } from '../../src/config/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { terminalOrders } from '../support/orders.js';

const INSUFFICIENT_PRIVILEGE = '42501';
const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
const bridgeUser = { name: `bridge_${suffix}`, password: `b-${randomUUID()}` };
const readerUser = { name: `reader_${suffix}`, password: `r-${randomUUID()}` };

let db: TestDatabase;
let bridgePool: pg.Pool;
let readerPool: pg.Pool;

function urlAs(user: { name: string; password: string }): string {
  const u = new URL(db.url);
  u.username = user.name;
  u.password = user.password;
  return u.toString();
}

/** The statement fails for lack of privilege (not for some other reason, which would prove nothing). */
async function refused(pool: pg.Pool, sql: string): Promise<void> {
  await assert.rejects(pool.query(sql), (err: Error & { code?: string }) => {
    assert.equal(err.code, INSUFFICIENT_PRIVILEGE, `${sql}: expected permission denied, got ${err.code}: ${err.message}`);
    return true;
  });
}

describe('least-privilege roles', () => {
  before(async () => {
    db = await createTestDatabase(loadConfig());
    // Login users are cluster-wide: unique names, dropped in after().
    await db.pool.query(`CREATE ROLE ${bridgeUser.name} LOGIN PASSWORD '${bridgeUser.password}' IN ROLE order_bridge`);
    await db.pool.query(`CREATE ROLE ${readerUser.name} LOGIN PASSWORD '${readerUser.password}' IN ROLE order_reader`);
    bridgePool = new pg.Pool({ connectionString: urlAs(bridgeUser), max: 2 });
    readerPool = new pg.Pool({ connectionString: urlAs(readerUser), max: 2 });
  });

  after(async () => {
    await bridgePool?.end();
    await readerPool?.end();
    await db?.drop(); // drops the database first: the roles own nothing and hold grants only there
    const admin = new pg.Client({ connectionString: loadConfig().database.url });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${bridgeUser.name}`);
      await admin.query(`DROP ROLE IF EXISTS ${readerUser.name}`);
    } finally {
      await admin.end();
    }
  });

  test('the roles exist and cannot log in themselves', async () => {
    const { rows } = await db.pool.query<{ rolname: string; rolcanlogin: boolean }>(
      "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN ('order_bridge', 'order_reader') ORDER BY rolname",
    );
    assert.deepEqual(rows, [
      { rolname: 'order_bridge', rolcanlogin: false },
      { rolname: 'order_reader', rolcanlogin: false },
    ]);
  });

  test("a user granted order_bridge runs the bridge's writes, twice (the upserts' UPDATE path too)", async () => {
    const orders = terminalOrders(20, 'least-privilege');
    const rows = orders.map((t) => ({ order: t.order, eventId: t.eventId }));
    const deadLetter = { topic: 'failed_orders', partition: 0, offset: '7', reason: 'test', key: null, excerpt: '{}' };
    await writeBatchInTransaction(bridgePool, rows, [deadLetter]);
    const changed = rows.map((r) => ({ ...r, order: { ...r.order, customer_info: { ...r.order.customer_info, email: `new-${r.order.customer_info.email}` } } }));
    await writeBatchInTransaction(bridgePool, changed, [deadLetter]);
    const { rows: counts } = await db.pool.query<{ orders: string; emails: string }>(
      "SELECT (SELECT count(*) FROM order_info) AS orders, (SELECT count(*) FROM customer_info WHERE email LIKE 'new-%') AS emails",
    );
    assert.equal(Number(counts[0]?.orders), 20);
    assert.ok(Number(counts[0]?.emails) > 0, 'the second batch updated customer details');
  });

  test('the bridge user cannot DROP, DELETE, TRUNCATE, create tables, or write sku_info', async () => {
    await refused(bridgePool, 'DROP TABLE order_info');
    await refused(bridgePool, 'DELETE FROM order_info');
    await refused(bridgePool, 'TRUNCATE order_info');
    await refused(bridgePool, 'DROP VIEW order_summary');
    await refused(bridgePool, 'CREATE TABLE sneaky (x int)');
    await refused(bridgePool, "INSERT INTO sku_info (sku, name, category, unit_price, unit_cost) VALUES ('X-1', 'x', 'x', 2, 1)");
    await refused(bridgePool, 'UPDATE sku_info SET unit_price = unit_price + 1');
    await refused(bridgePool, 'DELETE FROM sku_info');
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM order_info');
    assert.equal(Number(rows[0]?.n), 20, 'still every order');
  });

  test('a user granted order_reader selects every view and table of the schema', async () => {
    const { rows } = await db.pool.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
    );
    assert.ok(rows.length >= 20, `views and tables found: ${rows.length}`);
    for (const { name } of rows) {
      await readerPool.query(`SELECT * FROM ${pg.escapeIdentifier(name)} LIMIT 1`);
    }
    const summary = await readerPool.query<{ n: string }>('SELECT count(*) AS n FROM delivered_orders');
    assert.ok(Number(summary.rows[0]?.n) > 0, 'the reader sees the data through the views');
  });

  test('the reader cannot write anything', async () => {
    await refused(readerPool, "INSERT INTO dead_letters (source_topic, source_partition, source_offset, reason) VALUES ('t', 0, 1, 'x')");
    await refused(readerPool, 'UPDATE order_info SET order_total = 0');
    await refused(readerPool, 'DELETE FROM customer_info');
    await refused(readerPool, 'TRUNCATE item_info');
    await refused(readerPool, 'CREATE TABLE sneaky (x int)');
  });

  test('tables and views a later migration adds are readable by order_reader without a new grant', async () => {
    // What a future migration does, as the migrating user (the owner): no GRANT of its own.
    await db.pool.query('CREATE TABLE later_table (x int); INSERT INTO later_table VALUES (1); CREATE VIEW later_view AS SELECT x FROM later_table');
    const t = await readerPool.query<{ x: number }>('SELECT x FROM later_table');
    const v = await readerPool.query<{ x: number }>('SELECT x FROM later_view');
    assert.deepEqual([t.rows, v.rows], [[{ x: 1 }], [{ x: 1 }]]);
    await refused(bridgePool, 'INSERT INTO later_table VALUES (2)');
  });
});
