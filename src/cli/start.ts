/**
 * `npm start`: the whole pipeline on one machine. Starts the local stack (or uses the one
 * `npm run stack` already runs), then the worker, the bridge, the dashboard and a live order
 * generator, each its own process as it would be deployed, their output prefixed by name.
 * Ctrl-C stops them in order: the generator first, the worker and bridge next (they finish what
 * they hold), the dashboard, then the stack this command started.
 *
 * Supervision: one run per state folder (start-lock.ts: a second one names the first and starts
 * nothing). A worker or bridge that exits is restarted after a growing pause (RestartBackoff in src/process/supervisor.ts),
 * with a line saying so; Kafka offsets and Temporal's task queue make a restart lose nothing.
 *
 * Least privilege: the migrations run here, once, as the owner (DATABASE_URL) before anything
 * else starts. On the local stack's own Postgres the bridge then connects as orders_bridge (member
 * of order_bridge) and the dashboard as orders_dashboard (order_reader), logins made here with
 * passwords kept in the state folder (src/db/logins.ts). Each service gets only its own database
 * URL: the worker and the generator none, and none of them the owner's.
 */
import { loadConfig, type AppConfig } from '../config/config.js';
import { ensureLocalLogins, LOCAL_LOGINS, loginsFile, type LoginKind } from '../db/logins.js';
import { migrateDatabase } from '../db/migrate.js';
import { createPool, databaseAddress } from '../db/pool.js';
import { formatSimClock, type SimClockAnchor } from '../domain/sim-clock.js';
import { DEFAULT_SPEED, parseCliArgs, parseDuration, RATE_REMOVED } from '../generator/options.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { describeMetrics, metricsPorts } from '../stack/metrics-ports.js';
import { describeEndpoints, findRunningStack, startStack, type RunningStack, type StackEndpoints } from '../stack/stack.js';
import { serveLocalSuperset, type LocalSuperset } from '../superset/local.js';
import { SERVICE_NAMES } from '../telemetry/tracing.js';
import { flagHelpRows, parseFlags, type FlagSpec, type FlagValues } from './flags.js';
import { runMain } from './main.js';
import { UserError } from '../errors/user-error.js';
import { PROCESS_STOP_GRACE_MS } from '../workers/shutdown-grace.js';
import { RestartBackoff, Supervisor, tsxArgs, type Exit } from '../process/supervisor.js';
import { acquireStartLock, StartAlreadyRunning, type StartLock } from './start-lock.js';

const DEFAULT_HISTORY = '30d';

/** npm start's own flags; the generator's are checked by the generator's parser too. */
const START_FLAGS: Record<string, FlagSpec> = {
  history: { type: 'string', value: 'DURATION', help: `history made first, ending at the clock's start, e.g. 7d, 90d (default: ${DEFAULT_HISTORY})` },
  'no-history': { type: 'boolean', help: 'no history: live orders only' },
  speed: { type: 'string', value: 'N', help: `simulated seconds per real second (default: ${DEFAULT_SPEED}: a simulated day in 24 s, the 7-day payment window under 3 minutes)` },
  volume: { type: 'string', value: 'X', help: 'multiplier of the arrival model\'s orders, history and live alike (default: 1)' },
  seed: { type: 'string', value: 'N', help: 'the generator\'s run seed (default: random, printed)' },
  'no-generate': { type: 'boolean', help: 'start everything but the generator (make orders with npm run generate)' },
  superset: { type: 'boolean', help: 'also serve the Superset dashboard on SUPERSET_PORT, as npm run superset does (the first time installs Superset from PyPI: several minutes)' },
  help: { type: 'boolean', help: 'show this help' },
};

const HELP = `Usage: npm start [-- flags]

Runs the whole pipeline locally: the stack (Temporal + Web UI, Kafka, Postgres; reused if
\`npm run stack\` already runs), the Temporal worker, the Kafka→Postgres bridge, the dashboard, and
the order generator. Ctrl-C stops everything this command started.

One simulated clock: it starts at the real now once the services start, and runs --speed
simulated seconds per real second. The generator first makes a history (--history, 30 days) on
that clock: those orders are in the clock's past, so they start at once and their lifecycles
run through without waiting (progress shown); then it goes on live, with the same arrival model
(sale days, growth), from where the history ends. Every date of an order is read from the clock,
so none is later than the simulated now. The generator and the dashboard get the clock as
SIM_CLOCK (printed below; set it for another npm run generate to add orders to the same run).
--rate is gone: use --volume for more or fewer orders, --speed for a faster clock.

Postgres: the migrations run first, as DATABASE_URL (the owner). The bridge then writes as
DATABASE_BRIDGE_URL and the dashboard reads as DATABASE_READONLY_URL; unset, on the local stack's
own Postgres they are the logins orders_bridge and orders_dashboard, made here (passwords in
STACK_STATE_DIR/postgres-logins.json), and on a Postgres of yours DATABASE_URL.

Flags:
${flagHelpRows(START_FLAGS, 22).join('\n')}`;

