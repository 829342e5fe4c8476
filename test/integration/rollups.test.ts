/**
 * The dashboard's statements read 006's rollups; these tests hold them to the answers the
 * dashboard gave before 006, when every statement added up order_info, item_info and
 * delivered_lines itself (REFERENCE below: those statements, word for word). Orders spread over
 * four months go in through the real sink; then every chart must answer the same for many ranges
 * (whole months, parts of months, open ends, no orders at all) — with changes still pending and
 * after a fold, after replays (identical and changed), after changes made by hand in SQL (which
 * the triggers follow), after a new unit cost, after a rebuild and after TRUNCATE. The bridge's
 * role keeps the rollups with its writes and folds them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { writeBatchInTransaction, type SinkRow } from '../../src/bridge/sink.js';
import { loadConfig } from '../../src/config/config.js';
import { CUSTOMER_FILTER_PARAM, DASHBOARD_TIME_ZONE, SQL, TOP_CUSTOMER_LIMITS } from '../../src/dashboard/queries.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { finalOrder } from '../support/orders.js';

// ---- the statements before 006 --------------------------------------------------------------

function inRange(alias: string): string {
  return `${alias}.order_date >= coalesce($1::date, '-infinity'::date) AND ${alias}.order_date < coalesce($2::date + 1, 'infinity'::date)`;
}
const DELIVERED = `o.order_status = 'Delivered'`;
const FAILED = `o.order_status IN ('Timed Out', 'Cancelled', 'Returned')`;
function revenueBy(periodExpr: string, alias: string): string {
  return `
    SELECT ${periodExpr} AS ${alias}, round(sum(l.revenue), 2)::float8 AS revenue, round(sum(l.profit), 2)::float8 AS profit
    FROM delivered_lines l WHERE ${inRange('l')}
    GROUP BY 1 ORDER BY 1`;
}
function ordersBy(periodExpr: string, alias: string): string {
  return `
    SELECT ${periodExpr} AS ${alias}, count(*)::int AS orders, round(avg(o.order_total) FILTER (WHERE ${DELIVERED}), 2)::float8 AS aov
    FROM order_record o WHERE ${inRange('o')}
    GROUP BY 1 ORDER BY 1`;
}
/** `customer`: the parameter of the customer filter (NULL = every customer). */
const customerStats = (customer: string) => `
  SELECT o.customer_id, count(*) AS orders, coalesce(sum(o.order_total) FILTER (WHERE ${DELIVERED}), 0) AS revenue
  FROM order_record o WHERE ${inRange('o')} AND (${customer}::text IS NULL OR o.customer_id = ${customer}) GROUP BY o.customer_id`;
const TOP_CUSTOMERS = `
  SELECT customer_id, orders, revenue FROM (${customerStats('$4')}) s
  WHERE (revenue > 0 OR $4::text IS NOT NULL) ORDER BY revenue DESC, orders DESC, customer_id LIMIT $3`;
/** Months of the range with their revenue and profit, and the same months' a year earlier. */
const REVENUE_MONTHLY = `
  WITH span AS (
    SELECT coalesce($1::date, (SELECT min(l.order_date)::date FROM delivered_lines l WHERE ${inRange('l')})) AS lo,
           coalesce($2::date, (SELECT max(l.order_date)::date FROM delivered_lines l WHERE ${inRange('l')})) AS hi),
  lines AS (
    SELECT date_trunc('month', l.order_date::date::timestamp) AS m, l.revenue, l.profit, 0 AS yr, 0 AS yp FROM delivered_lines l WHERE ${inRange('l')}
    UNION ALL
    SELECT date_trunc('month', l.order_date::date::timestamp + interval '1 year'), 0, 0, l.revenue, l.profit
    FROM delivered_lines l, span WHERE l.order_date::date >= (span.lo::timestamp - interval '1 year')::date AND l.order_date::date <= (span.hi::timestamp - interval '1 year')::date)
  SELECT to_char(m, 'YYYY-MM') AS month, round(sum(revenue), 2)::float8 AS revenue, round(sum(profit), 2)::float8 AS profit,
         round(sum(yr), 2)::float8 AS revenue_year_before, round(sum(yp), 2)::float8 AS profit_year_before
  FROM lines GROUP BY 1 ORDER BY 1`;

