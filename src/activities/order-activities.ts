/**
 * The activities of the order lifecycle: one "plan" activity per stage that asks the simulated
 * outside world (payment service, warehouse, courier) what happens to the order, and one "emit"
 * activity per stage outcome that publishes the order document to its topic.
 *
 * Why the decisions run in activities and not in the workflow, although the fate simulator is
 * pure and deterministic: an activity's result is recorded in the workflow history. Replays then
 * read each decision from the history instead of recomputing it, so the facts in src/domain can be
 * retuned without breaking running workflows or the recorded histories; and the Web UI shows each
 * decision (when the customer pays, when the parcel leaves) in the history. The workflow runs the
 * plans as local activities: they are pure and take microseconds, so a marker event inside the
 * workflow task costs far less than a scheduled activity (37 instead of 52 events per order).
 * Since the local-emits patch (docs/versioning.md) the workflow asks planLifecycle once per order
 * and runs the emits as local activities too: a Kafka send with acks=all is short, idempotent work,
 * so a lifecycle with no timer in it is one workflow task (12 events instead of 37). Since the
 * plan-from-input patch the generator decides the same plan (src/generator/lifecycle-input.ts) and
 * hands it over in the input, recorded in the history like an activity's result, so the workflow
 * asks planLifecycle only when started without one.
 *
 * Activities are thin: planning calls src/domain/fate.ts, emitting calls the worker's one
 * OrderProducer. Every outcome derives from (seed, order id), and every message carries the event
 * id `<workflowId>:<stage>`, so a retried activity decides and emits exactly the same thing.
 */
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  decideDelivery,
  decidePayment,
  decideShipping,
  type DeliveryDecision,
  type PaymentDecision,
  type ShippingDecision,
} from '../domain/fate.js';
import type { LifecyclePlan } from '../domain/lifecycle-plan.js';
import { isIsoDate, type Order, type Stage } from '../domain/order.js';
import { checkOrderFor } from '../domain/order-schema.js';
import { eventIdOf, type LifecycleTopic, type OrderProducer } from '../kafka/order-producer.js';
import { invalidOrderFailure } from '../workflows/activity-options.js';

export interface PlanPaymentInput {
  seed: string;
  orderId: string;
  orderDate: string;
  paymentWindowHours: number;
}

export interface PlanShippingInput {
  seed: string;
  orderId: string;
  paymentDate: string;
  express: boolean;
  /** False: the simulated customer never cancels (LifecycleOptions.simulateCancellation). */
  customerMayCancel: boolean;
}

export interface PlanDeliveryInput {
  seed: string;
  orderId: string;
  shippedDate: string;
  eta: string;
}

export interface PlanLifecycleInput extends PlanPaymentInput {
  express: boolean;
  /** False: the simulated customer never cancels (LifecycleOptions.simulateCancellation). */
  customerMayCancel: boolean;
}

export type DispatchDecision = Extract<ShippingDecision, { outcome: 'Shipped' }>;

/** Redraws are bounded: at a 5 % cancel share, 50 cancelling draws in a row has odds of about 1e-65. */
const MAX_DISPATCH_REDRAWS = 50;

/** A non-retryable InvalidOrder failure unless `date` is an ISO-8601 timestamp (the order schema's rule). */
function assertIsoDate(what: string, date: unknown): asserts date is string {
  if (!isIsoDate(date)) throw invalidOrderFailure(`${what} must be an ISO-8601 date, got ${JSON.stringify(date)}`);
}

/**
 * Refuses, with the non-retryable InvalidOrder failure, an order the schema says may not go to
 * `topic`: a bug upstream must not put a message on the wrong topic or with missing fields (the
 * bridge and the dashboards trust these topics). The reason is the schema's, as the bridge gives it.
 */
export function validateOrderFor(topic: LifecycleTopic, order: unknown): void {
  const checked = checkOrderFor(topic, order);
  if (!checked.ok) throw invalidOrderFailure(checked.problem);
}

function assertSeedAndId(seed: unknown, orderId: unknown): void {
  if (typeof seed !== 'string' || seed === '') throw invalidOrderFailure(`seed must be a non-empty string, got ${JSON.stringify(seed)}`);
  if (typeof orderId !== 'string' || !/^\d+$/.test(orderId)) throw invalidOrderFailure(`orderId must be digits, got ${JSON.stringify(orderId)}`);
}

/** The simulated payment service: whether, when and how the customer pays, or when the window closes. */
export function planPayment(input: PlanPaymentInput): PaymentDecision {
  assertSeedAndId(input.seed, input.orderId);
  assertIsoDate('orderDate', input.orderDate);
  if (!(input.paymentWindowHours > 0)) throw invalidOrderFailure(`paymentWindowHours must be positive, got ${input.paymentWindowHours}`);
  return decidePayment(input.seed, input.orderId, input.orderDate, { paymentWindowHours: input.paymentWindowHours });
}

