/**
 * The bridge: a Kafka consumer group on finished_orders and failed_orders that writes each order
 * into Postgres, one transaction per chunk, and commits a partition's offset only after the rows
 * before it are committed in the database. So a crash anywhere replays messages (the upserts make
 * that harmless) and never skips one. Invalid messages (and messages of a schema-version this
 * bridge does not read) are dead-lettered; an unreachable Postgres is waited for, with a log line
 * naming it. A consumer that kafkajs will not restart ends the bridge (`failed`), so a supervisor
 * restarts the process instead of it living on consuming nothing. ksqlDB is fed in the background:
 * while it is down the Postgres sink goes on.
 */
import type { Tracer } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import { redactUrl, type AppConfig } from '../config/config.js';
import { migrate } from '../db/migrate.js';
import { createPool, databaseAddress, type Pool } from '../db/pool.js';
import { HEADERS, ORDER_SCHEMA_VERSION, type Order } from '../domain/order.js';
import { checkOrderFor } from '../domain/order-schema.js';
import { createKafka } from '../kafka/client.js';
import { isSelfRecovering } from '../logging/kafka-log.js';
import { describeError, type Logger } from '../logging/logger.js';
import { ChunkSpans } from './chunk-spans.js';
import { deadLetterRow, sendDeadLetters, type Rejected } from './dead-letter.js';
import { applyKsqlInBackground } from './ksql.js';
import type { BridgeMetrics } from './metrics.js';
import { fetchConsumerLag } from '../kafka/consumer-lag.js';
import { writeBatchInTransaction, type SinkRow } from './sink.js';

export interface BridgeOptions {
  /** Consumer group; default config.kafka.bridgeGroupId. */
  groupId?: string;
  /** Tracing on: consume and Postgres-write spans continuing each order's trace (chunk-spans.ts); undefined = off. */
  tracer?: Tracer;
  /** Metrics on: counts, timings and the consumer lag (metrics.ts); undefined = off. */
  metrics?: BridgeMetrics;
}

export interface Bridge {
  /** Stops consuming after the chunk in hand is written and committed, then closes everything. */
  stop(): Promise<void>;
  /**
   * Settles (never rejects) with why, if the Kafka consumer stops for good without stop() having
   * been called: a crash kafkajs will not restart, or a stop nobody asked for. The caller then
   * stops the bridge and exits non-zero, for its supervisor to start a fresh one.
   */
  readonly failed: Promise<Error>;
}

const MAX_BACKOFF_MS = 10_000;

/** Which lifecycle topic a consumed message came from: the bridge reads the two terminal ones. */
export type TerminalTopicKind = 'finished' | 'failed';

export type Validation = { ok: true; order: Order } | { ok: false; reason: string };

/**
 * One raw message value from a terminal topic: an order the order schema lets onto that topic, or
 * the reason to dead-letter it (the schema's reason, the same the workflow and activities give).
 */
export function validateOrderMessage(value: Buffer | null, kind: TerminalTopicKind, maxBytes: number): Validation {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty message (no value)' };
  if (value.length > maxBytes) return { ok: false, reason: `message of ${value.length} bytes is over the limit of ${maxBytes} (KAFKA_MAX_MESSAGE_BYTES)` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const checked = checkOrderFor(kind, parsed);
  return checked.ok ? checked : { ok: false, reason: checked.problem };
}

/** Errors that mean "the database is not there right now" rather than "this data is wrong". */
export function isTransientDbError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  // SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention (shutdown), 40 rollback (serialization, deadlock).
  if (/^(08|53|57|40)/.test(code)) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(message);
}

/**
 * Errors that mean "this row is wrong" (SQLSTATE 22 data exception, 23 integrity violation): only
 * those may send an order to the dead-letter topic. Any other database error — permission denied,
 * a missing table or column — is the database's set-up, not the order's fault: the write waits
 * and is retried, uncommitted, until the set-up is fixed.
 */
export function isOrderDataError(err: unknown): boolean {
  return /^(22|23)/.test((err as { code?: string }).code ?? '');
}

