/**
 * The Kafka piece of the local stack: one Apache Kafka 4 broker in KRaft mode (broker and
 * controller in one JVM). The jars come from KAFKA_HOME, then Kafka scripts on PATH, then Maven
 * Central through the project's stack/kafka/pom.xml, copied once into the state folder.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaConfig, StackConfig } from '../config/config.js';
import { createKafka, ensureTopics } from '../kafka/client.js';
import type { Logger } from '../logging/logger.js';
import { pidFileFor } from './leftovers.js';
import { spawnLogged, type ManagedProcess } from '../process/supervisor.js';
import { runCommand } from './process.js';
import { findOnPath, withProgress } from './tools.js';
import { assertPortFree, canConnect, waitUntil } from './wait.js';

const KAFKA_POM = fileURLToPath(new URL('../../stack/kafka/pom.xml', import.meta.url));
const KAFKA_LOG4J = fileURLToPath(new URL('../../stack/kafka/log4j2.properties', import.meta.url));

/** Folder holding the broker's jars (a classpath of `<dir>/*`). */
export async function resolveKafkaLibs(stack: StackConfig, log: Logger): Promise<string> {
  if (stack.kafkaHome) {
    const libs = path.join(stack.kafkaHome, 'libs');
    if (!existsSync(libs)) throw new Error(`KAFKA_HOME=${stack.kafkaHome} has no libs/ folder`);
    return libs;
  }
  const script = findOnPath('kafka-server-start.sh');
  if (script) return path.join(path.dirname(path.dirname(script)), 'libs');
  const version = /<kafka.version>([^<]+)</.exec(readFileSync(KAFKA_POM, 'utf8'))?.[1] ?? 'unknown';
  const libs = path.join(stack.stateDir, `kafka-${version}`, 'libs');
  const complete = path.join(libs, '.complete');
  if (existsSync(complete)) return libs;
  const mvn = findOnPath('mvn');
  if (!mvn) throw new Error('no Kafka found: install Maven and Java 17 (to fetch it from Maven Central) or set KAFKA_HOME');
  log.info(`fetching Apache Kafka ${version} from Maven Central once (cached in ${libs})`);
  await withProgress(log, `fetching Kafka ${version}`, () =>
    runCommand(mvn, ['-q', '-B', '-f', KAFKA_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime']),
  );
  writeFileSync(complete, new Date().toISOString());
  return libs;
}

export interface KafkaServer {
  brokers: string[];
  process: ManagedProcess;
}

/**
 * Extra listener for clients, beside the plaintext one the stack itself uses (tests add a
 * SASL_SSL listener the way Confluent Cloud exposes its brokers).
 */
export interface ExtraListener {
  name: string;
  port: number;
  /** Broker properties for this listener (ssl.*, sasl.*, listener.name.<name>.*). */
  properties: string[];
}

export async function startKafka(
  stack: StackConfig,
  kafka: KafkaConfig,
  dataDir: string,
  log: Logger,
  extra?: ExtraListener,
): Promise<KafkaServer> {
  const libs = await resolveKafkaLibs(stack, log);
  const java = findOnPath('java');
  if (!java) throw new Error('no java on PATH: the Kafka broker needs Java 17 or newer');
  await assertPortFree(stack.kafkaPort, 'STACK_KAFKA_PORT', 'Kafka');
  await assertPortFree(stack.kafkaControllerPort, 'STACK_KAFKA_CONTROLLER_PORT', 'the Kafka controller');
  const dir = path.join(dataDir, 'kafka');
  const props = writeBrokerProperties(stack, dir, extra);
  const classpath = `${libs}/*`;
  if (!existsSync(path.join(dir, 'data', 'meta.properties'))) {
    await formatStorage(java, classpath, props);
  }
  const proc = spawnLogged({
    name: 'kafka',
    command: java,
    args: ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC', `-Dlog4j2.configurationFile=${KAFKA_LOG4J}`, '-cp', classpath, 'kafka.Kafka', props],
    logFile: path.join(dataDir, 'logs', 'kafka.log'),
    pidFile: pidFileFor(dataDir, 'kafka'),
  });
  const broker = `127.0.0.1:${stack.kafkaPort}`;
  const client = createKafka({ ...kafka, brokers: [broker], ssl: false }, { logLevel: 'error' });
  await waitUntil('Kafka broker', () => kafkaAnswers(broker, client), { timeoutMs: 90_000, process: proc, intervalMs: 500 });
  await ensureTopics(client, { ...kafka, brokers: [broker] }, log);
  return { brokers: [broker], process: proc };
}

function writeBrokerProperties(stack: StackConfig, dir: string, extra?: ExtraListener): string {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const file = path.join(dir, 'server.properties');
  const controller = `127.0.0.1:${stack.kafkaControllerPort}`;
  writeFileSync(
    file,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${controller}`,
      `listeners=PLAINTEXT://127.0.0.1:${stack.kafkaPort},CONTROLLER://${controller}${extra ? `,${extra.name}://127.0.0.1:${extra.port}` : ''}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${stack.kafkaPort}${extra ? `,${extra.name}://127.0.0.1:${extra.port}` : ''}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${extra ? `,${extra.name}:${extra.name}` : ''}`,
      ...(extra?.properties ?? []),
      `log.dirs=${path.join(dir, 'data')}`,
      // One broker: internal topics cannot have more replicas than that.
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=10',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      // A single consumer joins at once instead of waiting 3 s for others.
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      'num.partitions=3',
      '',
    ].join('\n'),
  );
  return file;
}

async function formatStorage(java: string, classpath: string, props: string): Promise<void> {
  // A random cluster id, generated the way kafka-storage.sh does it.
  let clusterId = '';
  await runCommand(java, ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid'], {
    onLine: (line) => {
      if (/^[A-Za-z0-9_-]{22}$/.test(line.trim())) clusterId = line.trim();
    },
  });
  if (!clusterId) throw new Error('kafka StorageTool random-uuid printed no cluster id');
  await runCommand(java, ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props, '--ignore-formatted']);
}

async function kafkaAnswers(broker: string, client: ReturnType<typeof createKafka>): Promise<boolean> {
  const [host, port] = broker.split(':');
  if (!(await canConnect(host ?? '127.0.0.1', Number(port)))) return false;
  const admin = client.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.controller !== null && cluster.brokers.length > 0;
  } finally {
    await admin.disconnect();
  }
}

