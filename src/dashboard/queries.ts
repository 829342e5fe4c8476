/**
 * Every SQL statement of the dashboard, in one place. They read views only (test/unit/
 * dashboard-queries.test.ts holds them to it): the views of sql/ are the definition of every
 * analytics rule, which Superset reads too. Where 006 keeps a rollup the view reads it (011's
 * daily_totals, monthly_sku_sales, monthly_item_pairs, customer_revenue_all_time), so a chart adds
 * up hundreds or thousands of rows rather than every order of its range. The all-time views of 002
 * cannot be narrowed to a date range, so the statements here filter the per-day and per-month
 * views and the per-order and per-line ones (order_outcomes, delivered_lines) by the range, and
 * group them by period; they do not restate a rule (what counts as revenue, profit, delivered).
 * Days, months, quarters and years are Asia/Manila calendar days, as in the views: the read-only
 * session runs with TimeZone=Asia/Manila, so `$1::date` and to_char agree with them.
 * Per SKU and per item pair a range reads its whole months from the monthly views and the days at
 * its ends (a few weeks at most) from delivered_lines. Per customer it reads
 * customer_revenue_all_time when the range holds every order (all time, by default), order_outcomes
 * otherwise; per province, order_outcomes; both through 006's covering indexes.
 * Parameterised only: $1 = first day of the range, $2 = last day (inclusive), NULL = open end.
 * Numbers are cast to float8/int here so the JSON carries numbers, not numeric strings.
 */
import type { DateRange } from './params.js';

/** The calendar of every day, month and year the dashboard shows (the views' calendar). */
export const DASHBOARD_TIME_ZONE = 'Asia/Manila';

/** The parameters of every range-filtered statement. */
export function rangeValues(range: DateRange): [string | null, string | null] {
  return [range.from ?? null, range.to ?? null];
}

const FROM_DAY = `coalesce($1::date, '-infinity'::date)`;
const TO_DAY = `coalesce($2::date, 'infinity'::date)`;
/** The day after the range. */
const AFTER_DAY = `coalesce($2::date + 1, 'infinity'::date)`;
/** The first day of the range's first whole month, and the last day of its last whole month. */
const FIRST_WHOLE_MONTH = `(CASE WHEN $1::date IS NULL THEN '-infinity'::date ELSE date_trunc('month', ($1::date - 1)::timestamp + interval '1 month')::date END)`;
const LAST_WHOLE_MONTH_END = `(CASE WHEN $2::date IS NULL THEN 'infinity'::date ELSE date_trunc('month', ($2::date + 1)::timestamp)::date - 1 END)`;

/** Rows whose `alias.order_date` falls inside the range. */
function inRange(alias: string): string {
  return `${alias}.order_date >= ${FROM_DAY} AND ${alias}.order_date < ${AFTER_DAY}`;
}

/** Rollup rows whose Manila day `column` falls inside the range. */
function daysInRange(column: string): string {
  return `${column} >= ${FROM_DAY} AND ${column} <= ${TO_DAY}`;
}

/** Rollup rows whose Manila month `column` (its first day) is a whole month of the range. */
function wholeMonths(column: string): string {
  return `${column} >= ${FIRST_WHOLE_MONTH} AND ${column} <= ${LAST_WHOLE_MONTH_END}`;
}

/** Orders of the range outside its whole months: the days before the first and after the last. */
function edgeDays(alias: string): string {
  return `((${alias}.order_date >= ${FROM_DAY} AND ${alias}.order_date < least(${FIRST_WHOLE_MONTH}, ${AFTER_DAY}))
      OR (${alias}.order_date >= greatest(${LAST_WHOLE_MONTH_END} + 1, ${FIRST_WHOLE_MONTH}) AND ${alias}.order_date < ${AFTER_DAY}))`;
}

/** Delivered lines' revenue and profit per Manila day `d.day` matching `where` (days with at least one line). */
function linesByDay(where: string): string {
  return `
  SELECT d.day, d.line_revenue AS revenue, d.profit
  FROM daily_totals d WHERE ${where} AND d.line_count > 0`;
}

/** Delivered lines' revenue and profit per Manila day of the range. */
const LINES_BY_DAY = linesByDay(daysInRange('d.day'));

/**
 * Per month of the range: revenue and profit, and the same months a year earlier (the days one
 * year before the range's, limited to the range's span, or the data's where the range is open).
 */
