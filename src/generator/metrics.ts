/**
 * The generator's Prometheus metrics (served while it runs when GENERATOR_METRICS_PORT is set):
 * workflow starts by result, and starts Temporal refused or never answered.
 */
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { StartResult } from './workflow-starter.js';

export class GeneratorMetrics {
  readonly registry = new Registry();
  private readonly starts = new Counter({
    name: 'generator_workflow_starts_total',
    help: "Order workflows started (result=started) or found already there (result=existing, a repeated run's order).",
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly errors = new Counter({ name: 'generator_workflow_start_errors_total', help: 'Start requests that failed (Temporal refused or did not answer).', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  started(result: StartResult): void {
    this.starts.inc({ result });
  }

  failed(): void {
    this.errors.inc();
  }
}
