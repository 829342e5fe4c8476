/**
 * Static checks of docker-compose.yml (no Docker engine needed): pinned images, health checks,
 * conditional depends_on, the app's settings, host ports, mounted files, and the one-shots'
 * arguments against the code's own lists (topics, search attributes).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SETTINGS, topicNames } from '../../src/config/config.js';
import { PROCESS_STOP_GRACE_MS, WORKER_SHUTDOWN_GRACE_MS } from '../../src/workers/shutdown-grace.js';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../src/workflows/contract.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMPOSE_TEXT = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');

interface Healthcheck {
  test: string[] | string;
}
interface DependsOnEntry {
  condition?: string;
}
interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string> | string[];
  env_file?: string | string[];
  ports?: (string | number)[];
  volumes?: (string | { type: string; source?: string })[];
  depends_on?: string[] | Record<string, DependsOnEntry>;
  healthcheck?: Healthcheck;
  profiles?: string[];
  restart?: string;
  user?: string;
  stop_grace_period?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// `merge: true`: the file shares settings between services with YAML merge keys (<<), as compose does.
const compose = parse(COMPOSE_TEXT, { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);
const service = (name: string): Service => {
  const s = compose.services[name];
  assert.ok(s, `docker-compose.yml has no service ${name}`);
  return s;
};

/** `${VAR:-default}` → default, `${VAR}` / `${VAR:?msg}` → a marker: ports must not depend on secrets. */
function resolveDefaults(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?(?::?\?[^}]*)?\}/g, (_m, name: string, def?: string) =>
    def !== undefined ? def : `<${name}>`,
  );
}

function environmentOf(s: Service): Record<string, string> {
  if (!s.environment) return {};
  if (Array.isArray(s.environment)) {
    return Object.fromEntries(s.environment.map((e) => [e.split('=')[0] ?? e, e.split('=').slice(1).join('=')]));
  }
  return s.environment;
}

function hostPort(spec: string | number): number {
  const parts = resolveDefaults(String(spec)).replace(/\/(tcp|udp)$/, '').split(':');
  assert.ok(parts.length >= 2, `port "${spec}" publishes a random host port; give host:container`);
  const host = Number(parts[parts.length - 2]);
  assert.ok(Number.isInteger(host) && host > 0, `port "${spec}" has no numeric host port`);
  return host;
}

