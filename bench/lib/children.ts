/**
 * Programs under measurement as child processes (`node --import tsx <script>`), the way they run in
 * production, through the project's one supervisor (src/process/supervisor.ts): output in a log
 * file, ready once they print their ready line, stopped by their own pid (SIGTERM, SIGKILL after a
 * grace period).
 */
import { fileURLToPath } from 'node:url';
import { Supervisor, tsxArgs } from '../../src/process/supervisor.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 120_000;

export interface ChildSpec {
  name: string;
  /** Script path relative to the repository root. */
  script: string;
  /** Arguments after the script. */
  args?: string[];
  /** A line the program logs once it does its job (polling / consuming). */
  readyPattern: RegExp;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

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
    const supervisor = new Supervisor({
      name: spec.name,
      command: process.execPath,
      args: tsxArgs(spec.script, spec.args),
      cwd: ROOT,
      env: spec.env,
      logFile: spec.logFile,
      // The terminal's Ctrl-C reaches the children too, as it did when the benchmark ran them in its own group.
      ownProcessGroup: false,
      readyPattern: spec.readyPattern,
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    const proc = await supervisor.start();
    return new BenchChild(supervisor, proc.pid);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; by this child's own pid only. */
  stop(graceMs = 40_000): Promise<void> {
    return this.supervisor.stop(graceMs);
  }
}
