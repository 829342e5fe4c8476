/**
 * `npm start`: the whole pipeline on one machine. Starts the local stack (or uses the one
 * `npm run stack` already runs), then the worker, the bridge, the dashboard and a live order
 * generator, each its own process as it would be deployed, their output prefixed by name.
 * Ctrl-C stops them in order: the generator first, the worker and bridge next (they finish what
 * they hold), the dashboard, then the stack this command started.
 *
 * Least privilege: the migrations run here, once, as the owner (DATABASE_URL) before anything
 * else starts. On the local stack's own Postgres the bridge then connects as orders_bridge (member
 * of order_bridge) and the dashboard as orders_dashboard (order_reader), logins made here with
 * passwords kept in the state folder (src/db/logins.ts). Each service gets only its own database
 * URL: the worker and the generator none, and none of them the owner's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig, type AppConfig } from '../config/config.js';
import { ensureLocalLogins, LOCAL_LOGINS, loginsFile, type LoginKind } from '../db/logins.js';
import { migrateDatabase } from '../db/migrate.js';
import { databaseAddress } from '../db/pool.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { describeEndpoints, findRunningStack, startStack, type RunningStack, type StackEndpoints } from '../stack/stack.js';
import { serveLocalSuperset, type LocalSuperset } from '../superset/local.js';
import { runMain, UserError } from './main.js';

const HELP = `Usage: npm start [-- flags]

Runs the whole pipeline locally: the stack (Temporal + Web UI, Kafka, Postgres; reused if
\`npm run stack\` already runs), the Temporal worker, the Kafka→Postgres bridge, the dashboard, and
a live order generator. Ctrl-C stops everything this command started.

Postgres: the migrations run first, as DATABASE_URL (the owner). The bridge then writes as
DATABASE_BRIDGE_URL and the dashboard reads as DATABASE_READONLY_URL; unset, on the local stack's
own Postgres they are the logins orders_bridge and orders_dashboard, made here (passwords in
STACK_STATE_DIR/postgres-logins.json), and on a Postgres of yours DATABASE_URL.

Flags:
  --rate N          live orders per second (default: 2)
  --speed N         simulated seconds per real second (default: 3600, so a 7-day payment window
                    lasts under 3 minutes)
  --no-generate     start everything but the generator (make orders with npm run generate)
  --superset        also serve the Superset dashboard on SUPERSET_PORT, as npm run superset does
                    (the first time installs Superset from PyPI: a few minutes)
  --help            show this help`;

interface Service {
  name: string;
  script: string;
  args: string[];
}

function services(values: { rate?: string; speed?: string; 'no-generate'?: boolean }): Service[] {
  const list: Service[] = [
    { name: 'worker', script: 'src/workers/cli.ts', args: [] },
    { name: 'bridge', script: 'src/bridge/cli.ts', args: [] },
    { name: 'dashboard', script: 'src/dashboard/cli.ts', args: [] },
  ];
  if (!values['no-generate']) {
    const gen = ['--rate', values.rate ?? '2', ...(values.speed ? ['--speed', values.speed] : [])];
    list.push({ name: 'generate', script: 'src/generator/cli.ts', args: gen });
  }
  return list;
}

/** Who the bridge and the dashboard connect as. */
interface DatabaseAccess {
  bridgeUrl: string;
  dashboardUrl: string;
  /** Lines for the banner. */
  lines: string[];
}

function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || '(default user)';
}

/**
 * Migrates as the owner, then picks each service's login: DATABASE_BRIDGE_URL / DATABASE_READONLY_URL
 * when set; on the local stack's own Postgres, logins made for them; else DATABASE_URL, as before.
 */
async function prepareDatabase(userConfig: AppConfig, config: AppConfig, log: Logger): Promise<DatabaseAccess> {
  const db = config.database;
  const address = databaseAddress(db.url);
  let applied: string[];
  try {
    applied = await migrateDatabase(db);
  } catch (err) {
    throw new UserError(`the migrations did not run: ${(err as Error).message}`, { cause: err });
  }
  log.info(applied.length > 0 ? `applied migrations ${applied.join(', ')} on ${address}` : `schema of ${address} is up to date`);
  // The stack's own Postgres (no DATABASE_URL set, and the running stack's is the default one): ours to add logins to.
  const local = userConfig.stack.manage.postgres && db.url === userConfig.database.url;
  const kinds: LoginKind[] = local ? (['bridge', 'dashboard'] as const).filter((k) => (k === 'bridge' ? !db.bridgeUrl : !db.readOnlyUrl)) : [];
  let made: Partial<Record<LoginKind, string>>;
  try {
    made = await ensureLocalLogins(db, db.url, userConfig.stack.stateDir, kinds);
  } catch (err) {
    throw new UserError((err as Error).message, { cause: err });
  }
  const bridgeUrl = db.bridgeUrl ?? made.bridge ?? db.url;
  const dashboardUrl = db.readOnlyUrl ?? made.dashboard ?? db.url;
  const lines = [`  Bridge as     ${userOf(bridgeUrl)}`, `  Dashboard as  ${userOf(dashboardUrl)}`];
  if (kinds.length > 0) lines.push(`                (logins of the local stack: ${kinds.map((k) => `${LOCAL_LOGINS[k].name} in ${LOCAL_LOGINS[k].group}`).join(', ')}; passwords in ${loginsFile(userConfig.stack.stateDir)})`);
  const asOwner = [bridgeUrl === db.url && 'the bridge (DATABASE_BRIDGE_URL)', dashboardUrl === db.url && 'the dashboard (DATABASE_READONLY_URL)'].filter(Boolean);
  if (asOwner.length > 0) log.info(`${asOwner.join(' and ')} connect${asOwner.length === 1 ? 's' : ''} as DATABASE_URL: set the setting named to a least-privilege login`);
  return { bridgeUrl, dashboardUrl, lines };
}

