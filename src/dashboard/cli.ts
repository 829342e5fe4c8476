/**
 * `npm run dashboard`: serves the built-in dashboard on DASHBOARD_HOST:DASHBOARD_PORT until
 * Ctrl-C or SIGTERM. It reads Postgres through DATABASE_READONLY_URL (else DATABASE_URL) and
 * counts live orders in Temporal; either may be down at start: the page says which and retries.
 */
import { parseArgs } from 'node:util';
import { runMain } from '../cli/main.js';
import { UserError } from '../errors/user-error.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { startDashboard } from './server.js';

const HELP = `Usage: npm run dashboard [-- --help]

Serves the live dashboard (charts from the analytics views in Postgres, the pipeline strip from
Temporal, order lookup) at http://DASHBOARD_HOST:DASHBOARD_PORT/ (default http://127.0.0.1:3000/).
Reads DATABASE_READONLY_URL (a login granted order_reader; npm start gives it orders_dashboard
on the local stack), else DATABASE_URL, and TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
TEMPORAL_TASK_QUEUE and TEMPORAL_UI_URL. Its sessions are read-only either way. Ctrl-C stops it.`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  } catch (err) {
    throw new UserError(`${(err as Error).message}; see npm run dashboard -- --help`);
  }
  if (args.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger('dashboard', config.logLevel);
  let dashboard;
  try {
    dashboard = await startDashboard(config, log);
  } catch (err) {
    throw new UserError((err as Error).message, { cause: err });
  }
  process.stdout.write(`Dashboard: ${dashboard.url}\nPress Ctrl-C to stop.\n`);
  const handle = dashboard;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}; stopping`);
      handle.stop().then(
        () => resolve(0),
        (err: unknown) => {
          log.error(`stop failed: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

runMain(main);
