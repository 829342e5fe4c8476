/** The chart endpoints: each name is one chart (or table) of the page, answered by one statement. */
import { provinceForCode } from '../domain/geography.js';
import type { DateRange } from './params.js';
import { fillPeriods, saleKindOf, type PeriodKind } from './periods.js';
import { CUSTOMER_FILTER_PARAM, rangeValues, SQL, TOP_CUSTOMER_LIMITS } from './queries.js';
import type { ReadOnlyDb } from './read-only-db.js';

export const CHART_NAMES = [
  'revenue-daily',
  'revenue-monthly',
  'revenue-quarterly',
  'revenue-yearly',
  'revenue-by-day-of-month',
  'orders-daily',
  'orders-monthly',
  'orders-quarterly',
  'orders-yearly',
  'orders-by-day-of-month',
  'order-status',
  'customers-overview',
  'top-customers',
  'top-customers-monthly',
  'top-customers-items',
  'items-most-profitable',
  'items-by-quantity',
  'items-by-orders',
  'item-pairs',
  'fulfilment-times',
  'payment-methods',
  'express-share',
  'on-time-rate',
  'provinces',
] as const satisfies readonly (keyof typeof SQL)[];

export type ChartName = (typeof CHART_NAMES)[number];

export function isChartName(name: string): name is ChartName {
  return (CHART_NAMES as readonly string[]).includes(name);
}

export type ChartRow = Record<string, string | number | null>;

/** The charts the customer filter narrows. */
export function isCustomerChart(name: ChartName): boolean {
  return CUSTOMER_FILTER_PARAM[name] !== undefined;
}

/**
 * The time series: their period column and kind, and what an empty period holds (zero; no
 * average without orders). Every period between the first and the last is in the answer.
 */
const TIME_SERIES: Partial<Record<ChartName, { key: string; kind: PeriodKind; zero: ChartRow }>> = {
  'revenue-daily': { key: 'day', kind: 'day', zero: { revenue: 0, profit: 0 } },
  'revenue-monthly': { key: 'month', kind: 'month', zero: { revenue: 0, profit: 0, revenue_year_before: 0, profit_year_before: 0 } },
  'revenue-quarterly': { key: 'quarter', kind: 'quarter', zero: { revenue: 0, profit: 0 } },
  'revenue-yearly': { key: 'year', kind: 'year', zero: { revenue: 0, profit: 0 } },
  'orders-daily': { key: 'day', kind: 'day', zero: { orders: 0, aov: null } },
  'orders-monthly': { key: 'month', kind: 'month', zero: { orders: 0, aov: null } },
  'orders-quarterly': { key: 'quarter', kind: 'quarter', zero: { orders: 0, aov: null } },
  'orders-yearly': { key: 'year', kind: 'year', zero: { orders: 0, aov: null } },
};

/** `customer` (a customer id) narrows the customer charts; the others ignore it. */
export async function chartRows(db: ReadOnlyDb, name: ChartName, range: DateRange, customer?: string): Promise<ChartRow[]> {
  const values: unknown[] = rangeValues(range);
  const limit = TOP_CUSTOMER_LIMITS[name];
  if (limit !== undefined) values.push(limit);
  if (isCustomerChart(name)) values.push(customer ?? null);
  let rows = await db.query<ChartRow>(SQL[name], values);
  const series = TIME_SERIES[name];
  if (series) rows = fillPeriods(rows, series.key, series.kind, series.zero);
  if (name === 'revenue-daily') rows = rows.map((r) => ({ ...r, sale: saleKindOf(String(r.day)) }));
  return name === 'provinces' ? rows.map(withProvinceName) : rows;
}

/** The database keeps ISO 3166-2:PH codes; people read province names (the catalogue in src/domain). */
function withProvinceName(row: ChartRow): ChartRow {
  const code = String(row.provincial_code);
  return { province: provinceForCode(code) ?? code, ...row };
}
