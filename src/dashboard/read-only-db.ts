/**
 * The dashboard's database access: a small pool on the read-only URL (DATABASE_READONLY_URL, else
 * DATABASE_URL) whose sessions start with default_transaction_read_only=on, so even a bug in a
 * query cannot write. Failures become DatabaseUnavailable naming the address (password redacted)
 * or MissingViews when the analytics views are not there yet.
 */
import pg from 'pg';
import { redactUrl, type DatabaseConfig } from '../config/config.js';
import { sslOptions } from '../db/pool.js';
import { describeError } from '../logging/logger.js';
import { DASHBOARD_TIME_ZONE } from './queries.js';

const POOL_SIZE = 6;
const CONNECT_TIMEOUT_MS = 3_000;
const STATEMENT_TIMEOUT_MS = 10_000;
/** Read-only sessions, on the calendar of the analytics views (their days are Manila days). */
const SESSION_OPTIONS = `-c default_transaction_read_only=on -c TimeZone=${DASHBOARD_TIME_ZONE}`;

/** Postgres error code of a missing table or view: the migrations have not run. */
const UNDEFINED_TABLE = '42P01';
/** SQLSTATE classes that mean "cannot talk to the database": connection, auth, no such database, shutdown. */
const UNAVAILABLE_SQLSTATE = /^(08|28|3D|57P)/;

export class DatabaseUnavailable extends Error {
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    super(`database unreachable at ${address}: ${describeError(cause)}`, { cause });
    this.name = 'DatabaseUnavailable';
  }
}

export class MissingViews extends Error {
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    super(`the analytics tables or views are missing in ${address} (${describeError(cause)}); run the migrations first`, { cause });
    this.name = 'MissingViews';
  }
}

export interface ReadOnlyDb {
  /** The redacted address, for messages. */
  readonly address: string;
  query<R extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export function openReadOnlyDb(config: DatabaseConfig): ReadOnlyDb {
  const url = config.readOnlyUrl ?? config.url;
  const address = redactUrl(url);
  const ssl = sslOptions(config);
  const pool = new pg.Pool({
    connectionString: url,
    ...(ssl ? { ssl } : {}),
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'order-dashboard',
    options: SESSION_OPTIONS,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return {
    address,
    async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
      try {
        return (await pool.query<R>(sql, values)).rows;
      } catch (err) {
        throw classify(err, address);
      }
    },
    close: () => pool.end(),
  };
}

function classify(err: unknown, address: string): Error {
  const code = (err as { code?: unknown }).code;
  if (code === UNDEFINED_TABLE) return new MissingViews(address, err);
  // A server error has a five-character SQLSTATE; without one (ECONNREFUSED, a timeout) it is the connection.
  const isSqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
  if (!isSqlState || UNAVAILABLE_SQLSTATE.test(code)) return new DatabaseUnavailable(address, err);
  return err instanceof Error ? err : new Error(String(err));
}
