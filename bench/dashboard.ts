/**
 * Dashboard endpoint latency on a database of 100,000 orders (target: every endpoint under 200 ms).
 * Fills a fresh database through the bridge's own sink (generated orders taken to their end by
 * the fate simulator, backfilled from 2023 on), then times every JSON endpoint of a running
 * dashboard over HTTP, for all time and for a 90-day range, and prints median and p95.
 *
 *   npm run bench:dashboard [-- --orders 100000 --rounds 15 --reuse NAME --keep --stack-dir DIR --help]
 *
 * With DATABASE_URL, on that Postgres (the dashboard's pipeline strip asks TEMPORAL_ADDRESS).
 * Without, on a throwaway Postgres and Temporal of its own, on free ports, in a temporary folder
 * (--stack-dir DIR: in DIR, kept). --keep leaves the database (and the throwaway folder) for a
 * rerun with --reuse NAME, which skips the fill; it prints the command.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { flagHelpRows, parseFlags, type FlagSpec } from '../src/cli/flags.js';
import { loadConfig, type AppConfig } from '../src/config/config.js';
import { CHART_NAMES } from '../src/dashboard/charts.js';
import { startDashboard } from '../src/dashboard/server.js';
import { writeBatchInTransaction, type SinkRow } from '../src/bridge/sink.js';
import { createDatabase, databaseUrlFor, dropDatabase } from '../src/db/databases.js';
import { migrate } from '../src/db/migrate.js';
import { createPool, sslOptions, type Pool } from '../src/db/pool.js';
import { BackfillClock } from '../src/generator/arrivals.js';
import { OrderGenerator } from '../src/generator/order-generator.js';
import { UserError } from '../src/errors/user-error.js';
import { createLogger } from '../src/logging/logger.js';
import { startEphemeralStack, type EphemeralStack } from '../src/stack/ephemeral.js';
import { freePort } from '../src/stack/wait.js';
import { finalOrder } from '../test/support/orders.js';
import { median, percentile } from './lib/stats.js';

const TARGET_MS = 200;
const BATCH = 500;
const SEED = 'bench-dashboard';

const DASHBOARD_FLAGS: Record<string, FlagSpec> = {
  orders: { type: 'string', value: 'N', help: 'orders in the fresh database (default 100000)' },
  rounds: { type: 'string', value: 'N', help: 'timed requests per endpoint (default 15)' },
  reuse: { type: 'string', value: 'NAME', help: 'time the database NAME kept by --keep instead of filling a new one' },
  keep: { type: 'boolean', help: 'keep the database (and the throwaway folder) for a rerun with --reuse' },
  'stack-dir': { type: 'string', value: 'DIR', help: 'the throwaway stack in DIR, kept (default: a temporary folder, removed)' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
};

const HELP = `Usage: npm run bench:dashboard [-- options]

Times every JSON endpoint of the dashboard on a database of --orders orders (target: median under
${TARGET_MS} ms). With DATABASE_URL on that Postgres, else on a throwaway Postgres and Temporal.

Options:
${flagHelpRows(DASHBOARD_FLAGS, 20).join('\n')}
`;

/** The flags (src/cli/flags.ts), checked; a bad one is one line naming it, exit 2. */
function parseDashboardFlags(argv: readonly string[]) {
  const raw = parseFlags(argv, DASHBOARD_FLAGS);
  const whole = (name: string, fallback: number) => {
    const value = raw[name] as string | undefined;
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new UserError(`--${name} expects a positive whole number, got "${value}"`);
    return Number(value);
  };
  const parsed = {
    help: raw.help === true,
    orders: whole('orders', 100_000),
    rounds: whole('rounds', 15),
    reuse: raw.reuse as string | undefined,
    keep: raw.keep === true,
    'stack-dir': raw['stack-dir'] as string | undefined,
  };
  if (!process.env.DATABASE_URL && parsed.reuse !== undefined && parsed['stack-dir'] === undefined) {
    throw new UserError('--reuse without DATABASE_URL needs --stack-dir DIR: the folder of the throwaway stack kept by --keep');
  }
  return parsed;
}

let values: ReturnType<typeof parseDashboardFlags>;
try {
  values = parseDashboardFlags(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UserError)) throw err;
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const ORDERS = values.orders;
const ROUNDS = values.rounds;

const log = createLogger('bench-dashboard', 'warn');
const ownStack = !process.env.DATABASE_URL;
let base = loadConfig();

/** A Postgres and a Temporal of our own (the dashboard does not use Kafka), on free ports. */
async function startOwnStack(): Promise<{ eph: EphemeralStack; dataDir: string }> {
  const dataDir = values['stack-dir'] ? path.resolve(values['stack-dir']) : mkdtempSync(path.join(os.tmpdir(), 'bench-dashboard-'));
  process.stderr.write(`starting a throwaway Postgres and Temporal in ${dataDir}...\n`);
  const eph = await startEphemeralStack(log, process.env, { dataDir, kafka: false });
  base = eph.config;
  return { eph, dataDir };
}

// ---- the orders ----------------------------------------------------------------------------

