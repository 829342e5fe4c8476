/**
 * A throwaway certificate authority for the secured-connection tests: a CA, a server certificate
 * for 127.0.0.1/localhost, and a client certificate (mTLS), made with openssl in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificates {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** Key and certificate in one PEM file (what Kafka's PEM keystore reads). */
  serverKeyAndCert: string;
  clientCert: string;
  clientKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(dir: string, name: string, subject: string, extensions: string): void {
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
  // PKCS#8, the key format Kafka's PEM keystore expects.
  openssl(['pkcs8', '-topk8', '-nocrypt', '-in', `${name}.key`, '-out', `${name}.pk8.key`], dir);
}

export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'order-pipeline-certs-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-subj', '/CN=order-pipeline test CA', '-days', '2', '-out', 'ca.crt'], dir);
  issue(dir, 'server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue(dir, 'client', '/CN=order-pipeline-client', 'extendedKeyUsage=clientAuth\n');
  const serverKeyAndCert = path.join(dir, 'server.pem');
  writeFileSync(serverKeyAndCert, readFileSync(path.join(dir, 'server.pk8.key'), 'utf8') + readFileSync(path.join(dir, 'server.crt'), 'utf8'));
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    serverCert: path.join(dir, 'server.crt'),
    serverKey: path.join(dir, 'server.pk8.key'),
    serverKeyAndCert,
    clientCert: path.join(dir, 'client.crt'),
    clientKey: path.join(dir, 'client.pk8.key'),
  };
}
