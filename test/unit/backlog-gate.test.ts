/**
 * The generator's backlog gate on scripted queue readings: it admits what is left under the
 * limit, holds (and says so) while the backlog is at the limit, never probes more often than its
 * interval, and lets everything through when no worker polls or the probe fails. The gate against
 * a real Temporal server is in test/integration/generate.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BacklogGate, type QueueReading } from '../../src/generator/backlog-gate.js';

function scripted(readings: QueueReading[]): { probe: () => Promise<QueueReading>; probes: () => number } {
  let n = 0;
  return {
    probe: async () => readings[Math.min(n++, readings.length - 1)] as QueueReading,
    probes: () => n,
  };
}

describe('backlog gate', () => {
  it('admits what is left under the limit, then probes again', async () => {
    const s = scripted([{ pollers: 1, backlog: 7 }, { pollers: 1, backlog: 0 }]);
    const gate = new BacklogGate(s.probe, { limit: 10, intervalMs: 1 });
    const signal = new AbortController().signal;
    for (let i = 0; i < 3; i++) await gate.admit(signal);
    assert.equal(s.probes(), 1, 'three starts fit in the room of the first reading');
    await gate.admit(signal);
    assert.equal(s.probes(), 2, 'the fourth start needed a new reading');
  });

  it('holds while the backlog is at the limit and reports it, then goes on', async () => {
    const s = scripted([{ pollers: 2, backlog: 10 }, { pollers: 2, backlog: 12 }, { pollers: 2, backlog: 3 }]);
    const gate = new BacklogGate(s.probe, { limit: 10, intervalMs: 20 });
    const held: number[] = [];
    const t0 = performance.now();
    await gate.admit(new AbortController().signal, (b) => held.push(b));
    assert.deepEqual(held, [10, 12]);
    assert.equal(s.probes(), 3);
    assert.ok(performance.now() - t0 >= 35, 'the probes were spaced by the interval');
    assert.ok(gate.heldMs >= 35);
  });

  it('admits once per stats snapshot: a cached reading seen again allows nothing more', async () => {
    const stale = { pollers: 1, backlog: 0, sample: 'snapshot-1' };
    const s = scripted([stale, stale, stale, { pollers: 1, backlog: 4, sample: 'snapshot-2' }]);
    const gate = new BacklogGate(s.probe, { limit: 5, intervalMs: 1 });
    const signal = new AbortController().signal;
    for (let i = 0; i < 6; i++) await gate.admit(signal);
    assert.equal(s.probes(), 4, 'the sixth start waited out two repeats of the first snapshot for a new one');
    assert.ok(gate.heldMs > 0);
  });

  it('takes a snapshot that stops changing as current after maxStaleMs (an idle queue)', async () => {
    const idle = { pollers: 1, backlog: 0, sample: 'idle' };
    const s = scripted([idle]);
    const gate = new BacklogGate(s.probe, { limit: 2, intervalMs: 5, maxStaleMs: 40 });
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await gate.admit(new AbortController().signal);
    assert.ok(performance.now() - t0 >= 35, 'the third start waited for the snapshot to count as current');
  });

  it('lets every start through when no worker polls or the server has no stats', async () => {
    for (const reading of [{ pollers: 0, backlog: 5000 }, { pollers: 3, backlog: null }]) {
      const s = scripted([reading]);
      const gate = new BacklogGate(s.probe, { limit: 5, intervalMs: 1 });
      for (let i = 0; i < 12; i++) await gate.admit(new AbortController().signal);
      assert.equal(s.probes(), 3, `${JSON.stringify(reading)}: one probe per ${5} starts, none held`);
      assert.equal(gate.heldMs, 0);
    }
  });

  it('a failing probe is reported once and the gate stops holding', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const gate = new BacklogGate(
      async () => {
        calls++;
        throw new Error('describeTaskQueue: permission denied');
      },
      { limit: 2, intervalMs: 1, onProbeError: (e) => errors.push(e) },
    );
    for (let i = 0; i < 7; i++) await gate.admit(new AbortController().signal);
    assert.equal(calls, 1);
    assert.equal(errors.length, 1);
  });

  it('an abort releases a held start', async () => {
    const s = scripted([{ pollers: 1, backlog: 99 }]);
    const gate = new BacklogGate(s.probe, { limit: 10, intervalMs: 10 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await gate.admit(controller.signal);
    assert.ok(controller.signal.aborted);
  });
});
