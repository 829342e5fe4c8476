/**
 * `npm run generate`: makes orders and starts one Temporal workflow per order (or prints them with
 * --dry-run). See `npm run generate -- --help` for the flags. Ctrl-C stops making orders, lets
 * the starts in flight finish and prints the summary (exit 130); a second Ctrl-C quits at once.
 */
import { loadConfig, type AppConfig } from '../config/config.js';
import { formatSimClock, type SimClockAnchor } from '../domain/sim-clock.js';
import { runMain } from '../cli/main.js';
import type { Connection } from '@temporalio/client';
import { createLogger, describeError } from '../logging/logger.js';
import { serveMetrics, type MetricsServer } from '../telemetry/metrics-server.js';
import { startTracing } from '../telemetry/tracing.js';
import { GeneratorMetrics } from './metrics.js';
import { connectTemporalClient } from '../temporal/connection.js';
import { BacklogGate, workflowBacklogProbe } from './backlog-gate.js';
import type { LifecycleOptions } from '../workflows/contract.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../workflows/contract.js';
import { helpText, parseCliArgs, type CliOptions } from './options.js';
import { planFrom, runClock } from './plan.js';
import { ProgressReporter } from './progress.js';
import { formatSummary, runDry, runStart, type RunPlan, type RunSummary } from './run.js';
import { OrderStarter } from './workflow-starter.js';

const EXIT_INTERRUPTED = 130;

function lifecycleFrom(opts: CliOptions, plan: RunPlan): LifecycleOptions {
  const clock = plan.clock as SimClockAnchor;
  return {
    ...DEFAULT_LIFECYCLE_OPTIONS,
    seed: plan.seed,
    // Every stage reads the run's clock: past dates happen at once, later ones wait for it.
    timeMode: 'scaled',
    speed: clock.speed,
    clock,
    paymentWindowHours: opts.paymentWindowHours,
    simulatePayment: opts.simulatePayment,
  };
}

function describePlan(plan: RunPlan, dryRun: boolean): string {
  const clock = plan.clock as SimClockAnchor;
  const day = (ms: number): string => new Date(ms).toISOString();
  const mode =
    plan.mode.kind === 'backfill'
      ? `backfill ${day(plan.mode.from.getTime())} → ${day(plan.mode.to.getTime())}`
      : plan.mode.kind === 'continuous' && plan.mode.from.getTime() < clock.simStartMs
        ? `history from ${day(plan.mode.from.getTime())}, then live`
        : 'live';
  const volume = plan.volume !== undefined && plan.volume !== 1 ? `, volume ×${plan.volume}` : '';
  const count = plan.count !== undefined ? (plan.mode.kind === 'backfill' ? `, exactly ${plan.count} orders` : `, up to ${plan.count} orders`) : '';
  return (
    `${dryRun ? 'dry run, ' : ''}${mode}${volume}${count}; clock SIM_CLOCK=${formatSimClock(clock)} ` +
    `(simulated ${day(clock.simStartMs)} at real ${day(clock.realStartMs)}, ×${clock.speed}); seed ${plan.seed}, run id ${plan.runId} (repeat with --seed ${plan.seed} --run-id ${plan.runId})`
  );
}

/** The plan on stderr, once the run is sure to start (so a connection error stays a single line). */
function announce(plan: RunPlan, dryRun: boolean): void {
  process.stderr.write(`generate: ${describePlan(plan, dryRun)}\n`);
}

/** First Ctrl-C aborts gracefully; the second exits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nstopping: finishing the starts in flight (Ctrl-C again to quit now)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(EXIT_INTERRUPTED));
  });
  return controller.signal;
}

/** stdout closed early (`| head`): stop quietly instead of crashing on EPIPE. */
function watchStdout(onClosed: () => void): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') onClosed();
    else throw err;
  });
}

/** The gate on the lifecycle's workflow task queue; a failing probe is reported once, then ignored. */
function backlogGate(connection: Connection, config: AppConfig, limit: number): BacklogGate {
  const { namespace, taskQueue } = config.temporal;
  return new BacklogGate(workflowBacklogProbe(connection, namespace, taskQueue), {
    limit,
    onProbeError: (err) =>
      process.stderr.write(`generate: cannot read the backlog of task queue ${taskQueue} on ${config.temporal.address} (${describeError(err)}); starting without holding back\n`),
  });
}

/** The starts counted and served on GENERATOR_METRICS_PORT while the generator runs; nothing when unset. */
async function serveGeneratorMetrics(config: AppConfig): Promise<{ metrics?: GeneratorMetrics; server?: MetricsServer }> {
  const port = config.metrics.generatorPort;
  if (port === undefined) return {};
  const metrics = new GeneratorMetrics();
  return { metrics, server: await serveMetrics(metrics.registry, config.metrics.host, port, 'GENERATOR_METRICS_PORT', createLogger('generate', config.logLevel)) };
}

async function startAll(opts: CliOptions, config: AppConfig, plan: RunPlan, signal: AbortSignal, progress: ProgressReporter): Promise<RunSummary> {
  const { connection } = await connectTemporalClient(config.temporal);
  announce(plan, opts.dryRun);
  const tracing = await startTracing(config.tracing, 'generator');
  const { metrics, server } = await serveGeneratorMetrics(config);
  try {
    const starter = new OrderStarter(connection, {
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      lifecycle: lifecycleFrom(opts, plan),
      ...(tracing ? { tracing } : {}),
      ...(metrics ? { metrics } : {}),
    });
    const target = `${config.temporal.address} (namespace ${config.temporal.namespace})`;
    const gate = opts.maxBacklog > 0 ? backlogGate(connection, config, opts.maxBacklog) : undefined;
    const events = {
      caughtUp: (orders: number, last: Date | undefined) => {
        if (orders === 0) return;
        progress.finish();
        process.stderr.write(`generate: history caught up: ${orders} orders started, the last dated ${last?.toISOString()}; live from now on\n`);
      },
    };
    return await runStart(plan, starter, { concurrency: opts.concurrency, target, ...(gate ? { gate } : {}) }, signal, progress, events);
  } finally {
    await server?.stop();
    await connection.close();
    // The start spans go out before the process ends.
    await tracing?.shutdown();
  }
}

async function main(): Promise<number> {
  const opts = parseCliArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const config = loadConfig();
  const nowMs = Date.now();
  const plan = planFrom(opts, runClock(opts, config, nowMs), nowMs);
  const signal = interruptSignal();
  const progress = new ProgressReporter(process.stderr, plan.count !== undefined ? { total: plan.count } : {});
  let summary: RunSummary;
  if (opts.dryRun) {
    const stop = new AbortController();
    watchStdout(() => stop.abort());
    announce(plan, true);
    summary = await runDry(plan, process.stdout, AbortSignal.any([signal, stop.signal]), progress);
  } else {
    summary = await startAll(opts, config, plan, signal, progress);
  }
  process.stderr.write(`${formatSummary(summary, opts.dryRun, plan)}\n`);
  return signal.aborted ? EXIT_INTERRUPTED : 0;
}

runMain(main);
