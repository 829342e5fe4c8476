/**
 * orderLifecycle: one workflow per order, place → payment → shipping → delivery (docs/architecture.md).
 *
 * Each stage asks a plan activity what the simulated world does (see src/activities for why the
 * decisions are activities), waits for it on a durable timer in simulated time (skipped in
 * `skip` mode), lets people interrupt the wait through updates or a signal, then commits the new
 * order state and emits it. State is committed before the emit starts, so queries and update
 * validators always see what the topics are about to get, and a retried emit sends the same thing.
 *
 * Three shapes, chosen once per run by patch markers (docs/versioning.md): runs started before
 * LOCAL_EMITS_PATCH keep their per-stage plans, emit activities and search-attribute upserts;
 * runs started since plan once (planLifecycle), emit through local activities and upsert the
 * search attributes only before a real wait and at the end, so a lifecycle with no timer in it
 * (skip mode, backfilled orders) is one workflow task. Runs since PLAN_FROM_INPUT_PATCH do the
 * same but take the plan from their input when it has one (the generator's), so they ask no plan
 * step at all. All shapes emit the same messages.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LifecyclePlan, OrderActivities } from '../activities/index.js';
import { provinceForCode } from '../domain/geography.js';
import { planProblem } from '../domain/lifecycle-plan.js';
import type { Order, PaymentMethod, Stage } from '../domain/order.js';
import { EMIT_ACTIVITY_OPTIONS, EMIT_LOCAL_ACTIVITY_OPTIONS, INVALID_ORDER_FAILURE, PLAN_ACTIVITY_OPTIONS, invalidOrderFailure } from './activity-options.js';
import {
  cancelOrderSignal,
  cancelOrderUpdate,
  getOrderQuery,
  orderWorkflowId,
  payOrderUpdate,
  searchAttributes,
  type CancelOrderRequest,
  type LifecycleOptions,
  type LifecyclePhase,
  type OrderLifecycleInput,
  type OrderSnapshot,
} from './contract.js';
import {
  cancelRejection,
  clampDate,
  cloneOrder,
  markEnded,
  markPaid,
  markShipped,
  markTimedOut,
  payRejection,
  type PendingRequests,
} from './order-transitions.js';
import { SimClock } from './sim-clock.js';

const HOUR_MS = 3_600_000;

/**
 * The patch id of the one-task shape (local emits, one plan, deferred search attributes). Never
 * rename it: running workflows carry it in their histories. See docs/versioning.md.
 */
export const LOCAL_EMITS_PATCH = 'local-emits-one-plan';

/**
 * The patch id of the one-task shape that takes its plan from the input (OrderLifecycleInput.plan)
 * instead of asking planLifecycle. Never rename it. A run asks it first: a run that has it records
 * no LOCAL_EMITS_PATCH marker (the one-task shape is implied).
 */
export const PLAN_FROM_INPUT_PATCH = 'plan-from-input';

type EmitActivities = Pick<OrderActivities, 'placeOrder' | 'processPayment' | 'shipOrder' | 'deliverOrder' | 'failOrder'>;

const plan = proxyLocalActivities<Pick<OrderActivities, 'planPayment' | 'planShipping' | 'planDelivery' | 'planLifecycle'>>(PLAN_ACTIVITY_OPTIONS);
/** Emits of runs started before LOCAL_EMITS_PATCH: one scheduled activity each. */
const emitScheduled = proxyActivities<EmitActivities>(EMIT_ACTIVITY_OPTIONS);
/** Emits since LOCAL_EMITS_PATCH: local activities, markers named as the activities were. */
const emitLocal = proxyLocalActivities<EmitActivities>(EMIT_LOCAL_ACTIVITY_OPTIONS);

/** The mutable state of one run, read by the query and the update validators. */
class Lifecycle {
  phase: LifecyclePhase = 'place';
  readonly pending: PendingRequests = {};
  /** Stages whose message is on its topic. */
  readonly emitted = new Set<Stage>();
  readonly clock: SimClock;
  /** Started since LOCAL_EMITS_PATCH (set once, before the first command; see orderLifecycle). */
  oneTask = false;
  /** The whole plan, asked once or given (one-task shape with simulated payment). */
  plan: LifecyclePlan | undefined;
  /** The input's plan, for runs since PLAN_FROM_INPUT_PATCH (checked by validateInput). */
  givenPlan: LifecyclePlan | undefined;
  /** Search attributes changed since the last upsert (one-task shape only). */
  private attributesStale = false;

