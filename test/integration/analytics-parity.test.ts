/**
 * One data set, every reader of the analytics rules (issue 19): the views of sql/ are the
 * definition. On orders the pipeline would make (delivered and failed, over half a year, written
 * through the bridge's own sink in batches, with some of the rollups folded and some pending):
 *   - the views that read 006's rollups give what 002's rules give computed here from the base
 *     rows (order_record, item_record, sku_info);
 *   - the dashboard's statements give the views' answers for all time, and the base rows'
 *     answers for a range that cuts months in two (its edge days read delivered_lines);
 *   - every Superset dataset reads a view of the database, and its answers are the view's.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parse } from 'yaml';
import { writeBatchInTransaction } from '../../src/bridge/sink.js';
import { loadConfig } from '../../src/config/config.js';
import { DASHBOARD_TIME_ZONE, SQL } from '../../src/dashboard/queries.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { finalOrder, type TerminalOrder } from '../support/orders.js';

const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docker/superset/dashboard/datasets');
const SEED = 'analytics-parity';
/** An order every 5 hours from 1 November 2025: 900 orders, into May 2026. */
const ORDERS = 900;
const START = Date.parse('2025-11-01T00:00:00Z');
/** A range whose ends cut November and March in two. */
const RANGE = ['2025-11-17', '2026-03-09'] as const;

type Row = Record<string, unknown>;

function dataSet(): TerminalOrder[] {
  const gen = new OrderGenerator({ seed: SEED, runId: 1919 });
  return Array.from({ length: ORDERS }, (_, i) => finalOrder(gen.next(new Date(START + i * 5 * 3_600_000)).order, SEED));
}

/** Numbers (numeric and bigint come as strings) to 2 decimals, dates to their day: rows comparable across statements. */
function normal(rows: Row[]): Row[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => {
        if (v instanceof Date) return [k, v.toISOString()];
        if (typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))) return [k, Math.round(Number(v) * 100) / 100];
        return [k, v];
      }),
    ),
  );
}

// ---- 002's rules over the base rows, written out here (the views must give the same) -----------

const MANILA_DAY = `(o.order_date AT TIME ZONE 'Asia/Manila')::date`;

/** Per delivered order: its total and the profit of its lines (002's delivered_orders). */
const BASE_DELIVERED = `
  SELECT o.order_id, o.order_date, o.customer_id, o.order_total AS revenue, sum(i.subtotal - k.unit_cost * i.quantity) AS profit
  FROM order_record o JOIN item_record i ON i.order_id = o.order_id JOIN sku_info k ON k.sku = i.sku
  WHERE o.order_status = 'Delivered' GROUP BY o.order_id`;

/** Delivered lines with their Manila day (002's delivered_lines). */
const BASE_LINES = `
  SELECT o.order_id, ${MANILA_DAY} AS day, o.customer_id, i.sku, i.quantity, i.subtotal AS revenue, i.subtotal - k.unit_cost * i.quantity AS profit
  FROM order_record o JOIN item_record i ON i.order_id = o.order_id JOIN sku_info k ON k.sku = i.sku
  WHERE o.order_status = 'Delivered'`;

function baseRevenueBy(period: string): string {
  return `SELECT ${period} AS period, count(*) AS orders, sum(revenue) AS revenue, sum(profit) AS profit
    FROM (${BASE_DELIVERED}) d GROUP BY 1 ORDER BY 1`;
}

const BASE_DAYS = `
  WITH lines AS (SELECT day, count(*) AS line_count, sum(revenue) AS line_revenue, sum(profit) AS profit FROM (${BASE_LINES}) l GROUP BY day)
  SELECT ${MANILA_DAY} AS day, count(*) AS orders,
         count(*) FILTER (WHERE o.order_status = 'Delivered') AS delivered,
         count(*) FILTER (WHERE o.order_status = 'Timed Out') AS timed_out,
         count(*) FILTER (WHERE o.order_status = 'Cancelled') AS cancelled,
         count(*) FILTER (WHERE o.order_status = 'Returned') AS returned,
         coalesce(sum(o.order_total) FILTER (WHERE o.order_status = 'Delivered'), 0) AS delivered_total,
         count(*) FILTER (WHERE o.payment_date IS NOT NULL) AS paid,
         count(*) FILTER (WHERE o.payment_date IS NOT NULL AND o.express_shipping) AS paid_express,
         count(*) FILTER (WHERE o.order_status = 'Delivered' AND o.finished_date <= o.eta + interval '24 hours') AS on_time,
         coalesce(min(l.line_count), 0) AS line_count, coalesce(min(l.line_revenue), 0) AS line_revenue, coalesce(min(l.profit), 0) AS profit
  FROM order_record o LEFT JOIN lines l ON l.day = ${MANILA_DAY}
  GROUP BY 1 ORDER BY 1`;

