/**
 * One simulated clock through the whole real stack (Temporal + worker + Kafka + bridge +
 * Postgres): the generator runs the arrival model over 2 simulated days of history and 3 live
 * days on a clock going a simulated day every 3 real seconds, the worker runs every lifecycle
 * on that clock and the bridge stores the orders. Checked on the rows:
 * - the orders are the model's: their dates equal a dry-run backfill of the same days, and the
 *   orders per simulated day fall in the band of 500 backfills of those days (other seeds);
 * - every row's dates are ordered (placed ≤ paid ≤ shipped ≤ finished) and none is later than the
 *   run's clock at the moment the row was written (a test-only column: the row's write time),
 *   nor than the simulated now at the end.
 * A workflow that did not wait for its later dates (skip mode, or a clock read wrongly) writes
 * rows dated days ahead of the clock and fails the second check.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Connection } from '@temporalio/client';
import { percentile } from '../../bench/lib/stats.js';
import { startBridge, type Bridge } from '../../src/bridge/bridge.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { simulatedNow, type SimClockAnchor } from '../../src/domain/sim-clock.js';
import { ArrivalProcess } from '../../src/generator/arrivals.js';
import { runStart, type RunPlan } from '../../src/generator/run.js';
import { OrderStarter } from '../../src/generator/workflow-starter.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { bundleOrderWorkflows, createOrderWorker, type OrderWorker } from '../../src/workers/order-worker.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../../src/workflows/contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dryRunDates } from '../support/dry-run.js';
import { createTestTopics } from '../support/kafka.js';
import { installQuietRuntime } from '../support/temporal.js';

const DAY = 86_400_000;
const MANILA = 8 * 3_600_000;
const SEED = '1403';
/** The clock starts at this simulated moment (midnight in Manila, two days before the mid-month sale). */
const SIM_START = Date.parse('2026-03-12T00:00:00+08:00');
const HISTORY_DAYS = 2;
const LIVE_DAYS = 3;
/** A simulated day every 3 real seconds. */
const SPEED = DAY / 3000;
const BAND_SEEDS = 500;

interface Row {
  order_id: string;
  order_date: string;
  payment_date: string | null;
  shipped_date: string | null;
  finished_date: string | null;
  /** Epoch ms (fractional) of the row's write, read by Postgres's clock_timestamp(). */
  written_ms: string;
}

const manilaDay = (ms: number): string => new Date(ms + MANILA).toISOString().slice(0, 10);

function perDay(ms: readonly number[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of ms) counts.set(manilaDay(t), (counts.get(manilaDay(t)) ?? 0) + 1);
  return counts;
}

/** Per Manila day of the window, the 0.5 % and 99.5 % quantiles of the day's count over many seeds, with mean and sd. */
function modelBand(from: number, to: number): Map<string, { low: number; high: number; mean: number; sd: number }> {
  const samples = new Map<string, number[]>();
  for (let d = from; d < to; d += DAY) samples.set(manilaDay(d), []);
  for (let s = 0; s < BAND_SEEDS; s++) {
    const process = new ArrivalProcess(`band-${s}`, new Date(from), new Date(to));
    const counts = perDay(dates(process));
    for (const [day, list] of samples) list.push(counts.get(day) ?? 0);
  }
  const band = new Map<string, { low: number; high: number; mean: number; sd: number }>();
  for (const [day, list] of samples) {
    const mean = list.reduce((a, b) => a + b, 0) / list.length;
    const sd = Math.sqrt(list.reduce((a, b) => a + (b - mean) ** 2, 0) / list.length);
    band.set(day, { low: percentile(list, 0.5), high: percentile(list, 99.5), mean, sd });
  }
  return band;
}

function dates(process: ArrivalProcess): number[] {
  const out: number[] = [];
  for (let d = process.next(); d; d = process.next()) out.push(d.getTime());
  return out;
}

