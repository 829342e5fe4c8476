/**
 * The local stack's least-privilege logins, made by `npm start` as the stack's superuser after the
 * migrations: orders_bridge (member of order_bridge: writes the bridge's tables only) and
 * orders_dashboard (member of order_reader, sessions read-only). Their passwords are random, made
 * once per state folder and kept in <state>/postgres-logins.json (0600), so a second `npm start` on
 * the same stack keeps using them. The server receives a SCRAM verifier, never the password itself
 * (so no server log or pg_stat_activity line can show it).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';
import { databaseAddress, sslOptions } from './pool.js';

export type LoginKind = 'bridge' | 'dashboard';

export interface LoginSpec {
  /** Login role name (cluster-wide). */
  name: string;
  /** NOLOGIN group role of sql/003_roles.sql it is granted. */
  group: string;
  /** Sessions start read-only (ALTER ROLE … SET default_transaction_read_only = on). */
  readOnly: boolean;
}

export const LOCAL_LOGINS: Record<LoginKind, LoginSpec> = {
  bridge: { name: 'orders_bridge', group: 'order_bridge', readOnly: false },
  dashboard: { name: 'orders_dashboard', group: 'order_reader', readOnly: true },
};

/** Arbitrary constant: serialises two `npm start`s creating the same roles. */
const LOGINS_LOCK = 734_002;

export function loginsFile(stateDir: string): string {
  return path.join(stateDir, 'postgres-logins.json');
}

function newPassword(): string {
  // 32 random bytes, URL-safe: no quoting or escaping needed anywhere it goes.
  return randomBytes(32).toString('base64url');
}

/** The stored passwords of `kinds`, made (and stored, 0600) for those missing. */
export function loginPasswords(stateDir: string, kinds: readonly LoginKind[], specs: Record<LoginKind, LoginSpec> = LOCAL_LOGINS): Record<string, string> {
  const file = loginsFile(stateDir);
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) throw new Error('not a JSON object');
    // Someone loosened the mode (or a copy did): the file holds passwords.
    if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new Error(`cannot read the local Postgres logins in ${file} (${code ?? (err as Error).message}); delete it and new passwords are made`, { cause: err });
    stored = {};
  }
  const missing = kinds.map((k) => specs[k].name).filter((name) => typeof stored[name] !== 'string' || stored[name] === '');
  if (missing.length === 0) return stored;
  const next = { ...stored, ...Object.fromEntries(missing.map((name) => [name, newPassword()])) };
  mkdirSync(stateDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return next;
}

/** A SCRAM-SHA-256 verifier of `password`, the form pg_authid stores (RFC 5802/7677, as PostgreSQL computes it). */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** `url` with another user and password. */
export function urlAs(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Creates (or brings back to spec) the logins of `kinds` on the database of `ownerUrl`, which must be
 * a superuser's (the local stack's postgres) and already migrated (the group roles exist). Returns
 * each login's URL: the owner's with the login's name and password. `specs`: other names (tests).
 */
export async function ensureLocalLogins(
  db: DatabaseConfig,
  ownerUrl: string,
  stateDir: string,
  kinds: readonly LoginKind[],
  specs: Record<LoginKind, LoginSpec> = LOCAL_LOGINS,
): Promise<Partial<Record<LoginKind, string>>> {
  if (kinds.length === 0) return {};
  const passwords = loginPasswords(stateDir, kinds, specs);
  const ssl = sslOptions(db);
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'order-start', ...(ssl ? { ssl } : {}) });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot use Postgres at ${databaseAddress(ownerUrl)} to create the local logins: ${(err as Error).message}`, { cause: err });
  }
  const urls: Partial<Record<LoginKind, string>> = {};
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOGINS_LOCK]);
    for (const kind of kinds) {
      const spec = specs[kind];
      const password = passwords[spec.name] as string;
      const groups = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [spec.group]);
      if (groups.rowCount === 0) throw new Error(`role ${spec.group} is missing: the migrations (sql/003_roles.sql) did not create it`);
      const role = client.escapeIdentifier(spec.name);
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [spec.name])).rowCount !== 0;
      // Utility statements take no parameters: the verifier goes in as a literal (it is not the password).
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(scramVerifier(password))}`;
      await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} WITH ${attributes}`);
      await client.query(`GRANT ${client.escapeIdentifier(spec.group)} TO ${role}`);
      await client.query(`ALTER ROLE ${role} ${spec.readOnly ? 'SET default_transaction_read_only = on' : 'RESET default_transaction_read_only'}`);
      urls[kind] = urlAs(ownerUrl, spec.name, password);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new Error(`cannot create the local Postgres logins on ${databaseAddress(ownerUrl)}: ${(err as Error).message}`, { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
  return urls;
}
