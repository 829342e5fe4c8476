-- Analytics views answering the original dashboard (docs/order-document.md).
-- Rule: revenue, profit and average order value count Delivered orders only (a timed-out,
-- cancelled or returned order brought no money); order counts say which statuses they count.
-- Profit = line subtotal − unit cost × quantity, unit cost from sku_info.

CREATE OR REPLACE VIEW delivered_lines AS
SELECT o.order_id, o.order_date, o.customer_id, o.provincial_code, i.line_no, i.sku, s.name AS sku_name,
       i.quantity, i.subtotal AS revenue, (i.subtotal - s.unit_cost * i.quantity) AS profit
FROM order_info o
JOIN item_info i ON i.order_id = o.order_id
JOIN sku_info s ON s.sku = i.sku
WHERE o.order_status = 'Delivered';

CREATE OR REPLACE VIEW delivered_orders AS
SELECT o.order_id, o.order_date, o.customer_id, o.provincial_code, o.order_total AS revenue, p.profit
FROM order_info o
JOIN (SELECT i.order_id, sum(i.subtotal - s.unit_cost * i.quantity) AS profit
      FROM item_info i JOIN sku_info s ON s.sku = i.sku GROUP BY i.order_id) p ON p.order_id = o.order_id
WHERE o.order_status = 'Delivered';

CREATE OR REPLACE VIEW revenue_by_day AS
SELECT (order_date AT TIME ZONE 'Asia/Manila')::date AS day, count(*) AS orders,
       sum(revenue) AS revenue, sum(profit) AS profit
FROM delivered_orders GROUP BY 1;

CREATE OR REPLACE VIEW revenue_by_month AS
SELECT date_trunc('month', order_date AT TIME ZONE 'Asia/Manila')::date AS month, count(*) AS orders,
       sum(revenue) AS revenue, sum(profit) AS profit
FROM delivered_orders GROUP BY 1;

CREATE OR REPLACE VIEW revenue_by_quarter AS
SELECT date_trunc('quarter', order_date AT TIME ZONE 'Asia/Manila')::date AS quarter, count(*) AS orders,
       sum(revenue) AS revenue, sum(profit) AS profit
FROM delivered_orders GROUP BY 1;

CREATE OR REPLACE VIEW revenue_by_year AS
SELECT extract(year FROM order_date AT TIME ZONE 'Asia/Manila')::int AS year, count(*) AS orders,
       sum(revenue) AS revenue, sum(profit) AS profit
FROM delivered_orders GROUP BY 1;

-- Sale days (14th–15th, end of month) show here as peaks.
CREATE OR REPLACE VIEW revenue_by_day_of_month AS
SELECT extract(day FROM order_date AT TIME ZONE 'Asia/Manila')::int AS day_of_month, count(*) AS orders,
       sum(revenue) AS revenue, sum(profit) AS profit
FROM delivered_orders GROUP BY 1;

-- All terminal orders by status, and the average value of delivered ones.
CREATE OR REPLACE VIEW order_summary AS
SELECT count(*) AS orders,
       count(*) FILTER (WHERE order_status = 'Delivered') AS delivered_orders,
       count(*) FILTER (WHERE order_status <> 'Delivered') AS failed_orders,
       COALESCE(sum(order_total) FILTER (WHERE order_status = 'Delivered'), 0) AS revenue,
       round(avg(order_total) FILTER (WHERE order_status = 'Delivered'), 2) AS average_order_value
FROM order_info;

CREATE OR REPLACE VIEW orders_by_status AS
SELECT order_status, count(*) AS orders FROM order_info GROUP BY 1;

-- Customers ranked by delivered revenue; repeat = more than one order of any status.
CREATE OR REPLACE VIEW customer_stats AS
SELECT c.customer_id, c.customer_name, c.company, c.lgu, c.provincial_code,
       count(o.order_id) AS orders,
       count(o.order_id) FILTER (WHERE o.order_status = 'Delivered') AS delivered_orders,
       COALESCE(sum(o.order_total) FILTER (WHERE o.order_status = 'Delivered'), 0) AS revenue,
       count(o.order_id) > 1 AS repeat_customer
