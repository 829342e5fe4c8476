/**
 * One order's trace, end to end, on the real stack: Temporal, Kafka and Postgres of the test stack,
 * and a Jaeger started here by the project's own stack code (src/stack/jaeger.ts). The worker,
 * the bridge and the generator run as their own processes, as deployed, each tracing under its own
 * service name to Jaeger over OTLP/HTTP. The generator starts one order; its trace, fetched from
 * Jaeger's query API by the order id, must hold the generator's start, the workflow run, every
 * activity of the lifecycle the order went through, every Kafka send, the bridge's consume and its
 * Postgres write, all in one trace with every parent link pointing at a span of that trace.
 * A retried activity stays in its order's trace: with the finished_orders topic missing at first,
 * the delivery emit fails until the topic exists, and every attempt is a span of the same trace.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planLifecycle } from '../../src/activities/order-activities.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import type { Order } from '../../src/domain/order.js';
import { createKafka, ensureTopics } from '../../src/kafka/client.js';
import { createLogger } from '../../src/logging/logger.js';
import { startJaeger, type JaegerServer } from '../../src/stack/jaeger.js';
import { freePort } from '../../src/stack/wait.js';
import { SERVICE_NAMES } from '../../src/telemetry/tracing.js';
import { DEFAULT_LIFECYCLE_OPTIONS, orderWorkflowId } from '../../src/workflows/contract.js';
import { ROOT, startApp, type AppProcess } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { isolatedEnv } from '../support/pipeline-run.js';
import { waitUntil } from '../support/wait.js';

const SEED = '17';
/** The clock's start: the order is dated in the year before it, so its whole lifecycle is already past. */
const START = '2026-06-01T00:00:00Z';

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  tags: Array<{ key: string; value: unknown }>;
  processID: string;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

const tag = (s: JaegerSpan, key: string): unknown => s.tags.find((t) => t.key === key)?.value;

function generatorArgs(runId: number, extra: string[] = []): string[] {
  return ['--import', 'tsx', 'src/generator/cli.ts', '--backfill', '365d', '--count', '1', '--seed', SEED, '--run-id', String(runId), '--start', START, ...extra];
}

/**
 * A run id whose one order is paid, shipped and delivered before the clock's start, so its trace
 * holds every stage (the fate is a pure function of seed and order id: asked here, not guessed).
 */
