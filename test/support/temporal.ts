/** Temporal test helpers: a quiet SDK runtime, so test output shows tests rather than worker state changes. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/** Installs the SDK runtime with WARN logging; call before creating the first worker of a test file. */
export function installQuietRuntime(): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by the code under test; its logger stays
  }
}
