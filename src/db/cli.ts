/**
 * `npm run migrate`: applies the migrations of sql/ to DATABASE_URL (its owner) and
 * exits. `npm start` does the same before the bridge and dashboard start; run this yourself when
 * the bridge connects as a least-privilege login (DATABASE_BRIDGE_URL), which creates nothing.
 */
import { parseArgs } from 'node:util';
import { runMain } from '../cli/main.js';
import { UserError } from '../errors/user-error.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { migrateDatabase } from './migrate.js';
import { databaseAddress } from './pool.js';

const HELP = `Usage: npm run migrate [-- --help]

Applies the migrations of sql/ (tables, analytics views, the roles order_bridge and order_reader
and their grants) and the sku_info catalogue to DATABASE_URL, as that user: the owner of the
database. Applies only what is missing; running it again changes nothing. Exits 0 when done.`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  } catch (err) {
    throw new UserError(`${(err as Error).message}; see --help`);
  }
  if (args.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger('migrate', config.logLevel);
  let applied;
  try {
    applied = await migrateDatabase(config.database);
  } catch (err) {
    throw new UserError((err as Error).message, { cause: err });
  }
  const address = databaseAddress(config.database.url);
  log.info(applied.length > 0 ? `applied migrations ${applied.join(', ')} on ${address}` : `schema of ${address} is up to date`);
  return 0;
}

runMain(main);
