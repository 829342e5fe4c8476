/**
 * No secret in the output: every program of the pipeline, started as a user starts it, with
 * passwords and keys set and its servers out of reach (so it logs the connection failures where a
 * careless message would print a URL or a config object), never prints a secret. Each run must
 * also name the address it could not reach, or the test would pass on a program that said nothing.
 * And the repository itself holds no .env and no filled-in secret.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/stack/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DB_PASSWORD = 'pw-db-9f3c1e7a';
const KAFKA_PASSWORD = 'pw-kafka-5b2d8c4e';
const API_KEY = 'key-temporal-7e6a1f0b';
const SECRETS = [DB_PASSWORD, KAFKA_PASSWORD, API_KEY];

interface Run {
  output: string;
  code: number | null;
}

/** Runs `script` with `env` until it exits or `ms` pass (then SIGTERM, by its pid), and returns all it printed. */
function runFor(script: string, args: string[], env: NodeJS.ProcessEnv, ms: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const stop = setTimeout(() => child.kill('SIGTERM'), ms);
    const hard = setTimeout(() => child.kill('SIGKILL'), ms + 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(stop);
      clearTimeout(hard);
      resolve({ output, code });
    });
  });
}

function assertNoSecret(name: string, run: Run): void {
  for (const secret of SECRETS) {
    assert.ok(!run.output.includes(secret), `${name} printed a secret:\n${run.output.slice(0, 4000)}`);
  }
}

describe('secrets stay out of the output', { timeout: 180_000 }, () => {
  let env: NodeJS.ProcessEnv;
  let deadPorts: { db: number; kafka: number; temporal: number };

  before(async () => {
    deadPorts = { db: await freePort(), kafka: await freePort(), temporal: await freePort() };
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'debug',
      DATABASE_URL: `postgres://orders:${DB_PASSWORD}@127.0.0.1:${deadPorts.db}/orders`,
      KAFKA_BROKERS: `127.0.0.1:${deadPorts.kafka}`,
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'app',
      KAFKA_SASL_PASSWORD: KAFKA_PASSWORD,
      TEMPORAL_ADDRESS: `127.0.0.1:${deadPorts.temporal}`,
      TEMPORAL_API_KEY: API_KEY,
    };
  });

  test('the bridge, waiting for an unreachable Postgres', async () => {
    const run = await runFor('src/bridge/cli.ts', [], env, 8_000);
    assertNoSecret('bridge', run);
    assert.match(run.output, new RegExp(`127\\.0\\.0\\.1:${deadPorts.db}`), `the bridge should name the database address:\n${run.output}`);
  });

  test('the worker, failing to reach Temporal', async () => {
    const run = await runFor('src/workers/cli.ts', [], env, 20_000);
    assertNoSecret('worker', run);
    assert.match(run.output, new RegExp(`127\\.0\\.0\\.1:(${deadPorts.temporal}|${deadPorts.kafka})`), `the worker should name the address:\n${run.output}`);
  });

  test('the generator, failing to reach Temporal', async () => {
    const run = await runFor('src/generator/cli.ts', ['--count', '3', '--seed', '1'], env, 20_000);
    assertNoSecret('generator', run);
    assert.notEqual(run.code, 0, 'the generator cannot succeed without Temporal');
    assert.match(run.output, new RegExp(`127\\.0\\.0\\.1:${deadPorts.temporal}`), `the generator should name the Temporal address:\n${run.output}`);
  });

  test('a config error about a URL holding a password', async () => {
    const bad = { ...env, DATABASE_URL: `mysql://orders:${DB_PASSWORD}@127.0.0.1:${deadPorts.db}/orders` };
    const run = await runFor('src/bridge/cli.ts', [], bad, 10_000);
    assertNoSecret('bridge with a bad DATABASE_URL', run);
    assert.equal(run.code, 2, `a config error exits 2:\n${run.output}`);
    assert.match(run.output, /DATABASE_URL/);
  });

  test('the repository tracks no .env, and .env.example fills in no real secret', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
    assert.deepEqual(tracked.filter((f) => /(^|\/)\.env$/.test(f)), []);
    const example = readFileSync(new URL('.env.example', `file://${ROOT}`), 'utf8');
    for (const line of example.split('\n')) {
      const m = /^([A-Z_]*(PASSWORD|SECRET|API_KEY)[A-Z_]*)=(.*)$/.exec(line);
      if (m) assert.match(m[3] ?? '', /^(change-me[a-z-]*|)$/, `${m[1]} in .env.example must be empty or a change-me placeholder`);
    }
  });
});
