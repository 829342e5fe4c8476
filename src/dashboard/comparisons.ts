/**
 * Period over period for the KPI cards: the day, month, quarter and year to date ending on a
 * reference day, each beside the same span one period earlier (see COMPARISON_SQL). The reference
 * day is the range's end, else the simulated today when the run has a simulated clock, else the
 * last day with orders.
 */
import type { SimClockAnchor } from '../domain/sim-clock.js';
import { simulatedNow } from '../domain/sim-clock.js';
import { PH_UTC_OFFSET_MS } from '../domain/sales.js';
import type { DateRange } from './params.js';
import { COMPARISON_SQL } from './queries.js';
import type { ReadOnlyDb } from './read-only-db.js';

export type Period = 'day' | 'month' | 'quarter' | 'year';

export interface PeriodComparison {
  period: Period;
  /** The span to date (inclusive days) and the one a period earlier. */
  from: string;
  to: string;
  previous_from: string;
  previous_to: string;
  revenue: number;
  previous_revenue: number;
  profit: number;
  previous_profit: number;
  orders: number;
  previous_orders: number;
  aov: number | null;
  previous_aov: number | null;
  margin: number | null;
  previous_margin: number | null;
}

export interface Comparisons {
  /** The day the spans end on, and why that one. */
  reference: { day: string | null; source: 'range' | 'simulated-clock' | 'data' };
  periods: PeriodComparison[];
}

/** The Manila calendar day of an instant, YYYY-MM-DD. */
export function manilaDayOf(ms: number): string {
  return new Date(ms + PH_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

export async function comparisons(db: ReadOnlyDb, range: DateRange, clock: SimClockAnchor | undefined, realNowMs = Date.now()): Promise<Comparisons> {
  const [day, source]: [string | null, Comparisons['reference']['source']] = range.to
    ? [range.to, 'range']
    : clock
      ? [manilaDayOf(simulatedNow(clock, realNowMs)), 'simulated-clock']
      : [null, 'data'];
  const periods = await db.query<PeriodComparison>(COMPARISON_SQL, [day]);
  return { reference: { day: day ?? periods[0]?.to ?? null, source }, periods };
}
