/**
 * The order document's one schema (docs/order-document.md): its shape, the rules that tie fields
 * together (totals add up to the cent, known SKUs, statuses that tell one story) and which statuses
 * each lifecycle topic carries. The workflow checks its input with it, the activities check what
 * they emit, the bridge checks what it consumes, and the types in order.ts are inferred from it,
 * so the three cannot drift apart.
 *
 * A problem is one line naming the field and what is wrong with it, e.g.
 * `item_info[0].quantity: expected a positive whole number up to 10000, got -3`; the first problem
 * found is the one reported, so every caller gives the same reason for the same document.
 *
 * Runs inside the workflow sandbox too: zod and pure domain data only, no Node built-ins.
 */
import * as z from 'zod';
import { findSku } from './catalogue.js';
import { FAILED_STATUSES, ORDER_STATUSES, PAYMENT_METHODS, isIsoDate, toCents, type OrderStatus } from './order.js';

const MAX_TEXT = 500;
const MAX_LINES = 100;
const MAX_QUANTITY = 10_000;

/**
 * Each field schema carries its expectation as its one error message (`{ error }` on every step),
 * so a problem reads "<field>: expected <that>, got <value>" in the project's words, not zod's.
 */
const expecting = (expected: string) => ({ error: expected });

function text(expected = `a non-empty string of at most ${MAX_TEXT} characters`) {
  const e = expecting(expected);
  return z.string(e).max(MAX_TEXT, e).refine((v) => v.trim() !== '', e);
}

function isoDate(expected: string) {
  return z.string(expecting(expected)).refine(isIsoDate, expecting(expected));
}
const date = () => isoDate('an ISO-8601 date');
const dateOrNull = () => isoDate('an ISO-8601 date or null').nullable();

/** PHP with at most two decimals, below ten billion (the database column's range). */
function money() {
  const e = expecting('an amount ≥ 0 with at most two decimals');
  return z.number(e).refine((v) => Number.isFinite(v) && v >= 0 && v < 1e10 && Math.abs(v * 100 - Math.round(v * 100)) <= 1e-6, e);
}

function positiveInt(max: number) {
  const e = expecting(`a positive whole number up to ${max}`);
  return z.number(e).int(e).min(1, e).max(max, e);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, orNull: string = '') {
  return z.enum(values, expecting(`one of ${values.join(', ')}${orNull}`));
}

export const customerInfoSchema = z.object({
  customer_id: text(),
  customer_name: text(),
  company: text(),
  email: text(),
  street_address: text(),
  /** Local government unit: a city of Metro Manila or a province. */
  lgu: text(),
  /** ISO 3166-2:PH code of the province; Metro Manila is PH-00. */
  provincial_code: text('an ISO 3166-2:PH code such as PH-CEB').regex(/^PH-[A-Z0-9]{2,3}$/, expecting('an ISO 3166-2:PH code such as PH-CEB')),
  contact_number: text(),
}, expecting('an object'));

export const paymentInfoSchema = z.object({
  payment_status: oneOf(['Unpaid', 'Paid', 'Timed Out']),
  payment_method: oneOf(PAYMENT_METHODS, ' or null').nullable(),
  /** ISO-8601 timestamp; null until paid. */
  payment_date: dateOrNull(),
}, expecting('an object'));

export const shippingInfoSchema = z.object({
  shipping_id: z.string(expecting('a string or null')).max(MAX_TEXT, expecting('a string or null')).nullable(),
  express_shipping: z.boolean(expecting('true or false')),
  order_status: oneOf(ORDER_STATUSES),
  shipped_date: dateOrNull(),
  eta: dateOrNull(),
  finished_date: dateOrNull(),
}, expecting('an object'));

export const itemLineSchema = z.object({
  line_no: positiveInt(MAX_LINES),
  sku: text('a SKU of the catalogue').refine((v) => findSku(v) !== undefined, expecting('a SKU of the catalogue')),
  /** Unit price after the sale discount, PHP with two decimals. */
  unit_price: money(),
  quantity: positiveInt(MAX_QUANTITY),
  discount_percent: z.number(expecting('a number from 0 to 100')).min(0, expecting('a number from 0 to 100')).max(100, expecting('a number from 0 to 100')),
  /** unit_price × quantity, rounded to the cent. */
  subtotal: money(),
}, expecting('an object'));

const lines = expecting(`a list of 1 to ${MAX_LINES} lines`);

/** The shape alone; orderSchema adds the rules between fields. */
const orderShape = z.object({
  /** Numeric string, unique per Temporal namespace; the Kafka key. */
  order_id: z.string(expecting('a numeric string of up to 19 digits')).regex(/^\d{1,19}$/, expecting('a numeric string of up to 19 digits')),
  /** ISO-8601 timestamp of placement. */
  order_date: date(),
  customer_info: customerInfoSchema,
  payment_info: paymentInfoSchema,
  shipping_info: shippingInfoSchema,
  item_info: z.array(itemLineSchema, lines).min(1, lines).max(MAX_LINES, lines),
  /** Number of distinct SKUs (= item_info.length). */
  item_variety: z.number(expecting('a number')),
  /** Sum of subtotals, to the cent. */
  order_total: money(),
}, expecting('an object'));

type Shape = z.infer<typeof orderShape>;

/** One inconsistency between fields: where, and the whole message. */
interface Inconsistency {
  path: PropertyKey[];
  message: string;
}

