/**
 * The one place that reads the environment. Every setting is read, validated and defaulted here;
 * the rest of the code receives a typed {@link AppConfig}. A bad value throws {@link ConfigError},
 * whose message names the variable and what it expected, so entry points can print one line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSimClock, type SimClockAnchor } from '../domain/sim-clock.js';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid setting ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export interface TlsFiles {
  /** PEM CA bundle to trust (self-signed or private CA); undefined = system roots. */
  caPath?: string;
  /** Client certificate and key for mTLS (Temporal Cloud). */
  certPath?: string;
  keyPath?: string;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Base URL of the Temporal Web UI, used for links to an order's workflow. */
  uiUrl: string;
  tls: false | TlsFiles;
  apiKey?: string;
}

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaTopics {
  unpaid: string;
  paid: string;
  shipped: string;
  finished: string;
  failed: string;
  deadLetter: string;
}

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  ssl: false | TlsFiles;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  topics: KafkaTopics;
  topicPartitions: number;
  /** Consumer group of the bridge; all bridges of one deployment share it. */
  bridgeGroupId: string;
  /** Largest message value the bridge accepts; bigger ones are dead-lettered. */
  maxMessageBytes: number;
  /** The worker's producer: produce requests in flight at once (sends arriving meanwhile wait and go together). */
  producerMaxInFlight: number;
  /** The worker's producer: messages per produce request at most. */
  producerMaxBatch: number;
}

export type DatabaseSslMode = 'disable' | 'require' | 'verify-full';

export interface DatabaseConfig {
  url: string;
  sslMode: DatabaseSslMode;
  sslCaPath?: string;
  /** Role the dashboard uses; created read-only by the migrations' grants. */
  readOnlyUrl?: string;
  /** Login the bridge writes with (a member of order_bridge); undefined = url. */
  bridgeUrl?: string;
}

export interface StackConfig {
  /** Folder for the local stack's binaries, data and logs. */
  stateDir: string;
  temporalPort: number;
  temporalUiPort: number;
  kafkaPort: number;
  kafkaControllerPort: number;
  postgresPort: number;
  postgresPassword: string;
  /** Path to a `temporal` binary; undefined = PATH, then the project's own build. */
  temporalCli?: string;
  /** Apache Kafka installation; undefined = scripts on PATH, then Maven Central. */
  kafkaHome?: string;
  /** Port of the local Jaeger's OTLP/HTTP receiver, its query API and UI (`npm start` traces into it). */
  jaegerOtlpPort: number;
  jaegerUiPort: number;
  /** Path to a `jaeger` (v2) binary; undefined = PATH, then the project's own build. */
  jaegerBin?: string;
  /** Which services the stack starts itself; an explicit endpoint means "already running elsewhere". */
  manage: { temporal: boolean; kafka: boolean; postgres: boolean; jaeger: boolean };
}

/**
 * OpenTelemetry tracing (src/telemetry/tracing.ts). Off unless an OTLP endpoint is set with the
 * standard variables: off, no SDK starts and no interceptor is installed.
 */
export interface TracingConfig {
  /** Full OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces. */
  tracesUrl: string;
  /**
   * Which orders are traced (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG). The generator's start
   * decides for the whole order; parent-based samplers in the worker and bridge follow it.
   */
  sampler: TraceSampler;
}

export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export interface TraceSampler {
  kind: (typeof TRACE_SAMPLERS)[number];
  /** The share of traces kept by the ratio samplers, 0..1. */
  ratio: number;
}

export interface WorkerConfig {
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  maxCachedWorkflows: number;
}

export interface BridgeConfig {
  batchSize: number;
  partitionsConsumedConcurrently: number;
}

/**
 * Prometheus endpoints (`/metrics`) of the long-running processes; a port left unset = that
 * endpoint is off. `npm start` turns all three on (free ports unless set; src/stack/metrics-ports.ts).
 */
