/**
 * The Jaeger piece of the local stack: the Jaeger v2 binary (an OpenTelemetry Collector build with
 * Jaeger's storage and query extensions), receiving OTLP/HTTP and keeping traces in memory, with
 * its UI and query API on one port. The binary comes from JAEGER_BIN, then PATH, then the project's
 * own build (the Go module proxy, built once into the state folder, like the Temporal CLI). Its
 * configuration is a small YAML file written into the data folder with the ports of this start.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StackConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { pidFileFor } from './leftovers.js';
import { spawnLogged, type ManagedProcess } from '../process/supervisor.js';
import { runCommand } from './process.js';
import { resolveGoBinary } from './tools.js';
import { assertPortFree, freePort, waitUntil } from './wait.js';

/**
 * `go install` refuses this module (its go.mod carries replace directives), so the build is a
 * throwaway module that requires it as a tool: `go get -tool`, then `go build` of the package.
 */
export const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
/** v1.75.0 is Jaeger v2.12.0, the newest release the module proxy here serves as approved. */
export const JAEGER_VERSION = 'v1.75.0';
const JAEGER_PACKAGE = `${JAEGER_MODULE}/cmd/jaeger`;

/** Traces kept in memory at most; older ones are dropped (a local run traces every order). */
const MAX_TRACES = 20_000;

export function resolveJaeger(stack: StackConfig, log: Logger): Promise<string> {
  return resolveGoBinary(
    stack.stateDir,
    {
      name: 'jaeger',
      version: JAEGER_VERSION,
      setting: { variable: 'JAEGER_BIN', value: stack.jaegerBin },
      announce: `Jaeger ${JAEGER_VERSION} once from the Go module proxy (10 to 30 minutes`,
      what: 'Jaeger',
      withoutGo: 'set JAEGER_BIN to a Jaeger v2 binary',
      build: async (go, target, env) => {
        const work = mkdtempSync(path.join(os.tmpdir(), 'jaeger-build-'));
        const onLine = (line: string) => log.debug(`go: ${line}`);
        try {
          await runCommand(go, ['mod', 'init', 'jaegerbuild'], { cwd: work, env, onLine });
          await runCommand(go, ['get', '-tool', `${JAEGER_PACKAGE}@${JAEGER_VERSION}`], { cwd: work, env, onLine });
          // Into a temporary name first: an interrupted build never leaves a half-written binary behind.
          await runCommand(go, ['build', '-o', `${target}.partial`, JAEGER_PACKAGE], { cwd: work, env, onLine });
          renameSync(`${target}.partial`, target);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      },
    },
    log,
  );
}

export interface JaegerServer {
  /** OTLP/HTTP base URL (the SDK appends /v1/traces). */
  otlpUrl: string;
  /** Query API (/api/traces) and, when the binary carries them, the UI pages. */
  uiUrl: string;
  /**
   * Whether the UI pages are real. A Jaeger built from its Go module (what the stack builds) has
   * no UI assets: they come from a separate npm build in Jaeger's release process, and its pages
   * are a placeholder. The query API works either way; a release binary (PATH, JAEGER_BIN) has both.
   */
  hasUi: boolean;
  process: ManagedProcess;
}

/** The placeholder page a Jaeger built without its UI assets serves instead of the UI. */
const UI_PLACEHOLDER = 'This is not the Jaeger UI you are looking for';

async function servesUi(uiUrl: string): Promise<boolean> {
  const res = await fetch(`${uiUrl}/`, { signal: AbortSignal.timeout(2000) });
  return res.ok && !(await res.text()).includes(UI_PLACEHOLDER);
}

/** The collector configuration: OTLP/HTTP in, memory store, query UI; its own metrics off. */
export function jaegerConfigYaml(ports: { otlp: number; ui: number; queryGrpc: number }): string {
  return `# Written by the order pipeline's local stack at each start (src/stack/jaeger.ts).
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${ports.ui}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpc}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${MAX_TRACES}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlp}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

export async function startJaeger(stack: StackConfig, dataDir: string, log: Logger): Promise<JaegerServer> {
  const bin = await resolveJaeger(stack, log);
  await assertPortFree(stack.jaegerOtlpPort, 'STACK_JAEGER_OTLP_PORT', "Jaeger's OTLP receiver");
  await assertPortFree(stack.jaegerUiPort, 'STACK_JAEGER_UI_PORT', 'the Jaeger UI');
  const dir = path.join(dataDir, 'jaeger');
  mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'config.yaml');
  // The query service's gRPC API is not used here but always listens: on a port of our choosing, not its fixed 16685.
  writeFileSync(configFile, jaegerConfigYaml({ otlp: stack.jaegerOtlpPort, ui: stack.jaegerUiPort, queryGrpc: await freePort() }));
  const proc = spawnLogged({
    name: 'jaeger',
    command: bin,
    args: ['--config', configFile],
    logFile: path.join(dataDir, 'logs', 'jaeger.log'),
    pidFile: pidFileFor(dataDir, 'jaeger'),
  });
  const otlpUrl = `http://127.0.0.1:${stack.jaegerOtlpPort}`;
  const uiUrl = `http://127.0.0.1:${stack.jaegerUiPort}`;
  await waitUntil('Jaeger query API', () => answers(`${uiUrl}/api/services`), { timeoutMs: 60_000, process: proc, intervalMs: 300 });
  // The receiver answers a GET on its traces path with 405: it is listening.
  await waitUntil("Jaeger's OTLP receiver", async () => (await fetch(`${otlpUrl}/v1/traces`, { signal: AbortSignal.timeout(2000) })).status < 500, {
    timeoutMs: 30_000,
    process: proc,
  });
  const hasUi = await servesUi(uiUrl);
  if (!hasUi) log.info(`this Jaeger build serves its query API (${uiUrl}/api/traces) but no UI pages (they are not in its Go module; a release binary on PATH or JAEGER_BIN has them)`);
  return { otlpUrl, uiUrl, hasUi, process: proc };
}

async function answers(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}
