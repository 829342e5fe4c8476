/**
 * Sink speed: a backlog of 50,000 terminal orders on the topics, then a fresh bridge consuming
 * all of it into a fresh database. Prints orders/s of each run and the median. Starts its own
 * throwaway stack on free ports (or uses the endpoints in the environment when BENCH_USE_ENV=1).
 *
 *   npm run bench:bridge [-- --orders 50000 --runs 3 --help]
 */
import { pathToFileURL } from 'node:url';
import { startBridge } from '../src/bridge/bridge.js';
import { flagHelpRows, parseFlags, type FlagSpec } from '../src/cli/flags.js';
import { runMain } from '../src/cli/main.js';
import { loadConfig, type AppConfig } from '../src/config/config.js';
import { UserError } from '../src/errors/user-error.js';
import { createLogger } from '../src/logging/logger.js';
import { startEphemeralStack, type EphemeralStack } from '../src/stack/ephemeral.js';
import { pollUntil } from '../src/stack/wait.js';
import { createTestDatabase } from '../test/support/database.js';
import { createTestTopics, produce } from '../test/support/kafka.js';
import { terminalOrders } from '../test/support/orders.js';
import { HEADERS } from '../src/domain/order.js';
import { median } from './lib/stats.js';

const log = createLogger('bench', 'warn');

/**
 * One run: `count` terminal orders produced onto fresh topics, then a fresh bridge (in this
 * process) consumes the backlog into a fresh database; returns orders/s into Postgres.
 */
export async function bridgeBacklogRate(base: AppConfig, count: number, run: number): Promise<number> {
  const topics = await createTestTopics(base);
  const db = await createTestDatabase(base);
  try {
    const orders = terminalOrders(count, `bench-${run}`, 9000 + run);
    const toMsg = (o: (typeof orders)[number]) => ({ key: o.order.order_id, value: JSON.stringify(o.order), headers: { [HEADERS.eventId]: o.eventId } });
    const { finished, failed } = topics.config.kafka.topics;
    await produce(topics.kafka, finished, orders.filter((o) => o.kind === 'finished').map(toMsg));
    await produce(topics.kafka, failed, orders.filter((o) => o.kind === 'failed').map(toMsg));
    const config = { ...topics.config, database: db.config.database };
    const t0 = performance.now();
    const bridge = await startBridge(config, log);
    const stored = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM order_record')).rows[0]?.n);
    await pollUntil(async () => (await stored()) >= count, { timeoutMs: Infinity, intervalMs: 100 });
    const seconds = (performance.now() - t0) / 1000;
    await bridge.stop();
    return count / seconds;
  } finally {
    await db.drop();
  }
}

const BRIDGE_FLAGS: Record<string, FlagSpec> = {
  orders: { type: 'string', value: 'N', help: 'terminal orders in the backlog of each run (default 50000)' },
  runs: { type: 'string', value: 'N', help: 'runs, each on fresh topics and a fresh database (default 3)' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
};

const HELP = `Usage: npm run bench:bridge [-- options]

A backlog of terminal orders on fresh topics, then a fresh bridge sinking all of it into a fresh
database: orders/s of each run and the median. A throwaway stack of its own, or the endpoints of
the environment with BENCH_USE_ENV=1.

Options:
${flagHelpRows(BRIDGE_FLAGS, 16).join('\n')}
`;

async function main(): Promise<number> {
  const values = parseFlags(process.argv.slice(2), BRIDGE_FLAGS);
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const whole = (name: string, fallback: number) => {
    const value = values[name] as string | undefined;
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new UserError(`--${name} expects a positive whole number, got "${value}"`);
    return Number(value);
  };
  const ORDERS = whole('orders', 50_000);
  const RUNS = whole('runs', 3);
  let stack: EphemeralStack | undefined;
  const base = process.env.BENCH_USE_ENV === '1' ? loadConfig() : (stack = await startEphemeralStack(log)).config;
  try {
    const rates: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const rate = await bridgeBacklogRate(base, ORDERS, run);
      rates.push(rate);
      process.stdout.write(`run ${run}: ${ORDERS} orders in the backlog → ${rate.toFixed(0)} orders/s into Postgres\n`);
    }
    process.stdout.write(`bridge sink: median ${median(rates).toFixed(0)} orders/s over ${RUNS} runs (batch ${base.bridge.batchSize}, ${base.bridge.partitionsConsumedConcurrently} partitions at once, 3 partitions per topic)\n`);
  } finally {
    await stack?.stop();
  }
  return 0;
}

// Run when invoked as a script; bench/pipeline.ts imports bridgeBacklogRate without running this.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMain(main);
