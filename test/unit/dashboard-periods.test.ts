/** Time series hold every period from their first to their last; sale days are flagged by the sale calendar. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillPeriods, MAX_FILLED_DAYS, nextPeriod, saleKindOf } from '../../src/dashboard/periods.js';

describe('dashboard periods', () => {
  test('the next day, month, quarter and year, across ends of months and years', () => {
    assert.equal(nextPeriod('day', '2024-02-28'), '2024-02-29');
    assert.equal(nextPeriod('day', '2025-02-28'), '2025-03-01');
    assert.equal(nextPeriod('day', '2025-12-31'), '2026-01-01');
    assert.equal(nextPeriod('month', '2025-09'), '2025-10');
    assert.equal(nextPeriod('month', '2025-12'), '2026-01');
    assert.equal(nextPeriod('quarter', '2025-Q3'), '2025-Q4');
    assert.equal(nextPeriod('quarter', '2025-Q4'), '2026-Q1');
    assert.equal(nextPeriod('year', '2025'), '2026');
    assert.throws(() => nextPeriod('month', '2025-1'), /not a month key/);
  });

  test('a gap month is drawn as zero, the rows around it kept as they are', () => {
    const rows = [
      { month: '2025-04', revenue: 10, profit: 2 },
      { month: '2025-06', revenue: 30, profit: 6 },
      { month: '2025-07', revenue: 40, profit: 8 },
    ];
    assert.deepEqual(fillPeriods(rows, 'month', 'month', { revenue: 0, profit: 0 }), [
      rows[0],
      { month: '2025-05', revenue: 0, profit: 0 },
      rows[1],
      rows[2],
    ]);
    const quarters = fillPeriods([{ quarter: '2024-Q4', orders: 3, aov: 5 }, { quarter: '2025-Q3', orders: 1, aov: 2 }], 'quarter', 'quarter', { orders: 0, aov: null });
    assert.deepEqual(quarters.map((q) => [q.quarter, q.orders, q.aov]), [['2024-Q4', 3, 5], ['2025-Q1', 0, null], ['2025-Q2', 0, null], ['2025-Q3', 1, 2]]);
  });

  test('days are filled up to MAX_FILLED_DAYS, longer spans are left to the time axis', () => {
    const days = fillPeriods([{ day: '2025-01-30', n: 1 }, { day: '2025-03-02', n: 2 }], 'day', 'day', { n: 0 });
    assert.equal(days.length, 32);
    assert.equal(days[1]?.day, '2025-01-31');
    assert.equal(days[30]?.day, '2025-03-01');
    const far = [{ day: '2000-01-01', n: 1 }, { day: '2012-01-01', n: 1 }];
    assert.ok((Date.parse('2012-01-01') - Date.parse('2000-01-01')) / 86_400_000 > MAX_FILLED_DAYS);
    assert.deepEqual(fillPeriods(far, 'day', 'day', { n: 0 }), far);
  });

  test('sale days: the 14th and 15th, the 30th, and 27th–29th in February', () => {
    assert.equal(saleKindOf('2025-03-14'), 'mid-month');
    assert.equal(saleKindOf('2025-03-15'), 'mid-month');
    assert.equal(saleKindOf('2025-03-16'), null);
    assert.equal(saleKindOf('2025-04-30'), 'month-end');
    assert.equal(saleKindOf('2025-02-27'), 'month-end');
    assert.equal(saleKindOf('2025-03-31'), null);
  });
});
