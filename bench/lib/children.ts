/**
 * Programs under measurement as child processes (`node --import tsx <script>`), the way they run in
 * production: started with their output in a log file, ready once they print their ready line,
 * stopped by their own pid (SIGTERM, SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pollUntil } from '../../src/stack/wait.js';

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

/** Children still running, killed if the benchmark dies without stopping them. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class BenchChild {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly done: Promise<void>,
    private readonly logClosed: Promise<void>,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Starts the program and resolves once it logs its ready line. */
  static async start(spec: ChildSpec): Promise<BenchChild> {
    const log = createWriteStream(spec.logFile, { flags: 'a' });
    const logClosed = new Promise<void>((resolve) => log.once('close', () => resolve()));
    const child = spawn(process.execPath, ['--import', 'tsx', spec.script, ...(spec.args ?? [])], { cwd: ROOT, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const done = new Promise<void>((resolve) =>
      child.once('exit', () => {
        live.delete(child);
        resolve();
      }),
    );
    // The log stream ends only after both pipes have closed, so no late write hits an ended stream.
    let open = 2;
    const closeOne = () => {
      if (--open === 0) log.end();
    };
    let text = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (d: Buffer) => {
        log.write(d);
        if (text.length < 200_000) text += d.toString();
      });
      stream?.once('close', closeOne);
    }
    const bench = new BenchChild(spec.name, child, done, logClosed);
    const childExited = () => child.exitCode !== null || child.signalCode !== null;
    const ready = await pollUntil(() => spec.readyPattern.test(text) || childExited(), { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 });
    if (!spec.readyPattern.test(text) && childExited()) throw new Error(`${spec.name} exited before it was ready (log ${spec.logFile}):\n${text.slice(-2000)}`);
    if (!ready) {
      await bench.stop(1000);
      throw new Error(`${spec.name} not ready within ${READY_TIMEOUT_MS / 1000} s (log ${spec.logFile}):\n${text.slice(-2000)}`);
    }
    return bench;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; by this child's own pid only. */
  async stop(graceMs = 40_000): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.done;
      clearTimeout(timer);
    }
    await this.logClosed;
  }
}
