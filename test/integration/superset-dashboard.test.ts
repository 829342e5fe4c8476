/// <reference lib="dom" />
/**
 * The Superset dashboard served the way `npm run superset` serves it (src/superset: the pinned
 * apache-superset from PyPI in the state folder's virtualenv, SQLite metadata, the bundle imported
 * by docker/superset/init.sh, a read-only login in order_reader), on a database filled by the real
 * pipeline: the generator starts one workflow per order on the test Temporal, a real worker runs
 * them and emits to Kafka, the real bridge sinks the finished and failed ones into a fresh Postgres
 * database. Debian's Chromium (playwright-core) logs in, opens the dashboard and visits all six
 * tabs: every chart of a tab must answer its data request without an error and with rows, and show
 * no error on the page. A screenshot of each tab goes to test-results/superset-<tab>.png.
 *
 * The first run installs Superset (a few minutes; CI does it before `npm test` with
 * `npm run superset -- --install-only`); later runs reuse the virtualenv.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from '@temporalio/client';
import pg from 'pg';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { startBridge } from '../../src/bridge/bridge.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { ensureLocalLogins, LOCAL_LOGINS } from '../../src/db/logins.js';
import { createLogger } from '../../src/logging/logger.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import { freePort } from '../../src/stack/wait.js';
import { ensureSupersetInstalled } from '../../src/superset/install.js';
import { startSuperset, type SupersetHandle } from '../../src/superset/server.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { bundleOrderWorkflows, createOrderWorker, type OrderWorker } from '../../src/workers/order-worker.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../../src/workflows/contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestTopics } from '../support/kafka.js';
import { installQuietRuntime } from '../support/temporal.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve('test-results');
/** Two years of orders, so the year-earlier comparisons and yearly changes have a previous period. */
const ORDERS = 500;
const SEED = 'superset-test';
const FIRST_DAY = '2024-07-01T00:00:00Z';
const LAST_DAY = '2026-06-30T00:00:00Z';
const TABS = [/revenue/i, /orders/i, /customers/i, /items/i, /payment/i, /locations/i];
const log = createLogger('superset-test', 'warn');

interface LayoutNode {
  id: string;
  type: string;
  children?: string[];
  meta?: { text?: string; chartId?: number; sliceName?: string };
}

/** What one chart's data request answered. */
interface ChartAnswer {
  status: number;
  rows: number;
  error?: string;
}

