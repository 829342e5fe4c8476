/**
 * How long stopping takes, in one place, so the three budgets agree: the worker's own shutdown
 * grace (activities in flight finish, then are cancelled), and what a supervisor allows after its
 * stop signal before it kills: npm start (src/cli/start.ts) and compose's stop_grace_period for
 * the worker and the bridge (docker-compose.yml; test/unit/compose.test.ts checks it equals this).
 */

/**
 * The worker's shutdownGraceTime: longer than one emit attempt may take to finish (30 s
 * start-to-close, src/workflows/activity-options.ts).
 */
export const WORKER_SHUTDOWN_GRACE_MS = 35_000;

/**
 * A supervisor's wait after SIGINT/SIGTERM before SIGKILL: the worker's grace plus time to
 * disconnect its Kafka producer and Temporal connection (the bridge needs less: it commits the
 * chunk in hand and leaves its consumer group).
 */
export const PROCESS_STOP_GRACE_MS = 45_000;
