/**
 * Makes orders at the "placed" stage: a customer, item lines, express flag, total; unpaid,
 * unshipped, status Processing. Everything is drawn from generators keyed by the run seed, so
 * the same seed and run id give the same orders for the same dates. The dates themselves come
 * from the caller (an arrival clock), because sale days change prices.
 */
import type { Order } from '../domain/order.js';
import { fromCents } from '../domain/order.js';
import { Rng } from '../domain/random.js';
import { saleEventOn, saleTerms, type SaleTerms } from '../domain/sales.js';
import { EXPRESS_SHARE } from '../domain/shipping.js';
import { BasketMaker } from './basket.js';
import { CustomerPool } from './customer-pool.js';
import { composeId } from './ids.js';
import { buildIdentityPools } from './identities.js';

export interface GeneratorSettings {
  seed: string;
  runId: number;
}

export interface GeneratedOrder {
  order: Order;
  /** The customer had ordered before in this run. */
  repeatCustomer: boolean;
}

export class OrderGenerator {
  private readonly rng: Rng;
  private readonly customers: CustomerPool;
  private readonly basket = new BasketMaker();
  private readonly saleCache = new Map<string, SaleTerms>();
  private sequence = 0;

  constructor(private readonly settings: GeneratorSettings) {
    this.rng = Rng.keyed(settings.seed, 'orders');
    this.customers = new CustomerPool(settings.runId, buildIdentityPools(settings.seed));
  }

  /** Orders made so far. */
  get count(): number {
    return this.sequence;
  }

  /** The next order, placed at `date`. Throws once the run's id space (999,999 orders) is used up. */
  next(date: Date): GeneratedOrder {
    const orderId = composeId(this.settings.runId, this.sequence + 1);
    this.sequence++;
    const { customer, repeat } = this.customers.choose(this.rng);
    const express = this.rng.chance(EXPRESS_SHARE);
    const { lines, totalCents } = this.basket.make(this.rng, this.saleTermsAt(date));
    const order: Order = {
      order_id: orderId,
      order_date: date.toISOString(),
      customer_info: customer,
      payment_info: { payment_status: 'Unpaid', payment_method: null, payment_date: null },
      shipping_info: {
        shipping_id: null,
        express_shipping: express,
        order_status: 'Processing',
        shipped_date: null,
        eta: null,
        finished_date: null,
      },
      item_info: lines,
      item_variety: lines.length,
      order_total: fromCents(totalCents),
    };
    return { order, repeatCustomer: repeat };
  }

  private saleTermsAt(date: Date): SaleTerms | undefined {
    const event = saleEventOn(date);
    if (!event) return undefined;
    let terms = this.saleCache.get(event.key);
    if (!terms) {
      terms = saleTerms(this.settings.seed, event);
      this.saleCache.set(event.key, terms);
    }
    return terms;
  }
}
