/**
 * Workflow interceptors of tracing (src/telemetry/tracing.ts): bundled into the workflow code only
 * when tracing is on (src/workers/workflow-bundle.ts), never imported by the workflows themselves.
 * The workflow's run is a span, child of the generator's start (the context arrives in the start
 * request's headers), and every activity it schedules, local ones included, a child of that span,
 * whose context goes to the activity in its headers. Spans leave the sandbox through the worker's
 * `exporter` sink, so a replay exports nothing twice.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
