/**
 * Analysis SQL written for the original pipeline's tables runs unchanged and means what it meant
 * there (sql/010): order_info and item_info hold only orders that reached finished_orders
 * (Delivered), sku_info has price and cost. The statements below are written the way an analyst
 * of the original wrote them, with no status filter (the original's tables needed none); each must
 * give the answer of the project's analytics views (sql/002), which apply the rules themselves.
 *
 * The data set is made the way the pipeline makes it (real generator, real fate simulator) and
 * written through the bridge's sink, so it holds timed-out, cancelled and returned orders too,
 * with lines: the same statements on every terminal order (order_record, item_record) give other
 * answers, checked below, so a failed order leaking into order_info or item_info fails this test.
 * The statements run as a login granted order_reader, as an analyst's would.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { writeBatch } from '../../src/bridge/sink.js';
import { loadConfig } from '../../src/config/config.js';
import { CATALOGUE } from '../../src/domain/catalogue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { terminalOrders } from '../support/orders.js';

/** Written for the original schema; run exactly as they are. */
const ORIGINAL_SQL = {
  topCustomers: `
    SELECT c.customer_id, c.customer_name, count(*) AS orders, sum(o.order_total) AS revenue
    FROM order_info o JOIN customer_info c ON c.customer_id = o.customer_id
    GROUP BY c.customer_id, c.customer_name
    ORDER BY revenue DESC, c.customer_id
    LIMIT 10`,
  dailyRevenueAndProfit: `
    SELECT (o.order_date AT TIME ZONE 'Asia/Manila')::date AS day, count(DISTINCT o.order_id) AS orders,
           sum(i.subtotal) AS revenue, sum(i.subtotal - s.cost * i.quantity) AS profit
    FROM order_info o
    JOIN item_info i ON i.order_id = o.order_id
    JOIN sku_info s ON s.sku = i.sku
    GROUP BY 1
    ORDER BY 1`,
  skuRevenueAndProfit: `
    SELECT i.sku, sum(i.quantity) AS quantity, count(DISTINCT i.order_id) AS orders, sum(i.subtotal) AS revenue,
           sum(i.subtotal - s.cost * i.quantity) AS profit
    FROM item_info i JOIN sku_info s ON s.sku = i.sku
    GROUP BY i.sku
    ORDER BY i.sku`,
  onTimeShare: `
    SELECT count(*) AS delivered_orders,
           count(*) FILTER (WHERE finished_date <= eta + interval '24 hours') AS on_time_orders,
           round(count(*) FILTER (WHERE finished_date <= eta + interval '24 hours')::numeric / count(*), 4) AS on_time_rate
    FROM order_info`,
  itemPairs: `
    SELECT a.sku AS sku_a, b.sku AS sku_b, count(*) AS orders
    FROM item_info a JOIN item_info b ON a.order_id = b.order_id AND a.sku < b.sku
    GROUP BY 1, 2
    ORDER BY 3 DESC, 1, 2`,
  catalogue: `SELECT sku, price, cost FROM sku_info ORDER BY sku`,
} as const;

/** The same answers from the analytics views (sql/002), which count Delivered orders themselves. */
const VIEW_SQL: Record<Exclude<keyof typeof ORIGINAL_SQL, 'catalogue'>, string> = {
  topCustomers: `
    SELECT customer_id, customer_name, delivered_orders AS orders, revenue FROM customer_stats
    WHERE delivered_orders > 0 ORDER BY revenue DESC, customer_id LIMIT 10`,
  dailyRevenueAndProfit: `SELECT day, orders, revenue, profit FROM revenue_by_day ORDER BY day`,
  skuRevenueAndProfit: `SELECT sku, quantity, orders, revenue, profit FROM item_performance WHERE orders > 0 ORDER BY sku`,
  onTimeShare: `SELECT delivered_orders, on_time_orders, on_time_rate FROM on_time_delivery`,
  itemPairs: `SELECT sku_a, sku_b, orders FROM item_pairs ORDER BY 3 DESC, 1, 2`,
};

/** The statement on every terminal order: what the original's SQL gave here before sql/010. */
const onEveryOrder = (sql: string) => sql.replace(/\border_info\b/g, 'order_record').replace(/\bitem_info\b/g, 'item_record');

const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
const analyst = { name: `analyst_${suffix}`, password: `a-${randomUUID()}` };

