/**
 * Child processes of the local stack: started with their output in a log file, stopped by their
 * own pid (SIGTERM, then SIGKILL after a grace period), never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { identityOf, type ProcessIdentity } from './process-identity.js';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  stop(graceMs?: number): Promise<void>;
  /** Last lines of the log, to explain a failed start. */
  tail(lines?: number): string;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this OS user (PostgreSQL refuses root). */
  uid?: number;
  gid?: number;
  /** Signal for a graceful stop; PostgreSQL wants SIGINT ("fast" shutdown), most others SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /**
   * Where to record the running process (PidRecord) until it exits: if our own process is killed
   * outright, the next start finds the server it left and stops it (src/stack/leftovers.ts).
   */
  pidFile?: string;
}

/** A pid file of the stack: the server and the process that started it, each with its start time. */
export interface PidRecord {
  name: string;
  server: ProcessIdentity;
  owner: ProcessIdentity;
  stopSignal: NodeJS.Signals;
  command: string;
}

function writePidFile(opts: SpawnOptions, pid: number | undefined): void {
  if (!opts.pidFile || pid === undefined) return;
  const server = identityOf(pid);
  const owner = identityOf(process.pid);
  if (!server || !owner) return;
  const record: PidRecord = { name: opts.name, server, owner, stopSignal: opts.stopSignal ?? 'SIGTERM', command: opts.command };
  mkdirSync(path.dirname(opts.pidFile), { recursive: true });
  writeFileSync(opts.pidFile, JSON.stringify(record, null, 2));
}

/**
 * Children run in their own process group, so a Ctrl-C in the terminal reaches only us and we stop
 * them in order (the app before the servers it uses). If we die without stopping them, this hook
 * kills whatever is left, so no server outlives the command that started it.
 */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function spawnLogged(opts: SpawnOptions): ManagedProcess {
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}),
  });
  live.add(child);
  writePidFile(opts, child.pid);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.on('error', (err) => {
      done = true;
      log.write(`\n[stack] failed to start ${opts.command}: ${err.message}\n`);
      resolve(`error: ${err.message}`);
    });
    child.on('exit', (code, signal) => {
      done = true;
      live.delete(child);
      if (opts.pidFile) rmSync(opts.pidFile, { force: true });
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    });
  }).finally(() => log.end());
  return {
    name: opts.name,
    pid: child.pid ?? -1,
    logFile: opts.logFile,
    exited,
    hasExited: () => done,
    async stop(graceMs = 15_000) {
      if (done) return;
      child.kill(opts.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => {
        if (!done) child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
    tail: (lines = 20) => tailFile(opts.logFile, lines),
  };
}

export function tailFile(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

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
    child.on('error', (err) => reject(new Error(`cannot run ${command}: ${err.message}`)));
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with code ${code}:\n${recent.join('\n')}`));
    });
  });
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