const REVENUE_MONTHLY_WITH_YEAR_BEFORE = `
  WITH cur AS (${LINES_BY_DAY}),
  span AS (SELECT coalesce($1::date, min(c.day)) AS lo, coalesce($2::date, max(c.day)) AS hi FROM cur c),
  before AS (${linesByDay(`d.day >= (SELECT (lo::timestamp - interval '1 year')::date FROM span)
      AND d.day <= (SELECT (hi::timestamp - interval '1 year')::date FROM span)`)}),
  both_years AS (
    SELECT date_trunc('month', c.day::timestamp) AS m, c.revenue, c.profit, 0 AS year_revenue, 0 AS year_profit FROM cur c
    UNION ALL
    SELECT date_trunc('month', b.day::timestamp + interval '1 year'), 0, 0, b.revenue, b.profit FROM before b)
  SELECT to_char(m, 'YYYY-MM') AS month, round(sum(revenue), 2)::float8 AS revenue, round(sum(profit), 2)::float8 AS profit,
         round(sum(year_revenue), 2)::float8 AS revenue_year_before, round(sum(year_profit), 2)::float8 AS profit_year_before
  FROM both_years GROUP BY 1 ORDER BY 1`;

/**
 * Period over period, for the KPI cards: the day, month, quarter and year to date that end on the
 * reference day ($1; NULL = the last day with orders), each against the same span one period
 * earlier (e.g. 1–14 March against 1–14 February; a 31st against the previous month's last day).
 * Revenue and AOV count delivered orders (the totals' rules), profit and margin their lines.
 */
const PERIODS = `(VALUES (1, 'day', interval '1 day'), (2, 'month', interval '1 month'), (3, 'quarter', interval '3 months'), (4, 'year', interval '1 year'))`;
const COMPARISONS = `
  WITH ref AS (SELECT coalesce($1::date, (SELECT max(a.day) FROM daily_totals a WHERE a.orders > 0)) AS day),
  spans AS (
    SELECT p.n, p.period,
           date_trunc(p.period, ref.day::timestamp)::date AS cur_from, ref.day AS cur_to,
           date_trunc(p.period, ref.day::timestamp - p.step)::date AS prev_from, (ref.day::timestamp - p.step)::date AS prev_to
    FROM ref CROSS JOIN ${PERIODS} p (n, period, step) WHERE ref.day IS NOT NULL),
  days AS (
    SELECT d.day, d.orders, d.delivered, d.delivered_total AS revenue, d.line_revenue, d.profit
    FROM daily_totals d WHERE d.day >= (SELECT min(prev_from) FROM spans) AND d.day <= (SELECT max(cur_to) FROM spans)),
  sums AS (
    SELECT s.n, s.period, s.cur_from, s.cur_to, s.prev_from, s.prev_to, w.which,
           coalesce(sum(d.orders), 0) AS orders, coalesce(sum(d.delivered), 0) AS delivered, coalesce(sum(d.revenue), 0) AS revenue,
           coalesce(sum(d.line_revenue), 0) AS line_revenue, coalesce(sum(d.profit), 0) AS profit
    FROM spans s CROSS JOIN (VALUES ('cur'), ('prev')) w (which)
    LEFT JOIN days d ON d.day >= CASE w.which WHEN 'cur' THEN s.cur_from ELSE s.prev_from END
                    AND d.day <= CASE w.which WHEN 'cur' THEN s.cur_to ELSE s.prev_to END
    GROUP BY 1, 2, 3, 4, 5, 6, 7)
  SELECT s.period, to_char(s.cur_from, 'YYYY-MM-DD') AS "from", to_char(s.cur_to, 'YYYY-MM-DD') AS "to",
         to_char(s.prev_from, 'YYYY-MM-DD') AS previous_from, to_char(s.prev_to, 'YYYY-MM-DD') AS previous_to,
         round(s.revenue, 2)::float8 AS revenue, round(p.revenue, 2)::float8 AS previous_revenue,
         round(s.profit, 2)::float8 AS profit, round(p.profit, 2)::float8 AS previous_profit,
         s.orders::int AS orders, p.orders::int AS previous_orders,
         round(s.revenue / nullif(s.delivered, 0), 2)::float8 AS aov, round(p.revenue / nullif(p.delivered, 0), 2)::float8 AS previous_aov,
         round(s.profit / nullif(s.line_revenue, 0), 4)::float8 AS margin, round(p.profit / nullif(p.line_revenue, 0), 4)::float8 AS previous_margin
  FROM sums s JOIN sums p ON p.n = s.n AND p.which = 'prev'
  WHERE s.which = 'cur' ORDER BY s.n`;

