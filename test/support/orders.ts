/**
 * Terminal order documents for tests, made the way the pipeline makes them: the real generator
 * places them, the real fate simulator decides their lives, the workflow's own transitions apply
 * the decisions. Each comes with the topic it ends on and the event id the workflow would send.
 */
import { decideFate } from '../../src/domain/fate.js';
import type { Order } from '../../src/domain/order.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';
import { markEnded, markPaid, markShipped, markTimedOut } from '../../src/workflows/order-transitions.js';
import { orderWorkflowId } from '../../src/workflows/contract.js';

export interface TerminalOrder {
  order: Order;
  kind: 'finished' | 'failed';
  eventId: string;
}

export function finalOrder(placed: Order, seed: string): TerminalOrder {
  const fate = decideFate(seed, placed.order_id, placed.order_date, placed.shipping_info.express_shipping);
  const wf = orderWorkflowId(placed.order_id);
  if (fate.payment.status === 'Timed Out') {
    return { order: markTimedOut(placed, fate.payment.timedOutDate), kind: 'failed', eventId: `${wf}:payment` };
  }
  const paid = markPaid(placed, fate.payment.method, fate.payment.paymentDate);
  if (!fate.shipping || fate.shipping.outcome === 'Cancelled') {
    const date = fate.shipping?.outcome === 'Cancelled' ? fate.shipping.cancelledDate : fate.payment.paymentDate;
    return { order: markEnded(paid, 'Cancelled', date), kind: 'failed', eventId: `${wf}:shipping` };
  }
  const shipped = markShipped(paid, fate.shipping);
  const delivery = fate.delivery as NonNullable<typeof fate.delivery>;
  const ended = markEnded(shipped, delivery.outcome, delivery.finishedDate);
  return { order: ended, kind: delivery.outcome === 'Delivered' ? 'finished' : 'failed', eventId: `${wf}:delivery` };
}

/** `count` terminal orders, one every ten minutes back from a fixed date, deterministic for a seed. */
export function terminalOrders(count: number, seed = 'test-seed', runId = 4242): TerminalOrder[] {
  const gen = new OrderGenerator({ seed, runId });
  const start = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => finalOrder(gen.next(new Date(start + i * 600_000)).order, seed));
}
