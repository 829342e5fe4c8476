/**
 * The worker and the bridge as real child processes (`node --import tsx src/.../cli.ts`), the way
 * they run in production, kept running by the project's one supervisor (src/process/supervisor.ts):
 * a planned SIGKILL is followed by a restart, and an unplanned exit (say the bridge giving up while
 * Kafka is away) is restarted too and counted, so the table shows it instead of hiding it.
 */
import { fileURLToPath } from 'node:url';
import { Supervisor, tsxArgs, type Exit } from '../../src/process/supervisor.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 90_000;
/** A dependency may still be down: a restart that fails is tried again after this pause. */
const RETRY_FAILED_RESTART_MS = 2_000;

export interface ChildSpec {
  name: 'worker' | 'bridge';
  script: string;
  /** A line the program logs once it does its job (polling / consuming). */
  readyPattern: RegExp;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

/** A ready process that exits by itself is restarted at once; a failed restart every 2 s until it comes up. */
const restartAtOnce = (exit: Exit) => (exit.beforeReady ? RETRY_FAILED_RESTART_MS : 0);

export function superviseChild(spec: ChildSpec): Supervisor {
  return new Supervisor({
    name: spec.name,
    command: process.execPath,
    args: tsxArgs(spec.script),
    cwd: ROOT,
    env: spec.env,
    logFile: spec.logFile,
    // The terminal's Ctrl-C reaches the children too; the suite stops them itself all the same.
    ownProcessGroup: false,
    readyPattern: spec.readyPattern,
    readyTimeoutMs: READY_TIMEOUT_MS,
    onUnplannedExit: restartAtOnce,
  });
}