function deliveredOrder(): { runId: number; order: Order } {
  for (let runId = Date.now() % 1_000_000_000, tries = 0; tries < 30; runId++, tries++) {
    const out = execFileSync(process.execPath, generatorArgs(runId, ['--dry-run']), { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const order = JSON.parse(out.trim()) as Order;
    const plan = planLifecycle({
      seed: SEED,
      orderId: order.order_id,
      orderDate: order.order_date,
      paymentWindowHours: DEFAULT_LIFECYCLE_OPTIONS.paymentWindowHours,
      express: order.shipping_info.express_shipping,
      customerMayCancel: DEFAULT_LIFECYCLE_OPTIONS.simulateCancellation,
    });
    if (plan.delivery?.outcome === 'Delivered' && plan.delivery.finishedDate < START) return { runId, order };
  }
  throw new Error('no delivered order in 30 run ids');
}

async function storedAsDelivered(db: TestDatabase, orderId: string): Promise<void> {
  await waitUntil(
    `order ${orderId} stored as Delivered`,
    async () => (await db.pool.query('SELECT 1 FROM order_info WHERE order_id = $1 AND order_status = $2', [orderId, 'Delivered'])).rowCount === 1,
    120_000,
    500,
  );
}

/** Spans by id, parent of a span, its service: the trace as a tree. */
function treeOf(trace: JaegerTrace) {
  const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
  return {
    service: (s: JaegerSpan) => trace.processes[s.processID]?.serviceName,
    parentOf: (s: JaegerSpan): JaegerSpan | undefined => {
      const ref = s.references.find((r) => r.refType === 'CHILD_OF');
      return ref ? byId.get(ref.spanID) : undefined;
    },
  };
}

async function traceOf(jaeger: JaegerServer, orderId: string): Promise<JaegerTrace[]> {
  const url = new URL('/api/traces', jaeger.uiUrl);
  url.searchParams.set('service', SERVICE_NAMES.generator);
  url.searchParams.set('tags', JSON.stringify({ 'order.id': orderId }));
  url.searchParams.set('limit', '20');
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

describe('tracing: one trace per order, generator → workflow → activities → Kafka → bridge → Postgres', () => {
  let db: TestDatabase;
  let jaeger: JaegerServer;
  let jaegerDir: string;
  let env: ReturnType<typeof isolatedEnv>;
  let config: AppConfig;
  const apps: AppProcess[] = [];

  before(async () => {
    const base = loadConfig();
    jaegerDir = mkdtempSync(path.join(os.tmpdir(), 'trace-test-jaeger-'));
    const stack = { ...base.stack, jaegerOtlpPort: await freePort(), jaegerUiPort: await freePort() };
    jaeger = await startJaeger(stack, jaegerDir, createLogger('jaeger', 'warn'));
    db = await createTestDatabase(base);
    env = isolatedEnv(db.url, { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl });
    config = loadConfig(env);
    assert.ok(config.tracing, 'OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on');
    await ensureTopics(createKafka(config.kafka, { logLevel: 'error' }), config.kafka);
  });

  after(async () => {
    await Promise.all(apps.map((a) => a.stop('SIGTERM')));
    await jaeger?.process.stop();
    if (jaegerDir) rmSync(jaegerDir, { recursive: true, force: true });
    await db?.drop();
  });

  it("holds the order's whole path in one trace, every parent link intact", async () => {
    const { runId, order } = deliveredOrder();
    const orderId = order.order_id;
    const worker = startApp('worker', ['--import', 'tsx', 'src/workers/cli.ts'], env);
    const bridge = startApp('bridge', ['--import', 'tsx', 'src/bridge/cli.ts'], env);
    apps.push(worker, bridge);
    await Promise.all([worker.waitFor(/polling task queue/, 240_000), bridge.waitFor(/consuming /, 120_000)]);
    assert.match(worker.output(), /tracing on: spans of order-worker/);
    assert.match(bridge.output(), /tracing on: spans of order-bridge/);

    const generator = startApp('generate', generatorArgs(runId), env);
    apps.push(generator);
    assert.equal(await generator.exited(), 0, generator.output());
    await storedAsDelivered(db, orderId);

    // Spans arrive in batches from three processes: wait until the bridge's write is in.
    let traces: JaegerTrace[] = [];
    await waitUntil(
      `the trace of order ${orderId} in Jaeger with the bridge's Postgres write`,
      async () => {
        traces = await traceOf(jaeger, orderId);
        return traces.some((t) => t.spans.some((s) => s.operationName === 'postgres write order'));
      },
      60_000,
      1000,
    );
    assert.equal(traces.length, 1, `one trace for order ${orderId}, got ${traces.length}`);
    const trace = traces[0] as JaegerTrace;
    const { service, parentOf } = treeOf(trace);

    // One trace id, and every span but the root has its parent in this trace.
    for (const s of trace.spans) {
      assert.equal(s.traceID, trace.traceID);
      for (const r of s.references) assert.equal(r.traceID, trace.traceID, `${s.operationName} refers to another trace`);
    }
    const roots = trace.spans.filter((s) => s.references.length === 0);
    assert.deepEqual(roots.map((s) => [s.operationName, service(s)]), [['start order', SERVICE_NAMES.generator]]);
    const root = roots[0] as JaegerSpan;
    assert.equal(tag(root, 'order.id'), orderId);
    for (const s of trace.spans) {
      if (s !== root) assert.ok(parentOf(s), `${s.operationName} (${service(s)}): its parent ${JSON.stringify(s.references)} is not in the trace`);
    }

    /** The one span named `name` whose parent is `parent`. */
    const childOf = (parent: JaegerSpan, name: string, svc: string): JaegerSpan => {
      const found = trace.spans.filter((s) => s.operationName === name && parentOf(s) === parent);
      assert.equal(found.length, 1, `one ${name} under ${parent.operationName}, got ${found.length}; spans: ${trace.spans.map((s) => s.operationName).join(', ')}`);
      const span = found[0] as JaegerSpan;
      assert.equal(service(span), svc, `${name} is a span of ${svc}`);
      return span;
    };
    const startWorkflow = childOf(root, 'StartWorkflow:orderLifecycle', SERVICE_NAMES.generator);
    const run = childOf(startWorkflow, 'RunWorkflow:orderLifecycle', SERVICE_NAMES.worker);
    // The generator gave the run its plan (lifecycleInput): no plan step, so no planLifecycle span.
    assert.ok(!trace.spans.some((s) => s.operationName.endsWith(':planLifecycle')), 'no planLifecycle span');
    const topics = config.kafka.topics;
    const stages = [
      { activity: 'placeOrder', stage: 'place', topic: topics.unpaid },
      { activity: 'processPayment', stage: 'payment', topic: topics.paid },
      { activity: 'shipOrder', stage: 'shipping', topic: topics.shipped },
      { activity: 'deliverOrder', stage: 'delivery', topic: topics.finished },
    ];
    let lastSend: JaegerSpan | undefined;
    for (const { activity, stage, topic } of stages) {
      const runActivity = childOf(childOf(run, `StartActivity:${activity}`, SERVICE_NAMES.worker), `RunActivity:${activity}`, SERVICE_NAMES.worker);
      const send = childOf(runActivity, `send ${topic}`, SERVICE_NAMES.worker);
      assert.equal(tag(send, 'order.id'), orderId);
      assert.equal(tag(send, 'order.event_id'), `${orderWorkflowId(orderId)}:${stage}`);
      lastSend = send;
    }
    // The bridge consumes the terminal message (finished_orders) and writes it, in the same trace.
    const consume = childOf(lastSend as JaegerSpan, `receive ${topics.finished}`, SERVICE_NAMES.bridge);
    assert.equal(tag(consume, 'order.id'), orderId);
    assert.equal(tag(consume, 'order.event_id'), `${orderWorkflowId(orderId)}:delivery`);
    const write = childOf(consume, 'postgres write order', SERVICE_NAMES.bridge);
    assert.equal(tag(write, 'order.id'), orderId);

    const names = trace.spans.map((s) => `${service(s)} ${s.operationName}`).sort();
    process.stderr.write(`trace ${trace.traceID} of order ${orderId}: ${trace.spans.length} spans\n  ${names.join('\n  ')}\n`);
  });

  it("an order the generator's sampler leaves out is traced nowhere, and is delivered as any other", async () => {
    // The first test's worker and bridge (tracing on, every order they are given a sampled context for).
    assert.ok(apps.some((a) => a.name === 'worker'), 'runs after the first test, with its worker and bridge');
    const { runId, order } = deliveredOrder();
    const orderId = order.order_id;
    const sampledOut = { ...env, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' };
    const generator = startApp('generate-unsampled', generatorArgs(runId), sampledOut);
    apps.push(generator);
    assert.equal(await generator.exited(), 0, generator.output());
    await storedAsDelivered(db, orderId);
    // Longer than the processes' export delay (2 s): a span of this order would be in by now.
    await new Promise((r) => setTimeout(r, 6000));
    for (const service of Object.values(SERVICE_NAMES)) {
      const url = new URL('/api/traces', jaeger.uiUrl);
      url.searchParams.set('service', service);
      url.searchParams.set('tags', JSON.stringify({ 'order.id': orderId }));
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      assert.ok(res.ok || res.status === 404, `GET ${url} answered ${res.status}`);
      const data = res.ok ? (((await res.json()) as { data: JaegerTrace[] | null }).data ?? []) : [];
      assert.equal(data.length, 0, `${service} recorded no span of order ${orderId}`);
    }
  });

  it('a retried activity shows each attempt as a span of the same trace', async () => {
    const { runId, order } = deliveredOrder();
    const orderId = order.order_id;
    // A pipeline of its own (topics, task queue, group), whose finished_orders topic does not exist yet.
    const retryEnv = isolatedEnv(db.url, { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl });
    const retryConfig = loadConfig(retryEnv);
    const topics = retryConfig.kafka.topics;
    const kafka = createKafka(retryConfig.kafka, { logLevel: 'error' });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const firstTopics = Object.values(topics).filter((name) => name !== topics.finished);
      await admin.createTopics({ waitForLeaders: true, topics: firstTopics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: -1 })) });
    } finally {
      await admin.disconnect();
    }
    const worker = startApp('worker-retry', ['--import', 'tsx', 'src/workers/cli.ts'], retryEnv);
    apps.push(worker);
    await worker.waitFor(/polling task queue/, 240_000);
    const generator = startApp('generate-retry', generatorArgs(runId), retryEnv);
    apps.push(generator);
    assert.equal(await generator.exited(), 0, generator.output());

    const deliverAttempts = async () => {
      const [trace] = await traceOf(jaeger, orderId);
      return (trace?.spans ?? []).filter((s) => s.operationName === 'RunActivity:deliverOrder');
    };
    await waitUntil('two failed attempts of deliverOrder in the trace', async () => (await deliverAttempts()).filter((s) => tag(s, 'error') === true).length >= 2, 90_000, 1000);
    await ensureTopics(kafka, retryConfig.kafka); // now finished_orders exists: the next attempt succeeds
    const bridge = startApp('bridge-retry', ['--import', 'tsx', 'src/bridge/cli.ts'], retryEnv);
    apps.push(bridge);
    let trace: JaegerTrace | undefined;
    await waitUntil(
      `the trace of order ${orderId} with the bridge's Postgres write`,
      async () => {
        const traces = await traceOf(jaeger, orderId);
        trace = traces[0];
        return traces.length === 1 && (trace?.spans ?? []).some((s) => s.operationName === 'postgres write order');
      },
      120_000,
      1000,
    );
    const t = trace as JaegerTrace;
    const { service, parentOf } = treeOf(t);
    const attempts = t.spans.filter((s) => s.operationName === 'RunActivity:deliverOrder');
    const failed = attempts.filter((s) => tag(s, 'error') === true);
    const succeeded = attempts.filter((s) => tag(s, 'error') !== true);
    assert.ok(failed.length >= 2, `at least two failed attempts, got ${failed.length}`);
    assert.equal(succeeded.length, 1, 'one attempt succeeded');
    // Every attempt hangs under the one StartActivity:deliverOrder of the workflow, in this trace.
    const starts = new Set(attempts.map((s) => parentOf(s)));
    assert.equal(starts.size, 1);
    const start = [...starts][0];
    assert.equal(start?.operationName, 'StartActivity:deliverOrder');
    assert.equal(service(start as JaegerSpan), SERVICE_NAMES.worker);
    // Each attempt made its own send, numbered by attempt; the last one is the message the bridge consumed.
    const sends = attempts.map((a) => t.spans.find((s) => s.operationName === `send ${topics.finished}` && parentOf(s) === a) as JaegerSpan);
    assert.ok(sends.every(Boolean), 'every attempt has its send span');
    const numbers = sends.map((s) => Number(tag(s, 'temporal.activity.attempt'))).sort((a, b) => a - b);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `attempts 1..n, got ${numbers.join(',')}`);
    const lastSend = sends.find((s) => parentOf(s) === succeeded[0]) as JaegerSpan;
    assert.equal(Number(tag(lastSend, 'temporal.activity.attempt')), numbers.length);
    const consume = t.spans.find((s) => s.operationName === `receive ${topics.finished}`);
    assert.equal(consume && parentOf(consume), lastSend, "the bridge's consume continues the successful attempt's send");
    for (const s of t.spans) if (s.references.length > 0) assert.ok(parentOf(s), `${s.operationName}: parent not in the trace`);
    process.stderr.write(`retried order ${orderId}: deliverOrder attempts ${numbers.join(', ')} (${failed.length} failed), ${t.spans.length} spans in trace ${t.traceID}\n`);
  });
});
