/**
 * Workflow interceptors of tracing (src/telemetry/tracing.ts): bundled into the workflow code only
 * when tracing is on (src/workers/workflow-bundle.ts), never imported by the workflows themselves.
 * The workflow's run is a span, child of the generator's start (the context arrives in the start
 * request's headers), and every activity it schedules, local ones included, a child of that span,
 * whose context goes to the activity in its headers. Spans leave the sandbox through the worker's
 * `exporter` sink, so a replay exports nothing twice.
 *
 * Temporal's OpenTelemetry interceptors are loaded only for a run whose start carries a sampled
 * trace context. The sandbox gives every run fresh module state, so loading them means evaluating
 * the OpenTelemetry SDK again for that run: most of what tracing cost per order, whether the order
 * was sampled or not (BENCHMARKS.md, "What tracing costs"). A run the generator left out of its
 * sample (OTEL_TRACES_SAMPLER) or started untraced passes every call straight through, handing its
 * activities the start's unsampled context so that they are not traced either. The decision comes
 * from the start request's headers, which are in the history: a replay decides the same.
 */
import type * as OpenTelemetryInterceptors from '@temporalio/interceptors-opentelemetry';
import {
  defaultPayloadConverter,
  type Payload,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** The header Temporal's OpenTelemetry interceptors carry the W3C trace context in. */
const TRACE_HEADER = '_tracer-data';

/** True when the start carries a W3C `traceparent` whose sampled flag is set. */
export function startIsSampled(headers: Record<string, Payload> | undefined): boolean {
  const payload = headers?.[TRACE_HEADER];
  if (!payload) return false;
  const carrier = defaultPayloadConverter.fromPayload<{ traceparent?: unknown }>(payload);
  const flags = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-([\da-f]{2})$/.exec(typeof carrier?.traceparent === 'string' ? carrier.traceparent : '')?.[1];
  return flags !== undefined && (parseInt(flags, 16) & 1) === 1;
}

type Interceptors = { inbound: WorkflowInboundCallsInterceptor; outbound: WorkflowOutboundCallsInterceptor; internals: WorkflowInternalsInterceptor };

/** Evaluates the OpenTelemetry interceptors' modules now, for this run only. */
function loadOpenTelemetry(): Interceptors {
  // require, not import: a static import would evaluate the SDK for every run, sampled or not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const otel = require('@temporalio/interceptors-opentelemetry') as typeof OpenTelemetryInterceptors;
  return { inbound: new otel.OpenTelemetryInboundInterceptor(), outbound: new otel.OpenTelemetryOutboundInterceptor(), internals: new otel.OpenTelemetryInternalsInterceptor() };
}

type Call = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** An interceptor whose methods go to `target()` once it exists, straight to `next` before and without it. */
function deferredTo<T>(methods: readonly string[], target: () => T | undefined): T {
  const call =
    (name: string): Call =>
    (input, next) => {
      const method = (target() as Record<string, Call | undefined> | undefined)?.[name];
      return method ? method.call(target(), input, next) : next(input);
    };
  return Object.fromEntries(methods.map((name) => [name, call(name)])) as T;
}

const INBOUND = ['handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery'] as const;
const OUTBOUND = ['scheduleActivity', 'scheduleLocalActivity', 'startNexusOperation', 'startChildWorkflowExecution', 'continueAsNew', 'signalWorkflow', 'getLogAttributes', 'getMetricTags'] as const;
const INTERNALS = ['dispose'] as const;

export const interceptors: WorkflowInterceptorsFactory = () => {
  let otel: Interceptors | undefined;
  /** An unsampled start's context: handed on to the activities, whose spans then stay unrecorded too. */
  let unsampled: Payload | undefined;
  const inbound: WorkflowInboundCallsInterceptor = {
    ...deferredTo<WorkflowInboundCallsInterceptor>(INBOUND, () => otel?.inbound),
    // The run's first call: the start's headers decide for the whole run.
    execute(input, next) {
      if (startIsSampled(input.headers)) otel = loadOpenTelemetry();
      else unsampled = input.headers[TRACE_HEADER];
      return otel?.inbound.execute ? otel.inbound.execute(input, next) : next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    ...deferredTo<WorkflowOutboundCallsInterceptor>(OUTBOUND, () => otel?.outbound),
    scheduleActivity: (input, next) => (otel?.outbound.scheduleActivity ? otel.outbound.scheduleActivity(input, next) : passOn(input, next)),
    scheduleLocalActivity: (input, next) => (otel?.outbound.scheduleLocalActivity ? otel.outbound.scheduleLocalActivity(input, next) : passOn(input, next)),
  };
  /** Without the SDK: the start's own (unsampled) context, so the activity's parent-based sampler follows it. */
  function passOn<I extends { headers: Record<string, Payload> }, R>(input: I, next: (input: I) => R): R {
    return next(unsampled ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: unsampled } } : input);
  }
  return {
    inbound: [inbound],
    outbound: [outbound],
    internals: [deferredTo<WorkflowInternalsInterceptor>(INTERNALS, () => otel?.internals)],
  };
};
