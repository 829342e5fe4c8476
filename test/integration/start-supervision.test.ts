/**
 * `npm start` as a supervisor, on the real thing (src/cli/start.ts with the test stack's Temporal,
 * Kafka and Postgres, topics and a database of its own, a state folder of its own):
 * - a bridge whose Kafka consumer crashes for good exits non-zero; npm start says so, restarts it
 *   after a growing pause, and once the cause is gone every order is stored: nothing lost;
 * - a second npm start on the same state folder is refused with one line naming the first (pid,
 *   dashboard), starts nothing, and the first run's bridge group sees no new member;
 * - Ctrl-C then stops everything and removes the lock.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/config.js';
import { startLockFile, type StartLockRecord } from '../../src/cli/start-lock.js';
import { freePort } from '../../src/stack/wait.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { squatGroup, type GroupSquatter } from '../support/group-squatter.js';
import { createTestTopics, produceTerminalOrders, type TestTopics } from '../support/kafka.js';
import { terminalOrders } from '../support/orders.js';
import { waitUntil } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORDERS = 150;

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

let topics: TestTopics;
let db: TestDatabase;
let stateDir: string;
let env: NodeJS.ProcessEnv;
let first: Run;
let squatter: GroupSquatter | undefined;

function runStart(): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts', '--no-generate'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  for (const s of [child.stdout, child.stderr]) s?.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

const stored = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM order_record')).rows[0]?.n);

async function groupMembers(): Promise<string[]> {
  const admin = topics.kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([topics.config.kafka.bridgeGroupId]);
    return (groups[0]?.members ?? []).map((m) => m.memberId).sort();
  } finally {
    await admin.disconnect();
  }
}

describe('npm start supervises its services and runs once per state folder', { timeout: 600_000 }, () => {
  before(async () => {
    const base = loadConfig();
    topics = await createTestTopics(base, 3);
    db = await createTestDatabase(base);
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'start-supervision-'));
    const prefix = topics.config.kafka.topics.finished.replace(/finished_orders$/, '');
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: base.temporal.address,
      TEMPORAL_UI_URL: base.temporal.uiUrl,
      TEMPORAL_TASK_QUEUE: `${prefix}queue`,
      KAFKA_BROKERS: base.kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_BRIDGE_GROUP_ID: topics.config.kafka.bridgeGroupId,
      DATABASE_URL: db.url,
      STACK_STATE_DIR: stateDir,
      DASHBOARD_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    };
  });

  after(async () => {
    await squatter?.leave();
    if (first && first.child.exitCode === null && first.child.signalCode === null) {
      first.child.kill('SIGINT');
      await first.exit;
    }
    await db.drop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('a bridge whose consumer crashes for good exits 1 and is restarted with a growing pause; every order is stored', async () => {
    await produceTerminalOrders(topics.kafka, topics.config.kafka.topics, terminalOrders(ORDERS, 'supervision', 5151));
    // A member with a foreign assignor holds the group: the bridge's join is refused, non-retriably.
    squatter = await squatGroup(topics.kafka, topics.config.kafka.bridgeGroupId, topics.config.kafka.topics.finished);
    first = runStart();
    const out = first.output;
    await waitUntil('two restarts of the crashed bridge', () => /restarting it in 2 s \(restart 2\)/.test(out()) || first.child.exitCode !== null, 240_000);
    assert.match(out(), /\[bridge\].*crashed and will not restart: .*exiting for the supervisor to restart the bridge/);
    assert.match(out(), /bridge exited \(code 1\); restarting it in 1 s \(restart 1\)/);
    assert.match(out(), /bridge exited \(code 1\); restarting it in 2 s \(restart 2\)/);
    assert.equal(first.child.exitCode, null, 'npm start keeps running while it restarts the bridge');
    assert.equal(await stored(), 0);
    await squatter.leave();
    squatter = undefined;
    await waitUntil(`all ${ORDERS} orders stored by a restarted bridge`, async () => (await stored()) === ORDERS, 240_000);
    await waitUntil('the bridge is the group\'s only member', async () => (await groupMembers()).length === 1, 60_000);
    const sinceLastRestart = () => out().slice(out().lastIndexOf('restarting it in'));
    await waitUntil('the restarted bridge to say it consumes', () => /\[bridge\].*consuming /.test(sinceLastRestart()), 60_000);
    assert.doesNotMatch(sinceLastRestart(), /crashed and will not restart/);
  });

  test('a second npm start on the same state folder is refused, starts nothing, and leaves the first undisturbed', async () => {
    assert.equal(first.child.exitCode, null, 'the first run is up');
    const lock = JSON.parse(readFileSync(startLockFile(stateDir), 'utf8')) as StartLockRecord;
    assert.equal(lock.owner.pid, first.child.pid);
    const membersBefore = await groupMembers();
    const consumingBefore = (first.output().match(/\[bridge\].*consuming /g) ?? []).length;

    const second = runStart();
    const code = await second.exit;
    assert.equal(code, 2, `refused with exit 2; output:\n${second.output()}`);
    const lines = second.output().trim().split('\n');
    assert.equal(lines.length, 1, `one line:\n${second.output()}`);
    assert.match(lines[0] ?? '', new RegExp(`^error: npm start is already running on the state folder .* \\(pid ${first.child.pid}, since .*; dashboard http://127\\.0\\.0\\.1:${env.DASHBOARD_PORT}\\); nothing was started`));

    assert.deepEqual(await groupMembers(), membersBefore, 'the bridge group has the same single member: no second bridge joined');
    assert.equal((first.output().match(/\[bridge\].*consuming /g) ?? []).length, consumingBefore, `the first bridge did not restart:\n${first.output().slice(-3000)}`);
    assert.doesNotMatch(first.output(), /rebalanc/i);
    assert.equal(first.child.exitCode, null, 'the first run is still up');
    assert.equal((JSON.parse(readFileSync(startLockFile(stateDir), 'utf8')) as StartLockRecord).owner.pid, first.child.pid, 'the lock is still the first run\'s');

    first.child.kill('SIGINT');
    assert.equal(await first.exit, 0, `Ctrl-C stops npm start cleanly:\n${first.output().slice(-3000)}`);
    assert.equal(existsSync(startLockFile(stateDir)), false, 'the lock is gone with its run');
    for (const [name, id] of Object.entries(lock.services)) {
      assert.equal(existsSync(`/proc/${id.pid}`) && !readFileSync(`/proc/${id.pid}/stat`, 'utf8').includes(') Z '), false, `${name} (pid ${id.pid}) stopped`);
    }
  });
});
