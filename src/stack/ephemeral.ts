/**
 * A throwaway local stack on free ports in a temporary folder, for tests and benchmarks. It runs
 * beside a user's `npm run stack` without touching it, and manages all three servers itself,
 * whatever endpoints the caller's shell has set. Binaries stay cached in STACK_STATE_DIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { startStack, type RunningStack } from './stack.js';
import { freePort } from './wait.js';

export interface EphemeralStack {
  stack: RunningStack;
  /** Environment variables pointing programs at this stack. */
  env: Record<string, string>;
  /** The app config for this stack. */
  config: AppConfig;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface EphemeralStackOptions {
  /** Folder for the servers' data (stop({ keepData: true }) keeps it); default a new temporary one. */
  dataDir?: string;
  /** Start Kafka too (default true). Without it, KAFKA_BROKERS points at a closed port: not for use. */
  kafka?: boolean;
  /** Start Jaeger too, and point the services' tracing at it (default false: tracing off). */
  jaeger?: boolean;
}

/** A new, empty temporary folder for an ephemeral stack's data (the default of options.dataDir). */
export function newEphemeralDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'order-pipeline-stack-'));
}

export async function startEphemeralStack(log: Logger, baseEnv: NodeJS.ProcessEnv = process.env, options: EphemeralStackOptions = {}): Promise<EphemeralStack> {
  const withKafka = options.kafka ?? true;
  const ports = {
    STACK_TEMPORAL_PORT: String(await freePort()),
    STACK_TEMPORAL_UI_PORT: String(await freePort()),
    ...(withKafka ? { STACK_KAFKA_PORT: String(await freePort()), STACK_KAFKA_CONTROLLER_PORT: String(await freePort()) } : {}),
    STACK_POSTGRES_PORT: String(await freePort()),
    ...(options.jaeger ? { STACK_JAEGER_OTLP_PORT: String(await freePort()), STACK_JAEGER_UI_PORT: String(await freePort()) } : {}),
  };
  // The shell's tracing endpoint too: a test stack traces into its own Jaeger or not at all.
  const {
    TEMPORAL_ADDRESS: _t,
    KAFKA_BROKERS: _k,
    DATABASE_URL: _d,
    TEMPORAL_UI_URL: _u,
    OTEL_EXPORTER_OTLP_ENDPOINT: _o,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: _ot,
    JAEGER_UI_URL: _j,
    JAEGER_QUERY_URL: _jq,
    ...rest
  } = baseEnv;
  // A KAFKA_BROKERS that is set tells the stack not to start Kafka.
  const stackConfig = loadConfig({ ...rest, ...ports, ...(withKafka ? {} : { KAFKA_BROKERS: '127.0.0.1:9' }) });
  const dataDir = options.dataDir ?? newEphemeralDataDir();
  const stack = await startStack(stackConfig, log, { dataDir, record: false, jaeger: options.jaeger ?? false });
  const env = { ...ports, ...stack.endpoints, STACK_STATE_DIR: stackConfig.stack.stateDir, TEST_STACK_DATA_DIR: dataDir };
  return {
    stack,
    env,
    config: loadConfig({ ...rest, ...env }),
    async stop(stopOptions = {}) {
      await stack.stop();
      if (!stopOptions.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
