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

// The Temporal SDK's public API only: its packages' lib/ and src/ files and its protected members
// change without notice between releases (an SDK upgrade must not break us silently), so importing
// an internal path, subclassing an SDK client or naming one of their protected members is an error.
const sdkInternalsMessage = "An SDK package's internal path: use what the package's main export offers (its public API).";
const sdkInternalPatterns = [{ group: ['@temporalio/*/lib', '@temporalio/*/lib/*', '@temporalio/*/src', '@temporalio/*/src/*'], message: sdkInternalsMessage }];
const SDK_CLASSES = 'Client|WorkflowClient|ScheduleClient|AsyncCompletionClient|TaskQueueClient|BaseClient|Connection|NativeConnection|Worker|Runtime';
// The SDK marks its protected members with a leading underscore (_startWorkflowHandler,
// _signalWithStart, _list, ...) or names them like these (createStartWorkflowRequest, rethrowGrpcError).
const SDK_PROTECTED = String.raw`/^(_(start|signal|query|cancel|terminate|describe|create|delete|patch|update|list|poll|fetch)\w*|createStartWorkflowRequest|rethrowGrpcError|workflowService)$/`;
const sdkProtectedRules = [
  {
    selector: String.raw`Literal[value=/^@temporalio\/[^/]+\/(lib|src)(\/|$)/]`,
    message: `${sdkInternalsMessage} (in require() or import() too)`,
  },
  {
    selector: `:matches(ClassDeclaration, ClassExpression)[superClass.name=/^(${SDK_CLASSES})$/]`,
    message: 'Do not subclass a Temporal SDK class: its protected members are not public API. Compose with its public methods instead.',
  },
  {
    selector: `:matches(MethodDefinition, PropertyDefinition, TSAbstractMethodDefinition)[key.name=${SDK_PROTECTED}]`,
    message: 'This name is a protected member of the Temporal SDK: overriding it relies on internals. Use the public API.',
  },
  {
    selector: `MemberExpression[property.name=${SDK_PROTECTED}][object.type='ThisExpression']`,
    message: 'This name is a protected member of the Temporal SDK: calling it relies on internals. Use the public API.',
  },
];

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', '.stack/', '.stack-*/', 'results/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // `_name` marks a value deliberately unused (e.g. destructured away).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-imports': ['error', { patterns: sdkInternalPatterns }],
      'no-restricted-syntax': ['error', ...sdkProtectedRules],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: sandboxMessage })),
          // This block replaces the rule for these files, so it repeats the SDK-internals patterns.
          patterns: [{ group: ['node:*'], message: sandboxMessage }, ...sdkInternalPatterns],
        },
      ],
    },
  },
);
