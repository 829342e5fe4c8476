/**
 * Static checks of the two Dockerfiles the compose stack builds: the project's image (worker and
 * bridge) and Superset's extension. No Docker engine here, so these read the files.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** Instructions of each stage, by stage name (or index). */
function stages(list: Instruction[]): Map<string, Instruction[]> {
  const out = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const ins of list) {
    if (ins.op === 'FROM') {
      current = [ins];
      const name = /\sAS\s+(\S+)/i.exec(ins.args)?.[1] ?? String(out.size);
      out.set(name, current);
    } else {
      current.push(ins);
    }
  }
  return out;
}

function assertPinnedFrom(file: string, list: Instruction[]): void {
  const froms = list.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s+/)[0] ?? '');
  const stageNames = new Set([...stages(list).keys()]);
  for (const image of froms) {
    if (stageNames.has(image)) continue;
    const tag = /:([^@/]+)$/.exec(image)?.[1];
    assert.ok(tag, `${file}: FROM ${image} has no tag`);
    assert.notEqual(tag, 'latest', `${file}: FROM ${image} uses latest`);
    assert.match(tag, /^\d+\.\d+\.\d+/, `${file}: FROM ${image} is not pinned to an exact version`);
  }
}

/** Top-level names .dockerignore excludes (the file lists plain names and globs, one a line). */
function ignoredNames(): string[] {
  return read('.dockerignore')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
}

describe('Dockerfile (worker and bridge)', () => {
  const list = instructions(read('Dockerfile'));
  const byStage = stages(list);

  test('pins its base images', () => assertPinnedFrom('Dockerfile', list));

  test('is multi-stage: build installs everything and type-checks, runtime omits dev dependencies', () => {
    const build = byStage.get('build');
    const runtime = byStage.get('runtime');
    assert.ok(build && runtime, `stages: ${[...byStage.keys()].join(', ')}`);
    const runs = (stage: Instruction[]) => stage.filter((i) => i.op === 'RUN').map((i) => i.args);
    assert.ok(runs(build).some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev')), 'build stage: npm ci');
    assert.ok(runs(build).some((r) => r.includes('tsc --noEmit')), 'build stage: type check');
    assert.ok(runs(runtime).some((r) => /^npm ci\b.*--omit=dev/.test(r)), 'runtime stage: npm ci --omit=dev');
    assert.equal(byStage.size, 2);
    assert.equal([...byStage.keys()].at(-1), 'runtime', 'the last stage is the image that runs');
  });

  test('runs as the non-root user node, with tsx, which is a runtime dependency', () => {
    const runtime = byStage.get('runtime') ?? [];
    const users = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    assert.deepEqual(users, ['node']);
    const cmd = runtime.find((i) => i.op === 'CMD')?.args ?? '';
    assert.match(cmd, /"node", "--import", "tsx", "src\/workers\/cli\.ts"/);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    assert.ok(pkg.dependencies.tsx, 'tsx must be in dependencies (npm ci --omit=dev keeps only those)');
  });

  test('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = ignoredNames();
    const sources = list
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    assert.ok(sources.includes('src') && sources.includes('package-lock.json'), `sources: ${sources.join(' ')}`);
    assert.ok(sources.includes('sql') && sources.includes('ksql'), 'the bridge applies sql/ and ksql/ at start');
    for (const source of sources) {
      const full = path.join(ROOT, source);
      assert.ok(existsSync(full), `Dockerfile copies ${source}, which is missing`);
      if (statSync(full).isDirectory()) {
        assert.ok(readdirSync(full).length > 0, `Dockerfile copies ${source}, an empty folder (missing in a fresh clone)`);
      }
      assert.ok(!ignored.includes(source), `Dockerfile copies ${source}, which .dockerignore excludes`);
    }
    for (const local of ['node_modules', '.git', '.env', '.stack']) {
      assert.ok(ignored.includes(local), `.dockerignore should exclude ${local}`);
    }
  });
});

describe('docker/superset/Dockerfile', () => {
  const list = instructions(read('docker/superset/Dockerfile'));

  test('extends the pinned official image with a pinned Postgres driver', () => {
    assertPinnedFrom('docker/superset/Dockerfile', list);
    assert.match(list.find((i) => i.op === 'FROM')?.args ?? '', /^apache\/superset:\d+\.\d+\.\d+$/);
    assert.ok(list.some((i) => i.op === 'RUN' && /psycopg2-binary==\d+\.\d+\.\d+/.test(i.args)), 'installs psycopg2-binary==x.y.z');
  });

  test('installs superset_config.py and ends as the image\'s own non-root user', () => {
    const copy = list.find((i) => i.op === 'COPY')?.args ?? '';
    assert.equal(copy, 'superset_config.py /app/pythonpath/superset_config.py');
    assert.ok(existsSync(path.join(ROOT, 'docker/superset/superset_config.py')));
    assert.equal(list.filter((i) => i.op === 'USER').at(-1)?.args, 'superset');
  });

  test('superset_config.py takes the secret key from the environment, never from the file', () => {
    const config = read('docker/superset/superset_config.py');
    assert.match(config, /SECRET_KEY = _required\("SUPERSET_SECRET_KEY"\)/);
    assert.doesNotMatch(config, /SECRET_KEY\s*=\s*["']/);
  });
});
