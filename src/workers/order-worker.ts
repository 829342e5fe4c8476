/**
 * The order worker: polls the lifecycle task queue, runs orderLifecycle workflows and their
 * activities, and owns the process's one Kafka producer. Used by `npm run worker` (cli.ts),
 * by `npm start`, and by the tests (which bundle the workflows once per file and pass the bundle).
 */
import { fileURLToPath } from 'node:url';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { UserError } from '../errors/user-error.js';
import type { AppConfig, TemporalConfig } from '../config/config.js';
import { createOrderActivities } from '../activities/index.js';
import { OrderProducer } from '../kafka/order-producer.js';
import { describeError, type Logger } from '../logging/logger.js';
import type { Tracing } from '../telemetry/tracing.js';
import { connectionOptions } from '../temporal/connection.js';
import { WORKER_SHUTDOWN_GRACE_MS } from './shutdown-grace.js';
import { PREBUILT_TRACED_WORKFLOW_BUNDLE, prebuiltWorkflowBundle, tracingInterceptorsBeside } from './workflow-bundle.js';

/** The workflows' entry point. The SDK's bundler maps the `.js` import specifiers to the `.ts` sources. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** How long shutdown waits for activities in flight before cancelling them (see shutdown-grace.ts). */
const SHUTDOWN_GRACE_TIME = WORKER_SHUTDOWN_GRACE_MS;

const SILENT = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * Bundles the workflows once (a few seconds); tests share one bundle across their workers.
 * `traced`: with the tracing interceptors (for a worker with tracing on).
 */
export function bundleOrderWorkflows(traced = false): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: SILENT,
    ...(traced ? { workflowInterceptorModules: [tracingInterceptorsBeside(WORKFLOWS_PATH)] } : {}),
  });
}

export interface OrderWorkerOptions {
  /** A prebuilt bundle (tests share one per file); default: bundle WORKFLOWS_PATH now (a few seconds). */
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Default: config.temporal.taskQueue. */
  taskQueue?: string;
  logger?: Logger;
  /**
   * Tracing on (src/telemetry/tracing.ts): activity interceptors, the workflow span exporter, the
   * traced bundle and the producer's send spans. Undefined = off: none of them.
   */
  tracing?: Tracing;
}

export interface OrderWorker {
  readonly taskQueue: string;
  readonly worker: Worker;
  /** Polls until shutdown() (or a fatal error), then disconnects the producer and the connection. */
  run(): Promise<void>;
  /** Runs while `promise` is pending, then shuts down like run(); settles as `promise` did. */
  runUntil<T>(promise: Promise<T>): Promise<T>;
  /** Stops polling, lets activities in flight finish (up to the grace time); run() then resolves. */
  shutdown(): void;
}

/** A NativeConnection from the typed config; an unreachable server is a UserError naming its address. */
export async function connectWorker(cfg: TemporalConfig): Promise<NativeConnection> {
  // Same address and TLS as the client connection; the API key comes straight from the config.
  const { tls } = connectionOptions(cfg);
  try {
    return await NativeConnection.connect({ address: cfg.address, tls, ...(cfg.apiKey ? { apiKey: cfg.apiKey } : {}) });
  } catch (err) {
    throw new UserError(`cannot reach Temporal at ${cfg.address} (${describeError(err)}); is it running? Check TEMPORAL_ADDRESS`, { cause: err });
  }
}

export async function createOrderWorker(config: AppConfig, opts: OrderWorkerOptions = {}): Promise<OrderWorker> {
  const taskQueue = opts.taskQueue ?? config.temporal.taskQueue;
  const connection = await connectWorker(config.temporal);
  const tracing = opts.tracing;
  const producer = new OrderProducer(config.kafka, {
    kafkaLogLevel: config.logLevel,
    ...(opts.logger ? { logger: opts.logger.child('producer') } : {}),
    ...(tracing ? { tracer: tracing.tracer } : {}),
  });
  const workflowBundle =
    opts.workflowBundle ?? (tracing ? prebuiltWorkflowBundle(PREBUILT_TRACED_WORKFLOW_BUNDLE) : prebuiltWorkflowBundle()) ?? (await bundleOrderWorkflows(tracing !== undefined));
  const workerOptions: WorkerOptions = {
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    activities: createOrderActivities(producer),
    // The compiled build's prebuilt bundle; from source, bundled here rather than by Worker.create,
    // whose webpack report floods the log at INFO.
    workflowBundle,
    ...(tracing ? tracing.workerOptions() : {}),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    shutdownGraceTime: SHUTDOWN_GRACE_TIME,
  };
  let worker: Worker;
  try {
    worker = await Worker.create(workerOptions);
  } catch (err) {
    await connection.close();
    throw new UserError(
      `cannot start the order worker on Temporal at ${config.temporal.address} (namespace ${config.temporal.namespace}, task queue ${taskQueue}): ${describeError(err)}`,
      { cause: err },
    );
  }
  const cleanUp = async () => {
    // After the worker stopped: no activity uses the producer any more.
    await producer.disconnect();
    await connection.close();
  };
  return {
    taskQueue,
    worker,
    async run() {
      try {
        await worker.run();
      } finally {
        await cleanUp();
      }
    },
    async runUntil<T>(promise: Promise<T>) {
      try {
        return await worker.runUntil(promise);
      } finally {
        await cleanUp();
      }
    },
    shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