const DAILY_COLUMNS = 'day, orders, delivered, timed_out, cancelled, returned, delivered_total, paid, paid_express, on_time, line_count, line_revenue, profit';

describe('one data set: the views, the rollups behind them, the dashboard and Superset agree', () => {
  const config = loadConfig();
  let db: TestDatabase;
  /** As the dashboard connects: Manila days. */
  let manila: pg.Pool;
  const q = async (sql: string, values: unknown[] = []) => normal((await manila.query(sql, values)).rows as Row[]);

  before(async () => {
    db = await createTestDatabase(config);
    const orders = dataSet();
    const batches = Array.from({ length: Math.ceil(orders.length / 50) }, (_, i) => orders.slice(i * 50, i * 50 + 50));
    for (const [n, batch] of batches.entries()) {
      await writeBatchInTransaction(db.pool, batch.map((o) => ({ order: o.order, eventId: o.eventId })));
      // Half the changes folded into the rollups, half left pending: the views add up both.
      if (n === Math.floor(batches.length / 2)) await db.pool.query('SELECT rollup_fold()');
    }
    manila = new pg.Pool({ connectionString: db.url, max: 2, options: `-c TimeZone=${DASHBOARD_TIME_ZONE}` });
  });

  after(async () => {
    await manila?.end();
    await db?.drop();
  });

  test('the data set has delivered and failed orders, folded and pending rollup rows', async () => {
    const [status] = await q(`SELECT count(*) FILTER (WHERE order_status = 'Delivered') AS delivered, count(*) FILTER (WHERE order_status <> 'Delivered') AS failed FROM order_record`);
    assert.ok(Number(status!.delivered) > 100 && Number(status!.failed) > 50, JSON.stringify(status));
    const [rollups] = await q('SELECT (SELECT count(*) FROM orders_by_day) AS folded, (SELECT count(*) FROM orders_by_day_pending) AS pending');
    assert.ok(Number(rollups!.folded) > 0 && Number(rollups!.pending) > 0, JSON.stringify(rollups));
  });

  describe('the views over the rollups give 002\'s rules computed from the base rows', () => {
    test('daily_totals', async () => {
      assert.deepEqual(await q(`SELECT ${DAILY_COLUMNS} FROM daily_totals ORDER BY day`), await q(BASE_DAYS));
    });

    test('revenue by day, month, quarter, year and day of month', async () => {
      const views: [string, string, string][] = [
        ['revenue_by_day', 'day', MANILA_DAY.replace(/o\./g, '')],
        ['revenue_by_month', 'month', `date_trunc('month', order_date AT TIME ZONE 'Asia/Manila')::date`],
        ['revenue_by_quarter', 'quarter', `date_trunc('quarter', order_date AT TIME ZONE 'Asia/Manila')::date`],
        ['revenue_by_year', 'year', `extract(year FROM order_date AT TIME ZONE 'Asia/Manila')::int`],
        ['revenue_by_day_of_month', 'day_of_month', `extract(day FROM order_date AT TIME ZONE 'Asia/Manila')::int`],
      ];
      for (const [view, key, period] of views) {
        const rows = await q(`SELECT ${key} AS period, orders, revenue, profit FROM ${view} ORDER BY 1`);
        assert.ok(rows.length > 0, view);
        assert.deepEqual(rows, await q(baseRevenueBy(period)), view);
      }
    });

    test('order_summary, orders_by_status, fulfilment_times, express_share, on_time_delivery', async () => {
      assert.deepEqual(
        await q('SELECT * FROM order_summary'),
        await q(`SELECT count(*) AS orders, count(*) FILTER (WHERE order_status = 'Delivered') AS delivered_orders,
                        count(*) FILTER (WHERE order_status <> 'Delivered') AS failed_orders,
                        coalesce(sum(order_total) FILTER (WHERE order_status = 'Delivered'), 0) AS revenue,
                        round(avg(order_total) FILTER (WHERE order_status = 'Delivered'), 2) AS average_order_value FROM order_record`),
      );
      assert.deepEqual(
        await q('SELECT * FROM orders_by_status ORDER BY 1'),
        await q('SELECT order_status, count(*) AS orders FROM order_record GROUP BY 1 ORDER BY 1'),
      );
      assert.deepEqual(
        await q('SELECT * FROM fulfilment_times'),
        await q(`SELECT round(avg(extract(epoch FROM payment_date - order_date) / 3600)::numeric, 2) AS hours_to_pay,
                        round(avg(extract(epoch FROM shipped_date - payment_date) / 3600)::numeric, 2) AS hours_to_ship,
                        round(avg(extract(epoch FROM finished_date - shipped_date) / 3600)::numeric, 2) AS hours_to_deliver
                 FROM order_record WHERE order_status = 'Delivered'`),
      );
      assert.deepEqual(
        await q('SELECT paid_orders, express_orders, round(express_share, 2) AS share FROM express_share'),
        await q(`SELECT count(*) AS paid_orders, count(*) FILTER (WHERE express_shipping) AS express_orders,
                        round(count(*) FILTER (WHERE express_shipping)::numeric / count(*), 2) AS share
                 FROM order_record WHERE payment_date IS NOT NULL`),
      );
      assert.deepEqual(
        await q('SELECT delivered_orders, on_time_orders, round(on_time_rate, 2) AS rate FROM on_time_delivery'),
        await q(`SELECT count(*) AS delivered_orders, count(*) FILTER (WHERE finished_date <= eta + interval '24 hours') AS on_time_orders,
                        round(count(*) FILTER (WHERE finished_date <= eta + interval '24 hours')::numeric / count(*), 2) AS rate
                 FROM order_record WHERE order_status = 'Delivered'`),
      );
    });

    test('item_performance, item_pairs, monthly_sku_sales, monthly_item_pairs, customer_revenue_all_time', async () => {
      assert.deepEqual(
        await q('SELECT sku, quantity, orders, revenue, profit FROM item_performance ORDER BY sku'),
        await q(`SELECT k.sku, coalesce(sum(l.quantity), 0) AS quantity, count(DISTINCT l.order_id) AS orders,
                        coalesce(sum(l.revenue), 0) AS revenue, coalesce(sum(l.profit), 0) AS profit
                 FROM sku_info k LEFT JOIN (${BASE_LINES}) l ON l.sku = k.sku GROUP BY k.sku ORDER BY k.sku`),
      );
      const basePairs = (month: string) => `
        SELECT ${month} a.sku AS sku_a, b.sku AS sku_b, count(*) AS orders
        FROM (${BASE_LINES}) a JOIN (${BASE_LINES}) b ON a.order_id = b.order_id AND a.sku < b.sku
        GROUP BY ${month.length > 0 ? '1, 2, 3' : '1, 2'} ORDER BY ${month.length > 0 ? '1, 2, 3' : '1, 2'}`;
      const pairs = await q('SELECT * FROM item_pairs ORDER BY 1, 2');
      assert.ok(pairs.length > 0);
      assert.deepEqual(pairs, await q(basePairs('')));
      assert.deepEqual(await q('SELECT month, sku_a, sku_b, orders FROM monthly_item_pairs ORDER BY 1, 2, 3'), await q(basePairs(`date_trunc('month', a.day)::date AS month,`)));
      assert.deepEqual(
        await q('SELECT month, sku, orders, quantity, revenue, profit FROM monthly_sku_sales ORDER BY 1, 2'),
        await q(`SELECT date_trunc('month', day)::date AS month, sku, count(DISTINCT order_id) AS orders, sum(quantity) AS quantity,
                        sum(revenue) AS revenue, sum(profit) AS profit FROM (${BASE_LINES}) l GROUP BY 1, 2 ORDER BY 1, 2`),
      );
      assert.deepEqual(
        await q('SELECT customer_id, orders, revenue FROM customer_revenue_all_time ORDER BY 1'),
        await q(`SELECT customer_id, count(*) AS orders, coalesce(sum(order_total) FILTER (WHERE order_status = 'Delivered'), 0) AS revenue
                 FROM order_record GROUP BY 1 ORDER BY 1`),
      );
    });
  });

  describe('the dashboard gives the views\' answers', () => {
    const all = [null, null];
    const chart = (name: keyof typeof SQL, values: unknown[] = all) => q(SQL[name], values);

    test('all time: summary, revenue per quarter and year, order status, items, provinces, top customers', async () => {
      const [summary] = await chart('summary');
      const [view] = await q('SELECT * FROM order_summary');
      assert.deepEqual(
        { orders: summary!.orders, delivered: summary!.delivered, failed: summary!.failed, revenue: summary!.revenue, aov: summary!.aov },
        { orders: view!.orders, delivered: view!.delivered_orders, failed: view!.failed_orders, revenue: view!.revenue, aov: view!.average_order_value },
      );
      assert.deepEqual(await chart('revenue-yearly'), await q(`SELECT year::text AS year, revenue, profit FROM revenue_by_year ORDER BY 1`));
      assert.deepEqual(await chart('revenue-quarterly'), await q(`SELECT to_char(quarter, 'YYYY-"Q"Q') AS quarter, revenue, profit FROM revenue_by_quarter ORDER BY 1`));
      assert.deepEqual(await chart('revenue-daily'), await q(`SELECT to_char(day, 'YYYY-MM-DD') AS day, revenue, profit FROM revenue_by_day ORDER BY 1`));
      assert.deepEqual(await chart('order-status'), await q('SELECT order_status AS status, orders FROM orders_by_status ORDER BY 2 DESC, 1'));
      assert.deepEqual(
        await chart('items-most-profitable'),
        await q('SELECT sku, name AS item_name, profit, revenue FROM item_performance WHERE orders > 0 ORDER BY profit DESC, sku LIMIT 15'),
      );
      assert.deepEqual(await chart('provinces'), await q('SELECT provincial_code, orders, customers, revenue FROM province_summary ORDER BY revenue DESC, 1'));
      assert.deepEqual(
        await chart('top-customers', [null, null, 10, null]),
        await q('SELECT customer_id, customer_name, orders, revenue FROM top_customers WHERE revenue > 0 ORDER BY revenue DESC, orders DESC, customer_id LIMIT 10'),
      );
      assert.deepEqual(
        await chart('payment-methods'),
        await q('SELECT payment_method AS method, orders FROM payment_methods ORDER BY 2 DESC, 1'),
      );
      const [express] = await q('SELECT paid_orders, express_orders FROM express_share');
      const shipping = Object.fromEntries((await chart('express-share')).map((r) => [r.shipping, r.orders]));
      assert.deepEqual(shipping, { Express: express!.express_orders, Standard: Number(express!.paid_orders) - Number(express!.express_orders) });
      const [times] = await q('SELECT * FROM fulfilment_times');
      const stages = Object.fromEntries((await chart('fulfilment-times')).map((r) => [r.stage, Number(r.avg_hours)]));
      for (const [stage, column] of [['Pay', 'hours_to_pay'], ['Ship', 'hours_to_ship'], ['Deliver', 'hours_to_deliver']] as const) {
        // The chart shows one decimal, the view two.
        assert.ok(Math.abs(stages[stage]! - Number(times![column])) <= 0.051, `${stage}: ${stages[stage]} against ${String(times![column])}`);
      }
    });

    test('a range cutting months in two: the base rows of the range', async () => {
      const range = [...RANGE];
      const inRange = `${MANILA_DAY} BETWEEN $1::date AND $2::date`;
      assert.deepEqual(
        (await chart('revenue-monthly', range)).map((r) => ({ month: r.month, revenue: r.revenue, profit: r.profit })),
        await q(`SELECT to_char(day, 'YYYY-MM') AS month, sum(revenue) AS revenue, sum(profit) AS profit
                 FROM (${BASE_LINES}) l WHERE day BETWEEN $1::date AND $2::date GROUP BY 1 ORDER BY 1`, range),
      );
      assert.deepEqual(
        await chart('items-by-quantity', range),
        await q(`SELECT l.sku, k.name AS item_name, sum(l.quantity) AS quantity FROM (${BASE_LINES}) l JOIN sku_info k ON k.sku = l.sku
                 WHERE day BETWEEN $1::date AND $2::date GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 15`, range),
      );
      assert.deepEqual(
        await chart('items-most-profitable', range),
        await q(`SELECT l.sku, k.name AS item_name, sum(l.profit) AS profit, sum(l.revenue) AS revenue FROM (${BASE_LINES}) l JOIN sku_info k ON k.sku = l.sku
                 WHERE day BETWEEN $1::date AND $2::date GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 15`, range),
      );
      const pairs = await chart('item-pairs', range);
      assert.ok(pairs.length > 0);
      const basePairs = await q(`SELECT a.sku AS sku_a, b.sku AS sku_b, count(*) AS orders
        FROM (${BASE_LINES}) a JOIN (${BASE_LINES}) b ON a.order_id = b.order_id AND a.sku < b.sku
        WHERE a.day BETWEEN $1::date AND $2::date GROUP BY 1, 2`, range);
      const byPair = new Map(basePairs.map((p) => [`${String(p.sku_a)}|${String(p.sku_b)}`, p.orders]));
      for (const p of pairs) assert.equal(p.orders, byPair.get(`${String(p.sku_a)}|${String(p.sku_b)}`), `${String(p.sku_a)}+${String(p.sku_b)}`);
      assert.deepEqual(
        await chart('top-customers', [...range, 10, null]),
        await q(`SELECT o.customer_id, c.customer_name, count(*) AS orders, coalesce(sum(o.order_total) FILTER (WHERE o.order_status = 'Delivered'), 0) AS revenue
                 FROM order_record o JOIN customer_info c ON c.customer_id = o.customer_id WHERE ${inRange}
                 GROUP BY 1, 2 HAVING sum(o.order_total) FILTER (WHERE o.order_status = 'Delivered') > 0
                 ORDER BY revenue DESC, orders DESC, 1 LIMIT 10`, range),
      );
      assert.deepEqual(
        await chart('provinces', range),
        await q(`SELECT o.provincial_code, count(*) AS orders, count(DISTINCT o.customer_id) AS customers,
                        coalesce(sum(o.order_total) FILTER (WHERE o.order_status = 'Delivered'), 0) AS revenue
                 FROM order_record o WHERE ${inRange} GROUP BY 1 ORDER BY revenue DESC, 1`, range),
      );
      const [summary] = await chart('summary', range);
      const [base] = await q(`SELECT count(*) AS orders, count(*) FILTER (WHERE o.order_status = 'Delivered') AS delivered,
          coalesce(sum(o.order_total) FILTER (WHERE o.order_status = 'Delivered'), 0) AS revenue, count(DISTINCT o.customer_id) AS customers
        FROM order_record o WHERE ${inRange}`, range);
      assert.deepEqual({ orders: summary!.orders, delivered: summary!.delivered, revenue: summary!.revenue, customers: summary!.customers }, base);
    });
  });

  describe('Superset\'s datasets read the views', () => {
    interface Dataset { table_name: string; sql: string | null }
    const datasets = readdirSync(BUNDLE, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => parse(readFileSync(path.join(BUNDLE, f), 'utf8')) as Dataset);

    test('every dataset names a view of the database, or its SQL reads views only', async () => {
      const views = new Set((await q(`SELECT table_name FROM information_schema.views WHERE table_schema = 'public'`)).map((r) => String(r.table_name)));
      assert.ok(datasets.length > 0);
      for (const d of datasets) {
        const sources = d.sql ? [...d.sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]!) : [d.table_name];
        assert.ok(sources.length > 0, d.table_name);
        for (const s of sources) assert.ok(views.has(s) && !s.startsWith('rollup_'), `dataset ${d.table_name} reads ${s}, not a view of sql/`);
      }
    });

    test('the SQL datasets answer as the views do', async () => {
      const named = datasets.find((d) => d.table_name === 'item_pairs_named');
      assert.ok(named?.sql);
      assert.deepEqual(
        await q(`SELECT sku_a, sku_b, orders FROM (${named.sql}) AS virtual_table ORDER BY 1, 2`),
        await q('SELECT sku_a, sku_b, orders FROM item_pairs ORDER BY 1, 2'),
      );
    });

    test('the daily dataset\'s average order value is order_summary\'s', async () => {
      const [fromDaily] = await q('SELECT round(SUM(delivered_total) / NULLIF(SUM(delivered), 0), 2) AS aov FROM daily_totals');
      const [fromView] = await q('SELECT average_order_value AS aov FROM order_summary');
      assert.deepEqual(fromDaily, fromView);
    });
  });
});