/** Settings that carry database credentials: each service gets back only the one it needs. */
const DATABASE_CREDENTIALS = ['DATABASE_URL', 'DATABASE_BRIDGE_URL', 'DATABASE_READONLY_URL', 'STACK_POSTGRES_PASSWORD'] as const;

/** The environment of one service: the stack's endpoints, and its own database login only. */
function serviceEnv(name: string, base: NodeJS.ProcessEnv, access: DatabaseAccess): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const key of DATABASE_CREDENTIALS) delete env[key];
  if (name === 'bridge') env.DATABASE_URL = access.bridgeUrl;
  if (name === 'dashboard') {
    env.DATABASE_URL = access.dashboardUrl;
    env.DATABASE_READONLY_URL = access.dashboardUrl;
  }
  return env;
}

/** Runs one service with the stack's endpoints, its output prefixed with its name. */
function launch(service: Service, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', service.script, ...service.args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C reaches only us, and we stop services in order.
    detached: true,
  });
  const prefix = `[${service.name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on('line', (line) => process.stderr.write(`${prefix}${line}\n`));
  }
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Asks a service to stop (SIGINT, as Ctrl-C would) and waits; SIGKILL after the grace period. */
async function stopService(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

async function ensureStack(config: AppConfig, log: Logger): Promise<{ endpoints: StackEndpoints; owned?: RunningStack }> {
  const running = findRunningStack(config);
  if (running) {
    log.info(`using the local stack already running (pid ${running.pid})`);
    return { endpoints: running.endpoints };
  }
  try {
    const owned = await startStack(config, log);
    return { endpoints: owned.endpoints, owned };
  } catch (err) {
    throw new UserError(`the local stack did not start: ${(err as Error).message}`);
  }
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { rate: { type: 'string' }, speed: { type: 'string' }, 'no-generate': { type: 'boolean' }, superset: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    throw new UserError(`${(err as Error).message}; see npm start -- --help`);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger('start', config.logLevel);
  const { endpoints, owned } = await ensureStack(config, log);
  const env = { ...process.env, ...endpoints };
  const appConfig = loadConfig(env);
  let access: DatabaseAccess;
  try {
    access = await prepareDatabase(config, appConfig, log);
  } catch (err) {
    await owned?.stop();
    throw err;
  }
  let superset: LocalSuperset | undefined;
  try {
    if (values.superset) superset = await serveLocalSuperset(config, appConfig, log);
  } catch (err) {
    await owned?.stop();
    throw new UserError(`Superset did not start: ${(err as Error).message}`, { cause: err });
  }
  process.stderr.write(
    `\nOrder pipeline running:\n${describeEndpoints(endpoints)}\n  Dashboard     http://127.0.0.1:${appConfig.dashboardPort}\n${access.lines.join('\n')}\n${superset ? `${superset.lines.join('\n')}\n` : ''}` +
      `Open the Temporal UI to follow any order (workflow id order-<order_id>). Ctrl-C stops everything.\n\n`,
  );
  const running = new Map<string, ChildProcess>();
  for (const service of services(values)) running.set(service.name, launch(service, serviceEnv(service.name, env, access)));
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stopAll = async (why: string, code: number) => {
      if (stopping) return;
      stopping = true;
      log.info(`${why}; stopping`);
      const get = (name: string) => running.get(name);
      const generator = get('generate');
      if (generator) await stopService(generator, 15_000);
      await Promise.all(['worker', 'bridge'].map((n) => get(n)).filter((c): c is ChildProcess => c !== undefined).map((c) => stopService(c, 30_000)));
      const dashboard = get('dashboard');
      if (dashboard) await stopService(dashboard, 5_000);
      await superset?.handle.stop();
      await owned?.stop();
      log.info('stopped');
      resolve(code);
    };
    process.on('SIGINT', () => void stopAll('Ctrl-C', 0));
    process.on('SIGTERM', () => void stopAll('SIGTERM', 0));
    for (const [name, child] of running) {
      void exited(child).then(() => {
        if (stopping) return;
        const how = child.exitCode !== null ? `code ${child.exitCode}` : `signal ${child.signalCode}`;
        // The generator ends by itself when --count is reached; the others must keep running.
        if (name === 'generate' && child.exitCode === 0) log.info('the generator finished');
        else void stopAll(`${name} exited (${how})`, 1);
      });
    }
  });
}

runMain(main);
