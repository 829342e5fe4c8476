/**
 * Every SQL statement of the dashboard, in one place. Parameterised only: $1 = first day of the
 * range, $2 = last day (inclusive), either NULL for an open end. Numbers are cast to float8/int
 * here so the JSON carries numbers, not numeric strings.
 */
import type { DateRange } from './params.js';

/** The parameters of every range-filtered statement. */
export function rangeValues(range: DateRange): [string | null, string | null] {
  return [range.from ?? null, range.to ?? null];
}

/** Orders placed inside the range (the session runs in UTC, so days are UTC days). */
const IN_RANGE = `o.order_date >= coalesce($1::date, '-infinity'::date) AND o.order_date < coalesce($2::date + 1, 'infinity'::date)`;

/** Delivered orders in the range, with revenue and profit per order. */
const SALES = `
  SELECT o.order_id, o.order_date, o.customer_id, o.order_total AS revenue,
         o.order_total - (SELECT coalesce(sum(i.quantity * s.unit_cost), 0) FROM item_info i JOIN sku_info s USING (sku) WHERE i.order_id = o.order_id) AS profit
  FROM order_info o
  WHERE o.order_status = 'Delivered' AND ${IN_RANGE}`;

function revenueBy(periodExpr: string, alias: string): string {
  return `
    SELECT ${periodExpr} AS ${alias}, round(sum(revenue), 2)::float8 AS revenue, round(sum(profit), 2)::float8 AS profit
    FROM (${SALES}) sales
    GROUP BY 1 ORDER BY 1`;
}

function ordersBy(periodExpr: string, alias: string): string {
  return `
    SELECT ${periodExpr} AS ${alias}, count(*)::int AS orders, round(avg(revenue), 2)::float8 AS aov
    FROM (${SALES}) sales
    GROUP BY 1 ORDER BY 1`;
}

const TOP_CUSTOMERS = `
  SELECT s.customer_id, sum(s.revenue) AS revenue, count(*) AS orders
  FROM (${SALES}) s GROUP BY s.customer_id ORDER BY revenue DESC, s.customer_id LIMIT $3`;

/** Items on each side of the item-pairs heatmap. */
const PAIR_GRID_ITEMS = 12;

