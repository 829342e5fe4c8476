/**
 * The contract of the order lifecycle workflow: its name, task queue, id scheme, input, messages
 * (signals, updates, queries) and search attributes. The generator, the worker, the dashboard and
 * the tests all import this one module, so a rename cannot drift between them.
 * Runs inside the workflow sandbox too: no Node built-ins here.
 */
import { defineSearchAttributeKey, type SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LifecyclePlan } from '../domain/lifecycle-plan.js';
import type { Order, PaymentMethod, Stage } from '../domain/order.js';
import type { SimClockAnchor } from '../domain/sim-clock.js';

export const WORKFLOW_TYPE = 'orderLifecycle';
export const DEFAULT_TASK_QUEUE = 'order-lifecycle';

const WORKFLOW_ID_PREFIX = 'order-';

/** Workflow id of an order: `order-<order_id>`; one workflow per order, ever. */
export function orderWorkflowId(orderId: string): string {
  return `${WORKFLOW_ID_PREFIX}${orderId}`;
}

/** The order id inside a workflow id, or undefined if it is not an order workflow id. */
export function parseOrderWorkflowId(workflowId: string): string | undefined {
  if (!workflowId.startsWith(WORKFLOW_ID_PREFIX)) return undefined;
  const id = workflowId.slice(WORKFLOW_ID_PREFIX.length);
  return /^\d+$/.test(id) ? id : undefined;
}

/**
 * How simulated time passes. `skip`: no waiting at all, the simulated dates are still filled in
 * (backfill, tests, benchmarks). `scaled`: durable timers, `speed` simulated seconds per real second.
 */
export type TimeMode = 'skip' | 'scaled';

export interface LifecycleOptions {
  /** Run seed; with the order id it decides every outcome, so retries decide the same. */
  seed: string;
  timeMode: TimeMode;
  /** Simulated seconds per real second when timeMode is `scaled` (1 = real time). */
  speed: number;
  /**
   * The run's simulated clock (`scaled` mode; the generator sets it, skip mode ignores it). With
   * it, the workflow's simulated now is the run's, not one started at the order date: a stage
   * whose date is already past happens at once, a later one waits until the clock gets there,
   * so no date is ever later than the clock. Its speed is the one that counts. Without it (runs
   * started before the clock existed, tests), simulated time starts at the order date.
   */
  clock?: SimClockAnchor;
  /** Payment window in simulated hours (docs/simulation.md: 7 days). */
  paymentWindowHours: number;
  /**
   * Whether the simulated payment service pays the order. False leaves payment to a person
   * (the payOrder update) or to the timeout: the UI and CLI walkthroughs use it.
   */
  simulatePayment: boolean;
  /** Whether the simulated customer may cancel before dispatch (about 5 %). */
  simulateCancellation: boolean;
}

export const DEFAULT_LIFECYCLE_OPTIONS: Omit<LifecycleOptions, 'seed'> = {
  timeMode: 'scaled',
  speed: 3600,
  paymentWindowHours: 7 * 24,
  simulatePayment: true,
  simulateCancellation: true,
};

export interface OrderLifecycleInput {
  order: Order;
  options: LifecycleOptions;
  /**
   * The order's fate, decided by whoever starts the run (the generator: lifecycleInput in
   * src/generator/lifecycle-input.ts), so the run needs no plan step of its own. Used with
   * simulated payment only, by runs since the plan-from-input patch (docs/versioning.md); absent,
   * the run asks the planLifecycle activity, which decides the same.
   */
  plan?: LifecyclePlan;
}

/** Where the workflow is: the stage running now, or `done` once a terminal topic has the order. */
export type LifecyclePhase = Stage | 'done';

export interface OrderSnapshot {
  phase: LifecyclePhase;
  order: Order;
}

export interface PayOrderRequest {
  method: PaymentMethod;
}

export interface CancelOrderRequest {
  reason: string;
}

/** Pays an unpaid order; the validator rejects it once the order is no longer awaiting payment. */
export const payOrderUpdate = defineUpdate<OrderSnapshot, [PayOrderRequest]>('payOrder');
/** Cancels an order before dispatch; rejected once shipped or finished. */
export const cancelOrderUpdate = defineUpdate<OrderSnapshot, [CancelOrderRequest]>('cancelOrder');
/** Fire-and-forget cancel, for senders that cannot wait for an update result. */
export const cancelOrderSignal = defineSignal<[CancelOrderRequest]>('cancelOrder');
/** The current order document and phase. */
export const getOrderQuery = defineQuery<OrderSnapshot>('getOrder');

/** Search attributes set at each stage, so the Temporal UI can find and filter orders. */
export const searchAttributes = {
  orderStatus: defineSearchAttributeKey('OrderStatus', 'KEYWORD'),
  customerId: defineSearchAttributeKey('CustomerId', 'KEYWORD'),
  province: defineSearchAttributeKey('Province', 'KEYWORD'),
  orderTotal: defineSearchAttributeKey('OrderTotal', 'DOUBLE'),
  lifecyclePhase: defineSearchAttributeKey('LifecyclePhase', 'KEYWORD'),
} as const;

/** How the Temporal CLI spells each SDK search-attribute type (`--search-attribute Name=Type`). */
const CLI_TYPE_NAMES = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
} as const satisfies Record<SearchAttributeType, string>;

export interface SearchAttributeRegistration {
  name: string;
  cliType: (typeof CLI_TYPE_NAMES)[SearchAttributeType];
  /** `Name=Type`, as `temporal server start-dev --search-attribute` and the compose one-shot take it. */
  spec: string;
}

/**
 * The attributes to register on a Temporal server, derived from `searchAttributes` so the dev
 * server's flags, the compose one-shot (held to this by test/unit/compose.test.ts) and the
 * generator's hint cannot drift from what the workflow upserts.
 */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: readonly SearchAttributeRegistration[] = Object.values(searchAttributes).map((key) => ({
  name: key.name,
  cliType: CLI_TYPE_NAMES[key.type],
  spec: `${key.name}=${CLI_TYPE_NAMES[key.type]}`,
}));
