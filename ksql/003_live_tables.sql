-- Live tables for streaming analytics in the compose stack.
--
-- Each order event is counted once, however often it was delivered. Delivery between steps is at
-- least once: a retried activity sends the same message again, with the same event id (header
-- event-id, `order-<id>:<stage>`). So the counts are not taken over the topics' streams, where a
-- resent message is a second row, but over one table per topic keyed by the event id: a resent
-- message updates its event's row to the same values, and ksqlDB's aggregation over a table
-- retracts a row's old values before adding the new ones, so the totals do not move.
-- (test/unit/ksql.test.ts holds these statements to that rule and replays a duplicated message
-- through it.)

CREATE STREAM IF NOT EXISTS unpaid_events_stream (
  order_key STRING KEY,
  event_id BYTES HEADER('event-id'),
  shipping_info STRUCT<order_status STRING>
) WITH (KAFKA_TOPIC = 'unpaid_orders', VALUE_FORMAT = 'JSON');

CREATE STREAM IF NOT EXISTS shipped_events_stream (
  order_key STRING KEY,
  event_id BYTES HEADER('event-id'),
  shipping_info STRUCT<order_status STRING>
) WITH (KAFKA_TOPIC = 'shipped_orders', VALUE_FORMAT = 'JSON');

CREATE STREAM IF NOT EXISTS finished_events_stream (
  order_key STRING KEY,
  event_id BYTES HEADER('event-id'),
  shipping_info STRUCT<order_status STRING, finished_date STRING>,
  order_total DOUBLE
) WITH (KAFKA_TOPIC = 'finished_orders', VALUE_FORMAT = 'JSON');

CREATE STREAM IF NOT EXISTS failed_events_stream (
  order_key STRING KEY,
  event_id BYTES HEADER('event-id'),
  shipping_info STRUCT<order_status STRING, finished_date STRING>,
  order_total DOUBLE
) WITH (KAFKA_TOPIC = 'failed_orders', VALUE_FORMAT = 'JSON');

-- One row per event (the event id is the key).
CREATE TABLE IF NOT EXISTS unpaid_events WITH (KAFKA_TOPIC = 'ksql_unpaid_events', VALUE_FORMAT = 'JSON') AS
  SELECT FROM_BYTES(event_id, 'utf8') AS event_id,
         LATEST_BY_OFFSET(shipping_info->order_status) AS order_status
  FROM unpaid_events_stream GROUP BY FROM_BYTES(event_id, 'utf8') EMIT CHANGES;

CREATE TABLE IF NOT EXISTS shipped_events WITH (KAFKA_TOPIC = 'ksql_shipped_events', VALUE_FORMAT = 'JSON') AS
  SELECT FROM_BYTES(event_id, 'utf8') AS event_id,
         LATEST_BY_OFFSET(shipping_info->order_status) AS order_status
  FROM shipped_events_stream GROUP BY FROM_BYTES(event_id, 'utf8') EMIT CHANGES;

CREATE TABLE IF NOT EXISTS finished_events WITH (KAFKA_TOPIC = 'ksql_finished_events', VALUE_FORMAT = 'JSON') AS
  SELECT FROM_BYTES(event_id, 'utf8') AS event_id,
         LATEST_BY_OFFSET(shipping_info->order_status) AS order_status,
         LATEST_BY_OFFSET(SUBSTRING(shipping_info->finished_date, 1, 13)) AS finished_hour,
         LATEST_BY_OFFSET(order_total) AS order_total
  FROM finished_events_stream GROUP BY FROM_BYTES(event_id, 'utf8') EMIT CHANGES;

CREATE TABLE IF NOT EXISTS failed_events WITH (KAFKA_TOPIC = 'ksql_failed_events', VALUE_FORMAT = 'JSON') AS
  SELECT FROM_BYTES(event_id, 'utf8') AS event_id,
         LATEST_BY_OFFSET(shipping_info->order_status) AS order_status,
         LATEST_BY_OFFSET(order_total) AS order_total
  FROM failed_events_stream GROUP BY FROM_BYTES(event_id, 'utf8') EMIT CHANGES;

-- Delivered revenue per hour of delivery (UTC, "YYYY-MM-DDTHH"), each delivery once.
CREATE TABLE IF NOT EXISTS delivered_revenue_per_hour WITH (KAFKA_TOPIC = 'ksql_delivered_revenue_per_hour', VALUE_FORMAT = 'JSON') AS
  SELECT finished_hour, COUNT(*) AS orders, SUM(order_total) AS revenue
  FROM finished_events GROUP BY finished_hour EMIT CHANGES;

-- Orders that reached each stage, by the status they had there, each order once.
CREATE TABLE IF NOT EXISTS placed_orders_by_status WITH (KAFKA_TOPIC = 'ksql_placed_orders_by_status', VALUE_FORMAT = 'JSON') AS
  SELECT order_status, COUNT(*) AS orders
  FROM unpaid_events GROUP BY order_status EMIT CHANGES;

CREATE TABLE IF NOT EXISTS shipped_orders_by_status WITH (KAFKA_TOPIC = 'ksql_shipped_orders_by_status', VALUE_FORMAT = 'JSON') AS
  SELECT order_status, COUNT(*) AS orders
  FROM shipped_events GROUP BY order_status EMIT CHANGES;

-- Failures per reason (Timed Out, Cancelled, Returned), each failed order once.
CREATE TABLE IF NOT EXISTS failed_orders_by_reason WITH (KAFKA_TOPIC = 'ksql_failed_orders_by_reason', VALUE_FORMAT = 'JSON') AS
  SELECT order_status AS reason, COUNT(*) AS orders, SUM(order_total) AS lost_value
  FROM failed_events GROUP BY order_status EMIT CHANGES;
