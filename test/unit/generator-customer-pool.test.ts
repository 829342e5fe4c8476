/**
 * The generator's customer pool stays bounded on a long run (no per-order state beyond a window),
 * keeps its top customers for good, and draws repeat orders only from customers it remembers.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TOP_CUSTOMER_COUNT } from '../../src/domain/customers.js';
import { Rng } from '../../src/domain/random.js';
import { CustomerPool } from '../../src/generator/customer-pool.js';
import { buildIdentityPools } from '../../src/generator/identities.js';

const identities = buildIdentityPools('pool-test', 200);

/** Customer ids are run id + sequence: the sequence tells which customer of the run it is. */
function sequenceOf(customerId: string, runId: number): number {
  return Number(customerId.slice(String(runId).length));
}

describe('CustomerPool', () => {
  test('remembers at most its capacity, keeps the top customers, repeats only remembered customers', () => {
    const capacity = 100;
    const pool = new CustomerPool(7, identities, capacity);
    const rng = Rng.keyed('pool-test', 'choose');
    let repeats = 0;
    let topRepeatsAfterWrap = 0;
    for (let i = 0; i < 5000; i++) {
      const before = pool.size;
      const { customer, repeat } = pool.choose(rng);
      const seq = sequenceOf(customer.customer_id, 7);
      if (!repeat) {
        assert.equal(seq, before + 1, 'a new customer takes the next sequence number');
        continue;
      }
      repeats++;
      const top = seq <= TOP_CUSTOMER_COUNT;
      // A repeat is a top customer or one of the last `capacity` created.
      assert.ok(top || seq > before - capacity, `customer #${seq} repeated while ${before} exist: forgotten long ago`);
      if (top && before > capacity + TOP_CUSTOMER_COUNT) topRepeatsAfterWrap++;
    }
    assert.ok(pool.size > 3 * capacity, `the run made ${pool.size} customers`);
    assert.equal(pool.remembered, capacity);
    assert.ok(repeats > 800 && repeats < 1400, `repeat orders ${repeats} of 5000 (≈ 22 %)`);
    assert.ok(topRepeatsAfterWrap > 100, `top customers still ordered after the ring wrapped: ${topRepeatsAfterWrap}`);
  });

  test('a run shorter than the capacity draws as if it remembered everyone (same choices either way)', () => {
    const small = new CustomerPool(3, identities, 10_000);
    const large = new CustomerPool(3, identities, 1_000_000);
    const a = Rng.keyed('same', 'choose');
    const b = Rng.keyed('same', 'choose');
    for (let i = 0; i < 3000; i++) {
      assert.equal(small.choose(a).customer.customer_id, large.choose(b).customer.customer_id);
    }
  });

  test('a capacity below the top customers is refused', () => {
    assert.throws(() => new CustomerPool(1, identities, TOP_CUSTOMER_COUNT - 1), /remembers at least 20 customers, got 19/);
  });
});