const REFERENCE: Record<keyof typeof SQL, string> = {
  summary: `
    SELECT count(*)::int AS orders,
           (count(*) FILTER (WHERE ${DELIVERED}))::int AS delivered,
           (count(*) FILTER (WHERE ${FAILED}))::int AS failed,
           coalesce(sum(o.order_total) FILTER (WHERE ${DELIVERED}), 0)::float8 AS revenue,
           coalesce((SELECT round(sum(l.profit), 2) FROM delivered_lines l WHERE ${inRange('l')}), 0)::float8 AS profit,
           round(avg(o.order_total) FILTER (WHERE ${DELIVERED}), 2)::float8 AS aov,
           (SELECT round(sum(l.profit) / nullif(sum(l.revenue), 0), 4) FROM delivered_lines l WHERE ${inRange('l')})::float8 AS margin,
           (count(DISTINCT o.customer_id))::int AS customers,
           (SELECT count(*) FROM order_record)::int AS "ordersAllTime"
    FROM order_record o WHERE ${inRange('o')}`,
  'revenue-daily': revenueBy(`to_char(l.order_date, 'YYYY-MM-DD')`, 'day'),
  'revenue-monthly': REVENUE_MONTHLY,
  'revenue-quarterly': revenueBy(`to_char(l.order_date, 'YYYY-"Q"Q')`, 'quarter'),
  'revenue-yearly': revenueBy(`to_char(l.order_date, 'YYYY')`, 'year'),
  'revenue-by-day-of-month': revenueBy(`extract(day FROM l.order_date)::int`, 'day_of_month'),
  'orders-daily': ordersBy(`to_char(o.order_date, 'YYYY-MM-DD')`, 'day'),
  'orders-monthly': ordersBy(`to_char(o.order_date, 'YYYY-MM')`, 'month'),
  'orders-quarterly': ordersBy(`to_char(o.order_date, 'YYYY-"Q"Q')`, 'quarter'),
  'orders-yearly': ordersBy(`to_char(o.order_date, 'YYYY')`, 'year'),
  'orders-by-day-of-month': ordersBy(`extract(day FROM o.order_date)::int`, 'day_of_month'),
  'order-status': `
    SELECT o.order_status AS status, count(*)::int AS orders
    FROM order_record o WHERE ${inRange('o')} GROUP BY 1 ORDER BY 2 DESC, 1`,
  'customers-overview': `
    SELECT CASE WHEN orders > 1 THEN 'Repeat customers' ELSE 'One-time customers' END AS segment,
           count(*)::int AS customers, sum(orders)::int AS orders, round(sum(revenue), 2)::float8 AS revenue
    FROM (${customerStats('$3')}) s GROUP BY 1 ORDER BY 1 DESC`,
  'top-customers': `
    SELECT t.customer_id, c.customer_name, t.orders::int, round(t.revenue, 2)::float8 AS revenue
    FROM (${TOP_CUSTOMERS}) t JOIN customer_info c USING (customer_id) ORDER BY t.revenue DESC, t.orders DESC, t.customer_id`,
  'top-customers-monthly': `
    SELECT to_char(l.order_date, 'YYYY-MM') AS month, l.customer_id, c.customer_name, round(sum(l.revenue), 2)::float8 AS revenue
    FROM delivered_lines l JOIN (${TOP_CUSTOMERS}) t USING (customer_id) JOIN customer_info c USING (customer_id)
    WHERE ${inRange('l')}
    GROUP BY 1, 2, 3 ORDER BY 1, 2`,
  'top-customers-items': `
    WITH bought AS (
      SELECT l.customer_id, l.sku, l.sku_name, sum(l.quantity) AS quantity, count(*) AS orders,
             row_number() OVER (PARTITION BY l.customer_id ORDER BY sum(l.quantity) DESC, l.sku) AS rank
      FROM delivered_lines l JOIN (${TOP_CUSTOMERS}) t USING (customer_id)
      WHERE ${inRange('l')}
      GROUP BY l.customer_id, l.sku, l.sku_name)
    SELECT b.customer_id, c.customer_name, b.sku, b.sku_name AS item_name, b.quantity::int, b.orders::int
    FROM bought b JOIN customer_info c USING (customer_id)
    WHERE b.rank <= (CASE WHEN $4::text IS NULL THEN 3 ELSE 10 END) ORDER BY c.customer_name, b.customer_id, b.rank`,
  'items-most-profitable': `
    SELECT l.sku, l.sku_name AS item_name, round(sum(l.profit), 2)::float8 AS profit, round(sum(l.revenue), 2)::float8 AS revenue
    FROM delivered_lines l WHERE ${inRange('l')}
    GROUP BY 1, 2 ORDER BY profit DESC, 1 LIMIT 15`,
  'items-by-quantity': `
    SELECT l.sku, l.sku_name AS item_name, sum(l.quantity)::int AS quantity
    FROM delivered_lines l WHERE ${inRange('l')}
    GROUP BY 1, 2 ORDER BY quantity DESC, 1 LIMIT 15`,
  'items-by-orders': `
    SELECT l.sku, l.sku_name AS item_name, count(DISTINCT l.order_id)::int AS orders
    FROM delivered_lines l WHERE ${inRange('l')}
    GROUP BY 1, 2 ORDER BY orders DESC, 1 LIMIT 15`,
  'item-pairs': `
    WITH lines AS (SELECT l.order_id, l.sku, l.sku_name FROM delivered_lines l WHERE ${inRange('l')}),
    pairs AS (
      SELECT a.sku AS sku_a, b.sku AS sku_b, count(*) AS orders
      FROM lines a JOIN lines b ON a.order_id = b.order_id AND a.sku < b.sku
      GROUP BY 1, 2),
    top AS (
      SELECT sku FROM (SELECT sku_a AS sku, orders FROM pairs UNION ALL SELECT sku_b, orders FROM pairs) x
      GROUP BY sku ORDER BY sum(orders) DESC, sku LIMIT 12)
    SELECT p.sku_a, ka.name AS name_a, p.sku_b, kb.name AS name_b, p.orders::int
    FROM pairs p JOIN top ta ON ta.sku = p.sku_a JOIN top tb ON tb.sku = p.sku_b
    JOIN sku_info ka ON ka.sku = p.sku_a JOIN sku_info kb ON kb.sku = p.sku_b
    ORDER BY p.orders DESC, 1, 3`,
  'fulfilment-times': `
    SELECT stage, round(hours::numeric, 1)::float8 AS avg_hours, orders::int FROM (
      SELECT 1 AS n, 'Pay' AS stage, avg(extract(epoch FROM o.payment_date - o.order_date) / 3600) AS hours, count(*) AS orders
        FROM order_record o WHERE ${DELIVERED} AND ${inRange('o')}
      UNION ALL
      SELECT 2, 'Ship', avg(extract(epoch FROM o.shipped_date - o.payment_date) / 3600), count(*)
        FROM order_record o WHERE ${DELIVERED} AND ${inRange('o')}
      UNION ALL
      SELECT 3, 'Deliver', avg(extract(epoch FROM o.finished_date - o.shipped_date) / 3600), count(*)
        FROM order_record o WHERE ${DELIVERED} AND ${inRange('o')}) t
    WHERE orders > 0 ORDER BY n`,
  'payment-methods': `
    SELECT o.payment_method AS method, count(*)::int AS orders
    FROM order_record o WHERE o.payment_method IS NOT NULL AND ${inRange('o')} GROUP BY 1 ORDER BY 2 DESC, 1`,
  'express-share': `
    SELECT CASE WHEN o.express_shipping THEN 'Express' ELSE 'Standard' END AS shipping, count(*)::int AS orders
    FROM order_record o WHERE o.payment_date IS NOT NULL AND ${inRange('o')} GROUP BY 1 ORDER BY 1`,
  'on-time-rate': `
    SELECT to_char(o.order_date, 'YYYY-MM') AS month,
           (count(*) FILTER (WHERE o.finished_date <= o.eta + interval '24 hours'))::int AS on_time,
           count(*)::int AS delivered,
           round((count(*) FILTER (WHERE o.finished_date <= o.eta + interval '24 hours'))::numeric / count(*), 4)::float8 AS on_time_rate
    FROM order_record o WHERE ${DELIVERED} AND ${inRange('o')} GROUP BY 1 ORDER BY 1`,
  provinces: `
    SELECT o.provincial_code, count(*)::int AS orders, count(DISTINCT o.customer_id)::int AS customers,
           coalesce(sum(o.order_total) FILTER (WHERE ${DELIVERED}), 0)::float8 AS revenue
    FROM order_record o WHERE ${inRange('o')} GROUP BY 1 ORDER BY revenue DESC, 1`,
};

