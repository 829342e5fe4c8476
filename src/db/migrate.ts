/**
 * Applies sql/NNN_*.sql in order, each once, recorded in schema_migrations; then seeds sku_info
 * from the catalogue. Re-running is a no-op. An advisory lock serialises concurrent migrators
 * (several bridges starting together).
 *
 * The migrations run as the owner of the database (DATABASE_URL). A least-privilege login (the
 * bridge as a member of order_bridge) may call migrate() too: when everything is applied and the
 * catalogue is current it only reads (schema_migrations, sku_info) and runs no DDL; when something
 * is missing it fails with {@link MigrationsNeedOwner}, which says to run them as the owner first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig } from '../config/config.js';
import { CATALOGUE } from '../domain/catalogue.js';
import { connectionError, createPool, type Pool } from './pool.js';

export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));
/** Arbitrary constant: the advisory lock id of this project's migrations. */
const MIGRATION_LOCK = 734_001;

export interface Migration {
  version: string;
  file: string;
}

export function listMigrations(dir = SQL_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.slice(0, 3), file: path.join(dir, f) }));
}

/** Postgres SQLSTATE of "permission denied" (and "must be owner of"). */
const INSUFFICIENT_PRIVILEGE = '42501';

/** The database needs migrating, and the connected role may not do it. */
export class MigrationsNeedOwner extends Error {
  constructor(
    readonly role: string,
    readonly missing: string,
    cause: unknown,
  ) {
    super(
      `the database needs ${missing}, which role "${role}" may not apply (${(cause as Error).message}); ` +
        'run the migrations once as the database owner first: DATABASE_URL=<owner URL> npm run migrate (npm start does it itself)',
      { cause },
    );
    this.name = 'MigrationsNeedOwner';
  }
}

type Client = { query: Pool['query'] };

/** migrate() on a pool of its own on db.url; a failure names the database (never its password). */
export async function migrateDatabase(db: DatabaseConfig, dir = SQL_DIR): Promise<string[]> {
  const pool = createPool(db, { max: 1, applicationName: 'order-migrate' });
  try {
    return await migrate(pool, dir);
  } catch (err) {
    throw connectionError(db.url, err);
  } finally {
    await pool.end();
  }
}

/** Applies what is missing; returns the versions applied now. */
export async function migrate(pool: Pool, dir = SQL_DIR): Promise<string[]> {
  const client = await pool.connect();
  try {
    const state = await readState(client, dir);
    if (state.pending?.length === 0 && state.catalogueCurrent) return [];
    try {
      return await applyMissing(client, dir);
    } catch (err) {
      // A failing migration file is wrapped (its name first); the Postgres error is its cause.
      const denied = [err, (err as { cause?: unknown }).cause].find((e) => (e as { code?: unknown } | undefined)?.code === INSUFFICIENT_PRIVILEGE);
      if (!denied) throw err;
      const role = (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0]?.role ?? '?';
      const missing =
        state.pending === undefined ? 'its migrations' : state.pending.length > 0 ? `migrations ${state.pending.join(', ')}` : 'an update of the sku_info catalogue';
      throw new MigrationsNeedOwner(role, missing, denied);
    }
  } finally {
    client.release();
  }
}

interface SchemaState {
  /** Versions of dir not applied yet; undefined = cannot tell (no table, or no right to read it). */
  pending?: string[];
  /** sku_info holds the catalogue exactly (false when it cannot be read). */
  catalogueCurrent: boolean;
}

/** What migrate() would do, found with SELECTs only (the bridge's login may read, not create). */
async function readState(client: Client, dir: string): Promise<SchemaState> {
  const attempt = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      // No table yet, or no SELECT on it: the owner's path below finds out what is needed.
      if (['42P01', INSUFFICIENT_PRIVILEGE].includes((err as { code?: string }).code ?? '')) return undefined;
      throw err;
    }
  };
  const done = await attempt(async () => (await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
  const pending = done ? listMigrations(dir).map((m) => m.version).filter((v) => !done.includes(v)) : undefined;
  const stale = await attempt(async () => Number((await client.query<{ n: number }>(CATALOGUE_DIFFERENCES, catalogueColumns())).rows[0]?.n));
  return { ...(pending ? { pending } : {}), catalogueCurrent: stale === 0 };
}

async function applyMissing(client: Client, dir: string): Promise<string[]> {
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of listMigrations(dir)) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(m.file, 'utf8'));
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, path.basename(m.file)]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${path.basename(m.file)} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.version);
    }
    await seedCatalogue(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
  }
  return applied;
}

/** Catalogue rows that sku_info lacks or holds differently (0 = nothing to seed). */
const CATALOGUE_DIFFERENCES = `
  SELECT count(*)::int AS n
  FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[]) AS c (sku, name, category, unit_price, unit_cost)
  LEFT JOIN sku_info s ON s.sku = c.sku
  WHERE s.sku IS NULL
     OR (s.name, s.category, s.unit_price, s.unit_cost) IS DISTINCT FROM (c.name, c.category, c.unit_price, c.unit_cost)`;

function catalogueColumns(): unknown[] {
  return [
    CATALOGUE.map((s) => s.sku),
    CATALOGUE.map((s) => s.name),
    CATALOGUE.map((s) => s.category),
    CATALOGUE.map((s) => s.unitPrice),
    CATALOGUE.map((s) => s.unitCost),
  ];
}

/** Upserts the catalogue; unchanged rows are left untouched (no dead tuples on every start). */
async function seedCatalogue(client: Client): Promise<void> {
  await client.query(
    `INSERT INTO sku_info (sku, name, category, unit_price, unit_cost)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[])
     ON CONFLICT (sku) DO UPDATE SET name = excluded.name, category = excluded.category,
       unit_price = excluded.unit_price, unit_cost = excluded.unit_cost
     WHERE (sku_info.name, sku_info.category, sku_info.unit_price, sku_info.unit_cost)
       IS DISTINCT FROM (excluded.name, excluded.category, excluded.unit_price, excluded.unit_cost)`,
    catalogueColumns(),
  );
}
