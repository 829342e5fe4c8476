/**
 * The built-in dashboard: a node:http server with the page, its static files, and one JSON
 * endpoint per chart, all reading Postgres through a read-only pool; plus the live pipeline strip
 * from Temporal. `npm run dashboard` runs it alone; `npm start` can include it through
 * startDashboard().
 *
 *   GET /                       the page
 *   GET /api/settings           refresh interval, Temporal UI base
 *   GET /api/clock              the simulated now, when the run has a simulated clock (SIM_CLOCK)
 *   GET /api/summary?from&to    totals for the date range
 *   GET /api/comparisons?to     day, month, quarter and year to date against the period before
 *   GET /api/charts/<name>?from&to[&customer]   one chart's rows (customer: the customers tab's filter)
 *   GET /api/pipeline           orders per stage right now (Temporal), the bridge's consumer lag (Kafka)
 *   GET /api/orders?q=          order search (order id, customer id or name)
 *   GET /api/orders/<id>        one order, its items, its path, its workflow link
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../logging/logger.js';
import { loadAssets, type Asset } from './assets.js';
import { simulatedNow } from '../domain/sim-clock.js';
import { CHART_NAMES, chartRows, isChartName, isCustomerChart } from './charts.js';
import { comparisons, manilaDayOf } from './comparisons.js';
import { findOrder, searchOrders } from './lookup.js';
import { ParamError, parseCustomerFilter, parseDateRange, parseOrderId, parseOrderSearch, readParams } from './params.js';
import { BridgeLagMonitor } from './bridge-lag.js';
import { PipelineMonitor } from './pipeline.js';
import { DatabaseUnavailable, MissingViews, openReadOnlyDb, type ReadOnlyDb } from './read-only-db.js';
import { summary } from './summary.js';

export const REFRESH_SECONDS = 10;

export interface DashboardHandle {
  url: string;
  stop(): Promise<void>;
}

/** What a handler answers: JSON with a status. */
interface JsonAnswer {
  status: number;
  body: unknown;
}

interface Context {
  config: AppConfig;
  db: ReadOnlyDb;
  pipeline: PipelineMonitor;
  bridgeLag: BridgeLagMonitor;
  log: Logger;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
};

const RANGE_PARAMS = ['from', 'to'] as const;

