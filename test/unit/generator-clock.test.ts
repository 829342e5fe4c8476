/**
 * One arrival process and one clock per run (no servers): a live run continues the history's
 * process exactly, volume scales it without changing its shape, `--backfill W --count N` makes
 * exactly N orders spread over the whole window with the model's quarter shares, and the run's
 * clock comes from SIM_CLOCK or from --start/--speed, never both.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { ArrivalProcess, BackfillClock, spreadArrivals } from '../../src/generator/arrivals.js';
import { parseCliArgs } from '../../src/generator/options.js';
import { planFrom, runClock } from '../../src/generator/plan.js';
import { dryRunDates } from '../support/dry-run.js';

const DAY = 86_400_000;
const END = new Date('2026-12-01T00:00:00Z');

function dates(process: { next(): Date | undefined }): number[] {
  const out: number[] = [];
  for (let d = process.next(); d; d = process.next()) out.push(d.getTime());
  return out;
}

/** Share of each quarter (Q1..Q4 of the window, 91.25 days each) in `ms`. */
function quarterShares(ms: readonly number[], from: number): number[] {
  const counts = [0, 0, 0, 0];
  for (const t of ms) counts[Math.min(3, Math.floor((t - from) / (365 * DAY / 4)))]! += 1;
  return counts.map((c) => c / ms.length);
}

describe('the arrival process', () => {
  it('a live run continues the history: the open process from a moment makes the backfill’s dates, then goes on', () => {
    const from = new Date(END.getTime() - 30 * DAY);
    const backfill = dates(new BackfillClock('11', from, END));
    const open = new ArrivalProcess('11', from);
    const continued: number[] = [];
    for (let i = 0; i < backfill.length + 100; i++) continued.push((open.next() as Date).getTime());
    assert.deepEqual(continued.slice(0, backfill.length), backfill);
    assert.ok(continued.slice(backfill.length).every((t) => t > END.getTime()));
  });

  it('volume 3 makes about three times the orders with the same shape (sale days still busier)', () => {
    const from = new Date(END.getTime() - 90 * DAY);
    let base = 0;
    let tripled = 0;
    for (const seed of ['1', '2', '3', '4', '5']) {
      base += dates(new ArrivalProcess(seed, from, END, 1)).length;
      tripled += dates(new ArrivalProcess(seed, from, END, 3)).length;
    }
    const ratio = tripled / base;
    assert.ok(ratio > 2.6 && ratio < 3.4, `ratio ${ratio.toFixed(2)}`);
  });
});

describe('--backfill 365d --count 2000 (dry run)', () => {
  const from = new Date(END.getTime() - 365 * DAY);
  for (const seed of ['7', '8', '9']) {
    it(`seed ${seed}: exactly 2,000 orders, every month holds orders, quarter shares within 10 points of the uncapped backfill's`, async () => {
      const opts = parseCliArgs(['--backfill', '365d', '--count', '2000', '--seed', seed, '--run-id', '1', '--start', END.toISOString(), '--dry-run']);
      const plan = planFrom(opts, runClock(opts, {}, Date.now()), Date.now());
      const capped = await dryRunDates(plan);
      assert.equal(capped.length, 2000);
      assert.ok(capped.every((t, i) => t > from.getTime() && t <= END.getTime() && (i === 0 || t >= (capped[i - 1] as number))));
      const months = new Set(capped.map((t) => new Date(t).toISOString().slice(0, 7)));
      // The window starts on 1 Dec 2025 (its first instants) and ends on 1 Dec 2026: 12 whole months.
      for (let m = 0; m < 12; m++) {
        const month = new Date(Date.UTC(2025, 11 + m, 1)).toISOString().slice(0, 7);
        assert.ok(months.has(month), `no order in ${month}`);
      }
      const uncappedOpts = parseCliArgs(['--backfill', '365d', '--seed', seed, '--run-id', '1', '--start', END.toISOString(), '--dry-run']);
      const uncapped = await dryRunDates(planFrom(uncappedOpts, runClock(uncappedOpts, {}, Date.now()), Date.now()));
      assert.ok(uncapped.length > 2000, `the model makes ${uncapped.length} orders in the year`);
      const a = quarterShares(capped, from.getTime());
      const b = quarterShares(uncapped, from.getTime());
      process.stderr.write(`# seed ${seed}: capped quarters ${a.map((x) => x.toFixed(3))}, uncapped (${uncapped.length}) ${b.map((x) => x.toFixed(3))}\n`);
      for (let q = 0; q < 4; q++) assert.ok(Math.abs((a[q] as number) - (b[q] as number)) <= 0.1, `Q${q + 1}: ${a[q]} vs ${b[q]}`);
    });
  }

  it('more orders than the model makes in the window: still exactly N, spread over the whole window', () => {
    const to = new Date('2026-01-03T00:00:00Z');
    const f = new Date(to.getTime() - 2 * DAY);
    const ms = spreadArrivals('3', f, to, 5000);
    assert.equal(ms.length, 5000);
    const firstDay = ms.filter((t) => t < f.getTime() + DAY).length;
    assert.ok(firstDay > 1000 && firstDay < 4000, `${firstDay} of 5000 on the first day`);
  });
});

describe('the run clock', () => {
  const clockText = '2026-05-01T00:00:00.000Z@2026-12-02T02:30:00.000Z*7200';

  it('comes from SIM_CLOCK when set; --start or --speed with it is an error naming both', () => {
    const config = loadConfig({ SIM_CLOCK: clockText });
    const clock = runClock(parseCliArgs([]), config, Date.now());
    assert.deepEqual(clock, { simStartMs: Date.parse('2026-05-01T00:00:00Z'), realStartMs: Date.parse('2026-12-02T02:30:00Z'), speed: 7200 });
    assert.throws(() => runClock(parseCliArgs(['--speed', '60']), config, Date.now()), /--speed conflicts with SIM_CLOCK/);
  });

  it('else starts at --start (default now) with --speed (default 3600); a history ends where the clock starts', () => {
    const now = Date.parse('2026-12-02T03:00:00Z');
    const opts = parseCliArgs(['--backfill', '30d', '--live', '--start', '2026-06-01T00:00:00Z', '--speed', '60', '--volume', '2']);
    const clock = runClock(opts, {}, now);
    assert.deepEqual(clock, { simStartMs: Date.parse('2026-06-01T00:00:00Z'), realStartMs: now, speed: 60 });
    const plan = planFrom(opts, clock, now);
    assert.deepEqual(plan.mode, { kind: 'continuous', from: new Date('2026-05-02T00:00:00Z') });
    assert.equal(plan.volume, 2);
    assert.deepEqual(runClock(parseCliArgs([]), {}, now), { simStartMs: now, realStartMs: now, speed: 3600 });
  });
});
