/**
 * Who places the next order: about 22 % of orders go to a customer who already ordered, more than
 * half of those to the run's top customers (its first few), the rest to any earlier customer;
 * everyone else is a new customer. Customer ids follow the order id scheme (run id + sequence).
 */
import { REPEAT_CUSTOMER_SHARE, TOP_CUSTOMER_COUNT, TOP_CUSTOMER_SHARE_OF_REPEATS } from '../domain/customers.js';
import type { CustomerInfo } from '../domain/order.js';
import type { Rng } from '../domain/random.js';
import { composeId } from './ids.js';
import { newCustomer, type IdentityPools } from './identities.js';

export interface ChosenCustomer {
  customer: CustomerInfo;
  /** True when this customer had ordered before in this run. */
  repeat: boolean;
}

export class CustomerPool {
  private readonly customers: CustomerInfo[] = [];

  constructor(
    private readonly runId: number,
    private readonly pools: IdentityPools,
  ) {}

  get size(): number {
    return this.customers.length;
  }

  choose(rng: Rng): ChosenCustomer {
    // Both draws happen on every call so the stream of numbers does not depend on the pool size.
    const repeat = rng.chance(REPEAT_CUSTOMER_SHARE);
    const top = rng.chance(TOP_CUSTOMER_SHARE_OF_REPEATS);
    if (repeat && this.customers.length > 0) {
      const n = top ? Math.min(TOP_CUSTOMER_COUNT, this.customers.length) : this.customers.length;
      // A copy, so no two orders share (and could mutate) one object.
      return { customer: { ...(this.customers[rng.int(0, n - 1)] as CustomerInfo) }, repeat: true };
    }
    const customer = newCustomer(rng, this.pools, composeId(this.runId, this.customers.length + 1));
    this.customers.push(customer);
    return { customer: { ...customer }, repeat: false };
  }
}