export interface MetricsConfig {
  /** Interface the endpoints listen on; 127.0.0.1 keeps them local, 0.0.0.0 in a container. */
  host: string;
  bridgePort?: number;
  /** Served by the Temporal SDK's runtime itself (its own metrics, not prom-client's). */
  workerPort?: number;
  generatorPort?: number;
}

export interface AppConfig {
  temporal: TemporalConfig;
  kafka: KafkaConfig;
  database: DatabaseConfig;
  ksqldbUrl?: string;
  dashboardPort: number;
  /** Interface the dashboard listens on; 127.0.0.1 keeps it local, 0.0.0.0 in a container. */
  dashboardHost: string;
  /** `npm run superset`: Superset from PyPI on the local stack. */
  superset: SupersetConfig;
  worker: WorkerConfig;
  bridge: BridgeConfig;
  metrics: MetricsConfig;
  stack: StackConfig;
  logLevel: LogLevel;
  /** The run's simulated clock when one was handed over (npm start sets it); undefined = none. */
  simClock?: SimClockAnchor;
  /** Tracing when an OTLP endpoint is set; undefined = off. */
  tracing?: TracingConfig;
  /** Base URL of the Jaeger UI, for links to an order's trace; undefined = no link. */
  jaegerUiUrl?: string;
}