function asList(v: string[] | string | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

describe('docker-compose.yml', () => {
  test('has the services of the issue', () => {
    for (const name of [
      'temporal-postgres', 'temporal-schema', 'temporal', 'temporal-ui', 'temporal-search-attributes', 'kafka', 'kafka-topics', 'ksqldb-server',
      'ksqldb-cli', 'postgres', 'superset-init', 'superset', 'worker', 'bridge', 'migrate', 'postgres-logins', 'jaeger', 'prometheus',
    ]) {
      service(name);
    }
  });

  test('every service has a pinned image (exact tag, not latest) or a build', () => {
    for (const [name, s] of services) {
      assert.ok(s.image || s.build, `${name}: neither image nor build`);
      if (s.build || !s.image) continue;
      const m = /^(?:[^/]+\/)*[^:/]+:([^@]+)$/.exec(s.image);
      assert.ok(m, `${name}: image ${s.image} has no tag`);
      const tag = m[1] ?? '';
      assert.notEqual(tag, 'latest', `${name}: image ${s.image} uses latest`);
      // Some projects (Prometheus) tag their releases with a leading v.
      assert.match(tag, /^v?\d+\.\d+(\.\d+)?([.-][\w.-]+)?$/, `${name}: image ${s.image} is not pinned to major.minor.patch`);
    }
  });

  test('every depends_on waits on a condition: healthy for servers, completed for one-shots', () => {
    for (const [name, s] of services) {
      if (!s.depends_on) continue;
      assert.ok(!Array.isArray(s.depends_on), `${name}: depends_on is a plain list, so it waits for nothing`);
      for (const [dep, entry] of Object.entries(s.depends_on)) {
        const target = service(dep);
        if (entry.condition === 'service_healthy') {
          assert.ok(target.healthcheck, `${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
        } else if (entry.condition === 'service_completed_successfully') {
          assert.equal(target.restart, 'no', `${name} waits for ${dep} to complete, but ${dep} is not a one-shot (restart: "no")`);
        } else {
          assert.fail(`${name} depends on ${dep} with condition ${String(entry.condition)}`);
        }
      }
    }
  });

  test('every server (publishes a port or is waited on as healthy) has a healthcheck', () => {
    const awaitedHealthy = new Set(
      services.flatMap(([, s]) =>
        s.depends_on && !Array.isArray(s.depends_on)
          ? Object.entries(s.depends_on).filter(([, e]) => e.condition === 'service_healthy').map(([d]) => d)
          : [],
      ),
    );
    const servers = services.filter(([name, s]) => (s.ports?.length ?? 0) > 0 || awaitedHealthy.has(name));
    assert.ok(servers.length >= 6, `expected at least 6 servers, found ${servers.map(([n]) => n).join(', ')}`);
    for (const [name, s] of servers) {
      assert.ok(s.healthcheck, `${name} runs a server but has no healthcheck`);
      const testCmd = asList(s.healthcheck.test);
      assert.ok(['CMD', 'CMD-SHELL'].includes(testCmd[0] ?? ''), `${name}: healthcheck test must start with CMD or CMD-SHELL`);
      assert.ok(!/\bsleep\b/.test(testCmd.join(' ')), `${name}: healthcheck sleeps`);
    }
    for (const name of ['temporal', 'temporal-ui', 'kafka', 'ksqldb-server', 'postgres', 'superset', 'jaeger']) {
      assert.ok(servers.some(([n]) => n === name), `${name} should count as a server`);
    }
  });

  test('nothing waits with sleep', () => {
    for (const [name, s] of services) {
      const words = [...asList(s.command), ...asList(s.entrypoint)].join(' ');
      assert.ok(!/\bsleep\b/.test(words), `${name} sleeps`);
    }
  });

  test('the worker and the bridge run the same image with different commands, on settings the code reads', () => {
    const worker = service('worker');
    const bridge = service('bridge');
    assert.deepEqual(worker.build, bridge.build);
    assert.equal(worker.image, bridge.image);
    assert.notDeepEqual(worker.command, bridge.command);
    assert.deepEqual(worker.command, ['node', 'dist/workers/cli.js']);
    assert.deepEqual(bridge.command, ['node', 'dist/bridge/cli.js']);
    const known = new Set(Object.keys(SETTINGS));
    for (const [name, s] of [['worker', worker], ['bridge', bridge]] as const) {
      const env = environmentOf(s);
      for (const key of Object.keys(env)) {
        assert.ok(known.has(key), `${name} sets ${key}, which is not a setting in SETTINGS (src/config/config.ts)`);
      }
      for (const key of ['TEMPORAL_ADDRESS', 'KAFKA_BROKERS']) {
        assert.ok(env[key], `${name} does not set ${key}`);
      }
      assert.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
      assert.equal(env.KAFKA_BROKERS, 'kafka:29092');
    }
    assert.equal(environmentOf(bridge).KSQLDB_URL, 'http://ksqldb-server:8088');
  });

  test('least privilege: the owner migrates in a one-shot, the bridge writes as orders_bridge, the worker holds no database login', () => {
    const migrate = service('migrate');
    assert.deepEqual(migrate.command, ['node', 'dist/db/cli.js']);
    assert.equal(migrate.image, service('bridge').image, 'the migrations run from the app image');
    assert.equal(migrate.restart, 'no');
    assert.match(environmentOf(migrate).DATABASE_URL ?? '', /^postgres:\/\/postgres:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/orders$/);
    assert.deepEqual(migrate.depends_on, { postgres: { condition: 'service_healthy' } });

    const logins = service('postgres-logins');
    assert.equal(logins.image, service('postgres').image, 'the one-shot uses the server\'s psql');
    assert.equal(logins.restart, 'no');
    assert.deepEqual(logins.entrypoint, ['bash', '/scripts/bridge-login.sh']);
    assert.deepEqual(logins.depends_on, { migrate: { condition: 'service_completed_successfully' } }, 'order_bridge exists once the migrations ran');
    const loginsEnv = environmentOf(logins);
    assert.equal(loginsEnv.PGUSER, 'postgres');
    assert.equal(loginsEnv.PGDATABASE, 'orders');
    assert.match(loginsEnv.PGPASSWORD ?? '', /^\$\{POSTGRES_PASSWORD:\?/);
    assert.match(loginsEnv.ORDERS_BRIDGE_PASSWORD ?? '', /^\$\{ORDERS_BRIDGE_PASSWORD:\?/);
    const script = readFileSync(path.join(ROOT, 'docker/postgres/bridge-login.sh'), 'utf8');
    assert.match(script, /ALTER ROLE orders_bridge WITH LOGIN NOSUPERUSER[^;]* PASSWORD :'bridge_password';/);
    assert.match(script, /GRANT order_bridge TO orders_bridge;/);
    assert.ok(statSync(path.join(ROOT, 'docker/postgres/bridge-login.sh')).mode & 0o100, 'the script must be executable');

    const bridge = environmentOf(service('bridge'));
    assert.match(bridge.DATABASE_BRIDGE_URL ?? '', /^postgres:\/\/orders_bridge:\$\{ORDERS_BRIDGE_PASSWORD:\?[^}]+\}@postgres:5432\/orders$/);
    const bridgeDeps = service('bridge').depends_on as Record<string, DependsOnEntry>;
    assert.equal(bridgeDeps['postgres-logins']?.condition, 'service_completed_successfully');
    for (const name of ['worker', 'bridge']) {
      const env = environmentOf(service(name));
      assert.equal(env.DATABASE_URL, undefined, `${name} must not hold the owner's DATABASE_URL`);
      assert.ok(!Object.values(env).some((v) => v.includes('POSTGRES_PASSWORD')), `${name} must not see the superuser's password`);
    }
  });

  test('Superset reads the orders database as the read-only role the Postgres init creates', () => {
    const init = environmentOf(service('superset-init'));
    assert.equal(init.ORDERS_DB_USER, 'superset_reader');
    assert.match(init.ORDERS_DB_PASSWORD ?? '', /^\$\{ORDERS_READER_PASSWORD:\?/);
    assert.match(environmentOf(service('postgres')).ORDERS_READER_PASSWORD ?? '', /^\$\{ORDERS_READER_PASSWORD:\?/);
    const script = readFileSync(path.join(ROOT, 'docker/postgres/init/20-orders-reader.sh'), 'utf8');
    assert.match(script, /CREATE ROLE superset_reader LOGIN PASSWORD :'reader_password' IN ROLE order_reader;/);
    assert.match(script, /ALTER ROLE superset_reader SET default_transaction_read_only = on;/);
    assert.ok(statSync(path.join(ROOT, 'docker/postgres/init/20-orders-reader.sh')).mode & 0o100, 'the init script must be executable');
  });

  test('tracing: Jaeger v2 pinned with a healthcheck, the worker and the bridge trace into it once it is healthy', () => {
    const jaeger = service('jaeger');
    assert.match(jaeger.image ?? '', /^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    assert.ok(jaeger.healthcheck, 'jaeger has a healthcheck');
    for (const name of ['worker', 'bridge']) {
      const s = service(name);
      assert.equal(environmentOf(s).OTEL_EXPORTER_OTLP_ENDPOINT, 'http://jaeger:4318', `${name} sends its spans to jaeger`);
      assert.equal((s.depends_on as Record<string, { condition?: string }>).jaeger?.condition, 'service_healthy', `${name} waits for jaeger`);
    }
  });

  test('metrics: Prometheus pinned with a healthcheck, scraping the worker and the bridge on the metrics ports they are given', () => {
    const prometheus = service('prometheus');
    assert.match(prometheus.image ?? '', /^prom\/prometheus:v3\.\d+\.\d+$/);
    assert.ok(prometheus.healthcheck, 'prometheus has a healthcheck');
    const mount = (prometheus.volumes ?? []).find((v): v is string => typeof v === 'string' && v.includes(':/etc/prometheus/prometheus.yml'));
    assert.ok(mount, 'prometheus mounts its configuration file');
    const scrape = parse(readFileSync(path.join(ROOT, mount.split(':')[0] ?? ''), 'utf8')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    const targets = scrape.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    for (const [name, setting] of [['worker', 'WORKER_METRICS_PORT'], ['bridge', 'BRIDGE_METRICS_PORT']] as const) {
      const env = environmentOf(service(name));
      assert.equal(env.METRICS_HOST, '0.0.0.0', `${name} listens for metrics on the containers' network`);
      assert.ok(env[setting], `${name} sets ${setting}`);
      assert.ok(targets.includes(`${name}:${env[setting]}`), `Prometheus scrapes ${name}:${env[setting]} (it scrapes ${targets.join(', ')})`);
    }
  });

  test('host ports do not collide', () => {
    const seen = new Map<number, string>();
    for (const [name, s] of services) {
      for (const spec of s.ports ?? []) {
        const port = hostPort(spec);
        assert.ok(!seen.has(port), `host port ${port} is published by both ${seen.get(port)} and ${name}`);
        seen.set(port, name);
      }
    }
    assert.deepEqual(
      Object.fromEntries([...seen].sort((a, b) => a[0] - b[0])),
      { 4318: 'jaeger', 5432: 'postgres', 7233: 'temporal', 8080: 'temporal-ui', 8088: 'ksqldb-server', 8089: 'superset', 9090: 'prometheus', 9092: 'kafka', 16686: 'jaeger' },
    );
  });

  test('Kafka has a listener for containers (kafka:29092) and one for the host (localhost:9092)', () => {
    const env = environmentOf(service('kafka'));
    const advertised = (env.KAFKA_ADVERTISED_LISTENERS ?? '').split(',');
    assert.ok(advertised.includes('PLAINTEXT://kafka:29092'), `advertised: ${advertised.join(',')}`);
    assert.ok(advertised.includes('PLAINTEXT_HOST://localhost:9092'), `advertised: ${advertised.join(',')}`);
    assert.equal(env.KAFKA_PROCESS_ROLES, 'broker,controller');
    assert.match(service('kafka').image ?? '', /^apache\/kafka:4\.1\.\d+$/);
  });

  test('the topic one-shot creates exactly the topics of topicNames()', () => {
    const oneShot = service('kafka-topics');
    assert.deepEqual(oneShot.command, Object.values(topicNames()));
    assert.equal(oneShot.restart, 'no');
  });

  test('the search-attribute one-shot registers exactly SEARCH_ATTRIBUTE_REGISTRATIONS', () => {
    const oneShot = service('temporal-search-attributes');
    assert.deepEqual(oneShot.command, SEARCH_ATTRIBUTE_REGISTRATIONS.map((a) => a.spec));
    assert.equal(oneShot.restart, 'no');
    assert.equal(oneShot.image, service('temporal-schema').image, 'both Temporal one-shots use the one admin-tools image');
  });

  test('every file and folder the file mounts or builds from exists in the repository', () => {
    for (const [name, s] of services) {
      if (s.build) {
        const build = typeof s.build === 'string' ? { context: s.build } : s.build;
        const context = path.resolve(ROOT, build.context);
        assert.ok(existsSync(context), `${name}: build context ${build.context} is missing`);
        const dockerfile = path.resolve(context, build.dockerfile ?? 'Dockerfile');
        assert.ok(existsSync(dockerfile), `${name}: ${path.relative(ROOT, dockerfile)} is missing`);
      }
      for (const file of asList(s.env_file)) {
        assert.ok(existsSync(path.resolve(ROOT, file)), `${name}: env_file ${file} is missing`);
      }
      for (const volume of s.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] ?? '' : volume.source ?? '';
        if (!source.startsWith('.')) {
          assert.ok(compose.volumes && source in compose.volumes, `${name}: volume ${source} is neither ./relative nor a named volume`);
          continue;
        }
        const full = path.resolve(ROOT, source);
        assert.ok(existsSync(full), `${name}: mounts ${source}, which is missing`);
        if (statSync(full).isDirectory()) {
          assert.ok(readdirSync(full).length > 0, `${name}: mounts ${source}, an empty folder (git does not keep it)`);
        }
      }
    }
  });

  test('no absolute host path, user or home of this machine', () => {
    for (const [name, s] of services) {
      for (const volume of s.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] ?? '' : volume.source ?? '';
        assert.ok(!path.isAbsolute(source) && !source.startsWith('~'), `${name}: absolute host path ${source}`);
      }
      if (s.build && typeof s.build !== 'string') assert.ok(!path.isAbsolute(s.build.context), `${name}: absolute build context`);
      assert.equal(s.user, undefined, `${name}: sets user; the images' own users are used`);
    }
    for (const local of [ROOT, os.homedir(), `/home/${os.userInfo().username}`]) {
      assert.ok(!COMPOSE_TEXT.includes(local), `docker-compose.yml mentions ${local}`);
    }
  });

  test('every variable without a default is given in the docker compose section of .env.example', () => {
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const assigned = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1] ?? ''));
    const required = new Set([...COMPOSE_TEXT.matchAll(/\$\{([A-Z0-9_]+)(:?\?[^}]*)?\}/g)].map((m) => m[1] ?? ''));
    assert.ok(required.has('POSTGRES_PASSWORD') && required.has('SUPERSET_SECRET_KEY'), `required: ${[...required].join(', ')}`);
    for (const name of required) {
      assert.ok(assigned.has(name), `${name} is required by docker-compose.yml but .env.example does not assign it`);
    }
    for (const name of assigned) {
      assert.ok(!(name in SETTINGS), `.env.example assigns the app setting ${name}; app settings stay commented out`);
    }
  });
  test('Temporal is production-shaped: temporalio/server on its own Postgres with SQL visibility, no dev server', () => {
    assert.ok(!/start-dev|auto-setup/.test(COMPOSE_TEXT), 'no dev server and no deprecated auto-setup image');
    const temporal = service('temporal');
    const version = /^temporalio\/server:(\d+\.\d+\.\d+)$/.exec(temporal.image ?? '')?.[1];
    assert.ok(version, `temporal runs ${temporal.image}, not temporalio/server:x.y.z`);
    assert.equal(temporal.command, undefined, 'the image\'s own entrypoint renders the config from the environment');
    const env = environmentOf(temporal);
    assert.equal(env.DB, 'postgres12');
    assert.equal(env.POSTGRES_SEEDS, 'temporal-postgres');
    assert.equal(env.DBNAME, 'temporal');
    assert.equal(env.VISIBILITY_DBNAME, 'temporal_visibility');
    assert.notEqual(env.ENABLE_ES, 'true', 'visibility stays in SQL');
    assert.match(env.POSTGRES_PWD ?? '', /^\$\{TEMPORAL_DB_PASSWORD:\?/);
    assert.deepEqual(temporal.depends_on, { 'temporal-schema': { condition: 'service_completed_successfully' } }, 'the schema is set up before the server starts');

    const db = service('temporal-postgres');
    assert.match(db.image ?? '', /^postgres:\d+\.\d+$/);
    assert.equal(db.ports, undefined, 'Temporal\'s database is not published on the host');
    assert.equal(environmentOf(db).POSTGRES_USER, env.POSTGRES_USER);

    // The admin-tools one-shots carry the same server release as the server (its schema files and sql tool).
    for (const name of ['temporal-schema', 'temporal-search-attributes']) {
      const image = service(name).image ?? '';
      assert.ok(image.startsWith(`temporalio/admin-tools:${version}-`), `${name}: ${image} is not admin-tools of server ${version}`);
    }
    assert.match(service('temporal-ui').image ?? '', /^temporalio\/ui:\d+\.\d+\.\d+$/);
  });

  test('the schema one-shot runs temporal-sql-tool create, setup and update-schema for the default store and visibility', () => {
    const oneShot = service('temporal-schema');
    assert.equal(oneShot.restart, 'no');
    assert.deepEqual(oneShot.entrypoint, ['bash', '/scripts/setup-schema.sh']);
    assert.deepEqual(oneShot.depends_on, { 'temporal-postgres': { condition: 'service_healthy' } });
    const env = environmentOf(oneShot);
    const server = environmentOf(service('temporal'));
    assert.equal(env.SQL_PLUGIN, server.DB);
    assert.equal(env.SQL_HOST, server.POSTGRES_SEEDS);
    assert.equal(env.SQL_USER, server.POSTGRES_USER);
    assert.equal(env.SQL_PASSWORD, server.POSTGRES_PWD);
    assert.equal(env.TEMPORAL_DB, server.DBNAME);
    assert.equal(env.TEMPORAL_VISIBILITY_DB, server.VISIBILITY_DBNAME);
    const script = readFileSync(path.join(ROOT, 'docker/temporal/setup-schema.sh'), 'utf8');
    for (const step of ['create-database', 'setup-schema -v 0.0', 'update-schema -d "$dir"']) {
      assert.ok(script.includes(`temporal-sql-tool --database "$db" ${step}`), `setup-schema.sh does not run ${step}`);
    }
    assert.match(script, /setup "\$default_db" "\$schema_root\/temporal\/versioned"/);
    assert.match(script, /setup "\$visibility_db" "\$schema_root\/visibility\/versioned"/);
    assert.match(script, /schema_root="\/etc\/temporal\/schema\/postgresql\/v12"/);
    assert.match(script, /^set -euo pipefail$/m);
    for (const file of ['docker/temporal/setup-schema.sh', 'docker/temporal/register-search-attributes.sh']) {
      assert.ok(statSync(path.join(ROOT, file)).mode & 0o100, `${file} must be executable`);
    }
    // The order: Postgres healthy → schema → server healthy → namespace and search attributes → app.
    assert.deepEqual(service('temporal-search-attributes').depends_on, { temporal: { condition: 'service_healthy' } });
    const appDeps = service('worker').depends_on as Record<string, DependsOnEntry>;
    assert.equal(appDeps['temporal-search-attributes']?.condition, 'service_completed_successfully');
  });

  test('every host port binds to 127.0.0.1 unless BIND_ADDRESS opens it', () => {
    let published = 0;
    for (const [name, s] of services) {
      for (const spec of s.ports ?? []) {
        published++;
        assert.match(String(spec), /^\$\{BIND_ADDRESS:-127\.0\.0\.1\}:\d+:\d+$/, `${name}: port "${spec}" is not bound to \${BIND_ADDRESS:-127.0.0.1}`);
        assert.ok(resolveDefaults(String(spec)).startsWith('127.0.0.1:'));
      }
    }
    assert.equal(published, 9);
  });

  test('stop grace periods agree: compose and npm start wait longer than the worker drains', () => {
    const seconds = (v: string | undefined) => {
      const m = /^(\d+)s$/.exec(v ?? '');
      assert.ok(m, `stop_grace_period "${v}" is not whole seconds (e.g. 45s)`);
      return Number(m[1]) * 1000;
    };
    for (const name of ['worker', 'bridge']) {
      assert.equal(seconds(service(name).stop_grace_period), PROCESS_STOP_GRACE_MS, `${name}: stop_grace_period`);
    }
    assert.ok(PROCESS_STOP_GRACE_MS >= WORKER_SHUTDOWN_GRACE_MS + 5000, 'the kill waits for the worker\'s grace plus its disconnects');
    const start = readFileSync(path.join(ROOT, 'src/cli/start.ts'), 'utf8');
    assert.match(start, /\['worker', 'bridge'\][^\n]*\.stop\(PROCESS_STOP_GRACE_MS\)/, 'npm start stops the worker and the bridge with PROCESS_STOP_GRACE_MS');
    const worker = readFileSync(path.join(ROOT, 'src/workers/order-worker.ts'), 'utf8');
    assert.match(worker, /shutdownGraceTime: SHUTDOWN_GRACE_TIME/);
    assert.match(worker, /const SHUTDOWN_GRACE_TIME = WORKER_SHUTDOWN_GRACE_MS;/);
  });
});
