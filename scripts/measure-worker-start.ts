/**
 * `node --import tsx scripts/measure-worker-start.ts [--runs N]`: the worker's start time, process
 * start → "polling task queue", from source (`node --import tsx src/workers/cli.ts`: tsx compiles,
 * the workflows are bundled at start) and from the compiled build (`node dist/workers/cli.js`: the
 * prebuilt bundle; run `npm run build` first). Runs alternate, each worker is stopped with SIGTERM
 * before the next starts; prints each time and the medians. Uses the Temporal and Kafka of the
 * environment when TEMPORAL_ADDRESS is set (e.g. a running `npm run stack`), else a throwaway stack
 * of its own on free ports; a task queue of its own either way.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../bench/lib/stats.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { startEphemeralStack, type EphemeralStack } from '../src/stack/ephemeral.js';
import { startApp, ROOT } from '../test/support/app-process.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write('Usage: node --import tsx scripts/measure-worker-start.ts [--runs N]\n  --runs N  starts of each kind (default 5)\n');
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  process.stderr.write(`--runs expects a whole number 1..50, got "${values.runs}"\n`);
  process.exit(2);
}
if (!existsSync(path.join(ROOT, 'dist', 'workflow-bundle.js'))) {
  process.stderr.write('dist/workflow-bundle.js is missing: run npm run build first\n');
  process.exit(2);
}

let stack: EphemeralStack | undefined;
if (!process.env.TEMPORAL_ADDRESS) {
  process.stderr.write('TEMPORAL_ADDRESS is not set: starting a throwaway stack\n');
  stack = await startEphemeralStack(createLogger('measure', loadConfig().logLevel));
}
const env = { ...process.env, ...(stack?.env ?? {}), TEMPORAL_TASK_QUEUE: `measure-worker-start-${process.pid}`, LOG_LEVEL: 'info' };
const kinds = {
  source: ['--import', 'tsx', 'src/workers/cli.ts'],
  dist: ['dist/workers/cli.js'],
} as const;

async function once(kind: keyof typeof kinds): Promise<number> {
  const t0 = performance.now();
  const worker = startApp(`worker (${kind})`, [...kinds[kind]], kind === 'dist' ? { ...env, NODE_ENV: 'production' } : env);
  try {
    await worker.waitFor(/polling task queue/, 180_000);
    return performance.now() - t0;
  } finally {
    await worker.stop('SIGTERM');
  }
}

const times: Record<keyof typeof kinds, number[]> = { source: [], dist: [] };
try {
  for (let i = 0; i < runs; i++) {
    for (const kind of ['source', 'dist'] as const) {
      const ms = await once(kind);
      times[kind].push(ms);
      process.stderr.write(`run ${i + 1} ${kind}: ${(ms / 1000).toFixed(2)} s\n`);
    }
  }
} finally {
  await stack?.stop();
}
const src = median(times.source);
const dist = median(times.dist);
process.stdout.write(
  `worker start (process start → polling), median of ${runs}: from source ${(src / 1000).toFixed(2)} s, from dist ${(dist / 1000).toFixed(2)} s ` +
    `(${(src / dist).toFixed(1)}× faster)\n`,
);
