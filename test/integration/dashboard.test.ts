/// <reference lib="dom" />
/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core, no browser
 * download) against a real Postgres filled by the real bridge: generated orders, taken to their
 * end by the fate simulator, produced to test topics of their own, consumed by startBridge into a
 * fresh database. Each tab loads without console errors and every chart has points; the totals on
 * the page equal the same numbers queried here; the date filter narrows them; the lookup finds an
 * order and links to its workflow; the page refreshes by itself as orders arrive; and the empty,
 * database-down and Temporal-down states say what to do. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Kafka } from 'kafkajs';
import { startBridge } from '../../src/bridge/bridge.js';
import { loadConfig, redactUrl, topicNames, type AppConfig } from '../../src/config/config.js';
import { DASHBOARD_TIME_ZONE } from '../../src/dashboard/queries.js';
import { startDashboard, type DashboardHandle } from '../../src/dashboard/server.js';
import type { Order } from '../../src/domain/order.js';
import { isSaleDay } from '../../src/domain/sales.js';
import type { SimClockAnchor } from '../../src/domain/sim-clock.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import { createKafka, ensureTopics } from '../../src/kafka/client.js';
import { createLogger } from '../../src/logging/logger.js';
import { freePort } from '../../src/stack/wait.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { createOrderWorker } from '../../src/workers/order-worker.js';
import { DEFAULT_LIFECYCLE_OPTIONS, orderWorkflowId } from '../../src/workflows/contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestTopics, produceTerminalOrders } from '../support/kafka.js';
import { finalOrder, type TerminalOrder } from '../support/orders.js';
import { installQuietRuntime } from '../support/temporal.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = path.resolve('test-results');
const TABS = ['revenue', 'orders', 'customers', 'items', 'delivery', 'locations'] as const;
const ORDERS = 400;
const MORE_ORDERS = 40;
/** Orders run through the real worker for the pipeline strip: to their end, and left awaiting payment. */
const LIVE_FINISHED = 12;
const LIVE_PLACED = 3;
const SEED = 'dashboard-test';
const log = createLogger('dashboard-test', 'warn');

interface Browser {
  context: BrowserContext;
  userDataDir: string;
}

async function launchBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  return { context, userDataDir };
}

/** A page that records console errors and uncaught exceptions. */
async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  // The test runner (tsx) names functions with a __name helper, which the page does not have: the
  // functions these tests run in the page may call it.
  await page.addInitScript({ content: 'window.__name = (fn) => fn;' });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.goto(url);
  return { page, errors };
}

/** Opens a tab and waits until none of its cards is still loading. */
async function showTab(page: Page, tab: string): Promise<void> {
  await page.click(`[role="tab"][data-tab="${tab}"]`);
  await page.waitForFunction((t) => {
    const cards = Array.from(document.querySelectorAll<HTMLElement>(`[data-tab-panel="${t}"] .card`));
    return cards.length > 0 && cards.every((c) => c.dataset.state !== 'loading');
  }, tab);
}

async function cardStates(page: Page, tab: string): Promise<{ chart: string; state: string; points: number; note: string }[]> {
  return page.$$eval(`[data-tab-panel="${tab}"] .card`, (cards) =>
    cards.map((c) => {
      const el = c as HTMLElement;
      return { chart: el.dataset.chart ?? '', state: el.dataset.state ?? '', points: Number(el.dataset.points ?? 0), note: el.querySelector('.note')?.textContent ?? '' };
    }),
  );
}

async function kpi(page: Page, name: string): Promise<number> {
  const raw = await page.getAttribute(`[data-kpi="${name}"] .value`, 'data-value');
  assert.ok(raw !== null && raw !== '', `KPI ${name} has no value`);
  return Number(raw);
}

/** The totals the page shows, computed here straight from the analytics tables. */
async function expectedTotals(db: pg.Client, from?: string, to?: string) {
  const { rows } = await db.query<{ orders: number; delivered: number; failed: number; revenue: number; customers: number }>(
    `SELECT count(*)::int AS orders,
            (count(*) FILTER (WHERE order_status = 'Delivered'))::int AS delivered,
            (count(*) FILTER (WHERE order_status <> 'Delivered'))::int AS failed,
            coalesce(sum(order_total) FILTER (WHERE order_status = 'Delivered'), 0)::float8 AS revenue,
            count(DISTINCT customer_id)::int AS customers
     FROM order_record
     WHERE order_date >= coalesce($1::date, '-infinity'::date) AND order_date < coalesce($2::date + 1, 'infinity'::date)`,
    [from ?? null, to ?? null],
  );
  return rows[0] as NonNullable<(typeof rows)[0]>;
}

async function assertTotals(page: Page, db: pg.Client, from?: string, to?: string): Promise<void> {
  const want = await expectedTotals(db, from, to);
  assert.ok(want.orders > 0, 'the range must hold orders for this check to mean something');
  assert.equal(await kpi(page, 'orders'), want.orders, 'orders');
  assert.equal(await kpi(page, 'delivered'), want.delivered, 'delivered');
  assert.equal(await kpi(page, 'failed'), want.failed, 'failed');
  assert.ok(Math.abs((await kpi(page, 'revenue')) - want.revenue) < 0.005, `revenue ${await kpi(page, 'revenue')} vs ${want.revenue}`);
  assert.equal(await kpi(page, 'customers'), want.customers, 'customers');
}

