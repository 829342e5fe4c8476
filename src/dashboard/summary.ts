/** The totals above the tabs, for the chosen dates, and whether the database has any order at all. */
import type { DateRange } from './params.js';
import { rangeValues, SQL } from './queries.js';
import type { ReadOnlyDb } from './read-only-db.js';

export interface Summary {
  /** Orders placed in the range, whatever their outcome. */
  orders: number;
  delivered: number;
  failed: number;
  revenue: number;
  profit: number;
  /** Average order value of the delivered orders; null without any. */
  aov: number | null;
  /** Gross margin: profit / revenue of the delivered lines; null without any. */
  margin: number | null;
  customers: number;
  /** Orders in the whole database: 0 means "nothing yet", not "nothing in these dates". */
  ordersAllTime: number;
}

export async function summary(db: ReadOnlyDb, range: DateRange): Promise<Summary> {
  const [row] = await db.query<Summary>(SQL.summary, rangeValues(range));
  if (!row) throw new Error('the summary query returned no row');
  return row;
}
