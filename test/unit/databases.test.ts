/** The URL that reaches a database by name: what pg itself reads back out of it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { databaseUrlFor } from '../../src/db/databases.js';

/** What pg's own connection-string parsing makes of a URL (no connection is opened). */
const parse = (url: string) => new pg.Client({ connectionString: url });

const SERVER = 'postgres://app:p%40ss%2Fword@db.example:6543/orders?sslmode=require&application_name=x';

describe('databaseUrlFor', () => {
  test('keeps user, password, host, port and parameters; only the database changes', () => {
    const parsed = parse(databaseUrlFor(SERVER, 'test_abc'));
    assert.equal(parsed.database, 'test_abc');
    assert.equal(parsed.user, 'app');
    assert.equal(parsed.password, 'p@ss/word');
    assert.equal(parsed.host, 'db.example');
    assert.equal(parsed.port, 6543);
    assert.equal(new URL(databaseUrlFor(SERVER, 'test_abc')).search, '?sslmode=require&application_name=x');
  });

  test('a name with spaces, quotes, capitals and non-ASCII letters reads back unchanged', () => {
    const name = 'Odd "name" with spaces ñ';
    assert.equal(parse(databaseUrlFor(SERVER, name)).database, name);
  });

  test('refuses names a URL path cannot carry or Postgres would cut short, naming the database', () => {
    for (const name of ['', 'a/b', 'a?b', 'a#b', '100%', 'tab\there']) {
      assert.throws(() => databaseUrlFor(SERVER, name), (err: Error) => err.message.startsWith(`database name ${JSON.stringify(name)}`), name);
    }
    assert.throws(() => databaseUrlFor(SERVER, 'x'.repeat(64)), /longer than Postgres' 63 bytes/);
    assert.equal(parse(databaseUrlFor(SERVER, 'x'.repeat(63))).database, 'x'.repeat(63));
  });
});
