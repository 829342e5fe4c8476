/**
 * The connections hosted services need, proven against servers started here: Kafka with a SASL_SSL
 * listener (as Confluent Cloud), and Temporal behind TLS with client certificates (as Temporal
 * Cloud's mTLS). Everything goes through the config module, as a user would set it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { createKafka, ensureTopics } from '../../src/kafka/client.js';
import { createLogger } from '../../src/logging/logger.js';
import { createPool } from '../../src/db/pool.js';
import { startKafka, type KafkaServer } from '../../src/stack/kafka.js';
import { startPostgres, type PostgresServer } from '../../src/stack/postgres.js';
import { freePort } from '../../src/stack/wait.js';
import { connectTemporalClient } from '../../src/temporal/connection.js';
import { makeCertificates, type TestCertificates } from '../support/certificates.js';

const log = createLogger('secure-test', 'warn');
const stackConfig = loadConfig();
let certs: TestCertificates;

before(() => {
  certs = makeCertificates();
});
after(() => rmSync(certs.dir, { recursive: true, force: true }));

describe('Kafka over SASL_SSL', () => {
  let broker: KafkaServer;
  let saslPort: number;
  let dataDir: string;

  before(async () => {
    saslPort = await freePort();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'order-pipeline-sasl-'));
    const ports = { STACK_KAFKA_PORT: String(await freePort()), STACK_KAFKA_CONTROLLER_PORT: String(await freePort()) };
    const config = loadConfig({ ...process.env, ...ports, KAFKA_BROKERS: undefined });
    const l = 'listener.name.sasl_ssl';
    broker = await startKafka(config.stack, config.kafka, dataDir, log, {
      name: 'SASL_SSL',
      port: saslPort,
      properties: [
        'sasl.enabled.mechanisms=PLAIN',
        `${l}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_app="app-secret";`,
        `${l}.ssl.keystore.type=PEM`,
        `${l}.ssl.keystore.location=${certs.serverKeyAndCert}`,
        `${l}.ssl.truststore.type=PEM`,
        `${l}.ssl.truststore.location=${certs.caCert}`,
      ],
    });
  });
  after(async () => {
    await broker?.process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const secured = (overrides: Record<string, string>): AppConfig =>
    loadConfig({
      PATH: process.env.PATH,
      KAFKA_BROKERS: `127.0.0.1:${saslPort}`,
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'app',
      KAFKA_SASL_PASSWORD: 'app-secret',
      KAFKA_SSL_CA_PATH: certs.caCert,
      KAFKA_TOPIC_PREFIX: `sasl-${randomUUID().slice(0, 8)}-`,
      KAFKA_TOPIC_PARTITIONS: '1',
      ...overrides,
    });

  test('topics are created and a message round-trips with the config a Confluent user would set', async () => {
    const config = secured({});
    assert.deepEqual(config.kafka.ssl, { caPath: certs.caCert });
    const kafka = createKafka(config.kafka, { logLevel: 'silent' });
    await ensureTopics(kafka, config.kafka);
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `${config.kafka.topics.unpaid}-g` });
    try {
      await producer.connect();
      await producer.send({ topic: config.kafka.topics.unpaid, messages: [{ key: '7', value: 'over tls' }] });
      await consumer.connect();
      await consumer.subscribe({ topic: config.kafka.topics.unpaid, fromBeginning: true });
      const value = await new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
      });
      assert.equal(value, 'over tls');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  test('a wrong password is refused by the broker', async () => {
    const config = secured({ KAFKA_SASL_PASSWORD: 'wrong' });
    const admin = createKafka(config.kafka, { logLevel: 'silent', retries: 0 }).admin();
    await assert.rejects(admin.connect(), /SASL PLAIN authentication failed|Authentication failed/i);
    await admin.disconnect();
  });

  test('the plaintext port of the same broker is not the secured one (no TLS there)', async () => {
    const config = secured({ KAFKA_BROKERS: broker.brokers[0] as string });
    const admin = createKafka(config.kafka, { logLevel: 'silent', retries: 0 }).admin();
    await assert.rejects(admin.connect(), /TLS/);
    await admin.disconnect();
  });
});

describe('Temporal over mTLS', () => {
  let proxy: net.Server;
  let port: number;

  // The dev server has no TLS flags, so a TLS terminator in front of it plays Temporal Cloud's
  // role: it demands a client certificate signed by our CA and forwards the bytes.
  before(async () => {
    const [host, upstreamPort] = stackConfig.temporal.address.split(':');
    proxy = tls.createServer(
      {
        key: readFileSync(certs.serverKey),
        cert: readFileSync(certs.serverCert),
        ca: readFileSync(certs.caCert),
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['h2'],
      },
      (socket) => {
        const upstream = net.connect(Number(upstreamPort), host);
        socket.pipe(upstream).pipe(socket);
        const close = () => {
          socket.destroy();
          upstream.destroy();
        };
        socket.on('error', close);
        upstream.on('error', close);
      },
    );
    port = await freePort();
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  const tlsConfig = (overrides: Record<string, string>) =>
    loadConfig({
      PATH: process.env.PATH,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_TLS: 'true',
      TEMPORAL_TLS_CA_PATH: certs.caCert,
      TEMPORAL_TLS_CERT_PATH: certs.clientCert,
      TEMPORAL_TLS_KEY_PATH: certs.clientKey,
      ...overrides,
    }).temporal;

  test('a client with the certificate pair reaches the namespace', async () => {
    const { client, connection } = await connectTemporalClient(tlsConfig({}));
    try {
      const info = await client.workflowService.describeNamespace({ namespace: 'default' });
      assert.equal(info.namespaceInfo?.name, 'default');
    } finally {
      await connection.close();
    }
  });

  test('without a client certificate the connection is refused, naming the address', async () => {
    const cfg = tlsConfig({});
    const noClientCert = { ...cfg, tls: { caPath: certs.caCert } };
    await assert.rejects(connectTemporalClient(noClientCert), new RegExp(`127\\.0\\.0\\.1:${port}`));
  });
});

describe('Postgres requiring TLS', () => {
  let server: PostgresServer;
  let dataDir: string;
  let url: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'order-pipeline-pgtls-'));
    const config = loadConfig({ ...process.env, STACK_POSTGRES_PORT: String(await freePort()), DATABASE_URL: undefined });
    server = await startPostgres(config.stack, dataDir, log, { certFile: certs.serverCert, keyFile: certs.serverKey, requireTls: true });
    url = server.url.replace('@127.0.0.1:', '@localhost:');
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const query = async (env: Record<string, string>) => {
    const config = loadConfig({ PATH: process.env.PATH, DATABASE_URL: url, ...env });
    const pool = createPool(config.database, { max: 1 });
    try {
      return (await pool.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]?.ssl;
    } finally {
      await pool.end();
    }
  };

  test('verify-full with the CA connects over TLS', async () => {
    assert.equal(await query({ DATABASE_SSL: 'verify-full', DATABASE_SSL_CA_PATH: certs.caCert }), true);
  });

  test('require connects over TLS without checking the CA', async () => {
    assert.equal(await query({ DATABASE_SSL: 'require' }), true);
  });

  test('without TLS the server refuses the connection', async () => {
    await assert.rejects(query({ DATABASE_SSL: 'disable' }), /no encryption|pg_hba\.conf rejects/);
  });

  test('verify-full against an unknown CA is refused', async () => {
    await assert.rejects(query({ DATABASE_SSL: 'verify-full' }), /self-signed|unable to verify|certificate/i);
  });
});
