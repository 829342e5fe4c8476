/**
 * Each analytics view against a tiny hand-made data set whose answers were worked out by hand.
 * Written through the real sink (writeBatch), so the views are tested on rows as the bridge stores them.
 * The dashboard's statements, which read 006's rollups (kept by triggers as the rows are written),
 * give the same hand-worked answers.
 *
 * The data (unit costs from sku_info, the catalogue):
 *   A  customer C1, 2026-01-14 10:00+08, Delivered, Bank Transfer, express, paid +2 h, shipped +24 h
 *      after payment, ETA +72 h, finished at ETA + 12 h (on time)   lines: SKU-1 ×2, SKU-2 ×1
 *   B  customer C1, 2026-02-15 09:00+08, Delivered, Credit Card, standard, paid +26 h, shipped +48 h,
 *      ETA +120 h, finished at ETA + 30 h (late)                     lines: SKU-1 ×1, SKU-3 ×4
 *   C  customer C2, 2026-02-15 12:00+08, Returned (paid, shipped)     lines: SKU-2 ×1
 *   D  customer C3, 2026-04-01 08:00+08, Timed Out                    lines: SKU-3 ×1
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { writeBatch } from '../../src/bridge/sink.js';
import { DASHBOARD_TIME_ZONE, SQL } from '../../src/dashboard/queries.js';
import { CATALOGUE } from '../../src/domain/catalogue.js';
import type { ItemLine, Order } from '../../src/domain/order.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const [S1, S2, S3] = CATALOGUE as [(typeof CATALOGUE)[number], (typeof CATALOGUE)[number], (typeof CATALOGUE)[number]];
const H = 3_600_000;
const at = (iso: string, plusHours = 0) => new Date(Date.parse(iso) + plusHours * H).toISOString();
const cents = (n: number) => Math.round(n * 100) / 100;

function line(no: number, sku: typeof S1, quantity: number): ItemLine {
  return { line_no: no, sku: sku.sku, unit_price: sku.unitPrice, quantity, discount_percent: 0, subtotal: cents(sku.unitPrice * quantity) };
}

function order(id: string, customer: string, date: string, lines: ItemLine[], over: Partial<Order['payment_info']> & Partial<Order['shipping_info']>, province = 'PH-CEB'): Order {
  return {
    order_id: id,
    order_date: date,
    customer_info: { customer_id: customer, customer_name: `Name ${customer}`, company: 'Co', email: `${customer}@x.ph`, street_address: 'St', lgu: 'Cebu', provincial_code: province, contact_number: '+63 900 000 0000' },
    payment_info: { payment_status: over.payment_status ?? 'Paid', payment_method: over.payment_method ?? null, payment_date: over.payment_date ?? null },
    shipping_info: {
      shipping_id: over.shipping_id ?? null,
      express_shipping: over.express_shipping ?? false,
      order_status: over.order_status ?? 'Delivered',
      shipped_date: over.shipped_date ?? null,
      eta: over.eta ?? null,
      finished_date: over.finished_date ?? null,
    },
    item_info: lines,
    item_variety: lines.length,
    order_total: cents(lines.reduce((s, l) => s + l.subtotal, 0)),
  };
}

const aDate = '2026-01-14T02:00:00.000Z'; // 10:00 in Manila
const bDate = '2026-02-15T01:00:00.000Z';
const cDate = '2026-02-15T04:00:00.000Z';
const dDate = '2026-04-01T00:00:00.000Z';
const A = order('1', 'C1', aDate, [line(1, S1, 2), line(2, S2, 1)], {
  payment_method: 'Bank Transfer', payment_date: at(aDate, 2), express_shipping: true, shipping_id: 'S1',
  shipped_date: at(aDate, 26), eta: at(aDate, 74), finished_date: at(aDate, 86),
});
const B = order('2', 'C1', bDate, [line(1, S1, 1), line(2, S3, 4)], {
  payment_method: 'Credit Card', payment_date: at(bDate, 26), shipping_id: 'S2',
  shipped_date: at(bDate, 74), eta: at(bDate, 146), finished_date: at(bDate, 176),
}, 'PH-00');
const C = order('3', 'C2', cDate, [line(1, S2, 1)], {
  order_status: 'Returned', payment_method: 'Bank Transfer', payment_date: at(cDate, 1), shipping_id: 'S3',
  shipped_date: at(cDate, 30), eta: at(cDate, 150), finished_date: at(cDate, 160),
});
const D = order('4', 'C3', dDate, [line(1, S3, 1)], { payment_status: 'Timed Out', order_status: 'Timed Out', finished_date: at(dDate, 168) });

const revenue = (o: Order) => o.order_total;
const profit = (o: Order) => cents(o.item_info.reduce((s, l) => s + l.subtotal - (CATALOGUE.find((k) => k.sku === l.sku)!.unitCost * l.quantity), 0));

describe('analytics views on a hand-made data set', () => {
  let db: TestDatabase;
  const q = async (sql: string) => (await db.pool.query(sql)).rows as Array<Record<string, unknown>>;
  const num = (v: unknown) => Number(v);

  before(async () => {
    db = await createTestDatabase(loadConfig());
    const client = await db.pool.connect();
    try {
      await writeBatch(client, [A, B, C, D].map((o) => ({ order: o, eventId: `order-${o.order_id}:x` })));
    } finally {
      client.release();
    }
  });
  after(() => db.drop());

  test('revenue and profit by day, month, quarter, year and day of month count delivered orders only', async () => {
    const day = await q('SELECT day::text, orders, revenue, profit FROM revenue_by_day ORDER BY day');
    assert.deepEqual(day.map((r) => [r.day, num(r.orders), num(r.revenue), num(r.profit)]), [
      ['2026-01-14', 1, revenue(A), profit(A)],
      ['2026-02-15', 1, revenue(B), profit(B)],
    ]);
    const month = await q('SELECT month::text, revenue FROM revenue_by_month ORDER BY month');
    assert.deepEqual(month.map((r) => [r.month, num(r.revenue)]), [['2026-01-01', revenue(A)], ['2026-02-01', revenue(B)]]);
    const quarter = await q('SELECT quarter::text, orders, revenue FROM revenue_by_quarter');
    assert.deepEqual(quarter.map((r) => [r.quarter, num(r.orders), num(r.revenue)]), [['2026-01-01', 2, cents(revenue(A) + revenue(B))]]);
    const year = await q('SELECT year, profit FROM revenue_by_year');
    assert.deepEqual(year.map((r) => [num(r.year), num(r.profit)]), [[2026, cents(profit(A) + profit(B))]]);
    const dom = await q('SELECT day_of_month, orders FROM revenue_by_day_of_month ORDER BY 1');
    assert.deepEqual(dom.map((r) => [num(r.day_of_month), num(r.orders)]), [[14, 1], [15, 1]]);
  });

  test('order summary and orders by status', async () => {
    const [s] = await q('SELECT * FROM order_summary');
    assert.deepEqual([num(s?.orders), num(s?.delivered_orders), num(s?.failed_orders), num(s?.revenue), num(s?.average_order_value)], [
      4, 2, 2, cents(revenue(A) + revenue(B)), cents((revenue(A) + revenue(B)) / 2),
    ]);
    const st = await q('SELECT order_status, orders FROM orders_by_status ORDER BY 1');
    assert.deepEqual(st.map((r) => [r.order_status, num(r.orders)]), [['Delivered', 2], ['Returned', 1], ['Timed Out', 1]]);
  });

  test('top customers and the repeat-customer share', async () => {
    const top = await q('SELECT rank, customer_id, orders, revenue FROM top_customers ORDER BY rank, customer_id');
    assert.deepEqual(top[0] && [num(top[0].rank), top[0].customer_id, num(top[0].orders), num(top[0].revenue)], [1, 'C1', 2, cents(revenue(A) + revenue(B))]);
    assert.equal(top.length, 3);
    const [r] = await q('SELECT * FROM repeat_customer_share');
    // C1 has two orders: 1 of 3 customers, and all delivered revenue.
    assert.deepEqual([num(r?.customers), num(r?.repeat_customers), num(r?.repeat_customer_share), num(r?.repeat_revenue_share)], [3, 1, 0.3333, 1]);
  });

  test('item performance and item pairs', async () => {
    const items = await q(`SELECT sku, quantity, orders, revenue, profit FROM item_performance WHERE sku IN ('${S1.sku}', '${S2.sku}', '${S3.sku}') ORDER BY sku`);
    const unit = (k: typeof S1, qty: number) => [k.sku, qty, cents(k.unitPrice * qty), cents((k.unitPrice - k.unitCost) * qty)];
    const expected = [
      [...unit(S1, 3).slice(0, 2), 2, ...unit(S1, 3).slice(2)],
      [...unit(S2, 1).slice(0, 2), 1, ...unit(S2, 1).slice(2)],
      [...unit(S3, 4).slice(0, 2), 1, ...unit(S3, 4).slice(2)],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(items.map((r) => [r.sku, num(r.quantity), num(r.orders), num(r.revenue), num(r.profit)]), expected);
    const pairs = await q('SELECT sku_a, sku_b, orders FROM item_pairs ORDER BY 1, 2');
    const pair = (x: string, y: string) => (x < y ? [x, y, 1] : [y, x, 1]);
    assert.deepEqual(pairs.map((r) => [r.sku_a, r.sku_b, num(r.orders)]), [pair(S1.sku, S2.sku), pair(S1.sku, S3.sku)].sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`)));
  });

  test('fulfilment times, payment methods, express share and on-time rate', async () => {
    const [t] = await q('SELECT * FROM fulfilment_times');
    // Delivered A and B: pay 2 h and 26 h; ship 24 h and 48 h; deliver 60 h and 102 h.
    assert.deepEqual([num(t?.hours_to_pay), num(t?.hours_to_ship), num(t?.hours_to_deliver)], [14, 36, 81]);
    const pm = await q('SELECT payment_method, orders, share FROM payment_methods ORDER BY 1');
    assert.deepEqual(pm.map((r) => [r.payment_method, num(r.orders), num(r.share)]), [['Bank Transfer', 2, 0.6667], ['Credit Card', 1, 0.3333]]);
    const [e] = await q('SELECT * FROM express_share');
    assert.deepEqual([num(e?.paid_orders), num(e?.express_orders), num(e?.express_share)], [3, 1, 0.3333]);
    const [o] = await q('SELECT * FROM on_time_delivery');
    // A finished 12 h after its ETA (on time), B 30 h after (late).
    assert.deepEqual([num(o?.delivered_orders), num(o?.on_time_orders), num(o?.on_time_rate)], [2, 1, 0.5]);
  });

  test('revenue, customers and orders by province', async () => {
    const p = await q('SELECT provincial_code, orders, customers, revenue FROM province_summary ORDER BY 1');
    assert.deepEqual(p.map((r) => [r.provincial_code, num(r.orders), num(r.customers), num(r.revenue)]), [
      ['PH-00', 1, 1, revenue(B)],
      ['PH-CEB', 3, 3, revenue(A)],
    ]);
  });

  test("the dashboard's statements on the rollups give the same answers", async () => {
    const dashboard = new pg.Pool({ connectionString: db.url, max: 1, options: `-c TimeZone=${DASHBOARD_TIME_ZONE}` });
    const chart = async (name: keyof typeof SQL, from: string | null = null, to: string | null = null) =>
      (await dashboard.query(SQL[name], [from, to])).rows as Array<Record<string, unknown>>;
    try {
      const [s] = await chart('summary');
      assert.deepEqual(s, {
        orders: 4, delivered: 2, failed: 2, revenue: cents(revenue(A) + revenue(B)), profit: cents(profit(A) + profit(B)),
        aov: cents((revenue(A) + revenue(B)) / 2), customers: 3, ordersAllTime: 4,
        // Gross margin: line profit over line revenue (lines add up to the order totals here).
        margin: Math.round(((profit(A) + profit(B)) / (revenue(A) + revenue(B))) * 10_000) / 10_000,
      });
      assert.deepEqual(await chart('revenue-daily'), [
        { day: '2026-01-14', revenue: revenue(A), profit: profit(A) },
        { day: '2026-02-15', revenue: revenue(B), profit: profit(B) },
      ]);
      assert.deepEqual(await chart('revenue-quarterly'), [{ quarter: '2026-Q1', revenue: cents(revenue(A) + revenue(B)), profit: cents(profit(A) + profit(B)) }]);
      assert.deepEqual(await chart('orders-monthly'), [
        { month: '2026-01', orders: 1, aov: revenue(A) },
        { month: '2026-02', orders: 2, aov: revenue(B) },
        { month: '2026-04', orders: 1, aov: null },
      ]);
      assert.deepEqual(await chart('order-status'), [
        { status: 'Delivered', orders: 2 },
        { status: 'Returned', orders: 1 },
        { status: 'Timed Out', orders: 1 },
      ]);
      assert.deepEqual(
        (await chart('items-by-orders')).map((r) => [r.sku, r.orders]),
        [[S1.sku, 2], ...[[S2.sku, 1], [S3.sku, 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0])))],
      );
      assert.deepEqual(
        (await chart('item-pairs')).map((r) => [r.sku_a, r.sku_b, r.orders]),
        [[S1.sku, S2.sku].sort(), [S1.sku, S3.sku].sort()].map((p) => [...p, 1]).sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`)),
      );
      // Delivered A and B: pay 2 h and 26 h; ship 24 h and 48 h; deliver 60 h and 102 h.
      assert.deepEqual(await chart('fulfilment-times'), [
        { stage: 'Pay', avg_hours: 14, orders: 2 },
        { stage: 'Ship', avg_hours: 36, orders: 2 },
        { stage: 'Deliver', avg_hours: 81, orders: 2 },
      ]);
      assert.deepEqual(await chart('on-time-rate'), [
        { month: '2026-01', on_time: 1, delivered: 1, on_time_rate: 1 },
        { month: '2026-02', on_time: 0, delivered: 1, on_time_rate: 0 },
      ]);
      assert.deepEqual(await chart('express-share'), [{ shipping: 'Express', orders: 1 }, { shipping: 'Standard', orders: 2 }]);
      // February alone: B (and the returned C, which brings no revenue).
      // February 2025, a year earlier, had no delivered order.
      assert.deepEqual(await chart('revenue-monthly', '2026-02-01', '2026-02-28'), [
        { month: '2026-02', revenue: revenue(B), profit: profit(B), revenue_year_before: 0, profit_year_before: 0 },
      ]);
      assert.deepEqual((await chart('items-by-quantity', '2026-02-15', '2026-02-15')).map((r) => [r.sku, r.quantity]).sort(), [[S1.sku, 1], [S3.sku, 4]].sort());
    } finally {
      await dashboard.end();
    }
  });
});
