/**
 * A fresh Postgres database per test file on the test stack's server (DATABASE_URL from
 * `npm test`), migrated, dropped at the end. Tests never share tables.
 */
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../src/config/config.js';
import { createDatabase, dropDatabase } from '../../src/db/databases.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, sslOptions, type Pool } from '../../src/db/pool.js';

export interface TestDatabase {
  url: string;
  /** The app config with DATABASE_URL pointing at this database. */
  config: AppConfig;
  pool: Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(config: AppConfig, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const ssl = sslOptions(config.database);
  const url = await createDatabase(config.database.url, name, { ssl });
  const dbConfig: AppConfig = { ...config, database: { ...config.database, url } };
  const pool = createPool(dbConfig.database);
  if (opts.migrate !== false) await migrate(pool);
  return {
    url,
    config: dbConfig,
    pool,
    async drop() {
      await pool.end();
      await dropDatabase(config.database.url, name, { ssl });
    },
  };
}

/** Row count and an md5 over every row of the pipeline's tables, in key order: equal means byte-for-byte equal. */
export async function tableFingerprint(pool: Pool): Promise<Record<string, { rows: number; md5: string }>> {
  const tables: Record<string, string> = {
    order_record: 'order_id',
    customer_info: 'customer_id',
    item_record: 'order_id, line_no',
    sku_info: 'sku',
    dead_letters: 'source_topic, source_partition, source_offset',
  };
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const [table, key] of Object.entries(tables)) {
    const { rows } = await pool.query<{ rows: string; md5: string }>(
      `SELECT count(*) AS rows, md5(COALESCE(string_agg(t::text, '|' ORDER BY ${key}), '')) AS md5 FROM ${table} t`,
    );
    out[table] = { rows: Number(rows[0]?.rows), md5: rows[0]?.md5 ?? '' };
  }
  return out;
}
