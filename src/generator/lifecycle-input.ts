/**
 * The input of an order's workflow as the generator starts it: the order, the run's lifecycle
 * options and, when payment is simulated, the order's whole plan (src/domain/lifecycle-plan.ts),
 * decided here exactly as the planLifecycle activity would decide it. The run then asks no plan
 * step of its own: one local activity less per order. The recording script and the tests build
 * their inputs here too, so they start runs the way the generator does.
 */
import { planLifecycle } from '../activities/order-activities.js';
import type { Order } from '../domain/order.js';
import type { LifecycleOptions, OrderLifecycleInput } from '../workflows/contract.js';

export function lifecycleInput(order: Order, options: LifecycleOptions): OrderLifecycleInput {
  if (!options.simulatePayment) return { order, options };
  const plan = planLifecycle({
    seed: options.seed,
    orderId: order.order_id,
    orderDate: order.order_date,
    paymentWindowHours: options.paymentWindowHours,
    express: order.shipping_info.express_shipping,
    customerMayCancel: options.simulateCancellation,
  });
  return { order, options, plan };
}
