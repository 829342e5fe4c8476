/**
 * `npm run bench`: the whole pipeline against the ceiling of the Temporal dev server, in one run on
 * one machine. Starts a throwaway stack (Temporal dev server, Kafka, Postgres on free ports), then:
 *
 *   floor     Temporal's floor: N workflows of one workflow task each, no activity (bench/noop,
 *             --shape floor), started with the same request as real orders.
 *   baseline  the lifecycle's shape before the local-emits patch with activities that do nothing
 *             (bench/noop, --shape today): what the gain is measured against, in the same run.
 *   noop      the lifecycle's shape of today (one task, local emits) doing nothing (--shape one-task).
 *             Each no-op run: own bundle and worker process, as fast as the server takes them,
 *             throughput and latency from start to workflow completion.
 *   pipeline  the generator starts N real order lifecycles (timeMode skip), the real worker emits
 *             to Kafka, the real bridge writes Postgres; throughput and latency start → order row.
 *   latency   the pipeline again with starts paced at 80 % of the measured pipeline rate.
 *   stages    generator dry run, Kafka emit through the worker's producer, bridge backlog.
 *
 * Worker and bridge run as child processes (`npm run worker` / `npm run bridge` code) and every
 * process's CPU and peak memory is read from /proc; a sample of each run's histories gives the
 * events and workflow tasks per order. Prints tables and writes results/*.json.
 * `--growth` instead runs the pipeline at 1k, 5k and 20k orders and checks that throughput and the
 * worker's and bridge's peak memory stay within 20 % from 5k to 20k. See --help and BENCHMARKS.md.
 */
