/**
 * The generator's command-line flags: parsed strictly (unknown flags are errors) and validated one
 * by one, each error naming the flag and what it expected, so the CLI prints one line and exits 2.
 * `npm start` checks its generator flags with this same parser before it starts anything.
 */
import { UserError } from '../errors/user-error.js';
import { flagHelpRows, parseFlags, type FlagSpec } from '../cli/flags.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../workflows/contract.js';
import { MAX_VOLUME } from './arrivals.js';
import { MAX_RUN_ID, MAX_SEQUENCE } from './ids.js';

export const DEFAULT_CONCURRENCY = 20;
/** Workflow tasks allowed to wait for a worker before starts are held back (see backlog-gate.ts). */
export const DEFAULT_MAX_BACKLOG = 100;
export const DEFAULT_SPEED = DEFAULT_LIFECYCLE_OPTIONS.speed;
export const MAX_SPEED = 100_000_000;
const MAX_BACKFILL_DAYS = 3650;

export const RATE_REMOVED =
  '--rate is gone: orders arrive by the arrival model on the run\'s simulated clock; use --volume X to make X times as many, --speed N to run the clock faster';

export interface CliOptions {
  help: boolean;
  dryRun: boolean;
  /** Orders to make: exactly this many over a backfill window (without --live); else at most. */
  count?: number;
  /** Backfill window length in ms (ending at the clock's start); undefined = no history. */
  backfillMs?: number;
  /** Continue live after the window (always so without --backfill). */
  live: boolean;
  /** Multiplier of the arrival model's volume. */
  volume: number;
  /** Simulated seconds per real second of the run's clock; undefined = the default (or SIM_CLOCK's). */
  speed?: number;
  /** Run seed (decimal digits); undefined = pick one at random. */
  seed?: string;
  /** Run id (order id prefix); undefined = the start time in ms. */
  runId?: number;
  /** Simulated moment the run's clock starts at; undefined = now (or SIM_CLOCK's). */
  start?: Date;
  concurrency: number;
  /** Most workflow tasks waiting for a worker before starts are held back; 0 = never hold. */
  maxBacklog: number;
  paymentWindowHours: number;
  simulatePayment: boolean;
}

export const GENERATOR_FLAGS: Record<string, FlagSpec> = {
  count: {
    type: 'string',
    value: 'N',
    help: `orders to make, 1..${MAX_SEQUENCE}: with --backfill alone exactly N spread over the window; else stop after N (default: no limit)`,
  },
  backfill: {
    type: 'string',
    value: 'DURATION',
    help: 'history: orders dated from DURATION before the clock\'s start, e.g. 365d, 12h, 30m; they start at once (default: none)',
  },
  live: { type: 'boolean', help: 'after the --backfill window, go on with live orders on the same clock (default: live only without --backfill)' },
  volume: { type: 'string', value: 'X', help: 'multiplier of the arrival model\'s volume, for history and live alike (default: 1, about 40 to 160 orders a simulated day)' },
  speed: { type: 'string', value: 'N', help: `simulated seconds per real second of the run's clock (default: ${DEFAULT_SPEED}, a simulated day in 24 s)` },
  start: { type: 'string', value: 'ISO-DATE', help: 'simulated moment the clock starts at: end of the history, first live moment (default: now)' },
  seed: { type: 'string', value: 'N', help: 'run seed: the same seed and run id make the same orders (default: random, printed)' },
  'run-id': { type: 'string', value: 'N', help: `order id prefix, 1..${MAX_RUN_ID} (default: the start time in ms)` },
  'dry-run': { type: 'boolean', help: 'print the orders as JSON lines on stdout as fast as possible, never waiting; start nothing, no servers needed (default: off)' },
  concurrency: { type: 'string', value: 'N', help: `workflow starts in flight at once, 1..1000 (default: ${DEFAULT_CONCURRENCY})` },
  'max-backlog': {
    type: 'string',
    value: 'N',
    help: `hold starts back while more than N workflow tasks wait for a worker, so a history goes as fast as the workers finish it; 0 = never hold (default: ${DEFAULT_MAX_BACKLOG})`,
  },
  'payment-window-hours': { type: 'string', value: 'N', help: `hours an order may stay unpaid before it times out (default: ${DEFAULT_LIFECYCLE_OPTIONS.paymentWindowHours})` },
  'no-simulate-payment': { type: 'boolean', help: 'do not pay orders automatically: pay them by hand (payOrder update) or let them time out (default: simulated)' },
  help: { type: 'boolean', help: 'show this help' },
};

