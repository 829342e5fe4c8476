/**
 * The baseline's workflow: the order lifecycle's shape with activities that do nothing. Registered
 * under the same type name (orderLifecycle) on its own task queue, so the generator's own starter
 * starts it with the very same request (input document, search attributes, id policies) as a real
 * order. Each order takes the branch its fate decides, as the real workflow does, so it runs the
 * same number of activities (2 to 4), local activities (1 to 3) and search-attribute upserts:
 * what is left out is only the work inside them (deciding, validating, sending to Kafka).
 * Runs in the workflow sandbox: no Node built-ins.
 */
import { proxyActivities, proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { decideFate } from '../../src/domain/fate.js';
import { provinceForCode } from '../../src/domain/geography.js';
import type { Order } from '../../src/domain/order.js';
import { EMIT_ACTIVITY_OPTIONS, PLAN_ACTIVITY_OPTIONS } from '../../src/workflows/activity-options.js';
import { searchAttributes, type LifecyclePhase, type OrderLifecycleInput, type OrderSnapshot } from '../../src/workflows/contract.js';
import type { NoopActivities } from './activities.js';

const plan = proxyLocalActivities<Pick<NoopActivities, 'plan'>>(PLAN_ACTIVITY_OPTIONS);
const emit = proxyActivities<Pick<NoopActivities, 'emit'>>(EMIT_ACTIVITY_OPTIONS);

function enter(order: Order, phase: LifecyclePhase): void {
  const info = order.customer_info;
  upsertSearchAttributes([
    { key: searchAttributes.orderStatus, value: order.shipping_info.order_status },
    { key: searchAttributes.customerId, value: info.customer_id },
    { key: searchAttributes.province, value: provinceForCode(info.provincial_code) ?? info.lgu },
    { key: searchAttributes.orderTotal, value: order.order_total },
    { key: searchAttributes.lifecyclePhase, value: phase },
  ]);
}

/** The no-op lifecycle: place, payment, shipping, delivery as the order's fate goes, nothing done. */
export async function orderLifecycle(input: OrderLifecycleInput): Promise<OrderSnapshot> {
  const { order, options } = input;
  const fate = decideFate(options.seed, order.order_id, order.order_date, order.shipping_info.express_shipping, {
    paymentWindowHours: options.paymentWindowHours,
  });
  const done = (): OrderSnapshot => {
    enter(order, 'done');
    return { phase: 'done', order };
  };
  enter(order, 'place');
  await emit.emit(order);
  enter(order, 'payment');
  await plan.plan(order.order_id);
  await emit.emit(order); // paid, or failed (timed out)
  if (fate.payment.status !== 'Paid') return done();
  enter(order, 'shipping');
  await plan.plan(order.order_id);
  await emit.emit(order); // shipped, or failed (cancelled before dispatch)
  if (fate.shipping?.outcome !== 'Shipped') return done();
  enter(order, 'delivery');
  await plan.plan(order.order_id);
  await emit.emit(order); // finished, or failed (in transit, returned)
  return done();
}
