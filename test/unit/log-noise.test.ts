/** Readable logs: kafkajs noise at debug then one warning if it lasts, the worker's summary. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kafkaLogCreator } from '../../src/logging/kafka-log.js';
import { createLogger } from '../../src/logging/logger.js';
import { formatCounts, startEndedSummary } from '../../src/workers/ended-summary.js';

const ERROR = 1;
const entry = (message: string, error?: string) => ({ namespace: 'Connection', level: ERROR, label: 'ERROR', log: { timestamp: '', message, ...(error ? { error } : {}) } });

describe('kafkajs log lines', () => {
  test('"The coordinator is loading" goes to debug; lasting past the limit it is reported once at warn; other errors stay errors, on one line', () => {
    const lines: string[] = [];
    let now = 0;
    const write = kafkaLogCreator(createLogger('kafka', 'info', (l) => lines.push(l) > 0), { persistMs: 60_000, now: () => now })(ERROR);
    for (; now <= 50_000; now += 10_000) write(entry('Response GroupCoordinator(key: 10, version: 2)', "The coordinator is loading and hence can't process requests for this group"));
    assert.deepEqual(lines, [], 'nothing at info while kafkajs recovers by itself');
    for (; now <= 120_000; now += 10_000) write(entry('Response GroupCoordinator(key: 10, version: 2)', "The coordinator is loading and hence can't process requests for this group"));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0] ?? '', /WARN .*Kafka: the group coordinator is loading for 60 s now \(kafkajs keeps retrying/);
    write(entry('Failed to connect to seed broker', 'connect ECONNREFUSED 127.0.0.1:9'));
    assert.equal(lines.length, 2);
    assert.match(lines[1] ?? '', /ERROR \[kafka\] Connection: Failed to connect to seed broker: connect ECONNREFUSED/);
    assert.doesNotMatch(lines.join('\n'), /\{"level"/, 'no JSON lines');
  });
});

describe('worker summary', () => {
  test('counts per status, commonest first, and prints nothing for an interval without ended orders', () => {
    const lines: string[] = [];
    const summary = startEndedSummary(createLogger('worker', 'info', (l) => lines.push(l) > 0), 3_600_000);
    summary.flush();
    assert.deepEqual(lines, []);
    for (const s of ['Delivered', 'Cancelled', 'Delivered', 'Timed Out', 'Delivered']) summary.record(s);
    summary.stop();
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /INFO .*orders ended in the last \d+ s: 5 \(3 Delivered, 1 Cancelled, 1 Timed Out\)$/);
    assert.equal(formatCounts(new Map([['b', 1], ['a', 1]])), '1 a, 1 b');
  });
});