/** Batches of ended orders, as the generator's backfill would date them from 2023 on. */
function* orderBatches(count: number): Generator<SinkRow[]> {
  const clock = new BackfillClock(SEED, new Date('2023-01-01T00:00:00Z'), new Date('2040-01-01T00:00:00Z'));
  const generator = new OrderGenerator({ seed: SEED, runId: 1 });
  let batch: SinkRow[] = [];
  for (let i = 0; i < count; i++) {
    const { order, eventId } = finalOrder(generator.next(clock.next() as Date).order, SEED);
    batch.push({ order, eventId });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function fill(pool: Pool): Promise<void> {
  const t0 = performance.now();
  let done = 0;
  for (const batch of orderBatches(ORDERS)) {
    await writeBatchInTransaction(pool, batch);
    done += batch.length;
    if (done % 10_000 === 0) process.stderr.write(`  filled ${done} orders (${Math.round(done / ((performance.now() - t0) / 1000))}/s)\n`);
  }
  console.log(`filled ${done} orders through the bridge sink in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// ---- timing --------------------------------------------------------------------------------

async function time(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 300)}`);
  return ms;
}

async function endpoints(dashboardUrl: string, db: pg.Client): Promise<[string, string][]> {
  const { rows } = await db.query<{ order_id: string; customer_id: string; name: string; last: string }>(
    `SELECT o.order_id::text, o.customer_id::text, split_part(c.customer_name, ' ', 2) AS name,
            to_char((SELECT max(order_date) FROM order_record), 'YYYY-MM-DD') AS last
     FROM order_record o JOIN customer_info c USING (customer_id) ORDER BY o.order_id DESC LIMIT 1`,
  );
  const sample = rows[0];
  if (!sample) throw new Error('the database has no orders');
  const to = sample.last;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
  const list: [string, string][] = [];
  for (const path of ['api/summary', ...CHART_NAMES.map((n) => `api/charts/${n}`)]) {
    list.push([path, `${dashboardUrl}${path}`]);
    list.push([`${path} (90 days)`, `${dashboardUrl}${path}?from=${from}&to=${to}`]);
  }
  list.push(['api/comparisons', `${dashboardUrl}api/comparisons`]);
  list.push(['api/comparisons?to=<last day>', `${dashboardUrl}api/comparisons?to=${to}`]);
  for (const chart of ['customers-overview', 'top-customers', 'top-customers-monthly', 'top-customers-items']) {
    list.push([`api/charts/${chart}?customer=<id>`, `${dashboardUrl}api/charts/${chart}?customer=${sample.customer_id}`]);
  }
  list.push(['api/orders?q=<order id>', `${dashboardUrl}api/orders?q=${sample.order_id}`]);
  list.push(['api/orders?q=<surname>', `${dashboardUrl}api/orders?q=${encodeURIComponent(sample.name)}`]);
  list.push(['api/orders/<id>', `${dashboardUrl}api/orders/${sample.order_id}`]);
  list.push(['api/pipeline', `${dashboardUrl}api/pipeline`]);
  return list;
}

async function main(): Promise<number> {
  const own = ownStack ? await startOwnStack() : undefined;
  // Ctrl-C: the throwaway servers are processes of their own; stop them too.
  if (own) process.once('SIGINT', () => void own.eph.stack.stop().finally(() => process.exit(130)));
  try {
    return await run();
  } finally {
    if (own) {
      const kept = values.keep || values['stack-dir'] !== undefined;
      await own.eph.stop({ keepData: kept });
      if (kept) console.log(`kept the throwaway stack's data in ${own.dataDir} (rerun with --stack-dir ${own.dataDir})`);
    }
  }
}

async function run(): Promise<number> {
  const name = values.reuse ?? `dashboard_bench_${Date.now()}`;
  const config: AppConfig = { ...base, database: { ...base.database, url: databaseUrlFor(base.database.url, name) }, dashboardPort: await freePort() };
  if (!values.reuse) {
    await createDatabase(base.database.url, name, { ssl: sslOptions(base.database) });
    const pool = createPool(config.database);
    try {
      await migrate(pool);
      await fill(pool);
    } finally {
      await pool.end();
    }
  }
  const db = new pg.Client({ connectionString: config.database.url });
  await db.connect();
  // As autovacuum does on a running database: statistics, and the visibility map that lets the
  // per-province and per-customer charts read their covering indexes alone. Just after a bulk
  // fill, before autovacuum's turn, those charts read the table too (provinces, all time: about
  // 150 ms instead of 25 on 100,000 orders).
  await db.query('VACUUM (ANALYZE)');
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_record');
  console.log(`database ${name}: ${rows[0]?.n} orders`);
  const dashboard = await startDashboard(config, log);
  let slow = 0;
  try {
    const list = await endpoints(dashboard.url, db);
    for (const [, url] of list) await time(url); // warm-up: plans, caches, the Temporal connection
    const samples = new Map<string, number[]>(list.map(([label]) => [label, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, url] of list) samples.get(label)?.push(await time(url));
    }
    console.log(`\n${'endpoint'.padEnd(52)} ${'median'.padStart(8)} ${'p95'.padStart(8)}   (ms, ${ROUNDS} rounds)`);
    for (const [label, ms] of samples) {
      const med = median(ms);
      const p95 = percentile(ms, 95);
      const flag = med > TARGET_MS ? '  SLOW' : '';
      if (med > TARGET_MS) slow++;
      console.log(`${label.padEnd(52)} ${med.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)}${flag}`);
    }
    console.log(slow === 0 ? `\nevery endpoint's median is under ${TARGET_MS} ms` : `\n${slow} endpoint(s) with a median over ${TARGET_MS} ms`);
  } finally {
    await dashboard.stop();
    await db.end();
    if (!values.keep && !values.reuse) await dropDatabase(base.database.url, name, { ssl: sslOptions(base.database) });
    else console.log(`kept database ${name} (rerun with --reuse ${name})`);
  }
  return slow === 0 ? 0 : 1;
}

process.exitCode = await main();
