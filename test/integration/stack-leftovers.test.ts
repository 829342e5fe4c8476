/**
 * `npm run stack` killed outright (SIGKILL: no chance to stop its servers) and started again on the
 * same state folder: the new start stops the servers the old one left (found by their pid files,
 * checked by start time), says so, starts on the same data without a port error, and after its own
 * Ctrl-C no server of either run is left. Real Temporal, Kafka and Postgres on free ports.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { pidDir } from '../../src/stack/leftovers.js';
import type { PidRecord } from '../../src/process/supervisor.js';
import { isSameProcess } from '../../src/stack/process-identity.js';
import { canConnect, freePort } from '../../src/stack/wait.js';
import { waitUntil } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cache = loadConfig().stack.stateDir;
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'stack-leftovers-'));

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function runStack(env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/stack.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  for (const s of [child.stdout, child.stderr]) s?.on('data', (d: Buffer) => (text += d.toString()));
  return { child, output: () => text, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

function pidRecords(): PidRecord[] {
  const dir = pidDir(path.join(stateDir, 'data'));
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as PidRecord);
}

const seen: PidRecord[] = [];

after(() => {
  // Whatever happened, no server of ours outlives the test.
  for (const r of seen) if (isSameProcess(r.server)) process.kill(r.server.pid, 'SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

describe('npm run stack after its supervisor was SIGKILLed', { timeout: 600_000 }, () => {
  test('the next start stops the leftover servers, keeps the data, and leaves no orphan after Ctrl-C', async () => {
    // The Temporal CLI, Jaeger and Kafka jars come from the shared cache; data is this test's own.
    for (const entry of readdirSync(cache)) if (entry === 'bin' || entry.startsWith('kafka-')) symlinkSync(path.join(cache, entry), path.join(stateDir, entry));
    mkdirSync(path.join(stateDir, 'data'), { recursive: true });
    const ports = {
      STACK_TEMPORAL_PORT: String(await freePort()),
      STACK_TEMPORAL_UI_PORT: String(await freePort()),
      STACK_KAFKA_PORT: String(await freePort()),
      STACK_KAFKA_CONTROLLER_PORT: String(await freePort()),
      STACK_POSTGRES_PORT: String(await freePort()),
      STACK_JAEGER_UI_PORT: String(await freePort()),
      STACK_JAEGER_OTLP_PORT: String(await freePort()),
    };
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, STACK_STATE_DIR: stateDir, LOG_LEVEL: 'info', ...ports };
    const dbUrl = loadConfig(env).database.url;

    const first = runStack(env);
    await waitUntil('the first stack to be up', () => /Local stack up/.test(first.output()) || first.child.exitCode !== null, 300_000);
    assert.match(first.output(), /Local stack up/);
    const left = pidRecords();
    seen.push(...left);
    assert.deepEqual(left.map((r) => r.name).sort(), ['jaeger', 'kafka', 'postgres', 'temporal']);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    await db.query('CREATE TABLE survives (note text)');
    await db.query('INSERT INTO survives VALUES ($1)', ['written before the kill']);
    await db.end();

    first.child.kill('SIGKILL');
    await first.exit;
    for (const r of left) assert.ok(isSameProcess(r.server), `${r.name} outlived its SIGKILLed supervisor (the situation under test)`);

    const second = runStack(env);
    await waitUntil('the second stack to be up', () => /Local stack up/.test(second.output()) || second.child.exitCode !== null, 300_000);
    const out = second.output();
    assert.match(out, /Local stack up/, out);
    assert.doesNotMatch(out, /already in use|^error:|ERROR/m);
    for (const r of left) {
      const stopped = new RegExp(`stopped ${r.name} \\(pid ${r.server.pid}\\), left running by a stack supervisor that is gone \\(pid ${first.child.pid}\\); its data is kept`);
      // The servers write their output into pipes the supervisor read; once it is gone, a server
      // that writes again ends on the broken pipe by itself. Jaeger logs often enough to do so
      // before the next start looks (CI saw it); the others are checked to be stopped by it.
      if (r.name !== 'jaeger' || stopped.test(out)) assert.match(out, stopped);
      assert.equal(isSameProcess(r.server), false, `${r.name} of the first run is gone`);
    }
    const now = pidRecords();
    seen.push(...now);
    const db2 = new pg.Client({ connectionString: dbUrl });
    await db2.connect();
    const { rows } = await db2.query<{ note: string }>('SELECT note FROM survives');
    await db2.end();
    assert.deepEqual(rows, [{ note: 'written before the kill' }], 'same data');

    second.child.kill('SIGINT');
    assert.equal(await second.exit, 0, second.output().slice(-2000));
    for (const r of [...left, ...now]) assert.equal(isSameProcess(r.server), false, `${r.name} (pid ${r.server.pid}) is not left running`);
    for (const [name, port] of Object.entries(ports)) assert.equal(await canConnect('127.0.0.1', Number(port)), false, `${name} ${port} is free again`);
    assert.deepEqual(pidRecords(), [], 'no pid file is left');
  });
});

describe('npm test interrupted while its test stack starts', { timeout: 300_000 }, () => {
  test('stops the servers already up and removes the stack’s data folder', async () => {
    // mkdtemp under a TMPDIR of this test's own: the runner's data folder is the one folder in it.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'interrupted-test-stack-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, STACK_STATE_DIR: cache, LOG_LEVEL: 'info' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/run-tests.ts', 'test/integration/smoke.test.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    for (const s of [child.stdout, child.stderr]) s?.on('data', (d: Buffer) => (text += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const records = (): PidRecord[] => {
      const dataDirs = readdirSync(tmp).filter((d) => d.startsWith('order-pipeline-stack-'));
      return dataDirs.flatMap((d) => {
        const dir = pidDir(path.join(tmp, d));
        return existsSync(dir) ? readdirSync(dir).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as PidRecord) : [];
      });
    };
    // Postgres is up in a second or two; Kafka's JVM takes longer, so the stack is still starting.
    await waitUntil('a server of the test stack to be started', () => records().some((r) => r.name === 'postgres') || child.exitCode !== null, 120_000);
    assert.doesNotMatch(text, /test stack up/, 'interrupted while the stack was still starting');
    const started = records();
    seen.push(...started);
    child.kill('SIGINT');
    assert.equal(await exit, 130, text.slice(-2000));
    for (const r of records().concat(started)) assert.equal(isSameProcess(r.server), false, `${r.name} (pid ${r.server.pid}) is not left running`);
    // Nothing still runs from the data folder, whether or not its pid file was written in time.
    const leftovers = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(tmp);
      } catch {
        return false;
      }
    });
    assert.deepEqual(leftovers, [], 'no process runs from the interrupted stack’s folder');
    // (tsx keeps its compile cache in TMPDIR too: only the stack's folder is ours to check.)
    assert.deepEqual(readdirSync(tmp).filter((d) => d.startsWith('order-pipeline-stack-')), [], 'the data folder is removed');
    rmSync(tmp, { recursive: true, force: true });
  });
});
