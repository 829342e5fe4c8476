/**
 * The local stack as one unit: Temporal, Kafka and Postgres started in parallel, each checked by a
 * real round trip, their addresses recorded in <state>/stack.json so a second `npm run stack` (or
 * `npm start`) finds the running one instead of failing on a port, and all stopped together.
 * Servers left running by a supervisor that was killed outright are stopped cleanly first
 * (leftovers.ts), so the new start reuses their data instead of failing on their ports.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redactUrl, type AppConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { startJaeger, type JaegerServer } from './jaeger.js';
import { startKafka, type KafkaServer } from './kafka.js';
import { startPostgres, type PostgresServer } from './postgres.js';
import { reclaimLeftovers } from './leftovers.js';
import { identityOf, isSameProcess, type ProcessIdentity } from './process-identity.js';
import { startTemporal, type TemporalServer } from './temporal.js';

/** Endpoints of a running stack, as the environment variables the config module reads. */
export interface StackEndpoints {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_UI_URL: string;
  KAFKA_BROKERS: string;
  DATABASE_URL: string;
  /** Set when the stack runs Jaeger: the services send their traces there. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** Set when that Jaeger serves its UI pages (the dashboard links orders to their traces). */
  JAEGER_UI_URL?: string;
  /** Jaeger's query API, set whenever the stack runs Jaeger. */
  JAEGER_QUERY_URL?: string;
}

export interface RunningStack {
  endpoints: StackEndpoints;
  temporal?: TemporalServer;
  kafka?: KafkaServer;
  postgres?: PostgresServer;
  jaeger?: JaegerServer;
  stop(): Promise<void>;
}

interface StackRecord {
  pid: number;
  /** The supervisor's identity (pid and start time): a reused pid is not taken for it. */
  owner?: ProcessIdentity;
  startedAt: string;
  endpoints: StackEndpoints;
}

export interface StartStackOptions {
  /** Where data and logs go; default <state>/data (tests pass a temporary folder). */
  dataDir?: string;
  /** Record the stack in <state>/stack.json for other commands to find (off for test stacks). */
  record?: boolean;
  /** Start Jaeger (default: config.stack.manage.jaeger; test stacks pass false unless they trace). */
  jaeger?: boolean;
}

/** A stack already started by another process of this project, if its owner is still alive. */
export function findRunningStack(config: AppConfig): StackRecord | undefined {
  try {
    const rec = JSON.parse(readFileSync(recordFile(config), 'utf8')) as StackRecord;
    return isSameProcess(rec.owner ?? identityOf(rec.pid)) ? rec : undefined;
  } catch {
    return undefined;
  }
}

export async function startStack(config: AppConfig, log: Logger, options: StartStackOptions = {}): Promise<RunningStack> {
  // Only the recorded stack is one per state folder; test stacks run beside it on their own ports.
  const running = options.record !== false ? findRunningStack(config) : undefined;
  if (running) {
    throw new StackAlreadyRunning(running);
  }
  const dataDir = options.dataDir ?? path.join(config.stack.stateDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  await reclaimLeftovers(dataDir, log);
  const started: Array<{ stop(): Promise<void> }> = [];
  const manage = config.stack.manage;
  const stopAll = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
  };
  try {
    const withJaeger = options.jaeger ?? manage.jaeger;
    // The four start in parallel: a first start is dominated by the Temporal CLI build, a cached one by the JVM.
    // allSettled, not all: a piece still starting when another fails must be tracked before cleanup.
    const results = await Promise.allSettled([
      manage.temporal ? track(started, startTemporal(config.stack, dataDir, log.child('temporal')), (t) => t.process) : undefined,
      manage.kafka ? track(started, startKafka(config.stack, config.kafka, dataDir, log.child('kafka')), (k) => k.process) : undefined,
      manage.postgres ? track(started, startPostgres(config.stack, dataDir, log.child('postgres')), (p) => p) : undefined,
      withJaeger ? track(started, startJaeger(config.stack, dataDir, log.child('jaeger')), (j) => j.process) : undefined,
    ] as const);
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    const [temporal, kafka, postgres, jaeger] = results.map((r) => (r.status === 'fulfilled' ? r.value : undefined)) as [
      TemporalServer | undefined,
      KafkaServer | undefined,
      PostgresServer | undefined,
      JaegerServer | undefined,
    ];
    const endpoints: StackEndpoints = {
      TEMPORAL_ADDRESS: temporal?.address ?? config.temporal.address,
      TEMPORAL_UI_URL: temporal?.uiUrl ?? config.temporal.uiUrl,
      KAFKA_BROKERS: (kafka?.brokers ?? config.kafka.brokers).join(','),
      DATABASE_URL: postgres?.url ?? config.database.url,
      ...(jaeger ? { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl, JAEGER_QUERY_URL: jaeger.uiUrl, ...(jaeger.hasUi ? { JAEGER_UI_URL: jaeger.uiUrl } : {}) } : {}),
    };
    if (options.record !== false) writeRecord(config, endpoints);
    let stopped = false;
    return {
      endpoints,
      ...(temporal ? { temporal } : {}),
      ...(kafka ? { kafka } : {}),
      ...(postgres ? { postgres } : {}),
      ...(jaeger ? { jaeger } : {}),
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
        if (options.record !== false) rmSync(recordFile(config), { force: true });
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Remembers what to stop as soon as a piece is up, so a failure elsewhere still cleans it up. */
async function track<T>(list: Array<{ stop(): Promise<void> }>, starting: Promise<T>, stopper: (t: T) => { stop(): Promise<void> }): Promise<T> {
  const value = await starting;
  list.push(stopper(value));
  return value;
}

export class StackAlreadyRunning extends Error {
  constructor(readonly record: StackRecord) {
    super(`the local stack is already running (pid ${record.pid}, since ${record.startedAt})`);
    this.name = 'StackAlreadyRunning';
  }
}

function recordFile(config: AppConfig): string {
  return path.join(config.stack.stateDir, 'stack.json');
}

function writeRecord(config: AppConfig, endpoints: StackEndpoints): void {
  const rec: StackRecord = { pid: process.pid, ...optional('owner', identityOf(process.pid)), startedAt: new Date().toISOString(), endpoints };
  mkdirSync(config.stack.stateDir, { recursive: true });
  // 0600: the record holds the database URL with its password.
  writeFileSync(recordFile(config), JSON.stringify(rec, null, 2), { mode: 0o600 });
}

/** The endpoints as lines for a terminal, password hidden. */
export function describeEndpoints(e: StackEndpoints): string {
  return [
    `  Temporal      ${e.TEMPORAL_ADDRESS}`,
    `  Temporal UI   ${e.TEMPORAL_UI_URL}`,
    `  Kafka         ${e.KAFKA_BROKERS}`,
    `  Postgres      ${redactUrl(e.DATABASE_URL)}`,
    ...(e.JAEGER_UI_URL ? [`  Jaeger UI     ${e.JAEGER_UI_URL}`] : e.JAEGER_QUERY_URL ? [`  Jaeger API    ${e.JAEGER_QUERY_URL}/api/traces?service=order-generator&tags={"order.id":"<order_id>"} (no UI pages in this build)`] : []),
    ...(e.OTEL_EXPORTER_OTLP_ENDPOINT ? [`  OTLP traces   ${e.OTEL_EXPORTER_OTLP_ENDPOINT} (HTTP)`] : []),
  ].join('\n');
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
