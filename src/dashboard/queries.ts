/**
 * Every SQL statement of the dashboard, in one place, over the tables and analytics views of
 * sql/ (001 tables, 002 views). The aggregate views (revenue_by_month, customer_stats, ...) hold
 * all time, so a date range cannot be applied to them; the charts therefore aggregate the
 * row-level views delivered_lines and order_info themselves, with the same rules as 002:
 *   - revenue, profit and average order value count Delivered orders only;
 *   - profit = line subtotal − unit cost × quantity (delivered_lines.profit);
 *   - days, months, quarters and years are Asia/Manila calendar days, as in the views: the
 *     read-only session runs with TimeZone=Asia/Manila, so `$1::date` and to_char agree with them.
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

/** Rows whose `alias.order_date` falls inside the range. */
function inRange(alias: string): string {
  return `${alias}.order_date >= coalesce($1::date, '-infinity'::date) AND ${alias}.order_date < coalesce($2::date + 1, 'infinity'::date)`;
}

const DELIVERED = `o.order_status = 'Delivered'`;
const FAILED = `o.order_status IN ('Timed Out', 'Cancelled', 'Returned')`;

/** Revenue and profit per period, from the delivered lines of the range. */
function revenueBy(periodExpr: string, alias: string): string {
  return `
    SELECT ${periodExpr} AS ${alias}, round(sum(l.revenue), 2)::float8 AS revenue, round(sum(l.profit), 2)::float8 AS profit
    FROM delivered_lines l WHERE ${inRange('l')}
    GROUP BY 1 ORDER BY 1`;
}

/** Orders placed per period (any outcome) and the average value of the delivered ones. */
function ordersBy(periodExpr: string, alias: string): string {
  return `
    SELECT ${periodExpr} AS ${alias}, count(*)::int AS orders, round(avg(o.order_total) FILTER (WHERE ${DELIVERED}), 2)::float8 AS aov
    FROM order_info o WHERE ${inRange('o')}
    GROUP BY 1 ORDER BY 1`;
}

/** Per customer in the range: orders of any status, delivered revenue (customer_stats' rules). */
const CUSTOMER_STATS = `
  SELECT o.customer_id, count(*) AS orders, coalesce(sum(o.order_total) FILTER (WHERE ${DELIVERED}), 0) AS revenue
  FROM order_info o WHERE ${inRange('o')} GROUP BY o.customer_id`;

/** The $3 customers with the most delivered revenue in the range (top_customers' order). */
const TOP_CUSTOMERS = `
  SELECT customer_id, orders, revenue FROM (${CUSTOMER_STATS}) s
  WHERE revenue > 0 ORDER BY revenue DESC, orders DESC, customer_id LIMIT $3`;

/** Items on each side of the item-pairs heatmap. */
const PAIR_GRID_ITEMS = 12;

