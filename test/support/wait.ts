/**
 * Waiting on a condition in tests, never on a fixed sleep: polls `check` (the project's one loop,
 * pollUntil of src/stack/wait.ts) until true or the deadline. A check that throws fails the test at once.
 */
import { pollUntil } from '../../src/stack/wait.js';

export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000, intervalMs = 200): Promise<void> {
  if (!(await pollUntil(check, { timeoutMs, intervalMs }))) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
}
