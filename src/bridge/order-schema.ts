/**
 * Validates a terminal lifecycle message before it may touch the database. Anything that is not a
 * well-formed, internally consistent order gets a reason precise enough to fix the sender
 * ("item_info[2].quantity: expected a positive whole number, got -3"); the bridge dead-letters it.
 * Hand-written rather than a schema library: the rules that matter (totals add up to the cent,
 * known SKUs, status fits the topic) are not shape rules anyway.
 */
import { findSku } from '../domain/catalogue.js';
import { FAILED_STATUSES, ORDER_STATUSES, PAYMENT_METHODS, toCents, type Order, type OrderStatus } from '../domain/order.js';

export type Validation = { ok: true; order: Order } | { ok: false; reason: string };

/** Which statuses a message on each consumed topic may carry. */
export type TerminalTopicKind = 'finished' | 'failed';

const MAX_TEXT = 500;
const MAX_LINES = 100;

class Invalid extends Error {}

function fail(path: string, expected: string, got: unknown): never {
  throw new Invalid(`${path}: expected ${expected}, got ${describe(got)}`);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Record<string, unknown>;
}

function text(obj: Record<string, unknown>, key: string, path: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_TEXT) fail(`${path}.${key}`, `a non-empty string of at most ${MAX_TEXT} characters`, v);
  return v;
}

function date(obj: Record<string, unknown>, key: string, path: string, nullable: boolean): string | null {
  const v = obj[key];
  if (v === null && nullable) return null;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    fail(`${path}.${key}`, nullable ? 'an ISO-8601 date or null' : 'an ISO-8601 date', v);
  }
  return v;
}

function money(obj: Record<string, unknown>, key: string, path: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || Math.abs(v * 100 - Math.round(v * 100)) > 1e-6 || v >= 1e10) {
    fail(`${path}.${key}`, 'an amount ≥ 0 with at most two decimals', v);
  }
  return v;
}

function positiveInt(obj: Record<string, unknown>, key: string, path: string, max: number): number {
  const v = obj[key];
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max) fail(`${path}.${key}`, `a positive whole number up to ${max}`, v);
  return v as number;
}

function oneOf<T extends string>(obj: Record<string, unknown>, key: string, path: string, allowed: readonly T[], nullable = false): T | null {
  const v = obj[key];
  if (v === null && nullable) return null;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(`${path}.${key}`, `one of ${allowed.join(', ')}${nullable ? ' or null' : ''}`, v);
  return v as T;
}

function checkCustomer(v: unknown): void {
  const c = object(v, 'customer_info');
  for (const key of ['customer_id', 'customer_name', 'company', 'email', 'street_address', 'lgu', 'contact_number']) text(c, key, 'customer_info');
  const code = text(c, 'provincial_code', 'customer_info');
  if (!/^PH-[A-Z0-9]{2,3}$/.test(code)) fail('customer_info.provincial_code', 'an ISO 3166-2:PH code such as PH-CEB', code);
}

function checkItems(v: unknown): number {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LINES) fail('item_info', `a list of 1 to ${MAX_LINES} lines`, v);
  const lineNos = new Set<number>();
  let totalCents = 0;
  v.forEach((raw, i) => {
    const path = `item_info[${i}]`;
    const line = object(raw, path);
    const lineNo = positiveInt(line, 'line_no', path, MAX_LINES);
    if (lineNos.has(lineNo)) fail(`${path}.line_no`, 'a line number used once', lineNo);
    lineNos.add(lineNo);
    const sku = text(line, 'sku', path);
    if (!findSku(sku)) fail(`${path}.sku`, 'a SKU of the catalogue', sku);
    const unitPrice = money(line, 'unit_price', path);
    const quantity = positiveInt(line, 'quantity', path, 10_000);
    const discount = line.discount_percent;
    if (typeof discount !== 'number' || discount < 0 || discount > 100) fail(`${path}.discount_percent`, 'a number from 0 to 100', discount);
    const subtotal = money(line, 'subtotal', path);
    if (toCents(unitPrice) * quantity !== toCents(subtotal)) {
      throw new Invalid(`${path}.subtotal: ${subtotal} is not unit_price ${unitPrice} × quantity ${quantity}`);
    }
    totalCents += toCents(subtotal);
  });
  return totalCents;
}

