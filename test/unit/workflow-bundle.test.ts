/**
 * Where the worker's workflow code comes from (src/workers/workflow-bundle.ts): the prebuilt bundle
 * when it exists, the sources otherwise, and one clear error when production lacks the bundle.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { UserError } from '../../src/errors/user-error.js';
import { PREBUILT_WORKFLOW_BUNDLE, prebuiltWorkflowBundle } from '../../src/workers/workflow-bundle.js';

describe('prebuiltWorkflowBundle', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workflow-bundle-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('from source it looks beside src/, where no build writes: the sources get bundled', () => {
    assert.equal(path.relative(path.resolve('src'), PREBUILT_WORKFLOW_BUNDLE), 'workflow-bundle.js');
    assert.equal(prebuiltWorkflowBundle(path.join(dir, 'missing.js'), {}), undefined);
  });

  test('an existing bundle is loaded by path', () => {
    const file = path.join(dir, 'workflow-bundle.js');
    writeFileSync(file, '// bundle');
    assert.deepEqual(prebuiltWorkflowBundle(file, { NODE_ENV: 'production' }), { codePath: file });
    assert.deepEqual(prebuiltWorkflowBundle(file, {}), { codePath: file });
  });

  test('NODE_ENV=production without the bundle is one clear error naming the file and the fix', () => {
    const missing = path.join(dir, 'nothing-here.js');
    assert.throws(
      () => prebuiltWorkflowBundle(missing, { NODE_ENV: 'production' }),
      (err: unknown) => err instanceof UserError && err.message.includes(missing) && err.message.includes('npm run build'),
    );
  });
});
