import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProgressReporter } from '../../src/generator/progress.js';

/** A non-terminal stream and a hand-driven clock: counts the plain lines written. */
function harness(options: { total?: number } = {}) {
  const lines: string[] = [];
  let now = 0;
  const reporter = new ProgressReporter({ isTTY: false, write: (t: string) => lines.push(t) }, { ...options, now: () => now });
  return { lines, reporter, advance: (ms: number) => (now += ms) };
}

describe('generator progress lines (not a terminal)', () => {
  test('work with a known share reports every 5 s', () => {
    const { lines, reporter, advance } = harness();
    for (let i = 1; i <= 60; i++) {
      advance(1000);
      reporter.update(i, i / 120);
    }
    assert.equal(lines.length, 12);
    assert.match(lines[0] as string, /^progress: 4\.2% {2}5 orders/);
  });

  test('open-ended live work reports once a minute, so an hour of it is 60 lines, not 720', () => {
    const { lines, reporter, advance } = harness();
    for (let i = 1; i <= 3600; i++) {
      advance(1000);
      reporter.update(i);
    }
    assert.equal(lines.length, 60);
  });

  test('a --count total makes the share known', () => {
    const { lines, reporter, advance } = harness({ total: 100 });
    for (let i = 1; i <= 20; i++) {
      advance(1000);
      reporter.update(i);
    }
    assert.equal(lines.length, 4);
  });
});
