/**
 * `npm run generate`: makes orders and starts one Temporal workflow per order (or prints them with
 * --dry-run). See `npm run generate -- --help` for the flags. Ctrl-C stops making orders, lets
 * the starts in flight finish and prints the summary (exit 130); a second Ctrl-C quits at once.
 */
import { randomInt } from 'node:crypto';
import { loadConfig } from '../config/config.js';
import { runMain } from '../cli/main.js';
import { connectTemporalClient } from '../temporal/connection.js';
import type { LifecycleOptions } from '../workflows/contract.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../workflows/contract.js';
import { helpText, parseCliArgs, type CliOptions } from './options.js';
import { ProgressReporter } from './progress.js';
import { formatSummary, runDry, runStart, type RunPlan, type RunSummary } from './run.js';
import { OrderStarter } from './workflow-starter.js';

const EXIT_INTERRUPTED = 130;

function planFrom(opts: CliOptions, now: Date): RunPlan {
  // The seed only picks the data; choosing it is the one place randomness is not seeded.
  const seed = opts.seed ?? String(randomInt(0, 2 ** 47));
  const runId = opts.runId ?? now.getTime();
  const anchor = opts.start ?? now;
  const mode: RunPlan['mode'] =
    opts.backfillMs !== undefined
      ? { kind: 'backfill', from: new Date(anchor.getTime() - opts.backfillMs), to: anchor }
      : { kind: 'live', start: anchor, ratePerSecond: opts.rate };
  return { seed, runId, mode, ...(opts.count !== undefined ? { count: opts.count } : {}) };
}

function lifecycleFrom(opts: CliOptions, plan: RunPlan): LifecycleOptions {
  return {
    ...DEFAULT_LIFECYCLE_OPTIONS,
    seed: plan.seed,
    // A backfill's orders are in the past: their lifecycles are simulated without waiting.
    timeMode: plan.mode.kind === 'backfill' ? 'skip' : 'scaled',
    speed: opts.speed,
    paymentWindowHours: opts.paymentWindowHours,
    simulatePayment: opts.simulatePayment,
  };
}

function describePlan(plan: RunPlan, dryRun: boolean): string {
  const mode =
    plan.mode.kind === 'backfill'
      ? `backfill ${plan.mode.from.toISOString()} → ${plan.mode.to.toISOString()}`
      : `live from ${plan.mode.start.toISOString()} at ${plan.mode.ratePerSecond}/s`;
  const count = plan.count !== undefined ? `, up to ${plan.count} orders` : '';
  return `${dryRun ? 'dry run, ' : ''}${mode}${count}; seed ${plan.seed}, run id ${plan.runId} (repeat with --seed ${plan.seed} --run-id ${plan.runId})`;
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

async function startAll(opts: CliOptions, plan: RunPlan, signal: AbortSignal, progress: ProgressReporter): Promise<RunSummary> {
  const config = loadConfig();
  const { connection } = await connectTemporalClient(config.temporal);
  announce(plan, opts.dryRun);
  try {
    const starter = new OrderStarter(connection, {
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      lifecycle: lifecycleFrom(opts, plan),
    });
    const target = `${config.temporal.address} (namespace ${config.temporal.namespace})`;
    return await runStart(plan, starter, { concurrency: opts.concurrency, target }, signal, progress);
  } finally {
    await connection.close();
  }
}

async function main(): Promise<number> {
  const opts = parseCliArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const plan = planFrom(opts, new Date());
  const signal = interruptSignal();
  const progress = new ProgressReporter(process.stderr, plan.count !== undefined ? { total: plan.count } : {});
  let summary: RunSummary;
  if (opts.dryRun) {
    const stop = new AbortController();
    watchStdout(() => stop.abort());
    announce(plan, true);
    summary = await runDry(plan, process.stdout, AbortSignal.any([signal, stop.signal]), progress);
  } else {
    summary = await startAll(opts, plan, signal, progress);
  }
  process.stderr.write(`${formatSummary(summary, opts.dryRun, plan)}\n`);
  return signal.aborted ? EXIT_INTERRUPTED : 0;
}

runMain(main);
