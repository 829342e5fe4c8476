/**
 * The ksqlDB applier against a small HTTP server that speaks the /ksql request and response
 * shapes (ksqlDB itself cannot run here), and the ksql/ statements checked for re-runnability.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { topicNames } from '../../src/config/config.js';
import { applyKsql, readKsqlStatements } from '../../src/bridge/ksql.js';
import { createLogger } from '../../src/logging/logger.js';

interface Received {
  ksql: string;
  commandSequenceNumber?: number;
  streamsProperties?: Record<string, string>;
  contentType?: string;
}

/** Answers like ksqlDB: a command status with a growing sequence number, or an error body. */
function fakeKsqlServer(reply: (stmt: string, n: number) => { status: number; body: unknown }) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/ksql');
      const body = JSON.parse(raw) as Received;
      received.push({ ...body, contentType: req.headers['content-type'] ?? '' });
      const r = reply(body.ksql, received.length);
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.body));
    });
  });
  return { server, received };
}

const ok = (n: number) => ({ status: 200, body: [{ '@type': 'currentStatus', commandSequenceNumber: n * 10, commandStatus: { status: 'SUCCESS', message: 'Stream created' } }] });
const log = createLogger('ksql-test', 'error');

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ksql-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('applyKsql', () => {
  let url = '';
  let fake: ReturnType<typeof fakeKsqlServer>;
  let mode: 'ok' | 'exists' | 'broken' = 'ok';

  before(async () => {
    fake = fakeKsqlServer((stmt, n) => {
      if (mode === 'exists' && n === 2) return { status: 400, body: { '@type': 'statement_error', error_code: 40001, message: 'Cannot add stream X: A stream with the same name already exists' } };
      if (mode === 'broken' && /live/.test(stmt)) return { status: 400, body: { '@type': 'statement_error', error_code: 40001, message: "line 1:8: Syntax error at or near 'TABEL'" } };
      return ok(n);
    });
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => fake.server.close(() => r())));

  test('applies the real ksql/ statements in order, one per request, chaining command sequence numbers', async () => {
    mode = 'ok';
    fake.received.length = 0;
    const statements = readKsqlStatements();
    await applyKsql(url, log);
    assert.equal(fake.received.length, statements.length);
    assert.deepEqual(fake.received.map((r) => r.ksql), statements.map((s) => s.statement));
    assert.equal(fake.received[0]?.commandSequenceNumber, undefined);
    fake.received.slice(1).forEach((r, i) => assert.equal(r.commandSequenceNumber, (i + 1) * 10));
    assert.match(fake.received[0]?.contentType ?? '', /application\/vnd\.ksql\.v1\+json/);
    assert.equal(fake.received[0]?.streamsProperties?.['ksql.streams.auto.offset.reset'], 'earliest');
  });

  test('"already exists" is tolerated and the rest still applied', async () => {
    mode = 'exists';
    fake.received.length = 0;
    const dir = folder({ '001_a.sql': 'CREATE STREAM IF NOT EXISTS a (x INT) WITH (KAFKA_TOPIC=\'t\', VALUE_FORMAT=\'JSON\');\nCREATE STREAM IF NOT EXISTS b (x INT) WITH (KAFKA_TOPIC=\'t\', VALUE_FORMAT=\'JSON\');\n', '002_c.sql': '-- c\nCREATE STREAM IF NOT EXISTS c (x INT) WITH (KAFKA_TOPIC=\'t\', VALUE_FORMAT=\'JSON\');' });
    await applyKsql(url, log, dir);
    assert.equal(fake.received.length, 3);
  });

  test('any other error fails loudly, naming the file and the statement', async () => {
    mode = 'broken';
    const dir = folder({ '001_live.sql': "CREATE TABEL IF NOT EXISTS live AS SELECT 1 FROM s;\n" });
    await assert.rejects(applyKsql(url, log, dir), /ksqlDB refused 001_live\.sql \(CREATE TABEL IF NOT EXISTS live.*Syntax error/);
  });

  test('an unreachable ksqlDB names its address', async () => {
    await assert.rejects(applyKsql('http://127.0.0.1:1', log), /cannot reach ksqlDB at http:\/\/127\.0\.0\.1:1/);
  });
});

describe('ksql/ statements', () => {
  const statements = readKsqlStatements();

  test('every statement creates something and may be re-run (IF NOT EXISTS)', () => {
    assert.ok(statements.length >= 10);
    for (const { file, statement } of statements) {
      assert.match(statement, /^CREATE (STREAM|TABLE) IF NOT EXISTS \w+/, `${file}: ${statement.slice(0, 60)}`);
    }
  });

  test('streams read exactly the lifecycle topics the pipeline writes', () => {
    const t = topicNames();
    const topics = new Set(statements.flatMap((s) => [...s.statement.matchAll(/KAFKA_TOPIC = '([^']+)'/g)].map((m) => m[1])).filter((x) => !x?.startsWith('ksql_')));
    assert.deepEqual([...topics].sort(), [t.failed, t.finished, t.paid, t.shipped, t.unpaid].sort());
  });

  test('items are split one row per line with EXPLODE', () => {
    assert.ok(statements.some((s) => /EXPLODE\(item_info\)/.test(s.statement)));
  });
});
