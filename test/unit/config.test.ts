import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, redactUrl, SETTINGS, topicNames } from '../../src/config/config.js';

const base = { PATH: process.env.PATH };

describe('loadConfig', () => {
  test('defaults point at the local stack', () => {
    const c = loadConfig(base, '/tmp/x');
    assert.equal(c.temporal.address, '127.0.0.1:7233');
    assert.equal(c.temporal.uiUrl, 'http://127.0.0.1:8233');
    assert.deepEqual(c.kafka.brokers, ['127.0.0.1:9092']);
    assert.equal(c.database.url, 'postgres://postgres:orders@127.0.0.1:5433/orders');
    assert.equal(c.stack.stateDir, '/tmp/x/.stack');
    assert.deepEqual(c.stack.manage, { temporal: true, kafka: true, postgres: true, jaeger: true });
    assert.equal(c.tracing, undefined, 'tracing is off without an OTLP endpoint');
    assert.equal(c.jaegerUiUrl, undefined);
    assert.equal(c.kafka.ssl, false);
    assert.equal(c.ksqldbUrl, undefined);
    assert.deepEqual(c.kafka.topics, topicNames(''));
    assert.equal(c.kafka.producerMaxInFlight, 2);
    assert.equal(c.kafka.producerMaxBatch, 200);
  });

  test('metrics: every endpoint off unless its port is set, on 127.0.0.1 unless METRICS_HOST says otherwise', () => {
    assert.deepEqual(loadConfig(base).metrics, { host: '127.0.0.1' });
    const c = loadConfig({ ...base, BRIDGE_METRICS_PORT: '9464', WORKER_METRICS_PORT: '9465', GENERATOR_METRICS_PORT: '9466', METRICS_HOST: '0.0.0.0' });
    assert.deepEqual(c.metrics, { host: '0.0.0.0', bridgePort: 9464, workerPort: 9465, generatorPort: 9466 });
    assert.throws(() => loadConfig({ ...base, WORKER_METRICS_PORT: '70000' }), /Invalid setting WORKER_METRICS_PORT: expected 1\.\.65535, got 70000/);
  });

  test('stack ports move the default endpoints with them', () => {
    const c = loadConfig({ ...base, STACK_TEMPORAL_PORT: '17233', STACK_KAFKA_PORT: '19092', STACK_POSTGRES_PORT: '15433', STACK_TEMPORAL_UI_PORT: '18233' });
    assert.equal(c.temporal.address, '127.0.0.1:17233');
    assert.equal(c.temporal.uiUrl, 'http://127.0.0.1:18233');
    assert.deepEqual(c.kafka.brokers, ['127.0.0.1:19092']);
    assert.match(c.database.url, /127\.0\.0\.1:15433\/orders$/);
  });

  test('an explicit endpoint means the stack does not manage that service', () => {
    const c = loadConfig({ ...base, KAFKA_BROKERS: 'a.example:9092, b.example:9093', DATABASE_URL: 'postgresql://u:p@db.example:5432/x' });
    assert.deepEqual(c.kafka.brokers, ['a.example:9092', 'b.example:9093']);
    assert.deepEqual(c.stack.manage, { temporal: true, kafka: false, postgres: false, jaeger: true });
  });

  test('tracing: on with a standard OTLP endpoint (which also means no local Jaeger), off when disabled', () => {
    const base4318 = loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.example:4318/' });
    const everyOrder = { kind: 'parentbased_always_on', ratio: 1 };
    assert.deepEqual(base4318.tracing, { tracesUrl: 'http://collector.example:4318/v1/traces', sampler: everyOrder });
    assert.equal(base4318.stack.manage.jaeger, false);
    const full = loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a.example:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b.example/otlp/traces' });
    assert.deepEqual(full.tracing, { tracesUrl: 'https://b.example/otlp/traces', sampler: everyOrder });
    const disabled = loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a.example:4318', OTEL_SDK_DISABLED: 'true' });
    assert.equal(disabled.tracing, undefined);
    assert.equal(disabled.stack.manage.jaeger, false);
    assert.throws(() => loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://a:4317' }), /OTEL_EXPORTER_OTLP_ENDPOINT: expected a http: or https: URL/);
    assert.equal(loadConfig({ ...base, JAEGER_UI_URL: 'http://127.0.0.1:16686/' }).jaegerUiUrl, 'http://127.0.0.1:16686');
  });

  test('tracing: the standard sampler variables choose which orders are traced; bad values name the variable', () => {
    const on = { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a.example:4318' };
    const tenth = loadConfig({ ...on, OTEL_TRACES_SAMPLER: 'ParentBased_TraceIdRatio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
    assert.deepEqual(tenth.tracing?.sampler, { kind: 'parentbased_traceidratio', ratio: 0.1 });
    assert.throws(() => loadConfig({ ...on, OTEL_TRACES_SAMPLER: 'sometimes' }), /OTEL_TRACES_SAMPLER: expected one of always_on, .*got "sometimes"/);
    assert.throws(() => loadConfig({ ...on, OTEL_TRACES_SAMPLER_ARG: '1.5' }), /OTEL_TRACES_SAMPLER_ARG: expected a share of traces between 0 and 1, got "1.5"/);
    assert.throws(() => loadConfig({ ...on, OTEL_TRACES_SAMPLER_ARG: 'half' }), /OTEL_TRACES_SAMPLER_ARG: expected a share/);
  });

  test('SASL implies TLS, and needs its credentials', () => {
    const c = loadConfig({ ...base, KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'key', KAFKA_SASL_PASSWORD: 'secret' });
    assert.deepEqual(c.kafka.sasl, { mechanism: 'plain', username: 'key', password: 'secret' });
    assert.deepEqual(c.kafka.ssl, {});
    assert.throws(() => loadConfig({ ...base, KAFKA_SASL_MECHANISM: 'plain' }), /KAFKA_SASL_USERNAME: missing/);
  });

  test('a Temporal API key turns TLS on', () => {
    const c = loadConfig({ ...base, TEMPORAL_API_KEY: 'k', TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233' });
    assert.deepEqual(c.temporal.tls, {});
    assert.equal(c.temporal.apiKey, 'k');
  });

  test('the bridge and the dashboard may each have a login of their own; unset, they use DATABASE_URL', () => {
    const none = loadConfig(base);
    assert.equal(none.database.bridgeUrl, undefined);
    assert.equal(none.database.readOnlyUrl, undefined);
    const c = loadConfig({
      ...base,
      DATABASE_URL: 'postgres://owner:o@db.example:5432/orders',
      DATABASE_BRIDGE_URL: 'postgres://bridge_login:b@db.example:5432/orders',
      DATABASE_READONLY_URL: 'postgresql://dashboard_login:d@db.example:5432/orders',
    });
    assert.equal(c.database.url, 'postgres://owner:o@db.example:5432/orders');
    assert.equal(c.database.bridgeUrl, 'postgres://bridge_login:b@db.example:5432/orders');
    assert.equal(c.database.readOnlyUrl, 'postgresql://dashboard_login:d@db.example:5432/orders');
  });

  const bad: Array<[string, string, RegExp]> = [
    ['STACK_KAFKA_PORT', 'abc', /STACK_KAFKA_PORT: expected a whole number, got "abc"/],
    ['KAFKA_PRODUCER_MAX_IN_FLIGHT', '0', /KAFKA_PRODUCER_MAX_IN_FLIGHT: expected 1\.\.100, got 0/],
    ['KAFKA_PRODUCER_MAX_BATCH', 'many', /KAFKA_PRODUCER_MAX_BATCH: expected a whole number, got "many"/],
    ['STACK_POSTGRES_PORT', '70000', /STACK_POSTGRES_PORT: expected 1\.\.65535, got 70000/],
    ['TEMPORAL_ADDRESS', 'localhost', /TEMPORAL_ADDRESS: expected host:port, got "localhost"/],
    ['KAFKA_BROKERS', 'a:1,b', /KAFKA_BROKERS: expected host:port, got "b"/],
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL: expected a postgres: or postgresql: URL, got mysql:/],
    ['DATABASE_SSL', 'maybe', /DATABASE_SSL: expected one of disable, require, verify-full, got "maybe"/],
    ['KAFKA_SSL', 'si', /KAFKA_SSL: expected true or false, got "si"/],
    ['KAFKA_SSL_CA_PATH', '/nonexistent/ca.pem', /KAFKA_SSL_CA_PATH: cannot read file \/nonexistent\/ca.pem \(ENOENT\)/],
    ['KSQLDB_URL', 'not a url', /KSQLDB_URL: expected a URL/],
    ['KAFKA_TOPIC_PREFIX', 'bad prefix!', /KAFKA_TOPIC_PREFIX: expected letters/],
    ['BRIDGE_BATCH_SIZE', '0', /BRIDGE_BATCH_SIZE: expected 1\.\.100000, got 0/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of debug, info, warn, error/],
    ['SIM_CLOCK', '2026-01-01T00:00:00Z*3600', /SIM_CLOCK: expected SIMULATED-ISO@REAL-ISO\*SPEED/],
    ['SIM_CLOCK', '2026-01-01T00:00:00Z@2026-12-02T02:30:00Z*0', /SIM_CLOCK: expected/],
    ['DATABASE_BRIDGE_URL', 'http://u:p@h/db', /DATABASE_BRIDGE_URL: expected a postgres: or postgresql: URL, got http:/],
    ['DATABASE_BRIDGE_URL', 'postgres://db.example:5432/orders', /DATABASE_BRIDGE_URL: expected a URL with the user name of the login/],
    ['DATABASE_READONLY_URL', 'mysql://u@h/db', /DATABASE_READONLY_URL: expected a postgres: or postgresql: URL, got mysql:/],
  ];
  for (const [name, value, message] of bad) {
    test(`${name}=${value} is refused with a message naming it`, () => {
      assert.throws(
        () => loadConfig({ ...base, [name]: value }),
        (err: unknown) => err instanceof ConfigError && err.variable === name && message.test(err.message),
      );
    });
  }

  test('every variable the reader knows is documented in .env.example', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of Object.keys(SETTINGS)) assert.match(example, new RegExp(`^#?\\s*${name}=`, 'm'), `${name} missing from .env.example`);
  });
});

test('redactUrl hides the password', () => {
  assert.equal(redactUrl('postgres://u:s3cret@h:5432/db'), 'postgres://u:***@h:5432/db');
  assert.equal(redactUrl('nonsense'), '<unparseable url>');
});

test('a bad setting stops a command with one line and exit code 2', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/stack.ts'], {
    env: { ...process.env, STACK_KAFKA_PORT: 'abc' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'error: Invalid setting STACK_KAFKA_PORT: expected a whole number, got "abc"\n');
});