export interface SupersetConfig {
  /** Port Superset serves on (127.0.0.1). */
  port: number;
  /** Python interpreter the virtualenv is made with (3.10 to 3.12). */
  python: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every variable the program reads, with its default; the source for docs, .env.example and tests. */
export const SETTINGS = {
  TEMPORAL_ADDRESS: 'host:port of the Temporal frontend (default: the local stack, 127.0.0.1:STACK_TEMPORAL_PORT)',
  TEMPORAL_NAMESPACE: 'Temporal namespace (default: default)',
  TEMPORAL_TASK_QUEUE: 'task queue of the order workers (default: order-lifecycle)',
  TEMPORAL_UI_URL: 'Temporal Web UI base URL (default: http://127.0.0.1:STACK_TEMPORAL_UI_PORT)',
  TEMPORAL_TLS: 'true to connect with TLS (Temporal Cloud); default false',
  TEMPORAL_TLS_CA_PATH: 'PEM file of the CA to trust for Temporal',
  TEMPORAL_TLS_CERT_PATH: 'PEM client certificate for Temporal mTLS',
  TEMPORAL_TLS_KEY_PATH: 'PEM client key for Temporal mTLS',
  TEMPORAL_API_KEY: 'Temporal Cloud API key (implies TLS)',
  KAFKA_BROKERS: 'comma-separated host:port list (default: the local stack, 127.0.0.1:STACK_KAFKA_PORT)',
  KAFKA_CLIENT_ID: 'Kafka client id (default: order-pipeline)',
  KAFKA_SSL: 'true to connect with TLS; implied by KAFKA_SASL_MECHANISM',
  KAFKA_SSL_CA_PATH: 'PEM file of the CA to trust for Kafka',
  KAFKA_SASL_MECHANISM: 'plain | scram-sha-256 | scram-sha-512 (Confluent Cloud: plain)',
  KAFKA_SASL_USERNAME: 'SASL user name (Confluent Cloud: API key)',
  KAFKA_SASL_PASSWORD: 'SASL password (Confluent Cloud: API secret)',
  KAFKA_TOPIC_PREFIX: 'prefix added to every topic name (default: none)',
  KAFKA_TOPIC_PARTITIONS: 'partitions of each topic the stack creates (default: 3)',
  KAFKA_BRIDGE_GROUP_ID: 'consumer group of the bridge (default: order-bridge)',
  KAFKA_MAX_MESSAGE_BYTES: 'largest message the bridge accepts (default: 1048576)',
  KAFKA_PRODUCER_MAX_IN_FLIGHT: "produce requests the worker's producer has in flight at once; sends arriving meanwhile share the next request (default: 2)",
  KAFKA_PRODUCER_MAX_BATCH: "messages per produce request of the worker's producer at most, 1..1000 (default: 200)",
  DATABASE_URL: 'Postgres URL (default: the local stack, postgres://postgres:…@127.0.0.1:STACK_POSTGRES_PORT/orders)',
  DATABASE_SSL: 'disable | require | verify-full (default: disable)',
  DATABASE_SSL_CA_PATH: 'PEM file of the CA to trust for Postgres (with verify-full)',
  DATABASE_READONLY_URL:
    'Postgres URL of the login the dashboard reads with, a member of order_reader (default: DATABASE_URL; npm start on the local stack: a generated orders_dashboard login)',
  DATABASE_BRIDGE_URL:
    'Postgres URL of the login the bridge writes with, a member of order_bridge; the migrations then run as DATABASE_URL (default: DATABASE_URL; npm start on the local stack: a generated orders_bridge login)',
  KSQLDB_URL: 'ksqlDB REST URL; unset = ksqlDB off',
  DASHBOARD_PORT: 'port of the built-in dashboard (default: 3000)',
  DASHBOARD_HOST: 'interface the built-in dashboard listens on (default: 127.0.0.1)',
  SUPERSET_PORT: 'port of `npm run superset` / `npm start -- --superset` on 127.0.0.1 (default: 8089)',
  SUPERSET_PYTHON: 'Python 3.10–3.12 that `npm run superset` makes its virtualenv with (default: python3)',
  WORKER_MAX_CONCURRENT_ACTIVITIES: 'activity slots per worker (default: 100)',
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 'workflow task slots per worker (default: 40)',
  WORKER_MAX_CACHED_WORKFLOWS: 'sticky workflow cache size (default: 1000)',
  BRIDGE_BATCH_SIZE: 'orders written per Postgres transaction at most (default: 500)',
  BRIDGE_PARTITIONS_CONCURRENTLY: 'partitions the bridge processes in parallel (default: 3)',
  METRICS_HOST: 'interface the Prometheus /metrics endpoints listen on (default: 127.0.0.1; 0.0.0.0 in a container)',
  BRIDGE_METRICS_PORT: "port of the bridge's /metrics (consumer lag, orders consumed, rows written, batch and Postgres time, dead letters); unset = off (npm start: a free port)",
  WORKER_METRICS_PORT: "port of the worker's /metrics, the Temporal SDK's own (task latencies, slots, polls); unset = off (npm start: a free port)",
  GENERATOR_METRICS_PORT: "port of the generator's /metrics (workflow starts and start errors); unset = off (npm start: a free port)",
  STACK_STATE_DIR: 'folder of the local stack (default: .stack)',
  STACK_TEMPORAL_PORT: 'local Temporal gRPC port (default: 7233)',
  STACK_TEMPORAL_UI_PORT: 'local Temporal Web UI port (default: 8233)',
  STACK_KAFKA_PORT: 'local Kafka broker port (default: 9092)',
  STACK_KAFKA_CONTROLLER_PORT: 'local Kafka KRaft controller port (default: 9093)',
  STACK_POSTGRES_PORT: 'local Postgres port (default: 5433)',
  STACK_POSTGRES_PASSWORD: 'password of the local Postgres superuser (default: orders)',
  TEMPORAL_CLI: 'path of a temporal binary to use instead of PATH or the project build',
  KAFKA_HOME: 'Apache Kafka installation to use instead of the Maven Central download',
  OTEL_EXPORTER_OTLP_ENDPOINT:
    'OTLP/HTTP base URL (e.g. http://127.0.0.1:4318); set, the generator, worker and bridge send traces to <URL>/v1/traces (default: unset, tracing off; npm start: the local stack\'s Jaeger)',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'full OTLP/HTTP traces URL; wins over OTEL_EXPORTER_OTLP_ENDPOINT (default: unset)',
  OTEL_SDK_DISABLED: 'true turns tracing off even with an endpoint set (default: false)',
  OTEL_TRACES_SAMPLER:
    'which orders are traced: parentbased_always_on (every order), parentbased_traceidratio (a share, OTEL_TRACES_SAMPLER_ARG), always_on, always_off, traceidratio, parentbased_always_off (default: parentbased_always_on)',
  OTEL_TRACES_SAMPLER_ARG: 'the share of orders traced by the ratio samplers, 0..1 (default: 1)',
  JAEGER_UI_URL: "Jaeger UI base URL: the dashboard's order lookup links to the order's trace (default: unset, no link; npm start: the local stack's Jaeger when it serves its UI pages)",
  STACK_JAEGER_OTLP_PORT: "local Jaeger's OTLP/HTTP receiver port (default: 4318)",
  STACK_JAEGER_UI_PORT: "local Jaeger's UI and query API port (default: 16686)",
  JAEGER_BIN: 'path of a jaeger (v2) binary to use instead of PATH or the project build',
  LOG_LEVEL: 'debug | info | warn | error (default: info)',
  SIM_CLOCK:
    "the run's simulated clock as SIMULATED-ISO@REAL-ISO*SPEED (npm start sets it for the generator and the dashboard; default: none, the generator starts its own at --start)",
} as const;

export type SettingName = keyof typeof SETTINGS;

/** Reads and validates the whole configuration. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const r = new Reader(env);
  const stack = readStack(r, cwd);
  const temporal = readTemporal(r, stack);
  const kafka = readKafka(r, stack);
  const database = readDatabase(r, stack);
  const ksqldbUrl = r.optionalUrl('KSQLDB_URL', ['http:', 'https:']);
  const simClock = readSimClock(r);
  const tracing = readTracing(r);
  const jaegerUiUrl = r.optionalUrl('JAEGER_UI_URL', ['http:', 'https:'])?.replace(/\/$/, '');
  return {
    ...(simClock ? { simClock } : {}),
    ...(tracing ? { tracing } : {}),
    ...(jaegerUiUrl ? { jaegerUiUrl } : {}),
    temporal,
    kafka,
    database,
    ...(ksqldbUrl ? { ksqldbUrl } : {}),
    dashboardPort: r.port('DASHBOARD_PORT', 3000),
    dashboardHost: r.host('DASHBOARD_HOST', '127.0.0.1'),
    superset: { port: r.port('SUPERSET_PORT', 8089), python: r.string('SUPERSET_PYTHON', 'python3') },
    worker: {
      maxConcurrentActivities: r.int('WORKER_MAX_CONCURRENT_ACTIVITIES', 100, 1, 10_000),
      maxConcurrentWorkflowTasks: r.int('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 40, 2, 10_000),
      maxCachedWorkflows: r.int('WORKER_MAX_CACHED_WORKFLOWS', 1000, 0, 1_000_000),
    },
    bridge: {
      batchSize: r.int('BRIDGE_BATCH_SIZE', 500, 1, 100_000),
      partitionsConsumedConcurrently: r.int('BRIDGE_PARTITIONS_CONCURRENTLY', 3, 1, 1000),
    },
    metrics: readMetrics(r),
    stack,
    logLevel: r.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
}

function readMetrics(r: Reader): MetricsConfig {
  const ports = {
    bridgePort: r.optionalPort('BRIDGE_METRICS_PORT'),
    workerPort: r.optionalPort('WORKER_METRICS_PORT'),
    generatorPort: r.optionalPort('GENERATOR_METRICS_PORT'),
  };
  const metrics: MetricsConfig = { host: r.host('METRICS_HOST', '127.0.0.1') };
  for (const [key, port] of Object.entries(ports) as Array<[keyof typeof ports, number | undefined]>) if (port !== undefined) metrics[key] = port;
  return metrics;
}

function readSimClock(r: Reader): SimClockAnchor | undefined {
  const raw = r.optionalString('SIM_CLOCK');
  if (raw === undefined) return undefined;
  const clock = parseSimClock(raw);
  if (!clock) throw new ConfigError('SIM_CLOCK', `expected SIMULATED-ISO@REAL-ISO*SPEED such as 2026-01-01T00:00:00Z@2026-12-02T02:30:00Z*3600, got "${raw}"`);
  return clock;
}

/** Standard OTel variables: the traces URL, else the base URL + /v1/traces; OTEL_SDK_DISABLED wins. */
function readTracing(r: Reader): TracingConfig | undefined {
  const disabled = r.bool('OTEL_SDK_DISABLED', false);
  const full = r.optionalUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']);
  const base = r.optionalUrl('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  if (disabled || (full === undefined && base === undefined)) return undefined;
  return { tracesUrl: full ?? `${(base as string).replace(/\/$/, '')}/v1/traces`, sampler: readSampler(r) };
}

function readSampler(r: Reader): TraceSampler {
  const kind = r.oneOf('OTEL_TRACES_SAMPLER', TRACE_SAMPLERS, 'parentbased_always_on');
  const raw = r.optionalString('OTEL_TRACES_SAMPLER_ARG');
  const ratio = raw === undefined ? 1 : Number(raw);
  if (raw !== undefined && !(/^\s*[\d.]+(e-?\d+)?\s*$/i.test(raw) && ratio >= 0 && ratio <= 1)) {
    throw new ConfigError('OTEL_TRACES_SAMPLER_ARG', `expected a share of traces between 0 and 1, got "${raw}"`);
  }
  return { kind, ratio };
}

function readStack(r: Reader, cwd: string): StackConfig {
  const stateDir = path.resolve(cwd, r.string('STACK_STATE_DIR', '.stack'));
  const temporalCli = r.optionalString('TEMPORAL_CLI');
  const kafkaHome = r.optionalString('KAFKA_HOME');
  const jaegerBin = r.optionalString('JAEGER_BIN');
  return {
    stateDir,
    temporalPort: r.port('STACK_TEMPORAL_PORT', 7233),
    temporalUiPort: r.port('STACK_TEMPORAL_UI_PORT', 8233),
    kafkaPort: r.port('STACK_KAFKA_PORT', 9092),
    kafkaControllerPort: r.port('STACK_KAFKA_CONTROLLER_PORT', 9093),
    postgresPort: r.port('STACK_POSTGRES_PORT', 5433),
    postgresPassword: r.string('STACK_POSTGRES_PASSWORD', 'orders'),
    ...(temporalCli ? { temporalCli } : {}),
    ...(kafkaHome ? { kafkaHome } : {}),
    jaegerOtlpPort: r.port('STACK_JAEGER_OTLP_PORT', 4318),
    jaegerUiPort: r.port('STACK_JAEGER_UI_PORT', 16686),
    ...(jaegerBin ? { jaegerBin } : {}),
    manage: {
      temporal: !r.isSet('TEMPORAL_ADDRESS'),
      kafka: !r.isSet('KAFKA_BROKERS'),
      postgres: !r.isSet('DATABASE_URL'),
      // An OTLP endpoint of yours, or tracing turned off, means no local Jaeger.
      jaeger: !r.isSet('OTEL_EXPORTER_OTLP_ENDPOINT') && !r.isSet('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') && !r.bool('OTEL_SDK_DISABLED', false),
    },
  };
}

function readTemporal(r: Reader, stack: StackConfig): TemporalConfig {
  const address = r.hostPort('TEMPORAL_ADDRESS', `127.0.0.1:${stack.temporalPort}`);
  const apiKey = r.optionalString('TEMPORAL_API_KEY');
  const tlsOn = r.bool('TEMPORAL_TLS', false) || apiKey !== undefined;
  const files = r.tlsFiles('TEMPORAL_TLS_CA_PATH', 'TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH');
  if (!tlsOn && Object.keys(files).length > 0) {
    throw new ConfigError('TEMPORAL_TLS', 'TLS files are set but TEMPORAL_TLS is not true');
  }
  return {
    address,
    namespace: r.string('TEMPORAL_NAMESPACE', 'default'),
    taskQueue: r.string('TEMPORAL_TASK_QUEUE', 'order-lifecycle'),
    uiUrl: r.url('TEMPORAL_UI_URL', `http://127.0.0.1:${stack.temporalUiPort}`, ['http:', 'https:']).replace(/\/$/, ''),
    tls: tlsOn ? files : false,
    ...(apiKey ? { apiKey } : {}),
  };
}

function readKafka(r: Reader, stack: StackConfig): KafkaConfig {
  const brokersRaw = r.string('KAFKA_BROKERS', `127.0.0.1:${stack.kafkaPort}`);
  const brokers = brokersRaw.split(',').map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) throw new ConfigError('KAFKA_BROKERS', 'expected at least one host:port');
  for (const b of brokers) assertHostPort('KAFKA_BROKERS', b);
  const mechanism = r.optionalOneOf('KAFKA_SASL_MECHANISM', ['plain', 'scram-sha-256', 'scram-sha-512'] as const);
  let sasl: KafkaConfig['sasl'];
  if (mechanism) {
    sasl = {
      mechanism,
      username: r.required('KAFKA_SASL_USERNAME', `it is needed with KAFKA_SASL_MECHANISM=${mechanism}`),
      password: r.required('KAFKA_SASL_PASSWORD', `it is needed with KAFKA_SASL_MECHANISM=${mechanism}`),
    };
  }
  const sslOn = r.bool('KAFKA_SSL', false) || sasl !== undefined;
  const ca = r.optionalFile('KAFKA_SSL_CA_PATH');
  const prefix = r.string('KAFKA_TOPIC_PREFIX', '');
  if (!/^[A-Za-z0-9._-]*$/.test(prefix)) {
    throw new ConfigError('KAFKA_TOPIC_PREFIX', `expected letters, digits, '.', '_' or '-', got "${prefix}"`);
  }
  return {
    brokers,
    clientId: r.string('KAFKA_CLIENT_ID', 'order-pipeline'),
    ssl: sslOn ? (ca ? { caPath: ca } : {}) : false,
    ...(sasl ? { sasl } : {}),
    topics: topicNames(prefix),
    topicPartitions: r.int('KAFKA_TOPIC_PARTITIONS', 3, 1, 1000),
    bridgeGroupId: r.string('KAFKA_BRIDGE_GROUP_ID', 'order-bridge'),
    maxMessageBytes: r.int('KAFKA_MAX_MESSAGE_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    producerMaxInFlight: r.int('KAFKA_PRODUCER_MAX_IN_FLIGHT', 2, 1, 100),
    // An order message is about 1.5 kB; 1,000 of them, spread by key over a topic's partitions,
    // keep each partition's record batch under the broker's default 1 MB (message.max.bytes).
    producerMaxBatch: r.int('KAFKA_PRODUCER_MAX_BATCH', 200, 1, 1000),
  };
}

/** Topic names (docs/order-document.md), behind an optional prefix (tests use one per run to stay isolated). */
export function topicNames(prefix = ''): KafkaTopics {
  return {
    unpaid: `${prefix}unpaid_orders`,
    paid: `${prefix}paid_orders`,
    shipped: `${prefix}shipped_orders`,
    finished: `${prefix}finished_orders`,
    failed: `${prefix}failed_orders`,
    deadLetter: `${prefix}dead_letter_orders`,
  };
}

function readDatabase(r: Reader, stack: StackConfig): DatabaseConfig {
  const url = r.url(
    'DATABASE_URL',
    `postgres://postgres:${encodeURIComponent(stack.postgresPassword)}@127.0.0.1:${stack.postgresPort}/orders`,
    ['postgres:', 'postgresql:'],
  );
  const readOnlyUrl = r.optionalUrl('DATABASE_READONLY_URL', ['postgres:', 'postgresql:']);
  const bridgeUrl = r.optionalUrl('DATABASE_BRIDGE_URL', ['postgres:', 'postgresql:']);
  // Without a user name the bridge would connect as whatever PGUSER or the OS user is: say so now.
  if (bridgeUrl !== undefined && new URL(bridgeUrl).username === '') {
    throw new ConfigError('DATABASE_BRIDGE_URL', 'expected a URL with the user name of the login (postgres://user:password@host:port/db)');
  }
  const sslMode = r.oneOf('DATABASE_SSL', ['disable', 'require', 'verify-full'] as const, 'disable');
  const sslCaPath = r.optionalFile('DATABASE_SSL_CA_PATH');
  return {
    url,
    sslMode,
    ...(sslCaPath ? { sslCaPath } : {}),
    ...(readOnlyUrl ? { readOnlyUrl } : {}),
    ...(bridgeUrl ? { bridgeUrl } : {}),
  };
}

/** Reads one variable at a time; every failure names the variable. */
class Reader {
  constructor(private readonly env: Env) {}

  isSet(name: SettingName): boolean {
    const v = this.env[name];
    return v !== undefined && v.trim() !== '';
  }

  optionalString(name: SettingName): string | undefined {
    return this.isSet(name) ? (this.env[name] as string).trim() : undefined;
  }

  string(name: SettingName, fallback: string): string {
    return this.optionalString(name) ?? fallback;
  }

  required(name: SettingName, why: string): string {
    const v = this.optionalString(name);
    if (v === undefined) throw new ConfigError(name, `missing; ${why}`);
    return v;
  }

  int(name: SettingName, fallback: number, min: number, max: number): number {
    const raw = this.optionalString(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new ConfigError(name, `expected ${min}..${max}, got ${n}`);
    return n;
  }

  port(name: SettingName, fallback: number): number {
    return this.int(name, fallback, 1, 65_535);
  }

  optionalPort(name: SettingName): number | undefined {
    return this.isSet(name) ? this.port(name, 0) : undefined;
  }

  bool(name: SettingName, fallback: boolean): boolean {
    const raw = this.optionalString(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    throw new ConfigError(name, `expected true or false, got "${raw}"`);
  }

  oneOf<T extends string>(name: SettingName, allowed: readonly T[], fallback: T): T {
    return this.optionalOneOf(name, allowed) ?? fallback;
  }

  optionalOneOf<T extends string>(name: SettingName, allowed: readonly T[]): T | undefined {
    const raw = this.optionalString(name);
    if (raw === undefined) return undefined;
    const v = raw.toLowerCase();
    if (!(allowed as readonly string[]).includes(v)) {
      throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return v as T;
  }

  hostPort(name: SettingName, fallback: string): string {
    const v = this.string(name, fallback);
    assertHostPort(name, v);
    return v;
  }

  host(name: SettingName, fallback: string): string {
    const v = this.string(name, fallback);
    if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)$/.test(v)) throw new ConfigError(name, `expected a host name or IP address, got "${v}"`);
    return v;
  }

  url(name: SettingName, fallback: string, protocols: string[]): string {
    return this.optionalUrl(name, protocols) ?? fallback;
  }

  optionalUrl(name: SettingName, protocols: string[]): string | undefined {
    const raw = this.optionalString(name);
    if (raw === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(name, `expected a URL (${protocols.join(' or ')}//…), got something else`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
    }
    return raw;
  }

  optionalFile(name: SettingName): string | undefined {
    const p = this.optionalString(name);
    if (p === undefined) return undefined;
    try {
      readFileSync(p);
    } catch (err) {
      throw new ConfigError(name, `cannot read file ${p} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return p;
  }

  tlsFiles(ca: SettingName, cert: SettingName, key: SettingName): TlsFiles {
    const files: TlsFiles = {};
    const caPath = this.optionalFile(ca);
    const certPath = this.optionalFile(cert);
    const keyPath = this.optionalFile(key);
    if ((certPath === undefined) !== (keyPath === undefined)) {
      throw new ConfigError(certPath ? key : cert, `${cert} and ${key} must be set together`);
    }
    if (caPath) files.caPath = caPath;
    if (certPath) files.certPath = certPath;
    if (keyPath) files.keyPath = keyPath;
    return files;
  }
}

function assertHostPort(name: string, value: string): void {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65_535) {
    throw new ConfigError(name, `expected host:port, got "${value}"`);
  }
}

/** Hides the password of a URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
