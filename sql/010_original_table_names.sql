-- The original's table names mean what they meant there (issue 19). The original's order_info and
-- item_info held only orders that reached finished_orders (Delivered); ours held failed ones too,
-- so analysis SQL written for the original counted timed-out, cancelled and returned orders
-- without saying so. Now:
--   order_record, item_record   the tables the bridge writes: every terminal order and its lines
--                               (renamed from order_info and item_info; data, keys, indexes,
--                               grants, triggers and the views of 002, 006 and 009 go with them,
--                               since views and triggers are bound to the table, not its name)
--   order_info, item_info       views: Delivered orders only, and their lines, as in the original
--   failed_order_info,          views: the failed ones (Timed Out, Cancelled, Returned), and
--   failed_item_info            their lines
--   sku_info                    stays the catalogue table; price and cost, the original's column
--                               names, are generated from unit_price and unit_cost
--   customer_info               unchanged: every customer of a terminal order (joined to
--                               order_info it gives the customers of delivered orders)
-- item_info.item_id, the original's id of a line, is <order_id>-<line_no>: unique per line, stable.
--
-- 006's functions name the tables in their bodies (plpgsql resolves names when it runs), so they
-- are replaced below with the same bodies on order_record and item_record; without that, the
-- rollups would read the new delivered-only views.

ALTER TABLE order_info RENAME TO order_record;
ALTER TABLE item_info RENAME TO item_record;

ALTER TABLE sku_info
  ADD COLUMN price numeric(12,2) GENERATED ALWAYS AS (unit_price) STORED,
  ADD COLUMN cost numeric(12,2) GENERATED ALWAYS AS (unit_cost) STORED;

CREATE VIEW order_info AS
SELECT order_id, order_date, customer_id, order_status, payment_status, payment_method, payment_date, shipping_id,
       express_shipping, shipped_date, eta, finished_date, item_variety, order_total, lgu, provincial_code, event_id
FROM order_record WHERE order_status = 'Delivered';

CREATE VIEW failed_order_info AS
SELECT order_id, order_date, customer_id, order_status, payment_status, payment_method, payment_date, shipping_id,
       express_shipping, shipped_date, eta, finished_date, item_variety, order_total, lgu, provincial_code, event_id
FROM order_record WHERE order_status <> 'Delivered';

-- The lines' own columns (and item_id); the order is only looked up, by its key, for its status.
CREATE VIEW item_info AS
SELECT i.order_id || '-' || i.line_no AS item_id, i.order_id, i.line_no, i.sku, i.unit_price, i.quantity, i.discount_percent, i.subtotal
FROM item_record i
WHERE EXISTS (SELECT 1 FROM order_record o WHERE o.order_id = i.order_id AND o.order_status = 'Delivered');

CREATE VIEW failed_item_info AS
SELECT i.order_id || '-' || i.line_no AS item_id, i.order_id, i.line_no, i.sku, i.unit_price, i.quantity, i.discount_percent, i.subtotal
FROM item_record i
WHERE EXISTS (SELECT 1 FROM order_record o WHERE o.order_id = i.order_id AND o.order_status <> 'Delivered');

-- ---- 006's functions on the renamed tables (bodies unchanged but for the names) ----------------

-- rollup_append() for whole order_record rows, each with its sign; with their lines in item_record
-- now when with_lines.
CREATE OR REPLACE FUNCTION rollup_append_orders(signs integer[], orders order_record[], with_lines boolean) RETURNS void
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
    FROM unnest(orders) WITH ORDINALITY AS o JOIN item_record i ON i.order_id = o.order_id
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
  changed order_record[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Row by row, before the row goes, while its lines are still there: the cascade then deletes
    -- them, and item_record's trigger finds no order to take them from.
    PERFORM rollup_append_orders(ARRAY[-1], ARRAY[OLD], true);
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' THEN
    -- A new order has no lines yet (they reference it): item_record's trigger counts them.
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
  written item_record[] := '{}';
  removed item_record[] := '{}';
  l_sign integer[]; l_order text[]; l_date timestamptz[]; l_sku text[]; l_quantity integer[]; l_subtotal numeric[];
BEGIN
  -- The usual write: the lines of orders that had none (as many lines now as written). Orders are
  -- looked up one by one by key alone (a subquery per order, no other condition: a plan cached
  -- while the tables were small must not pick another index, or read them whole).
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (
        SELECT 1 FROM (SELECT n.order_id, count(*) AS lines FROM new_rows n GROUP BY n.order_id) w
        WHERE (SELECT count(*) FROM item_record i WHERE i.order_id = w.order_id) <> w.lines) THEN
      WITH found AS MATERIALIZED (
        SELECT w.order_id, (SELECT o FROM order_record o WHERE o.order_id = w.order_id) AS o
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
    SELECT x.order_id, (SELECT o FROM order_record o WHERE o.order_id = x.order_id) AS o
    FROM (SELECT w.order_id FROM unnest(written) w UNION SELECT r.order_id FROM unnest(removed) r) x),
  touched AS (SELECT f.order_id, (f.o).order_date AS order_date FROM found f WHERE (f.o).order_status = 'Delivered'),
  lines AS (
    SELECT 'order' AS kind, t.order_id, NULL::integer AS line_no, NULL AS sku, NULL::integer AS quantity, NULL::numeric AS subtotal,
           t.order_date
    FROM touched t
    UNION ALL
    SELECT 'now', i.order_id, i.line_no, i.sku, i.quantity, i.subtotal, t.order_date
    FROM touched t JOIN item_record i ON i.order_id = t.order_id
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
  IF TG_TABLE_NAME = 'order_record' THEN
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
-- line; then each day's line cost is worked out again from item_record (rare: a catalogue change).
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
        FROM order_record o JOIN item_record i ON i.order_id = o.order_id JOIN sku_info k ON k.sku = i.sku
        WHERE o.order_status = 'Delivered'
        GROUP BY 1) c
  WHERE c.day = d.day AND d.line_cost <> c.cost;
  RETURN NULL;
END
$$;
-- Recomputes every rollup from order_record and item_record (writers wait meanwhile), 5,000 orders at
-- a time through rollup_append(), then folds.
CREATE OR REPLACE FUNCTION rollup_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  after_id text;
  ids text[];
BEGIN
  LOCK TABLE order_record, item_record IN SHARE MODE;
  TRUNCATE orders_by_day, orders_by_day_pending, customer_totals, sales_by_month_sku, sales_by_day_sku_pending, item_pairs_by_month, item_pairs_by_month_pending;
  LOOP
    SELECT array_agg(p.order_id ORDER BY p.order_id) INTO ids
    FROM (SELECT o.order_id FROM order_record o WHERE after_id IS NULL OR o.order_id > after_id ORDER BY o.order_id LIMIT 5000) p;
    EXIT WHEN ids IS NULL;
    PERFORM rollup_append_orders(array_fill(1, ARRAY[cardinality(ids)]), ARRAY(SELECT o FROM order_record o WHERE o.order_id = ANY (ids)), true);
    after_id := ids[cardinality(ids)];
  END LOOP;
  PERFORM rollup_fold();
END
$$;

-- ---- who may use them -------------------------------------------------------------------------

-- The reader reads the new views (004's default privileges do it when the owner migrates; said
-- here too). The bridge's grants went with the renamed tables.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_reader') THEN
    GRANT SELECT ON order_info, item_info, failed_order_info, failed_item_info TO order_reader;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'SELECT on the original-named views not granted to order_reader: %', SQLERRM;
END
$$;
