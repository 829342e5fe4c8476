/**
 * OpenTelemetry tracing of the pipeline: one trace per order, from the generator's start request
 * through the workflow, its activities and Kafka sends (Temporal's OpenTelemetry interceptors
 * carry the context through Temporal), to the bridge's consume and Postgres write (the W3C
 * `traceparent` header carries it through Kafka). Each process (generator, worker, bridge) starts
 * the SDK once with its own service name and exports over OTLP/HTTP.
 *
 * Off unless an OTLP endpoint is configured (config.tracing): then startTracing returns undefined,
 * no SDK starts, and every caller skips its span and header work on that undefined, so tracing off
 * costs nothing, not even no-op spans. The SDK and Temporal's interceptors are imported only when
 * tracing is on (dynamic imports): off, a process does not even load them (about 250 ms measured).
 */
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { TraceSampler, TracingConfig } from '../config/config.js';

/** The service name of each traced process, as Jaeger lists them. */
export const SERVICE_NAMES = { generator: 'order-generator', worker: 'order-worker', bridge: 'order-bridge' } as const;
export type TracedService = keyof typeof SERVICE_NAMES;

/** Span attribute names of the project (the others follow OpenTelemetry's semantic conventions). */
export const ATTR = {
  orderId: 'order.id',
  eventId: 'order.event_id',
  stage: 'order.stage',
  /** The activity attempt a Kafka send belongs to: a retried emit shows its attempts side by side. */
  attempt: 'temporal.activity.attempt',
} as const;

/** The W3C trace-context header a Kafka message carries beside the event id. */
export const TRACEPARENT_HEADER = 'traceparent';

export interface Tracing {
  readonly service: string;
  readonly tracer: Tracer;
  /** For a Temporal client: its start requests carry the active span's context to the workflow. */
  workflowClientInterceptor(): WorkflowClientInterceptor;
  /** For the worker: activity interceptors and the sink the workflows' spans leave the sandbox by. */
  workerOptions(): Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  /** Exports what is buffered and stops the SDK; safe to call twice. */
  shutdown(): Promise<void>;
}

/** The SDK for one process, or undefined when tracing is off (nothing started, nothing loaded). */
export async function startTracing(config: TracingConfig | undefined, service: TracedService): Promise<Tracing | undefined> {
  if (!config) return undefined;
  const [{ OTLPTraceExporter }, { Resource }, sdk, { NodeTracerProvider }, temporal] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
    import('@temporalio/interceptors-opentelemetry'),
  ]);
  const name = SERVICE_NAMES[service];
  const resource = new Resource({ 'service.name': name });
  const spanProcessor = new sdk.BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }), {
    // Half the SDK's default delay: a finished order shows in Jaeger a few seconds sooner.
    scheduledDelayMillis: 2000,
  });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor], sampler: samplerOf(config.sampler, sdk) });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator globally,
  // which Temporal's interceptors use too.
  provider.register();
  let stopped: Promise<void> | undefined;
  // The provider's own tracer, not the global one: a process that starts tracing again after a
  // shutdown (the bench's rounds) must not get the stopped provider's.
  const tracer = provider.getTracer(name);
  return {
    service: name,
    tracer,
    workflowClientInterceptor: () => new temporal.OpenTelemetryWorkflowClientInterceptor({ tracer }),
    workerOptions: () => ({
      interceptors: {
        activity: [
          (ctx) => ({ inbound: new temporal.OpenTelemetryActivityInboundInterceptor(ctx, { tracer }), outbound: new temporal.OpenTelemetryActivityOutboundInterceptor(ctx) }),
        ],
      },
      sinks: { exporter: temporal.makeWorkflowExporter(spanProcessor, resource) },
    }),
    shutdown() {
      // Unregistered too, so the process can start tracing again (the bench's rounds do).
      stopped ??= provider
        .shutdown()
        .catch(() => undefined)
        .finally(() => {
          trace.disable();
          propagation.disable();
          context.disable();
        });
      return stopped;
    },
  };
}

/**
 * The configured sampler, built here rather than by the SDK from the environment: the bench and the
 * tests start tracing from a config that is not process.env.
 */
function samplerOf(s: TraceSampler, sdk: typeof import('@opentelemetry/sdk-trace-base')): Sampler {
  const ratio = () => new sdk.TraceIdRatioBasedSampler(s.ratio);
  switch (s.kind) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_on':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root: ratio() });
  }
}

/** Runs `fn` in a new active span, ended when `fn` settles; a throw marks the span as an error. */
export async function inSpan<T>(tracer: Tracer, name: string, options: Parameters<Tracer['startSpan']>[1], fn: (span: Span) => Promise<T>, parent?: Context): Promise<T> {
  const span = tracer.startSpan(name, options, parent ?? context.active());
  try {
    return await context.with(trace.setSpan(parent ?? context.active(), span), () => fn(span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** The W3C headers (`traceparent`, and `tracestate` when there is one) of a span, for a Kafka message. */
export function traceHeadersOf(span: Span): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier;
}

/** The context a message's trace headers carry (the root context when they carry none). */
export function contextFromHeaders(headers: Record<string, string | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}
