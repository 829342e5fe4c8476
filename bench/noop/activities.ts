/** The baseline's activities: they take the same arguments as the real ones and do nothing. */
import type { Order } from '../../src/domain/order.js';

export const noopActivities = {
  /** Stands for a plan local activity (planPayment, planShipping, planDelivery). */
  async plan(orderId: string): Promise<string> {
    return orderId;
  },
  /** Stands for an emit activity (placeOrder, processPayment, …): no Kafka, nothing. */
  async emit(_order: Order): Promise<void> {},
};

export type NoopActivities = typeof noopActivities;
