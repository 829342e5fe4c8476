/** The order dates a plan's dry run prints, in order: what a backfill of that plan would place. */
import type { Order } from '../../src/domain/order.js';
import { runDry, type RunPlan } from '../../src/generator/run.js';

export async function dryRunDates(plan: RunPlan): Promise<number[]> {
  let text = '';
  await runDry(plan, { write: (chunk) => ((text += chunk), true), once: () => undefined }, new AbortController().signal);
  return text
    .trim()
    .split('\n')
    .map((line) => Date.parse((JSON.parse(line) as Order).order_date));
}
