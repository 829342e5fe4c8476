/**
 * The worker and the bridge as real child processes (`node --import tsx src/.../cli.ts`), the way
 * they run in production, supervised like a process manager would: a planned SIGKILL is followed by
 * a restart, and an unplanned exit (say the bridge giving up while Kafka is away) is restarted too
 * and counted, so the table shows it instead of hiding it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pollUntil } from '../../src/stack/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 90_000;

export interface ChildSpec {
  name: 'worker' | 'bridge';
  script: string;
  /** A line the program logs once it does its job (polling / consuming). */
  readyPattern: RegExp;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

export class SupervisedChild {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;
  private stopping = false;
  private planned = false;
  /** The process that reached its ready line; only its exits count (a failed start throws instead). */
  private readyChild: ChildProcess | undefined;
  /** Exits nobody asked for, each followed by a restart. */
  unplannedExits = 0;

  constructor(private readonly spec: ChildSpec) {
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the program and resolves once it logs its ready line (bounded). */
  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', this.spec.script], { cwd: ROOT, env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let text = '';
    const onData = (d: Buffer) => {
      this.log.write(d);
      if (text.length < 100_000) text += d.toString();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    const childExited = () => child.exitCode !== null || child.signalCode !== null;
    const ready = await pollUntil(() => this.spec.readyPattern.test(text) || childExited(), { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 });
    if (!this.spec.readyPattern.test(text) && childExited()) throw new Error(`${this.spec.name} exited before it was ready:\n${text.slice(-2000)}`);
    if (!ready) throw new Error(`${this.spec.name} not ready within ${READY_TIMEOUT_MS / 1000} s:\n${text.slice(-2000)}`);
    this.readyChild = child;
  }

  /** SIGKILL (no goodbye, no flush), then a fresh process. */
  async killAndRestart(): Promise<void> {
    const child = this.child;
    if (!child) throw new Error(`${this.spec.name} is not running`);
    this.planned = true;
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;
    this.planned = false;
    await this.start();
  }

  /** SIGTERM, SIGKILL after a grace period; by our own child's pid only. */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || this.planned || child !== this.readyChild) return;
    this.unplannedExits++;
    this.log.write(`\n[fault-suite] ${this.spec.name} exited by itself (${signal ?? `code ${code}`}); restarting\n`);
    void this.restartUntilUp();
  }

  /** A dependency may still be down: retry every 2 s until the program comes up or we stop. */
  private async restartUntilUp(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.start();
        return;
      } catch (err) {
        this.log.write(`\n[fault-suite] restart of ${this.spec.name} failed: ${String(err)}\n`);
        await sleep(2000);
      }
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
