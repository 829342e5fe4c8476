/**
 * `npm run bridge`: migrates the database, feeds ksqlDB when KSQLDB_URL is set, then sinks
 * finished and failed orders from Kafka into Postgres until SIGINT/SIGTERM, which stops it after
 * the chunk in hand is committed.
 */
import { runMain } from '../cli/main.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { startBridge } from './bridge.js';

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(
      'Usage: npm run bridge\n\nConsumes finished_orders and failed_orders into Postgres (DATABASE_URL), dead-letters invalid\nmessages, applies ksql/ to KSQLDB_URL if set. Tuning: BRIDGE_BATCH_SIZE, BRIDGE_PARTITIONS_CONCURRENTLY.\n',
    );
    return 0;
  }
  const config = loadConfig();
  const log = createLogger('bridge', config.logLevel);
  const bridge = await startBridge(config, log);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bridge.stop();
  return 0;
}

runMain(main);
