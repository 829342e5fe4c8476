/**
 * Dead letters: a message the bridge cannot accept goes, unchanged, to the dead-letter topic with
 * why and where it came from in headers, and (an excerpt) to the dead_letters table. The bridge
 * then goes on; nothing is dropped silently.
 */
import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import type { DeadLetterRow } from './sink.js';

export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  topic: 'dlq-source-topic',
  partition: 'dlq-source-partition',
  offset: 'dlq-source-offset',
} as const;

export interface Rejected {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: string;
}

export function deadLetterRow(r: Rejected): DeadLetterRow {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.message.offset,
    reason: r.reason,
    key: r.message.key ? r.message.key.toString('utf8').slice(0, 200) : null,
    // Postgres text cannot hold NUL bytes; an excerpt is for people, the topic keeps the bytes.
    excerpt: (r.message.value?.toString('utf8') ?? '').slice(0, 500).replaceAll(String.fromCharCode(0), '\uFFFD'),
  };
}

export async function sendDeadLetters(producer: Producer, topic: string, rejected: Rejected[]): Promise<void> {
  if (rejected.length === 0) return;
  await producer.send({
    topic,
    acks: -1,
    messages: rejected.map((r) => ({
      key: r.message.key,
      value: r.message.value,
      headers: {
        ...(r.message.headers ?? {}),
        [DLQ_HEADERS.reason]: r.reason,
        [DLQ_HEADERS.topic]: r.topic,
        [DLQ_HEADERS.partition]: String(r.partition),
        [DLQ_HEADERS.offset]: r.message.offset,
      } satisfies IHeaders,
    })),
  });
}
