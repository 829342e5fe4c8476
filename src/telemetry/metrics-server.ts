/**
 * A Prometheus `/metrics` endpoint on node:http for one prom-client registry (the bridge's, the
 * generator's). The worker does not use it: the Temporal SDK's runtime serves its own metrics.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { describeError, type Logger } from '../logging/logger.js';

export interface MetricsServer {
  /** http://host:port/metrics */
  readonly url: string;
  stop(): Promise<void>;
}

/** http://host:port/metrics (an IPv6 host in brackets). */
export function metricsUrl(host: string, port: number | undefined): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
}

/** Serves `registry` on http://host:port/metrics; a port in use is an error naming the address and the setting. */
export async function serveMetrics(registry: Registry, host: string, port: number, setting: string, log: Logger): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => {
        log.warn(`metrics at ${host}:${port}: ${describeError(err)}`);
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${describeError(err)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `the port is in use (set ${setting})` : describeError(err);
      reject(new Error(`the metrics endpoint cannot listen on ${host}:${port}: ${why}`, { cause: err }));
    });
    server.listen(port, host, () => resolve());
  });
  const url = metricsUrl(host, (server.address() as AddressInfo).port);
  log.info(`metrics at ${url}`);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
