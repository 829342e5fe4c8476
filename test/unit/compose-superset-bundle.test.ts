/**
 * Static checks of the Superset dashboard bundle (docker/superset/dashboard, Superset's
 * import/export v1 layout): every file parses, every UUID a file references exists (chart →
 * dataset, dashboard → charts, dataset → database), every column and saved metric a chart uses is
 * one its dataset declares, the layout tree is whole, and the dashboard has the six tabs.
 * test/integration/superset-datasets.test.ts runs the datasets against a migrated Postgres.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docker/superset/dashboard');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Doc = Record<string, unknown>;
interface DatasetDoc extends Doc {
  table_name: string;
  sql: string | null;
  uuid: string;
  database_uuid: string;
  main_dttm_col: string | null;
  columns: { column_name: string; is_dttm: boolean; expression?: string | null }[];
  metrics: { metric_name: string; expression: string }[];
}
interface ChartDoc extends Doc {
  slice_name: string;
  viz_type: string;
  uuid: string;
  dataset_uuid: string;
  params: Record<string, unknown>;
}
interface LayoutNode {
  id: string;
  type: string;
  children?: string[];
  parents?: string[];
  meta?: { text?: string; uuid?: string; chartId?: number; width?: number; height?: number };
}
interface DashboardDoc extends Doc {
  dashboard_title: string;
  uuid: string;
  position: Record<string, LayoutNode | string>;
  metadata: Record<string, unknown>;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(dir, f))
    .sort();
}

function load<T>(folder: string): { file: string; doc: T }[] {
  return yamlFiles(path.join(BUNDLE, folder)).map((file) => ({
    file: path.relative(BUNDLE, file),
    doc: parse(readFileSync(file, 'utf8')) as T,
  }));
}

const metadata = parse(readFileSync(path.join(BUNDLE, 'metadata.yaml'), 'utf8')) as Doc;
const databases = load<Doc & { uuid: string; sqlalchemy_uri: string; database_name: string }>('databases');
const datasets = load<DatasetDoc>('datasets');
const charts = load<ChartDoc>('charts');
const dashboards = load<DashboardDoc>('dashboards');

/** Column names a chart reads from its dataset, by the params Superset's chart types use. */
function chartColumns(params: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of ['x_axis', 'entity', 'granularity_sqla', 'series']) {
    if (typeof params[key] === 'string') out.push(params[key]);
  }
  for (const key of ['groupby', 'all_columns', 'columns', 'order_by_cols']) {
    // heatmap_v2 keeps its one y-axis column as a plain string
    const list = typeof params[key] === 'string' ? [params[key]] : params[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item !== 'string') continue;
      // order_by_cols holds JSON pairs like ["revenue", false]
      out.push(key === 'order_by_cols' ? String((JSON.parse(item) as [string, boolean])[0]) : item);
    }
  }
  return out;
}

/** Saved-metric names a chart uses (adhoc SQL metrics carry their own expression). */
function chartMetricNames(params: Record<string, unknown>): string[] {
  const single = ['metric', 'secondary_metric', 'x', 'y', 'size'].map((k) => params[k]);
  const list = Array.isArray(params.metrics) ? params.metrics : [];
  return [...single, ...list].filter((m): m is string => typeof m === 'string');
}

