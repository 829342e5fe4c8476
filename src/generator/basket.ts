/**
 * The item lines of one order: distinct SKUs, quantities tied to list price, the sale discount of
 * the day if any, and money in whole cents so subtotals and the total add up exactly.
 */
import { drawQuantity, drawVariety } from '../domain/basket.js';
import { CATALOGUE, type Sku } from '../domain/catalogue.js';
import { fromCents, toCents, type ItemLine } from '../domain/order.js';
import type { Rng } from '../domain/random.js';
import { NORMAL_MAX_QUANTITY, type SaleTerms } from '../domain/sales.js';

export interface Basket {
  lines: ItemLine[];
  totalCents: number;
}

/** `count` distinct SKUs in draw order (a partial Fisher–Yates shuffle over a scratch array). */
function drawSkus(rng: Rng, count: number, scratch: Sku[]): Sku[] {
  const n = scratch.length;
  const picked: Sku[] = [];
  for (let i = 0; i < count && i < n; i++) {
    const j = rng.int(i, n - 1);
    const chosen = scratch[j] as Sku;
    scratch[j] = scratch[i] as Sku;
    scratch[i] = chosen;
    picked.push(chosen);
  }
  return picked;
}

export class BasketMaker {
  private readonly scratch: Sku[] = [...CATALOGUE];

  make(rng: Rng, sale: SaleTerms | undefined): Basket {
    const maxQuantity = sale ? sale.maxQuantity : NORMAL_MAX_QUANTITY;
    const skus = drawSkus(rng, drawVariety(rng), this.scratch);
    let totalCents = 0;
    const lines = skus.map((sku, i): ItemLine => {
      const quantity = drawQuantity(rng, sku.unitPrice, maxQuantity);
      const discount = sale?.discounts.get(sku.sku) ?? 0;
      const unitCents = Math.round((toCents(sku.unitPrice) * (100 - discount)) / 100);
      const subtotalCents = unitCents * quantity;
      totalCents += subtotalCents;
      return {
        line_no: i + 1,
        sku: sku.sku,
        unit_price: fromCents(unitCents),
        quantity,
        discount_percent: discount,
        subtotal: fromCents(subtotalCents),
      };
    });
    return { lines, totalCents };
  }
}
