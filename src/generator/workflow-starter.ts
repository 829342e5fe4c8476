/**
 * Hands orders to Temporal: one `orderLifecycle` workflow per order, id `order-<order_id>`, with the
 * search attributes set at start. Starting is idempotent: conflict policy USE_EXISTING (a running
 * workflow with that id is reused) and reuse policy REJECT_DUPLICATE (a closed one is never
 * started again), so a repeated run never creates a second workflow for an order.
 *
 * The SDK's `start()` hides whether the server created a workflow or reused one, which the
 * run summary needs; the server says so in StartWorkflowExecutionResponse.started (Temporal
 * server ≥ 1.25). The subclass below makes the same request as the SDK and keeps that flag.
 */
import {
  WorkflowClient,
  WorkflowExecutionAlreadyStartedError,
  isGrpcServiceError,
  type Connection,
  type WorkflowStartInput,
  type WorkflowStartOutput,
} from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { provinceForCode } from '../domain/geography.js';
import type { Order } from '../domain/order.js';
import {
  WORKFLOW_TYPE,
  orderWorkflowId,
  searchAttributes,
  type LifecycleOptions,
  type OrderLifecycleInput,
} from '../workflows/contract.js';

const GRPC_ALREADY_EXISTS = 6;

export type StartResult = 'started' | 'existing';

/** A WorkflowClient whose starts report whether the server created the workflow. */
class CreationAwareWorkflowClient extends WorkflowClient {
  private readonly created = new Map<string, boolean>();

  protected override async _startWorkflowHandler(input: WorkflowStartInput): Promise<WorkflowStartOutput> {
    const workflowId = input.options.workflowId;
    const request = await this.createStartWorkflowRequest(input);
    try {
      const response = await this.workflowService.startWorkflowExecution(request);
      this.created.set(workflowId, response.started === true);
      return { runId: response.runId, eagerlyStarted: false };
    } catch (err) {
      if (isGrpcServiceError(err) && err.code === GRPC_ALREADY_EXISTS) {
        throw new WorkflowExecutionAlreadyStartedError('Workflow execution already started', workflowId, input.workflowType);
      }
      this.rethrowGrpcError(err, 'Failed to start Workflow', { workflowId });
    }
  }

  /** Whether the last start of `workflowId` created it (and forgets the answer). */
  takeCreated(workflowId: string): boolean {
    const created = this.created.get(workflowId) ?? false;
    this.created.delete(workflowId);
    return created;
  }
}

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
}

export class OrderStarter {
  private readonly client: CreationAwareWorkflowClient;

  constructor(
    connection: Connection,
    private readonly settings: OrderStarterSettings,
  ) {
    this.client = new CreationAwareWorkflowClient({ connection, namespace: settings.namespace });
  }

  /** Starts the order's workflow; 'existing' when a workflow with its id already exists or existed. */
  async start(order: Order): Promise<StartResult> {
    const workflowId = orderWorkflowId(order.order_id);
    const input: OrderLifecycleInput = { order, options: this.settings.lifecycle };
    try {
      await this.client.start(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.settings.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: placedSearchAttributes(order),
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'existing';
      throw err;
    }
    return this.client.takeCreated(workflowId) ? 'started' : 'existing';
  }
}
