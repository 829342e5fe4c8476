/**
 * The bench's reading of the machine's CPU (/proc/stat): steal is the host's, reported on its own,
 * and neither busy nor idle; guest time is already inside user and is not counted twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { machineShares, parseCpuTicks } from '../../bench/lib/proc.js';

describe('bench: the machine CPU figures', () => {
  it('splits the cpu line into busy, steal and total', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const t = parseCpuTicks('cpu  1000 10 200 5000 40 5 15 300 70 0');
    assert.deepEqual(t, { busy: 1230, steal: 300, total: 6570 });
  });

  it('gives busy cores and the stolen share between two readings', () => {
    const t0 = parseCpuTicks('cpu  1000 0 0 1000 0 0 0 0 0 0');
    // 200 ticks later on 2 cores: 120 busy, 50 idle, 30 stolen.
    const t1 = parseCpuTicks('cpu  1100 0 20 1050 0 0 0 30 0 0');
    const shares = machineShares(t0, t1, 2);
    assert.equal(shares.busyCores, 1.2);
    assert.equal(shares.stolenPercent, 15);
  });

  it('says NaN when no time passed, not a division by zero', () => {
    const t = parseCpuTicks('cpu  1 2 3 4 5 6 7 8 0 0');
    const shares = machineShares(t, t, 2);
    assert.ok(Number.isNaN(shares.busyCores) && Number.isNaN(shares.stolenPercent));
  });

  it('refuses a line that is not the cpu line, naming it', () => {
    assert.throws(() => parseCpuTicks('intr 12345 0 0'), /not the cpu line of \/proc\/stat: "intr 12345 0 0"/);
  });
});
