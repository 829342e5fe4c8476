/** The chart endpoints: each name is one chart (or table) of the page, answered by one statement. */
import { provinceForCode } from '../domain/geography.js';
import type { DateRange } from './params.js';
import { rangeValues, SQL, TOP_CUSTOMER_LIMITS } from './queries.js';
import type { ReadOnlyDb } from './read-only-db.js';

export const CHART_NAMES = [
  'revenue-daily',
  'revenue-monthly',
  'revenue-quarterly',
  'revenue-yearly',
  'revenue-by-day-of-month',
  'orders-daily',
  'orders-monthly',
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

export async function chartRows(db: ReadOnlyDb, name: ChartName, range: DateRange): Promise<ChartRow[]> {
  const values: unknown[] = rangeValues(range);
  const limit = TOP_CUSTOMER_LIMITS[name];
  if (limit !== undefined) values.push(limit);
  const rows = await db.query<ChartRow>(SQL[name], values);
  return name === 'provinces' ? rows.map(withProvinceName) : rows;
}

/** The database keeps ISO 3166-2:PH codes; people read province names (the catalogue in src/domain). */
function withProvinceName(row: ChartRow): ChartRow {
  const code = String(row.provincial_code);
  return { province: provinceForCode(code) ?? code, ...row };
}
