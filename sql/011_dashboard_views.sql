-- The views are the definition of every analytics rule (issue 19): the dashboard (src/dashboard/
-- queries.ts) and Superset read views only, and where 006 keeps a rollup the view reads it, so
-- both get the fast path and the rule is written once, here or in 002/009. The rules are 002's:
-- revenue, profit and average order value count Delivered orders only; order counts say which
-- statuses they count; profit = line subtotal − unit cost × quantity at sku_info's current cost;
-- days, months, quarters and years are Asia/Manila ones.
--
-- New here, for readers that filter a date range (the all-time views of 002 cannot be filtered):
--   daily_totals        one row per Manila day, 006's rollups added up (rollup_days holds several
--                       rows per day while changes are pending)
--   monthly_sku_sales   delivered lines per Manila month and SKU, from the rollups
--   monthly_item_pairs  item_pairs' rule per Manila month, from the rollups
--   order_outcomes      every terminal order (order_record), with whether it counts as delivered
--                       and the revenue it brings (order_total if Delivered, else 0)
--   order_lines         every line of a terminal order, with its item's name
--   customer_revenue_all_time  customer_stats' rules all time, from 006's customer_totals
--   customer_directory, item_catalogue  customers' and items' descriptive columns
-- Replaced here, same columns, now over the rollups: revenue_by_day/_month/_quarter/_year/
-- _day_of_month, order_summary, orders_by_status, item_performance, item_pairs, fulfilment_times,
-- express_share, on_time_delivery. The rest of 002 and 009 reads the rows (no rollup holds them).

CREATE OR REPLACE VIEW daily_totals AS
SELECT day,
       sum(orders)::bigint AS orders, sum(delivered)::bigint AS delivered, sum(timed_out)::bigint AS timed_out,
       sum(cancelled)::bigint AS cancelled, sum(returned)::bigint AS returned,
       -- revenue: Σ order_total of the delivered orders
       sum(delivered_total) AS delivered_total,
       -- paid orders (any outcome), and those with express shipping
       sum(paid)::bigint AS paid, sum(paid_express)::bigint AS paid_express,
       -- delivered orders: Σ hours per stage and how many orders have that stage
       sum(pay_hours) AS pay_hours, sum(pay_n)::bigint AS pay_n, sum(ship_hours) AS ship_hours, sum(ship_n)::bigint AS ship_n,
       sum(deliver_hours) AS deliver_hours, sum(deliver_n)::bigint AS deliver_n,
       -- delivered no later than 24 hours after the ETA
       sum(on_time)::bigint AS on_time,
       -- delivered lines: how many, Σ subtotal, Σ unit_cost × quantity, and the profit they make
       sum(line_count)::bigint AS line_count, sum(line_revenue) AS line_revenue, sum(line_cost) AS line_cost,
       sum(line_revenue) - sum(line_cost) AS profit,
       -- the orders that did not end Delivered
       sum(timed_out + cancelled + returned)::bigint AS failed
FROM rollup_days
GROUP BY day
HAVING sum(orders) > 0 OR sum(line_count) > 0;

CREATE OR REPLACE VIEW monthly_sku_sales AS
SELECT r.month, r.sku, k.name AS item_name,
       sum(r.orders)::bigint AS orders, sum(r.quantity)::bigint AS quantity, sum(r.revenue) AS revenue,
       sum(r.revenue) - k.unit_cost * sum(r.quantity) AS profit
FROM rollup_sales r JOIN sku_info k ON k.sku = r.sku
GROUP BY r.month, r.sku, k.name, k.unit_cost
HAVING sum(r.orders) > 0;

CREATE OR REPLACE VIEW monthly_item_pairs AS
SELECT month, sku_a, sku_b, sum(orders)::bigint AS orders
FROM rollup_pairs
GROUP BY month, sku_a, sku_b
HAVING sum(orders) > 0;

-- Only order_record's columns and expressions of them: per customer and per province a reader
-- still reads 006's covering indexes alone.
CREATE OR REPLACE VIEW order_outcomes AS
SELECT order_id, order_date, customer_id, order_status, payment_status, payment_method, payment_date, shipping_id,
       express_shipping, shipped_date, eta, finished_date, item_variety, order_total, lgu, provincial_code,
       order_status = 'Delivered' AS delivered,
       CASE WHEN order_status = 'Delivered' THEN order_total ELSE 0 END AS delivered_revenue
FROM order_record;

CREATE OR REPLACE VIEW order_lines AS
SELECT i.order_id, i.line_no, i.sku, k.name AS item_name, i.unit_price, i.quantity, i.discount_percent, i.subtotal
FROM item_record i LEFT JOIN sku_info k ON k.sku = i.sku;

CREATE OR REPLACE VIEW customer_revenue_all_time AS
SELECT customer_id, orders, revenue FROM customer_totals WHERE orders > 0;

