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
     FROM order_info
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

describe('dashboard in a browser', { timeout: 240_000 }, () => {
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
  const cleanups: (() => Promise<unknown>)[] = [];

  before(async () => {
    base = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `dashboard-${runId}` });
    const topics = await createTestTopics(base, 3, prefix);
    database = await createTestDatabase(topics.config);
    cleanups.push(() => database.drop());
    kafka = topics.kafka;
    config = { ...database.config, dashboardPort: await freePort() };
    const bridge = await startBridge(config, log);
    cleanups.push(() => bridge.stop());
    docs = makeOrders(SEED, ORDERS + MORE_ORDERS, runNumber);
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
              to_char(min(order_date) + 2 * (max(order_date) - min(order_date)) / 3, 'YYYY-MM-DD') AS to FROM order_info`,
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

  it('finds an order by id and by customer name, with its items, its path and the Temporal link', async () => {
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
    const itemRows = await page.locator('#order-details table tbody tr').count();
    assert.equal(itemRows, doc.order.item_info.length);
    const pathText = await page.locator('#order-details ol.path').innerText();
    for (const topic of [config.kafka.topics.unpaid, config.kafka.topics.paid, config.kafka.topics.shipped, config.kafka.topics.finished]) {
      assert.ok(pathText.includes(topic), `path lacks ${topic}: ${pathText}`);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-lookup.png'), fullPage: true });

    const name = doc.order.customer_info.customer_name;
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM order_info o JOIN customer_info c USING (customer_id) WHERE c.customer_name ILIKE $1`,
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
      await page.waitForFunction(() => /cannot reach Temporal/.test(document.getElementById('pipeline-status')?.textContent ?? ''), undefined, { timeout: 20_000 });
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

// ---- test data: generated orders taken to their end, sunk by the real bridge -----------------

/**
 * `count` orders from the generator, each at the end the fate simulator gives it. Their dates are
 * spread evenly over 2025 (rather than a backfill clock's few days) so every monthly and quarterly
 * chart has several points.
 */
function makeOrders(seed: string, count: number, runId: number): TerminalOrder[] {
  const generator = new OrderGenerator({ seed, runId });
  const start = Date.parse('2025-01-01T00:00:00Z');
  const step = (Date.parse('2025-12-31T00:00:00Z') - start) / count;
  return Array.from({ length: count }, (_, i) => finalOrder(generator.next(new Date(start + Math.round(i * step))).order, seed));
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
  const count = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM order_info')).rows[0]?.n);
  const want = (await count()) + docs.length;
  await produceTerminalOrders(kafka, config.kafka.topics, docs);
  const deadline = Date.now() + 60_000;
  while ((await count()) < want) {
    if (Date.now() > deadline) throw new Error(`the bridge stored ${await count()} of ${want} orders within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
