/**
 * Dry-run generator speed (target: ≥ 20,000 orders/s). Runs the real dry-run path (backfill clock,
 * order generator, JSON lines) into a sink that discards the text, several times, and prints the
 * median; also the generator alone without serialization. Run: npm run bench:generator
 */
import { pathToFileURL } from 'node:url';
import { BackfillClock } from '../src/generator/arrivals.js';
import { OrderGenerator } from '../src/generator/order-generator.js';
import { runDry, type RunPlan } from '../src/generator/run.js';
import { median } from './lib/stats.js';

const ORDERS = 100_000;
const RUNS = 5;
const TARGET = 20_000;

const plan = (seed: string, count: number): RunPlan => ({
  seed,
  runId: 1,
  count,
  // A window long enough that the count, not the clock, ends the run.
  mode: { kind: 'backfill', from: new Date('2000-01-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z') },
});

/** Orders per second of the real dry-run path (generate + JSON lines into a discarding sink). */
export async function dryRunRate(seed: string, orders = ORDERS): Promise<number> {
  let bytes = 0;
  const sink = { write: (chunk: string) => ((bytes += chunk.length), true), once: () => sink };
  const summary = await runDry(plan(seed, orders), sink, new AbortController().signal);
  if (summary.orders !== orders || bytes === 0) throw new Error(`expected ${orders} orders, got ${summary.orders}`);
  return summary.orders / (summary.elapsedMs / 1000);
}

function generatorOnlyRate(seed: string): number {
  const t0 = performance.now();
  const clock = new BackfillClock(seed, new Date('2000-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
  const gen = new OrderGenerator({ seed, runId: 1 });
  let total = 0;
  for (let i = 0; i < ORDERS; i++) total += gen.next(clock.next() as Date).order.order_total;
  if (!(total > 0)) throw new Error('no orders');
  return ORDERS / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const dry: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    dry.push(await dryRunRate(String(run + 1)));
    bare.push(generatorOnlyRate(String(run + 1)));
    console.log(`run ${run + 1}: dry run ${Math.round(dry[run] as number)} orders/s, generator alone ${Math.round(bare[run] as number)} orders/s`);
  }
  const m = median(dry);
  console.log(`median dry run (generate + JSON lines): ${Math.round(m)} orders/s over ${RUNS} runs of ${ORDERS} (target ${TARGET})`);
  console.log(`median generator alone: ${Math.round(median(bare))} orders/s`);
  if (m < TARGET) process.exitCode = 1;
}

// Run when invoked as a script; bench/pipeline.ts imports dryRunRate without running this.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
