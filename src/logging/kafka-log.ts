/**
 * kafkajs's log lines in the project's one-line format. kafkajs prints a JSON ERROR line (with a
 * stack trace) for conditions it recovers from by itself — on every fresh start "The coordinator is
 * loading", "The group coordinator is not available", a group rebalancing — so those go to debug.
 * If one keeps coming for longer than `persistMs`, it is reported once at warn (per streak: a quiet
 * spell of `persistMs` ends the streak). Everything else keeps its level, on one line.
 */
import type { LogEntry, logCreator } from 'kafkajs';
import type { Logger } from './logger.js';

/** kafkajs's numeric levels (its logLevel enum), without importing the enum's runtime module. */
const KAFKA_ERROR = 1;
const KAFKA_WARN = 2;
const KAFKA_INFO = 4;

/** Conditions kafkajs retries on its own; named by the text it prints. */
export const SELF_RECOVERING: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'the group coordinator is loading', pattern: /coordinator is loading/i },
  { name: 'the group coordinator is not available', pattern: /group coordinator is not available|failed to find group coordinator/i },
  { name: 'the broker is not the group coordinator', pattern: /not the correct coordinator|not coordinator for group/i },
  { name: 'the group is rebalancing', pattern: /rebalanc/i },
  { name: 'a partition has no leader yet', pattern: /no leader for this topic-partition|leader not available/i },
  // Follows a crash kafkajs recovers from (the crash line itself is one of the above).
  { name: 'the consumer restarting after a retriable crash', pattern: /Restarting the consumer in/i },
];

/** True for text of a condition kafkajs recovers from by itself. */
export function isSelfRecovering(text: string): boolean {
  return SELF_RECOVERING.some((c) => c.pattern.test(text));
}

export interface KafkaLogOptions {
  /** How long a self-recovering condition may last before one warning (default 60 s). */
  persistMs?: number;
  now?: () => number;
}

/** The whole text of an entry: its message and the error kafkajs attached, if any. */
export function entryText(entry: Pick<LogEntry, 'log'>): string {
  const { message, error } = entry.log;
  return typeof error === 'string' && error !== '' ? `${message}: ${error}` : message;
}

export function kafkaLogCreator(log: Logger, options: KafkaLogOptions = {}): logCreator {
  const persistMs = options.persistMs ?? 60_000;
  const now = options.now ?? Date.now;
  // Per condition: when its current streak began, when last seen, whether it was reported.
  const streaks = new Map<string, { since: number; last: number; warned: boolean }>();
  return () => (entry: LogEntry) => {
    const text = `${entry.namespace ? `${entry.namespace}: ` : ''}${entryText(entry)}`;
    const known = SELF_RECOVERING.find((c) => c.pattern.test(text));
    if (known) {
      const t = now();
      let streak = streaks.get(known.name);
      if (!streak || t - streak.last > persistMs) {
        streak = { since: t, last: t, warned: false };
        streaks.set(known.name, streak);
      }
      streak.last = t;
      log.debug(text);
      if (!streak.warned && t - streak.since >= persistMs) {
        streak.warned = true;
        log.warn(`Kafka: ${known.name} for ${Math.round((t - streak.since) / 1000)} s now (kafkajs keeps retrying; last: ${text})`);
      }
      return;
    }
    if (entry.level <= KAFKA_ERROR) log.error(text);
    else if (entry.level === KAFKA_WARN) log.warn(text);
    else if (entry.level <= KAFKA_INFO) log.info(text);
    else log.debug(text);
  };
}