// ---- the data ---------------------------------------------------------------------------------

const SEED = 'rollups-test';
const ORDERS = 3000;
/** From 2026-01-20, one order every 45 minutes: into late April, across three month ends. */
const START = Date.parse('2026-01-20T00:00:00Z');
const STEP_MS = 45 * 60_000;
const BATCH = 50;

/** [from, to] (YYYY-MM-DD, null = open), chosen around the data's months. */
const RANGES: [string | null, string | null][] = [
  [null, null],
  ['2026-01-15', '2026-04-14'], // 90 days: a part of January and of April, February and March whole
  ['2026-02-01', '2026-03-31'], // whole months only
  ['2026-02-10', '2026-02-20'], // inside one month
  ['2026-02-25', '2026-03-05'], // across a month end, no whole month
  ['2026-01-31', '2026-03-01'], // a day at each end
  ['2026-03-15', null],
  [null, '2026-02-14'],
  ['2025-01-01', '2025-12-31'], // before every order
  ['2026-01-01', '2026-12-31'], // around every order (the all-time rollups answer)
];

function orders(count: number, runId: number, skip = 0): SinkRow[] {
  const gen = new OrderGenerator({ seed: SEED, runId });
  return Array.from({ length: count }, (_, i) => finalOrder(gen.next(new Date(START + (i + skip) * STEP_MS)).order, SEED)).map((t) => ({
    order: t.order,
    eventId: t.eventId,
  }));
}

