/**
 * Feeds ksqlDB: applies the statements of ksql/*.sql, in file order, through the REST API
 * (POST /ksql, one statement per request, each passing the command sequence number of the one
 * before so it runs after it). "Already exists" is fine (statements are written to be re-run).
 * The bridge applies them in the background (applyKsqlInBackground): until ksqlDB answers and
 * takes them all, it retries with a growing pause, warning once, while the Postgres sink runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging/logger.js';

export const KSQL_DIR = fileURLToPath(new URL('../../ksql/', import.meta.url));

/** Statements of the ksql/ files in order: split on `;` at a line end, comments dropped. */
export function readKsqlStatements(dir = KSQL_DIR): Array<{ file: string; statement: string }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .flatMap((file) =>
      readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .split(/;\s*(?:\n|$)/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map((s) => ({ file, statement: `${s};` })),
    );
}

interface KsqlError {
  '@type'?: string;
  error_code?: number;
  message?: string;
}

interface KsqlCommandResult {
  commandSequenceNumber?: number;
  commandStatus?: { status?: string; message?: string };
}

export function isAlreadyExists(message: string): boolean {
  return /already exists/i.test(message);
}

export async function applyKsql(baseUrl: string, log: Logger, dir = KSQL_DIR, signal?: AbortSignal): Promise<void> {
  let sequence: number | undefined;
  const url = `${baseUrl.replace(/\/$/, '')}/ksql`;
  for (const { file, statement } of readKsqlStatements(dir)) {
    const head = statement.split('\n')[0]?.slice(0, 80) ?? statement;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.ksql.v1+json; charset=utf-8', accept: 'application/vnd.ksql.v1+json' },
        body: JSON.stringify({
          ksql: statement,
          streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
          ...(sequence !== undefined ? { commandSequenceNumber: sequence } : {}),
        }),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new Error(`cannot reach ksqlDB at ${baseUrl}: ${(err as Error).message}`, { cause: err });
    }
    const body = (await res.json().catch(() => ({}))) as KsqlError | KsqlCommandResult[];
    if (!res.ok) {
      const message = (body as KsqlError).message ?? `HTTP ${res.status}`;
      if (isAlreadyExists(message)) {
        log.info(`ksqlDB ${file}: ${head} — already exists`);
        continue;
      }
      throw new Error(`ksqlDB refused ${file} (${head}): ${message}`);
    }
    const result = Array.isArray(body) ? body[0] : undefined;
    if (result?.commandSequenceNumber !== undefined) sequence = result.commandSequenceNumber;
    log.info(`ksqlDB ${file}: ${head} — ${result?.commandStatus?.status ?? 'OK'}`);
  }
}

export interface BackgroundKsql {
  /** Resolves true once every statement is applied, false if stopped before. */
  readonly done: Promise<boolean>;
  stop(): void;
}

/**
 * applyKsql, retried until it succeeds: the first failure is one warning (with the reason), the
 * next ones debug lines, success after a warning one info line. Stops at stop().
 */
export function applyKsqlInBackground(baseUrl: string, log: Logger, options: { dir?: string; firstRetryMs?: number; maxRetryMs?: number } = {}): BackgroundKsql {
  const controller = new AbortController();
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  const done = (async () => {
    let pause = options.firstRetryMs ?? 1000;
    let warned = false;
    while (!controller.signal.aborted) {
      try {
        await applyKsql(baseUrl, log, options.dir, controller.signal);
        if (warned) log.info(`ksqlDB at ${baseUrl} answered: its statements are applied`);
        return true;
      } catch (err) {
        if (controller.signal.aborted) break;
        const reason = err instanceof Error ? err.message : String(err);
        if (!warned) log.warn(`ksqlDB statements not applied yet (${reason}); the Postgres sink goes on, retrying until ksqlDB takes them`);
        else log.debug(`ksqlDB retry in ${Math.round(pause / 1000)} s: ${reason}`);
        warned = true;
        await abortableSleep(pause, controller.signal);
        pause = Math.min(pause * 2, maxRetryMs);
      }
    }
    return false;
  })();
  return { done, stop: () => controller.abort() };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
