/**
 * `npm run worker`: runs the order worker until SIGINT or SIGTERM. The first signal shuts it down
 * gracefully (no new tasks, activities in flight finish, then the Kafka producer disconnects);
 * a second one exits at once. Workflows in flight lose nothing either way: Temporal hands their
 * tasks to the next worker.
 */
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { runMain } from '../cli/main.js';
import { loadConfig, type LogLevel } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { startTracing } from '../telemetry/tracing.js';
import { ORDER_ENDED_META, startEndedSummary, type EndedSummary } from './ended-summary.js';
import { createOrderWorker } from './order-worker.js';

const SDK_LEVELS = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const satisfies Record<LogLevel, string>;
const EXIT_INTERRUPTED = 130;

/**
 * The SDK's own lines in the project's one-line format. Of the metadata, the workflow id (or the
 * activity type) is what a reader needs to find the order; the rest (run id, task queue, namespace)
 * is the same on every line of this worker. A workflow's "order … ended …" entry is counted for the
 * periodic summary and printed, as a debug line, only when the log level is debug.
 */
function sdkLine(entry: LogEntry, summary: EndedSummary, level: LogLevel): void {
  const meta = entry.meta ?? {};
  const ended = meta[ORDER_ENDED_META];
  let shownLevel: string = entry.level;
  if (typeof ended === 'string') {
    summary.record(ended);
    if (level !== 'debug') return;
    shownLevel = 'DEBUG';
  }
  const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const subject = [meta.workflowId, meta.activityType].filter((v) => typeof v === 'string').join(' ');
  const error = meta.error instanceof Error ? `: ${meta.error.message}` : '';
  process.stderr.write(`${at} ${shownLevel.padEnd(5)} [worker/sdk${subject ? ` ${subject}` : ''}] ${entry.message}${error}\n`);
}

async function main(): Promise<number> {
  const config = loadConfig();
  const log = createLogger('worker', config.logLevel);
  // The signals are ours (below), so the SDK runtime must not install its own handlers.
  const summary = startEndedSummary(log);
  // Installed once, before any connection: the runtime also serves the SDK's own metrics when WORKER_METRICS_PORT is set.
  const metricsAddress = config.metrics.workerPort !== undefined ? `${config.metrics.host}:${config.metrics.workerPort}` : undefined;
  Runtime.install({
    logger: new DefaultLogger(SDK_LEVELS[config.logLevel], (entry) => sdkLine(entry, summary, config.logLevel)),
    shutdownSignals: [],
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
  if (metricsAddress) log.info(`metrics at http://${metricsAddress}/metrics (the Temporal SDK's)`);
  const tracing = await startTracing(config.tracing, 'worker');
  if (tracing) log.info(`tracing on: spans of ${tracing.service} to ${config.tracing?.tracesUrl}`);
  const orderWorker = await createOrderWorker(config, { logger: log, ...(tracing ? { tracing } : {}) });
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
  try {
    await orderWorker.run();
  } finally {
    summary.stop();
    // The spans of the last orders go out before the process ends.
    await tracing?.shutdown();
  }
  log.info('stopped');
  return 0;
}

runMain(main);
