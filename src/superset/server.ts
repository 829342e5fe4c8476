/**
 * Serves the repository's Superset dashboard on the local stack, without Docker: the virtualenv of
 * install.ts, Superset's metadata in SQLite in a home folder, the bundle imported by the compose
 * stack's own docker/superset/init.sh (same script, same bundle), the orders database reached
 * through a read-only login, and gunicorn on 127.0.0.1.
 *
 * The home folder keeps what must survive a restart: the metadata database, the secret key (it
 * encrypts the stored database password) and the admin login (admin-login.json, 0600). A restart
 * with the same virtualenv, bundle and database login skips init.sh; a changed bundle or login
 * re-imports only (by UUID, so nothing is duplicated).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Logger } from '../logging/logger.js';
import { formatElapsed } from '../stack/tools.js';
import { pollUntil } from '../stack/wait.js';
import { SUPERSET_DIR, type SupersetInstall } from './install.js';

export const ADMIN_USER = 'admin';
const BUNDLE_DIR = path.join(SUPERSET_DIR, 'dashboard');

export interface SupersetOptions {
  install: SupersetInstall;
  /** Folder for the metadata database, secret key, admin login and logs. */
  home: string;
  port: number;
  /** The orders database as the read-only login Superset reads it with. */
  ordersUrl: string;
  log: Logger;
}

export interface SupersetHandle {
  url: string;
  adminUser: string;
  /** Where the admin password is (never printed). */
  loginFile: string;
  adminPassword: string;
  /** Gunicorn's and Superset's output. */
  logFile: string;
  stop(): Promise<void>;
}

function secretFile(file: string, make: () => string): string {
  if (existsSync(file)) {
    if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
    return readFileSync(file, 'utf8').trim();
  }
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** The admin login of this home folder: made once (random password), kept 0600. */
export function adminLogin(home: string): { user: string; password: string; file: string } {
  const file = path.join(home, 'admin-login.json');
  const text = secretFile(file, () => JSON.stringify({ user: ADMIN_USER, password: randomBytes(18).toString('base64url') }));
  const parsed = JSON.parse(text) as { user?: unknown; password?: unknown };
  if (typeof parsed.user !== 'string' || typeof parsed.password !== 'string') throw new Error(`${file} is not {"user","password"}: delete it and a new login is made`);
  return { user: parsed.user, password: parsed.password, file };
}

/** The environment docker-compose.yml gives superset-init, for this home and database. */
function supersetEnv(options: SupersetOptions, admin: { user: string; password: string }): NodeJS.ProcessEnv {
  const orders = new URL(options.ordersUrl);
  const secretKey = secretFile(path.join(options.home, 'secret-key'), () => randomBytes(42).toString('base64'));
  const bin = path.join(options.install.venv, 'bin');
  return {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? options.home,
    LANG: 'C.UTF-8',
    VIRTUAL_ENV: options.install.venv,
    FLASK_APP: 'superset.app:create_app()',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONPATH: SUPERSET_DIR,
    SUPERSET_CONFIG_PATH: path.join(SUPERSET_DIR, 'superset_config.py'),
    SUPERSET_HOME: options.home,
    SUPERSET_METADATA_DB_URI: `sqlite:///${path.join(options.home, 'superset.db')}`,
    SUPERSET_SECRET_KEY: secretKey,
    SUPERSET_ADMIN_USER: admin.user,
    SUPERSET_ADMIN_PASSWORD: admin.password,
    SUPERSET_ADMIN_EMAIL: 'admin@example.com',
    POSTGRES_HOST: orders.hostname,
    POSTGRES_PORT: orders.port || '5432',
    ORDERS_DB: decodeURIComponent(orders.pathname.replace(/^\//, '')),
    ORDERS_DB_USER: decodeURIComponent(orders.username),
    ORDERS_DB_PASSWORD: decodeURIComponent(orders.password),
  };
}

/** What the metadata database was last set up from: the virtualenv, the bundle's files, the login. */
function setupKey(options: SupersetOptions): { venv: string; bundle: string } {
  const hash = createHash('sha256');
  const files = readdirSync(BUNDLE_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort();
  for (const f of files) hash.update(f).update('\0').update(readFileSync(path.join(BUNDLE_DIR, f))).update('\0');
  hash.update(readFileSync(path.join(SUPERSET_DIR, 'init.sh'))).update(readFileSync(path.join(SUPERSET_DIR, 'import_bundle.py')));
  hash.update(options.ordersUrl);
  return { venv: options.install.venv, bundle: hash.digest('hex') };
}

function runLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<{ code: number | null; tail: string[] }> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: SUPERSET_DIR });
    const tail: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        out.write(`${line}\n`);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      });
    }
    child.once('error', reject);
    child.once('close', (code) => out.end(() => resolve({ code, tail })));
  });
}

