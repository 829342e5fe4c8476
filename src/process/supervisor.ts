/**
 * The one way this project runs a long-lived child process: the local stack's servers, npm start's
 * services, the benchmarks' and the fault suite's programs. A child's output goes to its log file
 * (and, line by line, to whoever asks); it is ready once it prints its ready line; it is stopped by
 * its own pid, never by name (its stop signal, then SIGKILL after a grace period); a supervised one
 * may be restarted after it exits by itself, with the exits counted; and whatever is still running
 * when this process exits is killed, so no child outlives the command that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { identityOf, isSameProcess, type ProcessIdentity } from '../stack/process-identity.js';
import { pollUntil } from '../stack/wait.js';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Where the output goes ('' when only onLine receives it). */
  readonly logFile: string;
  /** Resolves with the exit code (`code N`) or signal (`signal SIG`) once the process has exited. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  /** The exit code once exited (null: ended by a signal, or still running). */
  exitCode(): number | null;
  /** Its stop signal, then SIGKILL once `graceMs` has passed; resolves once it exited and its output is written. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once (no goodbye, no flush): a planned crash. */
  kill(): Promise<void>;
  /** Resolves once a line matches `pattern`; rejects naming the log if the process exits first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Last lines of the output, to explain a failed start. */
  tail(lines?: number): string;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  /** Output of both streams is appended here; without one, only `onLine` sees it. */
  logFile?: string;
  /** Each output line (stdout and stderr), e.g. to print it with a prefix. */
  onLine?: (line: string) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this OS user (PostgreSQL refuses root). */
  uid?: number;
  gid?: number;
  /** Signal for a graceful stop; PostgreSQL wants SIGINT ("fast" shutdown), most others SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /**
   * Own process group (default): a Ctrl-C in the terminal reaches only us, and we stop children
   * in order (the app before the servers it uses). False: the terminal's signals reach it too.
   */
  ownProcessGroup?: boolean;
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

/** Children still running: killed if we exit without stopping them (a crash, process.exit). */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Output kept in memory for ready lines and error messages (the log file has all of it). */
const KEPT_OUTPUT_CHARS = 200_000;
/** After the child exits, a grandchild still holding its pipes must not keep the log open. */
const PIPE_DRAIN_MS = 5_000;

/** `node --import tsx <script> …args`: a program of this repository, as it runs in production. */
export function tsxArgs(script: string, args: readonly string[] = []): string[] {
  return ['--import', 'tsx', script, ...args];
}

