/**
 * When `npm start` restarts a service that exited (the worker, the bridge): after 1 s, then 2, 4,
 * 8, 16, 30 s at most; a service that ran for a minute before exiting starts again from 1 s. After
 * too many quick exits in a row it gives up, so a service that cannot start (a setting to fix) ends
 * the run with its error rather than restarting forever.
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
