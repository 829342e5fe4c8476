/**
 * The five ways an order's lifecycle can end, and a deterministic search for orders that take a
 * given one under a given seed. Tests and scripts/record-histories.ts use it to drive every branch
 * of the workflow through the production code path: no test-only switches in the workflow, just
 * orders whose (seed, order id) fate happens to be the branch wanted.
 */
import { decideFate, type OrderFate } from '../../src/domain/fate.js';
import type { Order } from '../../src/domain/order.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';

export const BRANCHES = ['delivered', 'timed-out', 'cancelled-before-dispatch', 'cancelled-in-transit', 'returned'] as const;
export type Branch = (typeof BRANCHES)[number];

/** The branch a fate takes. */
export function branchOf(fate: OrderFate): Branch {
  if (fate.payment.status === 'Timed Out') return 'timed-out';
  if (fate.shipping?.outcome === 'Cancelled') return 'cancelled-before-dispatch';
  if (fate.delivery?.outcome === 'Cancelled') return 'cancelled-in-transit';
  if (fate.delivery?.outcome === 'Returned') return 'returned';
  return 'delivered';
}

/** The branch an order takes under `seed` with the default (or given) payment window. */
export function branchOfOrder(seed: string, order: Order, paymentWindowHours?: number): Branch {
  const fate = decideFate(seed, order.order_id, order.order_date, order.shipping_info.express_shipping, {
    ...(paymentWindowHours !== undefined ? { paymentWindowHours } : {}),
  });
  return branchOf(fate);
}

export interface BranchSearch {
  seed: string;
  /** Order id prefix (see src/generator/ids.ts): distinct per test run keeps workflow ids unique. */
  runId: number;
  /** Order date of every candidate. */
  orderDate: Date;
  paymentWindowHours?: number;
  /** Candidates to try before giving up (returned orders are about 1 in 90). */
  maxOrders?: number;
}

/** The first generated order of each wanted branch; throws naming the branches not found. */
export function findOrdersByBranch(search: BranchSearch, wanted: readonly Branch[] = BRANCHES): Map<Branch, Order> {
  const generator = new OrderGenerator({ seed: search.seed, runId: search.runId });
  const found = new Map<Branch, Order>();
  const limit = search.maxOrders ?? 5000;
  for (let i = 0; i < limit && found.size < wanted.length; i++) {
    const { order } = generator.next(search.orderDate);
    const branch = branchOfOrder(search.seed, order, search.paymentWindowHours);
    if (wanted.includes(branch) && !found.has(branch)) found.set(branch, order);
  }
  const missing = wanted.filter((b) => !found.has(b));
  if (missing.length > 0) throw new Error(`no order with branch ${missing.join(', ')} in ${limit} candidates of seed ${search.seed}`);
  return found;
}