interface Accepted {
  row: SinkRow;
  message: KafkaMessage;
}

interface DbWaitContext {
  log: Logger;
  address: string;
  keepAlive?: () => Promise<void>;
  running: () => boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why a failed write is retried rather than blamed on the data; undefined: it is the data. */
function reasonToWaitForWrite(err: unknown): string | undefined {
  if (isTransientDbError(err)) return 'did not take the write';
  const sqlState = (err as { code?: string }).code ?? '';
  if (/^[0-9A-Z]{5}$/.test(sqlState) && !isOrderDataError(err)) return 'refused the write for a reason that is not the data (grants? schema?); the orders wait until it is fixed';
  return undefined;
}

const reasonToWaitForDatabase = (err: unknown): string | undefined => (isTransientDbError(err) ? 'did not answer' : undefined);

/** Runs `work` until it succeeds, waiting (with a log line) while `reasonToWait` names a reason. */
async function untilDatabaseAnswers<T>(work: () => Promise<T>, ctx: DbWaitContext, reasonToWait = reasonToWaitForDatabase): Promise<T> {
  let backoff = 500;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      const reason = reasonToWait(err);
      if (reason === undefined || !ctx.running()) throw err;
      ctx.log.warn(`Postgres at ${ctx.address} ${reason} (${describeError(err)}); waiting, retry in ${Math.round(backoff / 1000)} s`);
      await sleep(backoff);
      await ctx.keepAlive?.();
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}

function headerOf(m: KafkaMessage, name: string): string | undefined {
  const header = m.headers?.[name];
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined ? undefined : value.toString();
}

function eventIdOf(topic: string, partition: number, m: KafkaMessage): string {
  return headerOf(m, HEADERS.eventId) || `${topic}:${partition}:${m.offset}`;
}

/**
 * Why a message's schema-version header rules it out, or undefined when this bridge reads it. A
 * message without the header is read as the current version (hand-made and older messages have
 * none); one with a version this bridge does not know is not guessed at.
 */
export function schemaVersionProblem(m: KafkaMessage): string | undefined {
  const version = headerOf(m, HEADERS.schemaVersion);
  if (version === undefined || version === ORDER_SCHEMA_VERSION) return undefined;
  return `${HEADERS.schemaVersion} ${JSON.stringify(version)} is not one this bridge reads (it reads ${ORDER_SCHEMA_VERSION})`;
}

class BridgeRunner {
  private running = true;
  private readonly address: string;

  constructor(
    private readonly config: AppConfig,
    private readonly log: Logger,
    private readonly pool: Pool,
    private readonly consumer: Consumer,
    private readonly producer: Producer,
    private readonly tracer: Tracer | undefined,
    private readonly metrics: BridgeMetrics | undefined,
  ) {
    this.address = databaseAddress(config.database.url);
  }

  kindOf(topic: string): TerminalTopicKind {
    return topic === this.config.kafka.topics.finished ? 'finished' : 'failed';
  }