export async function startDashboard(config: AppConfig, log: Logger): Promise<DashboardHandle> {
  const assets = loadAssets();
  const db = openReadOnlyDb(config.database);
  const pipeline = new PipelineMonitor(config.temporal, log.child('pipeline'));
  const bridgeLag = new BridgeLagMonitor(config.kafka, log.child('bridge-lag'));
  const ctx: Context = { config, db, pipeline, bridgeLag, log };
  const server = http.createServer((req, res) => void handle(ctx, assets, req, res));
  // Keep-alive sockets of an open page would hold close() back; the stop below ends them.
  server.keepAliveTimeout = 5_000;
  try {
    await listen(server, config.dashboardPort, config.dashboardHost);
  } catch (err) {
    await db.close();
    await pipeline.close();
    await bridgeLag.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.dashboardHost.includes(':') ? `[${config.dashboardHost}]` : config.dashboardHost;
  const url = `http://${host}:${port}/`;
  log.info(`dashboard at ${url} (database ${db.address}, Temporal ${config.temporal.address})`);
  void pipeline.snapshot(); // connect to Temporal early, so the first page load has counts
  return {
    url,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pipeline.close();
      await bridgeLag.close();
      await db.close();
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the port is in use (set DASHBOARD_PORT)' : describeError(err);
      reject(new Error(`the dashboard cannot listen on ${host}:${port}: ${why}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function handle(ctx: Context, assets: Map<string, Asset>, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://dashboard');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, { status: 405, body: { error: `method ${req.method} not allowed; the dashboard is read-only`, kind: 'bad-request' } });
    return;
  }
  if (!url.pathname.startsWith('/api/')) {
    sendAsset(res, assets.get(url.pathname));
    return;
  }
  const started = performance.now();
  const answer = await answerApi(ctx, url).catch((err: unknown) => errorAnswer(ctx, url, err));
  sendJson(res, answer);
  ctx.log.debug(`${url.pathname}${url.search} → ${answer.status} in ${(performance.now() - started).toFixed(1)} ms`);
}

async function answerApi(ctx: Context, url: URL): Promise<JsonAnswer> {
  const path = url.pathname;
  const ok = (body: unknown): JsonAnswer => ({ status: 200, body });
  if (path === '/api/settings') {
    readParams(url.searchParams, []);
    return ok({ refreshSeconds: REFRESH_SECONDS, temporalUiUrl: ctx.config.temporal.uiUrl, namespace: ctx.config.temporal.namespace });
  }
  if (path === '/api/clock') {
    readParams(url.searchParams, []);
    return ok(clockAnswer(ctx.config));
  }
  if (path === '/api/comparisons') {
    const range = parseDateRange(readParams(url.searchParams, ['to']));
    return ok(await comparisons(ctx.db, range, ctx.config.simClock));
  }
  if (path === '/api/summary') {
    const range = parseDateRange(readParams(url.searchParams, RANGE_PARAMS));
    return ok({ range, ...(await summary(ctx.db, range)) });
  }
  if (path === '/api/pipeline') {
    readParams(url.searchParams, []);
    const [snapshot, bridgeLag] = await Promise.all([ctx.pipeline.snapshot(), ctx.bridgeLag.read()]);
    return ok({ ...snapshot, bridgeLag });
  }
  if (path === '/api/orders') {
    const search = parseOrderSearch(readParams(url.searchParams, ['q']));
    return ok(await searchOrders(ctx.db, search));
  }
  const orderMatch = /^\/api\/orders\/([^/]+)$/.exec(path);
  if (orderMatch) {
    readParams(url.searchParams, []);
    const orderId = parseOrderId(decodeURIComponent(orderMatch[1] as string));
    const order = await findOrder(ctx.db, orderId, ctx.config);
    return order ? ok(order) : { status: 404, body: { error: `no order ${orderId} in the database (yet): orders appear once finished or failed`, kind: 'not-found' } };
  }
  const chartMatch = /^\/api\/charts\/([a-z0-9-]+)$/.exec(path);
  if (chartMatch) {
    const name = chartMatch[1] as string;
    if (!isChartName(name)) return { status: 404, body: { error: `no chart "${name}"; charts: ${CHART_NAMES.join(', ')}`, kind: 'not-found' } };
    const params = readParams(url.searchParams, isCustomerChart(name) ? [...RANGE_PARAMS, 'customer'] : RANGE_PARAMS);
    const range = parseDateRange(params);
    const customer = parseCustomerFilter(params);
    return ok({ chart: name, range, ...(customer ? { customer } : {}), rows: await chartRows(ctx.db, name, range, customer) });
  }
  return { status: 404, body: { error: `no endpoint ${path}`, kind: 'not-found' } };
}

/** The simulated now (and its Manila day) when the run has a simulated clock; null otherwise. */
function clockAnswer(config: AppConfig): { simulated: { now: string; day: string; speed: number } | null } {
  if (!config.simClock) return { simulated: null };
  const now = simulatedNow(config.simClock, Date.now());
  return { simulated: { now: new Date(now).toISOString(), day: manilaDayOf(now), speed: config.simClock.speed } };
}

function errorAnswer(ctx: Context, url: URL, err: unknown): JsonAnswer {
  if (err instanceof ParamError) return { status: 400, body: { error: err.message, kind: 'bad-parameter', param: err.param } };
  if (err instanceof DatabaseUnavailable) {
    ctx.log.warn(`${url.pathname}: ${err.message}`);
    return { status: 503, body: { error: err.message, kind: 'database-unavailable', address: err.address } };
  }
  if (err instanceof MissingViews) {
    ctx.log.warn(`${url.pathname}: ${err.message}`);
    return { status: 503, body: { error: err.message, kind: 'missing-views', hint: 'Run the migrations (npm run migrate), then reload.' } };
  }
  ctx.log.error(`${url.pathname}${url.search} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { status: 500, body: { error: `internal error: ${describeError(err)}`, kind: 'internal' } };
}

function sendJson(res: http.ServerResponse, answer: JsonAnswer): void {
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendAsset(res: http.ServerResponse, asset: Asset | undefined): void {
  if (!asset) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
    return;
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.contentType, 'content-length': asset.body.length, 'cache-control': 'no-cache' });
  res.end(asset.body);
}
