-- Tables of the order pipeline, as in the original (docs/order-document.md): one row per finished or
-- failed order, the customers (latest details), the order lines, and the SKU catalogue (seeded by
-- the migration runner from src/domain/catalogue.ts, the one source of truth).
-- Money is numeric(12,2), moments are timestamptz. Natural keys make every write an idempotent upsert.

CREATE TABLE IF NOT EXISTS sku_info (
  sku         text PRIMARY KEY,
  name        text NOT NULL,
  category    text NOT NULL,
  unit_price  numeric(12,2) NOT NULL CHECK (unit_price > 0),
  unit_cost   numeric(12,2) NOT NULL CHECK (unit_cost > 0 AND unit_cost < unit_price)
);

CREATE TABLE IF NOT EXISTS customer_info (
  customer_id     text PRIMARY KEY,
  customer_name   text NOT NULL,
  company         text NOT NULL,
  email           text NOT NULL,
  street_address  text NOT NULL,
  lgu             text NOT NULL,
  provincial_code text NOT NULL,
  contact_number  text NOT NULL,
  -- Order date of the order these details came from: an older order read later never overwrites newer details.
  details_as_of   timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS order_info (
  order_id         text PRIMARY KEY,
  order_date       timestamptz NOT NULL,
  customer_id      text NOT NULL REFERENCES customer_info (customer_id),
  order_status     text NOT NULL CHECK (order_status IN ('Delivered', 'Timed Out', 'Cancelled', 'Returned')),
  payment_status   text NOT NULL,
  payment_method   text,
  payment_date     timestamptz,
  shipping_id      text,
  express_shipping boolean NOT NULL,
  shipped_date     timestamptz,
  eta              timestamptz,
  finished_date    timestamptz,
  item_variety     integer NOT NULL,
  order_total      numeric(12,2) NOT NULL,
  lgu              text NOT NULL,
  provincial_code  text NOT NULL,
  -- Where the row came from: <workflowId>:<stage> of the terminal message.
  event_id         text NOT NULL
);

CREATE TABLE IF NOT EXISTS item_info (
  order_id         text NOT NULL REFERENCES order_info (order_id) ON DELETE CASCADE,
  line_no          integer NOT NULL,
  sku              text NOT NULL REFERENCES sku_info (sku),
  unit_price       numeric(12,2) NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  discount_percent numeric(5,2) NOT NULL,
  subtotal         numeric(12,2) NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

-- Messages the bridge could not accept, kept for people as well as on the dead-letter topic.
CREATE TABLE IF NOT EXISTS dead_letters (
  source_topic     text NOT NULL,
  source_partition integer NOT NULL,
  source_offset    bigint NOT NULL,
  reason           text NOT NULL,
  message_key      text,
  payload_excerpt  text,
  PRIMARY KEY (source_topic, source_partition, source_offset)
);

-- Dashboard access paths: by date (every chart has a date range), by customer, by status, by SKU.
CREATE INDEX IF NOT EXISTS order_info_order_date_idx ON order_info (order_date);
CREATE INDEX IF NOT EXISTS order_info_customer_idx ON order_info (customer_id, order_date);
CREATE INDEX IF NOT EXISTS order_info_status_idx ON order_info (order_status, order_date);
CREATE INDEX IF NOT EXISTS order_info_province_idx ON order_info (provincial_code);
CREATE INDEX IF NOT EXISTS item_info_sku_idx ON item_info (sku);
CREATE INDEX IF NOT EXISTS customer_info_name_idx ON customer_info (lower(customer_name));
