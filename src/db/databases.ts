/**
 * Whole databases on a Postgres server: the stack's one database, a fresh one per test file, per
 * fault-suite run and per benchmark phase. One place that quotes the name, builds the URL that
 * reaches it and picks the database to connect through for CREATE/DROP (the server's maintenance
 * database `postgres`: always there, and never the one being created or dropped).
 */
import pg from 'pg';
import { databaseAddress } from './pool.js';

export type AdminSsl = pg.ClientConfig['ssl'];

export interface AdminOptions {
  /** TLS for the admin connection, as the pool of the same server would use it (sslOptions). */
  ssl?: AdminSsl;
}

const MAINTENANCE_DATABASE = 'postgres';
/** Postgres cuts longer identifiers down silently, so the URL would name a database that is not there. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * `url` (user, password, host, port and parameters kept) pointing at database `name`. Names the
 * connection-string parser of pg cannot read back from a URL path (`/`, `?`, `#`, `%`) are refused.
 */
export function databaseUrlFor(url: string, name: string): string {
  checkName(name);
  const u = new URL(url);
  // The pathname setter percent-encodes what a path cannot hold (spaces, quotes); pg decodes it back.
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates database `name` on the server of `serverUrl` and returns the URL that reaches it. With
 * ifNotExists an existing database is kept (the stack's own database across restarts).
 */
export async function createDatabase(serverUrl: string, name: string, opts: AdminOptions & { ifNotExists?: boolean } = {}): Promise<string> {
  const url = databaseUrlFor(serverUrl, name);
  await withMaintenanceClient(serverUrl, opts, `creating database ${name}`, async (client) => {
    if (opts.ifNotExists) {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if ((exists.rowCount ?? 0) > 0) return;
    }
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  });
  return url;
}

/** Drops database `name` if it exists, ending the sessions still connected to it (WITH (FORCE), Postgres 13+). */
export async function dropDatabase(serverUrl: string, name: string, opts: AdminOptions = {}): Promise<void> {
  checkName(name);
  await withMaintenanceClient(serverUrl, opts, `dropping database ${name}`, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}

function checkName(name: string): void {
  if (name === '' || /[/?#%]/.test(name) || [...name].some((c) => c < ' ')) throw new Error(`database name ${JSON.stringify(name)}: empty, or holds a character a database URL cannot carry (/ ? # % or a control character)`);
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) throw new Error(`database name ${JSON.stringify(name)} is longer than Postgres' ${MAX_IDENTIFIER_BYTES} bytes`);
}

async function withMaintenanceClient(serverUrl: string, opts: AdminOptions, what: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const adminUrl = databaseUrlFor(serverUrl, MAINTENANCE_DATABASE);
  const client = new pg.Client({ connectionString: adminUrl, ...(opts.ssl ? { ssl: opts.ssl } : {}) });
  // A server going away mid-call fails the query in flight; an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await fn(client);
  } catch (err) {
    throw new Error(`${what} on ${databaseAddress(adminUrl)} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
}
