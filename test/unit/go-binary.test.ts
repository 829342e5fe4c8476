/**
 * How the stack finds a Go-built binary (the Temporal CLI, Jaeger): the setting's path, else PATH,
 * else the cached build in the state folder, else one build, cached for next time.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../src/logging/logger.js';
import { resolveGoBinary, type GoBinary } from '../../src/stack/tools.js';

const log = createLogger('test', 'error');
const dirs: string[] = [];
function stateDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'go-binary-'));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function binary(builds: string[], value?: string, version = 'v1.0.0'): GoBinary {
  return {
    name: `order-pipeline-test-tool-${process.pid}`,
    version,
    setting: { variable: 'TEST_TOOL', value },
    announce: 'the test tool once (a moment',
    what: 'the test tool',
    withoutGo: 'set TEST_TOOL',
    build: async (_go, target, env) => {
      assert.equal(env.CGO_ENABLED, '0');
      builds.push(target);
      writeFileSync(target, '#!/bin/sh\n');
      chmodSync(target, 0o755);
    },
  };
}

describe('resolveGoBinary', () => {
  it('takes the setting, and names it when its file is missing', async () => {
    const builds: string[] = [];
    await assert.rejects(resolveGoBinary(stateDir(), binary(builds, '/nonexistent/tool'), log), /TEST_TOOL=\/nonexistent\/tool does not exist/);
    assert.equal(await resolveGoBinary(stateDir(), binary(builds, process.execPath), log), process.execPath);
    assert.deepEqual(builds, []);
  });

  it('builds once into the state folder, then finds the cached build', async () => {
    const dir = stateDir();
    const builds: string[] = [];
    const first = await resolveGoBinary(dir, binary(builds), log);
    assert.equal(first, path.join(dir, 'bin', `order-pipeline-test-tool-${process.pid}-v1.0.0`));
    assert.equal(await resolveGoBinary(dir, binary(builds), log), first);
    assert.deepEqual(builds, [first], 'one build');
  });

  it('uses a cached build without building', async () => {
    const dir = stateDir();
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'bin', `order-pipeline-test-tool-${process.pid}-v1.0.0`), '');
    const builds: string[] = [];
    await resolveGoBinary(dir, binary(builds), log);
    assert.deepEqual(builds, []);
  });

  it('builds a new version beside a cached older one, and never runs the older one', async () => {
    const dir = stateDir();
    const builds: string[] = [];
    const old = await resolveGoBinary(dir, binary(builds, undefined, 'v1.0.0'), log);
    const next = await resolveGoBinary(dir, binary(builds, undefined, 'v1.1.0'), log);
    assert.notEqual(next, old);
    assert.equal(path.basename(next), `order-pipeline-test-tool-${process.pid}-v1.1.0`);
    assert.deepEqual(builds, [old, next], 'one build per version');
  });
});
