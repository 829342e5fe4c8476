/**
 * The metrics endpoints of `npm start`'s services: the ports set in the environment, else free
 * ones picked here (as the test stacks pick theirs), handed to the services as the settings they
 * read, and the lines that print where they are.
 */
import type { MetricsConfig } from '../config/config.js';
import { metricsUrl } from '../telemetry/metrics-server.js';
import { freePort } from './wait.js';

export interface MetricsPorts {
  BRIDGE_METRICS_PORT: string;
  WORKER_METRICS_PORT: string;
  GENERATOR_METRICS_PORT: string;
}

/** Every service's metrics port: the configured one, or a free one on 127.0.0.1. */
export async function metricsPorts(metrics: MetricsConfig): Promise<MetricsPorts> {
  const pick = async (port: number | undefined) => String(port ?? (await freePort()));
  return {
    BRIDGE_METRICS_PORT: await pick(metrics.bridgePort),
    WORKER_METRICS_PORT: await pick(metrics.workerPort),
    GENERATOR_METRICS_PORT: await pick(metrics.generatorPort),
  };
}

/** The endpoints as lines for the start banner. */
export function describeMetrics(metrics: MetricsConfig): string {
  const rows: Array<[string, number | undefined, string]> = [
    ['bridge', metrics.bridgePort, 'consumer lag, rows written, batch and Postgres time'],
    ['worker', metrics.workerPort, "the Temporal SDK's"],
    ['generator', metrics.generatorPort, 'starts and start errors, while it runs'],
  ];
  return rows
    .filter(([, port]) => port !== undefined)
    .map(([name, port, what], i) => `  ${(i === 0 ? 'Metrics' : '').padEnd(14)}${name.padEnd(10)}${metricsUrl(metrics.host, port)} (${what})`)
    .join('\n');
}
