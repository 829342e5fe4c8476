/**
 * The one Kafka producer of a worker process: every lifecycle activity sends through it. It
 * connects on the first send (so a worker starts even while Kafka is still coming up), reconnects
 * after a lost connection, and waits for all in-sync replicas (acks = -1) before a send resolves,
 * so an activity that completed has really stored its message. A failed send throws: the activity
 * fails and Temporal retries it with the same message and the same event id.
 *
 * kafkajs's idempotent producer is experimental (DESIGN.md), so it stays off: a retried send may
 * duplicate a message, and consumers deduplicate by key and event id.
 */
import type { Kafka, Message, Producer } from 'kafkajs';
import type { KafkaConfig, KafkaTopics, LogLevel } from '../config/config.js';
import { HEADERS, ORDER_SCHEMA_VERSION, type Order, type Stage } from '../domain/order.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../logging/logger.js';
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
}

/** The Kafka message of a lifecycle event: key = order id, value = the order document as JSON. */
export function orderMessage(event: OrderEvent): Message {
  return {
    key: event.order.order_id,
    value: JSON.stringify(event.order),
    headers: {
      [HEADERS.eventId]: event.eventId,
      [HEADERS.stage]: event.stage,
      [HEADERS.schemaVersion]: ORDER_SCHEMA_VERSION,
    },
  };
}

/** `<workflowId>:<stage>`, the event id header of DESIGN.md. */
export function eventIdOf(workflowId: string, stage: Stage): string {
  return `${workflowId}:${stage}`;
}

export interface OrderProducerOptions {
  logger?: Logger;
  /** kafkajs's own log level (its errors are also in the thrown errors); default warn. */
  kafkaLogLevel?: LogLevel | 'silent';
  /** A prebuilt client; default: createKafka(config). */
  kafka?: Kafka;
}

export class OrderProducer {
  private readonly producer: Producer;
  private connecting: Promise<void> | undefined;
  private closed = false;

  private readonly log: Logger | undefined;

  constructor(
    private readonly config: KafkaConfig,
    options: OrderProducerOptions = {},
  ) {
    this.log = options.logger;
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
    await this.connect();
    const topic = this.config.topics[event.topic];
    try {
      await this.producer.send({ topic, acks: ACKS_ALL, timeout: SEND_TIMEOUT_MS, messages: [orderMessage(event)] });
    } catch (err) {
      throw new Error(`cannot send order ${event.order.order_id} (${event.eventId}) to ${topic} on Kafka at ${this.brokers}: ${describeError(err)}`, {
        cause: err,
      });
    }
    this.log?.debug(`sent order ${event.order.order_id} to ${topic} (${event.eventId})`);
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
