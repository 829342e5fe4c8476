/** The domain tables and the seeded random source: shapes, ranges and determinism. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOGUE, CATEGORIES, findSku } from '../../src/domain/catalogue.js';
import { ALL_LGUS, LGU_GROUPS, LGU_GROUP_WEIGHTS, LGUS_BY_GROUP, METRO_MANILA_CODE, provinceForCode } from '../../src/domain/geography.js';
import { PAYMENT_METHOD_SHARES } from '../../src/domain/payment.js';
import { PAYMENT_METHODS } from '../../src/domain/order.js';
import { Rng, WeightedTable, hash32, mulberry32 } from '../../src/domain/random.js';
import { MAX_DISCOUNT_PERCENT, SALE_MAX_QUANTITIES, isSaleDay, saleEventOn, saleTerms } from '../../src/domain/sales.js';
import { expectedQuantity } from '../../src/domain/basket.js';

describe('catalogue', () => {
  it('has 55 distinct SKUs priced 25..3450 with cost below price', () => {
    assert.equal(CATALOGUE.length, 55);
    assert.equal(new Set(CATALOGUE.map((s) => s.sku)).size, 55);
    assert.equal(new Set(CATALOGUE.map((s) => s.name)).size, 55);
    const prices = CATALOGUE.map((s) => s.unitPrice);
    assert.equal(Math.min(...prices), 25);
    assert.equal(Math.max(...prices), 3450);
    for (const s of CATALOGUE) {
      assert.ok(s.unitCost > 0 && s.unitCost < s.unitPrice, `${s.sku} cost ${s.unitCost} vs price ${s.unitPrice}`);
      assert.equal(Number(s.unitPrice.toFixed(2)), s.unitPrice, `${s.sku} price has at most 2 decimals`);
      assert.equal(Number(s.unitCost.toFixed(2)), s.unitCost, `${s.sku} cost has at most 2 decimals`);
      assert.ok((CATEGORIES as readonly string[]).includes(s.category));
      assert.deepEqual(Object.keys(s).sort(), ['category', 'name', 'sku', 'unitCost', 'unitPrice']);
    }
    assert.equal(findSku('SKU-1001')?.unitPrice, 25);
    assert.equal(findSku('nope'), undefined);
  });

  it('ties expected quantity to price', () => {
    assert.ok(expectedQuantity(25, 9) > 8.5);
    assert.ok(expectedQuantity(900, 9) < 1);
  });
});

describe('geography', () => {
  it('has the five weighted groups summing to 1', () => {
    const sum = LGU_GROUPS.reduce((s, g) => s + LGU_GROUP_WEIGHTS[g], 0);
    assert.ok(Math.abs(sum - 1) < 1e-9);
    assert.deepEqual(LGU_GROUP_WEIGHTS, { metro_manila: 0.04, large: 0.27, medium: 0.25, small: 0.32, poorer: 0.12 });
    for (const g of LGU_GROUPS) assert.ok(LGUS_BY_GROUP[g].length >= 10, `group ${g} has LGUs`);
  });

  it('uses PH-00 for Metro Manila and distinct ISO 3166-2:PH province codes elsewhere', () => {
    for (const l of LGUS_BY_GROUP.metro_manila) assert.equal(l.code, METRO_MANILA_CODE);
    const provinces = ALL_LGUS.filter((l) => l.group !== 'metro_manila');
    assert.equal(new Set(provinces.map((l) => l.code)).size, provinces.length);
    for (const l of provinces) assert.match(l.code, /^PH-[A-Z]{3}$/);
    assert.equal(provinceForCode('PH-CEB'), 'Cebu');
    assert.equal(provinceForCode('PH-CAV'), 'Cavite');
    assert.equal(provinceForCode('PH-00'), 'Metro Manila');
  });
});

describe('payment methods', () => {
  it('covers every method with shares summing to 1', () => {
    assert.deepEqual(PAYMENT_METHOD_SHARES.map(([m]) => m).sort(), [...PAYMENT_METHODS].sort());
    assert.ok(Math.abs(PAYMENT_METHOD_SHARES.reduce((s, [, w]) => s + w, 0) - 1) < 1e-9);
  });
});

describe('sale days', () => {
  const at = (isoDay: string, hourManila = 12): Date => new Date(`${isoDay}T${String(hourManila).padStart(2, '0')}:00:00+08:00`);

  it('are the 14th–15th and the 30th, or the 27th–29th in February, on the Manila calendar', () => {
    for (const d of ['2025-03-14', '2025-03-15', '2025-03-30', '2025-02-27', '2025-02-28', '2024-02-29', '2025-04-30']) {
      assert.ok(isSaleDay(at(d)), `${d} is a sale day`);
    }
    for (const d of ['2025-03-13', '2025-03-16', '2025-03-29', '2025-03-31', '2025-02-26', '2025-02-13', '2025-01-01']) {
      assert.ok(!isSaleDay(at(d)), `${d} is not a sale day`);
    }
    // 23:30 UTC on the 13th is already the 14th in Manila.
    assert.ok(isSaleDay(new Date('2025-03-13T23:30:00Z')));
    assert.ok(!isSaleDay(new Date('2025-03-15T16:30:00Z')));
    assert.equal(saleEventOn(at('2025-02-27'))?.key, '2025-02-month-end');
    assert.equal(saleEventOn(at('2025-02-28'))?.key, '2025-02-month-end');
    assert.equal(saleEventOn(at('2025-07-14'))?.kind, 'mid-month');
  });

  it('have a deterministic discount table per seed and event, 0–50 %, max quantity 12 or 15', () => {
    const event = saleEventOn(at('2025-03-14'));
    assert.ok(event);
    const a = saleTerms('7', event);
    assert.deepEqual(saleTerms('7', event), a);
    assert.notDeepEqual([...saleTerms('8', event).discounts], [...a.discounts]);
    assert.equal(a.discounts.size, CATALOGUE.length);
    for (const pct of a.discounts.values()) assert.ok(pct >= 0 && pct <= MAX_DISCOUNT_PERCENT && pct % 5 === 0);
    assert.ok([...a.discounts.values()].some((p) => p > 0));
    assert.ok((SALE_MAX_QUANTITIES as readonly number[]).includes(a.maxQuantity));
  });
});

describe('random', () => {
  it('is deterministic per key and differs between keys', () => {
    const a = Rng.keyed('1', '42', 'payment');
    const b = Rng.keyed('1', '42', 'payment');
    const c = Rng.keyed('1', '43', 'payment');
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(Array.from({ length: 5 }, () => b.next()), xs);
    assert.notDeepEqual(Array.from({ length: 5 }, () => c.next()), xs);
    assert.equal(hash32('abc'), hash32('abc'));
    assert.notEqual(hash32('abc'), hash32('abd'));
  });

  it('draws uniform, Gaussian and weighted values with the right moments', () => {
    const rng = new Rng(mulberry32(12345));
    const n = 50_000;
    let sum = 0;
    let sumG = 0;
    let sumG2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      assert.ok(u >= 0 && u < 1);
      sum += u;
      const g = rng.gaussian();
      sumG += g;
      sumG2 += g * g;
    }
    assert.ok(Math.abs(sum / n - 0.5) < 0.01);
    assert.ok(Math.abs(sumG / n) < 0.02);
    assert.ok(Math.abs(sumG2 / n - 1) < 0.03);
    const table = new WeightedTable([['a', 0.7], ['b', 0.3]] as const);
    let a = 0;
    for (let i = 0; i < n; i++) if (table.pick(rng) === 'a') a++;
    assert.ok(Math.abs(a / n - 0.7) < 0.01);
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(3, 5);
      assert.ok(k >= 3 && k <= 5 && Number.isInteger(k));
    }
  });
});

describe('domain purity', () => {
  // zod is the one package allowed: the order schema is built with it, and it is plain,
  // deterministic JavaScript with no Node built-ins (the workflow bundle carries it).
  it('imports only sibling domain files and zod, no Node built-ins (the workflow sandbox loads it)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../src/domain/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      for (const spec of imports) assert.match(spec, /^(\.\/[a-z-]+\.js|zod)$/, `${file} imports ${spec}`);
      assert.ok(!/Math\.random\(|Date\.now\(|new Date\(\)/.test(text), `${file} uses no ambient randomness or clock`);
    }
  });
});
