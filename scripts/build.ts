/**
 * `npm run build`: the compiled build the image runs. dist/ gets
 *   - the JavaScript of src/ (tsc -p tsconfig.build.json, type errors fail the build),
 *   - every file of src/ that is not TypeScript (the dashboard's public/ assets), same layout,
 *   - workflow-bundle.js: the workflows bundled once from the compiled dist/workflows, which the
 *     worker loads from there (src/workers/workflow-bundle.ts) instead of bundling at every start.
 * dist/ is emptied first, so nothing of an older build survives.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWorkflowBundle } from '../src/workers/workflow-bundle.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');

function compile(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${result.status ?? result.signal})`);
}

/** Copies the non-TypeScript files of src/ into dist/ and returns how many. */
function copyAssets(): number {
  const files = readdirSync(SRC, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.ts'));
  for (const entry of files) {
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(DIST, path.relative(SRC, from));
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  return files.length;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  rmSync(DIST, { recursive: true, force: true });
  compile();
  const assets = copyAssets();
  const bytes = await writeWorkflowBundle(path.join(DIST, 'workflows', 'index.js'), path.join(DIST, 'workflow-bundle.js'));
  const tracedBytes = await writeWorkflowBundle(path.join(DIST, 'workflows', 'index.js'), path.join(DIST, 'workflow-bundle-traced.js'), true);
  process.stderr.write(
    `build: dist/ compiled, ${assets} asset files copied, dist/workflow-bundle.js ${(bytes / 1024).toFixed(0)} KiB (traced ${(tracedBytes / 1024).toFixed(0)} KiB), ` +
      `in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
