/**
 * The plan of an order's lifecycle: every decision of the simulated outside world (payment
 * service, warehouse, courier) for an order nobody interferes with, each stage's decision taken
 * from the one before it. The generator decides it when it makes the order and hands it to the
 * workflow in its input (recorded in the history, shown by the Web UI with the input); the
 * planLifecycle activity decides the same for a run started without one.
 *
 * Pure, and free of zod and Node built-ins: the workflow sandbox checks an input's plan with
 * planProblem, and the sandbox evaluates its modules once per run, so a schema library here would
 * be built again for every order.
 */
import type { DeliveryDecision, PaymentDecision, ShippingDecision } from './fate.js';
import { PAYMENT_METHODS, isIsoDate } from './order.js';
import { DELIVERY_OUTCOME_SHARES } from './shipping.js';

export interface LifecyclePlan {
  payment: PaymentDecision;
  /** Absent unless the simulated customer pays. */
  shipping?: ShippingDecision;
  /** Absent unless the order is dispatched. */
  delivery?: DeliveryDecision;
}

const DELIVERY_OUTCOMES: readonly string[] = DELIVERY_OUTCOME_SHARES.map(([outcome]) => outcome);

type Check = string | undefined;

function dateProblem(what: string, value: unknown, notBefore?: string): Check {
  if (!isIsoDate(value)) return `${what} must be an ISO-8601 date, got ${JSON.stringify(value)}`;
  if (notBefore !== undefined && Date.parse(value) < Date.parse(notBefore)) return `${what} ${value} is before ${notBefore}`;
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function paymentProblem(p: unknown, orderDate: string): Check {
  if (!isObject(p)) return 'plan.payment must be an object';
  if (p.status === 'Timed Out') return dateProblem('plan.payment.timedOutDate', p.timedOutDate, orderDate);
  if (p.status !== 'Paid') return `plan.payment.status must be Paid or Timed Out, got ${JSON.stringify(p.status)}`;
  if (!(PAYMENT_METHODS as readonly unknown[]).includes(p.method)) return `plan.payment.method must be one of ${PAYMENT_METHODS.join(', ')}, got ${JSON.stringify(p.method)}`;
  return dateProblem('plan.payment.paymentDate', p.paymentDate, orderDate);
}

function shippingProblem(s: unknown, paymentDate: string): Check {
  if (!isObject(s)) return 'plan.shipping must be an object when the plan pays the order';
  if (s.outcome === 'Cancelled') return dateProblem('plan.shipping.cancelledDate', s.cancelledDate, paymentDate);
  if (s.outcome !== 'Shipped') return `plan.shipping.outcome must be Shipped or Cancelled, got ${JSON.stringify(s.outcome)}`;
  if (typeof s.shippingId !== 'string' || s.shippingId === '') return `plan.shipping.shippingId must be a non-empty string, got ${JSON.stringify(s.shippingId)}`;
  return dateProblem('plan.shipping.shippedDate', s.shippedDate, paymentDate) ?? dateProblem('plan.shipping.eta', s.eta, paymentDate);
}

function deliveryProblem(d: unknown, shippedDate: string): Check {
  if (!isObject(d)) return 'plan.delivery must be an object when the plan ships the order';
  if (!DELIVERY_OUTCOMES.includes(d.outcome as string)) return `plan.delivery.outcome must be one of ${DELIVERY_OUTCOMES.join(', ')}, got ${JSON.stringify(d.outcome)}`;
  return dateProblem('plan.delivery.finishedDate', d.finishedDate, shippedDate);
}

/**
 * Why `plan` cannot be the plan of an order placed at `orderDate`, or undefined when it can: each
 * stage present exactly when the one before it goes on, known values, ISO dates in stage order.
 */
export function planProblem(plan: unknown, orderDate: string): Check {
  if (!isObject(plan)) return `plan must be an object, got ${JSON.stringify(plan)}`;
  const payment = paymentProblem(plan.payment, orderDate);
  if (payment) return payment;
  const paid = plan.payment as PaymentDecision;
  if (paid.status !== 'Paid') return plan.shipping === undefined ? undefined : 'plan.shipping must be absent when the plan times the payment out';
  const shipping = shippingProblem(plan.shipping, paid.paymentDate);
  if (shipping) return shipping;
  const shipped = plan.shipping as ShippingDecision;
  if (shipped.outcome !== 'Shipped') return plan.delivery === undefined ? undefined : 'plan.delivery must be absent when the plan cancels before dispatch';
  return deliveryProblem(plan.delivery, shipped.shippedDate);
}