describe('dashboard in a browser', { timeout: 600_000 }, () => {
  const runId = randomUUID().slice(0, 8);
  // Order ids start with a run number of their own, so reruns against one Temporal never share workflow ids.
  const runNumber = Date.now();
  const prefix = `dash_${runId}_`;
  let base: AppConfig;
  let config: AppConfig;
  let database: TestDatabase;
  let kafka: Kafka;
  let db: pg.Client;
  let dashboard: DashboardHandle;
  let browser: Browser;
  let docs: TerminalOrder[];
  let twins: { name: string; ids: [string, string] };
  const cleanups: (() => Promise<unknown>)[] = [];

  before(async () => {
    base = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `dashboard-${runId}` });
    const topics = await createTestTopics(base, 3, prefix);
    database = await createTestDatabase(topics.config);
    cleanups.push(() => database.drop());
    kafka = topics.kafka;
    // JAEGER_UI_URL set: the lookup links each order to its trace too (nothing needs to listen there).
    config = { ...database.config, dashboardPort: await freePort(), jaegerUiUrl: 'http://127.0.0.1:16686' };
    const bridge = await startBridge(config, log);
    cleanups.push(() => bridge.stop());
    docs = makeOrders(SEED, ORDERS + MORE_ORDERS, runNumber);
    twins = sameNameCustomers(docs, docs.slice(0, ORDERS));
    await sinkThroughBridge(kafka, config, database, docs.slice(0, ORDERS));
    // Days are Manila days on the page (the views' calendar); the same here.
    db = new pg.Client({ connectionString: database.url, options: `-c TimeZone=${DASHBOARD_TIME_ZONE}` });
    await db.connect();
    cleanups.push(() => db.end());
    dashboard = await startDashboard(config, log);
    cleanups.push(() => dashboard.stop());
    browser = await launchBrowser();
    cleanups.push(async () => {
      await browser.context.close();
      rmSync(browser.userDataDir, { recursive: true, force: true });
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => log.error(`cleanup: ${String(err)}`));
  });

  it('loads every tab with data in every chart, no console errors, and writes a screenshot of each', async () => {
    const { page, errors } = await openPage(browser, dashboard.url);
    for (const tab of TABS) {
      await showTab(page, tab);
      const cards = await cardStates(page, tab);
      assert.ok(cards.length >= 3, `tab ${tab} has ${cards.length} charts`);
      for (const card of cards) {
        assert.equal(card.state, 'ready', `${tab}/${card.chart} is ${card.state}: ${card.note}`);
        assert.ok(card.points > 0, `${tab}/${card.chart} has no data points`);
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${tab}.png`), fullPage: true });
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows totals equal to the same query run here, for all time and for a date range', async () => {
    const { page, errors } = await openPage(browser, dashboard.url);
    await page.waitForSelector('[data-kpi="orders"] .value[data-value]');
    await assertTotals(page, db);
    // A range inside the data: the middle third of the order dates.
    const { rows } = await db.query<{ from: string; to: string }>(
      `SELECT to_char(min(order_date) + (max(order_date) - min(order_date)) / 3, 'YYYY-MM-DD') AS from,
              to_char(min(order_date) + 2 * (max(order_date) - min(order_date)) / 3, 'YYYY-MM-DD') AS to FROM order_record`,
    );
    const range = rows[0] as { from: string; to: string };
    await page.fill('#range-from', range.from);
    await page.fill('#range-to', range.to);
    await page.click('#range button[type="submit"]');
    const want = await expectedTotals(db, range.from, range.to);
    await page.waitForFunction((n) => document.querySelector<HTMLElement>('[data-kpi="orders"] .value')?.dataset.value === String(n), want.orders);
    await assertTotals(page, db, range.from, range.to);
    assert.match(page.url(), new RegExp(`from=${range.from}&to=${range.to}`));
    // Every chart follows the filter: the daily series holds only days inside the range.
    await showTab(page, 'revenue');
    const days = await page.evaluate(async (r) => {
      const res = await fetch(`/api/charts/revenue-daily?from=${r.from}&to=${r.to}`);
      return ((await res.json()) as { rows: { day: string }[] }).rows.map((x) => x.day);
    }, range);
    assert.ok(days.length > 0 && days.every((d) => d >= range.from && d <= range.to), `days outside ${range.from}..${range.to}: ${days.join(',')}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-date-range.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows time as it is: the gap month on the daily time scale, empty months as zero, sale days shaded, customers by id, one heatmap orientation', async () => {
    const { rows: gapRows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_record WHERE to_char(order_date, 'YYYY-MM') = '2025-06'`);
    assert.equal(gapRows[0]?.n, 0, 'the data set has no order in June 2025');
    const { page, errors } = await openPage(browser, dashboard.url);
    await showTab(page, 'revenue');
    assert.equal(await page.isVisible('#sim-clock'), false, 'no simulated clock in this run: the header says nothing about one');
    const daily = await page.evaluate(() => {
      const card = document.querySelector<HTMLElement>('[data-chart="revenue-daily"]')!;
      const chart = (window as unknown as PageWindow).Chart.getChart(card.querySelector('canvas')!);
      const x = chart.scales.x as PageScale;
      const px = (day: string) => x.getPixelForValue(x.parse(day));
      const points = chart.data.datasets[0]?.data as { x: string; y: number }[];
      return {
        axis: card.dataset.xAxis,
        saleDays: Number(card.dataset.saleDays),
        perDay: px('2025-01-02') - px('2025-01-01'),
        gap: px('2025-07-01') - px('2025-05-31'),
        june: points.filter((p) => p.x.startsWith('2025-06')).map((p) => p.y),
        days: points.map((p) => p.x),
      };
    });
    assert.equal(daily.axis, 'time');
    // A time scale: 31 days from 31 May to 1 July take 31 days' width (a category axis would put them side by side).
    assert.ok(Math.abs(daily.gap / daily.perDay - 31) < 0.5, `gap ${daily.gap}px, ${daily.perDay}px a day`);
    assert.equal(daily.june.length, 30, 'every June day is on the chart');
    assert.ok(daily.june.every((y) => y === 0), 'June is drawn as zero');
    const wantSaleDays = daily.days.filter((d) => isSaleDay(new Date(`${d}T12:00:00+08:00`))).length;
    assert.ok(wantSaleDays > 20);
    assert.equal(daily.saleDays, wantSaleDays, 'every sale day of the series is shaded');
    const monthly = await chartData(page, 'revenue-monthly');
    assert.ok(monthly.labels.includes('2025-06'), 'the empty month is on the monthly chart');
    assert.equal(monthly.datasets.find((d) => d.label === 'Revenue')?.data[monthly.labels.indexOf('2025-06')], 0);
    const quarterly = await chartData(page, 'revenue-quarterly');
    assert.deepEqual(quarterly.labels, ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-time-axis.png'), fullPage: true });

    await showTab(page, 'customers');
    const [a, b] = twins.ids;
    const top = await chartData(page, 'top-customers');
    assert.ok(top.labels.includes(`${twins.name} (#${a})`) && top.labels.includes(`${twins.name} (#${b})`), `top customers: ${top.labels.join(' | ')}`);
    const { rows: topRows } = await db.query<{ customer_id: string; revenue: number }>(
      `SELECT customer_id, sum(order_total)::float8 AS revenue FROM order_record WHERE order_status = 'Delivered' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
    );
    const lines = await chartData(page, 'top-customers-monthly');
    assert.equal(lines.datasets.length, 5, 'top 5 draws 5 lines');
    assert.equal(new Set(lines.datasets.map((d) => d.label)).size, 5, 'five different labels');
    assert.ok(topRows.some((r) => r.customer_id === a) && topRows.some((r) => r.customer_id === b));
    const items = await page.$$eval('[data-chart="top-customers-items"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent ?? ''));
    for (const id of twins.ids) assert.ok(items.includes(`${twins.name} (#${id})`), `favourite items lack customer ${id}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-customers-by-id.png'), fullPage: true });

    await showTab(page, 'items');
    const grid = await page.evaluate(() => {
      const card = document.querySelector<HTMLElement>('[data-chart="item-pairs"]')!;
      const chart = (window as unknown as PageWindow).Chart.getChart(card.querySelector('canvas')!);
      const x = chart.scales.x as PageScale;
      const y = chart.scales.y as PageScale;
      const labels: string[] = x.getLabels();
      return { x: labels, y: y.getLabels() as string[], xs: labels.map((l) => x.getPixelForValue(labels.indexOf(l))), ys: labels.map((l) => y.getPixelForValue(labels.indexOf(l))) };
    });
    assert.deepEqual(grid.x, grid.y, 'both axes list the same items');
    // One orientation: from the top-left corner, rightwards along x and downwards along y.
    for (let i = 1; i < grid.x.length; i++) {
      assert.ok((grid.xs[i] as number) > (grid.xs[i - 1] as number) && (grid.ys[i] as number) > (grid.ys[i - 1] as number), `item ${i} out of order`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('compares periods on the KPI cards, the year-earlier months, and count with AOV, against values computed here', async () => {
    const { page, errors } = await openPage(browser, dashboard.url);
    await page.waitForSelector('#comparisons[data-state="ready"]');
    const reference = (await page.getAttribute('#comparisons', 'data-reference')) as string;
    const { rows: last } = await db.query<{ day: string }>(`SELECT to_char(max(order_date), 'YYYY-MM-DD') AS day FROM order_record`);
    assert.equal(reference, last[0]?.day, 'without a range or a simulated clock, the last day with orders');
    const steps = { day: '1 day', month: '1 month', quarter: '3 months', year: '1 year' } as const;
    for (const [period, step] of Object.entries(steps)) {
      const { rows } = await db.query<{ which: string; revenue: number; profit: number; orders: number; aov: number | null; margin: number | null }>(
        `WITH spans AS (
           SELECT 'cur' AS which, date_trunc($2, $1::date::timestamp)::date AS lo, $1::date AS hi
           UNION ALL SELECT 'prev', date_trunc($2, $1::date - $3::interval)::date, ($1::date - $3::interval)::date)
         SELECT s.which,
           (SELECT coalesce(sum(o.order_total), 0) FROM order_record o WHERE o.order_status = 'Delivered' AND o.order_date::date BETWEEN s.lo AND s.hi)::float8 AS revenue,
           (SELECT coalesce(sum(l.profit), 0) FROM delivered_lines l WHERE l.order_date::date BETWEEN s.lo AND s.hi)::float8 AS profit,
           (SELECT count(*) FROM order_record o WHERE o.order_date::date BETWEEN s.lo AND s.hi)::int AS orders,
           -- to the centavo, as the page shows it (and computes its change from)
           (SELECT round(avg(o.order_total), 2) FROM order_record o WHERE o.order_status = 'Delivered' AND o.order_date::date BETWEEN s.lo AND s.hi)::float8 AS aov,
           (SELECT sum(l.profit) / nullif(sum(l.revenue), 0) FROM delivered_lines l WHERE l.order_date::date BETWEEN s.lo AND s.hi)::float8 AS margin
         FROM spans s`,
        [reference, period, step],
      );
      const cur = rows.find((r) => r.which === 'cur')!;
      const prev = rows.find((r) => r.which === 'prev')!;
      for (const measure of ['revenue', 'profit', 'orders', 'aov'] as const) {
        const shown = await comparison(page, measure, period);
        const [want, wantPrev] = [cur[measure], prev[measure]];
        close(shown.value, want, `${measure} ${period}`);
        close(shown.previous, wantPrev, `previous ${measure} ${period}`);
        if (want === null || wantPrev === null || wantPrev === 0) assert.equal(shown.change, null, `${measure} ${period}: no change without a previous value`);
        else close(shown.change, want / wantPrev - 1, `${measure} ${period} change`, 1e-6);
      }
      if (period === 'month') {
        const margin = await comparison(page, 'margin', 'month');
        close(margin.value, cur.margin, 'margin', 1e-4);
        const revenue = await comparison(page, 'revenue', 'month');
        if (revenue.change !== null) {
          const text = await page.locator('.cmp[data-measure="revenue"][data-period="month"] .cmp-change').innerText();
          const pct = (Math.abs(revenue.change) * 100).toFixed(1).replace(/\.0$/, '');
          assert.equal(text, `${revenue.change > 0 ? '+' : '−'}${pct} % MoM`);
        }
      }
    }
    // The gross margin KPI for all time.
    const { rows: m } = await db.query<{ margin: number }>(`SELECT (sum(profit) / sum(revenue))::float8 AS margin FROM delivered_lines`);
    close(await kpi(page, 'margin'), m[0]!.margin, 'gross margin KPI', 1e-4);

    // The monthly chart: revenue and the same month a year earlier.
    await showTab(page, 'revenue');
    const monthly = await chartData(page, 'revenue-monthly');
    const { rows: months } = await db.query<{ month: string; revenue: number; year_before: number }>(
      `WITH hi AS (SELECT max(order_date)::date AS day FROM delivered_lines)
       SELECT m.month, coalesce(c.revenue, 0)::float8 AS revenue, coalesce(p.revenue, 0)::float8 AS year_before
       FROM (SELECT DISTINCT to_char(order_date, 'YYYY-MM') AS month FROM order_record) m
       LEFT JOIN (SELECT to_char(order_date, 'YYYY-MM') AS month, sum(revenue) AS revenue FROM delivered_lines GROUP BY 1) c USING (month)
       LEFT JOIN (SELECT to_char(order_date + interval '1 year', 'YYYY-MM') AS month, sum(revenue) AS revenue FROM delivered_lines, hi
                  WHERE order_date::date + interval '1 year' <= hi.day GROUP BY 1) p USING (month)`,
    );
    const series = (label: string) => monthly.datasets.find((d) => d.label === label)?.data as number[];
    let compared = 0;
    for (const row of months) {
      const i = monthly.labels.indexOf(row.month);
      if (i < 0) continue;
      close(series('Revenue')[i] ?? null, row.revenue, `revenue ${row.month}`, 0.01);
      // The line starts at its first year-earlier month (null before: nothing to compare with).
      close(series('Revenue a year earlier')[i] ?? 0, row.year_before, `year-earlier revenue ${row.month}`, 0.01);
      if (row.year_before > 0) compared++;
    }
    assert.ok(compared >= 5, `months with a year-earlier value: ${compared}`);

    // Orders and AOV on two axes, by quarter.
    await showTab(page, 'orders');
    const quarterly = await chartData(page, 'orders-quarterly');
    const { rows: quarters } = await db.query<{ quarter: string; orders: number; aov: number | null }>(
      `SELECT to_char(order_date, 'YYYY-"Q"Q') AS quarter, count(*)::int AS orders,
              round(avg(order_total) FILTER (WHERE order_status = 'Delivered'), 2)::float8 AS aov
       FROM order_record GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(quarterly.labels, quarters.map((q) => q.quarter));
    assert.deepEqual(quarterly.datasets.find((d) => d.label === 'Orders')?.data, quarters.map((q) => q.orders));
    assert.deepEqual(quarterly.datasets.find((d) => d.yAxisID === 'aov')?.data, quarters.map((q) => q.aov));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-orders-two-axes.png'), fullPage: true });
    await showTab(page, 'revenue');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-comparisons.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('narrows the customers tab to one customer id', async () => {
    const { page, errors } = await openPage(browser, `${dashboard.url}?tab=customers`);
    await showTab(page, 'customers');
    const id = twins.ids[1];
    await page.fill('#customer-id', id);
    await page.click('#customer-filter button[type="submit"]');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-chart="top-customers"]')?.dataset.points === '1');
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('[data-tab-panel="customers"] .card')).every((c) => c.dataset.state === 'ready'));
    assert.match(page.url(), new RegExp(`customer=${id}`));
    const { rows } = await db.query<{ revenue: number; orders: number }>(
      `SELECT coalesce(sum(order_total) FILTER (WHERE order_status = 'Delivered'), 0)::float8 AS revenue, count(*)::int AS orders FROM order_record WHERE customer_id = $1`,
      [id],
    );
    const top = await chartData(page, 'top-customers');
    assert.deepEqual(top.labels, [twins.name], 'one customer: the name alone');
    close(top.datasets[0]?.data[0] ?? null, rows[0]!.revenue, 'their revenue');
    const lines = await chartData(page, 'top-customers-monthly');
    assert.equal(lines.datasets.length, 1);
    assert.equal(await page.getAttribute('[data-figure="customers"]', 'data-value'), '1');
    const items = await page.$$eval('[data-chart="top-customers-items"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent ?? ''));
    assert.ok(items.length > 0 && items.every((t) => t === twins.name), `items of others: ${items.join(', ')}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-customer-filter.png'), fullPage: true });
    await page.click('#customer-clear');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-chart="top-customers"]')?.dataset.points) > 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('marks the simulated now when the run has a simulated clock: header, daily chart, and the range ends there', async () => {
    const simNow = Date.parse('2025-11-20T04:00:00Z'); // noon in Manila
    const clock: SimClockAnchor = { simStartMs: simNow, realStartMs: Date.now(), speed: 1 };
    const other = await startDashboard({ ...config, dashboardPort: await freePort(), simClock: clock }, log);
    try {
      const { page, errors } = await openPage(browser, other.url);
      await showTab(page, 'revenue');
      await page.waitForSelector('#sim-clock:not([hidden])');
      assert.match(await page.locator('#sim-clock').innerText(), /Simulated now 2025-11-20 12:0\d Manila/);
      assert.equal(await page.inputValue('#range-to'), '2025-11-20', 'the range ends on the simulated today');
      assert.doesNotMatch(page.url(), /to=/, 'a range end that follows the clock stays out of the address');
      const want = await expectedTotals(db, undefined, '2025-11-20');
      await page.waitForFunction((n) => document.querySelector<HTMLElement>('[data-kpi="orders"] .value')?.dataset.value === String(n), want.orders);
      const marker = await page.evaluate(() => {
        const card = document.querySelector<HTMLElement>('[data-chart="revenue-daily"]')!;
        const chart = (window as unknown as PageWindow).Chart.getChart(card.querySelector('canvas')!);
        return { simNow: card.dataset.simNow, max: (chart.scales.x as PageScale).max, drawn: chart.options.plugins.dayMarks.simNow };
      });
      assert.match(marker.simNow ?? '', /^2025-11-20T12:0\d/);
      assert.equal(marker.drawn, marker.simNow, 'the marker is drawn at the simulated now');
      assert.ok(Math.abs(marker.max - new Date(marker.simNow as string).getTime()) < 1000, 'the daily chart ends at the simulated now');
      await page.waitForSelector('#comparisons[data-state="ready"]');
      assert.equal(await page.getAttribute('#comparisons', 'data-reference'), '2025-11-20');
      assert.match(await page.locator('#comparisons .cmp-reference').innerText(), /the simulated today/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-simulated-now.png'), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await other.stop();
    }
  });

  it('finds an order by id and by customer name, with its items, its path, the Temporal link and the trace link', async () => {
    const { page, errors } = await openPage(browser, `${dashboard.url}?tab=lookup`);
    const doc = docs.find((d) => d.order.shipping_info.order_status === 'Delivered' && d.order.item_info.length >= 2) as TerminalOrder;
    const id = doc.order.order_id;
    await page.fill('#lookup-q', id);
    await page.click('#lookup button[type="submit"]');
    const link = page.locator('#order-details a.temporal-link');
    await link.waitFor();
    const expectedUrl = `${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${orderWorkflowId(id)}`;
    assert.equal(await link.getAttribute('href'), expectedUrl);
    assert.equal(await link.getAttribute('data-workflow-id'), `order-${id}`);
    const traceLink = await page.locator('#order-details a.trace-link').getAttribute('href');
    assert.equal(traceLink, `http://127.0.0.1:16686/search?service=order-generator&tags=${encodeURIComponent(JSON.stringify({ 'order.id': id }))}`);
    const itemRows = await page.locator('#order-details table tbody tr').count();
    assert.equal(itemRows, doc.order.item_info.length);
    const pathText = await page.locator('#order-details ol.path').innerText();
    for (const topic of [config.kafka.topics.unpaid, config.kafka.topics.paid, config.kafka.topics.shipped, config.kafka.topics.finished]) {
      assert.ok(pathText.includes(topic), `path lacks ${topic}: ${pathText}`);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-lookup.png'), fullPage: true });

    const name = doc.order.customer_info.customer_name;
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM order_record o JOIN customer_info c USING (customer_id) WHERE c.customer_name ILIKE $1`,
      [`%${name}%`],
    );
    await page.fill('#lookup-q', name);
    await page.click('#lookup button[type="submit"]');
    await page.waitForFunction((n) => document.querySelectorAll('#lookup-results tr[data-order-id]').length === n, Math.min(rows[0]?.n ?? 0, 50));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('refreshes by itself while orders arrive', async () => {
    const { page, errors } = await openPage(browser, dashboard.url);
    await page.waitForSelector('[data-kpi="orders"] .value[data-value]');
    const before = await kpi(page, 'orders');
    await sinkThroughBridge(kafka, config, database, docs.slice(ORDERS));
    const want = (await expectedTotals(db)).orders;
    assert.equal(want, before + MORE_ORDERS);
    // No reload, no click: the page's own timer picks the new orders up.
    await page.waitForFunction((n) => document.querySelector<HTMLElement>('[data-kpi="orders"] .value')?.dataset.value === String(n), want, { timeout: 30_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('counts the orders in each stage live from Temporal, run by the real worker', async () => {
    // Workflows of this file's own task queue; the worker emits to topics the bridge does not read.
    const workerConfig: AppConfig = { ...config, kafka: { ...config.kafka, topics: topicNames(`${prefix}worker_`) } };
    await ensureTopics(createKafka(workerConfig.kafka, { logLevel: 'silent' }), workerConfig.kafka);
    installQuietRuntime();
    const worker = await createOrderWorker(workerConfig, { logger: log });
    const running = worker.run();
    const { client, connection } = await connectTemporalClient(config.temporal);
    const started: string[] = [];
    try {
      const liveSeed = `${SEED}-live`;
      const lifecycle = { ...DEFAULT_LIFECYCLE_OPTIONS, seed: liveSeed };
      const quick = new OrderStarter(connection, { namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, lifecycle: { ...lifecycle, timeMode: 'skip' } });
      // Nobody pays these, and their payment window is a real week: they wait in "placed".
      const waiting = new OrderStarter(connection, {
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        lifecycle: { ...lifecycle, timeMode: 'scaled', speed: 1, simulatePayment: false },
      });
      const live = makeOrders(liveSeed, LIVE_FINISHED + LIVE_PLACED, runNumber + 1);
      for (const doc of live.slice(0, LIVE_FINISHED)) {
        await quick.start(placedOrder(doc.order));
        started.push(doc.order.order_id);
      }
      for (const doc of live.slice(LIVE_FINISHED)) {
        await waiting.start(placedOrder(doc.order));
        started.push(doc.order.order_id);
      }
      const ended = live.slice(0, LIVE_FINISHED);
      const delivered = ended.filter((d) => d.order.shipping_info.order_status === 'Delivered').length;
      const failed = ended.length - delivered;

      const { page, errors } = await openPage(browser, dashboard.url);
      const stage = (name: string) => `[data-stage="${name}"] .value`;
      await page.waitForFunction(
        ([sel, want]) => document.querySelector<HTMLElement>(sel as string)?.dataset.value === String(want),
        [stage('finished'), delivered] as const,
        { timeout: 60_000 },
      );
      await page.waitForFunction(([sel, want]) => document.querySelector<HTMLElement>(sel as string)?.dataset.value === String(want), [stage('failed'), failed] as const, { timeout: 30_000 });
      await page.waitForFunction(([sel, want]) => document.querySelector<HTMLElement>(sel as string)?.dataset.value === String(want), [stage('placed'), LIVE_PLACED] as const, { timeout: 30_000 });
      assert.equal(await page.getAttribute(stage('failure-rate'), 'data-value'), String(failed / ended.length));
      const reasons = await page.locator('#failed-reasons').innerText();
      for (const status of ['Timed Out', 'Cancelled', 'Returned']) {
        const n = ended.filter((d) => d.order.shipping_info.order_status === status).length;
        assert.ok(reasons.includes(`${status} ${n}`), `failed reasons "${reasons}" lack ${status} ${n}`);
      }
      // The worker polls this task queue (DescribeTaskQueue): the strip does not ask for one.
      await page.waitForFunction(() => ['ok', 'backlog'].includes(document.getElementById('pipeline')?.dataset.workers ?? ''));
      assert.doesNotMatch(await page.locator('#pipeline-status').innerText(), /No worker/);
      // The bridge's consumer lag, read from Kafka (no bridge runs here: whatever the group has left, a number).
      await page.waitForFunction((sel) => /^\d+$/.test(document.querySelector<HTMLElement>(sel)?.dataset.value ?? ''), stage('bridge-lag'), { timeout: 30_000 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-pipeline-strip.png') });
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      for (const id of started) await client.workflow.getHandle(orderWorkflowId(id)).terminate('dashboard test cleanup').catch(() => undefined);
      await connection.close();
      worker.shutdown();
      await running;
    }
  });

  it('tells a missing worker from a backlog: workflows waiting on a task queue nobody polls', async () => {
    const queue = `dashboard-${runId}-no-worker`;
    const other = await startDashboard({ ...config, dashboardPort: await freePort(), temporal: { ...config.temporal, taskQueue: queue } }, log);
    const { client, connection } = await connectTemporalClient(config.temporal);
    const doc = makeOrders(`${SEED}-idle`, 1, runNumber + 2)[0] as TerminalOrder;
    try {
      const starter = new OrderStarter(connection, { namespace: config.temporal.namespace, taskQueue: queue, lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip' } });
      await starter.start(placedOrder(doc.order));
      const { page, errors } = await openPage(browser, other.url);
      await page.waitForFunction(() => document.getElementById('pipeline')?.dataset.workers === 'no-worker', undefined, { timeout: 30_000 });
      await page.waitForFunction(() => /No worker polls this task queue \(1 started, not yet picked up/.test(document.getElementById('pipeline-status')?.textContent ?? ''), undefined, { timeout: 30_000 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-no-worker.png') });
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await client.workflow.getHandle(orderWorkflowId(doc.order.order_id)).terminate('dashboard test cleanup').catch(() => undefined);
      await connection.close();
      await other.stop();
    }
  });

  it('answers a bad parameter with 400 naming it', async () => {
    const res = await fetch(`${dashboard.url}api/charts/revenue-daily?from=2025-02-30`);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /"from".*no such day/);
    const unknown = await fetch(`${dashboard.url}api/summary?limit=3`);
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as { error: string }).error, /"limit"/);
  });

  it('says when Temporal is unreachable, and the charts still work', async () => {
    const deadPort = await freePort();
    const other = await startDashboard(
      { ...config, dashboardPort: await freePort(), temporal: { ...config.temporal, address: `127.0.0.1:${deadPort}` } },
      log,
    );
    try {
      const { page, errors } = await openPage(browser, other.url);
      await page.waitForFunction(() => document.getElementById('pipeline')?.dataset.state === 'unavailable');
      // The first connection attempt has to time out, then a refresh (10 s) shows why: slow on a busy machine.
      await page.waitForFunction(() => /cannot reach Temporal/.test(document.getElementById('pipeline-status')?.textContent ?? ''), undefined, { timeout: 45_000 });
      const status = await page.locator('#pipeline-status').innerText();
      assert.match(status, new RegExp(`127\\.0\\.0\\.1:${deadPort}`));
      await showTab(page, 'revenue');
      for (const card of await cardStates(page, 'revenue')) assert.equal(card.state, 'ready', `${card.chart} with Temporal down`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-temporal-down.png'), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await other.stop();
    }
  });

  it('says which database is unreachable, password redacted', async () => {
    const deadUrl = `postgres://reader:s3cret-pw@127.0.0.1:${await freePort()}/orders`;
    const other = await startDashboard({ ...config, dashboardPort: await freePort(), database: { ...config.database, url: deadUrl } }, log);
    try {
      const { page, errors } = await openPage(browser, other.url);
      const banner = page.locator('#banner[data-kind="error"]');
      await banner.waitFor();
      const text = await banner.innerText();
      assert.ok(text.includes(redactUrl(deadUrl)), `banner lacks ${redactUrl(deadUrl)}: ${text}`);
      assert.ok(!text.includes('s3cret-pw'), 'the password leaked into the page');
      assert.match(text, /npm run stack/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-database-down.png'), fullPage: true });
      // The only console errors are the browser's own notes about the 503 answers.
      assert.deepEqual(errors.filter((e) => !/status of 503/.test(e)), []);
      await page.close();
    } finally {
      await other.stop();
    }
  });

  it('says how to get data when the database has no orders yet', async () => {
    const empty = await createTestDatabase(base);
    cleanups.push(() => empty.drop());
    const other = await startDashboard({ ...config, dashboardPort: await freePort(), database: { ...config.database, url: empty.url } }, log);
    try {
      const { page, errors } = await openPage(browser, other.url);
      const banner = page.locator('#banner[data-kind="empty"]');
      await banner.waitFor();
      assert.match(await banner.innerText(), /npm run generate/);
      await showTab(page, 'items');
      for (const card of await cardStates(page, 'items')) assert.equal(card.state, 'empty', `${card.chart} on an empty database`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-empty.png'), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await other.stop();
    }
  });
});

/** The parts of the page's Chart.js the tests read. */
interface PageScale {
  type: string;
  max: number;
  parse(value: unknown): number;
  getPixelForValue(value: number): number;
  getLabels(): string[];
}
interface PageChart {
  scales: Record<string, PageScale>;
  data: { labels?: unknown[]; datasets: { label: string; data: unknown[]; yAxisID?: string }[] };
  options: { plugins: { dayMarks: { simNow: string } } };
}
interface PageWindow {
  Chart: { getChart(canvas: HTMLCanvasElement): PageChart };
}

/** A chart's labels and datasets as Chart.js holds them. */
async function chartData(page: Page, chart: string): Promise<{ labels: string[]; datasets: { label: string; data: (number | null)[]; yAxisID?: string }[] }> {
  await page.waitForFunction((c) => document.querySelector<HTMLElement>(`[data-chart="${c}"]`)?.dataset.state === 'ready', chart);
  return page.evaluate((c) => {
    const card = document.querySelector<HTMLElement>(`[data-chart="${c}"]`)!;
    const found = (window as unknown as PageWindow).Chart.getChart(card.querySelector('canvas')!);
    return {
      labels: (found.data.labels ?? []).map(String),
      datasets: found.data.datasets.map((d) => ({
        label: d.label,
        yAxisID: d.yAxisID,
        data: d.data.map((v) => (v !== null && typeof v === 'object' ? (v as { y: number }).y : (v as number | null))),
      })),
    };
  }, chart);
}

/** One figure of the period-over-period cards. */
async function comparison(page: Page, measure: string, period: string): Promise<{ value: number | null; previous: number | null; change: number | null }> {
  const el = page.locator(`#comparisons .cmp[data-measure="${measure}"][data-period="${period}"]`);
  const num = async (attr: string) => {
    const raw = await el.getAttribute(attr);
    return raw === null || raw === '' ? null : Number(raw);
  };
  return { value: await num('data-value'), previous: await num('data-previous'), change: await num('data-change') };
}

function close(got: number | null, want: number | null, what: string, tolerance = 0.005): void {
  if (want === null || got === null) {
    assert.equal(got, want, what);
    return;
  }
  assert.ok(Math.abs(got - want) <= tolerance, `${what}: ${got} vs ${want}`);
}

// ---- test data: generated orders taken to their end, sunk by the real bridge -----------------

/** The month left without orders (Manila calendar): its days must show as a gap on the time axes. */
const GAP_MONTH = { from: Date.parse('2025-06-01T00:00:00+08:00'), to: Date.parse('2025-07-01T00:00:00+08:00') };

/**
 * `count` orders from the generator, each at the end the fate simulator gives it. Their dates are
 * spread evenly over July 2024 – December 2025 (rather than a backfill clock's few days) so every
 * monthly and quarterly chart has several points and half the months have a year-earlier month,
 * June 2025 (GAP_MONTH) left empty.
 */
function makeOrders(seed: string, count: number, runId: number): TerminalOrder[] {
  const generator = new OrderGenerator({ seed, runId });
  const start = Date.parse('2024-07-01T00:00:00Z');
  const gap = GAP_MONTH.to - GAP_MONTH.from;
  const step = (Date.parse('2025-12-31T00:00:00Z') - start - gap) / count;
  return Array.from({ length: count }, (_, i) => {
    const at = start + Math.round(i * step);
    return finalOrder(generator.next(new Date(at >= GAP_MONTH.from ? at + gap : at)).order, seed);
  });
}

/**
 * Two different customers of the same name: the second of the two customers with the most
 * delivered revenue takes the first one's name (in every order of theirs). Returns both ids.
 */
function sameNameCustomers(docs: TerminalOrder[], ranked: TerminalOrder[]): { name: string; ids: [string, string] } {
  const revenue = new Map<string, number>();
  for (const { order } of ranked) {
    if (order.shipping_info.order_status !== 'Delivered') continue;
    revenue.set(order.customer_info.customer_id, (revenue.get(order.customer_info.customer_id) ?? 0) + order.order_total);
  }
  const [first, second] = [...revenue.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id) as [string, string];
  const name = docs.find((d) => d.order.customer_info.customer_id === first)?.order.customer_info.customer_name as string;
  for (const { order } of docs) if (order.customer_info.customer_id === second) order.customer_info.customer_name = name;
  return { name, ids: [first, second] };
}

/** The order as the generator hands it to Temporal: placed, unpaid. */
function placedOrder(order: Order): Order {
  return {
    ...order,
    payment_info: { payment_status: 'Unpaid', payment_method: null, payment_date: null },
    shipping_info: { ...order.shipping_info, shipping_id: null, order_status: 'Processing', shipped_date: null, eta: null, finished_date: null },
  };
}

/** Produces the orders to the terminal topics and waits until the running bridge has stored them all. */
async function sinkThroughBridge(kafka: Kafka, config: AppConfig, db: TestDatabase, docs: TerminalOrder[]): Promise<void> {
  const count = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM order_record')).rows[0]?.n);
  const want = (await count()) + docs.length;
  await produceTerminalOrders(kafka, config.kafka.topics, docs);
  const deadline = Date.now() + 60_000;
  while ((await count()) < want) {
    if (Date.now() > deadline) throw new Error(`the bridge stored ${await count()} of ${want} orders within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
