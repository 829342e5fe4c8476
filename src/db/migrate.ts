/**
 * Applies sql/NNN_*.sql in order, each once, recorded in schema_migrations; then seeds sku_info
 * from the catalogue. Re-running is a no-op. An advisory lock serialises concurrent migrators
 * (several bridges starting together).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from '../domain/catalogue.js';
import type { Pool } from './pool.js';

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

/** Applies what is missing; returns the versions applied now. */
export async function migrate(pool: Pool, dir = SQL_DIR): Promise<string[]> {
  const client = await pool.connect();
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
    client.release();
  }
  return applied;
}

/** Upserts the catalogue; unchanged rows are left untouched (no dead tuples on every start). */
async function seedCatalogue(client: { query: Pool['query'] }): Promise<void> {
  await client.query(
    `INSERT INTO sku_info (sku, name, category, unit_price, unit_cost)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[])
     ON CONFLICT (sku) DO UPDATE SET name = excluded.name, category = excluded.category,
       unit_price = excluded.unit_price, unit_cost = excluded.unit_cost
     WHERE (sku_info.name, sku_info.category, sku_info.unit_price, sku_info.unit_cost)
       IS DISTINCT FROM (excluded.name, excluded.category, excluded.unit_price, excluded.unit_cost)`,
    [
      CATALOGUE.map((s) => s.sku),
      CATALOGUE.map((s) => s.name),
      CATALOGUE.map((s) => s.category),
      CATALOGUE.map((s) => s.unitPrice),
      CATALOGUE.map((s) => s.unitCost),
    ],
  );
}
