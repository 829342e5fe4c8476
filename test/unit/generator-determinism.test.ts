/** Same seed and run id → same orders; different seeds → different orders; ids never collide across runs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideDelivery, decideFate, decidePayment, decideShipping } from '../../src/domain/fate.js';
import type { Order } from '../../src/domain/order.js';
import { BackfillClock, LiveClock } from '../../src/generator/arrivals.js';
import { MAX_RUN_ID, MAX_SEQUENCE, composeId } from '../../src/generator/ids.js';
import { OrderGenerator } from '../../src/generator/order-generator.js';

function backfill(seed: string, runId: number, n: number): Order[] {
  const clock = new BackfillClock(seed, new Date('2024-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
  const gen = new OrderGenerator({ seed, runId });
  const out: Order[] = [];
  for (let i = 0; i < n; i++) {
    const date = clock.next();
    assert.ok(date);
    out.push(gen.next(date).order);
  }
  return out;
}

const withoutIds = (orders: Order[]): unknown[] =>
  orders.map(({ order_id: _o, customer_info: { customer_id: _c, ...customer }, ...rest }) => ({ ...rest, customer }));

describe('generator determinism', () => {
  it('makes identical orders for the same seed and run id', () => {
    assert.deepEqual(backfill('42', 7, 500), backfill('42', 7, 500));
  });

  it('makes different orders for different seeds', () => {
    const a = backfill('42', 7, 200);
    const b = backfill('43', 7, 200);
    assert.deepEqual(a.map((o) => o.order_id), b.map((o) => o.order_id), 'ids depend on the run id only');
    const same = a.filter((o, i) => JSON.stringify(o) === JSON.stringify(b[i])).length;
    assert.equal(same, 0);
    assert.notDeepEqual(a.map((o) => o.order_date), b.map((o) => o.order_date));
  });

  it('changes only the ids when the run id changes', () => {
    const a = backfill('42', 7, 200);
    const b = backfill('42', 8, 200);
    assert.deepEqual(withoutIds(a), withoutIds(b));
    const idsA = new Set(a.flatMap((o) => [o.order_id]));
    assert.ok(b.every((o) => !idsA.has(o.order_id)), 'no order id shared between runs');
  });

  it('dates live orders at start + i / rate', () => {
    const clock = new LiveClock(new Date('2025-05-01T00:00:00Z'), 4);
    assert.deepEqual([clock.next(), clock.next(), clock.next()].map((d) => d.toISOString()), [
      '2025-05-01T00:00:00.000Z',
      '2025-05-01T00:00:00.250Z',
      '2025-05-01T00:00:00.500Z',
    ]);
  });
});

describe('order ids', () => {
  it('are the run id followed by a 6-digit sequence, unique across runs and below 2^63', () => {
    assert.equal(composeId(1, 1), '1000001');
    assert.equal(composeId(1736942400000, 42), '1736942400000000042');
    assert.notEqual(composeId(1, 10), composeId(10, 1));
    assert.ok(BigInt(composeId(MAX_RUN_ID, MAX_SEQUENCE)) < 2n ** 63n);
    assert.throws(() => composeId(MAX_RUN_ID + 1, 1), RangeError);
    assert.throws(() => composeId(1, MAX_SEQUENCE + 1), RangeError);
    assert.throws(() => composeId(0, 1), RangeError);
  });
});

describe('fate determinism', () => {
  it('decides the same fate for the same seed and order, stage by stage', () => {
    const date = '2025-03-01T10:00:00.000Z';
    assert.deepEqual(decideFate('9', '1000001', date, true), decideFate('9', '1000001', date, true));
    const fates = Array.from({ length: 50 }, (_, i) => decideFate('9', String(1000001 + i), date, false));
    const other = Array.from({ length: 50 }, (_, i) => decideFate('10', String(1000001 + i), date, false));
    assert.notDeepEqual(fates, other);
    const p = decidePayment('9', '1000002', date);
    assert.deepEqual(decidePayment('9', '1000002', new Date(date)), p);
    const s = decideShipping('9', '1000002', '2025-03-01T11:00:00.000Z', true);
    assert.deepEqual(decideShipping('9', '1000002', '2025-03-01T11:00:00.000Z', true), s);
    if (s.outcome === 'Shipped') {
      assert.deepEqual(decideDelivery('9', '1000002', s.shippedDate, s.eta), decideDelivery('9', '1000002', s.shippedDate, s.eta));
    }
  });

  it('times an order out when it would be paid after the payment window', () => {
    let timedOutByWindow = 0;
    for (let i = 0; i < 500; i++) {
      const id = String(2000000 + i);
      const long = decidePayment('5', id, '2025-03-01T00:00:00Z');
      const short = decidePayment('5', id, '2025-03-01T00:00:00Z', { paymentWindowHours: 1 });
      if (short.status === 'Paid') {
        assert.ok(Date.parse(short.paymentDate) - Date.parse('2025-03-01T00:00:00Z') <= 3600_000);
      } else if (long.status === 'Paid') {
        timedOutByWindow++;
        assert.equal(short.timedOutDate, '2025-03-01T01:00:00.000Z');
      }
    }
    assert.ok(timedOutByWindow > 50, 'late payers time out under a 1-hour window');
  });

  it('rejects an invalid date', () => {
    assert.throws(() => decidePayment('1', '1', 'not a date'), /invalid date/);
  });
});
