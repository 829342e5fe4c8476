/**
 * The error every layer throws when the user can fix the cause (a bad setting or flag, a server
 * that does not answer): its own module, so the layers below the command line (Temporal
 * connection, worker, generator) need not import the entry-point wrapper to throw it.
 * src/cli/main.ts prints it as one line and exits 2.
 */

/** An error whose message is complete and meant for the user; no stack trace needed. */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}