describe('Superset dashboard bundle', () => {
  test('is an import/export v1 dashboard bundle', () => {
    assert.equal(metadata.version, '1.0.0');
    assert.equal(metadata.type, 'Dashboard');
    for (const { file, doc } of [...databases, ...datasets, ...charts, ...dashboards]) {
      assert.equal(doc.version, '1.0.0', `${file}: version`);
      assert.match(String(doc.uuid), UUID, `${file}: uuid`);
    }
    assert.equal(databases.length, 1, 'one database: orders');
    assert.equal(dashboards.length, 1, 'one dashboard');
    assert.ok(datasets.length >= 4, `datasets: ${datasets.length}`);
    assert.ok(charts.length >= 18, `charts: ${charts.length}`);
  });

  test('UUIDs are unique', () => {
    const all = [...databases, ...datasets, ...charts, ...dashboards].map(({ doc }) => String(doc.uuid));
    assert.equal(new Set(all).size, all.length);
  });

  test('the database holds no password: the init script fills the URI in from the environment', () => {
    const [db] = databases;
    assert.ok(db);
    const uri = new URL(db.doc.sqlalchemy_uri.replace(/^postgresql\+psycopg2:/, 'postgres:'));
    assert.ok(uri.password === '' || /^X+$/.test(uri.password), `a password is stored in ${db.file}`);
    assert.equal(uri.pathname, '/orders');
  });

  test('every dataset belongs to the database, and its time column and metrics are declared', () => {
    const dbUuids = new Set(databases.map(({ doc }) => doc.uuid));
    for (const { file, doc } of datasets) {
      assert.ok(dbUuids.has(doc.database_uuid), `${file}: database_uuid ${doc.database_uuid} is not in databases/`);
      assert.ok(doc.table_name, `${file}: table_name`);
      assert.ok(doc.columns.length > 0, `${file}: no columns`);
      const names = doc.columns.map((c) => c.column_name);
      assert.equal(new Set(names).size, names.length, `${file}: duplicate columns`);
      if (doc.main_dttm_col) {
        const col = doc.columns.find((c) => c.column_name === doc.main_dttm_col);
        assert.ok(col?.is_dttm, `${file}: main_dttm_col ${doc.main_dttm_col} is not a declared time column`);
      }
      for (const m of doc.metrics) assert.ok(m.metric_name && m.expression, `${file}: metric without name or expression`);
      if (doc.sql) assert.doesNotMatch(doc.sql, /;\s*\S/, `${file}: more than one statement`);
    }
  });

  test('every chart uses an existing dataset, and only columns and metrics that dataset declares', () => {
    const byUuid = new Map(datasets.map(({ doc }) => [doc.uuid, doc]));
    for (const { file, doc } of charts) {
      const dataset = byUuid.get(doc.dataset_uuid);
      assert.ok(dataset, `${file}: dataset_uuid ${doc.dataset_uuid} is not in datasets/`);
      assert.equal(doc.params.viz_type, doc.viz_type, `${file}: params.viz_type`);
      const columns = new Set(dataset.columns.map((c) => c.column_name));
      for (const col of chartColumns(doc.params)) {
        assert.ok(columns.has(col), `${file}: column ${col} is not in dataset ${dataset.table_name}`);
      }
      const metrics = new Set(dataset.metrics.map((m) => m.metric_name));
      const used = chartMetricNames(doc.params);
      assert.ok(used.length > 0 || doc.params.query_mode === 'raw', `${file}: no metric`);
      for (const m of used) assert.ok(metrics.has(m), `${file}: metric ${m} is not in dataset ${dataset.table_name}`);
    }
  });

  test('the dashboard lays out every chart once, in a whole tree', () => {
    const [dash] = dashboards;
    assert.ok(dash);
    const nodes = Object.fromEntries(
      Object.entries(dash.doc.position).filter((e): e is [string, LayoutNode] => typeof e[1] === 'object'),
    );
    assert.equal(dash.doc.position.DASHBOARD_VERSION_KEY, 'v2');
    assert.equal(nodes.ROOT_ID?.type, 'ROOT');
    for (const [id, node] of Object.entries(nodes)) {
      assert.equal(node.id, id, `node ${id}: id`);
      for (const child of node.children ?? []) {
        const c = nodes[child];
        assert.ok(c, `node ${id}: child ${child} is missing`);
        assert.deepEqual(c.parents, [...(node.parents ?? []), id], `node ${child}: parents`);
      }
    }
    const chartUuids = Object.values(nodes).filter((n) => n.type === 'CHART').map((n) => n.meta?.uuid);
    assert.deepEqual([...chartUuids].sort(), charts.map(({ doc }) => doc.uuid).sort(), 'charts on the dashboard = charts in the bundle, once each');
    for (const n of Object.values(nodes).filter((x) => x.type === 'CHART')) {
      assert.ok((n.meta?.width ?? 0) >= 1 && (n.meta?.width ?? 0) <= 12, `${n.id}: width`);
    }
  });

  test('the dashboard has the six tabs of the original, each with charts', () => {
    const [dash] = dashboards;
    assert.ok(dash);
    const nodes = Object.values(dash.doc.position).filter((n): n is LayoutNode => typeof n === 'object');
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const tabs = nodes.filter((n) => n.type === 'TAB');
    const titles = tabs.map((t) => t.meta?.text ?? '');
    const expected = [/revenue.*profit/i, /orders/i, /customers/i, /items/i, /payment.*delivery/i, /locations/i];
    assert.equal(tabs.length, 6, `tabs: ${titles.join(' | ')}`);
    expected.forEach((re, i) => assert.match(titles[i] ?? '', re, `tab ${i + 1}`));
    const chartsUnder = (id: string): number => {
      const n = byId.get(id);
      if (!n) return 0;
      return (n.type === 'CHART' ? 1 : 0) + (n.children ?? []).reduce((sum, c) => sum + chartsUnder(c), 0);
    };
    for (const tab of tabs) assert.ok(chartsUnder(tab.id) >= 2, `tab ${tab.meta?.text} has fewer than 2 charts`);
    const pairs = tabs.find((t) => /items/i.test(t.meta?.text ?? ''));
    const pairCharts = charts.filter(({ doc }) => /pair/i.test(doc.slice_name)).map(({ doc }) => doc.uuid);
    assert.ok(pairCharts.length > 0, 'a chart of item pairs');
    const underItems = nodes.filter((n) => n.type === 'CHART' && n.parents?.includes(pairs?.id ?? '')).map((n) => n.meta?.uuid);
    for (const uuid of pairCharts) assert.ok(underItems.includes(uuid), 'the item-pairs chart sits on the items tab');
  });
});
