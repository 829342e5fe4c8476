/** The dashboard's strict query parameters: every refusal names the parameter. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ParamError, parseDateRange, parseDay, parseOrderId, parseOrderSearch, readParams } from '../../src/dashboard/params.js';

const params = (query: string, allowed: readonly string[] = ['from', 'to']) => readParams(new URLSearchParams(query), allowed);

function refuses(fn: () => unknown, param: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ParamError, `expected a ParamError, got ${String(err)}`);
    assert.equal(err.param, param);
    assert.match(err.message, message);
    assert.match(err.message, new RegExp(`"${param}"`));
    return true;
  });
}

describe('dashboard parameters', () => {
  test('a date range accepts real days, open ends, and from = to', () => {
    assert.deepEqual(parseDateRange(params('from=2025-01-01&to=2025-12-31')), { from: '2025-01-01', to: '2025-12-31' });
    assert.deepEqual(parseDateRange(params('from=2024-02-29')), { from: '2024-02-29' });
    assert.deepEqual(parseDateRange(params('to=2025-03-01')), { to: '2025-03-01' });
    assert.deepEqual(parseDateRange(params('from=&to=')), {});
    assert.deepEqual(parseDateRange(params('from=2025-05-05&to=2025-05-05')), { from: '2025-05-05', to: '2025-05-05' });
  });

  test('malformed, impossible and reversed dates are refused naming the parameter', () => {
    refuses(() => parseDateRange(params('from=2025-1-1')), 'from', /YYYY-MM-DD/);
    refuses(() => parseDateRange(params('to=yesterday')), 'to', /YYYY-MM-DD/);
    refuses(() => parseDateRange(params('from=2025-02-29')), 'from', /no such day/);
    refuses(() => parseDateRange(params('to=2025-13-01')), 'to', /no such day/);
    refuses(() => parseDateRange(params("from=2025-01-01'; DROP TABLE order_info;--")), 'from', /YYYY-MM-DD/);
    refuses(() => parseDateRange(params('from=1999-12-31')), 'from', /year 2000/);
    refuses(() => parseDateRange(params('from=2025-06-02&to=2025-06-01')), 'from', /after to=2025-06-01/);
  });

  test('unknown and repeated parameters are refused', () => {
    refuses(() => params('from=2025-01-01&limit=5'), 'limit', /unknown parameter; expected only from, to/);
    refuses(() => params('from=2025-01-01&from=2025-02-01'), 'from', /more than once/);
    refuses(() => params('x=1', []), 'x', /takes no parameters/);
  });

  test('a search is an id (digits) or a name', () => {
    assert.deepEqual(parseOrderSearch(params('q= 1736942400000000042 ', ['q'])), { kind: 'id', id: '1736942400000000042' });
    assert.deepEqual(parseOrderSearch(params('q=dela%20cruz', ['q'])), { kind: 'name', text: 'dela cruz' });
    refuses(() => parseOrderSearch(params('q=%20', ['q'])), 'q', /expected an order id/);
    refuses(() => parseOrderSearch(params('', ['q'])), 'q', /expected an order id/);
    refuses(() => parseOrderSearch(params(`q=${'1'.repeat(20)}`, ['q'])), 'q', /at most 19 digits/);
    refuses(() => parseOrderSearch(params(`q=${'a'.repeat(101)}`, ['q'])), 'q', /at most 100 characters/);
  });

  test('an order id in a path is digits only', () => {
    assert.equal(parseOrderId('42'), '42');
    refuses(() => parseOrderId('42abc'), 'order id', /expected digits/);
    refuses(() => parseOrderId('../etc'), 'order id', /expected digits/);
    assert.equal(parseDay('d', '2262-04-11'), '2262-04-11');
  });
});
