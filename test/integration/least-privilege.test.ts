/**
 * Least privilege against the real Postgres: the migrations' NOLOGIN roles, granted to login users
 * the way a deployment would (GRANT order_bridge TO bridge_user). The bridge's user can do the
 * bridge's writes (the real sink) and nothing destructive; the reader's user can read every view,
 * including ones a later migration adds, and write nothing. The bridge's user starts on a migrated
 * database with SELECTs only, and is told to get the owner to migrate when something is missing.
 * The logins npm start makes, and the one docker compose makes, are members of these roles.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { writeBatchInTransaction } from '../../src/bridge/sink.js';
import { loadConfig } from '../../src/config/config.js';
import { ensureLocalLogins, loginPasswords, loginsFile, type LoginKind, type LoginSpec } from '../../src/db/logins.js';
import { listMigrations, migrate, MigrationsNeedOwner } from '../../src/db/migrate.js';
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
      "SELECT (SELECT count(*) FROM order_record) AS orders, (SELECT count(*) FROM customer_info WHERE email LIKE 'new-%') AS emails",
    );
    assert.equal(Number(counts[0]?.orders), 20);
    assert.ok(Number(counts[0]?.emails) > 0, 'the second batch updated customer details');
  });

  test('the bridge user cannot DROP, DELETE, TRUNCATE, create tables, or write sku_info', async () => {
    await refused(bridgePool, 'DROP TABLE order_record');
    await refused(bridgePool, 'DELETE FROM order_record');
    await refused(bridgePool, 'TRUNCATE order_record');
    await refused(bridgePool, 'DROP VIEW order_summary');
    await refused(bridgePool, 'CREATE TABLE sneaky (x int)');
    await refused(bridgePool, "INSERT INTO sku_info (sku, name, category, unit_price, unit_cost) VALUES ('X-1', 'x', 'x', 2, 1)");
    await refused(bridgePool, 'UPDATE sku_info SET unit_price = unit_price + 1');
    await refused(bridgePool, 'DELETE FROM sku_info');
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM order_record');
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
    // The original's names (sql/010): delivered orders under order_info, the rest under failed_order_info.
    const split = await readerPool.query<{ delivered: string; failed: string; total: string; lines: string; skus: string }>(
      `SELECT (SELECT count(*) FROM order_info) AS delivered, (SELECT count(*) FROM failed_order_info) AS failed,
              (SELECT count(*) FROM order_record) AS total, (SELECT count(*) FROM item_info) + (SELECT count(*) FROM failed_item_info) AS lines,
              (SELECT count(*) FROM (SELECT sku, price, cost FROM sku_info) k) AS skus`,
    );
    const s = split.rows[0];
    assert.equal(Number(s?.delivered) + Number(s?.failed), Number(s?.total), 'every order is in order_info or failed_order_info, once');
    assert.ok(Number(s?.lines) > 0 && Number(s?.skus) > 0, 'lines and the catalogue read under the original names');
  });

  test('the reader cannot write anything', async () => {
    await refused(readerPool, "INSERT INTO dead_letters (source_topic, source_partition, source_offset, reason) VALUES ('t', 0, 1, 'x')");
    await refused(readerPool, 'UPDATE order_record SET order_total = 0');
    await refused(readerPool, 'DELETE FROM customer_info');
    await refused(readerPool, 'TRUNCATE item_record');
    await refused(readerPool, "UPDATE order_info SET order_status = 'Returned'");
    await refused(readerPool, 'CREATE TABLE sneaky (x int)');
  });

  test('migrate() as the bridge user on a migrated database: nothing to do, no DDL, no error', async () => {
    const before = await db.pool.query<{ version: string; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY 1');
    assert.deepEqual(await migrate(bridgePool), []);
    const afterwards = await db.pool.query<{ version: string; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY 1');
    assert.deepEqual(afterwards.rows, before.rows);
    assert.ok(before.rows.some((r) => r.version === '005'), 'the grant the bridge reads schema_migrations by');
  });

  test('migrate() as the bridge user with a migration missing: refused, naming the role, the migration and the fix', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lp-sql-'));
    try {
      for (const m of listMigrations()) copyFileSync(m.file, path.join(dir, path.basename(m.file)));
      writeFileSync(path.join(dir, '999_later_table.sql'), 'CREATE TABLE later_by_owner (x int);\n');
      await assert.rejects(migrate(bridgePool, dir), (err: unknown) => {
        assert.ok(err instanceof MigrationsNeedOwner, String(err));
        assert.match(err.message, new RegExp(`needs migrations 999, which role "${bridgeUser.name}" may not apply \\(permission denied for schema public\\)`));
        assert.match(err.message, /run the migrations once as the database owner first: DATABASE_URL=<owner URL> npm run migrate/);
        return true;
      });
      const { rows } = await db.pool.query("SELECT to_regclass('later_by_owner') AS t, (SELECT count(*) FROM schema_migrations WHERE version = '999')::int AS n");
      assert.deepEqual(rows[0], { t: null, n: 0 });
      // The owner applies it; then the bridge user is fine again.
      assert.deepEqual(await migrate(db.pool, dir), ['999']);
      assert.deepEqual(await migrate(bridgePool, dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the logins npm start makes: members of the roles, password kept across runs, stored 0600, only a SCRAM verifier on the server', async () => {
    const specs: Record<LoginKind, LoginSpec> = {
      bridge: { name: `lb_${suffix}`, group: 'order_bridge', readOnly: false },
      dashboard: { name: `ld_${suffix}`, group: 'order_reader', readOnly: true },
    };
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lp-logins-'));
    const check = async (url: string, group: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(`SELECT current_user AS who, pg_has_role($1, 'MEMBER') AS member, current_setting('default_transaction_read_only') AS ro`, [group])).rows[0];
      } finally {
        await c.end();
      }
    };
    try {
      const first = await ensureLocalLogins(db.config.database, db.url, stateDir, ['bridge', 'dashboard'], specs);
      assert.deepEqual(await check(first.bridge ?? '', 'order_bridge'), { who: specs.bridge.name, member: true, ro: 'off' });
      assert.deepEqual(await check(first.dashboard ?? '', 'order_reader'), { who: specs.dashboard.name, member: true, ro: 'on' });
      assert.equal(statSync(loginsFile(stateDir)).mode & 0o777, 0o600);
      const again = await ensureLocalLogins(db.config.database, db.url, stateDir, ['bridge', 'dashboard'], specs);
      assert.deepEqual(again, first, 'a second run keeps the passwords (a running bridge keeps connecting)');
      const { rows } = await db.pool.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = ANY($1)', [[specs.bridge.name, specs.dashboard.name]]);
      assert.equal(rows.length, 2);
      for (const r of rows) assert.match(r.rolpassword, /^SCRAM-SHA-256\$4096:[^$]+\$[^:]+:.+$/);
      const passwords = loginPasswords(stateDir, ['bridge', 'dashboard'], specs);
      for (const r of rows) for (const p of Object.values(passwords)) assert.ok(!r.rolpassword.includes(p));
      // The file gone: new passwords, and the old one no longer logs in.
      rmSync(loginsFile(stateDir));
      const renewed = await ensureLocalLogins(db.config.database, db.url, stateDir, ['bridge'], specs);
      assert.notEqual(renewed.bridge, first.bridge);
      assert.equal((await check(renewed.bridge ?? '', 'order_bridge'))?.who, specs.bridge.name);
      await assert.rejects(check(first.bridge ?? '', 'order_bridge'), /password authentication failed/);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
      await db.pool.query(`DROP ROLE IF EXISTS ${specs.bridge.name}, ${specs.dashboard.name}`);
    }
  });

  test("docker compose's postgres-logins script makes orders_bridge, a member of order_bridge that sinks orders", { skip: spawnSync('psql', ['--version']).status !== 0 && 'no psql here' }, async () => {
    const password = `cb-${randomUUID()}`;
    const u = new URL(db.url);
    const script = fileURLToPath(new URL('../../docker/postgres/bridge-login.sh', import.meta.url));
    const env = { PATH: process.env.PATH, PGHOST: u.hostname, PGPORT: u.port, PGUSER: decodeURIComponent(u.username), PGPASSWORD: decodeURIComponent(u.password), PGDATABASE: u.pathname.slice(1), ORDERS_BRIDGE_PASSWORD: password };
    try {
      for (let run = 0; run < 2; run++) {
        // Twice: on every `docker compose up`, with the role already there.
        const r = spawnSync('bash', [script], { env, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.ok(!`${r.stdout}${r.stderr}`.includes(password), 'the script printed the password');
      }
      const pool = new pg.Pool({ connectionString: urlAs({ name: 'orders_bridge', password }), max: 1 });
      try {
        const who = await pool.query("SELECT current_user, pg_has_role('order_bridge', 'MEMBER') AS member");
        assert.deepEqual(who.rows[0], { current_user: 'orders_bridge', member: true });
        assert.deepEqual(await migrate(pool), [], 'the bridge starts on the migrated database');
        await writeBatchInTransaction(pool, terminalOrders(3, 'compose-login').map((t) => ({ order: t.order, eventId: t.eventId })));
        await refused(pool, 'DELETE FROM order_record');
      } finally {
        await pool.end();
      }
    } finally {
      await db.pool.query('DROP ROLE IF EXISTS orders_bridge');
    }
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
