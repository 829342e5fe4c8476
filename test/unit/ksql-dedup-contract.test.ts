/**
 * The ksql/ live tables count each order event once under redelivery. ksqlDB cannot run here (no
 * Docker, no ksqlDB on Maven Central), so this is a contract on the statements' text, not a run of
 * ksqlDB: (1) every COUNT/SUM reads a table keyed by the event id (header event-id), never a
 * stream of a topic; (2) the statements, parsed, are evaluated with ksqlDB's documented semantics
 * (a GROUP BY over a stream with LATEST_BY_OFFSET keeps one row per key; an aggregation over a
 * table retracts a row's old values before adding its new ones) over the messages the worker
 * really sends (orderMessage), one of them sent twice as a retried activity would. A negative
 * control runs the same aggregates straight over the stream and sees the duplicate counted twice.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from 'kafkajs';
import { readKsqlStatements } from '../../src/bridge/ksql.js';
import { topicNames } from '../../src/config/config.js';
import type { Order, Stage } from '../../src/domain/order.js';
import { eventIdOf, orderMessage, type LifecycleTopic } from '../../src/kafka/order-producer.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';
import { terminalOrders } from '../support/orders.js';

const statements = readKsqlStatements().map((s) => s.statement.replace(/\s+/g, ' '));

interface EventStream { name: string; topic: string; header: string }
interface EventTable { name: string; stream: string; columns: Array<{ alias: string; path: string[]; substring?: number }> }
interface Aggregate { name: string; table: string; groupBy: string; count: string; sums: Array<{ alias: string; column: string }> }

function eventStreams(): EventStream[] {
  return statements.flatMap((s) => {
    const m = /^CREATE STREAM IF NOT EXISTS (\w+) \(.*?event_id BYTES HEADER\('([^']+)'\).*\) WITH \(KAFKA_TOPIC = '([^']+)'/.exec(s);
    return m ? [{ name: m[1] as string, header: m[2] as string, topic: m[3] as string }] : [];
  });
}

function eventTables(): EventTable[] {
  return statements.flatMap((s) => {
    const m = /^CREATE TABLE IF NOT EXISTS (\w+) .* AS SELECT FROM_BYTES\(event_id, 'utf8'\) AS event_id, (.*) FROM (\w+) GROUP BY FROM_BYTES\(event_id, 'utf8'\) EMIT CHANGES;$/.exec(s);
    if (!m) return [];
    const columns = (m[2] as string).split(/, (?=LATEST_BY_OFFSET)/).map((c) => {
      const col = /^LATEST_BY_OFFSET\((?:SUBSTRING\(([\w>-]+), 1, (\d+)\)|([\w>-]+))\) AS (\w+)$/.exec(c.trim());
      assert.ok(col, `an event table column is LATEST_BY_OFFSET of a field: ${c}`);
      const path = (col[1] ?? col[3] ?? '').split('->');
      return { alias: col[4] as string, path, ...(col[2] ? { substring: Number(col[2]) } : {}) };
    });
    return [{ name: m[1] as string, stream: m[3] as string, columns }];
  });
}

function aggregates(): Aggregate[] {
  return statements.flatMap((s) => {
    if (!/\b(COUNT|SUM)\(/.test(s)) return [];
    const m = /^CREATE TABLE IF NOT EXISTS (\w+) .* AS SELECT (\w+)(?: AS \w+)?, (.*) FROM (\w+) GROUP BY (\w+) EMIT CHANGES;$/.exec(s);
    assert.ok(m, `an aggregate is SELECT <key>, COUNT/SUM ... FROM <table> GROUP BY <key>: ${s.slice(0, 120)}`);
    const parts = (m[3] as string).split(', ');
    const count = parts.map((p) => /^COUNT\(\*\) AS (\w+)$/.exec(p)?.[1]).find(Boolean) ?? '';
    const sums = parts.flatMap((p) => {
      const x = /^SUM\((\w+)\) AS (\w+)$/.exec(p);
      return x ? [{ column: x[1] as string, alias: x[2] as string }] : [];
    });
    return [{ name: m[1] as string, groupBy: m[5] as string, table: m[4] as string, count, sums }];
  });
}

function field(value: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

type Row = Record<string, unknown>;

/** One row per event id, the latest by offset (a table built by GROUP BY ... LATEST_BY_OFFSET). */
function evaluateEventTable(table: EventTable, stream: EventStream, messages: Message[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const m of messages) {
    const id = (m.headers?.[stream.header] as string | undefined) ?? '';
    const value = JSON.parse(String(m.value)) as Record<string, unknown>;
    const row: Row = { event_id: id };
    for (const c of table.columns) {
      const v = field(value, c.path);
      row[c.alias] = c.substring !== undefined && typeof v === 'string' ? v.slice(0, c.substring) : v;
    }
    rows.set(id, row);
  }
  return rows;
}

