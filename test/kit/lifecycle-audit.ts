/**
 * Audits what a run of order workflows put on the lifecycle topics: every order once on exactly
 * one terminal topic, each order's messages following its path (place → payment → shipping →
 * delivery, or a failure at one stage), headers as docs/order-document.md says, and retried sends only ever
 * repeating the same content under the same event id. Works on plain messages, so the tests (and
 * anyone checking a live run) can feed it whatever they read from Kafka.
 */
import { HEADERS, ORDER_SCHEMA_VERSION, type Order, type Stage } from '../../src/domain/order.js';
import type { LifecycleTopic } from '../../src/kafka/order-producer.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';
import { BRANCHES, type Branch } from './branches.js';

export interface TopicMessage {
  topic: LifecycleTopic;
  key: string | null;
  value: string | null;
  headers: Record<string, string | undefined>;
}

/** The messages of one order, one per event id (duplicates of a retried send folded). */
export interface OrderTrail {
  orderId: string;
  byTopic: Partial<Record<LifecycleTopic, { stage: Stage; order: Order }>>;
  branch?: Branch;
}

export interface AuditReport {
  trails: Map<string, OrderTrail>;
  /** Every violation found, each naming its order or event. Empty for a good run. */
  problems: string[];
  branchCounts: Record<Branch, number>;
  /** Messages repeated with the same event id and identical value (allowed: at-least-once). */
  duplicates: number;
}

const STAGES_OF: Record<LifecycleTopic, readonly Stage[]> = {
  unpaid: ['place'],
  paid: ['payment'],
  shipped: ['shipping'],
  finished: ['delivery'],
  failed: ['payment', 'shipping', 'delivery'],
};

/** The branch a terminal message shows. */
export function branchOfTerminal(topic: 'finished' | 'failed', stage: Stage, order: Order): Branch | undefined {
  const status = order.shipping_info.order_status;
  if (topic === 'finished') return status === 'Delivered' ? 'delivered' : undefined;
  if (status === 'Timed Out') return 'timed-out';
  if (status === 'Returned') return 'returned';
  if (status === 'Cancelled') return stage === 'delivery' ? 'cancelled-in-transit' : 'cancelled-before-dispatch';
  return undefined;
}

/** Topics an order of each branch passes through, in order; 'failed' ends the failing ones. */
const PATHS: Record<Branch, readonly LifecycleTopic[]> = {
  delivered: ['unpaid', 'paid', 'shipped', 'finished'],
  'timed-out': ['unpaid', 'failed'],
  'cancelled-before-dispatch': ['unpaid', 'paid', 'failed'],
  'cancelled-in-transit': ['unpaid', 'paid', 'shipped', 'failed'],
  'returned': ['unpaid', 'paid', 'shipped', 'failed'],
};

class Auditor {
  readonly trails = new Map<string, OrderTrail>();
  readonly problems: string[] = [];
  private readonly seen = new Map<string, string>();
  duplicates = 0;

  add(message: TopicMessage): void {
    const eventId = message.headers[HEADERS.eventId];
    const stage = message.headers[HEADERS.stage] as Stage | undefined;
    const where = `${message.topic} message ${eventId ?? '(no event id)'}`;
    const order = this.parse(message, where);
    if (!order || !eventId || !stage) return;
    if (!this.checkHeaders(message, order, eventId, stage, where)) return;
    const previous = this.seen.get(eventId);
    if (previous !== undefined) {
      if (previous === message.value) this.duplicates++;
      else this.problems.push(`${where}: sent again with different content`);
      return;
    }
    this.seen.set(eventId, message.value as string);
    const trail = this.trails.get(order.order_id) ?? { orderId: order.order_id, byTopic: {} };
    this.trails.set(order.order_id, trail);
    if (trail.byTopic[message.topic]) {
      this.problems.push(`order ${order.order_id}: two different events on ${message.topic}`);
      return;
    }
    trail.byTopic[message.topic] = { stage, order };
  }

