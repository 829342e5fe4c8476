/**
 * Waiting on a condition, never on a fixed sleep, and retrying a step that may fail for a moment:
 * the one polling loop of the project (the stack, the CLIs, the tests' support, the benches).
 */
import net from 'node:net';
import type { ManagedProcess } from '../process/supervisor.js';

export interface PollOptions {
  /** Give up after this long (Infinity: until the check passes). */
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Runs `check` until it returns true (→ true) or `timeoutMs` has passed (→ false), sleeping
 * `intervalMs` (default 250) between runs; the check always runs at least once. A check that
 * throws ends the wait with its error: callers that tolerate failures catch them in the check.
 */
export async function pollUntil(check: () => Promise<boolean> | boolean, opts: PollOptions): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

/**
 * Polls `check` until it passes, or throws naming `what` (and the check's last error, and the
 * process's log when one is given and exits first). A failing check counts as "not yet".
 */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, opts: PollOptions & { process?: ManagedProcess }): Promise<void> {
  let lastError = '';
  let exited = false;
  const ready = await pollUntil(async () => {
    if (opts.process?.hasExited()) return (exited = true);
    try {
      return await check();
    } catch (err) {
      lastError = (err as Error).message;
      return false;
    }
  }, opts);
  if (exited && opts.process) {
    throw new Error(`${what}: ${opts.process.name} exited before it was ready (${await opts.process.exited}); log ${opts.process.logFile}:\n${opts.process.tail()}`);
  }
  if (!ready) {
    const log = opts.process ? `; log ${opts.process.logFile}:\n${opts.process.tail()}` : '';
    throw new Error(`${what} not ready after ${Math.round(opts.timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}${log}`);
  }
}

export interface RetryOptions {
  /** Attempts at most (Infinity: until `shouldRetry` says no). */
  attempts: number;
  delayMs: (attempt: number) => number;
  /** Whether a failure is worth another attempt (say, before a deadline); false throws it at once. */
  shouldRetry?: (err: unknown) => boolean;
}

/** Runs `step` up to `attempts` times, sleeping `delayMs(attempt)` after failed attempt n; the last failure is thrown. */
export async function retry<T>(step: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      if (attempt >= opts.attempts || opts.shouldRetry?.(err) === false) throw err;
      await new Promise((r) => setTimeout(r, opts.delayMs(attempt)));
    }
  }
}

/** Whether something accepts TCP connections on host:port. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Ports this process has handed out: the kernel may offer a just-closed port again at once. */
const handedOut = new Set<number>();

/** A port on 127.0.0.1 that nothing listens on right now, and not handed out before by this process. */
export async function freePort(): Promise<number> {
  // Two calls in a row (e.g. one port for Postgres, one for the dashboard, bound later by another
  // process) can get the same port from the kernel; a port is handed out once per process.
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await unusedPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free TCP port on 127.0.0.1 that this process has not handed out already (50 attempts)');
}

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Fails with a message naming the setting if the port is already taken. */
export async function assertPortFree(port: number, setting: string, what: string): Promise<void> {
  if (await canConnect('127.0.0.1', port, 500)) {
    throw new Error(`port ${port} for ${what} is already in use; stop whatever listens there or choose another port with ${setting}`);
  }
}
