/**
 * Time as it is on the charts: a series per day, month, quarter or year holds every period from its
 * first to its last, the empty ones as zero (SQL answers only the periods with rows), and each day
 * says whether it was a sale day (the sale calendar of src/domain/sales.ts, on Manila days).
 */
import { saleEventOn, type SaleEventKind } from '../domain/sales.js';

export type PeriodKind = 'day' | 'month' | 'quarter' | 'year';

type Row = Record<string, string | number | null>;

/** Longest daily series filled in (ten years): beyond that the time axis alone shows the gaps. */
export const MAX_FILLED_DAYS = 3_700;

const PATTERNS: Record<PeriodKind, RegExp> = {
  day: /^(\d{4})-(\d{2})-(\d{2})$/,
  month: /^(\d{4})-(\d{2})$/,
  quarter: /^(\d{4})-Q([1-4])$/,
  year: /^(\d{4})$/,
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The period after `key` (2025-12 → 2026-01, 2025-Q4 → 2026-Q1, 2024-02-28 → 2024-02-29). */
export function nextPeriod(kind: PeriodKind, key: string): string {
  const m = PATTERNS[kind].exec(key);
  if (!m) throw new Error(`"${key}" is not a ${kind} key`);
  const year = Number(m[1]);
  if (kind === 'year') return String(year + 1);
  if (kind === 'quarter') return Number(m[2]) === 4 ? `${year + 1}-Q1` : `${year}-Q${Number(m[2]) + 1}`;
  if (kind === 'month') return Number(m[2]) === 12 ? `${year + 1}-01` : `${year}-${pad(Number(m[2]) + 1)}`;
  const next = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]) + 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/**
 * `rows` (sorted by `key`) with a row for every missing period between the first and the last:
 * `zero` gives the missing row's other columns. Without rows, or for a daily series longer than
 * MAX_FILLED_DAYS, the rows as they are.
 */
export function fillPeriods(rows: Row[], key: string, kind: PeriodKind, zero: Row): Row[] {
  if (rows.length < 2) return rows;
  const first = String(rows[0]?.[key]);
  const last = String(rows[rows.length - 1]?.[key]);
  if (kind === 'day' && (Date.parse(last) - Date.parse(first)) / 86_400_000 > MAX_FILLED_DAYS) return rows;
  const byKey = new Map(rows.map((r) => [String(r[key]), r]));
  const filled: Row[] = [];
  for (let k = first; ; k = nextPeriod(kind, k)) {
    filled.push(byKey.get(k) ?? { [key]: k, ...zero });
    if (k >= last) break;
  }
  return filled;
}

/** The sale event (mid-month, month-end) of a Manila day written YYYY-MM-DD, or null. */
export function saleKindOf(day: string): SaleEventKind | null {
  // Noon in Manila (UTC+8) is on that Manila day whatever the host's zone.
  return saleEventOn(new Date(`${day}T12:00:00+08:00`))?.kind ?? null;
}