async function writeInBatches(pool: pg.Pool, rows: SinkRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await writeBatchInTransaction(pool, rows.slice(i, i + BATCH));
}

describe('dashboard statements on the rollups', { timeout: 300_000 }, () => {
  let db: TestDatabase;
  /** Sessions as the dashboard's: Manila calendar. */
  let reader: pg.Pool;
  let written: SinkRow[];

  /**
   * Every chart and the summary, 006's statement against REFERENCE, for every range; the customer
   * charts also filtered to one customer (the one with most orders).
   */
  async function assertSameAnswers(when: string): Promise<void> {
    const { rows } = await reader.query<{ id: string }>('SELECT customer_id AS id FROM order_record GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1');
    for (const name of Object.keys(REFERENCE) as (keyof typeof SQL)[]) {
      for (const range of RANGES) {
        const filtered = CUSTOMER_FILTER_PARAM[name] !== undefined;
        for (const customer of filtered ? [null, rows[0]?.id ?? null] : [undefined]) {
          const values: unknown[] = [...range];
          const limit = TOP_CUSTOMER_LIMITS[name];
          if (limit !== undefined) values.push(limit);
          if (customer !== undefined) values.push(customer);
          const [want, got] = await Promise.all([reader.query(REFERENCE[name], values), reader.query(SQL[name], values)]);
          assert.deepEqual(got.rows, want.rows, `${when}: ${name} for ${JSON.stringify(range)}${customer ? `, customer ${customer}` : ''}`);
        }
      }
    }
  }

  const pending = async () =>
    Number((await db.pool.query<{ n: string }>('SELECT (SELECT count(*) FROM orders_by_day_pending) + (SELECT count(*) FROM sales_by_day_sku_pending) AS n')).rows[0]?.n);

  before(async () => {
    db = await createTestDatabase(loadConfig());
    reader = new pg.Pool({ connectionString: db.url, max: 4, options: `-c TimeZone=${DASHBOARD_TIME_ZONE} -c default_transaction_read_only=on` });
    written = orders(ORDERS, 1);
    await writeInBatches(db.pool, written);
  });

  after(async () => {
    await reader?.end();
    await db?.drop();
  });

  test('the data spans the ranges, and has changes both folded and pending', async () => {
    const { rows } = await db.pool.query<{ months: number; folded: number }>(
      `SELECT count(DISTINCT date_trunc('month', order_date AT TIME ZONE 'Asia/Manila'))::int AS months,
              (SELECT count(*) FROM orders_by_day)::int AS folded FROM order_record`,
    );
    assert.equal(rows[0]?.months, 4);
    assert.ok((rows[0]?.folded ?? 0) > 0, 'some changes folded');
    assert.ok((await pending()) > 0, 'some changes pending');
    await assertSameAnswers('after the first writes');
  });

  test('the same after everything pending is folded', async () => {
    await db.pool.query('SELECT rollup_fold()');
    assert.equal(await pending(), 0);
    await assertSameAnswers('after a fold');
  });

  test('replaying every order changes no rollup; replaying changed orders changes them as the tables', async () => {
    const snapshot = () =>
      db.pool.query(`SELECT (SELECT json_agg(d ORDER BY d.day) FROM orders_by_day d) AS days,
                            (SELECT json_agg(s ORDER BY s.month, s.sku) FROM sales_by_month_sku s) AS sales,
                            (SELECT json_agg(p ORDER BY p.month, p.sku_a, p.sku_b) FROM item_pairs_by_month p) AS pairs`);
    const before = (await snapshot()).rows[0];
    await writeInBatches(db.pool, written);
    assert.equal(await pending(), 0, 'an identical replay appends nothing');
    assert.deepEqual((await snapshot()).rows[0], before);

    // Every 7th order again with another outcome, day, lines or payment time; and new orders.
    const changed = written.filter((_, i) => i % 7 === 0).map((r, j) => {
      const o = structuredClone(r.order);
      if (j % 4 === 0) o.shipping_info.order_status = o.shipping_info.order_status === 'Delivered' ? 'Returned' : 'Delivered';
      if (j % 4 === 1) o.order_date = new Date(Date.parse(o.order_date) + 20 * 3_600_000).toISOString();
      if (j % 4 === 2) o.item_info = [...o.item_info.map((l, k) => (k === 0 ? { ...l, quantity: l.quantity + 1, subtotal: l.subtotal + l.unit_price } : l)), { ...o.item_info[0]!, line_no: 40 }];
      if (j % 4 === 3 && o.payment_info.payment_date) o.payment_info.payment_date = new Date(Date.parse(o.payment_info.payment_date) + 61_000).toISOString();
      return { order: o, eventId: `${r.eventId}:changed` };
    });
    await writeInBatches(db.pool, [...changed, ...orders(300, 2, 500)]);
    await assertSameAnswers('after changed replays');
  });

  test('changes made by hand in SQL: the triggers follow them', async () => {
    const statements = [
      `UPDATE order_record SET order_status = 'Returned' WHERE order_id IN (SELECT order_id FROM order_record WHERE order_status = 'Delivered' ORDER BY md5(order_id) LIMIT 40)`,
      `UPDATE order_record SET order_status = 'Delivered' WHERE order_id IN (SELECT order_id FROM order_record WHERE order_status = 'Cancelled' ORDER BY md5(order_id) LIMIT 20)`,
      `UPDATE order_record SET order_date = order_date + interval '9 days' WHERE order_id IN (SELECT order_id FROM order_record ORDER BY md5(order_id || 'd') LIMIT 200)`,
      `UPDATE order_record SET payment_date = payment_date - interval '30 minutes', eta = eta - interval '2 days', express_shipping = NOT express_shipping
         WHERE order_id IN (SELECT order_id FROM order_record WHERE payment_date IS NOT NULL ORDER BY md5(order_id || 'p') LIMIT 200)`,
      `UPDATE item_record SET sku = (SELECT min(sku) FROM sku_info), quantity = quantity + 1, subtotal = subtotal + unit_price
         WHERE (order_id, line_no) IN (SELECT order_id, line_no FROM item_record ORDER BY md5(order_id || line_no) LIMIT 300)`,
      `DELETE FROM item_record WHERE (order_id, line_no) IN (SELECT order_id, line_no FROM item_record WHERE line_no > 1 ORDER BY md5(order_id || line_no || 'x') LIMIT 200)`,
      `INSERT INTO item_record SELECT order_id, line_no + 50, sku, unit_price, quantity, discount_percent, subtotal
         FROM item_record WHERE order_id IN (SELECT order_id FROM order_record ORDER BY md5(order_id || 'i') LIMIT 100)`,
      `UPDATE item_record SET line_no = line_no + 100 WHERE line_no = 1 AND order_id IN (SELECT order_id FROM order_record ORDER BY md5(order_id || 'l') LIMIT 100)`,
      `DELETE FROM item_record WHERE order_id IN (SELECT order_id FROM order_record WHERE order_status = 'Delivered' ORDER BY md5(order_id || 'all') LIMIT 10)`,
      `DELETE FROM order_record WHERE order_id IN (SELECT order_id FROM order_record ORDER BY md5(order_id || 'del') LIMIT 100)`,
    ];
    for (const sql of statements) await db.pool.query(sql);
    await assertSameAnswers('after changes by hand');
  });

  test('a new unit cost re-prices every profit', async () => {
    await db.pool.query(`UPDATE sku_info SET unit_cost = unit_cost + 0.37 WHERE sku IN (SELECT sku FROM sku_info ORDER BY sku LIMIT 5)`);
    await assertSameAnswers('after a unit cost change');
  });

  test('rollup_rebuild() gives the same rollups as they were kept', async () => {
    await db.pool.query('SELECT rollup_fold()');
    const snapshot = async () =>
      (
        await db.pool.query(`SELECT (SELECT json_agg(json_build_array(d.day, d.orders, d.delivered, d.delivered_total::text, d.pay_hours, d.line_count,
                                                    d.line_revenue::text, d.line_cost::text) ORDER BY d.day)
                                     FROM orders_by_day d WHERE (d.orders, d.line_count) <> (0, 0)) AS days,
                                    (SELECT json_agg(s ORDER BY s.month, s.sku) FROM sales_by_month_sku s WHERE s.orders <> 0) AS sales,
                                    (SELECT json_agg(p ORDER BY p.month, p.sku_a, p.sku_b) FROM item_pairs_by_month p WHERE p.orders <> 0) AS pairs`)
      ).rows[0];
    const kept = await snapshot();
    await db.pool.query('SELECT rollup_rebuild()');
    const rebuilt = await snapshot();
    // Hours sums are the same numbers; their written scale may differ after rows were taken away.
    const norm = (s: typeof kept) => JSON.parse(JSON.stringify(s), (k, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v));
    assert.deepEqual(norm(rebuilt), norm(kept));
    await assertSameAnswers('after a rebuild');
  });

  test("the bridge's role writes through the triggers and folds", async () => {
    const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
    const user = { name: `bridge_${suffix}`, password: `b-${randomUUID()}` };
    await db.pool.query(`CREATE ROLE ${user.name} LOGIN PASSWORD '${user.password}' IN ROLE order_bridge`);
    const url = new URL(db.url);
    url.username = user.name;
    url.password = user.password;
    const bridge = new pg.Pool({ connectionString: url.toString(), max: 2 });
    try {
      await writeInBatches(bridge, orders(400, 3, 1200));
      await bridge.query('SELECT rollup_fold()');
      assert.equal(await pending(), 0);
      await assertSameAnswers("after the bridge role's writes");
    } finally {
      await bridge.end();
      await db.pool.query(`DROP OWNED BY ${user.name}; DROP ROLE ${user.name}`);
    }
  });

  test('TRUNCATE empties the rollups with the tables', async () => {
    await db.pool.query('TRUNCATE item_record');
    await assertSameAnswers('after TRUNCATE item_record');
    await db.pool.query('TRUNCATE order_record CASCADE');
    await assertSameAnswers('after TRUNCATE order_record');
    const { rows } = await db.pool.query<{ n: number }>('SELECT (SELECT count(*) FROM orders_by_day) + (SELECT count(*) FROM sales_by_month_sku) AS n');
    assert.equal(Number(rows[0]?.n), 0);
  });
});