/** The slice id a chart data request is for (form_data in the query string, both APIs). */
function sliceIdOf(url: string): number | undefined {
  const formData = new URL(url).searchParams.get('form_data');
  if (!formData) return undefined;
  try {
    const id = (JSON.parse(formData) as { slice_id?: unknown }).slice_id;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Rows and error of a chart data response: /api/v1/chart/data (result[]) or the legacy explore_json (data). */
async function answerOf(res: Response): Promise<ChartAnswer> {
  let body: { result?: { rowcount?: number; data?: unknown[]; error?: string | null; status?: string }[]; data?: unknown; rowcount?: number; error?: string; status?: string };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    return { status: res.status(), rows: 0, error: 'not JSON' };
  }
  if (Array.isArray(body.result)) {
    const errors = body.result.map((r) => r.error).filter((e): e is string => typeof e === 'string' && e.length > 0);
    const rows = Math.min(...body.result.map((r) => r.rowcount ?? r.data?.length ?? 0));
    return { status: res.status(), rows, ...(errors.length > 0 ? { error: errors.join('; ') } : {}) };
  }
  const data = body.data;
  const rows = typeof body.rowcount === 'number' ? body.rowcount : Array.isArray(data) ? data.length : data && typeof data === 'object' ? Object.keys(data).length : 0;
  return { status: res.status(), rows, ...(body.error ? { error: String(body.error) } : {}) };
}

describe('Superset dashboard on the local stack', { timeout: 1_200_000 }, () => {
  const runId = randomUUID().slice(0, 8);
  const runNumber = randomInt(1_000_000_000_000, 9_000_000_000_000);
  const reader = { ...LOCAL_LOGINS.dashboard, name: `superset_test_${runId}` };
  let config: AppConfig;
  let database: TestDatabase;
  let superset: SupersetHandle;
  let context: BrowserContext;
  let page: Page;
  const answers = new Map<number, ChartAnswer>();
  const cleanups: (() => Promise<unknown>)[] = [];
  let tmp: string;

  before(async () => {
    installQuietRuntime();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'superset-test-'));
    cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
    // The pipeline: topics and database of this test, the real worker and bridge.
    const base = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `superset-${runId}` });
    const topics = await createTestTopics(base, 3, `superset-${runId}-`);
    database = await createTestDatabase(topics.config);
    cleanups.push(() => database.drop());
    config = database.config;
    const bridge = await startBridge(config, log);
    cleanups.push(() => bridge.stop());
    const worker: OrderWorker = await createOrderWorker(config, { workflowBundle: await bundleOrderWorkflows() });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
    });
    const temporal = await connectTemporalClient(config.temporal);
    const connection: Connection = temporal.connection;
    cleanups.push(() => connection.close());
    const starter = new OrderStarter(connection, {
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip' },
    });
    // Meanwhile, the Superset install (a no-op once cached).
    const installing = ensureSupersetInstalled(base.stack.stateDir, base.superset.python, createLogger('superset-install', 'info'));
    const t0 = performance.now();
    // The generator's orders, dated evenly over two years (a backfill clock would put a few hundred
    // orders in a few days), each started as its workflow the way the generator starts them.
    const generator = new OrderGenerator({ seed: SEED, runId: runNumber });
    const from = Date.parse(FIRST_DAY);
    const step = (Date.parse(LAST_DAY) - from) / ORDERS;
    const orders = Array.from({ length: ORDERS }, (_, i) => generator.next(new Date(from + Math.round(i * step))).order);
    for (let i = 0; i < orders.length; i += 20) await Promise.all(orders.slice(i, i + 20).map((o) => starter.start(o)));
    const deadline = Date.now() + 600_000;
    for (;;) {
      const { rows } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM order_record');
      if (rows[0]?.n === ORDERS) break;
      assert.ok(Date.now() < deadline, `only ${rows[0]?.n} of ${ORDERS} orders reached Postgres`);
      await new Promise((r) => setTimeout(r, 500));
    }
    process.stderr.write(`# ${ORDERS} orders through Temporal, Kafka and the bridge into Postgres in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    // Superset reads as a login in order_reader, as npm run superset makes orders_superset.
    const made = await ensureLocalLogins(config.database, database.url, tmp, ['dashboard'], { ...LOCAL_LOGINS, dashboard: reader });
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: base.database.url });
      await c.connect();
      await c.query(`DROP ROLE IF EXISTS ${reader.name}`).finally(() => c.end());
    });
    const install = await installing;
    const t1 = performance.now();
    superset = await startSuperset({ install, home: path.join(tmp, 'home'), port: await freePort(), ordersUrl: made.dashboard as string, log: createLogger('superset', 'info') });
    cleanups.push(() => superset.stop());
    process.stderr.write(`# Superset set up and serving in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`);
    context = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1600, height: 2400 },
    });
    cleanups.push(() => context.close());
    page = await context.newPage();
    // Superset's first page loads a few MB of JavaScript: slow on a busy machine.
    page.setDefaultTimeout(180_000);
    page.on('response', (res) => {
      if (!/\/api\/v1\/chart\/data|\/superset\/explore_json\//.test(res.url())) return;
      const id = sliceIdOf(res.url());
      if (id === undefined) return;
      void answerOf(res).then((a) => answers.set(id, a));
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => log.error(`cleanup: ${String(err)}`));
  });

  it('logs in, opens the dashboard and every chart of all six tabs shows data without an error', async () => {
    await page.goto(`${superset.url}/login/`);
    await page.fill('#username', superset.adminUser);
    await page.fill('#password', superset.adminPassword);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.press('#password', 'Enter')]);

    const dashboard = await page.evaluate(async () => {
      const res = await fetch('/api/v1/dashboard/order-pipeline');
      return { status: res.status, body: (await res.json()) as { result?: { position_json?: string; id?: number } } };
    });
    assert.equal(dashboard.status, 200, 'the imported dashboard order-pipeline is there');
    const position = JSON.parse(dashboard.body.result?.position_json ?? '{}') as Record<string, LayoutNode>;
    const tabs = Object.values(position).filter((n) => n.type === 'TAB');
    assert.equal(tabs.length, 6, `tabs: ${tabs.map((t) => t.meta?.text).join(' | ')}`);
    const chartsUnder = (id: string): { id: number; name: string }[] => {
      const n = position[id];
      if (!n) return [];
      const own = n.type === 'CHART' && n.meta?.chartId !== undefined ? [{ id: n.meta.chartId, name: n.meta.sliceName ?? '' }] : [];
      return [...own, ...(n.children ?? []).flatMap(chartsUnder)];
    };

    await page.goto(`${superset.url}/superset/dashboard/order-pipeline/?standalone=1`);
    const report: string[] = [];
    const problems: string[] = [];
    for (const [i, pattern] of TABS.entries()) {
      const tab = tabs.find((t) => pattern.test(t.meta?.text ?? ''));
      assert.ok(tab, `a tab matching ${pattern}`);
      const charts = chartsUnder(tab.id);
      assert.ok(charts.length >= 3, `tab ${tab.meta?.text} has ${charts.length} charts`);
      await page.click(`#TABS-main-tab-${tab.id}`);
      // Every chart of the tab has answered (charts below the fold render once scrolled to).
      const deadline = Date.now() + 120_000;
      for (;;) {
        await page.mouse.wheel(0, 2000);
        const missing = charts.filter((c) => !answers.has(c.id));
        if (missing.length === 0) break;
        if (Date.now() > deadline) {
          problems.push(`${tab.meta?.text}: no data request answered for ${missing.map((c) => c.name).join(', ')}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      // Rendered: no spinner left in the tab.
      await page.waitForFunction(() => document.querySelectorAll('.ant-tabs-tabpane-active [data-test="loading-indicator"], .ant-tabs-tabpane-active .loading').length === 0, undefined, { timeout: 60_000 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await new Promise((r) => setTimeout(r, 1500)); // let the charts' entry animations finish for the screenshot
      const file = path.join(SCREENSHOTS, `superset-${i + 1}-${(tab.meta?.text ?? '').toLowerCase().replace(/[^a-z]+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      for (const c of charts) {
        const a = answers.get(c.id);
        if (!a) continue;
        report.push(`${tab.meta?.text} / ${c.name}: HTTP ${a.status}, ${a.rows} rows${a.error ? `, error ${a.error}` : ''}`);
        if (a.status !== 200 || a.error !== undefined || !(a.rows > 0)) problems.push(report.at(-1) as string);
      }
      const shownErrors = await page.$$eval('.ant-tabs-tabpane-active [data-test="dashboard-component-chart-holder"]', (holders) =>
        holders
          .map((h) => ({ name: h.querySelector('[data-test="editable-title"], .header-title')?.textContent ?? '', text: h.textContent ?? '' }))
          .filter((h) => /Unexpected error|No results were returned|error occurred|Traceback|Data error/i.test(h.text))
          .map((h) => `${h.name}: ${h.text.slice(0, 200)}`),
      );
      problems.push(...shownErrors.map((e) => `${tab.meta?.text}: shown on the page: ${e}`));
    }
    process.stderr.write(`# ${report.length} charts checked:\n${report.map((l) => `#   ${l}`).join('\n')}\n`);
    assert.ok(report.length >= 50, `${report.length} charts on the six tabs`);
    assert.deepEqual(problems, [], 'every chart answers with rows, without an error, and shows none');
  });
});
