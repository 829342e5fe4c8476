/**
 * The tracing module without servers: off (no endpoint) starts and loads nothing; on, a span goes
 * out over OTLP/HTTP to the configured URL with the process's service name, and a Kafka message's
 * `traceparent` (beside the event id) carries the send span's context to whoever extracts it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { HEADERS } from '../../src/domain/order.js';
import { orderMessage } from '../../src/kafka/order-producer.js';
import { contextFromHeaders, SERVICE_NAMES, startTracing, traceHeadersOf, TRACEPARENT_HEADER } from '../../src/telemetry/tracing.js';
import { terminalOrders } from '../support/orders.js';

const sampleOrder = () => (terminalOrders(1)[0] as { order: import('../../src/domain/order.js').Order }).order;

/** An OTLP/HTTP receiver on a free port that keeps what it is sent. */
async function otlpReceiver(): Promise<{ tracesUrl: string; bodies: Array<{ url: string; body: string }>; close(): void }> {
  const bodies: Array<{ url: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('latin1')));
    req.on('end', () => {
      bodies.push({ url: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { tracesUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, bodies, close: () => server.close() };
}

describe('tracing', () => {
  test('off: startTracing returns nothing, and a worker-side import of the module loads no SDK', async () => {
    assert.equal(await startTracing(undefined, 'worker'), undefined);
    const probe = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "await import('./src/telemetry/tracing.ts'); await import('./src/workers/order-worker.ts'); await import('./src/bridge/bridge.ts'); await import('./src/generator/workflow-starter.ts'); const loaded = Object.keys((await import('node:module')).createRequire(import.meta.url).cache).filter((f) => /@opentelemetry[\\\\/](sdk-trace|exporter)|interceptors-opentelemetry/.test(f)); console.log(JSON.stringify(loaded));"],
      { encoding: 'utf8' },
    );
    assert.equal(probe.status, 0, probe.stderr);
    assert.deepEqual(JSON.parse(probe.stdout.trim().split('\n').at(-1) ?? 'null'), []);
  });

  test('on: spans reach the OTLP/HTTP endpoint under the service name; traceparent round-trips through a message', async () => {
    const receiver = await otlpReceiver();
    const { bodies } = receiver;
    try {
      const tracing = await startTracing({ tracesUrl: receiver.tracesUrl, sampler: { kind: 'parentbased_always_on', ratio: 1 } }, 'worker');
      assert.ok(tracing);
      const span = tracing.tracer.startSpan('send unpaid_orders');
      const headers = traceHeadersOf(span);
      assert.match(headers[TRACEPARENT_HEADER] ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const message = orderMessage({ topic: 'unpaid', stage: 'place', eventId: 'order-1:place', order: sampleOrder() }, headers);
      assert.equal(message.headers?.[HEADERS.eventId], 'order-1:place');
      const extracted = trace.getSpanContext(contextFromHeaders({ [TRACEPARENT_HEADER]: String(message.headers?.[TRACEPARENT_HEADER]) }));
      assert.equal(extracted?.traceId, span.spanContext().traceId);
      assert.equal(extracted?.spanId, span.spanContext().spanId);
      span.end();
      await tracing.shutdown();
      assert.equal(bodies.length, 1);
      assert.equal(bodies[0]?.url, '/v1/traces');
      assert.ok(bodies[0]?.body.includes(SERVICE_NAMES.worker), 'the export names the service');
      assert.ok(bodies[0]?.body.includes('send unpaid_orders'), 'the export holds the span');
    } finally {
      receiver.close();
    }
  });

  test('sampling: an order left out is not recorded and says so downstream; tracing starts again after a shutdown', async () => {
    const receiver = await otlpReceiver();
    const { tracesUrl } = receiver;
    try {
      const none = await startTracing({ tracesUrl, sampler: { kind: 'parentbased_traceidratio', ratio: 0 } }, 'generator');
      assert.ok(none);
      const root = none.tracer.startSpan('start order');
      assert.equal(root.isRecording(), false);
      // The worker and bridge follow the flag (parent-based): 00 = not sampled.
      assert.match(traceHeadersOf(root)[TRACEPARENT_HEADER] ?? '', /-00$/);
      root.end();
      await none.shutdown();
      const every = await startTracing({ tracesUrl, sampler: { kind: 'parentbased_always_on', ratio: 1 } }, 'generator');
      assert.ok(every);
      const span = every.tracer.startSpan('start order again');
      assert.equal(span.isRecording(), true);
      assert.match(traceHeadersOf(span)[TRACEPARENT_HEADER] ?? '', /-01$/);
      span.end();
      await every.shutdown();
      const bodies = receiver.bodies.map((b) => b.body);
      assert.equal(bodies.length, 1, 'only the second provider exported');
      assert.ok(bodies[0]?.includes('start order again'));
      assert.ok(!bodies[0]?.includes('start order"'));
    } finally {
      receiver.close();
    }
  });

  test('a message without trace headers is unchanged beside its event id', () => {
    const message = orderMessage({ topic: 'unpaid', stage: 'place', eventId: 'order-1:place', order: sampleOrder() });
    assert.deepEqual(Object.keys(message.headers ?? {}).sort(), [HEADERS.eventId, HEADERS.schemaVersion, HEADERS.stage].sort());
  });
});
