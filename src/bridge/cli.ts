/**
 * `npm run bridge`: migrates the database (or, as a least-privilege login, checks that nothing is
 * missing), feeds ksqlDB when KSQLDB_URL is set, then sinks finished and failed orders from Kafka
 * into Postgres until SIGINT/SIGTERM, which stops it after the chunk in hand is committed. If its
 * Kafka consumer stops for good it exits with code 1 (EXIT_CONSUMER_STOPPED), so its supervisor
 * (`npm start`, compose's restart policy) starts a fresh one: a live process that consumes nothing
 * would look healthy and stall the pipeline silently.
 */
import { runMain } from '../cli/main.js';
import { UserError } from '../errors/user-error.js';
import { loadConfig, type AppConfig } from '../config/config.js';
import { MigrationsNeedOwner } from '../db/migrate.js';
import { databaseAddress } from '../db/pool.js';
import { createLogger } from '../logging/logger.js';
import { serveMetrics } from '../telemetry/metrics-server.js';
import { startTracing } from '../telemetry/tracing.js';
import { startBridge } from './bridge.js';
import { BridgeMetrics } from './metrics.js';

/** Exit code when the Kafka consumer stopped for good (a supervisor restarts the bridge). */
const EXIT_CONSUMER_STOPPED = 1;

const HELP = `Usage: npm run bridge

Consumes finished_orders and failed_orders into Postgres, dead-letters invalid messages, applies
ksql/ to KSQLDB_URL if set. It connects as DATABASE_BRIDGE_URL if set (a login granted
order_bridge, which writes the bridge's tables and creates nothing: run the migrations as the
owner first, npm run migrate), else as DATABASE_URL, whose migrations it applies
on start. Tuning: BRIDGE_BATCH_SIZE, BRIDGE_PARTITIONS_CONCURRENTLY. BRIDGE_METRICS_PORT set: Prometheus
metrics (consumer lag, orders consumed, rows written, timings, dead letters) on METRICS_HOST:port/metrics.`;

/** The config the bridge runs with: every connection on its own login when one is set. */
function bridgeConfig(config: AppConfig): AppConfig {
  const { bridgeUrl, ...database } = config.database;
  return bridgeUrl ? { ...config, database: { ...database, url: bridgeUrl } } : config;
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = bridgeConfig(loadConfig());
  const log = createLogger('bridge', config.logLevel);
  const tracing = await startTracing(config.tracing, 'bridge');
  if (tracing) log.info(`tracing on: spans of ${tracing.service} to ${config.tracing?.tracesUrl}`);
  const metrics = config.metrics.bridgePort !== undefined ? new BridgeMetrics(log) : undefined;
  const metricsServer = metrics ? await serveMetrics(metrics.registry, config.metrics.host, config.metrics.bridgePort as number, 'BRIDGE_METRICS_PORT', log) : undefined;
  let bridge;
  try {
    bridge = await startBridge(config, log, { ...(tracing ? { tracer: tracing.tracer } : {}), ...(metrics ? { metrics } : {}) });
  } catch (err) {
    await metricsServer?.stop();
    // The database refused (wrong password, no such role, migrations missing): a setting to fix, not a bug.
    const code = (err as { code?: unknown }).code;
    if (err instanceof MigrationsNeedOwner || (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))) {
      throw new UserError(`the bridge cannot start on Postgres at ${databaseAddress(config.database.url)}: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }
  const failure = await new Promise<Error | undefined>((resolve) => {
    process.once('SIGINT', () => resolve(undefined));
    process.once('SIGTERM', () => resolve(undefined));
    void bridge.failed.then(resolve);
  });
  if (failure) log.error(`${failure.message}; exiting for the supervisor to restart the bridge`);
  await bridge.stop();
  await metricsServer?.stop();
  // The spans of the last chunk go out before the process ends.
  await tracing?.shutdown();
  return failure ? EXIT_CONSUMER_STOPPED : 0;
}

runMain(main);
