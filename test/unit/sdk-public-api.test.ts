/**
 * The lint rule that keeps the code on the Temporal SDK's public API (eslint.config.js): imports of
 * an SDK package's lib/ or src/ files, SDK subclasses and the SDK's protected member names are
 * errors, in workflow files as elsewhere; and the repository itself lints clean of them.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: ROOT });
const SDK_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

async function sdkFindings(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => SDK_RULES.has(m.ruleId ?? '')).map((m) => `${m.line}: ${m.message}`);
}

describe('lint: only the Temporal SDK\'s public API', () => {
  test('an import of an internal path is an error, in src/ and in workflow files', async () => {
    const code = "import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';\nexport const p = patchProtobufRoot;\n";
    for (const file of ['src/workers/example.ts', 'src/workflows/example.ts', 'test/unit/example.ts']) {
      const found = await sdkFindings(code, file);
      assert.ok(found.some((f) => f.startsWith('1:') && f.includes('internal path')), `${file}: ${found.join(' | ')}`);
    }
    assert.ok((await sdkFindings("export { x } from '@temporalio/common/src/proto-utils';\n", 'src/a.ts')).length > 0);
  });

  test('require() or import() of an internal path is an error too', async () => {
    const found = await sdkFindings(
      "import { createRequire } from 'node:module';\nexport const a = createRequire(import.meta.url)('@temporalio/common/lib/proto-utils');\nexport const b = import('@temporalio/worker/lib/worker');\n",
      'src/workers/example.ts',
    );
    assert.deepEqual(found.map((f) => f.split(':')[0]), ['2', '3']);
  });

  test('subclassing an SDK client and overriding or calling its protected members are errors', async () => {
    const found = await sdkFindings(
      [
        "import { WorkflowClient } from '@temporalio/client';",
        'export class Aware extends WorkflowClient {',
        '  protected override async _startWorkflowHandler(): Promise<never> {',
        '    return this.createStartWorkflowRequest() as never;',
        '  }',
        '}',
      ].join('\n'),
      'src/generator/example.ts',
    );
    assert.deepEqual(found.map((f) => f.split(':')[0]), ['2', '3', '4'], found.join(' | '));
  });

  test('the public routes the code uses are allowed', async () => {
    const found = await sdkFindings(
      [
        "import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';",
        "import proto from '@temporalio/proto';",
        "import { bundleWorkflowCode } from '@temporalio/worker';",
        'export const uses = [Client, WorkflowExecutionAlreadyStartedError, proto, bundleWorkflowCode];',
        "export const ping = (c: Client) => c.workflowService.getSystemInfo({});",
      ].join('\n'),
      'src/generator/example.ts',
    );
    assert.deepEqual(found, []);
  });

  test('the repository has no such import, subclass or override', async () => {
    const results = await eslint.lintFiles(['src', 'test', 'scripts', 'bench']);
    const found = results.flatMap((r) =>
      r.messages.filter((m) => SDK_RULES.has(m.ruleId ?? '') && /SDK/.test(m.message)).map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.message}`),
    );
    assert.deepEqual(found, []);
  });
});
