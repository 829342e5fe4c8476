/**
 * Writes terminal orders into order_record, customer_info and item_record (the original's
 * order_info and item_info are delivered-only views on them, sql/010): a few multi-row upserts per
 * batch (unnest of arrays), keyed by natural keys. A row equal to what is stored is not touched,
 * so replaying messages changes nothing, not even a tuple version.
 */
import type pg from 'pg';
import type { Order } from '../domain/order.js';

export interface SinkRow {
  order: Order;
  /** `<workflowId>:<stage>` of the message (header event-id), or `<topic>:<partition>:<offset>`. */
  eventId: string;
}

export interface DeadLetterRow {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  key: string | null;
  excerpt: string;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Later copies of the same key win inside one batch (Kafka order within a partition). */
function lastByKey<T>(items: T[], key: (t: T) => string, prefer: (a: T, b: T) => boolean = () => true): T[] {
  const map = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const seen = map.get(k);
    if (!seen || prefer(item, seen)) map.set(k, item);
  }
  return [...map.values()];
}

async function upsertCustomers(db: Queryable, rows: SinkRow[]): Promise<void> {
  // The newest order carries the customer's latest details.
  const customers = lastByKey(rows, (r) => r.order.customer_info.customer_id, (a, b) => a.order.order_date >= b.order.order_date).sort((a, b) =>
    compare(a.order.customer_info.customer_id, b.order.customer_info.customer_id),
  );
  const c = customers.map((r) => r.order.customer_info);
  await db.query(
    `INSERT INTO customer_info AS t (customer_id, customer_name, company, email, street_address, lgu, provincial_code, contact_number, details_as_of)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
     ON CONFLICT (customer_id) DO UPDATE SET
       customer_name = excluded.customer_name, company = excluded.company, email = excluded.email,
       street_address = excluded.street_address, lgu = excluded.lgu, provincial_code = excluded.provincial_code,
       contact_number = excluded.contact_number, details_as_of = excluded.details_as_of
     WHERE excluded.details_as_of >= t.details_as_of AND (t.*) IS DISTINCT FROM (excluded.*)`,
    [
      c.map((x) => x.customer_id),
      c.map((x) => x.customer_name),
      c.map((x) => x.company),
      c.map((x) => x.email),
      c.map((x) => x.street_address),
      c.map((x) => x.lgu),
      c.map((x) => x.provincial_code),
      c.map((x) => x.contact_number),
      customers.map((r) => r.order.order_date),
    ],
  );
}

async function upsertOrders(db: Queryable, rows: SinkRow[]): Promise<void> {
  const o = rows.map((r) => r.order);
  await db.query(
    `INSERT INTO order_record AS t (order_id, order_date, customer_id, order_status, payment_status, payment_method, payment_date,
       shipping_id, express_shipping, shipped_date, eta, finished_date, item_variety, order_total, lgu, provincial_code, event_id)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
       $8::text[], $9::boolean[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::int[], $14::numeric[], $15::text[], $16::text[], $17::text[])
     ON CONFLICT (order_id) DO UPDATE SET
       order_date = excluded.order_date, customer_id = excluded.customer_id, order_status = excluded.order_status,
       payment_status = excluded.payment_status, payment_method = excluded.payment_method, payment_date = excluded.payment_date,
       shipping_id = excluded.shipping_id, express_shipping = excluded.express_shipping, shipped_date = excluded.shipped_date,
       eta = excluded.eta, finished_date = excluded.finished_date, item_variety = excluded.item_variety,
       order_total = excluded.order_total, lgu = excluded.lgu, provincial_code = excluded.provincial_code, event_id = excluded.event_id
     WHERE (t.*) IS DISTINCT FROM (excluded.*)`,
    [
      o.map((x) => x.order_id),
      o.map((x) => x.order_date),
      o.map((x) => x.customer_info.customer_id),
      o.map((x) => x.shipping_info.order_status),
      o.map((x) => x.payment_info.payment_status),
      o.map((x) => x.payment_info.payment_method),
      o.map((x) => x.payment_info.payment_date),
      o.map((x) => x.shipping_info.shipping_id),
      o.map((x) => x.shipping_info.express_shipping),
      o.map((x) => x.shipping_info.shipped_date),
      o.map((x) => x.shipping_info.eta),
      o.map((x) => x.shipping_info.finished_date),
      o.map((x) => x.item_variety),
      o.map((x) => x.order_total),
      o.map((x) => x.customer_info.lgu),
      o.map((x) => x.customer_info.provincial_code),
      rows.map((r) => r.eventId),
    ],
  );
}

async function upsertItems(db: Queryable, rows: SinkRow[]): Promise<void> {
  const lines = rows.flatMap((r) => r.order.item_info.map((line) => ({ orderId: r.order.order_id, line })));
  await db.query(
    `INSERT INTO item_record AS t (order_id, line_no, sku, unit_price, quantity, discount_percent, subtotal)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::numeric[], $5::int[], $6::numeric[], $7::numeric[])
     ON CONFLICT (order_id, line_no) DO UPDATE SET
       sku = excluded.sku, unit_price = excluded.unit_price, quantity = excluded.quantity,
       discount_percent = excluded.discount_percent, subtotal = excluded.subtotal
     WHERE (t.*) IS DISTINCT FROM (excluded.*)`,
    [
      lines.map((l) => l.orderId),
      lines.map((l) => l.line.line_no),
      lines.map((l) => l.line.sku),
      lines.map((l) => l.line.unit_price),
      lines.map((l) => l.line.quantity),
      lines.map((l) => l.line.discount_percent),
      lines.map((l) => l.line.subtotal),
    ],
  );
}

async function insertDeadLetters(db: Queryable, rows: DeadLetterRow[]): Promise<void> {
  await db.query(
    `INSERT INTO dead_letters (source_topic, source_partition, source_offset, reason, message_key, payload_excerpt)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.topic), rows.map((r) => r.partition), rows.map((r) => r.offset), rows.map((r) => r.reason), rows.map((r) => r.key), rows.map((r) => r.excerpt)],
  );
}

/**
 * Writes one batch in the caller's transaction: customers, then orders, then their lines. Rows go
 * in key order, so bridges writing the same customers at once lock them in the same order and
 * cannot deadlock.
 */
export async function writeBatch(db: Queryable, rows: SinkRow[], deadLetters: DeadLetterRow[] = []): Promise<void> {
  const unique = lastByKey(rows, (r) => r.order.order_id).sort((a, b) => compare(a.order.order_id, b.order.order_id));
  if (unique.length > 0) {
    await upsertCustomers(db, unique);
    await upsertOrders(db, unique);
    await upsertItems(db, unique);
  }
  if (deadLetters.length > 0) await insertDeadLetters(db, deadLetters);
}

/** writeBatch in its own transaction on a pooled connection. */
export async function writeBatchInTransaction(pool: pg.Pool, rows: SinkRow[], deadLetters: DeadLetterRow[] = []): Promise<void> {
  const client = await pool.connect();
  let failure: unknown;
  try {
    await client.query('BEGIN');
    await writeBatch(client, rows, deadLetters);
    await client.query('COMMIT');
  } catch (err) {
    failure = err;
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    // A connection that failed mid-transaction is discarded, not handed to the next batch.
    client.release(failure instanceof Error ? failure : undefined);
  }
}