import { randomInt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { flagHelpRows, parseFlags, type FlagSpec } from '../src/cli/flags.js';
import { runMain } from '../src/cli/main.js';
import { UserError } from '../src/errors/user-error.js';
import { loadConfig, type AppConfig } from '../src/config/config.js';
import { createDatabase, dropDatabase } from '../src/db/databases.js';
import { migrate } from '../src/db/migrate.js';
import { createPool, sslOptions } from '../src/db/pool.js';
import type { Order } from '../src/domain/order.js';
import { runStart, type RunPlan } from '../src/generator/run.js';
import { OrderStarter, type OrderStarterSettings, type StartResult } from '../src/generator/workflow-starter.js';
import { createKafka, ensureTopics } from '../src/kafka/client.js';
import { createLogger, describeError, type Logger } from '../src/logging/logger.js';
import { startEphemeralStack, type EphemeralStack } from '../src/stack/ephemeral.js';
import { resolveKafkaLibs } from '../src/stack/kafka.js';
import { resolveTemporalCli, TEMPORAL_CLI_MODULE } from '../src/stack/temporal.js';
import { pollUntil, retry } from '../src/stack/wait.js';
import { startTracing, type Tracing } from '../src/telemetry/tracing.js';
import { connectTemporalClient, type TemporalClientHandle } from '../src/temporal/connection.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../src/workflows/contract.js';
import { bridgeBacklogRate } from './bridge.js';
import { dryRunRate } from './generator.js';
import { BenchChild } from './lib/children.js';
import { ProcessMeter, type Measurement, type WatchedProcess } from './lib/proc.js';
import { kafkaEmitRate, MESSAGES_PER_ORDER } from './lib/stages.js';
import { fmt, median, percentile, summarizeLatency, table, type LatencySummary } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SEED = 'bench';
/** A phase with no progress for this long has stalled: its logs say why. */
const STALL_MS = 120_000;
const POLL_MS = 500;
/** A line on stderr this often while a phase runs (a 5,000-order phase takes minutes here). */
const PROGRESS_MS = 15_000;

const TARGETS = { ratio: 0.7, gain: 2, p99Ms: 1000, growth: 0.2 };

const PARTS = ['floor', 'baseline', 'noop', 'pipeline', 'latency', 'stages'] as const;
/** The no-op runs and the worker shape each bundles (bench/noop/worker.ts --shape). */
const NOOP_SHAPES = { floor: 'floor', baseline: 'today', noop: 'one-task' } as const;
type NoopKind = keyof typeof NOOP_SHAPES;
const NOOP_LABELS: Record<NoopKind, string> = { floor: 'floor (1 task)', baseline: "no-op, pre-patch shape", noop: 'no-op, one-task shape' };
/** Workflows whose histories are read after a run, for events and workflow tasks per order. */
const HISTORY_SAMPLE = 40;
type Part = (typeof PARTS)[number];

interface Options {
  orders: number;
  rounds: number;
  latencyFraction: number;
  latencySeconds: number;
  startConcurrency: number;
  window: number;
  parts: Set<Part>;
  growth: boolean;
  variants: Array<{ name: string; env: Record<string, string> }>;
  sizes: number[];
  out: string | undefined;
  strict: boolean;
}

const BENCH_FLAGS: Record<string, FlagSpec> = {
  orders: { type: 'string', value: 'N', help: 'orders per floor, baseline, no-op and pipeline run (default 5000)' },
  rounds: { type: 'string', value: 'N', help: 'floor/baseline/no-op/pipeline rounds, alternated; medians reported (default 1)' },
  'latency-fraction': { type: 'string', value: 'F', help: 'start rate of the latency run, as a fraction of the pipeline rate (default 0.8)' },
  'latency-seconds': { type: 'string', value: 'S', help: 'length of the latency run at that rate, at most --orders orders (default 60)' },
  window: {
    type: 'string',
    value: 'N',
    help: 'full-speed runs keep at most N orders started and not yet done, so the\nserver gets work as fast as it finishes it; 0 = start all at once (default 500)',
  },
  'start-concurrency': { type: 'string', value: 'N', help: 'workflow starts in flight at once (default 64)' },
  'no-stages': { type: 'boolean', help: 'skip the stage figures (generator, Kafka emit, bridge backlog)' },
  only: { type: 'string', value: 'LIST', help: 'run only some of floor,baseline,noop,pipeline,latency,stages (latency needs\npipeline)' },
  growth: { type: 'boolean', help: 'instead: the pipeline at --sizes orders, checking flat throughput and memory' },
  sizes: { type: 'string', value: 'LIST', help: 'order counts of --growth (default 1000,5000,20000)' },
  variant: {
    type: 'string',
    value: 'NAME:K=V,…',
    multiple: true,
    help: 'instead: compare settings; each variant runs the --only parts (default\nfloor,baseline,noop,pipeline) with these variables set for the worker, bridge and\nthe starts, variants alternated over --rounds; repeat the flag for each variant;\n{jaeger} in a value is the OTLP URL of a Jaeger the bench starts (tracing cost)',
  },
  out: { type: 'string', value: 'FILE', help: 'where to write the JSON (default results/bench-<kind>-<time>.json)' },
  strict: { type: 'boolean', help: 'exit 1 when a target is missed' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
};

const HELP = `Usage: npm run bench [-- options]

Starts a throwaway local stack (Temporal dev server, Kafka, Postgres on free ports on 127.0.0.1) and
measures, in one run: Temporal's floor (one workflow task per order, no activity), no-op
workflows of the lifecycle's shape before the local-emits patch (the baseline) and of today's
(one task), the real pipeline (generator → workflows → Kafka → bridge → Postgres, waiting skipped), a latency run at a
fraction of the pipeline's rate, and stage figures. Prints tables; writes results/bench-*.json.
Each run also reports the share of the CPU the host gave its other guests (steal, from /proc/stat):
on a shared host, compare runs of one bench, and trust a day's figures when the steal is a few percent.

Options:
${flagHelpRows(BENCH_FLAGS, 24).join('\n')}

Worker and bridge settings come from the environment as in production (WORKER_MAX_CONCURRENT_ACTIVITIES,
WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, WORKER_MAX_CACHED_WORKFLOWS, KAFKA_PRODUCER_MAX_IN_FLIGHT,
KAFKA_PRODUCER_MAX_BATCH, BRIDGE_BATCH_SIZE, BRIDGE_PARTITIONS_CONCURRENTLY, KAFKA_TOPIC_PARTITIONS),
so a tuning run is for example
  WORKER_MAX_CACHED_WORKFLOWS=2000 npm run bench -- --only pipeline --orders 3000 --rounds 1
and the cost of tracing (every order traced, then one in ten) against tracing off:
  npm run bench -- --only pipeline --rounds 3 --variant off: \\
    --variant traced:OTEL_EXPORTER_OTLP_ENDPOINT={jaeger} \\
    --variant sampled:OTEL_EXPORTER_OTLP_ENDPOINT={jaeger},OTEL_TRACES_SAMPLER=parentbased_traceidratio,OTEL_TRACES_SAMPLER_ARG=0.1
`;

/** The flags (src/cli/flags.ts: unknown ones and missing values are one line naming the flag), checked. */
function parseBenchFlags(argv: readonly string[]): Options | 'help' {
  const values = parseFlags(argv, BENCH_FLAGS);
  if (values.help === true) return 'help';
  const str = (name: string) => values[name] as string | undefined;
  const int = (name: string, fallback: number, min: number, max: number) => {
    const value = str(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new UserError(`--${name} expects a whole number ${min}..${max}, got "${value}"`);
    return n;
  };
  const list = <T extends string>(name: string, allowed: readonly T[]): T[] | undefined => {
    const value = str(name);
    if (value === undefined) return undefined;
    const names = value.split(',').filter(Boolean);
    const bad = names.filter((n) => !(allowed as readonly string[]).includes(n));
    if (names.length === 0 || bad.length > 0) throw new UserError(`--${name} expects some of ${allowed.join(',')}, got "${value}"`);
    return names as T[];
  };
  const fraction = str('latency-fraction');
  const latencyFraction = fraction === undefined ? 0.8 : Number(fraction);
  if (!Number.isFinite(latencyFraction) || latencyFraction <= 0 || latencyFraction > 1.5) {
    throw new UserError(`--latency-fraction expects a number in (0, 1.5], got "${fraction ?? ''}"`);
  }
  const parts = new Set<Part>(list('only', PARTS) ?? PARTS);
  if (values['no-stages'] === true) parts.delete('stages');
  const variants = ((values.variant as string[] | undefined) ?? []).map((value) => {
    const m = /^([\w.+-]+):(.*)$/.exec(value);
    const pairs = m ? (m[2] as string).split(',').filter(Boolean).map((kv) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(kv)) : [];
    if (!m || pairs.some((x) => x === null)) throw new UserError(`--variant expects NAME:VARIABLE=VALUE,… (an empty list is the defaults), got "${value}"`);
    return { name: m[1] as string, env: Object.fromEntries(pairs.map((x) => [x?.[1] as string, x?.[2] as string])) };
  });
  let sizes = [1000, 5000, 20_000];
  const sizesFlag = str('sizes');
  if (sizesFlag !== undefined) {
    sizes = sizesFlag.split(',').map(Number);
    if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 100 || n > 1_000_000)) {
      throw new UserError(`--sizes expects two or more whole numbers 100..1000000, comma-separated, got "${sizesFlag}"`);
    }
  }
  const out = str('out');
  if (out === '') throw new UserError('--out expects a file path');
  const opts: Options = {
    orders: int('orders', 5000, 100, 1_000_000),
    rounds: int('rounds', 1, 1, 20),
    latencyFraction,
    latencySeconds: int('latency-seconds', 60, 5, 3600),
    startConcurrency: int('start-concurrency', 64, 1, 1000),
    window: int('window', 500, 0, 1_000_000),
    parts,
    growth: values.growth === true,
    variants,
    sizes,
    out,
    strict: values.strict === true,
  };
  if (opts.parts.has('latency') && !opts.parts.has('pipeline')) throw new UserError('--only latency needs pipeline too (its rate is a fraction of the pipeline rate)');
  return opts;
}

/** In a --variant value: the OTLP URL of the Jaeger the bench starts for it. */
const JAEGER_PLACEHOLDER = '{jaeger}';

function withJaegerUrl(env: Record<string, string>, url: string | undefined): Record<string, string> {
  if (!url) throw new Error('the throwaway stack started no Jaeger for the {jaeger} variants');
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.split(JAEGER_PLACEHOLDER).join(url)]));
}

/** At most `window` orders started and not yet done; `done()` is the latest count of done orders. */
interface StartGate {
  window: number;
  done: () => number;
  signal: AbortSignal;
}

/**
 * The generator's own starter, noting when each order's start was requested (wall clock, ms).
 * With a gate, a start waits until fewer than `window` orders are open: the server gets new work as
 * fast as it finishes work (closed loop) instead of a backlog of thousands of open workflows.
 */
class TimedStarter extends OrderStarter {
  readonly startedAt = new Map<string, number>();
  private readonly gate: StartGate | undefined;

  constructor(connection: ConstructorParameters<typeof OrderStarter>[0], settings: OrderStarterSettings, gate?: StartGate) {
    super(connection, settings);
    this.gate = gate;
  }

