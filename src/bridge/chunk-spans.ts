/**
 * The bridge's part of an order's trace (tracing on only): for every message of a chunk, a
 * CONSUMER span continuing the trace its `traceparent` header carries (the worker's send span),
 * and for every order written, a CLIENT span of the Postgres write under it. One transaction
 * writes the whole chunk, so each order's write span covers that one transaction: the trace of
 * each order shows the write that stored it, with the chunk's size as an attribute.
 */
import { ROOT_CONTEXT, SpanKind, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { HEADERS } from '../domain/order.js';
import { ATTR, contextFromHeaders, failSpan, TRACEPARENT_HEADER } from '../telemetry/tracing.js';

export interface TracedMessage {
  message: KafkaMessage;
  orderId?: string;
  eventId: string;
}

function header(m: KafkaMessage, name: string): string | undefined {
  const value = m.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export class ChunkSpans {
  private readonly consumeSpans = new Map<KafkaMessage, Span>();
  private writeSpans: Span[] = [];

  constructor(
    private readonly tracer: Tracer,
    private readonly topic: string,
    private readonly partition: number,
  ) {}

  /** A consume span for the message, child of the span its headers name (a new trace without one). */
  consumed({ message, orderId, eventId }: TracedMessage): void {
    const parent = contextFromHeaders({ [TRACEPARENT_HEADER]: header(message, TRACEPARENT_HEADER), tracestate: header(message, 'tracestate') });
    const span = this.tracer.startSpan(
      `receive ${this.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...(orderId ? { [ATTR.orderId]: orderId } : {}),
          [ATTR.eventId]: eventId,
          ...(header(message, HEADERS.stage) ? { [ATTR.stage]: header(message, HEADERS.stage) } : {}),
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': this.topic,
          'messaging.destination.partition.id': String(this.partition),
          'messaging.kafka.offset': Number(message.offset),
        },
      },
      parent,
    );
    this.consumeSpans.set(message, span);
  }

  /** The message went to the dead-letter topic: its consume span says why. */
  deadLettered(message: KafkaMessage, reason: string): void {
    const span = this.consumeSpans.get(message);
    span?.setAttribute('order.dead_letter_reason', reason);
    if (span) failSpan(span, new Error(`dead-lettered: ${reason}`));
  }

  /** Write spans for the orders about to be written, children of their consume spans. */
  writing(messages: Array<{ message: KafkaMessage; orderId: string }>): void {
    this.writeSpans = messages.map(({ message, orderId }) => {
      const consume = this.consumeSpans.get(message);
      const parent = consume ? trace.setSpan(ROOT_CONTEXT, consume) : undefined;
      return this.tracer.startSpan(
        'postgres write order',
        {
          kind: SpanKind.CLIENT,
          attributes: { [ATTR.orderId]: orderId, 'db.system': 'postgresql', 'db.operation.name': 'upsert', 'db.collection.name': 'order_info', 'db.operation.batch.size': messages.length },
        },
        parent,
      );
    });
  }

  writeFailed(err: unknown): void {
    for (const span of this.writeSpans) failSpan(span, err);
  }

  /** Ends every span of the chunk (once its rows are committed, or the chunk failed). */
  end(): void {
    for (const span of this.writeSpans) span.end();
    for (const span of this.consumeSpans.values()) span.end();
    this.writeSpans = [];
    this.consumeSpans.clear();
  }
}