describe('one simulated clock: history then live through the real stack', () => {
  const taskQueue = `sim-clock-${randomUUID()}`;
  const from = new Date(SIM_START - HISTORY_DAYS * DAY);
  const to = new Date(SIM_START + LIVE_DAYS * DAY);
  let config: AppConfig;
  let database: TestDatabase;
  let worker: OrderWorker;
  let workerRunning: Promise<void>;
  let bridge: Bridge;
  let connection: Connection;
  let clock: SimClockAnchor;
  let plan: RunPlan;
  let rows: Row[];
  let started: number;

  before(async () => {
    installQuietRuntime();
    const base = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: taskQueue });
    const topics = await createTestTopics(base);
    database = await createTestDatabase(topics.config);
    config = database.config;
    // Test-only: when each row was written, by the database's clock (the machine's, as Temporal's).
    await database.pool.query('ALTER TABLE order_record ADD COLUMN written_at timestamptz NOT NULL DEFAULT clock_timestamp()');
    worker = await createOrderWorker(config, { workflowBundle: await bundleOrderWorkflows() });
    workerRunning = worker.run();
    bridge = await startBridge(config, createLogger('sim-clock-test', 'warn'));
    ({ connection } = await connectTemporalClient(config.temporal));

    // The run's clock starts now at SIM_START: the first two days are history (in the clock's
    // past, started at once), the last three live (each order started when the clock gets there).
    clock = { simStartMs: SIM_START, realStartMs: Date.now(), speed: SPEED };
    plan = { seed: SEED, runId: randomInt(1_000_000_000_000, 9_000_000_000_000), mode: { kind: 'backfill', from, to }, clock };
    const starter = new OrderStarter(connection, {
      namespace: config.temporal.namespace,
      taskQueue,
      lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'scaled', speed: SPEED, clock },
    });
    const summary = await runStart(plan, starter, { concurrency: 20, target: config.temporal.address }, new AbortController().signal);
    started = summary.started;
    // The generator kept to the clock: it ended once the clock reached the window's end.
    assert.ok(simulatedNow(clock, Date.now()) >= (await lastDate(plan)), 'the last order started before the clock reached its date');

    // Every order ends on a terminal topic, so each one gets a row; wait for all of them.
    const deadline = Date.now() + 240_000;
    for (;;) {
      const { rows: c } = await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM order_record');
      if (Number(c[0]?.n) >= started || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    ({ rows } = await database.pool.query<Row>(
      `SELECT order_id, order_date::text, payment_date::text, shipped_date::text, finished_date::text,
              (extract(epoch FROM written_at) * 1000)::text AS written_ms
         FROM order_record ORDER BY order_date`,
    ));
  });

  after(async () => {
    await bridge?.stop();
    worker?.shutdown();
    await workerRunning;
    await connection?.close();
    await database?.drop();
  });

  it('stores every order the generator started', () => {
    assert.ok(started > 100, `${started} orders in ${HISTORY_DAYS + LIVE_DAYS} simulated days`);
    assert.equal(rows.length, started);
  });

  it('the orders are the model’s: the same dates as a dry-run backfill of those days, per day inside the model’s band', async () => {
    const expected = await dryRunDates(plan);
    assert.deepEqual(
      rows.map((r) => Date.parse(r.order_date)),
      expected,
    );
    const band = modelBand(from.getTime(), to.getTime());
    const counts = perDay(rows.map((r) => Date.parse(r.order_date)));
    for (const [day, b] of band) {
      const n = counts.get(day) ?? 0;
      process.stderr.write(`# ${day}: ${n} orders; model ${b.mean.toFixed(1)} ± ${b.sd.toFixed(1)} (99 % band ${b.low}..${b.high})\n`);
      assert.ok(n >= b.low && n <= b.high, `${day}: ${n} orders outside the model's band ${b.low}..${b.high}`);
    }
  });

  it('dates are ordered: placed ≤ paid ≤ shipped ≤ finished', () => {
    for (const r of rows) {
      const chain = [r.order_date, r.payment_date, r.shipped_date, r.finished_date].filter((d): d is string => d !== null).map(Date.parse);
      assert.ok(chain.every((t, i) => i === 0 || t >= (chain[i - 1] as number)), `order ${r.order_id}: ${JSON.stringify(r)}`);
      assert.ok(r.finished_date !== null, `order ${r.order_id} has no finished date`);
    }
  });

  it('no date is later than the run’s clock when its row was written, nor than the simulated now', () => {
    let live = 0;
    for (const r of rows) {
      const clockAtWrite = simulatedNow(clock, Number(r.written_ms));
      const latest = Math.max(...[r.order_date, r.payment_date, r.shipped_date, r.finished_date].filter((d): d is string => d !== null).map(Date.parse));
      assert.ok(latest <= clockAtWrite, `order ${r.order_id}: a date ${new Date(latest).toISOString()} after the clock ${new Date(clockAtWrite).toISOString()} at its write`);
      if (Date.parse(r.order_date) > SIM_START) live++;
    }
    process.stderr.write(`# ${rows.length} rows, ${live} of them placed live; clock at the end ${new Date(simulatedNow(clock, Date.now())).toISOString()}\n`);
    assert.ok(live > 0);
    const latestStored = Math.max(...rows.map((r) => Date.parse(r.finished_date as string)));
    assert.ok(latestStored <= simulatedNow(clock, Date.now()));
  });
});

async function lastDate(plan: RunPlan): Promise<number> {
  return (await dryRunDates(plan)).at(-1) as number;
}
