/**
 * The project's programs as real child processes, started the way a user or an image starts them
 * (`node dist/workers/cli.js`, `node --import tsx src/bridge/cli.ts`, ...), each waited on until it
 * logs the line that says it does its job, and stopped by its own pid with a signal, as a process
 * manager or `docker compose stop` would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PROCESS_STOP_GRACE_MS } from '../../src/workers/shutdown-grace.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr, interleaved). */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects if the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code once the process has exited by itself (a one-shot). */
  exited(): Promise<number | null>;
  /** Sends `signal` (SIGTERM: a graceful stop) and resolves with the exit code; SIGKILL after the grace period. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export function startApp(name: string, args: string[], env: NodeJS.ProcessEnv): AppProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    text += d.toString();
    if (text.length > 2_000_000) text = text.slice(-1_000_000);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    child,
    output: () => text,
    exited: () => exited,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          listeners.delete(check);
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (pattern.test(text)) done();
        };
        const timer = setTimeout(() => done(new Error(`${name}: no ${pattern} within ${timeoutMs / 1000} s:\n${text.slice(-3000)}`)), timeoutMs);
        listeners.add(check);
        void exited.then((code) => {
          if (listeners.has(check) && !pattern.test(text)) done(new Error(`${name} exited (code ${code}) before ${pattern}:\n${text.slice(-3000)}`));
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM', graceMs = PROCESS_STOP_GRACE_MS) {
      if (!running()) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => {
        if (running()) child.kill('SIGKILL');
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
