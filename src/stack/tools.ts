/** Locating tools on PATH and showing progress while a long first-time build runs. */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Runs `work`, logging "still <what> (1m30s)" every 15 s so a long build never looks hung. */
export async function withProgress<T>(log: Logger, what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => log.info(`still ${what} (${formatElapsed(Date.now() - started)})`), 15_000);
  try {
    const result = await work();
    log.info(`done ${what} in ${formatElapsed(Date.now() - started)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
