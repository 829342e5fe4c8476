/**
 * Entry-point wrapper for every command: a known user error (bad setting, bad flag, unreachable
 * server) prints one line and exits 2; anything else is a bug and keeps its stack trace.
 */
import { ConfigError } from '../config/config.js';
import { UserError } from '../errors/user-error.js';

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
