/** The dashboard's statements, as text: every chart has one, and each takes exactly the parameters it is given. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CHART_NAMES } from '../../src/dashboard/charts.js';
import { COMPARISON_SQL, CUSTOMER_FILTER_PARAM, rangeValues, SQL, TOP_CUSTOMER_LIMITS } from '../../src/dashboard/queries.js';

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

  test('they read the rollups of sql/006 where they replace per-order sums', () => {
    for (const name of ['revenue-daily', 'revenue-monthly', 'orders-daily', 'order-status', 'fulfilment-times', 'on-time-rate', 'express-share', 'summary'] as const) {
      assert.match(SQL[name], /\brollup_days\b/, name);
    }
    for (const name of ['items-most-profitable', 'items-by-quantity', 'items-by-orders'] as const) assert.match(SQL[name], /\brollup_sales\b/, name);
    assert.match(SQL['item-pairs'], /\brollup_pairs\b/);
  });
});
