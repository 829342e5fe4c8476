/**
 * `npm test`: runs every test file with node's test runner. When integration tests are selected it
 * first starts the project's own local stack (real Temporal, Kafka and Postgres) on free ports in a
 * temporary data folder, hands the endpoints to the tests through the environment, and stops it
 * afterwards. Binaries stay cached in STACK_STATE_DIR, so only the first run builds them.
 *
 *   npm test                      unit + integration
 *   npm test -- --unit            unit tests only (no servers)
 *   npm test -- test/unit/x.test.ts ...   just these files
 *   npm test -- --timeout 600000          per-test timeout in ms (default below)
 *
 * Every test has a timeout, so a test that waits on something that never comes fails, naming
 * itself, instead of holding the run until CI's own limit.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { newEphemeralDataDir, startEphemeralStack, type EphemeralStack } from '../src/stack/ephemeral.js';
import { reclaimLeftovers } from '../src/stack/leftovers.js';
import { killRunningCommands } from '../src/stack/process.js';
import { formatElapsed } from '../src/stack/tools.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { unit: { type: 'boolean' }, 'keep-data': { type: 'boolean' }, concurrency: { type: 'string' }, timeout: { type: 'string' } },
});

/**
 * Per-test timeout: the slowest real-server test (two full local stacks started one after the
 * other, test/integration/stack-leftovers.test.ts) took 4m40s on a 2-core machine shared with
 * other builds; ten minutes leaves room for that and still ends a hung test long before CI's limit.
 */
const DEFAULT_TEST_TIMEOUT_MS = 600_000;
const testTimeoutMs = values.timeout === undefined ? DEFAULT_TEST_TIMEOUT_MS : Number(values.timeout);
if (!Number.isInteger(testTimeoutMs) || testTimeoutMs <= 0) {
  process.stderr.write(`error: --timeout must be a positive whole number of milliseconds, got ${JSON.stringify(values.timeout)}\n`);
  process.exit(2);
}

function testFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => path.join(dir, f))
      .sort();
  } catch {
    return [];
  }
}

const files = positionals.length > 0 ? positionals : [...testFiles('test/unit'), ...(values.unit ? [] : testFiles('test/integration'))];
const needsStack = files.some((f) => f.includes(`${path.sep}integration${path.sep}`) || f.startsWith('test/integration'));

function runNodeTests(env: NodeJS.ProcessEnv): Promise<number> {
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-timeout=${testTimeoutMs}`];
  if (values.concurrency) args.push(`--test-concurrency=${values.concurrency}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args, ...files], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('no test files found\n');
    return 1;
  }
  const t0 = Date.now();
  let test: EphemeralStack | undefined;
  const log = createLogger('test-stack', loadConfig().logLevel);
  const dataDir = needsStack ? newEphemeralDataDir() : undefined;
  const stopStack = async () => {
    if (!test) return;
    const t = test;
    test = undefined;
    await t.stop({ keepData: values['keep-data'] === true });
  };
  // Installed before the stack starts: interrupted while it starts (the first run builds the
  // Temporal CLI for minutes), the servers already up are stopped too, not left on their ports.
  const stopStarting = async () => {
    if (!dataDir) return;
    // Pieces still starting may run a setup command or spawn their server while others are being
    // stopped: stop again until a pass finds none, then exit before anything else can start.
    while ((await killRunningCommands()) + (await reclaimLeftovers(dataDir, log, undefined, true)).length > 0);
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      interrupted = true;
      void (test ? stopStack() : stopStarting()).finally(() => process.exit(130));
    });
  }
  if (dataDir) {
    process.stderr.write('starting the test stack (real Temporal, Kafka, Postgres on free ports)...\n');
    test = await startEphemeralStack(log, process.env, { dataDir });
    process.stderr.write(
      `test stack up in ${formatElapsed(Date.now() - t0)}: Temporal ${test.env.TEMPORAL_ADDRESS}, Kafka ${test.env.KAFKA_BROKERS}, Postgres 127.0.0.1:${test.env.STACK_POSTGRES_PORT}\n`,
    );
  }
  try {
    return await runNodeTests({ ...process.env, ...(test?.env ?? {}) });
  } finally {
    await stopStack();
    process.stderr.write(`tests finished in ${formatElapsed(Date.now() - t0)}\n`);
  }
}

/** Set by Ctrl-C: the signal handler stops what started and exits; main's own ending must not cut it short. */
let interrupted = false;

main().then(
  (code) => {
    if (!interrupted) process.exit(code);
  },
  (err: unknown) => {
    // A stack start failing because the interruption stopped its servers is not the run's failure.
    if (interrupted) return;
    process.stderr.write(`test run failed before the tests: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
