/**
 * One-shot commands of the local stack (initdb, kafka-storage format, ...) and pid probes. Long-lived
 * children (the servers) are started and stopped by src/process/supervisor.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** One-shot commands running now, so an interrupted start can end them (killRunningCommands). */
const running = new Set<ChildProcess>();

/** Runs a command to completion, streaming each output line to `onLine`; rejects on a non-zero exit. */
export function runCommand(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; uid?: number; gid?: number } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}),
    });
    running.add(child);
    const recent: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        recent.push(line);
        if (recent.length > 30) recent.shift();
        opts.onLine?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => {
      running.delete(child);
      reject(new Error(`cannot run ${command}: ${err.message}`));
    });
    child.on('exit', (code) => {
      running.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with code ${code}:\n${recent.join('\n')}`));
    });
  });
}

/**
 * Kills the one-shot commands still running (initdb, kafka-storage format: they write into the
 * stack's folder) and resolves when they are gone; returns how many there were. For a start that
 * is interrupted: the servers are stopped by their pid files, these have none.
 */
export async function killRunningCommands(): Promise<number> {
  const live = [...running].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    live.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
  return live.length;
}

/** True if a process with this pid exists (signal 0 probes without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
