/**
 * `npm run worker`: runs the order worker until SIGINT or SIGTERM. The first signal shuts it down
 * gracefully (no new tasks, activities in flight finish, then the Kafka producer disconnects);
 * a second one exits at once. Workflows in flight lose nothing either way: Temporal hands their
 * tasks to the next worker.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runMain } from '../cli/main.js';
import { loadConfig, type LogLevel } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { createOrderWorker } from './order-worker.js';

const SDK_LEVELS = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const satisfies Record<LogLevel, string>;
const EXIT_INTERRUPTED = 130;

async function main(): Promise<number> {
  const config = loadConfig();
  const log = createLogger('worker', config.logLevel);
  // The signals are ours (below), so the SDK runtime must not install its own handlers.
  Runtime.install({ logger: new DefaultLogger(SDK_LEVELS[config.logLevel]), shutdownSignals: [] });
  const orderWorker = await createOrderWorker(config, { logger: log });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn(`${signal} again: exiting now`);
        process.exit(EXIT_INTERRUPTED);
      }
      stopping = true;
      log.info(`${signal}: shutting down (activities in flight finish first)`);
      orderWorker.shutdown();
    });
  }
  log.info(
    `polling task queue ${orderWorker.taskQueue} on Temporal at ${config.temporal.address} (namespace ${config.temporal.namespace}); ` +
      `emitting to Kafka at ${config.kafka.brokers.join(',')} (${config.kafka.topics.unpaid}, …)`,
  );
  await orderWorker.run();
  log.info('stopped');
  return 0;
}

runMain(main);
