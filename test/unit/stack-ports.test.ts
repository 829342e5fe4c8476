/**
 * Free ports for servers started by tests and benchmarks: one process never gets the same port
 * twice, even when it binds none of them itself (a CI run once gave the dashboard the port just
 * handed out for Postgres, and the dashboard could not listen).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canConnect, freePort } from '../../src/stack/wait.js';

describe('freePort', () => {
  test('300 calls in a row give 300 different ports, nothing listening on them', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await freePort());
    assert.equal(new Set(ports).size, ports.length);
    for (const port of ports.slice(0, 20)) {
      assert.ok(port > 0 && port < 65536, `port ${port}`);
      assert.equal(await canConnect('127.0.0.1', port, 200), false, `something listens on ${port}`);
    }
  });
});
