/**
 * The worker and the bridge as real child processes (`node --import tsx src/.../cli.ts`), the way
 * they run in production, kept running by the project's one supervisor (src/process/supervisor.ts):
 * a planned SIGKILL is followed by a restart, and an unplanned exit (say the bridge giving up while
 * Kafka is away) is restarted too and counted, so the table shows it instead of hiding it.
 */
import { scriptOptions, Supervisor, type Exit, type ScriptSpec } from '../../src/process/supervisor.js';

const READY_TIMEOUT_MS = 90_000;
/** A dependency may still be down: a restart that fails is tried again after this pause. */
const RETRY_FAILED_RESTART_MS = 2_000;

export interface ChildSpec extends ScriptSpec {
  name: 'worker' | 'bridge';
}

/** A ready process that exits by itself is restarted at once; a failed restart every 2 s until it comes up. */
const restartAtOnce = (exit: Exit) => (exit.beforeReady ? RETRY_FAILED_RESTART_MS : 0);

export function superviseChild(spec: ChildSpec): Supervisor {
  return new Supervisor({ ...scriptOptions(spec, READY_TIMEOUT_MS), onUnplannedExit: restartAtOnce });
}