  async handleBatch({ batch, heartbeat, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const size = this.config.bridge.batchSize;
    for (let i = 0; i < batch.messages.length; i += size) {
      if (!isRunning() || isStale() || !this.running) return;
      const chunk = batch.messages.slice(i, i + size);
      const endTimer = this.metrics?.chunkSeconds.startTimer();
      this.metrics?.consumed.inc({ topic: batch.topic }, chunk.length);
      await this.writeChunk(batch.topic, batch.partition, chunk, heartbeat);
      const last = chunk[chunk.length - 1] as KafkaMessage;
      // Committed only now that Postgres has the rows: a crash before this line replays the chunk.
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      resolveOffset(last.offset);
      endTimer?.();
      await heartbeat();
    }
  }

  private async writeChunk(topic: string, partition: number, chunk: KafkaMessage[], heartbeat: () => Promise<void>): Promise<void> {
    const spans = this.tracer ? new ChunkSpans(this.tracer, topic, partition) : undefined;
    try {
      await this.writeChunkTraced(topic, partition, chunk, heartbeat, spans);
    } finally {
      spans?.end();
    }
  }

  private async writeChunkTraced(topic: string, partition: number, chunk: KafkaMessage[], heartbeat: () => Promise<void>, spans: ChunkSpans | undefined): Promise<void> {
    const kind = this.kindOf(topic);
    const accepted: Accepted[] = [];
    const rejected: Rejected[] = [];
    for (const m of chunk) {
      if (spans) spans.consumed({ message: m, eventId: eventIdOf(topic, partition, m), ...(m.key ? { orderId: m.key.toString() } : {}) });
      const unreadable = schemaVersionProblem(m);
      if (unreadable) {
        rejected.push({ topic, partition, message: m, reason: unreadable });
        continue;
      }
      const v = validateOrderMessage(m.value, kind, this.config.kafka.maxMessageBytes);
      if (v.ok) accepted.push({ row: { order: v.order, eventId: eventIdOf(topic, partition, m) }, message: m });
      else rejected.push({ topic, partition, message: m, reason: v.reason });
    }
    const ctx = { log: this.log, address: this.address, keepAlive: heartbeat, running: () => this.running };
    spans?.writing(accepted.map((a) => ({ message: a.message, orderId: a.row.order.order_id })));
    try {
      await this.timedWrite(() => untilDatabaseAnswers(() => writeBatchInTransaction(this.pool, accepted.map((a) => a.row), rejected.map(deadLetterRow)), ctx, reasonToWaitForWrite));
      this.metrics?.rowsWritten.inc({ topic }, accepted.length);
    } catch (err) {
      if (!isOrderDataError(err)) {
        spans?.writeFailed(err);
        throw err;
      }
      // The database refused valid-looking data: find the orders it refuses, one by one, and dead-letter those.
      await this.writeOneByOne(topic, partition, accepted, rejected, ctx);
    }
    if (rejected.length > 0) {
      for (const r of rejected) spans?.deadLettered(r.message, r.reason);
      await sendDeadLetters(this.producer, this.config.kafka.topics.deadLetter, rejected);
      this.metrics?.deadLetters.inc({ topic }, rejected.length);
      for (const r of rejected) this.log.warn(`dead-lettered ${topic}[${partition}]@${r.message.offset}: ${r.reason}`);
    }
  }

  private async writeOneByOne(topic: string, partition: number, accepted: Accepted[], rejected: Rejected[], ctx: DbWaitContext): Promise<void> {
    for (const { row, message } of accepted) {
      try {
        await this.timedWrite(() => untilDatabaseAnswers(() => writeBatchInTransaction(this.pool, [row]), ctx, reasonToWaitForWrite));
        this.metrics?.rowsWritten.inc({ topic });
      } catch (err) {
        if (!isOrderDataError(err)) throw err;
        rejected.push({ topic, partition, message, reason: `database refused the order: ${describeError(err)}` });
      }
    }
    await this.timedWrite(() => untilDatabaseAnswers(() => writeBatchInTransaction(this.pool, [], rejected.map(deadLetterRow)), ctx, reasonToWaitForWrite));
  }

  /** Runs a write, its time (waits for an unreachable Postgres included) in the Postgres histogram. */
  private async timedWrite(write: () => Promise<void>): Promise<void> {
    const endTimer = this.metrics?.postgresSeconds.startTimer();
    try {
      await write();
    } finally {
      endTimer?.();
    }
  }

  stopSoon(): void {
    this.running = false;
  }
}

async function prepareDatabase(config: AppConfig, pool: Pool, log: Logger): Promise<void> {
  const address = databaseAddress(config.database.url);
  const applied = await untilDatabaseAnswers(() => migrate(pool), { log, address, running: () => true });
  log.info(applied.length > 0 ? `applied migrations ${applied.join(', ')} on ${address}` : `schema of ${address} is up to date`);
}

/**
 * Settles when the consumer stops for good: a CRASH that kafkajs will not restart (a non-retriable
 * error such as an incompatible group protocol or an authorisation failure), or a STOP that the
 * bridge did not ask for. A crash kafkajs restarts itself is only logged.
 */
function watchConsumer(consumer: Consumer, log: Logger, stopping: () => boolean): Promise<Error> {
  return new Promise<Error>((resolve) => {
    // kafkajs stops the consumer (STOP) before it reports the crash (CRASH) and decides whether to
    // restart it: a STOP means "stopped for good" only if no CRASH follows within this grace.
    let pendingStop: NodeJS.Timeout | undefined;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      clearTimeout(pendingStop);
      if (stopping()) return;
      if (payload.restart) {
        const line = `the Kafka consumer crashed (${describeError(payload.error)}); kafkajs restarts it`;
        // A coordinator still loading on a fresh broker is routine; anything else is worth a warning.
        if (isSelfRecovering(line)) log.debug(line);
        else log.warn(line);
        return;
      }
      resolve(new Error(`the Kafka consumer of group ${payload.groupId} crashed and will not restart: ${describeError(payload.error)}`));
    });
    consumer.on(consumer.events.STOP, () => {
      if (stopping()) return;
      clearTimeout(pendingStop);
      pendingStop = setTimeout(() => {
        if (!stopping()) resolve(new Error('the Kafka consumer stopped and kafkajs did not restart it'));
      }, STOP_WITHOUT_CRASH_GRACE_MS);
    });
  });
}