/** Revenue and profit per period, from the delivered lines of the range. */
function revenueBy(periodExpr: string, alias: string): string {
  return `
    SELECT ${periodExpr} AS ${alias}, round(sum(d.revenue), 2)::float8 AS revenue, round(sum(d.profit), 2)::float8 AS profit
    FROM (${LINES_BY_DAY}) d
    GROUP BY 1 ORDER BY 1`;
}

/** Orders placed per period (any outcome) and the average value of the delivered ones. */
function ordersBy(periodExpr: string, alias: string): string {
  return `
    SELECT ${periodExpr} AS ${alias}, sum(d.orders)::int AS orders,
           round(sum(d.delivered_total) / nullif(sum(d.delivered), 0), 2)::float8 AS aov
    FROM daily_totals d WHERE ${daysInRange('d.day')}
    GROUP BY 1 HAVING sum(d.orders) > 0 ORDER BY 1`;
}

/**
 * The range holds every order there is (all time, or dates around all of them), so the all-time
 * customer_revenue_all_time answers for it. A one-time condition: Postgres runs only the branch it picks.
 */
const HOLDS_EVERY_ORDER = `(${FROM_DAY} <= coalesce((SELECT min(a.order_date) FROM order_outcomes a), 'infinity')
  AND ${AFTER_DAY} > coalesce((SELECT max(a.order_date) FROM order_outcomes a), '-infinity'))`;

/**
 * Per customer in the range: orders of any status, delivered revenue (customer_stats' rules); only
 * the customer whose id is `customer` (a parameter, NULL = every customer): the customer filter.
 */
function customerStats(customer: string): string {
  const only = (column: string) => `(${customer}::text IS NULL OR ${column} = ${customer}::text)`;
  return `
  SELECT c.customer_id, c.orders, c.revenue FROM customer_revenue_all_time c WHERE ${only('c.customer_id')} AND ${HOLDS_EVERY_ORDER}
  UNION ALL
  SELECT o.customer_id, count(*) AS orders, sum(o.delivered_revenue) AS revenue
  FROM order_outcomes o WHERE ${inRange('o')} AND ${only('o.customer_id')} AND NOT ${HOLDS_EVERY_ORDER} GROUP BY o.customer_id`;
}

/**
 * The $3 customers with the most delivered revenue in the range (top_customers' order), or the one
 * customer $4 (shown even without delivered revenue).
 */
const TOP_CUSTOMERS = `
  SELECT customer_id, orders, revenue FROM (${customerStats('$4')}) s
  WHERE (revenue > 0 OR $4::text IS NOT NULL) ORDER BY revenue DESC, orders DESC, customer_id LIMIT $3`;

/** Delivered lines of the top customers in the range, found customer by customer (their index). */
const TOP_CUSTOMER_LINES = `
  SELECT t.customer_id, l.order_id, l.order_date, l.sku, l.sku_name, l.quantity, l.revenue
  FROM (${TOP_CUSTOMERS}) t
  JOIN delivered_lines l ON l.customer_id = t.customer_id AND ${inRange('l')}`;

/** Delivered lines of the range's edge days (outside its whole months). */
const EDGE_LINES = `
  SELECT l.order_id, l.sku, l.sku_name, l.quantity, l.revenue, l.profit
  FROM delivered_lines l WHERE ${edgeDays('l')}`;

/** Per SKU in the range: delivered orders with it, quantity, revenue, profit (at today's unit cost). */
const SKU_SALES = `
  SELECT x.sku, x.item_name, sum(x.orders) AS orders, sum(x.quantity) AS quantity, sum(x.revenue) AS revenue, sum(x.profit) AS profit
  FROM (SELECT r.sku, r.item_name, r.orders, r.quantity, r.revenue, r.profit FROM monthly_sku_sales r WHERE ${wholeMonths('r.month')}
        UNION ALL
        SELECT e.sku, e.sku_name, count(DISTINCT e.order_id), sum(e.quantity), sum(e.revenue), sum(e.profit)
        FROM (${EDGE_LINES}) e GROUP BY e.sku, e.sku_name) x
  GROUP BY x.sku, x.item_name
  HAVING sum(x.orders) > 0`;

