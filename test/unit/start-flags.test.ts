/**
 * `npm start` checks every flag, its own and the generator's (through the generator's parser),
 * before it starts anything: a bad one is one line on stderr and exit 2, and no stack is made
 * (its state folder stays empty). No servers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const stateDir = mkdtempSync(path.join(tmpdir(), 'start-flags-'));

function start(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/start.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, STACK_STATE_DIR: stateDir },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm start flags', () => {
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  const bad: [string[], RegExp][] = [
    [['--rate', 'abc'], /^error: --rate is gone: .*--volume.*--speed/],
    [['--speed', '-1'], /^error: --speed expects a number above 0 and at most 100000000, got "-1"$/],
    [['--speed', 'fast'], /^error: --speed expects a number above 0/],
    [['--volume', '0'], /^error: --volume expects a number above 0/],
    [['--history', '5x'], /^error: --history expects a duration/],
    [['--history', '7d', '--no-history'], /^error: --history and --no-history contradict/],
    [['--seed', 'x'], /^error: --seed expects a whole number/],
    [['--bogus'], /^error: unknown flag --bogus/],
  ];
  for (const [args, message] of bad) {
    it(`npm start -- ${args.join(' ')}: one line, exit 2, nothing started`, () => {
      const r = start(args);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', message);
      assert.doesNotMatch(r.stderr, /ambiguous|ERR_PARSE_ARGS/);
      assert.deepEqual(readdirSync(stateDir), []);
    });
  }

  it('--help describes the clock and every flag', () => {
    const r = start(['--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const flag of ['--history', '--no-history', '--speed', '--volume', '--seed', '--no-generate']) assert.ok(r.stdout.includes(flag), flag);
    assert.match(r.stdout, /One simulated clock/);
    assert.match(r.stdout, /SIM_CLOCK/);
    assert.deepEqual(readdirSync(stateDir), []);
  });
});
