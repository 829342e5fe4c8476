/**
 * `npm start` runs least-privilege, proven on the real thing: src/cli/start.ts itself, started as
 * `npm start` starts it, with its own embedded Postgres (the test stack's Temporal and Kafka, topics
 * of its own). The migrations run as the superuser before the services; the bridge process then
 * connects as orders_bridge and sinks orders, the dashboard process reads as orders_dashboard, no
 * service holds the superuser's password (their environments are read from /proc), the generated
 * passwords sit in a 0600 file and appear in no output, and Ctrl-C stops everything.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { loginsFile } from '../../src/db/logins.js';
import { listMigrations } from '../../src/db/migrate.js';
import { canConnect, freePort } from '../../src/stack/wait.js';
import { createTestTopics, produceTerminalOrders, type TestTopics } from '../support/kafka.js';
import { terminalOrders } from '../support/orders.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORDERS = 12;
const INSUFFICIENT_PRIVILEGE = '42501';
const READ_ONLY_TRANSACTION = '25006';

let start: ChildProcess;
let output = '';
let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let stateDir: string;
let pgPort: number;
let dashboardPort: number;
let topics: TestTopics;
let owner: pg.Pool;
const superPassword = `su-${randomUUID()}`;
/** The services start.ts runs, by name, found among its children in /proc. */
let children: Map<string, number>;

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (start.exitCode !== null || start.signalCode !== null) throw new Error(`npm start exited while waiting for ${what}:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Direct children of `pid`, from /proc/<child>/stat (field 4 is the parent pid). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Running (a zombie waiting for its parent's wait() counts as ended). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function readProc(pid: number, file: 'cmdline' | 'environ'): string[] {
  return readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter((s) => s.length > 0);
}

function envOf(service: string): Record<string, string> {
  const pid = children.get(service);
  assert.ok(pid, `no ${service} process among the children of npm start`);
  return Object.fromEntries(readProc(pid, 'environ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

function loginPasswords(): Record<string, string> {
  return JSON.parse(readFileSync(loginsFile(stateDir), 'utf8')) as Record<string, string>;
}

function urlAs(user: string, password: string): string {
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/orders`;
}

async function sessions(): Promise<Array<{ usename: string; application_name: string }>> {
  const { rows } = await owner.query<{ usename: string; application_name: string }>(
    "SELECT usename, application_name FROM pg_stat_activity WHERE datname = 'orders' AND application_name IN ('order-bridge', 'order-dashboard') ORDER BY 2, 1",
  );
  return rows;
}