export const SQL = {
  summary: `
    SELECT count(*)::int AS orders,
           (count(*) FILTER (WHERE o.order_status = 'Delivered'))::int AS delivered,
           (count(*) FILTER (WHERE o.order_status IN ('Timed Out', 'Cancelled', 'Returned')))::int AS failed,
           coalesce((SELECT round(sum(revenue), 2) FROM (${SALES}) s), 0)::float8 AS revenue,
           coalesce((SELECT round(sum(profit), 2) FROM (${SALES}) s), 0)::float8 AS profit,
           (SELECT round(avg(revenue), 2) FROM (${SALES}) s)::float8 AS aov,
           (count(DISTINCT o.customer_id))::int AS customers,
           (SELECT count(*) FROM order_info)::int AS "ordersAllTime"
    FROM order_info o WHERE ${IN_RANGE}`,

  'revenue-daily': revenueBy(`to_char(order_date, 'YYYY-MM-DD')`, 'day'),
  'revenue-monthly': revenueBy(`to_char(order_date, 'YYYY-MM')`, 'month'),
  'revenue-quarterly': revenueBy(`to_char(order_date, 'YYYY-"Q"Q')`, 'quarter'),
  'revenue-yearly': revenueBy(`to_char(order_date, 'YYYY')`, 'year'),
  'revenue-by-day-of-month': revenueBy(`extract(day FROM order_date)::int`, 'day_of_month'),

  'orders-daily': ordersBy(`to_char(order_date, 'YYYY-MM-DD')`, 'day'),
  'orders-monthly': ordersBy(`to_char(order_date, 'YYYY-MM')`, 'month'),
  'order-status': `
    SELECT o.order_status AS status, count(*)::int AS orders
    FROM order_info o WHERE ${IN_RANGE} GROUP BY 1 ORDER BY 2 DESC`,

  'customers-overview': `
    WITH per_customer AS (
      SELECT customer_id, count(*) AS orders, sum(revenue) AS revenue FROM (${SALES}) s GROUP BY customer_id)
    SELECT CASE WHEN orders > 1 THEN 'Repeat customers' ELSE 'One-time customers' END AS segment,
           count(*)::int AS customers, sum(orders)::int AS orders, round(sum(revenue), 2)::float8 AS revenue
    FROM per_customer GROUP BY 1 ORDER BY 1 DESC`,
  'top-customers': `
    SELECT t.customer_id::text, c.customer_name, t.orders::int, round(t.revenue, 2)::float8 AS revenue
    FROM (${TOP_CUSTOMERS}) t JOIN customer_info c USING (customer_id) ORDER BY t.revenue DESC, t.customer_id`,
  'top-customers-monthly': `
    SELECT to_char(s.order_date, 'YYYY-MM') AS month, s.customer_id::text, c.customer_name, round(sum(s.revenue), 2)::float8 AS revenue
    FROM (${SALES}) s JOIN (${TOP_CUSTOMERS}) t USING (customer_id) JOIN customer_info c USING (customer_id)
    GROUP BY 1, 2, 3 ORDER BY 1, 3`,
  'top-customers-items': `
    WITH bought AS (
      SELECT s.customer_id, i.sku, sum(i.quantity) AS quantity, count(DISTINCT i.order_id) AS orders,
             row_number() OVER (PARTITION BY s.customer_id ORDER BY sum(i.quantity) DESC, i.sku) AS rank
      FROM (${SALES}) s JOIN (${TOP_CUSTOMERS}) t USING (customer_id) JOIN item_info i ON i.order_id = s.order_id
      GROUP BY s.customer_id, i.sku)
    SELECT b.customer_id::text, c.customer_name, b.sku, k.name AS item_name, b.quantity::int, b.orders::int
    FROM bought b JOIN customer_info c USING (customer_id) JOIN sku_info k USING (sku)
    WHERE b.rank <= 3 ORDER BY c.customer_name, b.rank`,

  'items-most-profitable': `
    SELECT i.sku, k.name AS item_name, round(sum(i.subtotal - i.quantity * k.unit_cost), 2)::float8 AS profit, round(sum(i.subtotal), 2)::float8 AS revenue
    FROM (${SALES}) s JOIN item_info i ON i.order_id = s.order_id JOIN sku_info k USING (sku)
    GROUP BY 1, 2 ORDER BY profit DESC LIMIT 15`,
  'items-by-quantity': `
    SELECT i.sku, k.name AS item_name, sum(i.quantity)::int AS quantity
    FROM (${SALES}) s JOIN item_info i ON i.order_id = s.order_id JOIN sku_info k USING (sku)
    GROUP BY 1, 2 ORDER BY quantity DESC LIMIT 15`,
  'items-by-orders': `
    SELECT i.sku, k.name AS item_name, count(DISTINCT i.order_id)::int AS orders
    FROM (${SALES}) s JOIN item_info i ON i.order_id = s.order_id JOIN sku_info k USING (sku)
    GROUP BY 1, 2 ORDER BY orders DESC LIMIT 15`,
  // Pairs among the items that are most often bought with another one: a full grid for the heatmap.
  'item-pairs': `
    WITH pairs AS (
      SELECT a.sku AS sku_a, b.sku AS sku_b, count(*) AS orders
      FROM (${SALES}) s JOIN item_info a ON a.order_id = s.order_id JOIN item_info b ON b.order_id = s.order_id AND a.sku < b.sku
      GROUP BY 1, 2),
    top AS (
      SELECT sku FROM (SELECT sku_a AS sku, orders FROM pairs UNION ALL SELECT sku_b, orders FROM pairs) x
      GROUP BY sku ORDER BY sum(orders) DESC, sku LIMIT ${PAIR_GRID_ITEMS})
    SELECT p.sku_a, ka.name AS name_a, p.sku_b, kb.name AS name_b, p.orders::int
    FROM pairs p JOIN top ta ON ta.sku = p.sku_a JOIN top tb ON tb.sku = p.sku_b
    JOIN sku_info ka ON ka.sku = p.sku_a JOIN sku_info kb ON kb.sku = p.sku_b
    ORDER BY p.orders DESC, 1, 3`,

  'fulfilment-times': `
    SELECT stage, round(avg_hours::numeric, 1)::float8 AS avg_hours, orders::int FROM (
      SELECT 1 AS n, 'Pay' AS stage, avg(extract(epoch FROM o.payment_date - o.order_date) / 3600) AS avg_hours, count(o.payment_date) AS orders
        FROM order_info o WHERE o.payment_date IS NOT NULL AND ${IN_RANGE}
      UNION ALL
      SELECT 2, 'Ship', avg(extract(epoch FROM o.shipped_date - o.payment_date) / 3600), count(o.shipped_date)
        FROM order_info o WHERE o.shipped_date IS NOT NULL AND ${IN_RANGE}
      UNION ALL
      SELECT 3, 'Deliver', avg(extract(epoch FROM o.finished_date - o.shipped_date) / 3600), count(*)
        FROM order_info o WHERE o.order_status = 'Delivered' AND ${IN_RANGE}) t
    WHERE orders > 0 ORDER BY n`,
  'payment-methods': `
    SELECT o.payment_method AS method, count(*)::int AS orders, round(sum(o.order_total), 2)::float8 AS revenue
    FROM order_info o WHERE o.payment_method IS NOT NULL AND ${IN_RANGE} GROUP BY 1 ORDER BY 2 DESC`,
  'express-share': `
    SELECT CASE WHEN o.express_shipping THEN 'Express' ELSE 'Standard' END AS shipping, count(*)::int AS orders
    FROM order_info o WHERE ${IN_RANGE} GROUP BY 1 ORDER BY 1`,
  'on-time-rate': `
    SELECT to_char(o.order_date, 'YYYY-MM') AS month,
           (count(*) FILTER (WHERE o.finished_date <= o.eta + interval '24 hours'))::int AS on_time,
           count(*)::int AS delivered,
           round((count(*) FILTER (WHERE o.finished_date <= o.eta + interval '24 hours'))::numeric / count(*), 4)::float8 AS on_time_rate
    FROM order_info o WHERE o.order_status = 'Delivered' AND ${IN_RANGE} GROUP BY 1 ORDER BY 1`,

  provinces: `
    SELECT c.lgu AS province, c.provincial_code, round(sum(s.revenue), 2)::float8 AS revenue,
           count(DISTINCT s.customer_id)::int AS customers, count(*)::int AS orders
    FROM (${SALES}) s JOIN customer_info c USING (customer_id)
    GROUP BY 1, 2 ORDER BY revenue DESC`,
} as const;