  constructor(
    public order: Order,
    readonly options: LifecycleOptions,
  ) {
    const startMs = workflowInfo().startTime.getTime();
    this.clock = new SimClock(options.timeMode, options.speed, Date.parse(order.order_date), startMs, options.clock);
  }

  snapshot(): OrderSnapshot {
    return { phase: this.phase, order: cloneOrder(this.order) };
  }

  /** The simulated moment of a person's action, kept inside the stage's own time span. */
  actionDate(min: string, max: string): string {
    return clampDate(this.clock.now(Date.now()), min, max);
  }

  enter(phase: LifecyclePhase): void {
    this.phase = phase;
    if (this.oneTask) this.attributesStale = true;
    else publishSearchAttributes(this);
  }

  /** One-task shape: upserts what changed, before the run waits or ends (one upsert per task). */
  flushSearchAttributes(): void {
    if (!this.attributesStale) return;
    this.attributesStale = false;
    publishSearchAttributes(this);
  }

  get emit(): EmitActivities {
    return this.oneTask ? emitLocal : emitScheduled;
  }

  /** Waits in simulated time until `target` or until `interrupted()`; true if interrupted. */
  async waitUntil(target: string, what: string, interrupted: () => boolean = () => false): Promise<boolean> {
    const targetMs = Date.parse(target);
    const delayMs = this.clock.realDelayMs(targetMs, Date.now());
    if (delayMs > 0) {
      this.flushSearchAttributes();
      setCurrentDetails(`${what} at ${target} (simulated; ${delayMs} ms real time at speed ${this.options.speed})`);
      const early = await condition(interrupted, delayMs, { summary: `${what} at ${target}` });
      if (early) return true;
    }
    if (interrupted()) return true;
    this.clock.advanceTo(targetMs);
    return false;
  }
}

function publishSearchAttributes(state: Lifecycle): void {
  const info = state.order.customer_info;
  upsertSearchAttributes([
    { key: searchAttributes.orderStatus, value: state.order.shipping_info.order_status },
    { key: searchAttributes.customerId, value: info.customer_id },
    { key: searchAttributes.province, value: provinceForCode(info.provincial_code) ?? info.lgu },
    { key: searchAttributes.orderTotal, value: state.order.order_total },
    { key: searchAttributes.lifecyclePhase, value: state.phase },
  ]);
}

/**
 * Bad input fails the workflow at once with a message naming the problem. The workflow checks the
 * input's shape, its id and the options here; the order document itself is checked against the
 * order schema by the first emit (placeOrder, below), as the placed order it must be, so the reason
 * is the one the bridge would give for the same document. Not here: the workflow sandbox gives every
 * run fresh module state, so the schema would be built again for every order (it was most of the
 * worker's CPU per order), while an activity builds it once per worker.
 */
function validateInput(input: OrderLifecycleInput): void {
  const { order, options } = input ?? {};
  if (!order || !options || typeof order !== 'object') throw invalidOrderFailure('input must be { order, options }');
  const expectedId = orderWorkflowId(order.order_id);
  if (workflowInfo().workflowId !== expectedId) {
    throw invalidOrderFailure(`workflow id must be ${expectedId} for order ${order.order_id}, got ${workflowInfo().workflowId}`);
  }
  if (typeof options.seed !== 'string' || options.seed === '') throw invalidOrderFailure('options.seed must be a non-empty string');
  if (options.timeMode !== 'skip' && options.timeMode !== 'scaled') throw invalidOrderFailure(`options.timeMode must be skip or scaled, got ${options.timeMode}`);
  if (!(options.speed > 0) || !Number.isFinite(options.speed)) throw invalidOrderFailure(`options.speed must be a positive number, got ${options.speed}`);
  const clock = options.clock;
  if (clock !== undefined && !(Number.isFinite(clock?.simStartMs) && Number.isFinite(clock?.realStartMs) && clock.speed > 0 && Number.isFinite(clock.speed))) {
    throw invalidOrderFailure(`options.clock must be { simStartMs, realStartMs, speed > 0 }, got ${JSON.stringify(clock)}`);
  }
  if (!(options.paymentWindowHours > 0) || !Number.isFinite(options.paymentWindowHours)) {
    throw invalidOrderFailure(`options.paymentWindowHours must be a positive number, got ${options.paymentWindowHours}`);
  }
  if (input.plan !== undefined) {
    const problem = planProblem(input.plan, order.order_date);
    if (problem) throw invalidOrderFailure(problem);
  }
}

