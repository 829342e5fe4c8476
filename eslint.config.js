// Flat config: typescript-eslint's recommended rules everywhere, and the workflow sandbox rule:
// code under src/workflows runs in Temporal's deterministic V8 isolate, where Node built-ins are
// unavailable or non-deterministic (fs, crypto, timers...), so importing one is a lint error here
// instead of a bundling or replay failure later.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const sandboxMessage = 'Workflow code runs in the Temporal sandbox: no Node built-ins. Do this in an activity (src/activities).';

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', '.stack/', '.stack-*/', 'results/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // `_name` marks a value deliberately unused (e.g. destructured away).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: sandboxMessage })),
          patterns: [{ group: ['node:*'], message: sandboxMessage }],
        },
      ],
    },
  },
);
