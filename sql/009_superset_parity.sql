-- Views the Superset dashboard needs beyond 002's, for the original's customer and market-basket
-- charts. Same rules as 002: revenue counts Delivered orders only; days are Asia/Manila days.
-- "Last 12 months" runs back from the newest order in the table (the simulated shop's today, which
-- a backfill or a fast clock puts far from the wall clock).

-- Each customer's first order (any status): new customers per day, month, quarter.
CREATE OR REPLACE VIEW customer_first_orders AS
SELECT customer_id, (min(order_date) AT TIME ZONE 'Asia/Manila')::date AS first_order_day
FROM order_info GROUP BY 1;

-- Delivered revenue per customer per month, with the customer's rank by revenue over the last 12
-- months (1 = most), so a chart can keep the top 10 with a filter on revenue_rank.
CREATE OR REPLACE VIEW customer_revenue_by_month AS
WITH latest AS (SELECT max(order_date) AS t FROM order_info),
     ranked AS (
       SELECT d.customer_id, rank() OVER (ORDER BY sum(d.revenue) DESC, d.customer_id) AS revenue_rank
       FROM delivered_orders d, latest
       WHERE d.order_date > latest.t - interval '12 months'
       GROUP BY d.customer_id)
SELECT d.customer_id, c.customer_name,
       date_trunc('month', d.order_date AT TIME ZONE 'Asia/Manila')::date AS month,
       r.revenue_rank, count(*) AS orders, sum(d.revenue) AS revenue
FROM delivered_orders d
JOIN latest ON d.order_date > latest.t - interval '12 months'
JOIN ranked r ON r.customer_id = d.customer_id
JOIN customer_info c ON c.customer_id = d.customer_id
GROUP BY d.customer_id, c.customer_name, 3, r.revenue_rank;

-- Customers over the last 12 months: revenue, rank, and the contact details of the top-customer table.
CREATE OR REPLACE VIEW customer_last_12_months AS
SELECT m.customer_id, c.customer_name, c.company, c.contact_number, m.revenue_rank,
       sum(m.orders) AS orders, sum(m.revenue) AS revenue
FROM customer_revenue_by_month m JOIN customer_info c ON c.customer_id = m.customer_id
GROUP BY m.customer_id, c.customer_name, c.company, c.contact_number, m.revenue_rank;

-- The top 10 items (by revenue) of each of the top 10 customers of the last 12 months.
CREATE OR REPLACE VIEW top_customer_items AS
WITH latest AS (SELECT max(order_date) AS t FROM order_info),
     items AS (
       SELECT l.customer_id, l.sku, l.sku_name, sum(l.quantity) AS quantity, sum(l.revenue) AS revenue,
              rank() OVER (PARTITION BY l.customer_id ORDER BY sum(l.revenue) DESC, l.sku) AS item_rank
       FROM delivered_lines l, latest
       WHERE l.order_date > latest.t - interval '12 months'
       GROUP BY l.customer_id, l.sku, l.sku_name)
SELECT i.customer_id, k.revenue_rank, i.sku, i.sku_name, i.item_rank, i.quantity, i.revenue
FROM items i JOIN customer_last_12_months k ON k.customer_id = i.customer_id
WHERE k.revenue_rank <= 10 AND i.item_rank <= 10;

-- Each item's most frequent partner (ties: the lower SKU), as source → target for a chord diagram.
CREATE OR REPLACE VIEW item_top_partners AS
WITH both_ways AS (
  SELECT sku_a AS sku, sku_b AS partner_sku, orders FROM item_pairs
  UNION ALL
  SELECT sku_b, sku_a, orders FROM item_pairs)
SELECT sku, partner_sku, orders
FROM (SELECT *, row_number() OVER (PARTITION BY sku ORDER BY orders DESC, partner_sku) AS n FROM both_ways) ranked
WHERE n = 1;

-- Readable by the dashboards' role (004's default privileges do it when the owner migrates; said here too).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_reader') THEN
    GRANT SELECT ON customer_first_orders, customer_revenue_by_month, customer_last_12_months,
                    top_customer_items, item_top_partners TO order_reader;
  END IF;
END
$$;
