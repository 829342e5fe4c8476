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
/**
 * The same workflows with the tracing interceptors (src/workflows/tracing-interceptors.ts) bundled
 * in, for a worker with tracing on: a worker with it off runs a bundle without them, at no cost.
 */
export const PREBUILT_TRACED_WORKFLOW_BUNDLE = fileURLToPath(new URL('../workflow-bundle-traced.js', import.meta.url));

/** The tracing interceptor module beside the workflows' entry point (.ts from source, .js compiled). */
export function tracingInterceptorsBeside(workflowsPath: string): string {
  return path.join(path.dirname(workflowsPath), `tracing-interceptors${path.extname(workflowsPath)}`);
}

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

/**
 * Build step: bundles the workflows at `workflowsPath` into `outFile` (the code with its inline
 * source map); `traced` adds the tracing interceptors.
 */
export async function writeWorkflowBundle(workflowsPath: string, outFile: string, traced = false): Promise<number> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: SILENT, ...(traced ? { workflowInterceptorModules: [tracingInterceptorsBeside(workflowsPath)] } : {}) });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return Buffer.byteLength(code);
}
