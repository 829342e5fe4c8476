/**
 * `npm run test:faults [-- --orders N] [--outage S] [--only a,b] [--help]`: the end-to-end fault suite. Starts
 * its own throwaway stack (Temporal, Kafka, Postgres on free ports), a worker and a bridge as child
 * processes, then for each fault runs N orders through the whole pipeline and injects the fault
 * while they flow: (a) SIGKILL the worker, (b) SIGKILL the bridge, (c) stop and restart Kafka,
 * (d) stop and restart Postgres, (e) stop and restart the Temporal dev server (same file DB).
 * Prints a table; exits 1 if any order was lost, duplicated or stored wrong.
 */
import { mkdtempSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import { table } from '../bench/lib/stats.js';
import { flagHelpRows, parseFlags, type FlagSpec } from '../src/cli/flags.js';
import { runMain } from '../src/cli/main.js';
import { UserError } from '../src/errors/user-error.js';
import { loadConfig, type AppConfig } from '../src/config/config.js';
import { createDatabase } from '../src/db/databases.js';
import { createPool, sslOptions, type Pool } from '../src/db/pool.js';
import { createKafka, ensureTopics } from '../src/kafka/client.js';
import { createLogger, type Logger } from '../src/logging/logger.js';
import { startEphemeralStack, type EphemeralStack } from '../src/stack/ephemeral.js';
import { startKafka } from '../src/stack/kafka.js';
import type { ManagedProcess, Supervisor } from '../src/process/supervisor.js';
import { startTemporal } from '../src/stack/temporal.js';
import { retry } from '../src/stack/wait.js';
import { connectTemporalClient, type TemporalClientHandle } from '../src/temporal/connection.js';
import { superviseChild } from '../test/faults/children.js';
import { runRound, type RoundResult } from '../test/faults/round.js';

interface Options {
  orders: number;
  outageSeconds: number;
  only: string[] | undefined;
}

const FAULTS = ['worker', 'bridge', 'kafka', 'postgres', 'temporal'] as const;
type FaultName = (typeof FAULTS)[number];
const ROUND_TIMEOUT_MS = 10 * 60_000;

const FAULT_FLAGS: Record<string, FlagSpec> = {
  orders: { type: 'string', value: 'N', help: 'orders per fault round (default 2000)' },
  outage: { type: 'string', value: 'SECONDS', help: 'how long Kafka, Postgres and Temporal stay down (default 5)' },
  only: { type: 'string', value: 'LIST', help: `run only some of ${FAULTS.join(',')} (default: all)` },
  help: { type: 'boolean', short: 'h', help: 'this text' },
};

const HELP = `Usage: npm run test:faults [-- options]

Starts a throwaway stack (Temporal, Kafka, Postgres on free ports on 127.0.0.1), a worker and a
bridge, then for each fault runs N orders through the whole pipeline and injects the fault while
they flow: SIGKILL the worker, SIGKILL the bridge, stop and restart Kafka, Postgres, Temporal.
Prints a table; exits 1 if any order was lost, duplicated or stored wrong.

Options:
${flagHelpRows(FAULT_FLAGS, 22).join('\n')}
`;

/** The flags (src/cli/flags.ts: unknown ones and missing values are one line naming the flag), checked. */
function parseFaultFlags(argv: readonly string[]): Options | 'help' {
  const values = parseFlags(argv, FAULT_FLAGS);
  if (values.help === true) return 'help';
  const int = (name: string, fallback: number, min: number, max: number) => {
    const value = values[name] as string | undefined;
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new UserError(`--${name} expects a whole number ${min}..${max}, got "${value}"`);
    return n;
  };
  let only: string[] | undefined;
  if (values.only !== undefined) {
    const value = values.only as string;
    only = value.split(',').filter(Boolean);
    const bad = only.filter((n) => !(FAULTS as readonly string[]).includes(n));
    if (only.length === 0 || bad.length > 0) throw new UserError(`--only expects some of ${FAULTS.join(',')}, got "${value}"`);
  }
  return { orders: int('orders', 2000, 10, 1_000_000), outageSeconds: int('outage', 5, 0, 600), only };
}

/** The servers as they are now: a restart replaces the Kafka and Temporal processes. */
interface Servers {
  eph: EphemeralStack;
  dataDir: string;
  kafka: ManagedProcess;
  temporal: ManagedProcess;
}

interface Suite {
  servers: Servers;
  config: AppConfig;
  worker: Supervisor;
  bridge: Supervisor;
  temporal: TemporalClientHandle;
  pool: Pool;
  log: Logger;
  logDir: string;
}

function faultAction(name: FaultName, suite: Suite, outageMs: number): () => Promise<void> {
  const { servers, config, log } = suite;
  switch (name) {
    case 'worker':
      return () => suite.worker.killAndRestart();
    case 'bridge':
      return () => suite.bridge.killAndRestart();
    case 'kafka':
      return async () => {
        await servers.kafka.stop();
        await sleep(outageMs);
        servers.kafka = (await startKafka(config.stack, config.kafka, servers.dataDir, log.child('kafka'))).process;
      };
    case 'postgres':
      return async () => {
        const postgres = servers.eph.stack.postgres;
        if (!postgres) throw new Error('the ephemeral stack has no Postgres of its own');
        await postgres.stop();
        await sleep(outageMs);
        await postgres.start();
      };
    case 'temporal':
      return async () => {
        await servers.temporal.stop();
        await sleep(outageMs);
        servers.temporal = (await startTemporal(config.stack, servers.dataDir, log.child('temporal'))).process;
      };
  }
}

async function setUp(log: Logger): Promise<Suite> {
  const eph = await startEphemeralStack(log.child('stack'));
  const { kafka, temporal } = eph.stack;
  if (!kafka || !temporal) throw new Error('the ephemeral stack did not start Kafka and Temporal itself');
  const servers: Servers = { eph, dataDir: eph.env.TEST_STACK_DATA_DIR ?? '', kafka: kafka.process, temporal: temporal.process };
  const id = `faults${Date.now().toString(36)}`;
  const databaseUrl = await createDatabase(eph.config.database.url, id, { ssl: sslOptions(eph.config.database) });
  const { TEMPORAL_ADDRESS: _t, KAFKA_BROKERS: _k, DATABASE_URL: _d, TEMPORAL_UI_URL: _u, ...rest } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...rest,
    ...eph.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_TASK_QUEUE: `${id}-orders`,
    KAFKA_TOPIC_PREFIX: `${id}-`,
    KAFKA_BRIDGE_GROUP_ID: `${id}-bridge`,
    LOG_LEVEL: 'info',
  };
  const config = loadConfig(env);
  // A broker that just started may briefly refuse ("does not host this topic-partition"), as bench/pipeline.ts knows.
  await retry(() => ensureTopics(createKafka(config.kafka, { logLevel: 'error' }), config.kafka, log), { attempts: 5, delayMs: (attempt) => 1000 * attempt });
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'order-pipeline-faults-'));
  const bridge = superviseChild({ name: 'bridge', script: 'src/bridge/cli.ts', readyPattern: /consuming .* as group/, env, logFile: path.join(logDir, 'bridge.log') });
  const worker = superviseChild({ name: 'worker', script: 'src/workers/cli.ts', readyPattern: /polling task queue/, env, logFile: path.join(logDir, 'worker.log') });
  const pool = createPool(config.database, { max: 4, applicationName: 'fault-suite' });
  const suite: Suite = { servers, config, worker, bridge, temporal: await connectTemporalClient(config.temporal), pool, log, logDir };
  await bridge.start(); // migrates the database first
  await worker.start();
  return suite;
}

