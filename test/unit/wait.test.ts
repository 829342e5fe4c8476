/** The one polling loop (src/stack/wait.ts): when it stops, what it reports, how retries are spaced. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pollUntil, retry, waitUntil } from '../../src/stack/wait.js';

describe('pollUntil', () => {
  test('true as soon as the check passes, checking once more than it sleeps', async () => {
    let calls = 0;
    assert.equal(await pollUntil(() => ++calls === 3, { timeoutMs: 5_000, intervalMs: 1 }), true);
    assert.equal(calls, 3);
  });

  test('false once the time is up, having checked at least once', async () => {
    let calls = 0;
    assert.equal(await pollUntil(() => (calls++, false), { timeoutMs: 0, intervalMs: 1 }), false);
    assert.ok(calls >= 1);
  });

  test('a check that throws ends the wait with its error', async () => {
    await assert.rejects(pollUntil(() => Promise.reject(new Error('boom')), { timeoutMs: 5_000, intervalMs: 1 }), /boom/);
  });
});

describe('waitUntil', () => {
  test('a failing check is "not yet"; the timeout names the wait and the last error', async () => {
    let calls = 0;
    await waitUntil('flaky', () => (++calls < 3 ? Promise.reject(new Error('refused')) : true), { timeoutMs: 5_000, intervalMs: 1 });
    await assert.rejects(waitUntil('the thing', () => Promise.reject(new Error('refused')), { timeoutMs: 20, intervalMs: 1 }), {
      message: 'the thing not ready after 0 s (last error: refused)',
    });
  });
});

describe('retry', () => {
  test('returns the first success, sleeping delayMs(n) after failed attempt n', async () => {
    const delays: number[] = [];
    const result = await retry(async (attempt) => {
      if (attempt < 3) throw new Error(`attempt ${attempt}`);
      return attempt;
    }, { attempts: 5, delayMs: (n) => (delays.push(n), 1) });
    assert.equal(result, 3);
    assert.deepEqual(delays, [1, 2]);
  });

  test('throws the last failure after the last attempt', async () => {
    let calls = 0;
    await assert.rejects(retry(async (attempt) => { calls++; throw new Error(`attempt ${attempt}`); }, { attempts: 2, delayMs: () => 1 }), /attempt 2/);
    assert.equal(calls, 2);
  });
});