/** Statuses must tell one story: a delivered or returned order was paid and shipped, and so on. */
function checkStory(order: Order, kind: TerminalTopicKind): void {
  const status = order.shipping_info.order_status;
  const allowed: readonly OrderStatus[] = kind === 'finished' ? ['Delivered'] : FAILED_STATUSES;
  if (!allowed.includes(status)) throw new Invalid(`shipping_info.order_status: ${status} does not belong on the ${kind} orders topic`);
  const paid = order.payment_info.payment_status === 'Paid';
  if ((status === 'Delivered' || status === 'Returned') && (!paid || !order.shipping_info.shipped_date || !order.shipping_info.finished_date)) {
    throw new Invalid(`shipping_info.order_status: a ${status} order needs payment_status Paid, shipped_date and finished_date`);
  }
  if (status === 'Timed Out' && order.payment_info.payment_status !== 'Timed Out') {
    throw new Invalid('payment_info.payment_status: a Timed Out order must have payment_status Timed Out');
  }
  if (paid && (!order.payment_info.payment_method || !order.payment_info.payment_date)) {
    throw new Invalid('payment_info: a paid order needs payment_method and payment_date');
  }
}

function checkOrder(value: unknown, kind: TerminalTopicKind): Order {
  const o = object(value, 'order');
  const orderId = o.order_id;
  if (typeof orderId !== 'string' || !/^\d{1,19}$/.test(orderId)) fail('order_id', 'a numeric string of up to 19 digits', orderId);
  date(o, 'order_date', 'order', false);
  checkCustomer(o.customer_info);
  const p = object(o.payment_info, 'payment_info');
  oneOf(p, 'payment_status', 'payment_info', ['Unpaid', 'Paid', 'Timed Out'] as const);
  oneOf(p, 'payment_method', 'payment_info', PAYMENT_METHODS, true);
  date(p, 'payment_date', 'payment_info', true);
  const s = object(o.shipping_info, 'shipping_info');
  oneOf(s, 'order_status', 'shipping_info', ORDER_STATUSES);
  if (typeof s.express_shipping !== 'boolean') fail('shipping_info.express_shipping', 'true or false', s.express_shipping);
  if (s.shipping_id !== null && (typeof s.shipping_id !== 'string' || s.shipping_id.length > MAX_TEXT)) fail('shipping_info.shipping_id', 'a string or null', s.shipping_id);
  for (const key of ['shipped_date', 'eta', 'finished_date']) date(s, key, 'shipping_info', true);
  const totalCents = checkItems(o.item_info);
  const lines = (o.item_info as unknown[]).length;
  if (o.item_variety !== lines) fail('item_variety', `the number of lines (${lines})`, o.item_variety);
  const total = money(o, 'order_total', 'order');
  if (toCents(total) !== totalCents) throw new Invalid(`order_total: ${total} is not the sum of the subtotals (${(totalCents / 100).toFixed(2)})`);
  const order = o as unknown as Order;
  checkStory(order, kind);
  return order;
}

/** Validates one raw message value from a terminal topic. */
export function validateOrderMessage(value: Buffer | null, kind: TerminalTopicKind, maxBytes: number): Validation {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty message (no value)' };
  if (value.length > maxBytes) return { ok: false, reason: `message of ${value.length} bytes is over the limit of ${maxBytes} (KAFKA_MAX_MESSAGE_BYTES)` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  try {
    return { ok: true, order: checkOrder(parsed, kind) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    throw err;
  }
}
