/**
 * Timeouts and retry policies of the lifecycle activities, chosen on purpose (not SDK defaults).
 * Shared by the workflow (which schedules with them) and the activities (which raise the
 * non-retryable failure type), so both sides agree. Sandbox-safe: no Node built-ins.
 */
import { ApplicationFailure, type ActivityOptions, type LocalActivityOptions } from '@temporalio/common';

/** ApplicationFailure type of a bad order or bad input: a bug, never retried. */
export const INVALID_ORDER_FAILURE = 'InvalidOrder';

/**
 * The one failure for a bad order or bad input, thrown by the workflow's input check and by the
 * activities alike: non-retryable (retrying cannot fix a document), its message the reason.
 */
export function invalidOrderFailure(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: INVALID_ORDER_FAILURE, nonRetryable: true });
}

/**
 * Emitting to Kafka. One send waits for all in-sync replicas (10 s broker timeout, two kafkajs
 * retries), so 30 s bounds a stuck attempt. Attempts are unlimited on purpose: while Kafka is down
 * orders wait, backing off to one try a minute, and none is dropped; a retried send repeats the
 * same message with the same event id, which consumers deduplicate.
 */
export const EMIT_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [INVALID_ORDER_FAILURE],
  },
};

/**
 * Planning, run as local activities: a pure computation in the worker, microseconds long, its
 * result recorded as a marker. A retry only helps when the worker died mid-attempt, so a few quick
 * attempts are plenty; bad input fails at once.
 */
export const PLAN_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [INVALID_ORDER_FAILURE],
  },
};

/**
 * Emitting to Kafka as a local activity (the lifecycle since the local-emits patch): the same send,
 * the same unlimited attempts and the same backoff as EMIT_ACTIVITY_OPTIONS, run by the worker
 * inside the workflow task, its result recorded as a marker. A send is short and idempotent (the
 * event id deduplicates a repeat), which is what local activities are for. Backoffs up to the
 * SDK's local retry threshold (1 minute) are slept in the worker; longer ones (Kafka down for
 * minutes) become durable timers, so a long outage holds no workflow task open.
 */
export const EMIT_LOCAL_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: EMIT_ACTIVITY_OPTIONS.retry,
};
