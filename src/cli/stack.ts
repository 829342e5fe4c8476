/**
 * `npm run stack`: starts the local Temporal, Kafka and Postgres, prints where they are, and stops
 * them all on Ctrl-C or SIGTERM. A second call while one runs prints the running one's addresses.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { resolveJaeger } from '../stack/jaeger.js';
import { StackAlreadyRunning, describeEndpoints, findRunningStack, startStack } from '../stack/stack.js';
import { resolveTemporalCli } from '../stack/temporal.js';
import { formatElapsed } from '../stack/tools.js';
import { runMain } from './main.js';
import { UserError } from '../errors/user-error.js';

const HELP = `Usage: npm run stack [-- --build-only | --help]

Starts the local stack with no Docker: the Temporal dev server with its Web UI, one Kafka broker
(KRaft) with the order topics, PostgreSQL, and Jaeger (traces). The first start builds or
downloads what is missing (Temporal CLI and Jaeger via Go, Kafka via Maven Central) and caches it
in STACK_STATE_DIR (.stack). A service whose endpoint you set yourself (TEMPORAL_ADDRESS,
KAFKA_BROKERS, DATABASE_URL, OTEL_EXPORTER_OTLP_ENDPOINT) is not started; OTEL_SDK_DISABLED=true
starts no Jaeger. Ctrl-C stops everything. Ports: STACK_TEMPORAL_PORT (7233), STACK_TEMPORAL_UI_PORT
(8233), STACK_KAFKA_PORT (9092), STACK_KAFKA_CONTROLLER_PORT (9093), STACK_POSTGRES_PORT (5433),
STACK_JAEGER_OTLP_PORT (4318), STACK_JAEGER_UI_PORT (16686).

--build-only builds what is missing of the Go binaries (Temporal CLI, Jaeger) into STACK_STATE_DIR
and exits, starting nothing (CI does it before the tests, so no test waits on a build).`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { help: { type: 'boolean', short: 'h' }, 'build-only': { type: 'boolean' } }, strict: true });
  } catch (err) {
    throw new UserError(`${(err as Error).message}; see npm run stack -- --help`);
  }
  if (args.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger('stack', config.logLevel);
  if (args.values['build-only']) {
    const [temporal, jaeger] = await Promise.all([resolveTemporalCli(config.stack, log.child('temporal')), resolveJaeger(config.stack, log.child('jaeger'))]);
    process.stdout.write(`Temporal CLI ${temporal}\nJaeger       ${jaeger}\n`);
    return 0;
  }
  const already = findRunningStack(config);
  if (already) {
    process.stdout.write(`The local stack is already running (pid ${already.pid}, since ${already.startedAt}):\n${describeEndpoints(already.endpoints)}\n`);
    return 0;
  }
  const t0 = Date.now();
  let stack;
  try {
    stack = await startStack(config, log);
  } catch (err) {
    if (err instanceof StackAlreadyRunning) throw new UserError(err.message);
    throw new UserError(`the local stack did not start: ${(err as Error).message}`);
  }
  process.stdout.write(`Local stack up in ${formatElapsed(Date.now() - t0)}:\n${describeEndpoints(stack.endpoints)}\n  Logs          ${config.stack.stateDir}/data/logs\nPress Ctrl-C to stop.\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string, code: number) => {
      if (stopping) return;
      stopping = true;
      log.info(`${why}; stopping the stack`);
      stack.stop().then(
        () => {
          log.info('stopped');
          resolve(code);
        },
        (err: unknown) => {
          log.error(`stop failed: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT', 0));
    process.on('SIGTERM', () => stop('SIGTERM', 0));
    for (const p of [stack.temporal?.process, stack.kafka?.process, stack.jaeger?.process]) {
      void p?.exited.then((how) => stop(`${p.name} exited unexpectedly (${how}); see ${p.logFile}`, 1));
    }
  });
}

runMain(main);