/**
 * An update validator's refusal: a non-retryable application failure whose message is the reason,
 * so a client (or `temporal workflow update`) shows the reason itself and never retries it.
 */
function refuseIf(reason: string | undefined): void {
  if (reason) throw ApplicationFailure.create({ type: 'UpdateRefused', message: reason, nonRetryable: true });
}

function registerHandlers(state: Lifecycle): void {
  setHandler(getOrderQuery, () => state.snapshot());

  setHandler(
    payOrderUpdate,
    async (request) => {
      state.pending.pay = request;
      await condition(() => state.emitted.has('payment'));
      if (state.order.payment_info.payment_status !== 'Paid') {
        throw ApplicationFailure.create({ message: `payment not applied: order ended ${state.order.shipping_info.order_status}`, nonRetryable: true });
      }
      return state.snapshot();
    },
    {
      validator: (request) => refuseIf(payRejection(state.order, state.pending, request)),
    },
  );

  setHandler(
    cancelOrderUpdate,
    async (request) => {
      requestCancel(state, request);
      // Applied means on failed_orders (the run is then done); dispatch first means it came too late.
      await condition(() => state.phase === 'done' || state.order.shipping_info.order_status === 'Shipped');
      if (state.order.shipping_info.order_status !== 'Cancelled') {
        throw ApplicationFailure.create({ message: `cancellation not applied: order is ${state.order.shipping_info.order_status}`, nonRetryable: true });
      }
      return state.snapshot();
    },
    {
      validator: (request) => refuseIf(cancelRejection(state.order, state.pending, request)),
    },
  );

  // A signal cannot be refused: a cancel that arrives too late is logged and has no effect.
  setHandler(cancelOrderSignal, (request) => {
    const reason = cancelRejection(state.order, state.pending, request);
    if (reason) log.warn(`cancelOrder signal ignored: ${reason}`);
    else requestCancel(state, request);
  });
}

function requestCancel(state: Lifecycle, request: CancelOrderRequest): void {
  state.pending.cancel = request;
  upsertMemo({ cancelReason: request.reason });
}

/** Commits a failure status already set on the order: phase done, message to failed_orders. */
async function fail(state: Lifecycle, stage: Stage): Promise<void> {
  await state.emit.failOrder({ stage, order: state.order });
  state.emitted.add(stage);
}

async function place(state: Lifecycle): Promise<void> {
  try {
    await state.emit.placeOrder(state.order);
  } catch (err) {
    // placeOrder refused the document (the order schema): the run fails with that reason itself.
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === INVALID_ORDER_FAILURE) throw err.cause;
    throw err;
  }
  state.emitted.add('place');
}

/** The simulated payment: the whole plan at once in the one-task shape, else the payment alone. */
async function planPayment(state: Lifecycle) {
  const { order, options } = state;
  const input = { seed: options.seed, orderId: order.order_id, orderDate: order.order_date, paymentWindowHours: options.paymentWindowHours };
  if (!state.oneTask) return plan.planPayment(input);
  state.plan = state.givenPlan ?? (await plan.planLifecycle({ ...input, express: order.shipping_info.express_shipping, customerMayCancel: options.simulateCancellation }));
  return state.plan.payment;
}

/** Payment stage; true when the order is paid. */
async function payment(state: Lifecycle): Promise<boolean> {
  state.enter('payment');
  const { order, options } = state;
  const deadline = new Date(Date.parse(order.order_date) + options.paymentWindowHours * HOUR_MS).toISOString();
  const simulated = options.simulatePayment ? await planPayment(state) : undefined;
  const target = simulated?.status === 'Paid' ? simulated.paymentDate : deadline;
  // A person paying wins over everything; a cancel without a payment ends the unpaid order.
  await state.waitUntil(target, simulated?.status === 'Paid' ? 'customer pays' : 'payment window closes', () => state.pending.pay !== undefined || state.pending.cancel !== undefined);
  if (state.pending.pay) return pay(state, state.pending.pay.method, state.actionDate(order.order_date, deadline));
  if (state.pending.cancel) {
    state.order = markEnded(order, 'Cancelled', state.actionDate(order.order_date, deadline));
    await fail(state, 'payment');
    return false;
  }
  if (simulated?.status === 'Paid') return pay(state, simulated.method, simulated.paymentDate);
  state.order = markTimedOut(order, deadline);
  await fail(state, 'payment');
  return false;
}

