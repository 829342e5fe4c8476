/** Readiness waits: poll a real check until it passes, never a fixed sleep. */
import net from 'node:net';
import type { ManagedProcess } from './process.js';

export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; process?: ManagedProcess },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    if (opts.process?.hasExited()) {
      throw new Error(`${what}: ${opts.process.name} exited before it was ready (${await opts.process.exited}); log ${opts.process.logFile}:\n${opts.process.tail()}`);
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      const log = opts.process ? `; log ${opts.process.logFile}:\n${opts.process.tail()}` : '';
      throw new Error(`${what} not ready after ${Math.round(opts.timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}${log}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
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
