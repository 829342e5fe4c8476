/**
 * The generator CLI as a user runs it: dry runs are repeatable with --seed and --run-id, bad flags
 * exit 2 with one line naming the flag, --help lists every flag. No servers: dry runs only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import type { Order } from '../../src/domain/order.js';
import { parseCliArgs } from '../../src/generator/options.js';

const CLI = 'src/generator/cli.ts';

function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000, env, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function orders(stdout: string): Order[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Order);
}

describe('generate --dry-run', () => {
  it('prints the same 5 orders twice for --seed 1 --run-id 1 (ids, customers, items, totals)', () => {
    const args = ['--dry-run', '--count', '5', '--seed', '1', '--run-id', '1'];
    const a = runCli(args);
    const b = runCli(args);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const oa = orders(a.stdout);
    const ob = orders(b.stdout);
    assert.equal(oa.length, 5);
    assert.deepEqual(oa.map((o) => o.order_id), ['1000001', '1000002', '1000003', '1000004', '1000005']);
    // The clock starts now, so only the dates may differ between two runs started apart.
    const undated = (os: Order[]): unknown[] => os.map(({ order_date: _d, ...rest }) => rest);
    assert.deepEqual(undated(ob), undated(oa));
    assert.match(a.stderr, /seed 1, run id 1/);
  });

  it('prints byte-identical output with --start, and different orders for another seed', () => {
    const base = ['--dry-run', '--count', '5', '--run-id', '1', '--start', '2025-03-14T09:00:00+08:00'];
    const a = runCli([...base, '--seed', '1']);
    const b = runCli([...base, '--seed', '1']);
    const c = runCli([...base, '--seed', '2']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.notEqual(c.stdout, a.stdout);
    // Live orders arrive after the clock's start, the first one gap (at least 6 minutes) later.
    const first = Date.parse(orders(a.stdout)[0]?.order_date ?? '');
    assert.ok(first >= Date.parse('2025-03-14T01:06:00.000Z') && first < Date.parse('2025-03-15T01:00:00.000Z'), `first order at ${first}`);
  });

  it('backfills a window with increasing dates inside it', () => {
    const r = runCli(['--dry-run', '--backfill', '2d', '--seed', '3', '--run-id', '5', '--start', '2025-06-03T00:00:00Z']);
    assert.equal(r.code, 0, r.stderr);
    const dates = orders(r.stdout).map((o) => Date.parse(o.order_date));
    assert.ok(dates.length > 10, `${dates.length} orders in 2 days`);
    assert.ok((dates[0] ?? 0) > Date.parse('2025-06-01T00:00:00Z'));
    assert.ok((dates.at(-1) ?? Infinity) <= Date.parse('2025-06-03T00:00:00Z'));
    assert.ok(dates.every((d, i) => i === 0 || d - (dates[i - 1] ?? 0) >= 6 * 60_000));
    assert.match(r.stderr, /done: \d+ orders printed/);
  });
});

describe('generate --dry-run never waits for the clock', () => {
  it('prints 3,000 live orders at --speed 1 (days of real time if it waited) at once', () => {
    const t0 = performance.now();
    const r = runCli(['--dry-run', '--count', '3000', '--speed', '1', '--seed', '4', '--run-id', '4', '--start', '2025-01-01T00:00:00Z']);
    assert.equal(r.code, 0, r.stderr);
    const dates = orders(r.stdout).map((o) => Date.parse(o.order_date));
    assert.equal(dates.length, 3000);
    // At one simulated second per real second these dates lie weeks after the start.
    assert.ok((dates.at(-1) ?? 0) - Date.parse('2025-01-01T00:00:00Z') > 7 * 86_400_000);
    // Well under the spawn's own 60 s limit (most of it is starting Node on a busy machine).
    assert.ok(performance.now() - t0 < 55_000);
  });
});

describe('generate flags', () => {
  const bad: [string[], RegExp][] = [
    [['--count', 'abc'], /--count expects a whole number 1\.\.999999, got "abc"/],
    [['--count', '0'], /--count expects/],
    [['--bogus'], /unknown flag --bogus/],
    [['--backfill', '5x'], /--backfill expects a duration/],
    [['--backfill', '0d'], /--backfill expects a duration/],
    [['--rate', '-1'], /--rate is gone: .*use --volume X .*--speed N/],
    [['--rate=5'], /--rate is gone/],
    [['--speed', '0'], /--speed expects a number above 0/],
    [['--speed', '-1'], /--speed expects a number above 0 and at most 100000000, got "-1"/],
    [['--volume', '0'], /--volume expects a number above 0/],
    [['--volume', 'lots'], /--volume expects a number above 0/],
    [['--concurrency', '1001'], /--concurrency expects a whole number 1\.\.1000/],
    [['--max-backlog', '-1'], /--max-backlog expects a whole number 0\.\.1000000, got "-1"/],
    [['--payment-window-hours', 'x'], /--payment-window-hours expects/],
    [['--seed', 'x1'], /--seed expects a whole number/],
    [['--run-id', '99999999999999'], /--run-id expects a whole number 1\.\.9223372036853/],
    [['--start', 'yesterday'], /--start expects an ISO-8601 date/],
    [['--start', '2025-13-45'], /--start expects an ISO-8601 date/],
    [['--count'], /--count expects a value/],
    [['--dry-run=yes'], /--dry-run takes no value/],
    [['extra'], /unexpected argument/],
  ];
  for (const [args, message] of bad) {
    it(`rejects ${args.join(' ')}`, () => {
      assert.throws(() => parseCliArgs(args), (err: Error) => err.name === 'UserError' && message.test(err.message) && !err.message.includes('\n'));
    });
  }

  // The same errors through the real entry point: one line on stderr, exit code 2.
  for (const args of [['--count', 'abc'], ['--bogus'], ['--backfill', '5x', '--dry-run'], ['--rate', 'abc'], ['--speed', '-1']]) {
    it(`exits 2 with one line for: generate ${args.join(' ')}`, () => {
      const r = runCli(args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', new RegExp(`^error: .*${args[0] === '--bogus' ? '--bogus' : args[0]}`));
    });
  }

  it('parses every flag (in-process) with its defaults', () => {
    const d = parseCliArgs([]);
    assert.deepEqual(d, { help: false, dryRun: false, live: true, volume: 1, concurrency: 20, maxBacklog: 100, paymentWindowHours: 168, simulatePayment: true });
    const all = parseCliArgs(['--count', '10', '--backfill', '12h', '--seed', '007', '--run-id', '9', '--start', '2025-01-01',
      '--dry-run', '--concurrency', '5', '--max-backlog', '0', '--payment-window-hours', '2.5', '--no-simulate-payment', '--volume', '2.5', '--speed', '60']);
    assert.equal(all.live, false);
    assert.equal(all.volume, 2.5);
    assert.equal(all.speed, 60);
    assert.equal(parseCliArgs(['--backfill', '30d', '--live']).live, true);
    assert.equal(all.count, 10);
    assert.equal(all.backfillMs, 12 * 3600_000);
    assert.equal(all.seed, '7');
    assert.equal(all.runId, 9);
    assert.equal(all.start?.toISOString(), '2025-01-01T00:00:00.000Z');
    assert.equal(all.dryRun, true);
    assert.equal(all.concurrency, 5);
    assert.equal(all.maxBacklog, 0);
    assert.equal(all.paymentWindowHours, 2.5);
    assert.equal(all.simulatePayment, false);
  });

  it('--help lists every flag with its default', () => {
    const r = runCli(['--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--count', '--backfill', '--live', '--volume', '--speed', '--seed', '--run-id', '--start', '--dry-run', '--concurrency',
      '--max-backlog', '--payment-window-hours', '--no-simulate-payment', '--help']) {
      assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
    }
    assert.match(r.stdout, /default: 1, /);
    assert.match(r.stdout, /default: 3600, /);
    assert.match(r.stdout, /One simulated clock per run/);
    assert.match(r.stdout, /--rate is gone: use --volume/);
  });
});

describe('generate without a reachable Temporal', () => {
  it('exits 2 with one line naming the address', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as { port: number };
        srv.close(() => resolve(p));
      });
    });
    const r = runCli(['--count', '1', '--seed', '1'], { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', new RegExp(`^error: cannot reach Temporal at 127\\.0\\.0\\.1:${port} .*npm run stack`));
  });
});
