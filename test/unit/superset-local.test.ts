/**
 * `npm run superset` installs the same Superset the compose image runs: the lock file pins the
 * version docker/superset/Dockerfile is built FROM and the driver it adds, every package exactly;
 * the virtualenv folder follows the lock's content; the admin login is made once, kept 0600 and
 * reused; and the settings are read and checked by the configuration module.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { LOCK_FILE, lockedVersion, SUPERSET_DIR, venvDir } from '../../src/superset/install.js';
import { adminLogin } from '../../src/superset/server.js';

const lock = readFileSync(LOCK_FILE, 'utf8');
const dockerfile = readFileSync(path.join(SUPERSET_DIR, 'Dockerfile'), 'utf8');

test('the lock pins the apache-superset the compose image is built from, and its Postgres driver', () => {
  const image = /^FROM apache\/superset:(\S+)$/m.exec(dockerfile)?.[1];
  assert.ok(image, 'the Dockerfile names its apache/superset version');
  assert.equal(lockedVersion(lock), image);
  const driver = /psycopg2-binary==\S+/.exec(dockerfile)?.[0];
  assert.ok(driver && lock.split('\n').includes(driver), `the lock pins ${driver}`);
  assert.match(lock, /^marshmallow==3\./m, 'marshmallow 3 (Superset 5.0 does not run with 4)');
});

test('every package in the lock is pinned to one version', () => {
  const lines = lock.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  assert.ok(lines.length > 100, `${lines.length} packages`);
  for (const line of lines) assert.match(line, /^[A-Za-z0-9._-]+==[A-Za-z0-9.+!-]+$/, line);
});

test('the virtualenv folder is in the state folder and changes with the lock', () => {
  const a = venvDir('/state', lock);
  assert.match(a, /^\/state\/superset\/venv-\d+\.\d+\.\d+-[0-9a-f]{10}$/);
  assert.equal(venvDir('/state', lock), a);
  assert.notEqual(venvDir('/state', `${lock}\nextra==1.0`), a);
  assert.throws(() => lockedVersion('flask==3.0'), /pins no apache-superset/);
});

test('the admin login is generated once, kept 0600, and read back the same', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'superset-home-'));
  try {
    const first = adminLogin(home);
    assert.equal(first.user, 'admin');
    assert.ok(first.password.length >= 20);
    assert.equal(statSync(first.file).mode & 0o777, 0o600);
    assert.deepEqual(adminLogin(home), first);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('SUPERSET_PORT and SUPERSET_PYTHON are settings with defaults, checked', () => {
  assert.deepEqual(loadConfig({}).superset, { port: 8089, python: 'python3' });
  assert.deepEqual(loadConfig({ SUPERSET_PORT: '9100', SUPERSET_PYTHON: '/usr/bin/python3.11' }).superset, { port: 9100, python: '/usr/bin/python3.11' });
  assert.throws(() => loadConfig({ SUPERSET_PORT: 'abc' }), /SUPERSET_PORT/);
});
