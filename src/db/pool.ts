/**
 * Postgres connections from the typed config: TLS as hosted Postgres wants it (require =
 * encrypted; verify-full = encrypted and the server proven by the CA), errors that name the
 * host and port but never the password.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';

export type Pool = pg.Pool;

export function sslOptions(db: DatabaseConfig): pg.PoolConfig['ssl'] {
  switch (db.sslMode) {
    case 'disable':
      return undefined;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ...(db.sslCaPath ? { ca: readFileSync(db.sslCaPath, 'utf8') } : {}) };
  }
}

/** host:port of a database URL, for messages (never the password). */
export function databaseAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

export interface PoolOptions {
  /** Use this URL instead of db.url (the dashboard's read-only role). */
  url?: string;
  max?: number;
  /** Every session read-only (the dashboard). */
  readOnly?: boolean;
  applicationName?: string;
}

export function createPool(db: DatabaseConfig, opts: PoolOptions = {}): Pool {
  const url = opts.url ?? db.url;
  const ssl = sslOptions(db);
  const pool = new pg.Pool({
    connectionString: url,
    ...(ssl ? { ssl } : {}),
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: opts.applicationName ?? 'order-pipeline',
    ...(opts.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // A client losing its server (restart, outage) must not crash the process: idle ones report on the
  // pool, checked-out ones on themselves; the query in flight fails and the caller decides (retry).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Wraps a connection failure so it says which database failed, without its password. */
export function connectionError(url: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return new Error(`cannot use Postgres at ${databaseAddress(url)}: ${reason}`, { cause: err });
}