describe('analysis SQL written for the original tables', () => {
  let db: TestDatabase;
  let reader: pg.Pool;
  const orders = terminalOrders(600, 'original-sql');
  const rows = async (pool: pg.Pool, sql: string) => (await pool.query(sql)).rows as Array<Record<string, unknown>>;

  before(async () => {
    db = await createTestDatabase(loadConfig());
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await writeBatch(client, orders.map((t) => ({ order: t.order, eventId: t.eventId })));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    // Cluster-wide: a unique name, dropped in after().
    await db.pool.query(`CREATE ROLE ${analyst.name} LOGIN PASSWORD '${analyst.password}' IN ROLE order_reader`);
    const u = new URL(db.url);
    u.username = analyst.name;
    u.password = analyst.password;
    reader = new pg.Pool({ connectionString: u.toString(), max: 2 });
  });

  after(async () => {
    await reader?.end();
    await db?.drop();
    const admin = new pg.Client({ connectionString: loadConfig().database.url });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${analyst.name}`);
    } finally {
      await admin.end();
    }
  });

  test('the data set holds failed orders that would change every answer', async () => {
    const [n] = await rows(
      db.pool,
      `SELECT count(*) FILTER (WHERE order_status = 'Delivered')::int AS delivered,
              count(*) FILTER (WHERE order_status <> 'Delivered')::int AS failed,
              count(DISTINCT order_status)::int AS statuses,
              (SELECT count(*)::int FROM (SELECT i.order_id FROM item_record i JOIN order_record o USING (order_id)
                 WHERE o.order_status <> 'Delivered' GROUP BY 1 HAVING count(DISTINCT i.sku) > 1) m) AS failed_with_pairs
       FROM order_record`,
    );
    assert.ok(Number(n?.delivered) > 100, `delivered orders: ${n?.delivered}`);
    assert.ok(Number(n?.failed) > 50, `failed orders: ${n?.failed}`);
    assert.equal(n?.statuses, 4, 'Delivered, Timed Out, Cancelled and Returned all present');
    assert.ok(Number(n?.failed_with_pairs) > 10, `failed orders with two SKUs or more: ${n?.failed_with_pairs}`);
  });

  for (const name of Object.keys(VIEW_SQL) as Array<keyof typeof VIEW_SQL>) {
    test(`${name}: the original's statement gives the views' delivered-only answer`, async () => {
      const original = await rows(reader, ORIGINAL_SQL[name]);
      const views = await rows(reader, VIEW_SQL[name]);
      assert.ok(views.length > 0, `${name}: the views give an answer`);
      assert.deepEqual(original, views);
      // The test can fail: with failed orders in, the same statement answers otherwise.
      assert.notDeepEqual(await rows(db.pool, onEveryOrder(ORIGINAL_SQL[name])), views, `${name}: failed orders change the answer`);
    });
  }

  test('sku_info has the original price and cost, the catalogue', async () => {
    const skus = await rows(reader, ORIGINAL_SQL.catalogue);
    const expected = CATALOGUE.map((k) => ({ sku: k.sku, price: k.unitPrice.toFixed(2), cost: k.unitCost.toFixed(2) })).sort((a, b) =>
      a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0,
    );
    assert.deepEqual(skus, expected);
  });

  test('failed orders stay queryable: failed_order_info and failed_item_info hold the rest', async () => {
    const [n] = await rows(
      reader,
      `SELECT (SELECT count(*)::int FROM order_info) AS delivered, (SELECT count(*)::int FROM failed_order_info) AS failed,
              (SELECT count(*)::int FROM item_info) AS delivered_lines, (SELECT count(*)::int FROM failed_item_info) AS failed_lines,
              (SELECT count(*)::int FROM failed_order_info WHERE order_status = 'Delivered') AS delivered_among_failed,
              (SELECT count(DISTINCT item_id)::int FROM item_info) AS item_ids,
              (SELECT delivered_orders::int FROM order_summary) AS summary_delivered,
              (SELECT failed_orders::int FROM order_summary) AS summary_failed`,
    );
    const lines = (kind: 'finished' | 'failed') => orders.filter((t) => t.kind === kind).reduce((s, t) => s + t.order.item_info.length, 0);
    assert.deepEqual(n, {
      delivered: orders.filter((t) => t.kind === 'finished').length,
      failed: orders.filter((t) => t.kind === 'failed').length,
      delivered_lines: lines('finished'),
      failed_lines: lines('failed'),
      delivered_among_failed: 0,
      item_ids: lines('finished'),
      summary_delivered: orders.filter((t) => t.kind === 'finished').length,
      summary_failed: orders.filter((t) => t.kind === 'failed').length,
    });
  });
});
