-- The order, customer and item rows of terminal orders, split as the original pipeline did before its
-- JDBC sink. Items come one row per line (EXPLODE), with the line number carried in the message.

CREATE STREAM IF NOT EXISTS finished_order_rows WITH (KAFKA_TOPIC = 'ksql_finished_order_rows', VALUE_FORMAT = 'JSON') AS
  SELECT order_key, order_id, order_date, customer_info->customer_id AS customer_id,
         shipping_info->order_status AS order_status, payment_info->payment_status AS payment_status,
         payment_info->payment_method AS payment_method, payment_info->payment_date AS payment_date,
         shipping_info->shipping_id AS shipping_id, shipping_info->express_shipping AS express_shipping,
         shipping_info->shipped_date AS shipped_date, shipping_info->eta AS eta,
         shipping_info->finished_date AS finished_date, item_variety, order_total,
         customer_info->provincial_code AS provincial_code
  FROM finished_orders_stream EMIT CHANGES;

CREATE STREAM IF NOT EXISTS finished_customer_rows WITH (KAFKA_TOPIC = 'ksql_finished_customer_rows', VALUE_FORMAT = 'JSON') AS
  SELECT order_key, customer_info->customer_id AS customer_id, customer_info->customer_name AS customer_name,
         customer_info->company AS company, customer_info->email AS email,
         customer_info->street_address AS street_address, customer_info->lgu AS lgu,
         customer_info->provincial_code AS provincial_code, customer_info->contact_number AS contact_number
  FROM finished_orders_stream EMIT CHANGES;

CREATE STREAM IF NOT EXISTS finished_item_rows WITH (KAFKA_TOPIC = 'ksql_finished_item_rows', VALUE_FORMAT = 'JSON') AS
  SELECT order_key, order_id, EXPLODE(item_info) AS line
  FROM finished_orders_stream EMIT CHANGES;

CREATE STREAM IF NOT EXISTS failed_order_rows WITH (KAFKA_TOPIC = 'ksql_failed_order_rows', VALUE_FORMAT = 'JSON') AS
  SELECT order_key, order_id, order_date, customer_info->customer_id AS customer_id,
         shipping_info->order_status AS order_status, payment_info->payment_status AS payment_status,
         payment_info->payment_method AS payment_method, payment_info->payment_date AS payment_date,
         shipping_info->shipping_id AS shipping_id, shipping_info->express_shipping AS express_shipping,
         shipping_info->shipped_date AS shipped_date, shipping_info->eta AS eta,
         shipping_info->finished_date AS finished_date, item_variety, order_total,
         customer_info->provincial_code AS provincial_code
  FROM failed_orders_stream EMIT CHANGES;

CREATE STREAM IF NOT EXISTS failed_customer_rows WITH (KAFKA_TOPIC = 'ksql_failed_customer_rows', VALUE_FORMAT = 'JSON') AS
  SELECT order_key, customer_info->customer_id AS customer_id, customer_info->customer_name AS customer_name,
         customer_info->company AS company, customer_info->email AS email,
         customer_info->street_address AS street_address, customer_info->lgu AS lgu,
         customer_info->provincial_code AS provincial_code, customer_info->contact_number AS contact_number
  FROM failed_orders_stream EMIT CHANGES;

CREATE STREAM IF NOT EXISTS failed_item_rows WITH (KAFKA_TOPIC = 'ksql_failed_item_rows', VALUE_FORMAT = 'JSON') AS
  SELECT order_key, order_id, EXPLODE(item_info) AS line
  FROM failed_orders_stream EMIT CHANGES;
