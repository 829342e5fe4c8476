/**
 * Hands orders to Temporal: one `orderLifecycle` workflow per order, id `order-<order_id>`, with the
 * search attributes set at start. Starting is idempotent: conflict policy FAIL (a running workflow
 * with that id is left alone) and reuse policy REJECT_DUPLICATE (a closed one is never started
 * again), so a repeated run never creates a second workflow for an order.
 *
 * The run summary counts started vs already existing orders: with those two policies the server
 * answers a start for an id it knows with WorkflowExecutionAlreadyStartedError, and a start it
 * accepted created the workflow, so the client's public start() says which one happened. (A start
 * the SDK retries after a lost answer carries the same request id, which the server recognises as
 * the start that created the workflow: still 'started'.)
 *
 * With tracing on, each start is the root span of the order's trace (`start order`, attribute
 * order.id), and Temporal's client interceptor puts its context in the start request's headers,
 * where the workflow's interceptors pick it up.
 *
 * Starts pass the workflow function itself, so the input is type-checked against its signature;
 * the SDK takes the workflow type from the function's name (the same as WORKFLOW_TYPE).
 */
import { SpanKind } from '@opentelemetry/api';
import { Client, WorkflowExecutionAlreadyStartedError, type Connection, type WorkflowClient } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { provinceForCode } from '../domain/geography.js';
import { ATTR, inSpan, type Tracing } from '../telemetry/tracing.js';
import type { Order } from '../domain/order.js';
import { lifecycleInput } from './lifecycle-input.js';
import { orderWorkflowId, searchAttributes, type LifecycleOptions, type OrderLifecycleInput } from '../workflows/contract.js';
import { orderLifecycle } from '../workflows/index.js';
import type { GeneratorMetrics } from './metrics.js';

export type StartResult = 'started' | 'existing';

/** The search attributes an order has when placed. */
export function placedSearchAttributes(order: Order): SearchAttributePair[] {
  const info = order.customer_info;
  return [
    { key: searchAttributes.customerId, value: info.customer_id },
    { key: searchAttributes.orderStatus, value: order.shipping_info.order_status },
    { key: searchAttributes.province, value: provinceForCode(info.provincial_code) ?? info.lgu },
    { key: searchAttributes.orderTotal, value: order.order_total },
  ];
}

export interface OrderStarterSettings {
  namespace: string;
  taskQueue: string;
  /** Lifecycle options passed to every workflow (same seed as the generator). */
  lifecycle: LifecycleOptions;
  /** Tracing on: a root span per start, carried into the workflow; undefined = off. */
  tracing?: Pick<Tracing, 'tracer' | 'workflowClientInterceptor'>;
  /** Metrics on: every start counted by result, every failed one as an error; undefined = off. */
  metrics?: Pick<GeneratorMetrics, 'started' | 'failed'>;
}

export class OrderStarter {
  private readonly client: WorkflowClient;

  constructor(
    connection: Connection,
    private readonly settings: OrderStarterSettings,
  ) {
    const interceptors = settings.tracing ? { interceptors: { workflow: [settings.tracing.workflowClientInterceptor()] } } : {};
    this.client = new Client({ connection, namespace: settings.namespace, ...interceptors }).workflow;
  }

  /** Starts the order's workflow; 'existing' when a workflow with its id already exists or existed. */
  async start(order: Order): Promise<StartResult> {
    const metrics = this.settings.metrics;
    if (!metrics) return this.startTraced(order);
    try {
      const result = await this.startTraced(order);
      metrics.started(result);
      return result;
    } catch (err) {
      metrics.failed();
      throw err;
    }
  }

  private async startTraced(order: Order): Promise<StartResult> {
    const tracer = this.settings.tracing?.tracer;
    if (!tracer) return this.startWorkflow(order);
    // root: one trace per order, whatever context the caller runs in.
    return inSpan(tracer, 'start order', { kind: SpanKind.PRODUCER, root: true, attributes: { [ATTR.orderId]: order.order_id } }, async (span) => {
      const result = await this.startWorkflow(order);
      span.setAttribute('order.start_result', result);
      return result;
    });
  }

  private async startWorkflow(order: Order): Promise<StartResult> {
    const workflowId = orderWorkflowId(order.order_id);
    const input: OrderLifecycleInput = lifecycleInput(order, this.settings.lifecycle);
    try {
      await this.client.start(orderLifecycle, {
        workflowId,
        taskQueue: this.settings.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: placedSearchAttributes(order),
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'existing';
      throw err;
    }
    return 'started';
  }
}
