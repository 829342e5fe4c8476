/** The dashboard's statements, as text: every chart has one, and each takes exactly the parameters it is given. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHART_NAMES } from '../../src/dashboard/charts.js';
import { COMPARISON_SQL, CUSTOMER_FILTER_PARAM, LOOKUP_SQL, rangeValues, SQL, TOP_CUSTOMER_LIMITS } from '../../src/dashboard/queries.js';

const parameters = (sql: string) => [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort();

describe('dashboard statements', () => {
  test('every chart, and the summary, has a statement', () => {
    for (const name of [...CHART_NAMES, 'summary'] as const) assert.ok(SQL[name].trim().length > 0, name);
    assert.deepEqual(Object.keys(SQL).sort(), [...CHART_NAMES, 'summary'].sort());
  });

  test('each uses $1 and $2 (the range), then the top-customer limit and the customer filter where they apply', () => {
    for (const [name, sql] of Object.entries(SQL)) {
      const expected = [1, 2];
      if (TOP_CUSTOMER_LIMITS[name] !== undefined) expected.push(3);
      if (CUSTOMER_FILTER_PARAM[name] !== undefined) expected.push(CUSTOMER_FILTER_PARAM[name]);
      assert.deepEqual(parameters(sql), expected, name);
    }
    assert.deepEqual(parameters(COMPARISON_SQL), [1]);
  });

  test('the range is passed as dates or NULL for an open end', () => {
    assert.deepEqual(rangeValues({}), [null, null]);
    assert.deepEqual(rangeValues({ from: '2026-01-01' }), ['2026-01-01', null]);
    assert.deepEqual(rangeValues({ from: '2026-01-01', to: '2026-03-31' }), ['2026-01-01', '2026-03-31']);
  });

  test('they read the views backed by the rollups of sql/006 where those replace per-order sums', () => {
    for (const name of ['revenue-daily', 'revenue-monthly', 'orders-daily', 'order-status', 'fulfilment-times', 'on-time-rate', 'express-share', 'summary'] as const) {
      assert.match(SQL[name], /\bdaily_totals\b/, name);
    }
    for (const name of ['items-most-profitable', 'items-by-quantity', 'items-by-orders'] as const) assert.match(SQL[name], /\bmonthly_sku_sales\b/, name);
    assert.match(SQL['item-pairs'], /\bmonthly_item_pairs\b/);
  });
});

describe('the dashboard reads views only (the views of sql/ are the definition of its rules)', () => {
  const views = definedViews();
  const statements: [string, string][] = [
    ...Object.entries(SQL),
    ['comparisons', COMPARISON_SQL],
    ...Object.entries(LOOKUP_SQL).map(([name, sql]): [string, string] => [`lookup ${name}`, sql]),
  ];

  test('sql/ defines the views and none of the tables the statements must not read', () => {
    for (const name of ['daily_totals', 'monthly_sku_sales', 'monthly_item_pairs', 'order_outcomes', 'delivered_lines', 'customer_directory']) {
      assert.ok(views.has(name), name);
    }
    for (const table of ['order_record', 'item_record', 'customer_info', 'sku_info', 'orders_by_day', 'customer_totals', 'sales_by_month_sku']) {
      assert.ok(!views.has(table), table);
    }
  });

  test('the check finds a base table, a rollup table and a rollup row view among a statement\'s sources', () => {
    const sql = `WITH c AS (SELECT 1) SELECT * FROM daily_totals d JOIN order_record o ON true
      LEFT JOIN customer_totals t ON true, LATERAL (SELECT 1 FROM rollup_days r) x, c`;
    assert.deepEqual(notViews(sql, views), ['order_record', 'customer_totals', 'rollup_days']);
  });

  test('every FROM and JOIN of every statement names a view of sql/ (or its own CTE)', () => {
    for (const [name, sql] of statements) {
      assert.ok(sources(sql).length > 0, `${name}: no source found`);
      assert.deepEqual(notViews(sql, views), [], `${name} reads what is not a view of sql/`);
    }
  });
});

/**
 * The views sql/ creates, but 006's rollup_days, rollup_sales and rollup_pairs: those are the
 * rollup tables row by row (several rows per key, not yet added up), not a rule.
 */
function definedViews(): Set<string> {
  const dir = fileURLToPath(new URL('../../sql/', import.meta.url));
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
    for (const m of readFileSync(path.join(dir, file), 'utf8').matchAll(/\bCREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+([a-z_][a-z0-9_]*)/gi)) {
      names.add(m[1]!.toLowerCase());
    }
  }
  for (const rows of ['rollup_days', 'rollup_sales', 'rollup_pairs']) names.delete(rows);
  return names;
}

/**
 * The relations a statement reads: what follows FROM or JOIN, but subqueries, functions and
 * columns (extract(day FROM d.day)). The statements join with JOIN: a relation after a comma
 * would not be seen (only set-returning functions follow one there).
 */
function sources(sql: string): string[] {
  const text = sql.replace(/'[^']*'/g, "''");
  return [...text.matchAll(/\b(?:FROM|JOIN)\s+(?:LATERAL\s+)?([a-z_][a-z0-9_]*)(?![a-z0-9_]*\s*[.(])/gi)].map((m) => m[1]!.toLowerCase());
}

/** The sources of `sql` that are neither views of sql/ nor the statement's own CTEs. */
function notViews(sql: string, views: Set<string>): string[] {
  const ctes = new Set([...sql.matchAll(/\b([a-z_][a-z0-9_]*)\s+AS\s+(?:MATERIALIZED\s+)?\(/gi)].map((m) => m[1]!.toLowerCase()));
  return sources(sql).filter((name) => !views.has(name) && !ctes.has(name));
}