describe('npm start connects each service as its least-privilege login', { timeout: 420_000 }, () => {
  before(async () => {
    const base = loadConfig();
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'start-roles-'));
    pgPort = await freePort();
    dashboardPort = await freePort();
    topics = await createTestTopics(base, 3);
    const prefix = topics.config.kafka.topics.finished.replace(/finished_orders$/, '');
    // As a user runs it: the stack's Postgres is its own (no DATABASE_URL); Temporal and Kafka are the test stack's.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: base.temporal.address,
      TEMPORAL_UI_URL: base.temporal.uiUrl,
      TEMPORAL_TASK_QUEUE: `${prefix}queue`,
      KAFKA_BROKERS: base.kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_BRIDGE_GROUP_ID: topics.config.kafka.bridgeGroupId,
      STACK_STATE_DIR: stateDir,
      STACK_POSTGRES_PORT: String(pgPort),
      STACK_POSTGRES_PASSWORD: superPassword,
      DASHBOARD_PORT: String(dashboardPort),
      LOG_LEVEL: 'info',
    };
    start = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts', '--no-generate'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [start.stdout, start.stderr]) stream?.on('data', (d: Buffer) => (output += d.toString()));
    exit = new Promise((resolve) => start.once('exit', (code, signal) => resolve({ code, signal })));
    owner = new pg.Pool({ connectionString: `postgres://postgres:${encodeURIComponent(superPassword)}@127.0.0.1:${pgPort}/orders`, max: 2 });
    owner.on('error', () => undefined);
    await waitFor('the bridge to consume', () => /\[bridge\].*consuming .* as group/.test(output));
    await waitFor('the dashboard to listen', () => /\[dashboard\].*dashboard at http/.test(output));
    const pid = start.pid as number;
    children = new Map();
    for (const child of childrenOf(pid)) {
      const script = readProc(child, 'cmdline').find((a) => a.startsWith('src/'));
      const name = { 'src/bridge/cli.ts': 'bridge', 'src/dashboard/cli.ts': 'dashboard', 'src/workers/cli.ts': 'worker' }[script ?? ''];
      if (name) children.set(name, child);
    }
  });

  after(async () => {
    if (start && start.exitCode === null && start.signalCode === null) {
      start.kill('SIGINT');
      const timer = setTimeout(() => start.kill('SIGKILL'), 60_000);
      await exit;
      clearTimeout(timer);
    }
    // Should the supervisor have died without stopping them: its children, by the pids found above.
    for (const pid of children?.values() ?? []) {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    await owner?.end().catch(() => undefined);
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  test('the banner names the logins, and the migrations ran as the owner before the services', async () => {
    assert.match(output, /Bridge as {5}orders_bridge/);
    assert.match(output, /Dashboard as {2}orders_dashboard/);
    const versions = listMigrations().map((m) => m.version);
    assert.ok(versions.includes('005'), 'the migration the bridge checks by');
    assert.match(output, new RegExp(`\\[start\\] applied migrations ${versions.join(', ')} on 127\\.0\\.0\\.1:\\d+/orders`));
    const { rows } = await owner.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY 1');
    assert.deepEqual(rows.map((r) => r.version), versions);
    // The bridge applied nothing itself: it found the schema up to date, with SELECTs only.
    assert.match(output, /\[bridge\].*schema of 127\.0\.0\.1:\d+\/orders is up to date/);
    assert.match(output, /\[bridge\].*into postgres:\/\/orders_bridge:\*\*\*@127\.0\.0\.1:\d+\/orders/);
  });

  test('the bridge process sinks orders, connected as orders_bridge', async () => {
    const orders = terminalOrders(ORDERS, `start-roles-${randomUUID()}`);
    await produceTerminalOrders(topics.kafka, topics.config.kafka.topics, orders);
    await waitFor(
      `${ORDERS} orders in order_record`,
      async () => {
        // A valid order refused (say, a table the bridge's role may not write) is dead-lettered: fail at once, with why.
        const dead = await owner.query<{ reason: string }>('SELECT reason FROM dead_letters LIMIT 3');
        if (dead.rows.length > 0) assert.fail(`the bridge dead-lettered valid orders: ${dead.rows.map((r) => r.reason).join(' | ')}`);
        return Number((await owner.query<{ n: string }>('SELECT count(*) AS n FROM order_record')).rows[0]?.n) === ORDERS;
      },
      120_000,
    );
    const bridge = (await sessions()).filter((s) => s.application_name === 'order-bridge');
    assert.ok(bridge.length > 0, 'the bridge holds connections');
    assert.deepEqual([...new Set(bridge.map((s) => s.usename))], ['orders_bridge']);
  });

  test('the banner prints the metrics endpoints npm start turned on; the bridge counts the orders it wrote', async () => {
    const address = (name: string) => {
      const m = new RegExp(`^ +(?:Metrics +)?${name} +(http://127\\.0\\.0\\.1:\\d+/metrics)`, 'm').exec(output);
      assert.ok(m?.[1], `no ${name} metrics address in the banner:\n${output.slice(0, 3000)}`);
      return m[1];
    };
    const bridge = await (await fetch(address('bridge'))).text();
    const written = bridge.split('\n').filter((l) => l.startsWith('bridge_rows_written_total{')).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    assert.equal(written, ORDERS);
    assert.match(bridge, /^bridge_consumer_lag\{/m);
    await waitFor('the worker to poll', () => /\[worker\].*polling task queue/.test(output), 180_000);
    assert.equal((await fetch(address('worker'))).status, 200, "the worker's Temporal SDK metrics are served");
    assert.match(address('generator'), /^http:/, 'printed, served while a generator runs');
  });

  test('the dashboard process reads the orders, connected as orders_dashboard', async () => {
    const res = await fetch(`http://127.0.0.1:${dashboardPort}/api/summary`);
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { ordersAllTime: number };
    assert.equal(Number(body.ordersAllTime), ORDERS);
    const dashboard = (await sessions()).filter((s) => s.application_name === 'order-dashboard');
    assert.ok(dashboard.length > 0, 'the dashboard holds connections');
    assert.deepEqual([...new Set(dashboard.map((s) => s.usename))], ['orders_dashboard']);
  });

  test('the logins are what their groups allow: current_user, session_user, membership, refusals', async () => {
    const file = loginsFile(stateDir);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the passwords file is 0600');
    const passwords = loginPasswords();
    const bridge = new pg.Client({ connectionString: urlAs('orders_bridge', passwords.orders_bridge ?? '') });
    const reader = new pg.Client({ connectionString: urlAs('orders_dashboard', passwords.orders_dashboard ?? '') });
    await bridge.connect();
    await reader.connect();
    try {
      const who = await bridge.query("SELECT current_user, session_user, pg_has_role('order_bridge', 'MEMBER') AS member, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super");
      assert.deepEqual(who.rows[0], { current_user: 'orders_bridge', session_user: 'orders_bridge', member: true, super: false });
      for (const sql of ['DELETE FROM order_record', 'DROP TABLE order_record', 'CREATE TABLE sneaky (x int)', 'UPDATE sku_info SET unit_price = unit_price + 1']) {
        await assert.rejects(bridge.query(sql), (err: { code?: string }) => err.code === INSUFFICIENT_PRIVILEGE, sql);
      }
      const me = await reader.query("SELECT current_user, session_user, pg_has_role('order_reader', 'MEMBER') AS member, current_setting('default_transaction_read_only') AS ro");
      assert.deepEqual(me.rows[0], { current_user: 'orders_dashboard', session_user: 'orders_dashboard', member: true, ro: 'on' });
      await assert.rejects(reader.query('DELETE FROM order_record'), (err: { code?: string }) => [READ_ONLY_TRANSACTION, INSUFFICIENT_PRIVILEGE].includes(err.code ?? ''));
      // The server stores a SCRAM verifier, never the password.
      const stored = await owner.query<{ rolpassword: string }>("SELECT rolpassword FROM pg_authid WHERE rolname IN ('orders_bridge', 'orders_dashboard')");
      assert.equal(stored.rows.length, 2);
      for (const r of stored.rows) assert.match(r.rolpassword, /^SCRAM-SHA-256\$4096:/);
    } finally {
      await bridge.end();
      await reader.end();
    }
  });

  test("each service's environment holds its own login only, never the superuser's password", () => {
    const passwords = loginPasswords();
    const bridge = envOf('bridge');
    const dashboard = envOf('dashboard');
    const worker = envOf('worker');
    assert.equal(new URL(bridge.DATABASE_URL ?? '').username, 'orders_bridge');
    assert.equal(new URL(dashboard.DATABASE_READONLY_URL ?? '').username, 'orders_dashboard');
    assert.equal(worker.DATABASE_URL, undefined, 'the worker needs no database');
    const text = (env: Record<string, string>) => Object.values(env).join('\n');
    for (const [name, env, others] of [
      ['bridge', bridge, [passwords.orders_dashboard]],
      ['dashboard', dashboard, [passwords.orders_bridge]],
      ['worker', worker, [passwords.orders_bridge, passwords.orders_dashboard]],
    ] as const) {
      for (const secret of [superPassword, ...others]) assert.ok(secret && !text(env).includes(secret), `${name} holds a password it does not need`);
    }
  });

  test('Ctrl-C stops every service and the stack; no password was ever printed', async () => {
    start.kill('SIGINT');
    const timer = setTimeout(() => start.kill('SIGKILL'), 90_000);
    const { code, signal } = await exit;
    clearTimeout(timer);
    assert.equal(signal, null, output.slice(-3000));
    assert.equal(code, 0, output.slice(-3000));
    assert.deepEqual([...children.keys()].sort(), ['bridge', 'dashboard', 'worker']);
    for (const [name, pid] of children) assert.ok(!alive(pid), `${name} (pid ${pid}) still runs`);
    assert.equal(await canConnect('127.0.0.1', pgPort), false, 'the stack\'s Postgres stopped');
    const passwords = loginPasswords();
    for (const secret of [superPassword, passwords.orders_bridge, passwords.orders_dashboard]) {
      assert.ok(secret && secret.length >= 20, 'a password to look for');
      assert.ok(!output.includes(secret), 'a password appears in the output of npm start');
    }
    assert.match(output, /\[start\].*stopped/);
  });
});
