/**
 * Strict command-line flags for every program (node:util parseArgs underneath): unknown flags,
 * missing values and flags given a value they do not take each become one UserError line naming
 * the flag, never Node's own multi-line text. A string flag's value may start with a dash
 * (`--speed -1`): it is taken as the value, so the flag's own check names what is wrong with it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors/user-error.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Placeholder of the value in the help text, e.g. N or DURATION. */
  value?: string;
  /** Lines after the first are indented under it in the help text. */
  help: string;
  /** A one-letter alias, e.g. h for -h. */
  short?: string;
  /** The flag may be given more than once; its value is then the list of them. */
  multiple?: boolean;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** Help rows, one per flag: `  --name VALUE   help`. */
export function flagHelpRows(flags: Record<string, FlagSpec>, width = 30): string[] {
  return Object.entries(flags).map(([name, spec]) => {
    const left = `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return `${left.padEnd(width)}${spec.help.replaceAll('\n', `\n${' '.repeat(width)}`)}`;
  });
}

/** Turns parseArgs' own errors into one line naming the flag. */
function parseError(err: unknown): UserError {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(--?[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UserError(`unknown flag ${flag} (see --help)`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UserError(/does not take/.test(message) ? `${flag} takes no value (see --help)` : `${flag} expects a value (see --help)`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(message)?.[1];
    return new UserError(`unexpected argument ${arg === undefined ? message : JSON.stringify(arg)} (flags start with --; see --help)`);
  }
  return new UserError(message.split('\n')[0] ?? message);
}

/** `--flag -1` → `--flag=-1` for string flags, so a negative number reaches the flag's own check. */
function joinDashValues(argv: readonly string[], flags: Record<string, FlagSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name && flags[name]?.type === 'string' && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Parses `argv` against `flags` strictly (no positionals). */
export function parseFlags(argv: readonly string[], flags: Record<string, FlagSpec>): FlagValues {
  const options: ParseArgsConfig['options'] = Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) }]),
  );
  try {
    return parseArgs({ args: joinDashValues(argv, flags), options, strict: true, allowPositionals: false }).values as FlagValues;
  } catch (err) {
    throw parseError(err);
  }
}
