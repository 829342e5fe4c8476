/**
 * The no-op workers of npm run bench (--shape): `today` runs workflows.ts (the lifecycle's shape
 * before the local-emits patch, the baseline the issue measures gains against), `one-task` runs
 * workflows-one-task.ts (the shape of today's lifecycle), `floor` runs workflows-floor.ts (one
 * workflow task, nothing else). The baseline's worker process: the same Temporal worker settings as `npm run worker`
 * (WORKER_MAX_CONCURRENT_ACTIVITIES, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, WORKER_MAX_CACHED_WORKFLOWS,
 * TEMPORAL_TASK_QUEUE), but running bench/noop/workflows.ts, bundled on its own, with activities
 * that do nothing and no Kafka producer. Started by bench/pipeline.ts; stops on SIGINT/SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { runMain } from '../../src/cli/main.js';
import { UserError } from '../../src/errors/user-error.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectWorker } from '../../src/workers/order-worker.js';
import { noopActivities } from './activities.js';

const SHAPES = { today: './workflows.ts', 'one-task': './workflows-one-task.ts', floor: './workflows-floor.ts' } as const;
type Shape = keyof typeof SHAPES;

function shapeOf(argv: string[]): Shape {
  const i = argv.indexOf('--shape');
  const value = i >= 0 ? argv[i + 1] : 'today';
  if (!value || !(value in SHAPES)) throw new UserError(`--shape expects one of ${Object.keys(SHAPES).join(', ')}, got "${value ?? ''}"`);
  return value as Shape;
}
const SILENT = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write('Usage: node --import tsx bench/noop/worker.ts [--shape today|one-task|floor]\n\nA no-op worker of npm run bench; configured by the environment like npm run worker.\n  --shape  today: the lifecycle before the local-emits patch (default); one-task: its shape since;\n           floor: one workflow task, no activity\n');
    return 0;
  }
  const shape = shapeOf(process.argv.slice(2));
  const workflowsPath = fileURLToPath(new URL(SHAPES[shape], import.meta.url));
  const config = loadConfig();
  const log = createLogger('noop-worker', config.logLevel);
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const connection = await connectWorker(config.temporal);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: noopActivities,
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: SILENT }),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  log.info(`polling task queue ${config.temporal.taskQueue} on Temporal at ${config.temporal.address} (no-op, shape ${shape})`);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
  return 0;
}

runMain(main);