/** How long a STOP may wait for the CRASH that explains it (kafkajs emits them back to back). */
const STOP_WITHOUT_CRASH_GRACE_MS = 5_000;

export async function startBridge(config: AppConfig, log: Logger, options: BridgeOptions = {}): Promise<Bridge> {
  const pool = createPool(config.database, { applicationName: 'order-bridge', max: config.bridge.partitionsConsumedConcurrently + 2 });
  await prepareDatabase(config, pool, log);
  // In the background: ksqlDB being down or slow never holds up the Postgres sink.
  const ksql = config.ksqldbUrl ? applyKsqlInBackground(config.ksqldbUrl, log.child('ksql')) : undefined;
  if (!ksql) log.info('ksqlDB is off (KSQLDB_URL not set)');
  const kafka = createKafka(config.kafka, { logLevel: config.logLevel, clientIdSuffix: 'bridge' });
  const groupId = options.groupId ?? config.kafka.bridgeGroupId;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, retry: { retries: 20 } });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const topics = [config.kafka.topics.finished, config.kafka.topics.failed];
  const admin = options.metrics ? kafka.admin() : undefined;
  try {
    await producer.connect();
    await consumer.connect();
    await admin?.connect();
    // A new group starts at the earliest offset: orders produced before the first bridge started are not lost.
    await consumer.subscribe({ topics, fromBeginning: true });
  } catch (err) {
    ksql?.stop();
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), pool.end(), admin?.disconnect()]);
    throw new Error(`the bridge cannot use Kafka at ${config.kafka.brokers.join(',')}: ${describeError(err)}`, { cause: err });
  }
  if (admin) options.metrics?.watchLag(() => fetchConsumerLag(admin, groupId, topics));
  const runner = new BridgeRunner(config, log, pool, consumer, producer, options.tracer, options.metrics);
  let stopping = false;
  const failed = watchConsumer(consumer, log, () => stopping);
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: config.bridge.partitionsConsumedConcurrently,
    eachBatch: (payload) => runner.handleBatch(payload),
  });
  log.info(`consuming ${config.kafka.topics.finished}, ${config.kafka.topics.failed} as group ${groupId} into ${redactUrl(config.database.url)}`);
  let stopped: Promise<void> | undefined;
  return {
    failed,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        runner.stopSoon();
        ksql?.stop();
        await consumer.disconnect();
        await producer.disconnect();
        options.metrics?.watchLag(undefined);
        await admin?.disconnect();
        await pool.end();
        log.info('bridge stopped');
      })();
      return stopped;
    },
  };
}
