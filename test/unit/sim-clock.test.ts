import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { formatSimClock, parseSimClock, realMomentOf, simulatedNow } from '../../src/domain/sim-clock.js';

describe('simulated clock', () => {
  const clock = { simStartMs: Date.parse('2026-01-01T00:00:00Z'), realStartMs: Date.parse('2026-12-02T02:30:00Z'), speed: 3600 };

  test('runs speed times faster than real time from its anchor', () => {
    assert.equal(simulatedNow(clock, clock.realStartMs), clock.simStartMs);
    assert.equal(new Date(simulatedNow(clock, clock.realStartMs + 1000)).toISOString(), '2026-01-01T01:00:00.000Z');
    assert.equal(realMomentOf(clock, Date.parse('2026-01-02T00:00:00Z')), clock.realStartMs + 24_000);
  });

  test('its text form round-trips and SIM_CLOCK reads it', () => {
    const text = formatSimClock(clock);
    assert.equal(text, '2026-01-01T00:00:00.000Z@2026-12-02T02:30:00.000Z*3600');
    assert.deepEqual(parseSimClock(text), clock);
    assert.deepEqual(loadConfig({ SIM_CLOCK: text }).simClock, clock);
    assert.equal(loadConfig({}).simClock, undefined);
  });

  test('refuses text that is not a clock', () => {
    for (const bad of ['', 'now', '2026-01-01T00:00:00Z@2026-12-02T02:30:00Z', '2026-01-01T00:00:00Z@2026-12-02T02:30:00Z*-1', 'x@y*2']) {
      assert.equal(parseSimClock(bad), undefined, bad);
    }
  });
});
