/**
 * Programs under measurement as child processes (`node --import tsx <script>`), the way they run in
 * production, through the project's one supervisor (src/process/supervisor.ts): output in a log
 * file, ready once they print their ready line, stopped by their own pid (SIGTERM, SIGKILL after a
 * grace period).
 */
import { scriptOptions, Supervisor, type ScriptSpec } from '../../src/process/supervisor.js';

const READY_TIMEOUT_MS = 120_000;

export type ChildSpec = ScriptSpec;

export class BenchChild {
  private constructor(
    private readonly supervisor: Supervisor,
    readonly pid: number,
  ) {}

  get name(): string {
    return this.supervisor.name;
  }

  /** Starts the program and resolves once it logs its ready line (a child that is not ready is stopped). */
  static async start(spec: ChildSpec): Promise<BenchChild> {
    // No restart policy: a child under measurement that exits is a failed run, not something to hide.
    const supervisor = new Supervisor(scriptOptions(spec, READY_TIMEOUT_MS));
    const proc = await supervisor.start();
    return new BenchChild(supervisor, proc.pid);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; by this child's own pid only. */
  stop(graceMs = 40_000): Promise<void> {
    return this.supervisor.stop(graceMs);
  }
}
