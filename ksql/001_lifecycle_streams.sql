-- Streams over the five lifecycle topics. Values are the order document (JSON), keys the order id.
-- Every statement is IF NOT EXISTS: the bridge applies this folder on every start.

CREATE STREAM IF NOT EXISTS unpaid_orders_stream (
  order_key STRING KEY,
  order_id STRING,
  order_date STRING,
  customer_info STRUCT<customer_id STRING, customer_name STRING, company STRING, email STRING, street_address STRING, lgu STRING, provincial_code STRING, contact_number STRING>,
  payment_info STRUCT<payment_status STRING, payment_method STRING, payment_date STRING>,
  shipping_info STRUCT<shipping_id STRING, express_shipping BOOLEAN, order_status STRING, shipped_date STRING, eta STRING, finished_date STRING>,
  item_info ARRAY<STRUCT<line_no INT, sku STRING, unit_price DOUBLE, quantity INT, discount_percent DOUBLE, subtotal DOUBLE>>,
  item_variety INT,
  order_total DOUBLE
) WITH (KAFKA_TOPIC = 'unpaid_orders', VALUE_FORMAT = 'JSON');

CREATE STREAM IF NOT EXISTS paid_orders_stream (
  order_key STRING KEY,
  order_id STRING,
  order_date STRING,
  customer_info STRUCT<customer_id STRING, customer_name STRING, company STRING, email STRING, street_address STRING, lgu STRING, provincial_code STRING, contact_number STRING>,
  payment_info STRUCT<payment_status STRING, payment_method STRING, payment_date STRING>,
  shipping_info STRUCT<shipping_id STRING, express_shipping BOOLEAN, order_status STRING, shipped_date STRING, eta STRING, finished_date STRING>,
  item_info ARRAY<STRUCT<line_no INT, sku STRING, unit_price DOUBLE, quantity INT, discount_percent DOUBLE, subtotal DOUBLE>>,
  item_variety INT,
  order_total DOUBLE
) WITH (KAFKA_TOPIC = 'paid_orders', VALUE_FORMAT = 'JSON');

CREATE STREAM IF NOT EXISTS shipped_orders_stream (
  order_key STRING KEY,
  order_id STRING,
  order_date STRING,
  customer_info STRUCT<customer_id STRING, customer_name STRING, company STRING, email STRING, street_address STRING, lgu STRING, provincial_code STRING, contact_number STRING>,
  payment_info STRUCT<payment_status STRING, payment_method STRING, payment_date STRING>,
  shipping_info STRUCT<shipping_id STRING, express_shipping BOOLEAN, order_status STRING, shipped_date STRING, eta STRING, finished_date STRING>,
  item_info ARRAY<STRUCT<line_no INT, sku STRING, unit_price DOUBLE, quantity INT, discount_percent DOUBLE, subtotal DOUBLE>>,
  item_variety INT,
  order_total DOUBLE
) WITH (KAFKA_TOPIC = 'shipped_orders', VALUE_FORMAT = 'JSON');

CREATE STREAM IF NOT EXISTS finished_orders_stream (
  order_key STRING KEY,
  order_id STRING,
  order_date STRING,
  customer_info STRUCT<customer_id STRING, customer_name STRING, company STRING, email STRING, street_address STRING, lgu STRING, provincial_code STRING, contact_number STRING>,
  payment_info STRUCT<payment_status STRING, payment_method STRING, payment_date STRING>,
  shipping_info STRUCT<shipping_id STRING, express_shipping BOOLEAN, order_status STRING, shipped_date STRING, eta STRING, finished_date STRING>,
  item_info ARRAY<STRUCT<line_no INT, sku STRING, unit_price DOUBLE, quantity INT, discount_percent DOUBLE, subtotal DOUBLE>>,
  item_variety INT,
  order_total DOUBLE
) WITH (KAFKA_TOPIC = 'finished_orders', VALUE_FORMAT = 'JSON');

CREATE STREAM IF NOT EXISTS failed_orders_stream (
  order_key STRING KEY,
  order_id STRING,
  order_date STRING,
  customer_info STRUCT<customer_id STRING, customer_name STRING, company STRING, email STRING, street_address STRING, lgu STRING, provincial_code STRING, contact_number STRING>,
  payment_info STRUCT<payment_status STRING, payment_method STRING, payment_date STRING>,
  shipping_info STRUCT<shipping_id STRING, express_shipping BOOLEAN, order_status STRING, shipped_date STRING, eta STRING, finished_date STRING>,
  item_info ARRAY<STRUCT<line_no INT, sku STRING, unit_price DOUBLE, quantity INT, discount_percent DOUBLE, subtotal DOUBLE>>,
  item_variety INT,
  order_total DOUBLE
) WITH (KAFKA_TOPIC = 'failed_orders', VALUE_FORMAT = 'JSON');