  override async start(order: Order): Promise<StartResult> {
    const gate = this.gate;
    if (gate) await pollUntil(() => this.startedAt.size - gate.done() < gate.window || gate.signal.aborted, { timeoutMs: Infinity, intervalMs: 10 });
    this.startedAt.set(order.order_id, Date.now());
    return super.start(order);
  }
}

/** Orders done so far (rows in Postgres, closed workflows), polled in the background. */
class DoneCounter {
  value = 0;
  private timer: NodeJS.Timeout | undefined;
  private progress: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly count: () => Promise<number>,
    private readonly everyMs = POLL_MS,
  ) {}

  /** Counts every `everyMs`; prints `label: n of target orders done` every PROGRESS_MS meanwhile. */
  start(label: string, target: number): this {
    this.timer = setInterval(() => {
      this.inFlight ??= this.count()
        .then((n) => void (this.value = n), (err: unknown) => void (this.failure = err))
        .finally(() => (this.inFlight = undefined));
    }, this.everyMs);
    const t0 = Date.now();
    this.progress = setInterval(() => {
      const seconds = (Date.now() - t0) / 1000;
      process.stderr.write(`  ${label}: ${this.value} of ${target} orders done after ${seconds.toFixed(0)} s (${(this.value / seconds).toFixed(1)}/s)\n`);
    }, PROGRESS_MS);
    return this;
  }

  /** Waits until `target` orders are done, failing when the count stops moving for STALL_MS. */
  async waitFor(target: number, ctx: Context, what: string, hint: string): Promise<void> {
    let last = -1;
    let lastChange = Date.now();
    // No overall deadline: the wait ends when the count stops moving (thrown from the check).
    await pollUntil(
      () => {
        if (ctx.signal.aborted) throw new UserError('interrupted');
        if (this.failure) throw this.failure;
        if (this.value >= target) return true;
        if (this.value !== last) {
          last = this.value;
          lastChange = Date.now();
        } else if (Date.now() - lastChange > STALL_MS) {
          throw new Error(`${what} stalled at ${this.value} of ${target} orders for ${STALL_MS / 1000} s; ${hint}`);
        }
        return false;
      },
      { timeoutMs: Infinity, intervalMs: POLL_MS / 5 },
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.progress);
    await this.inFlight;
  }
}

type PhaseKind = NoopKind | 'pipeline' | 'latency' | 'growth';

/** A sample of a run's histories: what each order cost the server. */
interface HistoryShape {
  sampled: number;
  eventsPerOrder: number;
  workflowTasksPerOrder: number;
  activityTasksPerOrder: number;
}

interface PhaseResult {
  kind: PhaseKind;
  label: string;
  orders: number;
  /** Requested start rate (orders/s) of a paced run; undefined = as fast as the server takes. */
  pacedRate?: number;
  /** First start requested → last order done (row in Postgres, or workflow closed for the baseline). */
  seconds: number;
  ordersPerSecond: number;
  /** Orders done per second between the 10th and the 90th percentile of completions. */
  steadyOrdersPerSecond: number;
  startsPerSecond: number;
  /** Start requested → row in Postgres (baseline: → workflow closed). */
  latency: LatencySummary;
  measurement: Measurement;
  history?: HistoryShape;
}

interface Context {
  eph: EphemeralStack;
  log: Logger;
  logDir: string;
  /** Environment of the children: the caller's, pointed at the throwaway stack. */
  baseEnv: NodeJS.ProcessEnv;
  servers: WatchedProcess[];
  opts: Options;
  signal: AbortSignal;
}

function phaseId(kind: string): string {
  return `bench${kind[0]}${Date.now().toString(36)}${randomInt(1000, 9999)}`;
}

function newRunId(): number {
  return randomInt(1_000_000_000_000, 9_000_000_000_000);
}

/** A fresh migrated database whose order_record rows record the moment they were first written. */
async function createBenchDatabase(config: AppConfig, name: string): Promise<string> {
  const url = await createDatabase(config.database.url, name, { ssl: sslOptions(config.database) });
  const pool = createPool({ ...config.database, url }, { max: 1 });
  try {
    await migrate(pool);
    // Bench-only column, set by Postgres when the bridge first inserts the row (same clock as ours).
    await pool.query('ALTER TABLE order_record ADD COLUMN bench_row_at timestamptz NOT NULL DEFAULT clock_timestamp()');
  } finally {
    await pool.end();
  }
  return url;
}

/** The phase's own topics; a broker that just started may briefly refuse ("does not host this topic-partition"). */
async function createTopics(config: AppConfig): Promise<void> {
  await retry(() => ensureTopics(createKafka(config.kafka, { logLevel: 'silent' }), config.kafka), { attempts: 5, delayMs: (attempt) => 1000 * attempt });
}

