/**
 * The one Kafka producer of a worker process: every lifecycle activity sends through it. It
 * connects on the first send (so a worker starts even while Kafka is still coming up), reconnects
 * after a lost connection, and waits for all in-sync replicas (acks = -1) before a send resolves,
 * so an activity that completed has really stored its message. A failed send throws: the activity
 * fails and Temporal retries it with the same message and the same event id. Sends made at the same
 * time share produce requests (group commit, see pump()).
 *
 * With tracing on, each send is a PRODUCER span (child of the activity's span) and its message
 * carries the span's W3C `traceparent` header beside the event id, so the bridge continues the
 * order's trace.
 *
 * kafkajs marks its idempotent producer experimental, so it stays off: a retried send may
 * duplicate a message, and consumers deduplicate by key and event id.
 */
import { SpanKind, type Tracer } from '@opentelemetry/api';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { KafkaConfig, KafkaTopics, LogLevel } from '../config/config.js';
import { HEADERS, ORDER_SCHEMA_VERSION, type Order, type Stage } from '../domain/order.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../logging/logger.js';
import { ATTR, inSpan, traceHeadersOf } from '../telemetry/tracing.js';
import { createKafka } from './client.js';

/** Wait for every in-sync replica: a message acknowledged is a message kept. */
const ACKS_ALL = -1;
/** Broker-side wait for the acks; shorter than the activity's start-to-close timeout. */
const SEND_TIMEOUT_MS = 10_000;
/** kafkajs's own retries stay few: Temporal retries the whole activity with backoff. */
const KAFKAJS_RETRIES = 2;

/** The lifecycle topics a stage can emit to (the dead-letter topic belongs to the bridge). */
export type LifecycleTopic = Exclude<keyof KafkaTopics, 'deadLetter'>;

export interface OrderEvent {
  topic: LifecycleTopic;
  stage: Stage;
  /** `<workflowId>:<stage>`: the same on every retry of the step. */
  eventId: string;
  order: Order;
  /** The activity's attempt (1, 2, … on retries): a send span attribute only, not in the message. */
  attempt?: number;
}

/**
 * The Kafka message of a lifecycle event: key = order id, value = the order document as JSON;
 * `traceHeaders` (the send span's traceparent) only when tracing is on.
 */
export function orderMessage(event: OrderEvent, traceHeaders: Record<string, string> = {}): Message {
  return {
    key: event.order.order_id,
    value: JSON.stringify(event.order),
    headers: {
      [HEADERS.eventId]: event.eventId,
      [HEADERS.stage]: event.stage,
      [HEADERS.schemaVersion]: ORDER_SCHEMA_VERSION,
      ...traceHeaders,
    },
  };
}

/** `<workflowId>:<stage>`, the event id header (docs/order-document.md). */
export function eventIdOf(workflowId: string, stage: Stage): string {
  return `${workflowId}:${stage}`;
}

export interface OrderProducerOptions {
  logger?: Logger;
  /** kafkajs's own log level (its errors are also in the thrown errors); default warn. */
  kafkaLogLevel?: LogLevel | 'silent';
  /** A prebuilt client; default: createKafka(config). */
  kafka?: Kafka;
  /** Tracing on: a span per send and its traceparent in the message; undefined = off. */
  tracer?: Tracer;
}

interface QueuedSend {
  event: OrderEvent;
  topic: string;
  traceHeaders: Record<string, string> | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class OrderProducer {
  private readonly producer: Producer;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private queue: QueuedSend[] = [];
  private inFlight = 0;

  private readonly log: Logger | undefined;
  private readonly tracer: Tracer | undefined;

  constructor(
    private readonly config: KafkaConfig,
    options: OrderProducerOptions = {},
  ) {
    this.log = options.logger;
    this.tracer = options.tracer;
    const kafka = options.kafka ?? createKafka(config, { clientIdSuffix: 'worker', retries: KAFKAJS_RETRIES, logLevel: options.kafkaLogLevel ?? 'warn' });
    this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false, retry: { retries: KAFKAJS_RETRIES } });
    // A dropped connection (broker restart, network) makes the next send connect again.
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connecting = undefined;
    });
  }

  private get brokers(): string {
    return this.config.brokers.join(',');
  }

  /** Connects once; concurrent callers share the attempt, and a failed attempt is retried next time. */
  private connect(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the order producer is closed'));
    this.connecting ??= this.producer.connect().catch((err: unknown) => {
      this.connecting = undefined;
      throw new Error(`cannot connect to Kafka at ${this.brokers}: ${describeError(err)}`, { cause: err });
    });
    return this.connecting;
  }

  /** Sends one lifecycle event and resolves once all in-sync replicas have it; throws otherwise. */
  async send(event: OrderEvent): Promise<void> {
    if (!this.tracer) return this.sendTraced(event, undefined);
    const topic = this.config.topics[event.topic];
    const attributes = {
      [ATTR.orderId]: event.order.order_id,
      [ATTR.eventId]: event.eventId,
      [ATTR.stage]: event.stage,
      ...(event.attempt !== undefined ? { [ATTR.attempt]: event.attempt } : {}),
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.destination.name': topic,
    };
    await inSpan(this.tracer, `send ${topic}`, { kind: SpanKind.PRODUCER, attributes }, (span) => this.sendTraced(event, traceHeadersOf(span)));
  }

  private async sendTraced(event: OrderEvent, traceHeaders: Record<string, string> | undefined): Promise<void> {
    await this.connect();
    const topic = this.config.topics[event.topic];
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ event, topic, traceHeaders, resolve, reject });
      this.pump();
    });
    this.log?.debug(`sent order ${event.order.order_id} to ${topic} (${event.eventId})`);
  }

  /**
   * Group commit instead of a linger timer: sends that arrive while KAFKA_PRODUCER_MAX_IN_FLIGHT
   * requests are in flight queue up and then go together in one request (at most
   * KAFKA_PRODUCER_MAX_BATCH messages). An idle producer sends at once (no added latency); under
   * load a request carries many messages instead of one, which saves CPU in the worker and the
   * broker (npm run bench: 2-4x the messages per second of one request per send). Two in flight by
   * default, not one, so a slow request does not hold every other send back.
   */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.config.producerMaxInFlight) {
      const batch = this.queue.splice(0, this.config.producerMaxBatch);
      this.inFlight++;
      void this.sendBatch(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** One request for the batch; every send in it succeeds or fails with it (a retry may duplicate, consumers deduplicate). */
  private async sendBatch(batch: QueuedSend[]): Promise<void> {
    try {
      const byTopic = new Map<string, Message[]>();
      for (const s of batch) {
        const messages = byTopic.get(s.topic) ?? [];
        messages.push(orderMessage(s.event, s.traceHeaders));
        byTopic.set(s.topic, messages);
      }
      await this.producer.sendBatch({ acks: ACKS_ALL, timeout: SEND_TIMEOUT_MS, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (err) {
      for (const s of batch) {
        s.reject(new Error(`cannot send order ${s.event.order.order_id} (${s.event.eventId}) to ${s.topic} on Kafka at ${this.brokers}: ${describeError(err)}`, { cause: err }));
      }
      return;
    }
    for (const s of batch) s.resolve();
  }

  /** Disconnects; later sends fail. Safe to call more than once, and when never connected. */
  async disconnect(): Promise<void> {
    this.closed = true;
    const pending = this.connecting;
    this.connecting = undefined;
    if (!pending) return;
    await pending.catch(() => undefined);
    await this.producer.disconnect();
  }
}
