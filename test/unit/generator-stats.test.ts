/**
 * Statistics of 20,000 dry-run orders (and their fates) against docs/simulation.md ("what the simulation
 * reproduces"). Tolerances are about four standard errors at this sample size, so a wrong share
 * fails while sampling noise does not; the seed is fixed, so the run is repeatable anyway.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { median } from '../../bench/lib/stats.js';
import { ARRIVALS } from '../../src/domain/arrivals.js';
import { findSku } from '../../src/domain/catalogue.js';
import { REPEAT_CUSTOMER_SHARE, TOP_CUSTOMER_COUNT } from '../../src/domain/customers.js';
import { decideFate, type OrderFate } from '../../src/domain/fate.js';
import { LGU_GROUPS, LGU_GROUP_WEIGHTS, groupForCode } from '../../src/domain/geography.js';
import { toCents, type Order } from '../../src/domain/order.js';
import { NORMAL_MAX_QUANTITY, isSaleDay, saleEventOn, saleTerms } from '../../src/domain/sales.js';
import { BackfillClock } from '../../src/generator/arrivals.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';

const N = 20_000;
const SEED = '20240101';
const HOUR = 3600_000;

interface Sample {
  orders: Order[];
  repeatFlags: boolean[];
  fates: OrderFate[];
}

let sample: Sample;

function share(count: number, total: number): number {
  return count / total;
}

function assertNear(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(4)} not within ${expected} ± ${tolerance}`);
}

before(() => {
  const clock = new BackfillClock(SEED, new Date('2023-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
  const generator = new OrderGenerator({ seed: SEED, runId: 1 });
  const orders: Order[] = [];
  const repeatFlags: boolean[] = [];
  for (let i = 0; i < N; i++) {
    const date = clock.next();
    assert.ok(date, 'the window is long enough for N orders');
    const { order, repeatCustomer } = generator.next(date);
    orders.push(order);
    repeatFlags.push(repeatCustomer);
  }
  const fates = orders.map((o) => decideFate(SEED, o.order_id, o.order_date, o.shipping_info.express_shipping));
  sample = { orders, repeatFlags, fates };
});

describe('placed orders', () => {
  it('are unpaid, unshipped and Processing, with unique numeric ids', () => {
    const ids = new Set<string>();
    for (const o of sample.orders) {
      assert.match(o.order_id, /^\d+$/);
      ids.add(o.order_id);
      assert.deepEqual(o.payment_info, { payment_status: 'Unpaid', payment_method: null, payment_date: null });
      const s = o.shipping_info;
      assert.equal(s.order_status, 'Processing');
      assert.equal(s.shipping_id, null);
      assert.equal(s.shipped_date, null);
      assert.equal(s.eta, null);
      assert.equal(s.finished_date, null);
    }
    assert.equal(ids.size, N);
  });

  it('are 40 % express', () => {
    const express = sample.orders.filter((o) => o.shipping_info.express_shipping).length;
    assertNear(share(express, N), 0.4, 0.015, 'express share');
  });
});

describe('money', () => {
  it('adds up to the cent: subtotal = unit price × quantity, total = sum of subtotals', () => {
    for (const o of sample.orders) {
      let sum = 0;
      for (const line of o.item_info) {
        assert.equal(toCents(line.subtotal), toCents(line.unit_price) * line.quantity, `order ${o.order_id} line ${line.line_no}`);
        assert.equal(Number(line.unit_price.toFixed(2)), line.unit_price, 'unit price has at most two decimals');
        sum += toCents(line.subtotal);
      }
      assert.equal(toCents(o.order_total), sum, `order ${o.order_id} total`);
      assert.equal(o.order_total, sum / 100);
    }
  });
});

describe('sale discounts', () => {
  it('apply only on sale days, from the event table, to the list price', () => {
    let saleOrders = 0;
    let discountedLines = 0;
    for (const o of sample.orders) {
      const date = new Date(o.order_date);
      const event = saleEventOn(date);
      const terms = event ? saleTerms(SEED, event) : undefined;
      if (event) saleOrders++;
      for (const line of o.item_info) {
        const list = findSku(line.sku)?.unitPrice;
        assert.ok(list !== undefined, `known SKU ${line.sku}`);
        if (!terms) {
          assert.equal(line.discount_percent, 0, `no discount on ${o.order_date}`);
          assert.equal(line.unit_price, list);
        } else {
          assert.equal(line.discount_percent, terms.discounts.get(line.sku));
          assert.equal(toCents(line.unit_price), Math.round((toCents(list) * (100 - line.discount_percent)) / 100));
          if (line.discount_percent > 0) discountedLines++;
        }
        assert.ok(line.discount_percent >= 0 && line.discount_percent <= 50);
      }
    }
    assert.ok(saleOrders > N * 0.05, `sale-day orders present (${saleOrders})`);
    assert.ok(discountedLines > saleOrders, 'sale days discount most lines');
  });
});

describe('items', () => {
  it('have 1–5 distinct SKUs, sometimes fewer or more (variety ±1–3)', () => {
    let inBase = 0;
    let above5 = 0;
    for (const o of sample.orders) {
      assert.equal(o.item_variety, o.item_info.length);
      assert.equal(new Set(o.item_info.map((l) => l.sku)).size, o.item_variety, 'distinct SKUs');
      assert.deepEqual(o.item_info.map((l) => l.line_no), o.item_info.map((_, i) => i + 1));
      assert.ok(o.item_variety >= 1 && o.item_variety <= 8);
      if (o.item_variety <= 5) inBase++;
      else above5++;
    }
    assert.ok(share(inBase, N) > 0.85, 'most orders have 1–5 SKUs');
    assert.ok(above5 > N * 0.02, 'some orders have more than 5');
  });

  it('have quantities within 1..9, or up to 12/15 on sale days, tied to price', () => {
    let saleAbove9 = 0;
    const cheap: number[] = [];
    const dear: number[] = [];
    for (const o of sample.orders) {
      const date = new Date(o.order_date);
      const event = saleEventOn(date);
      const max = event ? saleTerms(SEED, event).maxQuantity : NORMAL_MAX_QUANTITY;
      for (const line of o.item_info) {
        assert.ok(Number.isInteger(line.quantity) && line.quantity >= 1 && line.quantity <= max, `qty ${line.quantity} ≤ ${max}`);
        if (line.quantity > 9) saleAbove9++;
        const price = findSku(line.sku)?.unitPrice ?? 0;
        if (!isSaleDay(date)) (price <= 50 ? cheap : price >= 1000 ? dear : []).push(line.quantity);
      }
    }
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(saleAbove9 > 0, 'sale days allow more than 9');
    // expected ≈ 9 × (1 − price/1000): about 8.6 for items ≤ 50 PHP (noise clamps at 9), 1 for ≥ 1000 PHP.
    assert.ok(mean(cheap) > 7.5 && mean(cheap) <= 9, `cheap items mean qty ${mean(cheap)}`);
    assert.ok(mean(dear) < 1.5, `dear items mean qty ${mean(dear)}`);
  });
});

describe('customers', () => {
  it('about 22 % of orders come from repeat customers', () => {
    const seen = new Set<string>();
    let repeats = 0;
    sample.orders.forEach((o, i) => {
      const id = o.customer_info.customer_id;
      const repeat = seen.has(id);
      assert.equal(repeat, sample.repeatFlags[i], 'generator flag matches history');
      if (repeat) repeats++;
      seen.add(id);
    });
    assertNear(share(repeats, N), REPEAT_CUSTOMER_SHARE, 0.015, 'repeat-customer share');
  });

  it('a small set of top customers orders most often', () => {
    const counts = new Map<string, number>();
    for (const o of sample.orders) counts.set(o.customer_info.customer_id, (counts.get(o.customer_info.customer_id) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, TOP_CUSTOMER_COUNT).reduce((s, x) => s + x, 0);
    const repeatOrders = N - counts.size;
    // The top 20 (out of ~15,600 customers) place over half of all repeat orders, ~100 orders each.
    assert.ok(top - TOP_CUSTOMER_COUNT > repeatOrders * 0.5, `top customers' repeat orders ${top - TOP_CUSTOMER_COUNT} of ${repeatOrders}`);
    assert.ok((sorted[TOP_CUSTOMER_COUNT - 1] ?? 0) > 50, 'every top customer orders often');
    assert.equal(median(sorted), 1, 'the median customer orders once');
  });

  it('live in LGU groups weighted 4/27/25/32/12 %, with filled-in identities', () => {
    const byGroup = new Map<string, number>();
    const seen = new Set<string>();
    for (const o of sample.orders) {
      const c = o.customer_info;
      if (seen.has(c.customer_id)) continue; // weights are per customer; repeats would skew them
      seen.add(c.customer_id);
      const group = groupForCode(c.provincial_code);
      assert.ok(group, `known code ${c.provincial_code}`);
      byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
      assert.match(c.email, /^[a-z0-9._]+@[a-z0-9]+\.(com\.ph|ph|com|net\.ph)$/);
      assert.match(c.contact_number, /^(\+63 9\d{2} \d{3} \d{4}|\(02\) 8\d{3} \d{4}|\(0\d{2}\) \d{3} \d{4})$/);
      assert.match(c.street_address, /^\d+ .+, Brgy\. .+$/);
      assert.ok(c.customer_name.includes(' ') && c.company.length > 0 && c.lgu.length > 0);
    }
    for (const g of LGU_GROUPS) assertNear(share(byGroup.get(g) ?? 0, seen.size), LGU_GROUP_WEIGHTS[g], 0.015, `LGU group ${g}`);
  });
});

describe('arrivals', () => {
  it('are never closer than 6 minutes, closer on sale days, and grow in volume', () => {
    const times = sample.orders.map((o) => Date.parse(o.order_date));
    const gaps = { sale: [] as number[], normal: [] as number[] };
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] as number) - (times[i - 1] as number);
      assert.ok(gap >= ARRIVALS.minIntervalMinutes * 60_000, `gap ${gap} ms at order ${i}`);
      (isSaleDay(new Date(times[i - 1] as number)) ? gaps.sale : gaps.normal).push(gap);
    }
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(mean(gaps.sale) < mean(gaps.normal) * 0.7, 'sale days bring orders faster');
    const firstTenth = mean(gaps.normal.slice(0, 2000));
    const lastTenth = mean(gaps.normal.slice(-2000));
    assert.ok(lastTenth < firstTenth, `volume grows: mean gap ${firstTenth / 60_000} → ${lastTenth / 60_000} min`);
  });
});

describe('fates (decideFate over the dry-run orders)', () => {
  it('77 % are paid, by Bank Transfer 57 %, Credit Card 24 %, Digital Wallet 19 %; 63 % at once', () => {
    const paid = sample.fates.filter((f) => f.payment.status === 'Paid');
    assertNear(share(paid.length, N), 0.77, 0.015, 'paid share');
    const methods = new Map<string, number>();
    let atOnce = 0;
    sample.fates.forEach((f, i) => {
      if (f.payment.status !== 'Paid') {
        assert.equal(f.finalStatus, 'Timed Out');
        assert.equal(Date.parse(f.payment.timedOutDate) - Date.parse(sample.orders[i]?.order_date ?? ''), 168 * HOUR);
        return;
      }
      methods.set(f.payment.method, (methods.get(f.payment.method) ?? 0) + 1);
      const delay = Date.parse(f.payment.paymentDate) - Date.parse(sample.orders[i]?.order_date ?? '');
      assert.ok(delay >= 0 && delay <= 48 * HOUR);
      if (delay <= 15 * 60_000) atOnce++;
    });
    assertNear(share(methods.get('Bank Transfer') ?? 0, paid.length), 0.57, 0.015, 'Bank Transfer');
    assertNear(share(methods.get('Credit Card') ?? 0, paid.length), 0.24, 0.015, 'Credit Card');
    assertNear(share(methods.get('Digital Wallet') ?? 0, paid.length), 0.19, 0.015, 'Digital Wallet');
    // "At once" (≤ 15 min) also catches the few later payers who happen to pay within 15 minutes.
    assertNear(share(atOnce, paid.length), 0.63 + 0.37 * (0.25 / 48), 0.015, 'paid at once');
  });

  it('5 % of paid orders are cancelled before dispatch; dispatch and ETA follow the express flag', () => {
    let paid = 0;
    let cancelled = 0;
    sample.fates.forEach((f, i) => {
      if (f.payment.status !== 'Paid' || !f.shipping) return;
      paid++;
      const paidAt = Date.parse(f.payment.paymentDate);
      if (f.shipping.outcome === 'Cancelled') {
        cancelled++;
        assert.equal(f.finalStatus, 'Cancelled');
        assert.ok(Date.parse(f.shipping.cancelledDate) >= paidAt);
        return;
      }
      const express = sample.orders[i]?.shipping_info.express_shipping === true;
      const dispatchH = (Date.parse(f.shipping.shippedDate) - paidAt) / HOUR;
      const etaH = (Date.parse(f.shipping.eta) - paidAt) / HOUR;
      if (express) {
        assert.ok(dispatchH >= 12 && dispatchH <= 36, `express dispatch ${dispatchH} h`);
        assert.ok(etaH >= 72 && etaH <= 120, `express ETA ${etaH} h`);
      } else {
        assert.ok(dispatchH >= 24 && dispatchH <= 60, `standard dispatch ${dispatchH} h`);
        assert.ok(etaH >= 120 && etaH <= 240, `standard ETA ${etaH} h`);
      }
      assert.equal(f.shipping.shippingId, `SHP${sample.orders[i]?.order_id}`);
    });
    assertNear(share(cancelled, paid), 0.05, 0.008, 'cancelled before dispatch');
  });

  it('95 % of shipped orders are delivered, 3.5 % cancelled in transit, 1.5 % returned, around the ETA', () => {
    const outcomes = new Map<string, number>();
    let shipped = 0;
    for (const f of sample.fates) {
      if (f.shipping?.outcome !== 'Shipped' || !f.delivery) continue;
      shipped++;
      outcomes.set(f.delivery.outcome, (outcomes.get(f.delivery.outcome) ?? 0) + 1);
      assert.equal(f.finalStatus, f.delivery.outcome);
      const finished = Date.parse(f.delivery.finishedDate);
      const eta = Date.parse(f.shipping.eta);
      const shippedAt = Date.parse(f.shipping.shippedDate);
      assert.ok(finished >= shippedAt + 6 * HOUR, 'finished after dispatch');
      assert.ok(finished <= eta + 36 * HOUR, 'finished at most 36 h after ETA');
      assert.ok(finished >= eta - 48 * HOUR || finished === shippedAt + 6 * HOUR, 'finished at most 48 h before ETA');
    }
    assertNear(share(outcomes.get('Delivered') ?? 0, shipped), 0.95, 0.01, 'delivered');
    assertNear(share(outcomes.get('Cancelled') ?? 0, shipped), 0.035, 0.008, 'cancelled in transit');
    assertNear(share(outcomes.get('Returned') ?? 0, shipped), 0.015, 0.005, 'returned');
  });
});
