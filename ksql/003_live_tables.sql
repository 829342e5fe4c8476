-- Live tables for streaming analytics in the compose stack.

-- Delivered revenue per hour (tumbling windows), keyed by status so the grouping is a real column.
CREATE TABLE IF NOT EXISTS revenue_per_hour WITH (KAFKA_TOPIC = 'ksql_revenue_per_hour', VALUE_FORMAT = 'JSON') AS
  SELECT shipping_info->order_status AS order_status, COUNT(*) AS orders, SUM(order_total) AS revenue
  FROM finished_orders_stream WINDOW TUMBLING (SIZE 1 HOUR)
  GROUP BY shipping_info->order_status EMIT CHANGES;

-- Orders that reached each stage, by the status they had there.
CREATE TABLE IF NOT EXISTS placed_orders_per_status WITH (KAFKA_TOPIC = 'ksql_placed_orders_per_status', VALUE_FORMAT = 'JSON') AS
  SELECT shipping_info->order_status AS order_status, COUNT(*) AS orders
  FROM unpaid_orders_stream GROUP BY shipping_info->order_status EMIT CHANGES;

CREATE TABLE IF NOT EXISTS shipped_orders_per_status WITH (KAFKA_TOPIC = 'ksql_shipped_orders_per_status', VALUE_FORMAT = 'JSON') AS
  SELECT shipping_info->order_status AS order_status, COUNT(*) AS orders
  FROM shipped_orders_stream GROUP BY shipping_info->order_status EMIT CHANGES;

-- Failures per reason: Timed Out, Cancelled, Returned.
CREATE TABLE IF NOT EXISTS failures_per_reason WITH (KAFKA_TOPIC = 'ksql_failures_per_reason', VALUE_FORMAT = 'JSON') AS
  SELECT shipping_info->order_status AS reason, COUNT(*) AS orders, SUM(order_total) AS lost_value
  FROM failed_orders_stream GROUP BY shipping_info->order_status EMIT CHANGES;