/** The worker and the bridge finish what they hold before the servers stop. */
const CHILD_STOP_GRACE_MS = 20_000;

/** Everything we started, by our own handles: children, then the servers (current processes). */
async function tearDown(suite: Suite | undefined, eph: EphemeralStack | undefined): Promise<void> {
  if (suite) {
    await Promise.allSettled([suite.worker.stop(CHILD_STOP_GRACE_MS), suite.bridge.stop(CHILD_STOP_GRACE_MS)]);
    await suite.temporal.connection.close().catch(() => undefined);
    await suite.pool.end().catch(() => undefined);
    // Restarted servers are new processes the stack's own stop() does not know about.
    await Promise.allSettled([suite.servers.kafka.stop(), suite.servers.temporal.stop()]);
  }
  await eph?.stop();
}

function formatTable(results: RoundResult[], unplanned: Map<string, string>): string {
  const head = ['fault', 'orders', 'lost', 'duplicated', 'mismatched', 'in PG at fault', 'back after (s)', 'recovered after (s)', 'unplanned restarts'];
  const rows = results.map((r) => [
    r.fault,
    String(r.orders),
    String(r.lost.length),
    String(r.duplicated.length),
    String(r.mismatched.length),
    String(r.doneAtFault),
    r.outageSeconds.toFixed(1),
    r.recoverSeconds.toFixed(1),
    unplanned.get(r.fault) ?? '',
  ]);
  return table(head, rows);
}