export function helpText(): string {
  return [
    'Usage: npm run generate -- [flags]',
    '',
    'Generates orders and starts one Temporal workflow per order (TEMPORAL_* settings say where).',
    '',
    'One simulated clock per run: it starts at --start (default now) and runs --speed simulated',
    'seconds per real second (SIM_CLOCK, set by npm start, hands over a running clock instead).',
    'Orders arrive by one arrival model (sale days busier, the shop growing), in simulated time:',
    'each order starts when the clock reaches its date, at once when that date is already past',
    '(a --backfill history), and every later date of its lifecycle is read from the same clock,',
    'so no date is ever later than the clock. Live by default, until --count or Ctrl-C.',
    '--rate is gone: use --volume for more or fewer orders, --speed for a faster clock.',
    '',
    'Flags:',
    ...flagHelpRows(GENERATOR_FLAGS),
    '',
    'Examples:',
    '  npm run generate -- --backfill 365d --count 2000 --seed 7   # 2,000 orders over the past year',
    '  npm run generate -- --backfill 30d --live                   # a month of history, then live',
    '  npm run generate -- --volume 3 --speed 7200                 # live, 3 × the orders, 2 simulated hours a second',
    '  npm run generate -- --dry-run --count 5 --seed 1 --run-id 1',
  ].join('\n');
}

function fail(flag: string, expected: string, got: string): never {
  throw new UserError(`--${flag} expects ${expected}, got "${got}"`);
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) fail(flag, `a whole number ${min}..${max}`, raw);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) fail(flag, `a whole number ${min}..${max}`, raw);
  return n;
}

function positiveNumber(flag: string, raw: string, max: number): number {
  const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(n > 0 && n <= max)) fail(flag, `a number above 0 and at most ${max}`, raw);
  return n;
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "365d", "12h", "30m", "90s", "2w" → milliseconds. */
export function parseDuration(flag: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(raw);
  const ms = m ? Number(m[1]) * (DURATION_UNITS_MS[m[2] as string] as number) : NaN;
  if (!(ms >= 60_000 && ms <= MAX_BACKFILL_DAYS * 86_400_000)) {
    fail(flag, `a duration from 1m to ${MAX_BACKFILL_DAYS}d such as 365d, 12h or 30m`, raw);
  }
  return ms;
}

function isoDate(flag: string, raw: string): Date {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) fail(flag, 'an ISO-8601 date such as 2025-01-31 or 2025-01-31T08:00:00Z', raw);
  return new Date(ms);
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  if (argv.some((a) => a === '--rate' || a.startsWith('--rate='))) throw new UserError(RATE_REMOVED);
  const values = parseFlags(argv, GENERATOR_FLAGS);
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const backfill = str('backfill');
  const live = values.live === true;
  const seed = str('seed');
  const parsed: CliOptions = {
    help: values.help === true,
    dryRun: values['dry-run'] === true,
    live: live || backfill === undefined,
    volume: str('volume') === undefined ? 1 : positiveNumber('volume', str('volume') as string, MAX_VOLUME),
    concurrency: str('concurrency') === undefined ? DEFAULT_CONCURRENCY : wholeNumber('concurrency', str('concurrency') as string, 1, 1000),
    maxBacklog: str('max-backlog') === undefined ? DEFAULT_MAX_BACKLOG : wholeNumber('max-backlog', str('max-backlog') as string, 0, 1_000_000),
    paymentWindowHours:
      str('payment-window-hours') === undefined
        ? DEFAULT_LIFECYCLE_OPTIONS.paymentWindowHours
        : positiveNumber('payment-window-hours', str('payment-window-hours') as string, 24 * 366),
    simulatePayment: values['no-simulate-payment'] !== true,
  };
  if (str('speed') !== undefined) parsed.speed = positiveNumber('speed', str('speed') as string, MAX_SPEED);
  if (str('count') !== undefined) parsed.count = wholeNumber('count', str('count') as string, 1, MAX_SEQUENCE);
  if (backfill !== undefined) parsed.backfillMs = parseDuration('backfill', backfill);
  if (seed !== undefined) parsed.seed = String(wholeNumber('seed', seed, 0, Number.MAX_SAFE_INTEGER));
  if (str('run-id') !== undefined) parsed.runId = wholeNumber('run-id', str('run-id') as string, 1, MAX_RUN_ID);
  if (str('start') !== undefined) parsed.start = isoDate('start', str('start') as string);
  return parsed;
}
