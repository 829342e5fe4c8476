/**
 * Who places the next order: about 22 % of orders go to a customer who already ordered, more than
 * half of those to the run's top customers (its first few), the rest to any customer of the
 * recent past (REMEMBERED_CUSTOMERS); everyone else is a new customer. Customer ids follow the
 * order id scheme (run id + sequence).
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

/**
 * Customers a run remembers for repeat orders besides its top ones: the most recent this many. A
 * live run goes on for days, so the pool must not grow with every order (issue #8: no per-order
 * state beyond a window); 20,000 customers are about 25,000 orders' worth, a few MiB, and a
 * run shorter than that behaves exactly as if it remembered everyone.
 */
export const REMEMBERED_CUSTOMERS = 20_000;

export class CustomerPool {
  /** The run's first TOP_CUSTOMER_COUNT customers, kept for good. */
  private readonly top: CustomerInfo[] = [];
  /** The most recent customers, a ring: slot (n mod capacity) holds the n-th created. */
  private readonly recent: CustomerInfo[] = [];
  private created = 0;

  constructor(
    private readonly runId: number,
    private readonly pools: IdentityPools,
    private readonly capacity = REMEMBERED_CUSTOMERS,
  ) {
    if (!Number.isInteger(capacity) || capacity < TOP_CUSTOMER_COUNT) {
      throw new Error(`a customer pool remembers at least ${TOP_CUSTOMER_COUNT} customers, got ${capacity}`);
    }
  }

  /** Customers created so far in this run. */
  get size(): number {
    return this.created;
  }

  /** Customers a repeat order can come from right now (at most the capacity). */
  get remembered(): number {
    return this.recent.length;
  }

  choose(rng: Rng): ChosenCustomer {
    // Both draws happen on every call so the stream of numbers does not depend on the pool size.
    const repeat = rng.chance(REPEAT_CUSTOMER_SHARE);
    const top = rng.chance(TOP_CUSTOMER_SHARE_OF_REPEATS);
    if (repeat && this.created > 0) {
      const from = top ? this.top : this.recent;
      // A copy, so no two orders share (and could mutate) one object.
      return { customer: { ...(from[rng.int(0, from.length - 1)] as CustomerInfo) }, repeat: true };
    }
    const customer = newCustomer(rng, this.pools, composeId(this.runId, this.created + 1));
    if (this.top.length < TOP_CUSTOMER_COUNT) this.top.push(customer);
    this.recent[this.created % this.capacity] = customer;
    this.created++;
    return { customer: { ...customer }, repeat: false };
  }
}