async function main(): Promise<number> {
  const parsed = parseFaultFlags(process.argv.slice(2));
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const opts = parsed;
  const base = loadConfig();
  const log = createLogger('fault-suite', base.logLevel);
  let suite: Suite | undefined;
  let eph: EphemeralStack | undefined;
  const results: RoundResult[] = [];
  const unplanned = new Map<string, string>();
  // Ctrl-C ends the round in hand and then stops every process started here (a second one too:
  // dying on it would leave the servers running).
  const interrupt = new AbortController();
  const onSignal = (name: string) => () => {
    if (!interrupt.signal.aborted) log.warn(`${name}: stopping the round, then every process started here`);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal('SIGINT'));
  process.on('SIGTERM', onSignal('SIGTERM'));
  try {
    log.info('starting a throwaway stack, a worker and a bridge');
    suite = await setUp(log);
    eph = suite.servers.eph;
    log.info(`child logs in ${suite.logDir}`);
    for (const name of (opts.only ?? FAULTS) as FaultName[]) {
      // An interrupted round has no verdict: it ends the suite (cleanup below) with exit code 130.
      if (interrupt.signal.aborted) break;
      const closedBefore = results.reduce((n, r) => n + r.orders, 0);
      const before = { worker: suite.worker.unplannedExits, bridge: suite.bridge.unplannedExits };
      log.info(`round "${name}": ${opts.orders} orders`);
      const result = await runRound(
        { name, inject: faultAction(name, suite, opts.outageSeconds * 1000) },
        {
          orders: opts.orders,
          seed: 'fault-suite',
          taskQueue: suite.config.temporal.taskQueue,
          namespace: suite.config.temporal.namespace,
          timeoutMs: ROUND_TIMEOUT_MS,
          progress: (line) => log.info(line),
          signal: interrupt.signal,
        },
        suite.temporal,
        suite.pool,
        closedBefore,
      ).catch((err: unknown) => {
        if (interrupt.signal.aborted) return undefined;
        throw err;
      });
      if (!result) break;
      const extra = [`worker ${suite.worker.unplannedExits - before.worker}`, `bridge ${suite.bridge.unplannedExits - before.bridge}`].filter((s) => !s.endsWith(' 0'));
      unplanned.set(name, extra.join(', '));
      results.push(result);
      log.info(`round "${name}": lost ${result.lost.length}, duplicated ${result.duplicated.length}, mismatched ${result.mismatched.length}, recovered in ${result.recoverSeconds.toFixed(1)} s`);
      for (const e of result.examples) log.warn(`  ${e}`);
    }
  } finally {
    process.stdout.write(`\n${formatTable(results, unplanned)}\n`);
    await tearDown(suite, eph);
  }
  const bad = results.some((r) => r.lost.length + r.duplicated.length + r.mismatched.length > 0);
  if (bad) return 1;
  return interrupt.signal.aborted ? 130 : 0;
}

runMain(main);