FROM customer_info c JOIN order_info o ON o.customer_id = c.customer_id
GROUP BY c.customer_id;

CREATE OR REPLACE VIEW top_customers AS
SELECT rank() OVER (ORDER BY revenue DESC, orders DESC) AS rank, customer_id, customer_name, company, orders, revenue
FROM customer_stats;

CREATE OR REPLACE VIEW repeat_customer_share AS
SELECT count(*) AS customers,
       count(*) FILTER (WHERE repeat_customer) AS repeat_customers,
       round(count(*) FILTER (WHERE repeat_customer)::numeric / NULLIF(count(*), 0), 4) AS repeat_customer_share,
       round(COALESCE(sum(revenue) FILTER (WHERE repeat_customer), 0) / NULLIF(sum(revenue), 0), 4) AS repeat_revenue_share
FROM customer_stats;

CREATE OR REPLACE VIEW item_performance AS
SELECT s.sku, s.name, s.category,
       COALESCE(sum(l.quantity), 0) AS quantity,
       count(DISTINCT l.order_id) AS orders,
       COALESCE(sum(l.revenue), 0) AS revenue,
       COALESCE(sum(l.profit), 0) AS profit
FROM sku_info s LEFT JOIN delivered_lines l ON l.sku = s.sku
GROUP BY s.sku;

-- Two different SKUs in the same delivered order; each unordered pair once (sku_a < sku_b).
CREATE OR REPLACE VIEW item_pairs AS
SELECT a.sku AS sku_a, b.sku AS sku_b, count(*) AS orders
FROM delivered_lines a JOIN delivered_lines b ON a.order_id = b.order_id AND a.sku < b.sku
GROUP BY 1, 2;

-- Average hours from order to payment, payment to dispatch, dispatch to delivery (delivered orders).
CREATE OR REPLACE VIEW fulfilment_times AS
SELECT round(avg(extract(epoch FROM payment_date - order_date) / 3600)::numeric, 2) AS hours_to_pay,
       round(avg(extract(epoch FROM shipped_date - payment_date) / 3600)::numeric, 2) AS hours_to_ship,
       round(avg(extract(epoch FROM finished_date - shipped_date) / 3600)::numeric, 2) AS hours_to_deliver
FROM order_info WHERE order_status = 'Delivered';

CREATE OR REPLACE VIEW payment_methods AS
SELECT payment_method, count(*) AS orders,
       round(count(*)::numeric / sum(count(*)) OVER (), 4) AS share
FROM order_info WHERE payment_method IS NOT NULL GROUP BY 1;

-- Share of express among paid orders (shipping is chosen at checkout, but only paid orders ship).
CREATE OR REPLACE VIEW express_share AS
SELECT count(*) AS paid_orders,
       count(*) FILTER (WHERE express_shipping) AS express_orders,
       round(count(*) FILTER (WHERE express_shipping)::numeric / NULLIF(count(*), 0), 4) AS express_share
FROM order_info WHERE payment_date IS NOT NULL;

-- On time: delivered no later than 24 hours after the ETA.
CREATE OR REPLACE VIEW on_time_delivery AS
SELECT count(*) AS delivered_orders,
       count(*) FILTER (WHERE finished_date <= eta + interval '24 hours') AS on_time_orders,
       round(count(*) FILTER (WHERE finished_date <= eta + interval '24 hours')::numeric / NULLIF(count(*), 0), 4) AS on_time_rate
FROM order_info WHERE order_status = 'Delivered';

-- Per province (ISO 3166-2:PH code; Metro Manila is PH-00): delivered revenue, customers, orders.
CREATE OR REPLACE VIEW province_summary AS
SELECT o.provincial_code,
       count(*) AS orders,
       count(DISTINCT o.customer_id) AS customers,
       COALESCE(sum(o.order_total) FILTER (WHERE o.order_status = 'Delivered'), 0) AS revenue
FROM order_info o GROUP BY 1;
