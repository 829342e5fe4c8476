/**
 * The worker's readable log at info: instead of one line per ended order (thousands an hour), one
 * summary per interval of how many orders ended in each status, printed only when some did. The
 * per-order lines stay available at debug.
 */
import type { Logger } from '../logging/logger.js';

/** Metadata key the workflow puts on its "order … ended …" log entry (the status as value). */
export const ORDER_ENDED_META = 'orderEnded';

export interface EndedSummary {
  /** Counts one ended order. */
  record(status: string): void;
  /** Logs the counts since the last summary (if any) and starts counting afresh. */
  flush(): void;
  /** Stops the timer and logs what is left. */
  stop(): void;
}

/** "12 Delivered, 3 Cancelled, 1 Timed Out": commonest first, then by name. */
export function formatCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
}

export function startEndedSummary(log: Logger, intervalMs = 30_000): EndedSummary {
  let counts = new Map<string, number>();
  let since = Date.now();
  const flush = () => {
    const now = Date.now();
    if (counts.size > 0) {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      log.info(`orders ended in the last ${Math.round((now - since) / 1000)} s: ${total} (${formatCounts(counts)})`);
      counts = new Map();
    }
    since = now;
  };
  const timer = setInterval(flush, intervalMs);
  // The summary never keeps the process alive on its own.
  timer.unref();
  return {
    record(status) {
      counts.set(status, (counts.get(status) ?? 0) + 1);
    },
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