export function spawnLogged(opts: SpawnOptions): ManagedProcess {
  const log = opts.logFile ? (mkdirSync(path.dirname(opts.logFile), { recursive: true }), createWriteStream(opts.logFile, { flags: 'a' })) : undefined;
  const child: ChildProcess = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownProcessGroup ?? true,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}),
  });
  live.add(child);
  writePidFile(opts, child.pid);
  let text = '';
  const lineListeners = new Set<(line: string) => void>();
  const onLine = (line: string) => {
    opts.onLine?.(line);
    for (const listener of lineListeners) listener(line);
  };
  // The log ends once both pipes have closed, so no late write hits an ended stream.
  const logClosed = Promise.all(
    [child.stdout, child.stderr].map((stream) => {
      if (!stream) return Promise.resolve();
      stream.on('data', (d: Buffer) => {
        log?.write(d);
        text += d.toString();
        if (text.length > 2 * KEPT_OUTPUT_CHARS) text = text.slice(-KEPT_OUTPUT_CHARS);
      });
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
      return new Promise<void>((resolve) => stream.once('close', () => resolve()));
    }),
  ).then(() => (log ? new Promise<void>((resolve) => log.end(resolve)) : undefined));
  let done = false;
  const closePipesSoon = (ms: number) => setTimeout(() => [child.stdout, child.stderr].forEach((s) => s?.destroy()), ms).unref();
  const exited = new Promise<string>((resolve) => {
    child.on('error', (err) => {
      done = true;
      live.delete(child);
      closePipesSoon(0);
      const note = `\n[${opts.name}] failed to start ${opts.command}: ${err.message}\n`;
      text += note;
      log?.write(note);
      resolve(`error: ${err.message}`);
    });
    child.on('exit', (code, signal) => {
      done = true;
      live.delete(child);
      if (opts.pidFile) rmSync(opts.pidFile, { force: true });
      closePipesSoon(PIPE_DRAIN_MS);
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    });
  });
  const where = opts.logFile ? `log ${opts.logFile}` : 'output';
  const tail = (lines = 20) => text.trimEnd().split('\n').slice(-lines).join('\n');
  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number) => {
    if (!done) {
      child.kill(signal);
      const timer = setTimeout(() => {
        if (!done) child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    }
    await logClosed;
  };
  return {
    name: opts.name,
    pid: child.pid ?? -1,
    logFile: opts.logFile ?? '',
    exited,
    hasExited: () => done,
    exitCode: () => child.exitCode,
    stop: (graceMs = 15_000) => signalAndWait(opts.stopSignal ?? 'SIGTERM', graceMs),
    kill: () => signalAndWait('SIGKILL', 0),
    async waitForLine(pattern, timeoutMs) {
      let seen = pattern.test(text);
      const listener = (line: string) => void (seen ||= pattern.test(line));
      lineListeners.add(listener);
      try {
        const ready = await pollUntil(() => seen || done, { timeoutMs, intervalMs: 100 });
        // Its last lines may still be in the pipes when it exits: read them all before judging.
        if (!seen && done) await logClosed;
        if (seen) return;
        if (done) throw new Error(`${opts.name} exited before it was ready (${await exited}); ${where}:\n${tail()}`);
        if (!ready) throw new Error(`${opts.name} not ready within ${Math.round(timeoutMs / 1000)} s (no line matching ${pattern}); ${where}:\n${tail()}`);
      } finally {
        lineListeners.delete(listener);
      }
    },
    tail,
  };
}

/**
 * Stops a process this one did not start (a server or service a killed run left behind) by its
 * recorded identity, never by name: `signal`, then SIGKILL once `graceMs` has passed; resolves once
 * it is gone. A pid now held by another program (other start time) is never signalled.
 */
export async function stopRecorded(id: ProcessIdentity, signal: NodeJS.Signals, graceMs: number): Promise<'gone' | 'stopped' | 'killed'> {
  if (!isSameProcess(id)) return 'gone';
  process.kill(id.pid, signal);
  if (await pollUntil(() => !isSameProcess(id), { timeoutMs: graceMs, intervalMs: 200 })) return 'stopped';
  if (isSameProcess(id)) process.kill(id.pid, 'SIGKILL');
  await pollUntil(() => !isSameProcess(id), { timeoutMs: Infinity, intervalMs: 100 });
  return 'killed';
}

/** How a supervised process ended, for the restart decision. */
export interface Exit {
  name: string;
  /** `code N` or `signal SIG`. */
  how: string;
  code: number | null;
  /** How long it ran. */
  ranForMs: number;
  /** It never printed its ready line (a failed start or restart). */
  beforeReady: boolean;
  /** The error of a failed start. */
  error?: Error;
}

export interface SupervisedOptions extends SpawnOptions {
  /** Ready once a line matches; without one, ready as soon as it runs. */
  readyPattern?: RegExp;
  readyTimeoutMs?: number;
  /**
   * Called on every exit nobody asked for (not stop(), not killAndRestart()), and on a failed
   * restart: the pause before starting it again, or undefined to leave it stopped.
   */
  onUnplannedExit?: (exit: Exit) => number | undefined;
  /** Each process started, e.g. to record its pid. */
  onStarted?: (proc: ManagedProcess) => void;
}

/** A program of this repository run as in production by the benchmark or the fault suite. */
export interface ScriptSpec {
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

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `node --import tsx <script>` from the repository root, ready at its ready line. It stays in the
 * terminal's process group, so a Ctrl-C reaches it too; its owner stops it all the same.
 */
export function scriptOptions(spec: ScriptSpec, readyTimeoutMs: number): SupervisedOptions {
  return {
    name: spec.name,
    command: process.execPath,
    args: tsxArgs(spec.script, spec.args),
    cwd: REPOSITORY_ROOT,
    env: spec.env,
    logFile: spec.logFile,
    ownProcessGroup: false,
    readyPattern: spec.readyPattern,
    readyTimeoutMs,
  };
}

/** Grace for a process that did not become ready in time: it is of no use, stop it briefly. */
const NOT_READY_STOP_GRACE_MS = 1_000;

/**
 * A program kept running: start() waits for its ready line; an exit nobody planned is counted and,
 * as onUnplannedExit decides, followed by a fresh process; killAndRestart() is a planned crash.
 */
export class Supervisor {
  private current: ManagedProcess | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartsHeld = false;
  private planned = false;
  /** Exits of ready processes that nobody asked for. */
  unplannedExits = 0;
  /** Processes started again after an unplanned exit (or a failed restart). */
  restarts = 0;

  constructor(private readonly opts: SupervisedOptions) {}

  get name(): string {
    return this.opts.name;
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  /** Starts the program and resolves once it is ready; a failed start throws (and stops it). */
  async start(): Promise<ManagedProcess> {
    const proc = spawnLogged(this.opts);
    this.current = proc;
    this.opts.onStarted?.(proc);
    const startedAt = Date.now();
    if (this.opts.readyPattern) {
      try {
        await proc.waitForLine(this.opts.readyPattern, this.opts.readyTimeoutMs ?? 120_000);
      } catch (err) {
        await proc.stop(NOT_READY_STOP_GRACE_MS);
        throw err;
      }
    }
    void proc.exited.then((how) => {
      if (this.planned || this.restartsHeld || proc !== this.current) return;
      this.unplannedExits++;
      this.afterExit({ name: this.name, how, code: proc.exitCode(), ranForMs: Date.now() - startedAt, beforeReady: false });
    });
    return proc;
  }

  /** SIGKILL (no goodbye, no flush), then a fresh process, ready. */
  async killAndRestart(): Promise<void> {
    const proc = this.current;
    if (!proc || proc.hasExited()) throw new Error(`${this.name} is not running`);
    this.planned = true;
    try {
      await proc.kill();
    } finally {
      this.planned = false;
    }
    await this.start();
  }

  /** No restart from now on (a pending one is cancelled): the caller is about to stop everything. */
  holdRestarts(): void {
    this.restartsHeld = true;
    clearTimeout(this.restartTimer);
  }

  /** Stops restarting, then stops the process by its pid (stop signal, SIGKILL after `graceMs`). */
  async stop(graceMs?: number): Promise<void> {
    this.holdRestarts();
    await this.current?.stop(graceMs);
  }

  private afterExit(exit: Exit): void {
    const delayMs = this.opts.onUnplannedExit?.(exit);
    this.note(`${this.name} ${exit.beforeReady ? 'did not start' : `exited by itself (${exit.how})`}; ${delayMs === undefined || this.restartsHeld ? 'not restarted' : `restarting in ${delayMs / 1000} s`}`);
    if (delayMs === undefined || this.restartsHeld) return;
    this.restartTimer = setTimeout(() => void this.restart(), delayMs);
  }

  /** A line in the log file (after the child's own), saying what the supervisor did. */
  private note(line: string): void {
    if (this.opts.logFile) appendFileSync(this.opts.logFile, `\n[supervisor] ${line}\n`);
  }

  private async restart(): Promise<void> {
    if (this.restartsHeld) return;
    this.restarts++;
    const startedAt = Date.now();
    try {
      await this.start();
    } catch (err) {
      if (this.restartsHeld) return;
      this.note(`restart of ${this.name} failed: ${(err as Error).message}`);
      this.afterExit({ name: this.name, how: 'failed to start', code: this.current?.exitCode() ?? null, ranForMs: Date.now() - startedAt, beforeReady: true, error: err as Error });
    }
  }
}

/**
 * Restart pauses for a service that keeps exiting: after 1 s, then 2, 4, 8, 16, 30 s at most; a
 * service that ran for a minute before exiting starts again from 1 s. After too many quick exits
 * in a row it gives up, so a service that cannot start (a setting to fix) ends the run with its
 * error rather than restarting forever.
 */
export interface RestartBackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** A run at least this long counts as healthy: the next exit restarts from initialMs. */
  healthyAfterMs?: number;
  /** Quick exits in a row before giving up. */
  maxQuickRestarts?: number;
}

export class RestartBackoff {
  private quickExits = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly healthyAfterMs: number;
  private readonly maxQuickRestarts: number;

  constructor(options: RestartBackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = options.maxMs ?? 30_000;
    this.healthyAfterMs = options.healthyAfterMs ?? 60_000;
    this.maxQuickRestarts = options.maxQuickRestarts ?? 8;
  }

  /** Restarts so far in the current streak of quick exits. */
  get attempts(): number {
    return this.quickExits;
  }

  /** The pause before restarting a service that ran `ranForMs`, or undefined: give up. */
  next(ranForMs: number): number | undefined {
    if (ranForMs >= this.healthyAfterMs) this.quickExits = 0;
    if (this.quickExits >= this.maxQuickRestarts) return undefined;
    const delay = Math.min(this.initialMs * 2 ** this.quickExits, this.maxMs);
    this.quickExits += 1;
    return delay;
  }
}