/**
 * Item pairs (item_pairs' rule) of the range: its whole months' rollup, and its edge days' lines
 * (each order's SKUs in order, position a before position b: no self-join to plan).
 */
const PAIRS_IN_RANGE = `
  SELECT x.sku_a, x.sku_b, sum(x.orders) AS orders
  FROM (SELECT r.sku_a, r.sku_b, r.orders FROM monthly_item_pairs r WHERE ${wholeMonths('r.month')}
        UNION ALL
        SELECT e.skus[a], e.skus[b], count(*)
        FROM (SELECT l.order_id, array_agg(l.sku ORDER BY l.sku) AS skus FROM (${EDGE_LINES}) l GROUP BY l.order_id) e,
             generate_series(1, cardinality(e.skus)) a, generate_series(a + 1, cardinality(e.skus)) b
        WHERE e.skus[a] < e.skus[b]
        GROUP BY 1, 2) x
  GROUP BY 1, 2 HAVING sum(x.orders) > 0`;

/** Items on each side of the item-pairs heatmap. */
const PAIR_GRID_ITEMS = 12;

export const SQL = {
  summary: `
    SELECT coalesce(sum(d.orders), 0)::int AS orders,
           coalesce(sum(d.delivered), 0)::int AS delivered,
           coalesce(sum(d.failed), 0)::int AS failed,
           coalesce(sum(d.delivered_total), 0)::float8 AS revenue,
           coalesce(round(sum(d.profit), 2), 0)::float8 AS profit,
           round(sum(d.delivered_total) / nullif(sum(d.delivered), 0), 2)::float8 AS aov,
           round(sum(d.profit) / nullif(sum(d.line_revenue), 0), 4)::float8 AS margin,
           (CASE WHEN ${HOLDS_EVERY_ORDER} THEN (SELECT count(*) FROM customer_revenue_all_time c)
                 ELSE (SELECT count(DISTINCT o.customer_id) FROM order_outcomes o WHERE ${inRange('o')}) END)::int AS customers,
           (SELECT coalesce(sum(a.orders), 0) FROM daily_totals a)::int AS "ordersAllTime"
    FROM daily_totals d WHERE ${daysInRange('d.day')}`,

  'revenue-daily': revenueBy(`to_char(d.day, 'YYYY-MM-DD')`, 'day'),
  'revenue-monthly': REVENUE_MONTHLY_WITH_YEAR_BEFORE,
  'revenue-quarterly': revenueBy(`to_char(d.day, 'YYYY-"Q"Q')`, 'quarter'),
  'revenue-yearly': revenueBy(`to_char(d.day, 'YYYY')`, 'year'),
  'revenue-by-day-of-month': revenueBy(`extract(day FROM d.day)::int`, 'day_of_month'),

  'orders-daily': ordersBy(`to_char(d.day, 'YYYY-MM-DD')`, 'day'),
  'orders-monthly': ordersBy(`to_char(d.day, 'YYYY-MM')`, 'month'),
  'orders-quarterly': ordersBy(`to_char(d.day, 'YYYY-"Q"Q')`, 'quarter'),
  'orders-yearly': ordersBy(`to_char(d.day, 'YYYY')`, 'year'),
  'orders-by-day-of-month': ordersBy(`extract(day FROM d.day)::int`, 'day_of_month'),
  'order-status': `
    SELECT s.status, sum(s.orders)::int AS orders
    FROM daily_totals d
    CROSS JOIN LATERAL (VALUES ('Delivered', d.delivered), ('Timed Out', d.timed_out), ('Cancelled', d.cancelled), ('Returned', d.returned)) s (status, orders)
    WHERE ${daysInRange('d.day')}
    GROUP BY 1 HAVING sum(s.orders) > 0 ORDER BY 2 DESC, 1`,

  // repeat = more than one order of any status in the range; revenue = delivered.
  'customers-overview': `
    SELECT CASE WHEN orders > 1 THEN 'Repeat customers' ELSE 'One-time customers' END AS segment,
           count(*)::int AS customers, sum(orders)::int AS orders, round(sum(revenue), 2)::float8 AS revenue
    FROM (${customerStats('$3')}) s GROUP BY 1 ORDER BY 1 DESC`,
  'top-customers': `
    SELECT t.customer_id, c.customer_name, t.orders::int, round(t.revenue, 2)::float8 AS revenue
    FROM (${TOP_CUSTOMERS}) t JOIN customer_directory c USING (customer_id) ORDER BY t.revenue DESC, t.orders DESC, t.customer_id`,
  'top-customers-monthly': `
    SELECT to_char(l.order_date, 'YYYY-MM') AS month, l.customer_id, c.customer_name, round(sum(l.revenue), 2)::float8 AS revenue
    FROM (${TOP_CUSTOMER_LINES}) l JOIN customer_directory c USING (customer_id)
    GROUP BY 1, 2, 3 ORDER BY 1, 2`,
  'top-customers-items': `
    WITH bought AS (
      SELECT l.customer_id, l.sku, l.sku_name, sum(l.quantity) AS quantity, count(*) AS orders,
             row_number() OVER (PARTITION BY l.customer_id ORDER BY sum(l.quantity) DESC, l.sku) AS rank
      FROM (${TOP_CUSTOMER_LINES}) l
      GROUP BY l.customer_id, l.sku, l.sku_name)
    SELECT b.customer_id, c.customer_name, b.sku, b.sku_name AS item_name, b.quantity::int, b.orders::int
    FROM bought b JOIN customer_directory c USING (customer_id)
    WHERE b.rank <= (CASE WHEN $4::text IS NULL THEN 3 ELSE 10 END) ORDER BY c.customer_name, b.customer_id, b.rank`,

  'items-most-profitable': `
    SELECT s.sku, s.item_name, round(s.profit, 2)::float8 AS profit, round(s.revenue, 2)::float8 AS revenue
    FROM (${SKU_SALES}) s ORDER BY 3 DESC, 1 LIMIT 15`,
  'items-by-quantity': `
    SELECT s.sku, s.item_name, s.quantity::int
    FROM (${SKU_SALES}) s ORDER BY 3 DESC, 1 LIMIT 15`,
  'items-by-orders': `
    SELECT s.sku, s.item_name, s.orders::int
    FROM (${SKU_SALES}) s ORDER BY 3 DESC, 1 LIMIT 15`,
  // item_pairs' rule (two SKUs in one delivered order, each pair once), among the items most often
  // bought with another one: a full grid for the heatmap.
  'item-pairs': `
    WITH pairs AS (${PAIRS_IN_RANGE}),
    top AS (
      SELECT sku FROM (SELECT sku_a AS sku, orders FROM pairs UNION ALL SELECT sku_b, orders FROM pairs) x
      GROUP BY sku ORDER BY sum(orders) DESC, sku LIMIT ${PAIR_GRID_ITEMS})
    SELECT p.sku_a, ka.name AS name_a, p.sku_b, kb.name AS name_b, p.orders::int
    FROM pairs p JOIN top ta ON ta.sku = p.sku_a JOIN top tb ON tb.sku = p.sku_b
    JOIN item_catalogue ka ON ka.sku = p.sku_a JOIN item_catalogue kb ON kb.sku = p.sku_b
    ORDER BY p.orders DESC, 1, 3`,

  // fulfilment_times' rule: delivered orders, hours from order to payment, payment to dispatch,
  // dispatch to delivery; avg = the rollup's sum of the same per-order hours / how many there are.
  'fulfilment-times': `
    WITH d AS (
      SELECT sum(d.delivered) AS delivered, sum(d.pay_hours) AS pay_hours, sum(d.pay_n) AS pay_n, sum(d.ship_hours) AS ship_hours,
             sum(d.ship_n) AS ship_n, sum(d.deliver_hours) AS deliver_hours, sum(d.deliver_n) AS deliver_n
      FROM daily_totals d WHERE ${daysInRange('d.day')})
    SELECT stage, round(hours::numeric, 1)::float8 AS avg_hours, orders::int FROM (
      SELECT 1 AS n, 'Pay' AS stage, d.pay_hours / nullif(d.pay_n, 0) AS hours, d.delivered AS orders FROM d
      UNION ALL
      SELECT 2, 'Ship', d.ship_hours / nullif(d.ship_n, 0), d.delivered FROM d
      UNION ALL
      SELECT 3, 'Deliver', d.deliver_hours / nullif(d.deliver_n, 0), d.delivered FROM d) t
    WHERE orders > 0 ORDER BY n`,
  'payment-methods': `
    SELECT o.payment_method AS method, count(*)::int AS orders
    FROM order_outcomes o WHERE o.payment_method IS NOT NULL AND ${inRange('o')} GROUP BY 1 ORDER BY 2 DESC, 1`,
  // express_share's rule: among paid orders (only paid orders ship).
  'express-share': `
    SELECT s.shipping, sum(s.orders)::int AS orders
    FROM daily_totals d CROSS JOIN LATERAL (VALUES ('Express', d.paid_express), ('Standard', d.paid - d.paid_express)) s (shipping, orders)
    WHERE ${daysInRange('d.day')}
    GROUP BY 1 HAVING sum(s.orders) > 0 ORDER BY 1`,
  // on_time_delivery's rule: delivered no later than 24 hours after the ETA.
  'on-time-rate': `
    SELECT to_char(d.day, 'YYYY-MM') AS month, sum(d.on_time)::int AS on_time, sum(d.delivered)::int AS delivered,
           round(sum(d.on_time) / sum(d.delivered), 4)::float8 AS on_time_rate
    FROM daily_totals d WHERE ${daysInRange('d.day')}
    GROUP BY 1 HAVING sum(d.delivered) > 0 ORDER BY 1`,

  // province_summary's rule: orders and customers of any status, delivered revenue.
  provinces: `
    SELECT o.provincial_code, count(*)::int AS orders, count(DISTINCT o.customer_id)::int AS customers,
           sum(o.delivered_revenue)::float8 AS revenue
    FROM order_outcomes o WHERE ${inRange('o')} GROUP BY 1 ORDER BY revenue DESC, 1`,
} as const;