  private parse(message: TopicMessage, where: string): Order | undefined {
    try {
      return JSON.parse(message.value ?? '') as Order;
    } catch {
      this.problems.push(`${where}: value is not JSON`);
      return undefined;
    }
  }

  private checkHeaders(message: TopicMessage, order: Order, eventId: string, stage: Stage, where: string): boolean {
    const before = this.problems.length;
    if (message.key !== order.order_id) this.problems.push(`${where}: key ${message.key} is not the order id ${order.order_id}`);
    if (eventId !== `${orderWorkflowId(order.order_id)}:${stage}`) this.problems.push(`${where}: event id is not <workflowId>:<stage>`);
    if (!STAGES_OF[message.topic].includes(stage)) this.problems.push(`${where}: stage ${stage} does not belong on ${message.topic}`);
    if (message.headers[HEADERS.schemaVersion] !== ORDER_SCHEMA_VERSION) this.problems.push(`${where}: schema-version is not ${ORDER_SCHEMA_VERSION}`);
    return this.problems.length === before;
  }

  /** One terminal message per order, on the path its branch implies, with consistent documents. */
  checkTrail(trail: OrderTrail): void {
    const { finished, failed } = trail.byTopic;
    const id = trail.orderId;
    if (finished && failed) return void this.problems.push(`order ${id}: on both finished_orders and failed_orders`);
    const terminal = finished ? { topic: 'finished' as const, ...finished } : failed ? { topic: 'failed' as const, ...failed } : undefined;
    if (!terminal) return void this.problems.push(`order ${id}: on no terminal topic`);
    const branch = branchOfTerminal(terminal.topic, terminal.stage, terminal.order);
    if (!branch) return void this.problems.push(`order ${id}: ${terminal.topic} with status ${terminal.order.shipping_info.order_status} at ${terminal.stage}`);
    trail.branch = branch;
    const path = PATHS[branch];
    const present = (Object.keys(trail.byTopic) as LifecycleTopic[]).sort();
    if (present.join() !== [...path].sort().join()) this.problems.push(`order ${id} (${branch}): on ${present.join(', ')}, expected ${path.join(' → ')}`);
    this.checkConsistency(trail, terminal.order);
  }

  /** Later messages carry forward what earlier ones said (payment, dispatch), never contradict it. */
  private checkConsistency(trail: OrderTrail, last: Order): void {
    const { unpaid, paid, shipped } = trail.byTopic;
    const id = trail.orderId;
    if (unpaid && JSON.stringify(unpaid.order.item_info) !== JSON.stringify(last.item_info)) this.problems.push(`order ${id}: items changed after placing`);
    if (paid && JSON.stringify(paid.order.payment_info) !== JSON.stringify(last.payment_info)) this.problems.push(`order ${id}: payment changed after paid_orders`);
    if (shipped) {
      const s = shipped.order.shipping_info;
      const l = last.shipping_info;
      if (s.shipping_id !== l.shipping_id || s.shipped_date !== l.shipped_date || s.eta !== l.eta) this.problems.push(`order ${id}: dispatch changed after shipped_orders`);
    }
  }
}

/** Audits the messages of a run; `expectedOrderIds` (if given) must each appear, and no others. */
export function auditLifecycle(messages: Iterable<TopicMessage>, expectedOrderIds?: Iterable<string>): AuditReport {
  const auditor = new Auditor();
  for (const m of messages) auditor.add(m);
  for (const trail of auditor.trails.values()) auditor.checkTrail(trail);
  if (expectedOrderIds) {
    const expected = new Set(expectedOrderIds);
    for (const id of expected) if (!auditor.trails.has(id)) auditor.problems.push(`order ${id}: no message at all`);
    for (const id of auditor.trails.keys()) if (!expected.has(id)) auditor.problems.push(`order ${id}: not part of this run`);
  }
  const branchCounts = Object.fromEntries(BRANCHES.map((b) => [b, 0])) as Record<Branch, number>;
  for (const t of auditor.trails.values()) if (t.branch) branchCounts[t.branch]++;
  return { trails: auditor.trails, problems: auditor.problems, branchCounts, duplicates: auditor.duplicates };
}
