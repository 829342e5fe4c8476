/**
 * Temporal's floor: the least an order workflow can cost the server. One workflow task, no
 * activity, no marker, no upsert: started with the very same request as a real order (same type
 * name, input, search attributes, id policies) and completed in its first task. Bundled by
 * bench/noop/worker.ts with --shape floor. No Node built-ins.
 */
import type { OrderLifecycleInput, OrderSnapshot } from '../../src/workflows/contract.js';

export async function orderLifecycle(input: OrderLifecycleInput): Promise<OrderSnapshot> {
  return { phase: 'done', order: input.order };
}
