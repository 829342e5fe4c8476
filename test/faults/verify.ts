/**
 * What "nothing lost, nothing doubled" means for one round, checked against the real servers:
 * Temporal says every workflow of the round is closed (visibility count), each completed workflow's
 * result is the order's final document, and Postgres holds that document exactly once, equal field
 * by field (status, total, dates) with the right number of lines.
 */
import type { Client } from '@temporalio/client';
import type { Order } from '../../src/domain/order.js';
import type { Pool } from '../../src/db/pool.js';
import type { OrderSnapshot } from '../../src/workflows/contract.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';

export interface RoundCheck {
  /** Not closed in Temporal, closed without a result, or closed but missing from order_record. */
  lost: string[];
  /** More than one order_record row, or more item_record rows than the document has lines. */
  duplicated: string[];
  /** A row that differs from the workflow's final document. */
  mismatched: string[];
}

/** Workflows of the task queue that are still running (visibility query). */
export async function runningCount(client: Client, taskQueue: string): Promise<number> {
  const { count } = await client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`);
  return count;
}

/** Workflows of the task queue that have closed, whatever the outcome. */
export async function closedCount(client: Client, taskQueue: string): Promise<number> {
  const { count } = await client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus != 'Running'`);
  return count;
}

/** How many of these orders have a row in order_record. */
export async function storedCount(pool: Pool, orderIds: string[]): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(DISTINCT order_id) AS n FROM order_record WHERE order_id = ANY($1)', [orderIds]);
  return Number(rows[0]?.n ?? 0);
}

interface StoredRow {
  order_id: string;
  copies: string;
  lines: string;
  order_status: string;
  payment_status: string;
  payment_method: string | null;
  order_total: string;
  order_date: Date;
  payment_date: Date | null;
  shipped_date: Date | null;
  eta: Date | null;
  finished_date: Date | null;
  shipping_id: string | null;
  customer_id: string;
}

async function storedRows(pool: Pool, orderIds: string[]): Promise<Map<string, StoredRow>> {
  const { rows } = await pool.query<StoredRow>(
    `SELECT o.order_id, count(*) OVER (PARTITION BY o.order_id) AS copies,
            (SELECT count(*) FROM item_record i WHERE i.order_id = o.order_id) AS lines,
            o.order_status, o.payment_status, o.payment_method, o.order_total::text AS order_total, o.order_date,
            o.payment_date, o.shipped_date, o.eta, o.finished_date, o.shipping_id, o.customer_id
       FROM order_record o WHERE o.order_id = ANY($1)`,
    [orderIds],
  );
  return new Map(rows.map((r) => [r.order_id, r]));
}

/** The final documents of the round's workflows; an id maps to undefined if it did not complete. */
async function finalDocuments(client: Client, orderIds: string[], concurrency = 50): Promise<Map<string, Order | undefined>> {
  const out = new Map<string, Order | undefined>();
  let next = 0;
  const work = async () => {
    while (next < orderIds.length) {
      const id = orderIds[next++] as string;
      try {
        const snap = (await client.workflow.getHandle(orderWorkflowId(id)).result()) as OrderSnapshot;
        out.set(id, snap.order);
      } catch {
        out.set(id, undefined); // failed/terminated/timed out: the order never reached a final document
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, work));
  return out;
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const isoMs = (s: string | null) => (s === null ? null : Date.parse(s));

/** Field names where the row differs from the document (empty = equal). */
export function differences(row: StoredRow, doc: Order): string[] {
  const diffs: string[] = [];
  const check = (name: string, a: unknown, b: unknown) => {
    if (a !== b) diffs.push(`${name}: row ${String(a)} ≠ document ${String(b)}`);
  };
  check('order_status', row.order_status, doc.shipping_info.order_status);
  check('payment_status', row.payment_status, doc.payment_info.payment_status);
  check('payment_method', row.payment_method, doc.payment_info.payment_method);
  check('order_total (cents)', Math.round(Number(row.order_total) * 100), Math.round(doc.order_total * 100));
  check('order_date', ms(row.order_date), isoMs(doc.order_date));
  check('payment_date', ms(row.payment_date), isoMs(doc.payment_info.payment_date));
  check('shipped_date', ms(row.shipped_date), isoMs(doc.shipping_info.shipped_date));
  check('eta', ms(row.eta), isoMs(doc.shipping_info.eta));
  check('finished_date', ms(row.finished_date), isoMs(doc.shipping_info.finished_date));
  check('shipping_id', row.shipping_id, doc.shipping_info.shipping_id);
  check('customer_id', row.customer_id, doc.customer_info.customer_id);
  return diffs;
}

export async function checkRound(client: Client, pool: Pool, orderIds: string[]): Promise<RoundCheck & { examples: string[] }> {
  const docs = await finalDocuments(client, orderIds);
  const rows = await storedRows(pool, orderIds);
  const result: RoundCheck & { examples: string[] } = { lost: [], duplicated: [], mismatched: [], examples: [] };
  for (const id of orderIds) {
    const doc = docs.get(id);
    const row = rows.get(id);
    if (!doc || !row) {
      result.lost.push(id);
      if (result.examples.length < 5) result.examples.push(`${id}: ${doc ? 'no order_record row' : 'workflow did not complete'}`);
      continue;
    }
    if (Number(row.copies) !== 1 || Number(row.lines) !== doc.item_info.length) {
      result.duplicated.push(id);
      if (result.examples.length < 5) result.examples.push(`${id}: ${row.copies} rows, ${row.lines} lines for ${doc.item_info.length}`);
    }
    const diffs = differences(row, doc);
    if (diffs.length > 0) {
      result.mismatched.push(id);
      if (result.examples.length < 5) result.examples.push(`${id}: ${diffs.join('; ')}`);
    }
  }
  return result;
}
