/**
 * `npm run superset`: the repository's Superset dashboard on the local stack, no Docker. Installs
 * apache-superset from PyPI into the state folder the first time, imports the bundle, and serves it
 * until Ctrl-C. Uses the stack `npm run stack` or `npm start` runs (or DATABASE_URL when set).
 */
import { parseArgs } from 'node:util';
import { runMain } from '../cli/main.js';
import { UserError } from '../errors/user-error.js';
import { loadConfig } from '../config/config.js';
import { migrateDatabase } from '../db/migrate.js';
import { databaseAddress } from '../db/pool.js';
import { createLogger } from '../logging/logger.js';
import { findRunningStack } from '../stack/stack.js';
import { ensureSupersetInstalled } from './install.js';
import { serveLocalSuperset } from './local.js';

const HELP = `Usage: npm run superset [-- flags]

Serves the order dashboard in Apache Superset on http://127.0.0.1:SUPERSET_PORT (default 8089),
without Docker. The first run installs the apache-superset version pinned in
docker/superset/requirements-local.txt from PyPI into STACK_STATE_DIR/superset (a few minutes,
about 700 MB; needs Python 3.10 to 3.12 with venv, SUPERSET_PYTHON); later runs reuse it and
start in seconds. Superset keeps its own metadata in SQLite there, imports the dashboard bundle
(docker/superset/dashboard) and reads the orders database as a read-only login.

Postgres: the local stack must be running (npm run stack, or npm start; npm start -- --superset
starts Superset with it), or set DATABASE_URL. On the local stack's Postgres the migrations are
applied and Superset reads as orders_superset (order_reader); elsewhere as DATABASE_READONLY_URL.

Log in as admin; the password is generated on first use and kept in
STACK_STATE_DIR/superset/home/admin-login.json.

Flags:
  --install-only    install (or check) the virtualenv and exit; serves nothing
  --help            show this help`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'install-only': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    throw new UserError(`${(err as Error).message}; see npm run superset -- --help`);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const userConfig = loadConfig();
  const log = createLogger('superset', userConfig.logLevel);
  if (values['install-only']) {
    const started = Date.now();
    const install = await ensureSupersetInstalled(userConfig.stack.stateDir, userConfig.superset.python, log).catch((err: unknown) => {
      throw new UserError((err as Error).message, { cause: err });
    });
    log.info(`apache-superset ${install.version} ${install.installed ? 'installed' : 'already installed'} in ${install.venv} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  }
  let env: NodeJS.ProcessEnv = process.env;
  if (userConfig.stack.manage.postgres) {
    const running = findRunningStack(userConfig);
    if (!running) throw new UserError('no local stack is running: start it with npm run stack (or run npm start -- --superset), or set DATABASE_URL');
    env = { ...process.env, ...running.endpoints };
  }
  const config = loadConfig(env);
  if (userConfig.stack.manage.postgres) {
    // The stack alone (npm run stack) has not migrated yet; as its owner we may, and it is idempotent.
    const applied = await migrateDatabase(config.database).catch((err: unknown) => {
      throw new UserError(`the migrations did not run on ${databaseAddress(config.database.url)}: ${(err as Error).message}`, { cause: err });
    });
    if (applied.length > 0) log.info(`applied migrations ${applied.join(', ')}`);
  }
  let superset;
  try {
    superset = await serveLocalSuperset(userConfig, config, log);
  } catch (err) {
    throw new UserError((err as Error).message, { cause: err });
  }
  process.stderr.write(`\nSuperset running:\n${superset.lines.join('\n')}\nCtrl-C stops it.\n\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  log.info('stopping Superset');
  await superset.handle.stop();
  return 0;
}

runMain(main);