interface Service {
  name: string;
  script: string;
  args: string[];
}

/** The generator's flags for npm start's: history then live, on the clock given as SIM_CLOCK. */
function generatorArgs(values: FlagValues): string[] {
  const args: string[] = [];
  if (values['no-history'] !== true) args.push('--backfill', (values.history as string | undefined) ?? DEFAULT_HISTORY, '--live');
  for (const name of ['volume', 'seed'] as const) {
    const v = values[name];
    if (typeof v === 'string') args.push(`--${name}`, v);
  }
  return args;
}

/**
 * Every flag checked before anything starts: npm start's own, and the generator's through the
 * generator's own parser (with --speed, which npm start turns into the clock), so a bad value
 * is one line and exit 2, with nothing started.
 */
function parseStartArgs(argv: readonly string[]): { values: FlagValues; speed: number } {
  if (argv.some((a) => a === '--rate' || a.startsWith('--rate='))) throw new UserError(RATE_REMOVED);
  const values = parseFlags(argv, START_FLAGS);
  if (values.history !== undefined && values['no-history'] === true) throw new UserError('--history and --no-history contradict each other; drop one');
  if (typeof values.history === 'string') parseDuration('history', values.history);
  const speedArgs = typeof values.speed === 'string' ? ['--speed', values.speed] : [];
  const checked = parseCliArgs([...generatorArgs(values), ...speedArgs]);
  return { values, speed: checked.speed ?? DEFAULT_SPEED };
}