function startPlan(orders: number, pacedRate: number | undefined): RunPlan {
  return {
    seed: SEED,
    runId: newRunId(),
    count: orders,
    mode:
      pacedRate === undefined
        ? { kind: 'backfill', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-12-31T00:00:00Z') }
        : { kind: 'live', start: new Date(), ratePerSecond: pacedRate },
  };
}

function figures(kind: PhaseKind, label: string, startedAt: Map<string, number>, doneAt: Map<string, number>, measurement: Measurement, pacedRate?: number): PhaseResult {
  const starts = [...startedAt.values()];
  const firstStart = Math.min(...starts);
  const lastStart = Math.max(...starts);
  const latencies: number[] = [];
  const ends: number[] = [];
  for (const [id, start] of startedAt) {
    const end = doneAt.get(id);
    if (end === undefined) throw new Error(`${label}: order ${id} has no end time`);
    latencies.push(end - start);
    ends.push(end);
  }
  ends.sort((a, b) => a - b);
  const n = startedAt.size;
  const seconds = ((ends[ends.length - 1] as number) - firstStart) / 1000;
  const t10 = percentile(ends, 10);
  const t90 = percentile(ends, 90);
  return {
    kind,
    label,
    orders: n,
    ...(pacedRate !== undefined ? { pacedRate } : {}),
    seconds,
    ordersPerSecond: n / seconds,
    steadyOrdersPerSecond: t90 > t10 ? (0.8 * n) / ((t90 - t10) / 1000) : Number.NaN,
    startsPerSecond: lastStart > firstStart ? n / ((lastStart - firstStart) / 1000) : Number.NaN,
    latency: summarizeLatency(latencies),
    measurement,
  };
}

/** Starts the plan's workflows through the generator's starter; returns the start times. */
async function startOrders(ctx: Context, config: AppConfig, temporal: TemporalClientHandle, plan: RunPlan, done: DoneCounter, tracing?: Tracing): Promise<Map<string, number>> {
  const paced = plan.mode.kind === 'live';
  const gate = !paced && ctx.opts.window > 0 ? { window: ctx.opts.window, done: () => done.value, signal: ctx.signal } : undefined;
  const starter = new TimedStarter(
    temporal.connection,
    {
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      lifecycle: { ...DEFAULT_LIFECYCLE_OPTIONS, seed: SEED, timeMode: 'skip' },
      // Traced like the generator: each start the root of its order's trace.
      ...(tracing ? { tracing } : {}),
    },
    gate,
  );
  const summary = await runStart(plan, starter, { concurrency: ctx.opts.startConcurrency, target: config.temporal.address }, ctx.signal);
  if (ctx.signal.aborted) throw new UserError('interrupted');
  if (summary.started !== plan.count) throw new Error(`started ${summary.started} of ${plan.count} workflows (${summary.existing} already existed)`);
  return starter.startedAt;
}

function meterFor(ctx: Context, children: BenchChild[]): ProcessMeter {
  return new ProcessMeter([{ name: 'generator (bench)', pid: process.pid }, ...children.map((c) => ({ name: c.name, pid: c.pid })), ...ctx.servers]);
}

/**
 * One phase's measured part: every process metered and the done count followed while `start`
 * starts the orders, until `orders` of them are done; then the meter and the counter stop.
 */
async function meteredStarts(
  ctx: Context,
  children: BenchChild[],
  done: DoneCounter,
  label: string,
  orders: number,
  hint: string,
  start: () => Promise<Map<string, number>>,
): Promise<{ startedAt: Map<string, number>; measurement: Measurement }> {
  const meter = meterFor(ctx, children);
  meter.start();
  done.start(label, orders);
  let measurement: Measurement;
  let startedAt: Map<string, number>;
  try {
    startedAt = await start();
    await done.waitFor(orders, ctx, label, hint);
  } finally {
    measurement = meter.stop();
    await done.stop();
  }
  return { startedAt, measurement };
}

/**
 * Events, workflow tasks and activity tasks per order, from up to HISTORY_SAMPLE closed workflows
 * of the run (read after the metered part, so the reads cost the run nothing).
 */
async function historyShape(temporal: TemporalClientHandle, query: string): Promise<HistoryShape> {
  let sampled = 0;
  let events = 0;
  let workflowTasks = 0;
  let activityTasks = 0;
  for await (const wf of temporal.client.workflow.list({ query, pageSize: HISTORY_SAMPLE })) {
    const history = await temporal.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    const list = history.events ?? [];
    events += list.length;
    workflowTasks += list.filter((e) => e.workflowTaskCompletedEventAttributes).length;
    activityTasks += list.filter((e) => e.activityTaskScheduledEventAttributes).length;
    if (++sampled >= HISTORY_SAMPLE) break;
  }
  return { sampled, eventsPerOrder: events / sampled, workflowTasksPerOrder: workflowTasks / sampled, activityTasksPerOrder: activityTasks / sampled };
}

async function runBaseline(ctx: Context, label: string, orders: number, extraEnv: Record<string, string> = {}, kind: NoopKind = 'baseline'): Promise<PhaseResult> {
  const id = phaseId(kind);
  const env = { ...ctx.baseEnv, ...extraEnv, TEMPORAL_TASK_QUEUE: id, LOG_LEVEL: 'info' };
  const config = loadConfig(env);
  const worker = await BenchChild.start({
    name: 'worker',
    script: 'bench/noop/worker.ts',
    args: ['--shape', NOOP_SHAPES[kind]],
    readyPattern: /polling task queue/,
    env,
    logFile: path.join(ctx.logDir, `${id}-worker.log`),
  });
  const temporal = await connectTemporalClient(config.temporal);
  try {
    const query = `TaskQueue = "${id}"`;
    // A count query runs on the server under test: once a second keeps its cost well under 1 % of a core.
    const done = new DoneCounter(async () => Number((await temporal.client.workflow.count(`${query} AND ExecutionStatus != "Running"`)).count), 1000);
    const { startedAt, measurement } = await meteredStarts(ctx, [worker], done, label, orders, `see ${ctx.logDir}`, () =>
      startOrders(ctx, config, temporal, startPlan(orders, undefined), done),
    );
    const doneAt = new Map<string, number>();
    let failed = 0;
    for await (const wf of temporal.client.workflow.list({ query })) {
      if (wf.status.name !== 'COMPLETED') failed++;
      if (wf.closeTime) doneAt.set(wf.workflowId.replace(/^order-/, ''), wf.closeTime.getTime());
    }
    if (failed > 0) throw new Error(`${failed} ${kind} workflows did not complete; see ${ctx.logDir}`);
    return { ...figures(kind, label, startedAt, doneAt, measurement), history: await historyShape(temporal, query) };
  } finally {
    await temporal.connection.close();
    await worker.stop();
  }
}

async function runPipeline(ctx: Context, kind: PhaseKind, label: string, orders: number, pacedRate?: number, extraEnv: Record<string, string> = {}): Promise<PhaseResult> {
  const id = phaseId(kind);
  const dbUrl = await createBenchDatabase(ctx.eph.config, id);
  const env = { ...ctx.baseEnv, ...extraEnv, DATABASE_URL: dbUrl, TEMPORAL_TASK_QUEUE: id, KAFKA_TOPIC_PREFIX: `${id}-`, KAFKA_BRIDGE_GROUP_ID: `${id}-bridge`, LOG_LEVEL: 'info' };
  const config = loadConfig(env);
  const children: BenchChild[] = [];
  const pool = createPool(config.database, { max: 1, applicationName: 'bench' });
  let temporal: TemporalClientHandle | undefined;
  let tracing: Tracing | undefined;
  try {
    tracing = await startTracing(config.tracing, 'generator');
    await createTopics(config);
    children.push(await BenchChild.start({ name: 'bridge', script: 'src/bridge/cli.ts', readyPattern: /consuming .* as group/, env, logFile: path.join(ctx.logDir, `${id}-bridge.log`) }));
    children.unshift(await BenchChild.start({ name: 'worker', script: 'src/workers/cli.ts', readyPattern: /polling task queue/, env, logFile: path.join(ctx.logDir, `${id}-worker.log`) }));
    const client = (temporal = await connectTemporalClient(config.temporal));
    const done = new DoneCounter(async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM order_record')).rows[0]?.n));
    const { startedAt, measurement } = await meteredStarts(ctx, children, done, label, orders, `see the worker and bridge logs in ${ctx.logDir}`, () =>
      startOrders(ctx, config, client, startPlan(orders, pacedRate), done, tracing),
    );
    const rows = await pool.query<{ order_id: string; t: number }>('SELECT order_id, (extract(epoch FROM bench_row_at) * 1000)::float8 AS t FROM order_record');
    const doneAt = new Map(rows.rows.map((r) => [r.order_id, Number(r.t)]));
    return { ...figures(kind, label, startedAt, doneAt, measurement, pacedRate), history: await historyShape(client, `TaskQueue = "${id}"`) };
  } finally {
    await tracing?.shutdown();
    await temporal?.connection.close();
    // The worker first: its activities in flight finish; then the bridge commits what it holds.
    for (const child of children) await child.stop();
    await pool.end();
    await dropDatabase(ctx.eph.config.database.url, id, { ssl: sslOptions(ctx.eph.config.database) }).catch((err: unknown) => ctx.log.warn(`could not drop ${id}: ${describeError(err)}`));
  }
}

interface Versions {
  node: string;
  temporalCli: string;
  temporalCliModule: string;
  temporalServer: string;
  temporalUi: string;
  kafka: string;
  postgres: string;
}

async function versions(ctx: Context): Promise<Versions> {
  const stack = ctx.eph.config.stack;
  const cli = await resolveTemporalCli(stack, ctx.log);
  const line = execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  const m = /version (\S+) \(Server (\S+), UI (\S+)\)/.exec(line);
  const libs = await resolveKafkaLibs(stack, ctx.log);
  const kafkaJar = readdirSync(libs).find((f) => /^kafka_[\d.]+-.+\.jar$/.test(f));
  const c = new pg.Client({ connectionString: ctx.eph.config.database.url });
  await c.connect();
  const pgVersion = (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  await c.end();
  return {
    node: process.version,
    temporalCli: m?.[1] ?? line,
    temporalCliModule: TEMPORAL_CLI_MODULE,
    temporalServer: m?.[2] ?? '?',
    temporalUi: m?.[3] ?? '?',
    kafka: kafkaJar ? (/-([\d.]+[^-]*)\.jar$/.exec(kafkaJar)?.[1] ?? kafkaJar) : '?',
    postgres: pgVersion,
  };
}

function postmasterPid(dataDir: string): number {
  const pid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('cannot read the Postgres pid');
  return pid;
}

function settingsOf(config: AppConfig, opts: Options) {
  return {
    orders: opts.orders,
    rounds: opts.rounds,
    startConcurrency: opts.startConcurrency,
    window: opts.window,
    latencyFraction: opts.latencyFraction,
    WORKER_MAX_CONCURRENT_ACTIVITIES: config.worker.maxConcurrentActivities,
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: config.worker.maxConcurrentWorkflowTasks,
    WORKER_MAX_CACHED_WORKFLOWS: config.worker.maxCachedWorkflows,
    BRIDGE_BATCH_SIZE: config.bridge.batchSize,
    BRIDGE_PARTITIONS_CONCURRENTLY: config.bridge.partitionsConsumedConcurrently,
    KAFKA_TOPIC_PARTITIONS: config.kafka.topicPartitions,
    KAFKA_PRODUCER_MAX_IN_FLIGHT: config.kafka.producerMaxInFlight,
    KAFKA_PRODUCER_MAX_BATCH: config.kafka.producerMaxBatch,
  };
}

function phaseTable(phases: PhaseResult[]): string {
  return table(
    ['run', 'orders', 'orders/s', 'steady/s', 'starts/s', 'p50', 'p95', 'p99', 'max', 'seconds', 'events/order', 'wf tasks/order', 'activity tasks/order'],
    phases.map((p) => [
      p.label,
      String(p.orders),
      fmt.rate(p.ordersPerSecond),
      fmt.rate(p.steadyOrdersPerSecond),
      p.pacedRate !== undefined ? `${fmt.rate(p.startsPerSecond)} (paced ${fmt.rate(p.pacedRate)})` : fmt.rate(p.startsPerSecond),
      fmt.ms(p.latency.p50Ms),
      fmt.ms(p.latency.p95Ms),
      fmt.ms(p.latency.p99Ms),
      fmt.ms(p.latency.maxMs),
      p.seconds.toFixed(1),
      p.history ? p.history.eventsPerOrder.toFixed(1) : '–',
      p.history ? p.history.workflowTasksPerOrder.toFixed(2) : '–',
      p.history ? p.history.activityTasksPerOrder.toFixed(2) : '–',
    ]),
  );
}

const PROCESS_ORDER = ['generator (bench)', 'worker', 'bridge', 'temporal', 'kafka', 'postgres'];

/** A run's rate and how much of the CPU the host gave to its other guests meanwhile. */
function rateAndSteal(p: PhaseResult | undefined): string {
  if (!p) return '? orders/s';
  return `${fmt.rate(p.ordersPerSecond)} orders/s (${p.measurement.machine.stolenPercent.toFixed(1)} % of the CPU stolen by the host)`;
}

/** The median steal of the runs and their range: how far the rates are the host's rather than ours. */
function stealSummary(phases: PhaseResult[]): string {
  const stolen = phases.map((p) => p.measurement.machine.stolenPercent).filter(Number.isFinite);
  if (stolen.length === 0) return 'steal: not measured';
  return `the host took ${median(stolen).toFixed(1)} % of the CPU (steal; median of the runs, ${Math.min(...stolen).toFixed(1)}–${Math.max(...stolen).toFixed(1)} %): above a few percent, rates move with the host's other guests, so compare within one run`;
}

/** CPU milliseconds per order over every watched process (bench, children, servers). */
function cpuPerOrderMs(p: PhaseResult): number {
  return (p.measurement.processes.reduce((sum, f) => sum + (Number.isFinite(f.cpuSeconds) ? f.cpuSeconds : 0), 0) * 1000) / p.orders;
}

/** CPU milliseconds per order of one watched process (NaN when it was not watched). */
function processCpuPerOrderMs(p: PhaseResult, name: string): number {
  return ((p.measurement.processes.find((x) => x.name === name)?.cpuSeconds ?? NaN) * 1000) / p.orders;
}

function processTable(phases: PhaseResult[]): string {
  const cell = (p: PhaseResult, name: string) => {
    const f = p.measurement.processes.find((x) => x.name === name);
    if (!f) return '–';
    return `${fmt.pct(f.cpuPercent)} · ${processCpuPerOrderMs(p, name).toFixed(1)} ms/order · ${fmt.mib(f.peakMemoryMiB)}`;
  };
  return table(
    ['run', ...PROCESS_ORDER, 'all, CPU per order', 'machine busy (other)', 'stolen'],
    phases.map((p) => [
      p.label,
      ...PROCESS_ORDER.map((n) => cell(p, n)),
      `${cpuPerOrderMs(p).toFixed(1)} ms`,
      `${p.measurement.machine.busyCores.toFixed(2)} of ${p.measurement.machine.cores} cores (${p.measurement.machine.otherCores.toFixed(2)})`,
      `${p.measurement.machine.stolenPercent.toFixed(1)} %`,
    ]),
  );
}

function writeJson(opts: Options, kind: string, data: unknown): string {
  const file = opts.out ?? path.join(ROOT, 'results', `bench-${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

const out = (s = '') => process.stdout.write(s + '\n');

async function mainRun(ctx: Context, header: object): Promise<boolean> {
  const { opts, log } = ctx;
  const phases: PhaseResult[] = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const kind of Object.keys(NOOP_SHAPES) as NoopKind[]) {
      if (!opts.parts.has(kind)) continue;
      log.info(`round ${round}/${opts.rounds}: ${NOOP_LABELS[kind]}, ${opts.orders} workflows`);
      phases.push(await runBaseline(ctx, `${NOOP_LABELS[kind]} #${round}`, opts.orders, {}, kind));
      log.info(`${NOOP_LABELS[kind]} #${round}: ${rateAndSteal(phases[phases.length - 1])}`);
    }
    if (opts.parts.has('pipeline')) {
      log.info(`round ${round}/${opts.rounds}: pipeline, ${opts.orders} orders`);
      phases.push(await runPipeline(ctx, 'pipeline', `pipeline #${round}`, opts.orders));
      log.info(`pipeline #${round}: ${rateAndSteal(phases[phases.length - 1])}`);
    }
  }
  const rates = (kind: PhaseKind) => phases.filter((p) => p.kind === kind).map((p) => p.ordersPerSecond);
  const baseline = median(rates('baseline'));
  const floor = median(rates('floor'));
  const noop = median(rates('noop'));
  const pipeline = median(rates('pipeline'));
  // Each ratio per round too: runs of one round are minutes apart, medians across rounds are not.
  const roundRatiosTo = (kind: PhaseKind) => rates('pipeline').map((p, i) => p / (rates(kind)[i] ?? NaN));
  const roundRatios = roundRatiosTo('noop');
  const ratio = pipeline / noop;
  const gain = pipeline / baseline;
  const toFloor = pipeline / floor;
  // On a shared machine the rates move with everyone else's load; CPU per order moves much less.
  const cpuOf = (kind: PhaseKind) => median(phases.filter((p) => p.kind === kind).map(cpuPerOrderMs));
  const cpuRatio = cpuOf('noop') / cpuOf('pipeline');
  let latency: PhaseResult | undefined;
  if (opts.parts.has('latency') && Number.isFinite(pipeline)) {
    const rate = Math.max(1, opts.latencyFraction * pipeline);
    const orders = Math.max(100, Math.min(opts.orders, Math.round(rate * opts.latencySeconds)));
    log.info(`latency run: ${orders} orders started at ${rate.toFixed(1)}/s (${opts.latencyFraction * 100} % of ${pipeline.toFixed(1)})`);
    latency = await runPipeline(ctx, 'latency', `pipeline @ ${Math.round(opts.latencyFraction * 100)} %`, orders, rate);
    phases.push(latency);
  }
  let stages: Record<string, number> | undefined;
  if (opts.parts.has('stages')) {
    log.info('stage figures: generator dry run, Kafka emit, bridge backlog');
    const base = ctx.eph.config;
    const workerConfig = loadConfig(ctx.baseEnv);
    const generatorRuns = [await dryRunRate('1', 50_000), await dryRunRate('2', 50_000), await dryRunRate('3', 50_000)];
    const emit = await kafkaEmitRate(base, 20_000, workerConfig.worker.maxConcurrentActivities);
    const bridge = await bridgeBacklogRate({ ...base, bridge: workerConfig.bridge }, 20_000, randomInt(1, 1000));
    stages = {
      generatorDryRunOrdersPerSecond: median(generatorRuns),
      kafkaEmitMessagesPerSecond: emit,
      kafkaEmitOrdersPerSecond: emit / MESSAGES_PER_ORDER,
      kafkaEmitConcurrency: workerConfig.worker.maxConcurrentActivities,
      bridgeBacklogOrdersPerSecond: bridge,
    };
  }

  out();
  out(`Throughput and latency (${opts.orders} orders per run; latency = start requested → row in Postgres, no-op runs: → workflow closed; history figures from ${HISTORY_SAMPLE} workflows per run)`);
  out(phaseTable(phases));
  out();
  out('Processes during each run: CPU (% of one core) · CPU per order · peak memory (RSS; Postgres: PSS of server + backends)');
  out(processTable(phases));
  const targets: Record<string, { value: number; target: string; met: boolean }> = {};
  out();
  const rounds = (kind: PhaseKind) => `rounds: ${roundRatiosTo(kind).map((r) => r.toFixed(2)).join(', ')}`;
  if (Number.isFinite(gain)) {
    out(`pipeline ${fmt.rate(pipeline)} orders/s / no-op of the pre-patch shape ${fmt.rate(baseline)} orders/s: ${gain.toFixed(2)} (${rounds('baseline')}); target ≥ ${TARGETS.gain}`);
    targets.pipelineToPrePatchNoop = { value: gain, target: `≥ ${TARGETS.gain}`, met: gain >= TARGETS.gain };
  }
  if (Number.isFinite(toFloor)) out(`pipeline / Temporal's floor (${fmt.rate(floor)} orders/s, one task per order): ${toFloor.toFixed(2)} (${rounds('floor')})`);
  if (Number.isFinite(ratio)) {
    out(`pipeline / no-op of the same shape (${fmt.rate(noop)} orders/s): ${ratio.toFixed(2)} (${rounds('noop')}); target ≥ ${TARGETS.ratio}`);
    out(`CPU per order (all processes): same-shape no-op ${cpuOf('noop').toFixed(1)} ms, pipeline ${cpuOf('pipeline').toFixed(1)} ms: the ratio a CPU-bound machine of our own would give is ${cpuRatio.toFixed(2)}`);
    targets.pipelineToSameShapeNoop = { value: ratio, target: `≥ ${TARGETS.ratio}`, met: ratio >= TARGETS.ratio };
  }
  out(`load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${stealSummary(phases)}`);
  if (latency) {
    out(`p99 start → row at ${fmt.rate(latency.pacedRate ?? NaN)} orders/s: ${fmt.ms(latency.latency.p99Ms)}; target < ${TARGETS.p99Ms} ms`);
    targets.latencyP99Ms = { value: latency.latency.p99Ms, target: `< ${TARGETS.p99Ms}`, met: latency.latency.p99Ms < TARGETS.p99Ms };
  }
  if (stages) {
    out();
    out('Stages');
    out(
      table(
        ['stage', 'rate'],
        [
          ['generator dry run (generate + JSON lines)', `${fmt.rate(stages.generatorDryRunOrdersPerSecond ?? NaN)} orders/s`],
          [
            `Kafka emit (the worker's OrderProducer, acks all, ${stages.kafkaEmitConcurrency} sends at once)`,
            `${fmt.rate(stages.kafkaEmitMessagesPerSecond ?? NaN)} messages/s ≈ ${fmt.rate(stages.kafkaEmitOrdersPerSecond ?? NaN)} orders/s at ${MESSAGES_PER_ORDER.toFixed(2)} messages per order`,
          ],
          ['bridge, 20,000-order backlog → Postgres', `${fmt.rate(stages.bridgeBacklogOrdersPerSecond ?? NaN)} orders/s`],
        ],
      ),
    );
  }
  for (const [name, t] of Object.entries(targets)) out(`target ${name}: ${t.met ? 'met' : 'MISSED'} (${name === 'latencyP99Ms' ? fmt.ms(t.value) : t.value.toFixed(2)}, wanted ${t.target})`);
  const file = writeJson(opts, 'pipeline', { ...header, phases, summary: { floorOrdersPerSecond: floor, prePatchNoopOrdersPerSecond: baseline, sameShapeNoopOrdersPerSecond: noop, pipelineOrdersPerSecond: pipeline, pipelineToFloor: toFloor, pipelineToPrePatchNoop: gain, ratio, roundRatios, sameShapeNoopCpuMsPerOrder: cpuOf('noop'), prePatchNoopCpuMsPerOrder: cpuOf('baseline'), pipelineCpuMsPerOrder: cpuOf('pipeline'), cpuRatio, loadAverageAtEnd: os.loadavg(), stolenPercentMedian: median(phases.map((p) => p.measurement.machine.stolenPercent).filter(Number.isFinite)) }, stages, targets });
  out(`\nwritten ${path.relative(process.cwd(), file)}`);
  return Object.values(targets).every((t) => t.met);
}

const COMPARED = ['floor', 'baseline', 'noop', 'pipeline'] as const;

/** Variants of the settings, alternated round by round, compared by median rate and CPU per order. */
async function compareRun(ctx: Context, header: object): Promise<boolean> {
  const { opts, log } = ctx;
  const phases: Array<PhaseResult & { variant: string }> = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const v of opts.variants) {
      for (const kind of COMPARED) {
        if (!opts.parts.has(kind)) continue;
        log.info(`round ${round}/${opts.rounds}: ${kind} with ${v.name} (${JSON.stringify(v.env)}), ${opts.orders} orders`);
        const label = `${kind} ${v.name} #${round}`;
        const r = kind === 'pipeline' ? await runPipeline(ctx, 'pipeline', label, opts.orders, undefined, v.env) : await runBaseline(ctx, label, opts.orders, v.env, kind);
        phases.push({ ...r, variant: v.name });
        log.info(`${label}: ${rateAndSteal(r)}, ${cpuPerOrderMs(r).toFixed(1)} ms CPU per order`);
      }
    }
  }
  const rows: string[][] = [];
  for (const v of opts.variants) {
    for (const kind of COMPARED) {
      const of = phases.filter((p) => p.variant === v.name && p.kind === kind);
      if (of.length === 0) continue;
      const perProcess = PROCESS_ORDER.map((n) => {
        const ms = median(of.map((p) => processCpuPerOrderMs(p, n)));
        return Number.isFinite(ms) ? `${n.split(' ')[0]} ${ms.toFixed(1)}` : undefined;
      });
      rows.push([
        v.name,
        kind,
        of.map((p) => fmt.rate(p.ordersPerSecond)).join(', '),
        fmt.rate(median(of.map((p) => p.ordersPerSecond))),
        `${median(of.map(cpuPerOrderMs)).toFixed(1)} ms`,
        perProcess.filter(Boolean).join(' · '),
        fmt.ms(median(of.map((p) => p.latency.p99Ms))),
        median(of.map((p) => p.history?.eventsPerOrder ?? NaN)).toFixed(1),
        median(of.map((p) => p.history?.workflowTasksPerOrder ?? NaN)).toFixed(2),
        median(of.map((p) => p.measurement.machine.otherCores)).toFixed(2),
        `${median(of.map((p) => p.measurement.machine.stolenPercent)).toFixed(1)} %`,
      ]);
    }
  }
  out();
  out(`Variants (${opts.orders} orders per run, ${opts.rounds} rounds alternated; CPU per order in ms, median)`);
  out(table(['variant', 'run', 'orders/s per round', 'median orders/s', 'CPU per order', 'by process', 'p99', 'events/order', 'wf tasks/order', 'other cores', 'stolen'], rows));
  out(`load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${stealSummary(phases)}`);
  const file = writeJson(opts, 'variants', { ...header, variants: opts.variants, phases });
  out(`\nwritten ${path.relative(process.cwd(), file)}`);
  return true;
}