/** Runs docker/superset/init.sh (all of it, or only the import) unless nothing changed since the last run. */
async function prepareMetadata(options: SupersetOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const markerFile = path.join(options.home, 'setup.json');
  const want = setupKey(options);
  let have: { venv?: string; bundle?: string } = {};
  try {
    have = JSON.parse(readFileSync(markerFile, 'utf8')) as typeof have;
  } catch {
    have = {};
  }
  const dbExists = existsSync(path.join(options.home, 'superset.db'));
  if (dbExists && have.venv === want.venv && have.bundle === want.bundle) return;
  const full = !dbExists || have.venv !== want.venv;
  const logFile = path.join(options.home, 'init.log');
  const started = Date.now();
  options.log.info(full ? 'setting up Superset: metadata database, admin, roles, then the dashboard bundle (a few minutes, the first time only)' : 'the bundle or the database login changed: importing the dashboard bundle again');
  const timer = setInterval(() => options.log.info(`still setting up Superset (${formatElapsed(Date.now() - started)})`), 15_000);
  let result;
  try {
    result = await runLogged('bash', [path.join(SUPERSET_DIR, 'init.sh'), ...(full ? [] : ['--import-only'])], env, logFile);
  } finally {
    clearInterval(timer);
  }
  if (result.code !== 0) throw new Error(`docker/superset/init.sh failed (exit ${result.code}); last lines of ${logFile}:\n${result.tail.slice(-15).join('\n')}`);
  writeFileSync(markerFile, `${JSON.stringify(want)}\n`);
  options.log.info(`Superset set up in ${formatElapsed(Date.now() - started)}`);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok && (await res.text()).trim() === 'OK';
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sets up (if needed) and serves Superset; resolves once /health answers. */
export async function startSuperset(options: SupersetOptions): Promise<SupersetHandle> {
  mkdirSync(options.home, { recursive: true, mode: 0o700 });
  const admin = adminLogin(options.home);
  const env = supersetEnv(options, admin);
  await prepareMetadata(options, env);
  const url = `http://127.0.0.1:${options.port}`;
  const logFile = path.join(options.home, 'superset.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const gunicorn = path.join(options.install.venv, 'bin', 'gunicorn');
  // One worker process (about 400 MB) with threads: a dashboard's charts load in parallel.
  const args = ['--bind', `127.0.0.1:${options.port}`, '--workers', '1', '--worker-class', 'gthread', '--threads', '8', '--timeout', '120', '--limit-request-line', '0', '--limit-request-field_size', '0', 'superset.app:create_app()'];
  const child = spawn(gunicorn, args, { env, cwd: options.home, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      out.write(`${line}\n`);
      tail.push(line);
      if (tail.length > 30) tail.shift();
    });
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      // gunicorn's master stops its worker on SIGTERM; the group signal reaches both if it does not.
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(timer);
    }
    out.end();
  };
  const started = Date.now();
  const childExited = () => child.exitCode !== null || child.signalCode !== null;
  const answered = await pollUntil(async () => childExited() || (await healthy(url)), { timeoutMs: 300_000, intervalMs: 500 });
  if (childExited()) {
    out.end();
    throw new Error(`Superset exited while starting (port ${options.port} in use?); last lines of ${logFile}:\n${tail.slice(-12).join('\n')}`);
  }
  if (!answered) {
    await stop();
    throw new Error(`Superset did not answer on ${url}/health within 5 minutes; see ${logFile}`);
  }
  options.log.info(`Superset ready on ${url} in ${formatElapsed(Date.now() - started)}`);
  return { url, adminUser: admin.user, adminPassword: admin.password, loginFile: admin.file, logFile, stop };
}
