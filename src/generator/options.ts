/**
 * The generator's command-line flags: parsed strictly (unknown flags are errors) and validated one
 * by one, each error naming the flag and what it expected, so the CLI prints one line and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../cli/main.js';
import { DEFAULT_LIFECYCLE_OPTIONS } from '../workflows/contract.js';
import { MAX_RUN_ID, MAX_SEQUENCE } from './ids.js';

export const DEFAULT_RATE = 2;
export const DEFAULT_CONCURRENCY = 20;
const MAX_BACKFILL_DAYS = 3650;

export interface CliOptions {
  help: boolean;
  dryRun: boolean;
  /** Orders to make at most; undefined = until the backfill window ends or Ctrl-C. */
  count?: number;
  /** Backfill window length in ms; undefined = live mode. */
  backfillMs?: number;
  rate: number;
  speed: number;
  /** Run seed (decimal digits); undefined = pick one at random. */
  seed?: string;
  /** Run id (order id prefix); undefined = the start time in ms. */
  runId?: number;
  /** First live order's date, or the end of the backfill window; undefined = now. */
  start?: Date;
  concurrency: number;
  paymentWindowHours: number;
  simulatePayment: boolean;
}

interface FlagSpec {
  type: 'string' | 'boolean';
  value?: string;
  help: string;
}

const FLAGS: Record<string, FlagSpec> = {
  count: { type: 'string', value: 'N', help: `orders to make, 1..${MAX_SEQUENCE} (default: no limit; a backfill ends with its window)` },
  backfill: { type: 'string', value: 'DURATION', help: 'backfill orders dated from DURATION ago until now, e.g. 365d, 12h, 30m (default: off, live orders)' },
  rate: { type: 'string', value: 'N', help: `live orders per second (default: ${DEFAULT_RATE})` },
  speed: { type: 'string', value: 'N', help: `simulated seconds per real second of live lifecycles (default: ${DEFAULT_LIFECYCLE_OPTIONS.speed})` },
  seed: { type: 'string', value: 'N', help: 'run seed: the same seed and run id make the same orders (default: random, printed)' },
  'run-id': { type: 'string', value: 'N', help: `order id prefix, 1..${MAX_RUN_ID} (default: the start time in ms)` },
  start: { type: 'string', value: 'ISO-DATE', help: 'date of the first live order, or end of the backfill window (default: now)' },
  'dry-run': { type: 'boolean', help: 'print the orders as JSON lines on stdout; start nothing, no servers needed (default: off)' },
  concurrency: { type: 'string', value: 'N', help: `workflow starts in flight at once, 1..1000 (default: ${DEFAULT_CONCURRENCY})` },
  'payment-window-hours': { type: 'string', value: 'N', help: `hours an order may stay unpaid before it times out (default: ${DEFAULT_LIFECYCLE_OPTIONS.paymentWindowHours})` },
  'no-simulate-payment': { type: 'boolean', help: 'do not pay orders automatically: pay them by hand (payOrder update) or let them time out (default: simulated)' },
  help: { type: 'boolean', help: 'show this help' },
};

export function helpText(): string {
  const rows = Object.entries(FLAGS).map(([name, spec]) => {
    const left = `  --${name}${spec.value ? ` ${spec.value}` : ''}`;
    return `${left.padEnd(30)}${spec.help}`;
  });
  return [
    'Usage: npm run generate -- [flags]',
    '',
    'Generates orders and starts one Temporal workflow per order (TEMPORAL_* settings say where).',
    'Live by default: orders dated now, --rate per second, until --count or Ctrl-C.',
    '',
    'Flags:',
    ...rows,
    '',
    'Examples:',
    '  npm run generate -- --backfill 365d --seed 7',
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

/** Turns parseArgs' own errors into one line naming the flag. */
function parseError(err: unknown): UserError {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(--?[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UserError(`unknown flag ${flag} (see --help)`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UserError(/argument missing/.test(message) ? `${flag} expects a value (see --help)` : `${flag} takes no value (see --help)`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UserError(`unexpected argument ${flag || message} (flags start with --; see --help)`);
  return new UserError(message);
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: ParseArgsConfig['options'] = Object.fromEntries(Object.entries(FLAGS).map(([name, spec]) => [name, { type: spec.type }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw parseError(err);
  }
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const backfill = str('backfill');
  if (backfill !== undefined && str('rate') !== undefined) throw new UserError('--rate applies to live runs only; drop it or --backfill');
  if (backfill !== undefined && str('speed') !== undefined) throw new UserError('--speed applies to live runs only (a backfill simulates lifecycles instantly); drop it or --backfill');
  const seed = str('seed');
  const parsed: CliOptions = {
    help: values.help === true,
    dryRun: values['dry-run'] === true,
    rate: str('rate') === undefined ? DEFAULT_RATE : positiveNumber('rate', str('rate') as string, 10_000),
    speed: str('speed') === undefined ? DEFAULT_LIFECYCLE_OPTIONS.speed : positiveNumber('speed', str('speed') as string, 100_000_000),
    concurrency: str('concurrency') === undefined ? DEFAULT_CONCURRENCY : wholeNumber('concurrency', str('concurrency') as string, 1, 1000),
    paymentWindowHours:
      str('payment-window-hours') === undefined
        ? DEFAULT_LIFECYCLE_OPTIONS.paymentWindowHours
        : positiveNumber('payment-window-hours', str('payment-window-hours') as string, 24 * 366),
    simulatePayment: values['no-simulate-payment'] !== true,
  };
  if (str('count') !== undefined) parsed.count = wholeNumber('count', str('count') as string, 1, MAX_SEQUENCE);
  if (backfill !== undefined) parsed.backfillMs = parseDuration('backfill', backfill);
  if (seed !== undefined) parsed.seed = String(wholeNumber('seed', seed, 0, Number.MAX_SAFE_INTEGER));
  if (str('run-id') !== undefined) parsed.runId = wholeNumber('run-id', str('run-id') as string, 1, MAX_RUN_ID);
  if (str('start') !== undefined) parsed.start = isoDate('start', str('start') as string);
  return parsed;
}
