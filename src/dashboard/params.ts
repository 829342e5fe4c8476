/**
 * Strict parsing of the dashboard's query parameters. Every endpoint names the parameters it
 * takes; anything else (an unknown name, a repeated one, a malformed value) is refused with a
 * ParamError naming the parameter, which the server turns into a 400.
 */

export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`bad parameter "${param}": ${message}`);
    this.name = 'ParamError';
  }
}

/** An inclusive range of calendar days (YYYY-MM-DD); an absent end is open. */
export interface DateRange {
  from?: string;
  to?: string;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 2000;
const MAX_YEAR = 2262;
const MAX_SEARCH_CHARS = 100;

/** The parameters of a request as a map, refusing names outside `allowed` and repeated names. */
export function readParams(search: URLSearchParams, allowed: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of search) {
    if (!allowed.includes(name)) {
      const expected = allowed.length > 0 ? `expected only ${allowed.join(', ')}` : 'this endpoint takes no parameters';
      throw new ParamError(name, `unknown parameter; ${expected}`);
    }
    if (params.has(name)) throw new ParamError(name, 'given more than once');
    params.set(name, value);
  }
  return params;
}

/** A real calendar day written YYYY-MM-DD (2024-02-30 and 2024-2-3 are refused). */
export function parseDay(param: string, raw: string): string {
  const m = DAY_PATTERN.exec(raw);
  if (!m) throw new ParamError(param, `expected a date YYYY-MM-DD, got "${clip(raw)}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || year > MAX_YEAR) throw new ParamError(param, `expected a year ${MIN_YEAR}..${MAX_YEAR}, got ${year}`);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new ParamError(param, `no such day: ${raw}`);
  }
  return raw;
}

/** `from` and `to` (both optional, inclusive); `from` after `to` is refused. */
export function parseDateRange(params: Map<string, string>): DateRange {
  const fromRaw = params.get('from');
  const toRaw = params.get('to');
  const range: DateRange = {};
  if (fromRaw !== undefined && fromRaw !== '') range.from = parseDay('from', fromRaw);
  if (toRaw !== undefined && toRaw !== '') range.to = parseDay('to', toRaw);
  if (range.from && range.to && range.from > range.to) {
    throw new ParamError('from', `${range.from} is after to=${range.to}`);
  }
  return range;
}

/** What an order search looks for: digits may be an order id or a customer id; text is a name. */
export type OrderSearch = { kind: 'id'; id: string } | { kind: 'name'; text: string };

export function parseOrderSearch(params: Map<string, string>): OrderSearch {
  const q = (params.get('q') ?? '').trim();
  if (q === '') throw new ParamError('q', 'expected an order id, a customer id or a customer name');
  if (q.length > MAX_SEARCH_CHARS) throw new ParamError('q', `expected at most ${MAX_SEARCH_CHARS} characters, got ${q.length}`);
  if (/^\d+$/.test(q)) {
    // Ids are bigints: more than 19 digits cannot be one.
    if (q.length > 19) throw new ParamError('q', `an id has at most 19 digits, got ${q.length}`);
    return { kind: 'id', id: q };
  }
  if (/[\p{Cc}]/u.test(q)) throw new ParamError('q', 'control characters are not allowed');
  return { kind: 'name', text: q };
}

/** The customer filter: a customer id (digits), or undefined when the parameter is absent or empty. */
export function parseCustomerFilter(params: Map<string, string>): string | undefined {
  const raw = (params.get('customer') ?? '').trim();
  if (raw === '') return undefined;
  if (!/^\d{1,19}$/.test(raw)) throw new ParamError('customer', `expected a customer id (digits), got "${clip(raw)}"`);
  return raw;
}

/** An order id in a path (/api/orders/<id>). */
export function parseOrderId(raw: string): string {
  if (!/^\d{1,19}$/.test(raw)) throw new ParamError('order id', `expected digits (an order id), got "${clip(raw)}"`);
  return raw;
}

function clip(raw: string): string {
  return raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
}