/**
 * The simulated warehouse and customer: when the order is dispatched, or when the customer cancels.
 * With customerMayCancel false a cancelling fate is redrawn under a derived key until it ships:
 * still a pure function of (seed, order id), and dispatch dates keep their distribution because
 * the fate draws them independently of the cancel decision.
 */
export function planShipping(input: PlanShippingInput): ShippingDecision {
  assertSeedAndId(input.seed, input.orderId);
  assertIsoDate('paymentDate', input.paymentDate);
  const first = decideShipping(input.seed, input.orderId, input.paymentDate, input.express);
  if (first.outcome === 'Shipped' || input.customerMayCancel) return first;
  for (let redraw = 1; redraw <= MAX_DISPATCH_REDRAWS; redraw++) {
    const next = decideShipping(`${input.seed}|no-cancel-${redraw}`, input.orderId, input.paymentDate, input.express);
    if (next.outcome === 'Shipped') return next;
  }
  // Deterministic, so retrying cannot help: fail the activity for good.
  throw ApplicationFailure.create({ message: `no dispatch found for order ${input.orderId} in ${MAX_DISPATCH_REDRAWS} redraws`, nonRetryable: true });
}

/** The simulated courier: delivered, cancelled in transit or returned, and when. */
export function planDelivery(input: PlanDeliveryInput): DeliveryDecision {
  assertSeedAndId(input.seed, input.orderId);
  assertIsoDate('shippedDate', input.shippedDate);
  assertIsoDate('eta', input.eta);
  return decideDelivery(input.seed, input.orderId, input.shippedDate, input.eta);
}

/**
 * The three plans in one step, chained exactly as the stages would ask for them one by one (so the
 * same order decides the same as with planPayment, planShipping and planDelivery). The generator
 * puts it in the workflow's input (src/generator/lifecycle-input.ts); a run started without one asks
 * this activity once: one marker instead of three. A person's payment changes the payment date and
 * so the later plans: the workflow then asks planShipping and planDelivery itself.
 */
export function planLifecycle(input: PlanLifecycleInput): LifecyclePlan {
  const payment = planPayment(input);
  if (payment.status !== 'Paid') return { payment };
  const { seed, orderId, express, customerMayCancel } = input;
  const shipping = planShipping({ seed, orderId, paymentDate: payment.paymentDate, express, customerMayCancel });
  if (shipping.outcome !== 'Shipped') return { payment, shipping };
  return { payment, shipping, delivery: planDelivery({ seed, orderId, shippedDate: shipping.shippedDate, eta: shipping.eta }) };
}

export interface FailOrderInput {
  /** The stage the order failed in: its event id is `<workflowId>:<stage>`. */
  stage: Stage;
  order: Order;
}

/** Builds the activities around the worker's shared producer. */
export function createOrderActivities(producer: OrderProducer) {
  const emit = async (topic: LifecycleTopic, stage: Stage, order: Order): Promise<void> => {
    validateOrderFor(topic, order);
    // The workflow id comes from the server, not from the caller: the event id cannot be forged.
    // Local activities (the emits since the local-emits patch) get it the same way.
    const info = activityInfo();
    const workflowId = info.workflowExecution?.workflowId;
    if (!workflowId) throw invalidOrderFailure(`${stage} emit must run from an order workflow (no workflow id)`);
    const eventId = eventIdOf(workflowId, stage);
    await producer.send({ topic, stage, eventId, order, attempt: info.attempt });
  };
  return {
    planPayment: async (input: PlanPaymentInput): Promise<PaymentDecision> => planPayment(input),
    planShipping: async (input: PlanShippingInput): Promise<ShippingDecision> => planShipping(input),
    planDelivery: async (input: PlanDeliveryInput): Promise<DeliveryDecision> => planDelivery(input),
    planLifecycle: async (input: PlanLifecycleInput): Promise<LifecyclePlan> => planLifecycle(input),
    /** place → unpaid_orders */
    placeOrder: (order: Order): Promise<void> => emit('unpaid', 'place', order),
    /** payment → paid_orders */
    processPayment: (order: Order): Promise<void> => emit('paid', 'payment', order),
    /** shipping → shipped_orders */
    shipOrder: (order: Order): Promise<void> => emit('shipped', 'shipping', order),
    /** delivery → finished_orders */
    deliverOrder: (order: Order): Promise<void> => emit('finished', 'delivery', order),
    /** any stage → failed_orders (Timed Out, Cancelled, Returned) */
    failOrder: (input: FailOrderInput): Promise<void> => emit('failed', input.stage, input.order),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