/** Lines, counts and totals agree with each other. */
function lineProblems(order: Shape): Inconsistency | undefined {
  const seen = new Set<number>();
  let totalCents = 0;
  for (const [i, line] of order.item_info.entries()) {
    if (seen.has(line.line_no)) return { path: ['item_info', i, 'line_no'], message: `expected a line number used once, got ${line.line_no}` };
    seen.add(line.line_no);
    if (toCents(line.unit_price) * line.quantity !== toCents(line.subtotal)) {
      return { path: ['item_info', i, 'subtotal'], message: `${line.subtotal} is not unit_price ${line.unit_price} × quantity ${line.quantity}` };
    }
    totalCents += toCents(line.subtotal);
  }
  const lines = order.item_info.length;
  if (order.item_variety !== lines) return { path: ['item_variety'], message: `expected the number of lines (${lines}), got ${order.item_variety}` };
  if (toCents(order.order_total) !== totalCents) {
    return { path: ['order_total'], message: `${order.order_total} is not the sum of the subtotals (${(totalCents / 100).toFixed(2)})` };
  }
  return undefined;
}

/**
 * Statuses tell one story: a paid order says how and when, an order out of the warehouse says
 * which parcel, when and when expected, an ended order says when it ended, and only a timed-out
 * order has a timed-out payment.
 */
function storyProblems(order: Shape): Inconsistency | undefined {
  const { payment_info: pay, shipping_info: ship } = order;
  const status = ship.order_status;
  const needs = (path: PropertyKey[], value: unknown, what: string): Inconsistency | undefined =>
    value === null ? { path, message: `expected ${what} on a ${status} order, got null` } : undefined;
  const dispatched = status === 'Shipped' || status === 'Delivered' || status === 'Returned';
  if (dispatched && pay.payment_status !== 'Paid') {
    return { path: ['payment_info', 'payment_status'], message: `expected Paid on a ${status} order, got ${pay.payment_status}` };
  }
  if ((status === 'Timed Out') !== (pay.payment_status === 'Timed Out')) {
    return { path: ['payment_info', 'payment_status'], message: `a ${status} order cannot have payment_status ${pay.payment_status}` };
  }
  if (pay.payment_status === 'Paid') {
    const p = needs(['payment_info', 'payment_method'], pay.payment_method, 'a payment method') ?? needs(['payment_info', 'payment_date'], pay.payment_date, 'a payment date');
    if (p) return p;
  }
  if (dispatched) {
    const p =
      needs(['shipping_info', 'shipping_id'], ship.shipping_id, 'a shipping id') ??
      needs(['shipping_info', 'shipped_date'], ship.shipped_date, 'a shipped date') ??
      needs(['shipping_info', 'eta'], ship.eta, 'an eta');
    if (p) return p;
  }
  if (status !== 'Processing' && status !== 'Shipped') return needs(['shipping_info', 'finished_date'], ship.finished_date, 'a finished date');
  return undefined;
}

/** The order document: shape and consistency. */
export const orderSchema = orderShape.superRefine((order, ctx) => {
  const problem = lineProblems(order) ?? storyProblems(order);
  if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { whole: true } });
});

export type Order = z.infer<typeof orderSchema>;
export type CustomerInfo = z.infer<typeof customerInfoSchema>;
export type PaymentInfo = z.infer<typeof paymentInfoSchema>;
export type ShippingInfo = z.infer<typeof shippingInfoSchema>;
export type ItemLine = z.infer<typeof itemLineSchema>;
export type PaymentStatus = PaymentInfo['payment_status'];

/** The lifecycle topics (Kafka config names them), and which orders each one carries. */
export type OrderTopic = 'unpaid' | 'paid' | 'shipped' | 'finished' | 'failed';

const TOPIC_STATUSES: Record<OrderTopic, { orderStatuses: readonly OrderStatus[]; paymentStatus?: PaymentStatus }> = {
  unpaid: { orderStatuses: ['Processing'], paymentStatus: 'Unpaid' },
  paid: { orderStatuses: ['Processing'], paymentStatus: 'Paid' },
  shipped: { orderStatuses: ['Shipped'] },
  finished: { orderStatuses: ['Delivered'] },
  failed: { orderStatuses: FAILED_STATUSES },
};

export type OrderCheck = { ok: true; order: Order } | { ok: false; problem: string };

/** `item_info[0].quantity` from ['item_info', 0, 'quantity']; the document itself is `order`. */
function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'order';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * A field issue's message is what the field expects (see `expecting`); an inconsistency found by
 * orderSchema's refinement is marked `whole` and already is the whole message.
 */
function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom' && issue.params?.whole === true) return `${pathText(issue.path)}: ${issue.message}`;
  return `${pathText(issue.path)}: expected ${issue.message}, got ${describe(issue.input)}`;
}

/** The order document, typed, or the first problem with it. */
export function checkOrder(value: unknown): OrderCheck {
  const result = orderSchema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, order: result.data };
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  return { ok: false, problem: problemOf(issue) };
}

/** An order that may go on `topic`, typed, or the first problem with it (the document's first). */
export function checkOrderFor(topic: OrderTopic, value: unknown): OrderCheck {
  const checked = checkOrder(value);
  if (!checked.ok) return checked;
  const { order_status: status } = checked.order.shipping_info;
  const rule = TOPIC_STATUSES[topic];
  if (!rule.orderStatuses.includes(status)) return { ok: false, problem: `shipping_info.order_status: ${status} does not belong on the ${topic} orders topic` };
  const payment = checked.order.payment_info.payment_status;
  if (rule.paymentStatus && payment !== rule.paymentStatus) {
    return { ok: false, problem: `payment_info.payment_status: ${payment} does not belong on the ${topic} orders topic` };
  }
  return checked;
}