/** How many top customers the customer charts follow. */
export const TOP_CUSTOMER_LIMITS: Record<string, number> = {
  'top-customers': 10,
  'top-customers-monthly': 5,
  'top-customers-items': 5,
};

const ORDER_HIT = `
  SELECT o.order_id::text, o.order_date, o.customer_id::text, c.customer_name, o.order_status, o.order_total::float8
  FROM order_info o JOIN customer_info c USING (customer_id)`;

export const LOOKUP_SQL = {
  /** $1 = digits: an order id or a customer id; $2 = row limit. */
  byId: `${ORDER_HIT} WHERE o.order_id = $1::bigint OR o.customer_id = $1::bigint ORDER BY o.order_date DESC LIMIT $2`,
  /** $1 = ILIKE pattern on the customer's name; $2 = row limit. */
  byName: `${ORDER_HIT} WHERE c.customer_name ILIKE $1 ORDER BY o.order_date DESC LIMIT $2`,
  order: `
    SELECT o.order_id::text, o.order_date, o.order_status, o.payment_status, o.payment_method, o.payment_date,
           o.shipping_id, o.express_shipping, o.shipped_date, o.eta, o.finished_date, o.item_variety::int, o.order_total::float8,
           json_build_object('customer_id', c.customer_id::text, 'customer_name', c.customer_name, 'company', c.company,
             'email', c.email, 'street_address', c.street_address, 'lgu', c.lgu, 'provincial_code', c.provincial_code,
             'contact_number', c.contact_number) AS customer
    FROM order_info o JOIN customer_info c USING (customer_id) WHERE o.order_id = $1::bigint`,
  items: `
    SELECT i.line_no::int, i.sku, k.name AS item_name, i.unit_price::float8, i.quantity::int, i.discount_percent::float8, i.subtotal::float8
    FROM item_info i LEFT JOIN sku_info k USING (sku) WHERE i.order_id = $1::bigint ORDER BY i.line_no`,
} as const;