function services(values: FlagValues): Service[] {
  const list: Service[] = [
    { name: 'worker', script: 'src/workers/cli.ts', args: [] },
    { name: 'bridge', script: 'src/bridge/cli.ts', args: [] },
    { name: 'dashboard', script: 'src/dashboard/cli.ts', args: [] },
  ];
  if (values['no-generate'] !== true) list.push({ name: 'generate', script: 'src/generator/cli.ts', args: generatorArgs(values) });
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

/** One service with the stack's endpoints, its output prefixed with its name; SIGINT (as Ctrl-C would) stops it. */
function serviceProcess(service: Service, env: NodeJS.ProcessEnv, onUnplannedExit: (exit: Exit) => number | undefined, lock: StartLock): Supervisor {
  const prefix = `[${service.name}]`.padEnd(12);
  return new Supervisor({
    name: service.name,
    command: process.execPath,
    args: tsxArgs(service.script, service.args),
    env,
    onLine: (line) => process.stderr.write(`${prefix}${line}\n`),
    stopSignal: 'SIGINT',
    onStarted: (proc) => lock.setService(service.name, proc.pid),
    onUnplannedExit,
  });
}

/** The latest simulated date stored (a previous run's orders), or undefined while order_record is empty. */
async function latestStoredDate(config: AppConfig): Promise<number | undefined> {
  const pool = createPool(config.database, { max: 1 });
  try {
    const { rows } = await pool.query<{ ms: string | null }>(
      'SELECT (extract(epoch FROM max(greatest(order_date, payment_date, shipped_date, finished_date))) * 1000)::text AS ms FROM order_record',
    );
    return rows[0]?.ms ? Number(rows[0].ms) : undefined;
  } catch (err) {
    throw new UserError(`reading the latest stored order on ${databaseAddress(config.database.url)} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    await pool.end();
  }
}

function formatSeconds(s: number): string {
  return s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(s < 10 ? 2 : 0)} s`;
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
  const { values, speed } = parseStartArgs(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger('start', config.logLevel);
  const lock = await lockStateFolder(config, log);
  const { endpoints, owned } = await ensureStack(config, log).catch((err: unknown) => {
    lock.release();
    throw err;
  });
  const env = { ...process.env, ...endpoints, ...(await metricsPorts(config.metrics)) };
  const appConfig = loadConfig(env);
  let access: DatabaseAccess;
  let latest: number | undefined;
  const generated: FlagValues = { ...values };
  try {
    access = await prepareDatabase(config, appConfig, log);
    latest = await latestStoredDate(appConfig);
  } catch (err) {
    await owned?.stop();
    lock.release();
    throw err;
  }
  // The run's clock starts now, as the services start: the simulated now is the real now here,
  // or the latest date a previous run stored when that is later (its clock ran ahead), so the
  // new run's dates follow the stored ones and the history is not made twice.
  const nowMs = Date.now();
  const clock: SimClockAnchor = { simStartMs: Math.max(nowMs, Math.ceil(latest ?? 0)), realStartMs: nowMs, speed };
  if (latest !== undefined) {
    generated['no-history'] = true;
    log.info(`the database already holds orders up to ${new Date(latest).toISOString()} (simulated): no new history; the clock goes on from ${new Date(clock.simStartMs).toISOString()}`);
  }
  const clockEnv = { ...env, SIM_CLOCK: formatSimClock(clock) };
  let superset: LocalSuperset | undefined;
  try {
    if (values.superset) superset = await serveLocalSuperset(config, appConfig, log);
  } catch (err) {
    await owned?.stop();
    lock.release();
    throw new UserError(`Superset did not start: ${(err as Error).message}`, { cause: err });
  }
  process.stderr.write(
    `\nOrder pipeline running:\n${describeEndpoints(endpoints)}\n  Dashboard     http://127.0.0.1:${appConfig.dashboardPort}\n${describeMetrics(appConfig.metrics)}\n${access.lines.join('\n')}\n${superset ? `${superset.lines.join('\n')}\n` : ''}` +
      `  Clock         SIM_CLOCK=${clockEnv.SIM_CLOCK} (×${speed}: a simulated day every ${formatSeconds(86_400 / speed)} real)\n` +
      `Open the Temporal UI to follow any order (workflow id order-<order_id>)${endpoints.JAEGER_UI_URL ? `, Jaeger for its trace (service ${SERVICE_NAMES.generator}, tag order.id=<order_id>)` : ''}. Ctrl-C stops everything.\n\n`,
  );
  const running = new Map<string, Supervisor>();
  let stopping = false;
  return new Promise<number>((resolve) => {
    const stopAll = async (why: string, code: number) => {
      if (stopping) return;
      stopping = true;
      for (const service of running.values()) service.holdRestarts();
      log.info(`${why}; stopping`);
      await running.get('generate')?.stop(15_000);
      await Promise.all(['worker', 'bridge'].map((n) => running.get(n)?.stop(PROCESS_STOP_GRACE_MS)));
      await running.get('dashboard')?.stop(5_000);
      await superset?.handle.stop();
      await owned?.stop();
      lock.release();
      log.info('stopped');
      resolve(code);
    };
    /** What follows a service's exit: the worker and the bridge are restarted, after a growing pause. */
    const afterExit = (backoff: RestartBackoff) => (exit: Exit): number | undefined => {
      if (stopping) return undefined;
      const { name, how } = exit;
      // The generator ends by itself when --count is reached; the others must keep running.
      if (name === 'generate' && exit.code === 0) return void log.info('the generator finished');
      if (!RESTARTED.has(name)) return void stopAll(`${name} exited (${how})`, 1);
      const delay = backoff.next(exit.ranForMs);
      if (delay === undefined) return void stopAll(`${name} exited (${how}) ${backoff.attempts + 1} times in a row, each within a minute of starting; giving up`, 1);
      log.warn(`${name} exited (${how}); restarting it in ${delay / 1000} s (restart ${backoff.attempts})`);
      return delay;
    };
    process.on('SIGINT', () => void stopAll('Ctrl-C', 0));
    process.on('SIGTERM', () => void stopAll('SIGTERM', 0));
    for (const service of services(generated)) {
      const supervisor = serviceProcess(service, serviceEnv(service.name, clockEnv, access), afterExit(new RestartBackoff()), lock);
      running.set(service.name, supervisor);
      void supervisor.start();
    }
  });
}

/** Services npm start restarts when they exit: each resumes where it was (offsets, task queue). */
const RESTARTED = new Set(['worker', 'bridge']);

/** Takes the state folder's start lock before anything starts: a second run is refused, exit 2. */
async function lockStateFolder(config: AppConfig, log: Logger): Promise<StartLock> {
  try {
    return await acquireStartLock(config.stack.stateDir, `http://${config.dashboardHost}:${config.dashboardPort}`, log);
  } catch (err) {
    if (err instanceof StartAlreadyRunning) throw new UserError(err.message);
    throw err;
  }
}

runMain(main);
