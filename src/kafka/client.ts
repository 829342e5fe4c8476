/**
 * Builds kafkajs clients from the typed config (plain, TLS, or SASL_SSL as Confluent Cloud uses)
 * and creates the lifecycle topics. Every other module gets its Kafka from here.
 */
import { readFileSync } from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig as KafkaJsConfig, type SASLOptions } from 'kafkajs';
import type { KafkaConfig, LogLevel } from '../config/config.js';
import { kafkaLogCreator } from '../logging/kafka-log.js';
import { createLogger, type Logger } from '../logging/logger.js';

const LEVELS: Record<LogLevel, KafkaLogLevel> = {
  debug: KafkaLogLevel.DEBUG,
  info: KafkaLogLevel.WARN, // kafkajs INFO is chatty (every join/rebalance); keep it for debug runs
  warn: KafkaLogLevel.WARN,
  error: KafkaLogLevel.ERROR,
};

export interface CreateKafkaOptions {
  logLevel?: LogLevel | 'silent';
  clientIdSuffix?: string;
  /** Connection retries before giving up (default 8, about a minute of backoff). */
  retries?: number;
}

export function createKafka(config: KafkaConfig, options: CreateKafkaOptions = {}): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const js: KafkaJsConfig = {
    clientId: options.clientIdSuffix ? `${config.clientId}-${options.clientIdSuffix}` : config.clientId,
    brokers: config.brokers,
    logLevel: options.logLevel === 'silent' ? KafkaLogLevel.NOTHING : LEVELS[options.logLevel ?? 'warn'],
    // One readable line per entry; the noise kafkajs recovers from by itself goes to debug.
    logCreator: kafkaLogCreator(createLogger(`kafka${options.clientIdSuffix ? `/${options.clientIdSuffix}` : ''}`, options.logLevel === 'silent' ? 'error' : (options.logLevel ?? 'warn'))),
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: options.retries ?? 8 },
  };
  if (config.ssl) {
    js.ssl = config.ssl.caPath ? { ca: [readFileSync(config.ssl.caPath, 'utf8')] } : true;
  }
  if (config.sasl) {
    js.sasl = { mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password } as SASLOptions;
  }
  return new Kafka(js);
}

/** Creates the five lifecycle topics and the dead-letter topic if missing; safe to call every start. */
export async function ensureTopics(kafka: Kafka, config: KafkaConfig, log?: Logger): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const wanted = Object.values(config.topics).filter((t) => !existing.has(t));
    if (wanted.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({ topic, numPartitions: config.topicPartitions, replicationFactor: -1 })),
    });
    log?.info(`created topics ${wanted.join(', ')} (${config.topicPartitions} partitions)`);
  } catch (err) {
    throw new Error(`cannot create topics on Kafka at ${config.brokers.join(',')}: ${(err as Error).message}`, { cause: err });
  } finally {
    await admin.disconnect();
  }
}