async function growthRun(ctx: Context, header: object): Promise<boolean> {
  const { opts, log } = ctx;
  const phases: PhaseResult[] = [];
  for (const size of opts.sizes) {
    log.info(`growth: pipeline with ${size} orders`);
    phases.push(await runPipeline(ctx, 'growth', `pipeline ${size}`, size));
    log.info(`pipeline ${size}: ${rateAndSteal(phases[phases.length - 1])}`);
  }
  const peak = (p: PhaseResult, name: string) => p.measurement.processes.find((x) => x.name === name)?.peakMemoryMiB ?? NaN;
  const rows = phases.map((p) => [p.label, fmt.rate(p.ordersPerSecond), fmt.rate(p.steadyOrdersPerSecond), fmt.mib(peak(p, 'worker')), fmt.mib(peak(p, 'bridge')), fmt.ms(p.latency.p99Ms)]);
  out();
  out('Growth (same settings, fresh worker and bridge per size; peak RSS measured after they are ready)');
  out(table(['run', 'orders/s', 'steady/s', 'worker peak RSS', 'bridge peak RSS', 'p99'], rows));
  out();
  out('Processes during each run: CPU (% of one core) · CPU per order · peak memory');
  out(processTable(phases));
  const [a, b] = phases.slice(-2) as [PhaseResult, PhaseResult];
  const change = (x: number, y: number) => (y - x) / x;
  const checks = {
    throughput: change(a.ordersPerSecond, b.ordersPerSecond),
    cpuPerOrder: change(cpuPerOrderMs(a), cpuPerOrderMs(b)),
    workerPeakRss: change(peak(a, 'worker'), peak(b, 'worker')),
    bridgePeakRss: change(peak(a, 'bridge'), peak(b, 'bridge')),
  };
  const other = (p: PhaseResult) => p.measurement.machine.otherCores.toFixed(2);
  const stolen = (p: PhaseResult) => p.measurement.machine.stolenPercent.toFixed(1);
  out();
  out(`${a.orders} → ${b.orders} orders (cores busy with other work: ${other(a)} → ${other(b)}; CPU stolen by the host: ${stolen(a)} → ${stolen(b)} %):`);
  const targets: Record<string, { value: number; met: boolean }> = {};
  const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;
  for (const [name, v] of Object.entries(checks)) {
    // Flat: rate and CPU per order within ±20 %; bounded: peak memory grows by at most 20 %.
    const met = name.endsWith('Rss') ? v <= TARGETS.growth : Math.abs(v) <= TARGETS.growth;
    targets[name] = { value: v, met };
    out(`  ${name}: ${pct(v)} (${met ? 'within' : 'NOT within'} ${name.endsWith('Rss') ? '+' : '±'}${TARGETS.growth * 100} %)`);
  }
  const busierDuringA = a.measurement.machine.otherCores > b.measurement.machine.otherCores + 0.2 || a.measurement.machine.stolenPercent > b.measurement.machine.stolenPercent + 10;
  if (!targets.throughput?.met && checks.throughput > 0 && busierDuringA) {
    out('  (the rate rose rather than fell: other work on the machine, or the host, took more of it during the smaller run)');
  }
  const file = writeJson(opts, 'growth', { ...header, phases, growth: checks, targets });
  out(`\nwritten ${path.relative(process.cwd(), file)}`);
  return Object.values(targets).every((t) => t.met);
}

