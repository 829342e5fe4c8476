/**
 * Connects a Temporal client from the typed configuration (address, namespace, TLS files, API
 * key). Fails fast with one line naming the address (and the namespace) when the server cannot
 * be reached or the namespace does not exist, instead of a gRPC stack trace.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, isGrpcServiceError, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import { UserError } from '../errors/user-error.js';
import type { TemporalConfig, TlsFiles } from '../config/config.js';
import { describeError } from '../logging/logger.js';

const CONNECT_TIMEOUT = '5s';
const GRPC_NOT_FOUND = 5;

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UserError(`cannot read the Temporal ${what} ${path}: ${describeError(err)}`);
  }
}

function tlsOptions(tls: false | TlsFiles): TLSConfig | false {
  if (tls === false) return false;
  const config: TLSConfig = {};
  if (tls.caPath) config.serverRootCACertificate = readPem(tls.caPath, 'CA file');
  if (tls.certPath && tls.keyPath) {
    config.clientCertPair = { crt: readPem(tls.certPath, 'client certificate'), key: readPem(tls.keyPath, 'client key') };
  }
  return config;
}

/** The SDK connection options of a TemporalConfig (exported for the worker's NativeConnection too). */
export function connectionOptions(cfg: TemporalConfig): ConnectionOptions {
  return {
    address: cfg.address,
    tls: tlsOptions(cfg.tls),
    ...(cfg.apiKey ? { apiKey: cfg.apiKey } : {}),
    connectTimeout: CONNECT_TIMEOUT,
  };
}

export interface TemporalClientHandle {
  client: Client;
  connection: Connection;
}

/**
 * A connected client for `cfg.namespace`. Close it with `connection.close()` when done.
 * Throws UserError naming the address when the server is unreachable or the namespace unknown.
 */
export async function connectTemporalClient(cfg: TemporalConfig): Promise<TemporalClientHandle> {
  let connection: Connection;
  try {
    connection = await Connection.connect(connectionOptions(cfg));
  } catch (err) {
    throw new UserError(
      `cannot reach Temporal at ${cfg.address} (${describeError(err)}); is it running? ` +
        'Start the local stack with `npm run stack`, or set TEMPORAL_ADDRESS',
      { cause: err },
    );
  }
  try {
    await connection.workflowService.describeNamespace({ namespace: cfg.namespace });
  } catch (err) {
    await connection.close();
    if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) {
      throw new UserError(`Temporal at ${cfg.address} has no namespace "${cfg.namespace}"; check TEMPORAL_NAMESPACE`);
    }
    throw new UserError(`cannot use namespace "${cfg.namespace}" on Temporal at ${cfg.address}: ${describeError(err)}`, { cause: err });
  }
  return { client: new Client({ connection, namespace: cfg.namespace }), connection };
}