/** The KPI cards' period-over-period figures ($1 = the reference day or NULL). */
export const COMPARISON_SQL = COMPARISONS;

/**
 * The charts of the customers tab, which the customer filter narrows: the position of the
 * customer id among their parameters (after the range, and the limit where there is one).
 */
export const CUSTOMER_FILTER_PARAM: Record<string, number> = {
  'customers-overview': 3,
  'top-customers': 4,
  'top-customers-monthly': 4,
  'top-customers-items': 4,
};

/** How many top customers the customer charts follow ($3 of their statement). */
export const TOP_CUSTOMER_LIMITS: Record<string, number> = {
  'top-customers': 10,
  'top-customers-monthly': 5,
  'top-customers-items': 5,
};

/** Two parts around the `matched` column: SELECT … , <matched> FROM …. */
const ORDER_HIT_COLUMNS = `SELECT o.order_id, o.order_date, o.customer_id, c.customer_name, o.order_status, o.order_total::float8`;
const ORDER_HIT_FROM = `FROM order_outcomes o JOIN customer_directory c USING (customer_id)`;

export const LOOKUP_SQL = {
  // Order and customer ids share one format, so one number may be both: the order itself comes first.
  /** $1 = digits: an order id or a customer id; $2 = row limit. */
  byId: `${ORDER_HIT_COLUMNS}, CASE WHEN o.order_id = $1 THEN 'order' ELSE 'customer' END AS matched
    ${ORDER_HIT_FROM} WHERE o.order_id = $1 OR o.customer_id = $1
    ORDER BY (o.order_id = $1) DESC, o.order_date DESC LIMIT $2`,
  /** $1 = ILIKE pattern on the customer's name; $2 = row limit. */
  byName: `${ORDER_HIT_COLUMNS}, 'name' AS matched ${ORDER_HIT_FROM}
    WHERE lower(c.customer_name) LIKE lower($1) ORDER BY o.order_date DESC LIMIT $2`,
  order: `
    SELECT o.order_id, o.order_date, o.order_status, o.payment_status, o.payment_method, o.payment_date,
           o.shipping_id, o.express_shipping, o.shipped_date, o.eta, o.finished_date, o.item_variety::int, o.order_total::float8,
           json_build_object('customer_id', c.customer_id, 'customer_name', c.customer_name, 'company', c.company,
             'email', c.email, 'street_address', c.street_address, 'lgu', c.lgu, 'provincial_code', c.provincial_code,
             'contact_number', c.contact_number) AS customer
    FROM order_outcomes o JOIN customer_directory c USING (customer_id) WHERE o.order_id = $1`,
  items: `
    SELECT i.line_no::int, i.sku, i.item_name, i.unit_price::float8, i.quantity::int, i.discount_percent::float8, i.subtotal::float8
    FROM order_lines i WHERE i.order_id = $1 ORDER BY i.line_no`,
} as const;