async function pay(state: Lifecycle, method: PaymentMethod, paymentDate: string): Promise<true> {
  state.order = markPaid(state.order, method, paymentDate);
  state.clock.advanceTo(Date.parse(paymentDate));
  await state.emit.processPayment(state.order);
  state.emitted.add('payment');
  return true;
}

/** Shipping stage; true when the order is dispatched. */
async function shipping(state: Lifecycle): Promise<boolean> {
  state.enter('shipping');
  const { order, options } = state;
  const paymentDate = order.payment_info.payment_date as string;
  // The plan asked at payment holds when the order was paid on the planned date (a pure function
  // of it); a person paying on another date needs the warehouse asked again.
  const planned = state.plan?.payment.status === 'Paid' && state.plan.payment.paymentDate === paymentDate ? state.plan.shipping : undefined;
  const decision =
    planned ??
    (await plan.planShipping({
      seed: options.seed,
      orderId: order.order_id,
      paymentDate,
      express: order.shipping_info.express_shipping,
      customerMayCancel: options.simulateCancellation,
    }));
  const target = decision.outcome === 'Shipped' ? decision.shippedDate : decision.cancelledDate;
  const what = decision.outcome === 'Shipped' ? 'dispatch' : 'customer cancels';
  const cancelledByPerson = await state.waitUntil(target, what, () => state.pending.cancel !== undefined);
  if (cancelledByPerson || decision.outcome === 'Cancelled') {
    const date = decision.outcome === 'Cancelled' && !cancelledByPerson ? decision.cancelledDate : state.actionDate(paymentDate, target);
    state.order = markEnded(order, 'Cancelled', date);
    await fail(state, 'shipping');
    return false;
  }
  state.order = markShipped(order, decision);
  await state.emit.shipOrder(state.order);
  state.emitted.add('shipping');
  return true;
}

/** Delivery stage: the courier's outcome, at its date. Nobody can interrupt a parcel in transit. */
async function delivery(state: Lifecycle): Promise<void> {
  state.enter('delivery');
  const { order, options } = state;
  const shippedDate = order.shipping_info.shipped_date as string;
  const eta = order.shipping_info.eta as string;
  const shipped = state.plan?.shipping;
  const planned = shipped?.outcome === 'Shipped' && shipped.shippedDate === shippedDate && shipped.eta === eta ? state.plan?.delivery : undefined;
  const decision = planned ?? (await plan.planDelivery({ seed: options.seed, orderId: order.order_id, shippedDate, eta }));
  await state.waitUntil(decision.finishedDate, decision.outcome === 'Delivered' ? 'delivery' : `parcel ${decision.outcome.toLowerCase()}`);
  state.order = markEnded(order, decision.outcome, decision.finishedDate);
  if (decision.outcome === 'Delivered') {
    await state.emit.deliverOrder(state.order);
    state.emitted.add('delivery');
  } else {
    await fail(state, 'delivery');
  }
}

/** The order lifecycle workflow; returns the final order and phase `done`. */
export async function orderLifecycle(input: OrderLifecycleInput): Promise<OrderSnapshot> {
  validateInput(input);
  const state = new Lifecycle(cloneOrder(input.order), input.options);
  // Asked once, before the first command: a run started before a patch replays (and goes on) in
  // its old shape on this code, every new run takes the newest shape. The newest is asked first,
  // so a new run records one marker.
  const planFromInput = patched(PLAN_FROM_INPUT_PATCH);
  state.oneTask = planFromInput || patched(LOCAL_EMITS_PATCH);
  state.givenPlan = planFromInput ? input.plan : undefined;
  registerHandlers(state);
  state.enter('place');
  await place(state);
  if ((await payment(state)) && (await shipping(state))) await delivery(state);
  state.enter('done');
  state.flushSearchAttributes();
  setCurrentDetails(`ended ${state.order.shipping_info.order_status} on ${state.order.shipping_info.finished_date}`);
  // Let accepted updates return their result before the run closes.
  await condition(allHandlersFinished);
  // The worker counts these for its periodic summary and prints them one by one only at debug.
  log.info(`order ${state.order.order_id} ended ${state.order.shipping_info.order_status}`, { orderEnded: state.order.shipping_info.order_status });
  return state.snapshot();
}