async function main(): Promise<number> {
  const parsed = parseBenchFlags(process.argv.slice(2));
  if (parsed === 'help') {
    out(HELP);
    return 0;
  }
  const opts = parsed;
  if (process.platform !== 'linux') throw new UserError('npm run bench reads /proc for CPU and memory: it runs on Linux only');
  const log = createLogger('bench', 'info');
  const abort = new AbortController();
  process.once('SIGINT', () => {
    log.warn('interrupted: stopping after cleanup');
    abort.abort();
  });
  const t0 = Date.now();
  const jaeger = opts.variants.some((v) => Object.values(v.env).some((x) => x.includes(JAEGER_PLACEHOLDER)));
  log.info(`starting a throwaway stack on free ports (Temporal dev server, Kafka, Postgres${jaeger ? ', Jaeger' : ''})`);
  const eph = await startEphemeralStack(log.child('stack'), process.env, { jaeger });
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'order-pipeline-bench-'));
  log.info(`child logs in ${logDir}`);
  try {
    const { TEMPORAL_ADDRESS: _t, KAFKA_BROKERS: _k, DATABASE_URL: _d, TEMPORAL_UI_URL: _u, ...rest } = process.env;
    // Tracing only where a variant asks for it: the stack's Jaeger URL goes into those variants.
    const { OTEL_EXPORTER_OTLP_ENDPOINT: jaegerUrl, JAEGER_UI_URL: _ju, JAEGER_QUERY_URL: _jq, ...stackEnv } = eph.env as Record<string, string | undefined>;
    const baseEnv: NodeJS.ProcessEnv = { ...rest, ...stackEnv };
    if (jaeger) opts.variants = opts.variants.map((v) => ({ ...v, env: withJaegerUrl(v.env, jaegerUrl) }));
    const { temporal, kafka } = eph.stack;
    if (!temporal || !kafka) throw new Error('the throwaway stack did not start Temporal and Kafka itself');
    const servers: WatchedProcess[] = [
      { name: 'temporal', pid: temporal.process.pid },
      { name: 'kafka', pid: kafka.process.pid },
      { name: 'postgres', pid: postmasterPid(eph.env.TEST_STACK_DATA_DIR ?? ''), tree: true },
      // The trace store's CPU is part of what tracing costs.
      ...(eph.stack.jaeger ? [{ name: 'jaeger', pid: eph.stack.jaeger.process.pid }] : []),
    ];
    const ctx: Context = { eph, log, logDir, baseEnv, servers, opts, signal: abort.signal };
    const childConfig = loadConfig(baseEnv);
    const header = {
      date: new Date().toISOString(),
      kind: opts.growth ? 'growth' : opts.variants.length > 0 ? 'variants' : 'pipeline',
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverageAtStart: os.loadavg() },
      versions: await versions(ctx),
      settings: settingsOf(childConfig, opts),
    };
    const v = header.versions;
    out(`Machine: ${header.machine.cores} cores (${header.machine.cpu}), ${header.machine.memoryGiB} GiB; load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    out(`Versions: Node ${v.node}; Temporal CLI ${v.temporalCli} (${v.temporalCliModule}), server ${v.temporalServer}, UI ${v.temporalUi}; Kafka ${v.kafka}; PostgreSQL ${v.postgres}`);
    out(`Settings: ${Object.entries(header.settings).map(([k, x]) => `${k}=${x}`).join(' ')}`);
    const ok = opts.growth ? await growthRun(ctx, header) : opts.variants.length > 0 ? await compareRun(ctx, header) : await mainRun(ctx, header);
    log.info(`done in ${((Date.now() - t0) / 60_000).toFixed(1)} min`);
    return !ok && opts.strict ? 1 : 0;
  } finally {
    await eph.stop();
  }
}

runMain(main);
