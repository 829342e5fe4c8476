-- Rollups for the dashboard (issue #7: every endpoint under 200 ms on 100,000 orders). The charts
-- used to add up every order and line of their date range on each request; these tables hold the
-- same sums per Asia/Manila day (items and item pairs per month, and per customer), so a chart adds
-- up hundreds or thousands of rows instead.
--
-- Triggers on order_info and item_info keep them, in the transaction that changes the rows, from
-- the rows each statement really changed (its transition tables): whoever writes (the bridge's
-- sink, a person, a test), a replayed message changes no row and so no rollup, and two writers of
-- the same order cannot both count it. Except for customer_totals, a statement does not update the
-- rollups in place (every batch of a day would lock and rewrite the same rows): it appends its
-- changes to the *_pending tables, and every 64th change folds what is pending into the rollups
-- (rollup_fold(), one writer at a time). Readers add the two up: the views rollup_days,
-- rollup_sales and rollup_pairs at the end of this file. rollup_rebuild() computes everything
-- afresh.
--
-- The rules are 002's: revenue and profit count Delivered orders only; days are Asia/Manila days.
-- Profit is revenue − unit_cost × quantity at the catalogue's current cost, as in delivered_lines:
-- a change is priced when it is folded (or read, while pending), and a trigger on sku_info
-- re-prices orders_by_day when a unit_cost changes.
-- Rows whose counts drop to 0 (an order changed or deleted) stay; readers skip them.

-- Nothing is written while the rollups are filled from the rows already there.
LOCK TABLE order_info, item_info IN SHARE MODE;

-- Per Manila day: every order placed that day (any status), and its delivered lines.
CREATE TABLE IF NOT EXISTS orders_by_day (
  day              date PRIMARY KEY,
  orders           bigint NOT NULL,
  delivered        bigint NOT NULL,
  timed_out        bigint NOT NULL,
  cancelled        bigint NOT NULL,
  returned         bigint NOT NULL,
  -- Σ order_total of the delivered orders.
  delivered_total  numeric NOT NULL,
  -- Orders with a payment_date, and those of them with express shipping.
  paid             bigint NOT NULL,
  paid_express     bigint NOT NULL,
  -- Delivered orders: Σ of fulfilment_times' per-order hours, and how many were not NULL.
  pay_hours        numeric NOT NULL,
  pay_n            bigint NOT NULL,
  ship_hours       numeric NOT NULL,
  ship_n           bigint NOT NULL,
  deliver_hours    numeric NOT NULL,
  deliver_n        bigint NOT NULL,
  -- Delivered no later than 24 hours after the ETA (on_time_delivery's rule).
  on_time          bigint NOT NULL,
  -- Delivered lines: how many, Σ subtotal, Σ sku_info.unit_cost × quantity (profit: the difference).
  line_count       bigint NOT NULL,
  line_revenue     numeric NOT NULL,
  line_cost        numeric NOT NULL
) WITH (fillfactor = 50);

-- Delivered lines per Manila month (its first day) and SKU: orders with the SKU, quantity, revenue
-- (Σ subtotal). A range reads its whole months here, and the days at its ends from the tables (a
-- few weeks at most): per day, a batch of orders spread over weeks would touch a row per day.
CREATE TABLE IF NOT EXISTS sales_by_month_sku (
  month     date NOT NULL,
  sku       text NOT NULL,
  orders    bigint NOT NULL,
  quantity  bigint NOT NULL,
  revenue   numeric NOT NULL,
  PRIMARY KEY (month, sku)
) WITH (fillfactor = 80);

-- item_pairs' rule (two lines of different SKUs in one delivered order, sku_a < sku_b), per Manila
-- month, read the same way.
CREATE TABLE IF NOT EXISTS item_pairs_by_month (
  month   date NOT NULL,
  sku_a   text NOT NULL,
  sku_b   text NOT NULL,
  orders  bigint NOT NULL,
  PRIMARY KEY (month, sku_a, sku_b)
) WITH (fillfactor = 80);

-- Per customer of order_info, all time: orders of any status, revenue of the delivered ones
-- (customer_stats' rules). Updated in place: a batch rarely shares a customer with another, and a
-- reader of all customers needs one row each. The dashboard reads it when a range holds every order.
CREATE TABLE IF NOT EXISTS customer_totals (
  customer_id  text PRIMARY KEY,
  orders       bigint NOT NULL,
  revenue      numeric NOT NULL
);

-- Changes not folded yet, signed, any number of rows per key: orders_by_day's columns without the
-- line sums, which come from the lines' changes per day and SKU (priced when folded or read).
CREATE TABLE IF NOT EXISTS orders_by_day_pending (
  day              date NOT NULL,
  orders           bigint NOT NULL,
  delivered        bigint NOT NULL,
  timed_out        bigint NOT NULL,
  cancelled        bigint NOT NULL,
  returned         bigint NOT NULL,
  delivered_total  numeric NOT NULL,
  paid             bigint NOT NULL,
  paid_express     bigint NOT NULL,
  pay_hours        numeric NOT NULL,
  pay_n            bigint NOT NULL,
  ship_hours       numeric NOT NULL,
  ship_n           bigint NOT NULL,
  deliver_hours    numeric NOT NULL,
  deliver_n        bigint NOT NULL,
  on_time          bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS sales_by_day_sku_pending (
  day       date NOT NULL,
  sku       text NOT NULL,
  orders    bigint NOT NULL,
  lines     bigint NOT NULL,
  quantity  bigint NOT NULL,
  revenue   numeric NOT NULL
);

-- (pairs: one row of arrays per change; a batch has about as many pairs as lines)
CREATE TABLE IF NOT EXISTS item_pairs_by_month_pending (
  month   date[] NOT NULL,
  sku_a   text[] NOT NULL,
  sku_b   text[] NOT NULL,
  orders  bigint[] NOT NULL
);

-- Counts the changes appended: every 64th folds.
CREATE SEQUENCE IF NOT EXISTS rollup_changes;

-- Per customer for a part of the orders, and per province, the dashboard reads order_info itself,
-- from these indexes alone (index-only scans): 001's indexes on the same keys, with the columns
-- those charts read.
CREATE INDEX IF NOT EXISTS order_info_customer_covering_idx ON order_info (customer_id, order_date) INCLUDE (order_status, order_total, order_id);
DROP INDEX IF EXISTS order_info_customer_idx;
ALTER INDEX order_info_customer_covering_idx RENAME TO order_info_customer_idx;
CREATE INDEX IF NOT EXISTS order_info_province_covering_idx ON order_info (provincial_code, customer_id) INCLUDE (order_date, order_status, order_total);
DROP INDEX IF EXISTS order_info_province_idx;
ALTER INDEX order_info_province_covering_idx RENAME TO order_info_province_idx;

-- The Asia/Manila calendar day of a moment (002's day).
CREATE OR REPLACE FUNCTION rollup_manila_day(moment timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (moment AT TIME ZONE 'Asia/Manila')::date $$;

-- ---- the one place the rules are applied ------------------------------------------------------

-- Appends a change: orders (o_*, one element per order) with sign +1 are added, with −1 taken
-- away; so are delivered lines (l_*, each with its order's date), where the lines with the same
-- sign and order are that order's whole set of lines at one moment (a SKU counts the order once,
-- and pairs are counted within it). An order that changed comes as −1, as it was, and +1, as it
-- is. Parts of the change that add up to nothing are left out.
CREATE OR REPLACE FUNCTION rollup_append(
  o_sign integer[], o_date timestamptz[], o_status text[], o_total numeric[], o_paid timestamptz[],
  o_shipped timestamptz[], o_finished timestamptz[], o_eta timestamptz[], o_express boolean[], o_customer text[],
  l_sign integer[], l_order text[], l_date timestamptz[], l_sku text[], l_quantity integer[], l_subtotal numeric[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(o_sign) > 0 THEN
    -- In key order: writers of the same customers lock them in one order (the sink has locked
    -- their customer_info rows in that order already).
    INSERT INTO customer_totals AS t (customer_id, orders, revenue)
    SELECT c.customer_id, sum(c.sign), coalesce(sum(c.sign * c.total) FILTER (WHERE c.status = 'Delivered'), 0)
    FROM unnest(o_sign, o_customer, o_status, o_total) AS c (sign, customer_id, status, total)
    GROUP BY 1
    HAVING (sum(c.sign), coalesce(sum(c.sign * c.total) FILTER (WHERE c.status = 'Delivered'), 0)) <> (0, 0)
    ORDER BY 1
    ON CONFLICT (customer_id) DO UPDATE SET orders = t.orders + excluded.orders, revenue = t.revenue + excluded.revenue;

    INSERT INTO orders_by_day_pending (day, orders, delivered, timed_out, cancelled, returned, delivered_total, paid, paid_express,
                                       pay_hours, pay_n, ship_hours, ship_n, deliver_hours, deliver_n, on_time)
    SELECT d.* FROM (
      SELECT rollup_manila_day(o.order_date) AS day, sum(o.sign) AS orders,
             coalesce(sum(o.sign) FILTER (WHERE o.delivered), 0) AS delivered,
             coalesce(sum(o.sign) FILTER (WHERE o.status = 'Timed Out'), 0) AS timed_out,
             coalesce(sum(o.sign) FILTER (WHERE o.status = 'Cancelled'), 0) AS cancelled,
             coalesce(sum(o.sign) FILTER (WHERE o.status = 'Returned'), 0) AS returned,
             coalesce(sum(o.sign * o.total) FILTER (WHERE o.delivered), 0) AS delivered_total,
             coalesce(sum(o.sign) FILTER (WHERE o.paid IS NOT NULL), 0) AS paid,
             coalesce(sum(o.sign) FILTER (WHERE o.paid IS NOT NULL AND o.express), 0) AS paid_express,
             -- fulfilment_times' expressions row by row: their sums are the ones avg() makes
             coalesce(sum(o.sign * (extract(epoch FROM o.paid - o.order_date) / 3600)) FILTER (WHERE o.delivered), 0) AS pay_hours,
             coalesce(sum(o.sign) FILTER (WHERE o.delivered AND o.paid IS NOT NULL), 0) AS pay_n,
             coalesce(sum(o.sign * (extract(epoch FROM o.shipped - o.paid) / 3600)) FILTER (WHERE o.delivered), 0) AS ship_hours,
             coalesce(sum(o.sign) FILTER (WHERE o.delivered AND o.shipped IS NOT NULL AND o.paid IS NOT NULL), 0) AS ship_n,
             coalesce(sum(o.sign * (extract(epoch FROM o.finished - o.shipped) / 3600)) FILTER (WHERE o.delivered), 0) AS deliver_hours,
             coalesce(sum(o.sign) FILTER (WHERE o.delivered AND o.finished IS NOT NULL AND o.shipped IS NOT NULL), 0) AS deliver_n,
             coalesce(sum(o.sign) FILTER (WHERE o.delivered AND o.finished <= o.eta + interval '24 hours'), 0) AS on_time
      FROM (SELECT u.*, u.status = 'Delivered' AS delivered
            FROM unnest(o_sign, o_date, o_status, o_total, o_paid, o_shipped, o_finished, o_eta, o_express)
                 AS u (sign, order_date, status, total, paid, shipped, finished, eta, express)) o
      GROUP BY 1) d
    WHERE (d.orders, d.delivered, d.timed_out, d.cancelled, d.returned, d.delivered_total, d.paid, d.paid_express, d.pay_hours,
           d.pay_n, d.ship_hours, d.ship_n, d.deliver_hours, d.deliver_n, d.on_time)
          <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  END IF;

  IF cardinality(l_sign) > 0 THEN
    INSERT INTO sales_by_day_sku_pending (day, sku, orders, lines, quantity, revenue)
    SELECT s.day, s.sku, sum(s.sign), sum(s.sign * s.lines), sum(s.sign * s.quantity), sum(s.sign * s.revenue)
    FROM (SELECT l.sign, l.order_id, rollup_manila_day(l.order_date) AS day, l.sku,
                 count(*) AS lines, sum(l.quantity) AS quantity, sum(l.subtotal) AS revenue
          FROM unnest(l_sign, l_order, l_date, l_sku, l_quantity, l_subtotal) AS l (sign, order_id, order_date, sku, quantity, subtotal)
          GROUP BY l.sign, l.order_id, 3, l.sku) s
    GROUP BY s.day, s.sku
    HAVING (sum(s.sign), sum(s.sign * s.lines), sum(s.sign * s.quantity), sum(s.sign * s.revenue)) <> (0, 0, 0, 0);

    -- Pairs from each order's SKUs in order (the database's collation): position a before b.
    INSERT INTO item_pairs_by_month_pending (month, sku_a, sku_b, orders)
    SELECT array_agg(x.month), array_agg(x.sku_a), array_agg(x.sku_b), array_agg(x.orders)
    FROM (SELECT date_trunc('month', p.day::timestamp)::date AS month, p.skus[a] AS sku_a, p.skus[b] AS sku_b, sum(p.sign) AS orders
          FROM (SELECT l.sign, rollup_manila_day(l.order_date) AS day, array_agg(l.sku ORDER BY l.sku) AS skus
                FROM unnest(l_sign, l_order, l_date, l_sku) AS l (sign, order_id, order_date, sku)
                GROUP BY l.sign, l.order_id, l.order_date) p,
               generate_series(1, cardinality(p.skus)) a, generate_series(a + 1, cardinality(p.skus)) b
          WHERE p.skus[a] < p.skus[b]
          GROUP BY 1, 2, 3
          HAVING sum(p.sign) <> 0) x
    HAVING count(*) > 0;
  END IF;

  IF nextval('rollup_changes') % 64 = 0 THEN
    PERFORM rollup_fold();
  END IF;
END
$$;

-- Moves what is pending into the rollups: one statement deletes it and adds it up there (rows
-- appended meanwhile by others stay for the next fold), pricing the lines at today's unit_cost.
-- One folder at a time: a change due to fold while another one folds leaves it to the next.
CREATE OR REPLACE FUNCTION rollup_fold() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(734006) THEN
    RETURN;
  END IF;
  -- Before reading unit costs: a unit_cost changing meanwhile waits for this fold (see
  -- rollup_costs_changed), or this fold for it.
  LOCK TABLE orders_by_day IN ROW EXCLUSIVE MODE;
  WITH d AS (DELETE FROM orders_by_day_pending RETURNING *),
  s AS (DELETE FROM sales_by_day_sku_pending RETURNING *),
  pm AS (DELETE FROM item_pairs_by_month_pending RETURNING *),
  p AS (SELECT u.* FROM pm, unnest(pm.month, pm.sku_a, pm.sku_b, pm.orders) AS u (month, sku_a, sku_b, orders)),
  sales AS (
    INSERT INTO sales_by_month_sku AS t (month, sku, orders, quantity, revenue)
    SELECT date_trunc('month', s.day::timestamp)::date, s.sku, sum(s.orders), sum(s.quantity), sum(s.revenue) FROM s
    GROUP BY 1, 2
    HAVING (sum(s.orders), sum(s.quantity), sum(s.revenue)) <> (0, 0, 0)
    ORDER BY 1, 2
    ON CONFLICT (month, sku) DO UPDATE SET orders = t.orders + excluded.orders, quantity = t.quantity + excluded.quantity,
      revenue = t.revenue + excluded.revenue),
  pairs AS (
    INSERT INTO item_pairs_by_month AS t (month, sku_a, sku_b, orders)
    SELECT p.month, p.sku_a, p.sku_b, sum(p.orders) FROM p
    GROUP BY 1, 2, 3
    HAVING sum(p.orders) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (month, sku_a, sku_b) DO UPDATE SET orders = t.orders + excluded.orders)
  INSERT INTO orders_by_day AS t (day, orders, delivered, timed_out, cancelled, returned, delivered_total, paid, paid_express,
                                  pay_hours, pay_n, ship_hours, ship_n, deliver_hours, deliver_n, on_time, line_count, line_revenue, line_cost)
  SELECT c.day, sum(c.orders), sum(c.delivered), sum(c.timed_out), sum(c.cancelled), sum(c.returned), sum(c.delivered_total),
         sum(c.paid), sum(c.paid_express), sum(c.pay_hours), sum(c.pay_n), sum(c.ship_hours), sum(c.ship_n), sum(c.deliver_hours),
         sum(c.deliver_n), sum(c.on_time), sum(c.line_count), sum(c.line_revenue), sum(c.line_cost)
  FROM (SELECT d.*, 0::bigint AS line_count, 0::numeric AS line_revenue, 0::numeric AS line_cost FROM d
        UNION ALL
        SELECT s.day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s.lines, s.revenue, k.unit_cost * s.quantity
        FROM s JOIN sku_info k ON k.sku = s.sku) c
  GROUP BY 1
  ORDER BY 1
  ON CONFLICT (day) DO UPDATE SET
    orders = t.orders + excluded.orders, delivered = t.delivered + excluded.delivered,
    timed_out = t.timed_out + excluded.timed_out, cancelled = t.cancelled + excluded.cancelled,
    returned = t.returned + excluded.returned, delivered_total = t.delivered_total + excluded.delivered_total,
    paid = t.paid + excluded.paid, paid_express = t.paid_express + excluded.paid_express,
    pay_hours = t.pay_hours + excluded.pay_hours, pay_n = t.pay_n + excluded.pay_n,
    ship_hours = t.ship_hours + excluded.ship_hours, ship_n = t.ship_n + excluded.ship_n,
    deliver_hours = t.deliver_hours + excluded.deliver_hours, deliver_n = t.deliver_n + excluded.deliver_n,
    on_time = t.on_time + excluded.on_time, line_count = t.line_count + excluded.line_count,
    line_revenue = t.line_revenue + excluded.line_revenue, line_cost = t.line_cost + excluded.line_cost;
END
$$;

-- rollup_append() for whole order_info rows, each with its sign; with their lines in item_info
-- now when with_lines.
CREATE OR REPLACE FUNCTION rollup_append_orders(signs integer[], orders order_info[], with_lines boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  o_sign integer[]; o_date timestamptz[]; o_status text[]; o_total numeric[]; o_paid timestamptz[];
  o_shipped timestamptz[]; o_finished timestamptz[]; o_eta timestamptz[]; o_express boolean[]; o_customer text[];
  l_sign integer[] := '{}'; l_order text[]; l_date timestamptz[]; l_sku text[]; l_quantity integer[]; l_subtotal numeric[];
BEGIN
  SELECT array_agg(signs[o.ordinality]), array_agg(o.order_date), array_agg(o.order_status), array_agg(o.order_total),
         array_agg(o.payment_date), array_agg(o.shipped_date), array_agg(o.finished_date), array_agg(o.eta), array_agg(o.express_shipping),
         array_agg(o.customer_id)
  INTO o_sign, o_date, o_status, o_total, o_paid, o_shipped, o_finished, o_eta, o_express, o_customer
  FROM unnest(orders) WITH ORDINALITY AS o;
  IF with_lines THEN
    SELECT coalesce(array_agg(signs[o.ordinality]), '{}'), array_agg(i.order_id), array_agg(o.order_date), array_agg(i.sku),
           array_agg(i.quantity), array_agg(i.subtotal)
    INTO l_sign, l_order, l_date, l_sku, l_quantity, l_subtotal
    FROM unnest(orders) WITH ORDINALITY AS o JOIN item_info i ON i.order_id = o.order_id
    WHERE o.order_status = 'Delivered';
  END IF;
  PERFORM rollup_append(coalesce(o_sign, '{}'), o_date, o_status, o_total, o_paid, o_shipped, o_finished, o_eta, o_express, o_customer,
                        l_sign, l_order, l_date, l_sku, l_quantity, l_subtotal);
END
$$;

-- ---- the triggers -----------------------------------------------------------------------------

-- The triggers' plans are cached from their first run, maybe on an empty database: with sequential
-- scans off they look orders and lines up by key whatever the tables held then.
CREATE OR REPLACE FUNCTION rollup_order_info_changed() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  signs integer[];
  changed order_info[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Row by row, before the row goes, while its lines are still there: the cascade then deletes
    -- them, and item_info's trigger finds no order to take them from.
    PERFORM rollup_append_orders(ARRAY[-1], ARRAY[OLD], true);
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' THEN
    -- A new order has no lines yet (they reference it): item_info's trigger counts them.
    PERFORM rollup_append(o_sign, o_date, o_status, o_total, o_paid, o_shipped, o_finished, o_eta, o_express, o_customer,
                          '{}', '{}', '{}', '{}', '{}', '{}')
    FROM (SELECT array_agg(1) AS o_sign, array_agg(n.order_date) AS o_date, array_agg(n.order_status) AS o_status,
                 array_agg(n.order_total) AS o_total, array_agg(n.payment_date) AS o_paid, array_agg(n.shipped_date) AS o_shipped,
                 array_agg(n.finished_date) AS o_finished, array_agg(n.eta) AS o_eta, array_agg(n.express_shipping) AS o_express,
                 array_agg(n.customer_id) AS o_customer
          FROM new_rows n) a
    WHERE a.o_sign IS NOT NULL;
  ELSE
    -- As they were (−1) and as they are (+1), with their lines (unchanged by this statement).
    SELECT array_agg(c.sign), array_agg(c.o) INTO signs, changed
    FROM (SELECT -1 AS sign, o FROM old_rows o UNION ALL SELECT 1, n FROM new_rows n) c;
    IF changed IS NOT NULL THEN
      PERFORM rollup_append_orders(signs, changed, true);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION rollup_item_info_changed() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  written item_info[] := '{}';
  removed item_info[] := '{}';
  l_sign integer[]; l_order text[]; l_date timestamptz[]; l_sku text[]; l_quantity integer[]; l_subtotal numeric[];
BEGIN
  -- The usual write: the lines of orders that had none (as many lines now as written). Orders are
  -- looked up one by one by key alone (a subquery per order, no other condition: a plan cached
  -- while the tables were small must not pick another index, or read them whole).
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (
        SELECT 1 FROM (SELECT n.order_id, count(*) AS lines FROM new_rows n GROUP BY n.order_id) w
        WHERE (SELECT count(*) FROM item_info i WHERE i.order_id = w.order_id) <> w.lines) THEN
      WITH found AS MATERIALIZED (
        SELECT w.order_id, (SELECT o FROM order_info o WHERE o.order_id = w.order_id) AS o
        FROM (SELECT DISTINCT n.order_id FROM new_rows n) w),
      delivered AS (SELECT f.order_id, (f.o).order_date AS order_date FROM found f WHERE (f.o).order_status = 'Delivered')
      SELECT array_agg(1), array_agg(n.order_id), array_agg(d.order_date), array_agg(n.sku), array_agg(n.quantity), array_agg(n.subtotal)
      INTO l_sign, l_order, l_date, l_sku, l_quantity, l_subtotal
      FROM new_rows n JOIN delivered d ON d.order_id = n.order_id;
      IF l_sign IS NOT NULL THEN
        PERFORM rollup_append('{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', l_sign, l_order, l_date, l_sku, l_quantity, l_subtotal);
      END IF;
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT coalesce(array_agg(n), '{}') INTO written FROM new_rows n;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT coalesce(array_agg(o), '{}') INTO removed FROM old_rows o;
  END IF;
  IF cardinality(written) + cardinality(removed) = 0 THEN
    RETURN NULL;
  END IF;
  -- Each Delivered order touched (its row unchanged by this statement) leaves as it was: its lines
  -- now but those this statement wrote, plus the rows it replaced or deleted (−1); and comes back
  -- as it is: its lines now (+1).
  WITH found AS MATERIALIZED (
    SELECT x.order_id, (SELECT o FROM order_info o WHERE o.order_id = x.order_id) AS o
    FROM (SELECT w.order_id FROM unnest(written) w UNION SELECT r.order_id FROM unnest(removed) r) x),
  touched AS (SELECT f.order_id, (f.o).order_date AS order_date FROM found f WHERE (f.o).order_status = 'Delivered'),
  lines AS (
    SELECT 'order' AS kind, t.order_id, NULL::integer AS line_no, NULL AS sku, NULL::integer AS quantity, NULL::numeric AS subtotal,
           t.order_date
    FROM touched t
    UNION ALL
    SELECT 'now', i.order_id, i.line_no, i.sku, i.quantity, i.subtotal, t.order_date
    FROM touched t JOIN item_info i ON i.order_id = t.order_id
    UNION ALL
    SELECT 'written', w.order_id, w.line_no, NULL, NULL, NULL, NULL FROM unnest(written) w
    UNION ALL
    SELECT 'before', r.order_id, r.line_no, r.sku, r.quantity, r.subtotal, NULL FROM unnest(removed) r),
  marked AS (
    SELECT l.*, bool_or(l.kind = 'written') OVER (PARTITION BY l.order_id, l.line_no) AS rewritten,
           max(l.order_date) OVER (PARTITION BY l.order_id) AS state_date
    FROM lines l),
  signed AS (
    SELECT 1 AS sign, m.* FROM marked m WHERE m.kind = 'now'
    UNION ALL
    SELECT -1, m.* FROM marked m WHERE m.kind = 'now' AND NOT m.rewritten
    UNION ALL
    SELECT -1, m.* FROM marked m WHERE m.kind = 'before' AND m.state_date IS NOT NULL)
  SELECT coalesce(array_agg(s.sign), '{}'), array_agg(s.order_id), array_agg(s.state_date), array_agg(s.sku),
         array_agg(s.quantity), array_agg(s.subtotal)
  INTO l_sign, l_order, l_date, l_sku, l_quantity, l_subtotal
  FROM signed s;
  PERFORM rollup_append('{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', l_sign, l_order, l_date, l_sku, l_quantity, l_subtotal);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION rollup_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'order_info' THEN
    TRUNCATE orders_by_day, orders_by_day_pending, customer_totals;
  ELSE
    -- Without lines, the days keep their orders but no line revenue or cost.
    UPDATE orders_by_day SET line_count = 0, line_revenue = 0, line_cost = 0 WHERE (line_count, line_revenue, line_cost) <> (0, 0, 0);
  END IF;
  TRUNCATE sales_by_month_sku, sales_by_day_sku_pending, item_pairs_by_month, item_pairs_by_month_pending;
  RETURN NULL;
END
$$;

-- A new unit cost re-prices the lines counted so far. Writers wait meanwhile (their appends lock
-- the pending tables); what is pending is folded first, so orders_by_day holds every committed
-- line; then each day's line cost is worked out again from item_info (rare: a catalogue change).
CREATE OR REPLACE FUNCTION rollup_costs_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.sku = o.sku WHERE n.unit_cost IS DISTINCT FROM o.unit_cost) THEN
    RETURN NULL;
  END IF;
  LOCK TABLE orders_by_day_pending, sales_by_day_sku_pending, item_pairs_by_month_pending IN SHARE ROW EXCLUSIVE MODE;
  PERFORM pg_advisory_xact_lock(734006);
  PERFORM rollup_fold();
  UPDATE orders_by_day d SET line_cost = c.cost
  FROM (SELECT rollup_manila_day(o.order_date) AS day, sum(k.unit_cost * i.quantity) AS cost
        FROM order_info o JOIN item_info i ON i.order_id = o.order_id JOIN sku_info k ON k.sku = i.sku
        WHERE o.order_status = 'Delivered'
        GROUP BY 1) c
  WHERE c.day = d.day AND d.line_cost <> c.cost;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS rollup_orders_inserted ON order_info;
DROP TRIGGER IF EXISTS rollup_orders_updated ON order_info;
DROP TRIGGER IF EXISTS rollup_orders_deleting ON order_info;
DROP TRIGGER IF EXISTS rollup_orders_truncated ON order_info;
DROP TRIGGER IF EXISTS rollup_items_inserted ON item_info;
DROP TRIGGER IF EXISTS rollup_items_updated ON item_info;
DROP TRIGGER IF EXISTS rollup_items_deleted ON item_info;
DROP TRIGGER IF EXISTS rollup_items_truncated ON item_info;
DROP TRIGGER IF EXISTS rollup_costs_changed ON sku_info;

CREATE TRIGGER rollup_orders_inserted AFTER INSERT ON order_info REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_order_info_changed();
CREATE TRIGGER rollup_orders_updated AFTER UPDATE ON order_info REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_order_info_changed();
CREATE TRIGGER rollup_orders_deleting BEFORE DELETE ON order_info
  FOR EACH ROW EXECUTE FUNCTION rollup_order_info_changed();
CREATE TRIGGER rollup_orders_truncated AFTER TRUNCATE ON order_info
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_truncated();
CREATE TRIGGER rollup_items_inserted AFTER INSERT ON item_info REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_item_info_changed();
CREATE TRIGGER rollup_items_updated AFTER UPDATE ON item_info REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_item_info_changed();
CREATE TRIGGER rollup_items_deleted AFTER DELETE ON item_info REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_item_info_changed();
CREATE TRIGGER rollup_items_truncated AFTER TRUNCATE ON item_info
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_truncated();
CREATE TRIGGER rollup_costs_changed AFTER UPDATE ON sku_info REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_costs_changed();

-- ---- from scratch -----------------------------------------------------------------------------

-- Recomputes every rollup from order_info and item_info (writers wait meanwhile), 5,000 orders at
-- a time through rollup_append(), then folds.
CREATE OR REPLACE FUNCTION rollup_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  after_id text;
  ids text[];
BEGIN
  LOCK TABLE order_info, item_info IN SHARE MODE;
  TRUNCATE orders_by_day, orders_by_day_pending, customer_totals, sales_by_month_sku, sales_by_day_sku_pending, item_pairs_by_month, item_pairs_by_month_pending;
  LOOP
    SELECT array_agg(p.order_id ORDER BY p.order_id) INTO ids
    FROM (SELECT o.order_id FROM order_info o WHERE after_id IS NULL OR o.order_id > after_id ORDER BY o.order_id LIMIT 5000) p;
    EXIT WHEN ids IS NULL;
    PERFORM rollup_append_orders(array_fill(1, ARRAY[cardinality(ids)]), ARRAY(SELECT o FROM order_info o WHERE o.order_id = ANY (ids)), true);
    after_id := ids[cardinality(ids)];
  END LOOP;
  PERFORM rollup_fold();
END
$$;

SELECT rollup_rebuild();

-- ---- what the dashboard reads -----------------------------------------------------------------

-- The rollups with what is pending, row by row (several rows per key: a reader adds them up per
-- day, SKU, month or pair, and keeps the keys whose count is above 0). Pending lines are priced
-- at today's unit_cost.
CREATE OR REPLACE VIEW rollup_days AS
SELECT day, orders, delivered, timed_out, cancelled, returned, delivered_total, paid, paid_express, pay_hours, pay_n,
       ship_hours, ship_n, deliver_hours, deliver_n, on_time, line_count, line_revenue, line_cost
FROM orders_by_day
UNION ALL
SELECT day, orders, delivered, timed_out, cancelled, returned, delivered_total, paid, paid_express, pay_hours, pay_n,
       ship_hours, ship_n, deliver_hours, deliver_n, on_time, 0, 0, 0
FROM orders_by_day_pending
UNION ALL
SELECT s.day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s.lines, s.revenue, k.unit_cost * s.quantity
FROM sales_by_day_sku_pending s JOIN sku_info k ON k.sku = s.sku;

CREATE OR REPLACE VIEW rollup_sales AS
SELECT month, sku, orders, quantity, revenue FROM sales_by_month_sku
UNION ALL
SELECT date_trunc('month', day::timestamp)::date, sku, orders, quantity, revenue FROM sales_by_day_sku_pending;

CREATE OR REPLACE VIEW rollup_pairs AS
SELECT month, sku_a, sku_b, orders FROM item_pairs_by_month
UNION ALL
SELECT u.month, u.sku_a, u.sku_b, u.orders
FROM item_pairs_by_month_pending p, unnest(p.month, p.sku_a, p.sku_b, p.orders) AS u (month, sku_a, sku_b, orders);

-- ---- who may use them -------------------------------------------------------------------------

-- The triggers run as the writer: the bridge's role appends changes and folds them (which deletes
-- pending rows). The reader reads everything (004's default privileges do that when the owner
-- migrates; said here too).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_bridge') THEN
    GRANT SELECT, INSERT, UPDATE ON orders_by_day, customer_totals, sales_by_month_sku, item_pairs_by_month TO order_bridge;
    GRANT SELECT, INSERT, DELETE ON orders_by_day_pending, sales_by_day_sku_pending, item_pairs_by_month_pending TO order_bridge;
    GRANT USAGE ON SEQUENCE rollup_changes TO order_bridge;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_reader') THEN
    GRANT SELECT ON orders_by_day, customer_totals, sales_by_month_sku, item_pairs_by_month, orders_by_day_pending, sales_by_day_sku_pending,
      item_pairs_by_month_pending, rollup_days, rollup_sales, rollup_pairs TO order_reader;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'rollup grants for order_bridge/order_reader not given: %', SQLERRM;
END
$$;
