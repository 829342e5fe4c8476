/**
 * The bridge's Prometheus metrics (served by src/telemetry/metrics-server.ts when
 * BRIDGE_METRICS_PORT is set). The consumer lag is read from Kafka at each scrape with the one lag
 * definition the dashboard uses too (src/kafka/consumer-lag.ts), so it is right even while the
 * bridge is stuck: it does not come from the consumer's own idea of where it is.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConsumerLag } from '../kafka/consumer-lag.js';
import { describeError, type Logger } from '../logging/logger.js';

/** From a quick chunk (milliseconds) to a write waiting out a Postgres restart (a minute). */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class BridgeMetrics {
  readonly registry = new Registry();
  private readLag?: () => Promise<ConsumerLag>;

  readonly consumed = new Counter({ name: 'bridge_orders_consumed_total', help: 'Messages consumed from the terminal topics (valid or not).', labelNames: ['topic'], registers: [this.registry] });
  readonly rowsWritten = new Counter({ name: 'bridge_rows_written_total', help: 'Orders written (upserted) into Postgres.', labelNames: ['topic'], registers: [this.registry] });
  readonly deadLetters = new Counter({ name: 'bridge_dead_letters_total', help: 'Messages sent to the dead-letter topic.', labelNames: ['topic'], registers: [this.registry] });
  readonly chunkSeconds = new Histogram({
    name: 'bridge_batch_duration_seconds',
    help: 'One chunk of a batch, from validation to its offset committed in Kafka.',
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly postgresSeconds = new Histogram({
    name: 'bridge_postgres_wait_seconds',
    help: "Time a chunk's write waited on Postgres, retries of an unreachable database included.",
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly lagReadErrors = new Counter({ name: 'bridge_consumer_lag_read_errors_total', help: 'Scrapes whose lag could not be read from Kafka.', registers: [this.registry] });

  private readonly lag = new Gauge({
    name: 'bridge_consumer_lag',
    help: "Messages of a topic-partition the bridge's group has not committed yet (high watermark minus committed offset), read from Kafka at each scrape.",
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
    collect: () => this.collectLag(),
  });

  constructor(private readonly log: Logger) {
    collectDefaultMetrics({ register: this.registry });
  }

  private async collectLag(): Promise<void> {
    // No stale numbers: a failed read leaves the gauge empty and counts the failure.
    this.lag.reset();
    if (!this.readLag) return;
    try {
      const lag = await this.readLag();
      for (const p of lag.partitions) this.lag.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
    } catch (err) {
      this.lagReadErrors.inc();
      this.log.warn(`consumer lag for the metrics: ${describeError(err)}`);
    }
  }

  /** Where the lag gauge reads from; set once the bridge's Kafka admin is connected. */
  watchLag(read: (() => Promise<ConsumerLag>) | undefined): void {
    this.readLag = read;
  }
}
