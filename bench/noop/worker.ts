/**
 * The baseline's worker process: the same Temporal worker settings as `npm run worker`
 * (WORKER_MAX_CONCURRENT_ACTIVITIES, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, WORKER_MAX_CACHED_WORKFLOWS,
 * TEMPORAL_TASK_QUEUE), but running bench/noop/workflows.ts, bundled on its own, with activities
 * that do nothing and no Kafka producer. Started by bench/pipeline.ts; stops on SIGINT/SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { runMain } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectWorker } from '../../src/workers/order-worker.js';
import { noopActivities } from './activities.js';

const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows.ts', import.meta.url));
const SILENT = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write('Usage: node --import tsx bench/noop/worker.ts\n\nThe no-op baseline worker of npm run bench; configured by the environment like npm run worker.\n');
    return 0;
  }
  const config = loadConfig();
  const log = createLogger('noop-worker', config.logLevel);
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const connection = await connectWorker(config.temporal);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: noopActivities,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: SILENT }),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  log.info(`polling task queue ${config.temporal.taskQueue} on Temporal at ${config.temporal.address} (no-op baseline)`);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
  return 0;
}

runMain(main);
