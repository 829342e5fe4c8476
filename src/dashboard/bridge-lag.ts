/**
 * The bridge's consumer lag for the pipeline strip, read from Kafka with the same definition the
 * bridge's metrics use (src/kafka/consumer-lag.ts): how many finished and failed orders the
 * bridge's group has not committed to Postgres yet, in total and on its worst partition. Kafka
 * being down makes the strip say why, never blocks the page.
 */
import type { Admin } from 'kafkajs';
import type { KafkaConfig } from '../config/config.js';
import { createKafka } from '../kafka/client.js';
import { fetchConsumerLag } from '../kafka/consumer-lag.js';
import { describeError, type Logger } from '../logging/logger.js';

/** Read this often at most, whatever the number of open pages. */
const CACHE_MS = 2_000;

export type BridgeLagView =
  | { available: true; groupId: string; total: number; worst: { topic: string; partition: number; lag: number } | null }
  | { available: false; groupId: string; reason: string };

export class BridgeLagMonitor {
  private admin?: Promise<Admin>;
  private cached?: { at: number; view: BridgeLagView };
  private inFlight?: Promise<BridgeLagView>;
  private closed = false;

  constructor(
    private readonly config: KafkaConfig,
    private readonly log: Logger,
  ) {}

  /** The latest lag, or why there is none. Never throws. */
  read(): Promise<BridgeLagView> {
    if (this.closed) return Promise.resolve({ available: false, groupId: this.config.bridgeGroupId, reason: 'the dashboard is stopping' });
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return Promise.resolve(this.cached.view);
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /**
   * Waits for a read in flight before disconnecting: kafkajs reconnects for a request that is still
   * running on a disconnected client, and that connection would keep the process alive.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.inFlight;
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }

  private async fetch(): Promise<BridgeLagView> {
    const groupId = this.config.bridgeGroupId;
    let view: BridgeLagView;
    try {
      this.admin ??= this.connect();
      const lag = await fetchConsumerLag(await this.admin, groupId, [this.config.topics.finished, this.config.topics.failed]);
      const worst = lag.worst ? { topic: lag.worst.topic, partition: lag.worst.partition, lag: lag.worst.lag } : null;
      view = { available: true, groupId, total: lag.total, worst };
    } catch (err) {
      const reason = `Kafka at ${this.config.brokers.join(',')} did not answer the lag of group ${groupId}: ${describeError(err)}`;
      this.log.warn(reason);
      // Reconnect next time: the broker may have restarted.
      await this.disconnect();
      view = { available: false, groupId, reason };
    }
    this.cached = { at: Date.now(), view };
    return view;
  }

  private async connect(): Promise<Admin> {
    // Few retries: the page asks again in a few seconds anyway.
    const admin = createKafka(this.config, { logLevel: 'error', clientIdSuffix: 'dashboard', retries: 1 }).admin();
    await admin.connect();
    return admin;
  }
}
