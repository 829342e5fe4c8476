/**
 * Order and customer ids. An id is the run id followed by a 6-digit sequence number within the
 * run: run 1736942400000, order 42 → "1736942400000000042". Numeric strings, unique per namespace
 * as long as run ids are: the default run id is the start time in ms, so two runs collide only if
 * they start in the same millisecond (or someone reuses a --run-id on purpose: then the same ids,
 * which is what makes `--seed N --run-id R` repeatable and a repeated start a no-op).
 * Run ids go up to 9,223,372,036,853 (13 digits; the clock in ms reaches it in the year 2262),
 * so every id stays below 2^63 and fits a Postgres bigint.
 */
export const SEQUENCE_DIGITS = 6;
export const MAX_SEQUENCE = 10 ** SEQUENCE_DIGITS - 1;
/** The largest run id whose ids all stay below 2^63 (9223372036854775807). */
export const MAX_RUN_ID = 9_223_372_036_853;

/** The id of item `sequence` (1-based) of run `runId`. */
export function composeId(runId: number, sequence: number): string {
  if (!Number.isSafeInteger(runId) || runId < 1 || runId > MAX_RUN_ID) {
    throw new RangeError(`run id must be a whole number 1..${MAX_RUN_ID}, got ${runId}`);
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`sequence must be 1..${MAX_SEQUENCE}, got ${sequence}`);
  }
  return `${runId}${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}
