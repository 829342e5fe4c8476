/**
 * The Superset bundle against the real schema: a fresh database, migrated by the project's own
 * runner and filled through the bridge's own sink with orders the pipeline would make. Every
 * dataset of docker/superset/dashboard must have exactly the columns its view (or SQL) returns,
 * every metric and calculated column must run, and every chart's query — its columns, time grain
 * and metrics, as Superset would group them — must run and return rows.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { writeBatchInTransaction } from '../../src/bridge/sink.js';
import { loadConfig } from '../../src/config/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { terminalOrders } from '../support/orders.js';

const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docker/superset/dashboard');

interface Column {
  column_name: string;
  expression?: string | null;
}
interface Dataset {
  table_name: string;
  sql: string | null;
  uuid: string;
  columns: Column[];
  metrics: { metric_name: string; expression: string }[];
}
interface Chart {
  slice_name: string;
  viz_type: string;
  dataset_uuid: string;
  params: Record<string, unknown>;
}

function loadFolder<T>(folder: string): T[] {
  const dir = path.join(BUNDLE, folder);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(readFileSync(path.join(dir, f), 'utf8')) as T);
}

const datasets = loadFolder<Dataset>('datasets');
const charts = loadFolder<Chart>('charts');
const byUuid = new Map(datasets.map((d) => [d.uuid, d]));

/** What Superset selects from: the view, or the dataset's SQL as a subquery. */
function source(d: Dataset): string {
  return d.sql ? `(${d.sql}) AS virtual_table` : `"${d.table_name}"`;
}

/** A column as Superset writes it: a calculated column is its expression. */
function columnSql(d: Dataset, name: string): string {
  const col = d.columns.find((c) => c.column_name === name);
  assert.ok(col, `dataset ${d.table_name} has no column ${name}`);
  return col.expression ? `(${col.expression})` : `"${name}"`;
}

function metricSql(d: Dataset, name: string): string {
  const m = d.metrics.find((x) => x.metric_name === name);
  assert.ok(m, `dataset ${d.table_name} has no metric ${name}`);
  return m.expression;
}

const GRAINS: Record<string, string> = { P1D: 'day', P1W: 'week', P1M: 'month', P3M: 'quarter', P1Y: 'year' };

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The statement Superset runs for a chart, reduced to what can go wrong: columns, grain, metrics. */
function chartQuery(chart: Chart, d: Dataset): string {
  const p = chart.params;
  const select: string[] = [];
  const x = typeof p.x_axis === 'string' ? p.x_axis : undefined;
  if (x) {
    const grain = typeof p.time_grain_sqla === 'string' ? GRAINS[p.time_grain_sqla] : undefined;
    if (typeof p.time_grain_sqla === 'string') assert.ok(grain, `${chart.slice_name}: unknown time grain ${p.time_grain_sqla}`);
    select.push(grain ? `date_trunc('${grain}', ${columnSql(d, x)}) AS "${x}"` : `${columnSql(d, x)} AS "${x}"`);
  }
  const columns = [...asList(p.groupby), ...asList(p.all_columns), ...asList(p.entity)].filter((c) => c !== x);
  select.push(...columns.map((c) => `${columnSql(d, c)} AS "${c}"`));
  const metrics = [...asList(p.metrics), ...asList(p.metric)];
  const grouped = select.length;
  select.push(...metrics.map((m) => `${metricSql(d, m)} AS "${m}"`));
  const raw = p.query_mode === 'raw';
  const groupBy = !raw && metrics.length > 0 && grouped > 0 ? ` GROUP BY ${Array.from({ length: grouped }, (_, i) => i + 1).join(', ')}` : '';
  return `SELECT ${select.join(', ')} FROM ${source(d)}${groupBy} LIMIT 50`;
}

describe('Superset datasets and charts on the migrated orders database', () => {
  const config = loadConfig();
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase(config);
    const orders = terminalOrders(300, 'superset-seed', 6060);
    await writeBatchInTransaction(db.pool, orders.map((o) => ({ order: o.order, eventId: o.eventId })));
  });

  after(async () => {
    await db?.drop();
  });

  test('the bundle has datasets and charts to check', () => {
    assert.ok(datasets.length >= 4 && charts.length >= 18, `${datasets.length} datasets, ${charts.length} charts`);
  });

  test('every dataset has exactly the columns its view or SQL returns', async () => {
    for (const d of datasets) {
      const result = await db.pool.query(`SELECT * FROM ${source(d)} LIMIT 0`);
      const actual = result.fields.map((f) => f.name).sort();
      const declared = d.columns.filter((c) => !c.expression).map((c) => c.column_name).sort();
      assert.deepEqual(declared, actual, `dataset ${d.table_name}: declared columns differ from the database's`);
    }
  });

  test('every metric and calculated column runs', async () => {
    for (const d of datasets) {
      for (const m of d.metrics) {
        await assert.doesNotReject(db.pool.query(`SELECT ${m.expression} FROM ${source(d)}`), `${d.table_name}.${m.metric_name}: ${m.expression}`);
      }
      for (const c of d.columns.filter((x) => x.expression)) {
        await assert.doesNotReject(db.pool.query(`SELECT ${c.expression} FROM ${source(d)} LIMIT 1`), `${d.table_name}.${c.column_name}`);
      }
    }
  });

  test('every chart\'s query runs and returns rows', async () => {
    for (const chart of charts) {
      const d = byUuid.get(chart.dataset_uuid);
      assert.ok(d, `${chart.slice_name}: no dataset ${chart.dataset_uuid}`);
      const sql = chartQuery(chart, d);
      const { rows } = await db.pool.query(sql).catch((err: unknown) => {
        throw new Error(`${chart.slice_name}: ${sql}\n${err instanceof Error ? err.message : String(err)}`);
      });
      assert.ok(rows.length > 0, `${chart.slice_name}: no rows from ${sql}`);
    }
  });

  test('the headline charts agree with the base tables: revenue and orders', async () => {
    const revenueChart = charts.find((c) => c.slice_name === 'Total revenue');
    const ordersChart = charts.find((c) => c.slice_name === 'Orders');
    assert.ok(revenueChart && ordersChart);
    const run = async (chart: Chart): Promise<number> => {
      const d = byUuid.get(chart.dataset_uuid);
      assert.ok(d);
      const { rows } = await db.pool.query<Record<string, string>>(chartQuery(chart, d));
      return Number(Object.values(rows[0] ?? {})[0]);
    };
    const { rows } = await db.pool.query<{ revenue: string; orders: string }>(
      `SELECT sum(order_total) FILTER (WHERE order_status = 'Delivered') AS revenue, count(*) AS orders FROM order_record`,
    );
    assert.equal(Number(rows[0]?.orders), 300);
    assert.equal(await run(ordersChart), 300);
    assert.equal(await run(revenueChart), Number(rows[0]?.revenue));
    assert.ok(Number(rows[0]?.revenue) > 0);
  });
});
