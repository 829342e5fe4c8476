/**
 * Progress on stderr: a redrawn bar with rate and ETA on a terminal, a plain line every few
 * seconds otherwise (CI logs, pipes), so stdout stays clean for dry-run JSON. Open-ended work (a
 * live run, no share known) writes a plain line only once a minute: a log kept for hours stays
 * readable, while a history or a backfill, which ends, still reports every few seconds.
 */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Known total, for the bar and ETA (--count). */
  total?: number;
  /** Milliseconds between plain lines when not on a terminal, while the share done is known. */
  lineEveryMs?: number;
  /** Milliseconds between plain lines when not on a terminal for open-ended work (no share known). */
  openLineEveryMs?: number;
  now?: () => number;
}

const REDRAW_EVERY_MS = 100;
const BAR_WIDTH = 24;

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

export class ProgressReporter {
  private readonly startedAt: number;
  private lastOutput: number;
  private drewBar = false;
  private readonly now: () => number;
  private readonly lineEveryMs: number;
  private readonly openLineEveryMs: number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.lineEveryMs = options.lineEveryMs ?? 5000;
    this.openLineEveryMs = options.openLineEveryMs ?? 60_000;
    this.startedAt = this.now();
    // The first report comes one interval in: short runs print only their summary.
    this.lastOutput = this.startedAt;
  }

  /**
   * `done` orders so far; `fraction` of the work (0..1) when known otherwise (a backfill's
   * window); `detail` is appended (e.g. "3 already existed").
   */
  update(done: number, fraction?: number, detail = ''): void {
    const t = this.now();
    const known = this.options.total !== undefined || fraction !== undefined;
    const interval = this.stream.isTTY ? REDRAW_EVERY_MS : known ? this.lineEveryMs : this.openLineEveryMs;
    if (t - this.lastOutput < interval) return;
    this.lastOutput = t;
    this.emit(this.describe(done, t, fraction, detail));
  }

  /** Clears the bar so the summary starts on a clean line. */
  finish(): void {
    if (this.drewBar) this.stream.write('\r\x1b[K');
    this.drewBar = false;
  }

  private describe(done: number, t: number, fraction: number | undefined, detail: string): string {
    const elapsed = t - this.startedAt;
    const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
    const share = this.options.total ? Math.max(done / this.options.total, fraction ?? 0) : fraction;
    const parts = [`${done} orders`, `${rate.toFixed(1)}/s`];
    if (share !== undefined && share > 0) {
      parts.unshift(`${(Math.min(share, 1) * 100).toFixed(1)}%`);
      parts.push(`ETA ${formatDuration((elapsed * (1 - share)) / share)}`);
    }
    if (detail) parts.push(detail);
    const text = parts.join('  ');
    if (!this.stream.isTTY || share === undefined) return text;
    const filled = Math.round(Math.min(share, 1) * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${text}`;
  }

  private emit(text: string): void {
    if (this.stream.isTTY) {
      const width = this.stream.columns ?? 100;
      this.stream.write(`\r\x1b[K${text.slice(0, width - 1)}`);
      this.drewBar = true;
    } else {
      this.stream.write(`progress: ${text}\n`);
    }
  }
}
