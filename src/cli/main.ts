/**
 * Entry-point wrapper for every command: a known user error (bad setting, bad flag, unreachable
 * server) prints one line and exits 2; anything else is a bug and keeps its stack trace.
 */
import { ConfigError } from '../config/config.js';

/** An error whose message is complete and meant for the user; no stack trace needed. */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof ConfigError || err instanceof UserError) {
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
