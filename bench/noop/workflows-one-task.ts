/**
 * The no-op lifecycle in today's one-task shape (the lifecycle since the plan-from-input patch,
 * docs/versioning.md): the patch marker, no plan step (the plan comes with the input), every emit
 * a local activity that does nothing, one search-attribute upsert at the end. Each order takes the
 * branch its fate decides, as the real workflow does. Registered as orderLifecycle, like
 * workflows.ts; bench/noop/worker.ts bundles one of the shapes (--shape). No Node built-ins.
 */
import { patched, proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { decideFate } from '../../src/domain/fate.js';
import { provinceForCode } from '../../src/domain/geography.js';
import { EMIT_LOCAL_ACTIVITY_OPTIONS } from '../../src/workflows/activity-options.js';
import { searchAttributes, type OrderLifecycleInput, type OrderSnapshot } from '../../src/workflows/contract.js';
import { PLAN_FROM_INPUT_PATCH } from '../../src/workflows/order-lifecycle.js';
import type { NoopActivities } from './activities.js';

const emit = proxyLocalActivities<Pick<NoopActivities, 'emit'>>(EMIT_LOCAL_ACTIVITY_OPTIONS);

export async function orderLifecycle(input: OrderLifecycleInput): Promise<OrderSnapshot> {
  const { order, options } = input;
  patched(PLAN_FROM_INPUT_PATCH);
  const fate = decideFate(options.seed, order.order_id, order.order_date, order.shipping_info.express_shipping, {
    paymentWindowHours: options.paymentWindowHours,
  });
  await emit.emit(order); // placed
  await emit.emit(order); // paid, or failed (timed out)
  if (fate.payment.status === 'Paid') {
    await emit.emit(order); // shipped, or failed (cancelled before dispatch)
    if (fate.shipping?.outcome === 'Shipped') await emit.emit(order); // finished, or failed
  }
  const info = order.customer_info;
  upsertSearchAttributes([
    { key: searchAttributes.orderStatus, value: order.shipping_info.order_status },
    { key: searchAttributes.customerId, value: info.customer_id },
    { key: searchAttributes.province, value: provinceForCode(info.provincial_code) ?? info.lgu },
    { key: searchAttributes.orderTotal, value: order.order_total },
    { key: searchAttributes.lifecyclePhase, value: 'done' },
  ]);
  return { phase: 'done', order };
}