export const SQL = {
  summary: `
    SELECT count(*)::int AS orders,
           (count(*) FILTER (WHERE ${DELIVERED}))::int AS delivered,
           (count(*) FILTER (WHERE ${FAILED}))::int AS failed,
           coalesce(sum(o.order_total) FILTER (WHERE ${DELIVERED}), 0)::float8 AS revenue,
           coalesce((SELECT round(sum(l.profit), 2) FROM delivered_lines l WHERE ${inRange('l')}), 0)::float8 AS profit,
           round(avg(o.order_total) FILTER (WHERE ${DELIVERED}), 2)::float8 AS aov,
           (count(DISTINCT o.customer_id))::int AS customers,
           (SELECT count(*) FROM order_info)::int AS "ordersAllTime"
    FROM order_info o WHERE ${inRange('o')}`,

  'revenue-daily': revenueBy(`to_char(l.order_date, 'YYYY-MM-DD')`, 'day'),
  'revenue-monthly': revenueBy(`to_char(l.order_date, 'YYYY-MM')`, 'month'),
  'revenue-quarterly': revenueBy(`to_char(l.order_date, 'YYYY-"Q"Q')`, 'quarter'),
  'revenue-yearly': revenueBy(`to_char(l.order_date, 'YYYY')`, 'year'),
  'revenue-by-day-of-month': revenueBy(`extract(day FROM l.order_date)::int`, 'day_of_month'),

  'orders-daily': ordersBy(`to_char(o.order_date, 'YYYY-MM-DD')`, 'day'),
  'orders-monthly': ordersBy(`to_char(o.order_date, 'YYYY-MM')`, 'month'),
  'order-status': `
    SELECT o.order_status AS status, count(*)::int AS orders
    FROM order_info o WHERE ${inRange('o')} GROUP BY 1 ORDER BY 2 DESC, 1`,

  // repeat = more than one order of any status in the range; revenue = delivered.
  'customers-overview': `
    SELECT CASE WHEN orders > 1 THEN 'Repeat customers' ELSE 'One-time customers' END AS segment,
           count(*)::int AS customers, sum(orders)::int AS orders, round(sum(revenue), 2)::float8 AS revenue
    FROM (${CUSTOMER_STATS}) s GROUP BY 1 ORDER BY 1 DESC`,
  'top-customers': `
    SELECT t.customer_id, c.customer_name, t.orders::int, round(t.revenue, 2)::float8 AS revenue
    FROM (${TOP_CUSTOMERS}) t JOIN customer_info c USING (customer_id) ORDER BY t.revenue DESC, t.orders DESC, t.customer_id`,
  'top-customers-monthly': `
    SELECT to_char(l.order_date, 'YYYY-MM') AS month, l.customer_id, c.customer_name, round(sum(l.revenue), 2)::float8 AS revenue
    FROM delivered_lines l JOIN (${TOP_CUSTOMERS}) t USING (customer_id) JOIN customer_info c USING (customer_id)
    WHERE ${inRange('l')}
    GROUP BY 1, 2, 3 ORDER BY 1, 3`,
  'top-customers-items': `
    WITH bought AS (
      SELECT l.customer_id, l.sku, l.sku_name, sum(l.quantity) AS quantity, count(*) AS orders,
             row_number() OVER (PARTITION BY l.customer_id ORDER BY sum(l.quantity) DESC, l.sku) AS rank
      FROM delivered_lines l JOIN (${TOP_CUSTOMERS}) t USING (customer_id)
      WHERE ${inRange('l')}
      GROUP BY l.customer_id, l.sku, l.sku_name)
    SELECT b.customer_id, c.customer_name, b.sku, b.sku_name AS item_name, b.quantity::int, b.orders::int
    FROM bought b JOIN customer_info c USING (customer_id)
    WHERE b.rank <= 3 ORDER BY c.customer_name, b.customer_id, b.rank`,

  // A SKU appears on one line per order, so count(*) of lines = orders with the SKU.
  'items-most-profitable': `
    SELECT l.sku, l.sku_name AS item_name, round(sum(l.profit), 2)::float8 AS profit, round(sum(l.revenue), 2)::float8 AS revenue
    FROM delivered_lines l WHERE ${inRange('l')}
    GROUP BY 1, 2 ORDER BY profit DESC, 1 LIMIT 15`,
  'items-by-quantity': `
    SELECT l.sku, l.sku_name AS item_name, sum(l.quantity)::int AS quantity
    FROM delivered_lines l WHERE ${inRange('l')}
    GROUP BY 1, 2 ORDER BY quantity DESC, 1 LIMIT 15`,
  'items-by-orders': `
    SELECT l.sku, l.sku_name AS item_name, count(DISTINCT l.order_id)::int AS orders
    FROM delivered_lines l WHERE ${inRange('l')}
    GROUP BY 1, 2 ORDER BY orders DESC, 1 LIMIT 15`,
  // item_pairs' rule (two SKUs in one delivered order, each pair once), among the items most often
  // bought with another one: a full grid for the heatmap.
  'item-pairs': `
    WITH lines AS (SELECT l.order_id, l.sku, l.sku_name FROM delivered_lines l WHERE ${inRange('l')}),
    pairs AS (
      SELECT a.sku AS sku_a, b.sku AS sku_b, count(*) AS orders
      FROM lines a JOIN lines b ON a.order_id = b.order_id AND a.sku < b.sku
      GROUP BY 1, 2),
    top AS (
      SELECT sku FROM (SELECT sku_a AS sku, orders FROM pairs UNION ALL SELECT sku_b, orders FROM pairs) x
      GROUP BY sku ORDER BY sum(orders) DESC, sku LIMIT ${PAIR_GRID_ITEMS})
    SELECT p.sku_a, ka.name AS name_a, p.sku_b, kb.name AS name_b, p.orders::int
    FROM pairs p JOIN top ta ON ta.sku = p.sku_a JOIN top tb ON tb.sku = p.sku_b
    JOIN sku_info ka ON ka.sku = p.sku_a JOIN sku_info kb ON kb.sku = p.sku_b
    ORDER BY p.orders DESC, 1, 3`,

  // fulfilment_times' rule: delivered orders, hours from order to payment, payment to dispatch, dispatch to delivery.
  'fulfilment-times': `
    SELECT stage, round(hours::numeric, 1)::float8 AS avg_hours, orders::int FROM (
      SELECT 1 AS n, 'Pay' AS stage, avg(extract(epoch FROM o.payment_date - o.order_date) / 3600) AS hours, count(*) AS orders
        FROM order_info o WHERE ${DELIVERED} AND ${inRange('o')}
      UNION ALL
      SELECT 2, 'Ship', avg(extract(epoch FROM o.shipped_date - o.payment_date) / 3600), count(*)
        FROM order_info o WHERE ${DELIVERED} AND ${inRange('o')}
      UNION ALL
      SELECT 3, 'Deliver', avg(extract(epoch FROM o.finished_date - o.shipped_date) / 3600), count(*)
        FROM order_info o WHERE ${DELIVERED} AND ${inRange('o')}) t
    WHERE orders > 0 ORDER BY n`,
  'payment-methods': `
    SELECT o.payment_method AS method, count(*)::int AS orders
    FROM order_info o WHERE o.payment_method IS NOT NULL AND ${inRange('o')} GROUP BY 1 ORDER BY 2 DESC, 1`,
  // express_share's rule: among paid orders (only paid orders ship).
  'express-share': `
    SELECT CASE WHEN o.express_shipping THEN 'Express' ELSE 'Standard' END AS shipping, count(*)::int AS orders
    FROM order_info o WHERE o.payment_date IS NOT NULL AND ${inRange('o')} GROUP BY 1 ORDER BY 1`,
  // on_time_delivery's rule: delivered no later than 24 hours after the ETA.
  'on-time-rate': `
    SELECT to_char(o.order_date, 'YYYY-MM') AS month,
           (count(*) FILTER (WHERE o.finished_date <= o.eta + interval '24 hours'))::int AS on_time,
           count(*)::int AS delivered,
           round((count(*) FILTER (WHERE o.finished_date <= o.eta + interval '24 hours'))::numeric / count(*), 4)::float8 AS on_time_rate
    FROM order_info o WHERE ${DELIVERED} AND ${inRange('o')} GROUP BY 1 ORDER BY 1`,

  // province_summary's rule: orders and customers of any status, delivered revenue.
  provinces: `
    SELECT o.provincial_code, count(*)::int AS orders, count(DISTINCT o.customer_id)::int AS customers,
           coalesce(sum(o.order_total) FILTER (WHERE ${DELIVERED}), 0)::float8 AS revenue
    FROM order_info o WHERE ${inRange('o')} GROUP BY 1 ORDER BY revenue DESC, 1`,
} as const;

/** How many top customers the customer charts follow ($3 of their statement). */
export const TOP_CUSTOMER_LIMITS: Record<string, number> = {
  'top-customers': 10,
  'top-customers-monthly': 5,
  'top-customers-items': 5,
};

/** Two parts around the `matched` column: SELECT … , <matched> FROM …. */
const ORDER_HIT_COLUMNS = `SELECT o.order_id, o.order_date, o.customer_id, c.customer_name, o.order_status, o.order_total::float8`;
const ORDER_HIT_FROM = `FROM order_info o JOIN customer_info c USING (customer_id)`;

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
    FROM order_info o JOIN customer_info c USING (customer_id) WHERE o.order_id = $1`,
  items: `
    SELECT i.line_no::int, i.sku, k.name AS item_name, i.unit_price::float8, i.quantity::int, i.discount_percent::float8, i.subtotal::float8
    FROM item_info i LEFT JOIN sku_info k USING (sku) WHERE i.order_id = $1 ORDER BY i.line_no`,
} as const;
