/**
 * Superset on the local stack, as `npm run superset` and `npm start -- --superset` run it: installs
 * it (once, into the state folder), picks the read-only login it reads the orders database with,
 * and serves the repository's dashboard on SUPERSET_PORT.
 *
 * The login: DATABASE_READONLY_URL when set; on the local stack's own Postgres, orders_superset, a
 * login in order_reader with read-only sessions made here (password kept with the others in
 * <state>/postgres-logins.json); else DATABASE_URL, with a warning.
 */
import path from 'node:path';
import type { AppConfig } from '../config/config.js';
import { ensureLocalLogins, LOCAL_LOGINS, type LoginSpec } from '../db/logins.js';
import type { Logger } from '../logging/logger.js';
import { assertPortFree } from '../stack/wait.js';
import { ensureSupersetInstalled } from './install.js';
import { startSuperset, type SupersetHandle } from './server.js';

/** Superset's own login on the local stack's Postgres: reads every view, writes nothing. */
export const SUPERSET_LOGIN: LoginSpec = { name: 'orders_superset', group: 'order_reader', readOnly: true };

export interface LocalSuperset {
  handle: SupersetHandle;
  /** Lines for a banner: the address, who logs in, where the password is. */
  lines: string[];
}

/** The folder of Superset's metadata database, secret key and admin login. */
export function supersetHome(stateDir: string): string {
  return path.join(stateDir, 'superset', 'home');
}

/**
 * Picks the login Superset reads with. `userConfig`: the configuration as the user set it (to tell
 * the stack's own Postgres from one of theirs); `config`: with the running stack's endpoints.
 */
export async function supersetDatabaseUrl(userConfig: AppConfig, config: AppConfig, log: Logger): Promise<string> {
  const db = config.database;
  if (db.readOnlyUrl) return db.readOnlyUrl;
  const local = userConfig.stack.manage.postgres && db.url === userConfig.database.url;
  if (!local) {
    log.warn('Superset reads the orders database as DATABASE_URL: set DATABASE_READONLY_URL to a login in order_reader');
    return db.url;
  }
  const made = await ensureLocalLogins(db, db.url, userConfig.stack.stateDir, ['dashboard'], { ...LOCAL_LOGINS, dashboard: SUPERSET_LOGIN });
  return made.dashboard as string;
}

export async function serveLocalSuperset(userConfig: AppConfig, config: AppConfig, log: Logger): Promise<LocalSuperset> {
  const port = config.superset.port;
  await assertPortFree(port, 'SUPERSET_PORT', 'Superset');
  const install = await ensureSupersetInstalled(config.stack.stateDir, config.superset.python, log);
  const ordersUrl = await supersetDatabaseUrl(userConfig, config, log);
  const handle = await startSuperset({ install, home: supersetHome(config.stack.stateDir), port, ordersUrl, log });
  const reader = decodeURIComponent(new URL(ordersUrl).username);
  return {
    handle,
    lines: [
      `  Superset      ${handle.url}/superset/dashboard/order-pipeline/  (apache-superset ${install.version}, reads as ${reader})`,
      `                log in as ${handle.adminUser}, password in ${handle.loginFile}`,
    ],
  };
}
