/** Plain one-line logs on stderr, so stdout stays free for data (dry-run JSON lines, tables). */
import type { LogLevel } from '../config/config.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  child(component: string): Logger;
}

export function createLogger(component: string, level: LogLevel = 'info', write = (line: string) => process.stderr.write(line + '\n')): Logger {
  const emit = (l: LogLevel) => (msg: string) => {
    if (ORDER[l] < ORDER[level]) return;
    write(`${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} [${component}] ${msg}`);
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (sub) => createLogger(`${component}/${sub}`, level, write),
  };
}

/** The message of any thrown value, with the cause chain, without a stack trace. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause ? `${err.message} (caused by: ${describeError(cause)})` : err.message;
}