CREATE OR REPLACE VIEW customer_directory AS
SELECT customer_id, customer_name, company, email, street_address, lgu, provincial_code, contact_number
FROM customer_info;

CREATE OR REPLACE VIEW item_catalogue AS
SELECT sku, name, category, unit_price, unit_cost FROM sku_info;

-- ---- 002's views over the rollups (same columns and rules) -----------------------------------

CREATE OR REPLACE VIEW revenue_by_day AS
SELECT day, delivered AS orders, delivered_total AS revenue, profit
FROM daily_totals WHERE delivered > 0;

CREATE OR REPLACE VIEW revenue_by_month AS
SELECT date_trunc('month', day::timestamp)::date AS month, sum(orders)::bigint AS orders, sum(revenue) AS revenue, sum(profit) AS profit
FROM revenue_by_day GROUP BY 1;

CREATE OR REPLACE VIEW revenue_by_quarter AS
SELECT date_trunc('quarter', day::timestamp)::date AS quarter, sum(orders)::bigint AS orders, sum(revenue) AS revenue, sum(profit) AS profit
FROM revenue_by_day GROUP BY 1;

CREATE OR REPLACE VIEW revenue_by_year AS
SELECT extract(year FROM day)::int AS year, sum(orders)::bigint AS orders, sum(revenue) AS revenue, sum(profit) AS profit
FROM revenue_by_day GROUP BY 1;

CREATE OR REPLACE VIEW revenue_by_day_of_month AS
SELECT extract(day FROM day)::int AS day_of_month, sum(orders)::bigint AS orders, sum(revenue) AS revenue, sum(profit) AS profit
FROM revenue_by_day GROUP BY 1;

CREATE OR REPLACE VIEW order_summary AS
SELECT coalesce(sum(orders), 0)::bigint AS orders,
       coalesce(sum(delivered), 0)::bigint AS delivered_orders,
       coalesce(sum(failed), 0)::bigint AS failed_orders,
       coalesce(sum(delivered_total), 0) AS revenue,
       round(sum(delivered_total) / nullif(sum(delivered), 0), 2) AS average_order_value
FROM daily_totals;

CREATE OR REPLACE VIEW orders_by_status AS
SELECT s.order_status, sum(s.orders)::bigint AS orders
FROM daily_totals d
CROSS JOIN LATERAL (VALUES ('Delivered', d.delivered), ('Timed Out', d.timed_out), ('Cancelled', d.cancelled), ('Returned', d.returned))
  s (order_status, orders)
GROUP BY 1 HAVING sum(s.orders) > 0;

CREATE OR REPLACE VIEW item_performance AS
SELECT s.sku, s.name, s.category,
       coalesce(sum(m.quantity), 0)::bigint AS quantity,
       coalesce(sum(m.orders), 0)::bigint AS orders,
       coalesce(sum(m.revenue), 0) AS revenue,
       coalesce(sum(m.profit), 0) AS profit
FROM sku_info s LEFT JOIN monthly_sku_sales m ON m.sku = s.sku
GROUP BY s.sku;

CREATE OR REPLACE VIEW item_pairs AS
SELECT sku_a, sku_b, sum(orders)::bigint AS orders FROM monthly_item_pairs GROUP BY 1, 2;

CREATE OR REPLACE VIEW fulfilment_times AS
SELECT round(sum(pay_hours) / nullif(sum(pay_n), 0), 2) AS hours_to_pay,
       round(sum(ship_hours) / nullif(sum(ship_n), 0), 2) AS hours_to_ship,
       round(sum(deliver_hours) / nullif(sum(deliver_n), 0), 2) AS hours_to_deliver
FROM daily_totals;

CREATE OR REPLACE VIEW express_share AS
SELECT coalesce(sum(paid), 0)::bigint AS paid_orders,
       coalesce(sum(paid_express), 0)::bigint AS express_orders,
       round(sum(paid_express)::numeric / nullif(sum(paid), 0), 4) AS express_share
FROM daily_totals;

CREATE OR REPLACE VIEW on_time_delivery AS
SELECT coalesce(sum(delivered), 0)::bigint AS delivered_orders,
       coalesce(sum(on_time), 0)::bigint AS on_time_orders,
       round(sum(on_time)::numeric / nullif(sum(delivered), 0), 4) AS on_time_rate
FROM daily_totals;

-- Readable by the dashboards' role (004's default privileges do it when the owner migrates; said here too).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_reader') THEN
    GRANT SELECT ON daily_totals, monthly_sku_sales, monthly_item_pairs, order_outcomes, order_lines, customer_revenue_all_time,
                    customer_directory, item_catalogue TO order_reader;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'SELECT on the dashboard views not granted to order_reader: %', SQLERRM;
END
$$;
