/** The lifecycle activities a worker registers (see order-activities.ts for why they are split so). */
export { createOrderActivities, planDelivery, planLifecycle, planPayment, planShipping, validateOrderFor } from './order-activities.js';
export type {
  DispatchDecision,
  FailOrderInput,
  OrderActivities,
  PlanDeliveryInput,
  PlanLifecycleInput,
  PlanPaymentInput,
  PlanShippingInput,
} from './order-activities.js';
export type { LifecyclePlan } from '../domain/lifecycle-plan.js';
