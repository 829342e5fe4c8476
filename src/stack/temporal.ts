/**
 * The Temporal piece of the local stack: the official `temporal` CLI dev server (server, file
 * database and Web UI in one binary). The binary comes from TEMPORAL_CLI, then PATH, then the
 * project's own build (`go install` of the CLI into the state folder, cached after the first time).
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { StackConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../workflows/contract.js';
import { pidFileFor } from './leftovers.js';
import { spawnLogged, type ManagedProcess } from '../process/supervisor.js';
import { runCommand } from './process.js';
import { resolveGoBinary } from './tools.js';
import { assertPortFree, canConnect, waitUntil } from './wait.js';

/** 1.5.x is the newest CLI release `go install` accepts; later ones carry a replace directive. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export function resolveTemporalCli(stack: StackConfig, log: Logger): Promise<string> {
  return resolveGoBinary(
    stack.stateDir,
    {
      name: 'temporal',
      version: TEMPORAL_CLI_VERSION,
      setting: { variable: 'TEMPORAL_CLI', value: stack.temporalCli },
      announce: `the Temporal CLI once: go install ${TEMPORAL_CLI_MODULE} (a few minutes`,
      what: 'the Temporal CLI',
      withoutGo: 'set TEMPORAL_CLI to a temporal binary',
      build: async (go, target, env) => {
        // go install names the file `temporal`: install into a folder of its own, then move it to
        // the versioned name (an interrupted build leaves no half-written binary under that name).
        const gobin = `${target}.gobin`;
        try {
          await runCommand(go, ['install', TEMPORAL_CLI_MODULE], {
            env: { ...env, GOBIN: gobin },
            onLine: (line) => log.debug(`go: ${line}`),
          });
          renameSync(path.join(gobin, 'temporal'), target);
        } finally {
          rmSync(gobin, { recursive: true, force: true });
        }
      },
    },
    log,
  );
}

export interface TemporalServer {
  address: string;
  uiUrl: string;
  process: ManagedProcess;
}

export async function startTemporal(stack: StackConfig, dataDir: string, log: Logger): Promise<TemporalServer> {
  const cli = await resolveTemporalCli(stack, log);
  await assertPortFree(stack.temporalPort, 'STACK_TEMPORAL_PORT', 'Temporal');
  await assertPortFree(stack.temporalUiPort, 'STACK_TEMPORAL_UI_PORT', 'the Temporal UI');
  const dir = path.join(dataDir, 'temporal');
  mkdirSync(dir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(stack.temporalPort),
    '--ui-port', String(stack.temporalUiPort),
    '--db-filename', path.join(dir, 'temporal.db'),
    // The file database behind one SQLite connection is the dev server's ceiling: in the default
    // rollback-journal mode every commit fsyncs the journal and the file. WAL with synchronous=NORMAL
    // keeps commits across a crash of the server (not of the OS) at about 2.5 times the workflows
    // per second (npm run bench, BENCHMARKS.md).
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    '--namespace', 'default',
    // The generator paces a history on the task queue's backlog (src/generator/backlog-gate.ts);
    // the server's default 5 s cache of those stats would let it admit one batch per 5 s.
    '--dynamic-config-value', 'matching.TaskQueueInfoByBuildIdTTL="1s"',
    // The CLI turns the search-attribute cache off so that attributes added while it runs show at
    // once; every start, upsert and visibility write then reads the namespace and the cluster's
    // attributes from SQLite again. Ours are created with the namespace, before the server serves
    // (--search-attribute below), so the cache never misses them: about 16 % of the server's CPU
    // per order (BENCHMARKS.md).
    '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false',
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTE_REGISTRATIONS.flatMap((a) => ['--search-attribute', a.spec]),
  ];
  const proc = spawnLogged({ name: 'temporal', command: cli, args, logFile: path.join(dataDir, 'logs', 'temporal.log'), pidFile: pidFileFor(dataDir, 'temporal') });
  const address = `127.0.0.1:${stack.temporalPort}`;
  const uiUrl = `http://127.0.0.1:${stack.temporalUiPort}`;
  await waitUntil('Temporal server', () => temporalAnswers(address), { timeoutMs: 90_000, process: proc, intervalMs: 300 });
  await waitUntil('Temporal Web UI', () => uiAnswers(uiUrl), { timeoutMs: 30_000, process: proc });
  return { address, uiUrl, process: proc };
}

/** A real round trip: the frontend lists the default namespace. */
export async function temporalAnswers(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  if (!(await canConnect(host ?? '127.0.0.1', Number(port)))) return false;
  const connection = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } finally {
    await connection.close();
  }
}

async function uiAnswers(uiUrl: string): Promise<boolean> {
  const res = await fetch(uiUrl, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}
