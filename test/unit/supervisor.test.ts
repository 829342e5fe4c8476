/**
 * The one process supervisor (src/process/supervisor.ts) on real child processes (`node -e`):
 * ready lines, stopping by pid (grace, then SIGKILL), restarts counted, planned kills not counted,
 * output in the log file, children killed when their parent exits, and npm start's restart pauses.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RestartBackoff, spawnLogged, stopRecorded, Supervisor, type Exit } from '../../src/process/supervisor.js';
import { identityOf } from '../../src/stack/process-identity.js';
import { isAlive } from '../../src/stack/process.js';
import { pollUntil } from '../../src/stack/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'supervisor-test-'));
let n = 0;
const logFile = () => path.join(dir, `child-${++n}.log`);

/** A child running `code` with node. */
const node = (name: string, code: string) => ({ name, command: process.execPath, args: ['-e', code], logFile: logFile() });

const READY_LATE = "setTimeout(() => console.log('up and ready'), 200); setInterval(() => {}, 1000);";
const IGNORES_SIGTERM = "process.on('SIGTERM', () => console.log('not now')); console.log('ready'); setInterval(() => {}, 1000);";

describe('spawnLogged', () => {
  test('waits for the ready line; the output is in the log file', async () => {
    const proc = spawnLogged(node('late', READY_LATE));
    await proc.waitForLine(/ready/, 10_000);
    assert.equal(proc.hasExited(), false);
    await proc.stop(5_000);
    assert.equal(await proc.exited, 'signal SIGTERM');
    assert.match(readFileSync(proc.logFile, 'utf8'), /up and ready/);
  });

  test('a child that exits before its ready line fails the wait, naming the exit and its output', async () => {
    const proc = spawnLogged(node('quitter', "console.error('no config'); process.exit(3)"));
    await assert.rejects(proc.waitForLine(/ready/, 10_000), (err: Error) => {
      assert.match(err.message, /^quitter exited before it was ready \(code 3\); log .*child-\d+\.log:\nno config$/);
      return true;
    });
  });

  test('a ready line printed just before exiting still counts', async () => {
    const proc = spawnLogged(node('brief', "console.log('ready'); process.exit(0)"));
    await proc.waitForLine(/ready/, 10_000);
    assert.equal(await proc.exited, 'code 0');
  });

  test('a child that never prints its ready line fails the wait after the timeout', async () => {
    const proc = spawnLogged(node('silent', 'setInterval(() => {}, 1000)'));
    await assert.rejects(proc.waitForLine(/ready/, 300), /^Error: silent not ready within 0 s \(no line matching \/ready\/\)/);
    await proc.stop(1_000);
  });

  test('stop: the stop signal by pid, then SIGKILL after the grace period', async () => {
    const proc = spawnLogged(node('stubborn', IGNORES_SIGTERM));
    await proc.waitForLine(/ready/, 10_000);
    const t0 = Date.now();
    await proc.stop(500);
    assert.equal(await proc.exited, 'signal SIGKILL');
    assert.ok(Date.now() - t0 >= 450, 'it had its grace period first');
    assert.equal(isAlive(proc.pid), false);
    assert.match(readFileSync(proc.logFile, 'utf8'), /not now/);
  });

  test('lines reach onLine; a command that cannot run ends with its error', async () => {
    const lines: string[] = [];
    const proc = spawnLogged({ name: 'lines', command: process.execPath, args: ['-e', "console.log('a'); console.error('b')"], onLine: (l) => lines.push(l) });
    assert.equal(await proc.exited, 'code 0');
    await proc.stop();
    assert.deepEqual(lines.sort(), ['a', 'b']);
    const missing = spawnLogged({ name: 'missing', command: path.join(dir, 'no-such-program'), args: [] });
    assert.match(await missing.exited, /^error: spawn .*no-such-program ENOENT$/);
  });

  test('children are killed when the process that started them exits', async () => {
    const parent = `
      const { spawnLogged } = await import('./src/process/supervisor.ts');
      const proc = spawnLogged({ name: 'orphan', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] });
      console.log(proc.pid);
      process.exit(0);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', parent], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const pid = Number(run.stdout.trim());
    assert.ok(pid > 0, run.stdout);
    // Killed at once; gone once the orphan is reaped by whoever adopted it.
    assert.ok(await pollUntil(() => !isAlive(pid), { timeoutMs: 5_000, intervalMs: 50 }), `the child ${pid} outlived its parent`);
  });
});

describe('stopRecorded (a process left behind, known by its pid and start time)', () => {
  test('its signal first, SIGKILL after the grace period; a gone process is left alone', async () => {
    const polite = spawnLogged(node('polite', "console.log('ready'); setInterval(() => {}, 1000)"));
    const stubborn = spawnLogged(node('stubborn', IGNORES_SIGTERM));
    await Promise.all([polite.waitForLine(/ready/, 10_000), stubborn.waitForLine(/ready/, 10_000)]);
    const politeId = identityOf(polite.pid);
    const stubbornId = identityOf(stubborn.pid);
    assert.ok(politeId && stubbornId);
    assert.equal(await stopRecorded(politeId, 'SIGTERM', 5_000), 'stopped');
    assert.equal(await stopRecorded(stubbornId, 'SIGTERM', 300), 'killed');
    assert.equal(await stubborn.exited, 'signal SIGKILL');
    assert.equal(await stopRecorded(politeId, 'SIGTERM', 5_000), 'gone');
  });
});

describe('Supervisor', () => {
  test('restarts a ready process that exits by itself, counting exits and restarts, until told not to', async () => {
    const exits: Exit[] = [];
    const supervisor = new Supervisor({
      ...node('flaky', "console.log('ready'); setTimeout(() => process.exit(3), 100)"),
      readyPattern: /ready/,
      onUnplannedExit: (exit) => (exits.push(exit), exits.length < 3 ? 50 : undefined),
    });
    const first = await supervisor.start();
    assert.ok(await pollUntil(() => exits.length === 3, { timeoutMs: 20_000, intervalMs: 20 }), 'three exits');
    assert.equal(supervisor.unplannedExits, 3);
    assert.equal(supervisor.restarts, 2);
    assert.deepEqual(exits.map((e) => [e.name, e.how, e.code, e.beforeReady]), Array(3).fill(['flaky', 'code 3', 3, false]));
    assert.notEqual(supervisor.pid, first.pid, 'a new process');
    const log = readFileSync(first.logFile, 'utf8');
    assert.match(log, /\[supervisor\] flaky exited by itself \(code 3\); restarting in 0\.05 s/);
    assert.match(log, /\[supervisor\] flaky exited by itself \(code 3\); not restarted/);
    await supervisor.stop();
  });

  test('a planned kill restarts it without counting; stop() is not an unplanned exit either', async () => {
    let unplanned = 0;
    const supervisor = new Supervisor({ ...node('steady', READY_LATE), readyPattern: /ready/, onUnplannedExit: () => (unplanned++, 0) });
    await supervisor.start();
    const before = supervisor.pid as number;
    await supervisor.killAndRestart();
    assert.equal(isAlive(before), false);
    assert.notEqual(supervisor.pid, before);
    await supervisor.stop(5_000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(unplanned, 0);
    assert.equal(supervisor.unplannedExits, 0);
    assert.equal(isAlive(supervisor.pid as number), false);
  });

  test('a failed restart is reported before-ready and tried again as the policy says', async () => {
    const marker = path.join(dir, 'second-run');
    // Ready the first time; the restarts fail until the marker exists, then it comes up again.
    const code = `const fs = require('fs'); const m = ${JSON.stringify(marker)};
      if (!fs.existsSync(m + '.first')) { fs.writeFileSync(m + '.first', ''); console.log('ready'); setTimeout(() => process.exit(1), 100); }
      else if (fs.existsSync(m)) { console.log('ready'); setInterval(() => {}, 1000); }
      else { console.error('dependency down'); process.exit(2); }`;
    const exits: Exit[] = [];
    const supervisor = new Supervisor({
      ...node('phoenix', code),
      readyPattern: /ready/,
      onUnplannedExit: (exit) => {
        exits.push(exit);
        if (exits.length === 3) spawnSync('touch', [marker]);
        return exit.beforeReady ? 100 : 0;
      },
    });
    await supervisor.start();
    assert.ok(await pollUntil(() => supervisor.restarts === 3, { timeoutMs: 20_000, intervalMs: 20 }), 'three restarts');
    assert.deepEqual(exits.map((e) => e.beforeReady), [false, true, true]);
    assert.match(exits[1]?.error?.message ?? '', /phoenix exited before it was ready \(code 2\).*dependency down/s);
    assert.equal(supervisor.unplannedExits, 1, 'failed starts are not exits of a ready process');
    await supervisor.stop(5_000);
  });
});

describe('RestartBackoff (npm start restart pauses)', () => {
  test('1, 2, 4 … 30 s, from 1 s again after a healthy run, and give up after too many quick exits', () => {
    const b = new RestartBackoff({ maxQuickRestarts: 8 });
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(() => b.next(500)), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    assert.equal(b.next(120_000), 1000, 'a run of two minutes was healthy');
    const quick = new RestartBackoff({ maxQuickRestarts: 2 });
    assert.equal(quick.next(0), 1000);
    assert.equal(quick.next(0), 2000);
    assert.equal(quick.next(0), undefined);
  });
});