/** COUNT and SUM per group over rows (a table aggregation: each row counted as it stands now). */
function evaluateAggregate(agg: Aggregate, rows: Iterable<Row>): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const row of rows) {
    const key = String(row[agg.groupBy]);
    const acc = out.get(key) ?? { [agg.count]: 0, ...Object.fromEntries(agg.sums.map((s) => [s.alias, 0])) };
    acc[agg.count] = (acc[agg.count] as number) + 1;
    for (const s of agg.sums) acc[s.alias] = Math.round(((acc[s.alias] as number) + (row[s.column] as number)) * 100) / 100;
    out.set(key, acc);
  }
  return out;
}

/** The messages the worker sends for these terminal orders, on the topics a lifecycle visits. */
function messagesByTopic(orders: Order[]): Map<string, Message[]> {
  const names = topicNames();
  const byTopic = new Map<string, Message[]>();
  const add = (topic: LifecycleTopic, stage: Stage, order: Order) => {
    const m = orderMessage({ topic, stage, eventId: eventIdOf(orderWorkflowId(order.order_id), stage), order });
    byTopic.set(names[topic], [...(byTopic.get(names[topic]) ?? []), m]);
  };
  for (const order of orders) {
    add('unpaid', 'place', order);
    if (order.shipping_info.shipped_date) add('shipped', 'shipping', order);
    if (order.shipping_info.order_status === 'Delivered') add('finished', 'delivery', order);
    else add('failed', 'delivery', order);
  }
  return byTopic;
}

function evaluateAll(byTopic: Map<string, Message[]>, throughEventTables = true): Map<string, Map<string, Row>> {
  const streams = new Map(eventStreams().map((s) => [s.name, s]));
  const tables = new Map<string, Row[]>();
  for (const t of eventTables()) {
    const stream = streams.get(t.stream);
    assert.ok(stream, `${t.name} reads an event stream with the event-id header`);
    const messages = byTopic.get(stream.topic) ?? [];
    // The negative control skips the keyed table: one row per message, as an aggregate over the stream sees it.
    const rows = throughEventTables ? [...evaluateEventTable(t, stream, messages).values()] : messages.map((m, i) => evaluateEventTable(t, stream, [m]).get((m.headers?.[stream.header] as string) ?? '') ?? { i });
    tables.set(t.name, rows);
  }
  return new Map(aggregates().map((a) => [a.name, evaluateAggregate(a, tables.get(a.table) ?? [])]));
}

describe('ksql/ live tables: each order event counted once', () => {
  test('every COUNT and SUM reads a table keyed by the event id header, and every event table reads a lifecycle topic', () => {
    const tables = new Set(eventTables().map((t) => t.name));
    const aggs = aggregates();
    assert.ok(aggs.length >= 4, 'the live tables are there');
    for (const a of aggs) assert.ok(tables.has(a.table), `${a.name} aggregates ${a.table}, which must be a table keyed by the event id`);
    const topics = new Set(Object.values(topicNames()));
    for (const s of eventStreams()) {
      assert.equal(s.header, 'event-id');
      assert.ok(topics.has(s.topic), `${s.name} reads ${s.topic}`);
    }
  });

  test('a message sent twice (a retried activity) counts once; straight over the stream it would count twice', () => {
    const orders = terminalOrders(40, 'ksql-dedup', 7).map((t) => t.order);
    const byTopic = messagesByTopic(orders);
    const once = evaluateAll(byTopic);
    const finished = topicNames().finished;
    const list = byTopic.get(finished) ?? [];
    assert.ok(list.length > 0, 'some orders were delivered');
    const resent = list[0] as Message;
    const withDuplicate = new Map(byTopic);
    withDuplicate.set(finished, [...list, { ...resent }]);
    assert.deepEqual(evaluateAll(withDuplicate), once, 'the duplicate changes no live table');

    const delivered = orders.filter((o) => o.shipping_info.order_status === 'Delivered');
    const revenue = [...(once.get('delivered_revenue_per_hour')?.values() ?? [])];
    assert.equal(revenue.reduce((n, r) => n + (r.orders as number), 0), delivered.length);

    const naive = evaluateAll(withDuplicate, false);
    const naiveOrders = [...(naive.get('delivered_revenue_per_hour')?.values() ?? [])].reduce((n, r) => n + (r.orders as number), 0);
    assert.equal(naiveOrders, delivered.length + 1, 'negative control: counted over the stream, the duplicate is counted twice');
  });
});
