/**
 * Where the worker's workflow code comes from. The compiled build (`npm run build`, the image) carries
 * a bundle made at build time, dist/workflow-bundle.js: the worker loads it instead of running webpack
 * at every start, and what runs is exactly what was built. From source (`npm run worker`, `npm start`,
 * the tests) there is no such file and the worker bundles src/workflows at start, as before.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundlePath } from '@temporalio/worker';
import { UserError } from '../errors/user-error.js';

/** dist/workflow-bundle.js when this module runs from dist/; src/workflow-bundle.js (never written) from source. */
export const PREBUILT_WORKFLOW_BUNDLE = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));

/** Compiled code ends in .js; from source (tsx) this module is a .ts file. */
const RUNS_COMPILED = import.meta.url.endsWith('.js');

/**
 * The prebuilt bundle when there is one; undefined from source (the caller bundles the sources).
 * Compiled code, or NODE_ENV=production, without the bundle is a build mistake: one clear error,
 * rather than a slow start that bundles whatever sources happen to lie around.
 */
export function prebuiltWorkflowBundle(file = PREBUILT_WORKFLOW_BUNDLE, env: NodeJS.ProcessEnv = process.env): WorkflowBundlePath | undefined {
  if (existsSync(file)) return { codePath: file };
  if (RUNS_COMPILED || env.NODE_ENV === 'production') {
    throw new UserError(`no prebuilt workflow bundle at ${file}: run npm run build (it writes the bundle beside the compiled code)`);
  }
  return undefined;
}

const SILENT = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Build step: bundles the workflows at `workflowsPath` into `outFile` (the code with its inline source map). */
export async function writeWorkflowBundle(workflowsPath: string, outFile: string): Promise<number> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: SILENT });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return Buffer.byteLength(code);
}
