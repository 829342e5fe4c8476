/** Creating and dropping whole databases on the test stack's real Postgres, names quoted. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { createDatabase, databaseUrlFor, dropDatabase } from '../../src/db/databases.js';
import { sslOptions } from '../../src/db/pool.js';

const config = loadConfig();
const ssl = sslOptions(config.database);

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, ...(ssl ? { ssl } : {}) });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const exists = async (name: string) =>
  (await query(databaseUrlFor(config.database.url, 'postgres'), 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;

describe('databases', () => {
  test('a name with quotes, spaces and capitals is created, reached by its URL and dropped', async () => {
    const name = `Odd "db" ${randomUUID().slice(0, 8)}`;
    const url = await createDatabase(config.database.url, name, { ssl });
    try {
      const [row] = await query<{ db: string }>(url, 'SELECT current_database() AS db');
      assert.equal(row?.db, name);
      // ifNotExists keeps it; a plain second create fails, naming the database.
      assert.equal(await createDatabase(config.database.url, name, { ssl, ifNotExists: true }), url);
      await assert.rejects(createDatabase(config.database.url, name, { ssl }), (err: Error) => err.message.startsWith(`creating database ${name} on `) && /already exists/.test(err.message));
    } finally {
      await dropDatabase(config.database.url, name, { ssl });
    }
    assert.equal(await exists(name), false);
    await dropDatabase(config.database.url, name, { ssl }); // IF EXISTS: a second drop is no error
  });

  test('drop ends the sessions still connected to the database', async () => {
    const name = `drop_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const url = await createDatabase(config.database.url, name, { ssl });
    const client = new pg.Client({ connectionString: url, ...(ssl ? { ssl } : {}) });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await dropDatabase(config.database.url, name, { ssl });
      assert.equal(await exists(name), false);
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});
