// Transport: HTTPS from PEM files (a renewed certificate served without a restart), client certificates (mTLS) as
// principals, and a trusted TLS-terminating proxy passing the verified client subject in a header. Certificates are
// made with openssl for each run; every request is real HTTPS or HTTP.
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, parseSubject, proxyMatcher } from '../../src/auth/transport.js';
import type { Context } from 'hono';
import { authFromDocument } from '../../src/auth/settings.js';
import { configFromEnv } from '../../src/config.js';
import { StartupError } from '../../src/errors.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openDatabase } from '../../src/storage/database.js';
import { run } from '../support/run.js';
import { basic, replaceFile, tempDir, usersYaml } from './support.js';

const dir = tempDir();
const file = (name: string) => join(dir, name);
const SCHEMA = { schema: JSON.stringify({ type: 'record', name: 'Shipped', fields: [{ name: 'id', type: 'string' }] }) };

async function openssl(...args: string[]): Promise<void> {
  const result = await run('openssl', args, { cwd: dir, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
}

/** A key and a certificate signed by the test CA. */
async function issue(name: string, subject: string, server: boolean): Promise<void> {
  await openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  writeFileSync(file(`${name}.ext`), server ? 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n');
  await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
}

interface Answer {
  status: number;
  body: string;
  fingerprint: string | undefined;
}

/** One HTTPS request on a new connection; `client` names a client certificate to present. */
function https(url: string, method: string, path: string, options: { client?: string; authorization?: string; body?: unknown } = {}): Promise<Answer> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: target.pathname + target.search,
        agent: false,
        ca: readFileSync(file('ca.pem')),
        ...(options.client ? { cert: readFileSync(file(`${options.client}.pem`)), key: readFileSync(file(`${options.client}.key`)) } : {}),
        headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
      },
      (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(JSON.stringify(options.body));
    req.end();
  });
}

const fingerprintOf = (name: string) => new X509Certificate(readFileSync(file(`${name}.pem`))).fingerprint256;

let server: RunningServer;
const others: RunningServer[] = [];

beforeAll(async () => {
  await openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Accord Test CA');
  await issue('server', '/CN=accord-1', true);
  await issue('renewed', '/CN=accord-2', true);
  await issue('svc', '/O=Acme/OU=shipping-team/CN=svc-shipping', false);
  writeFileSync(file('users.yaml'), await usersYaml({ alice: { password: 'alice-pass-31f' } }));
  const auth = authFromDocument(
    { usersFile: 'users.yaml', bindings: [{ role: 'writer', members: ['group:shipping-team'], subjects: ['shipping.*'] }, { role: 'admin', members: ['user:alice'] }] },
    file('auth.yaml'),
  );
  // The served pair lives in files of its own, replaced during the test.
  writeFileSync(file('live.pem'), readFileSync(file('server.pem')));
  writeFileSync(file('live.key'), readFileSync(file('server.key')));
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: 'memory://',
    maxBodyBytes: 1 << 20,
    maxSchemaDepth: 64,
    logLevel: 'silent',
    auth,
    tls: { cert: file('live.pem'), key: file('live.key'), clientCa: file('ca.pem'), requireClientCert: false },
    tlsReloadIntervalMs: 100,
  });
});
afterAll(async () => {
  for (const s of [server, ...others]) await s?.close();
});

describe('HTTPS and client certificates', () => {
  it('serves HTTPS with the configured certificate', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await https(server.url, 'GET', '/health/live');
    expect(answer.status).toBe(200);
    expect(answer.fingerprint).toBe(fingerprintOf('server'));
  });

  it('takes a client certificate as the principal cert:<CN>, its OU as groups; without one, credentials are needed', async () => {
    const registered = await https(server.url, 'POST', '/subjects/shipping.sent-value/versions', { client: 'svc', body: SCHEMA });
    expect(registered.status, registered.body).toBe(200);
    const audit = await https(server.url, 'GET', '/audit?subject=shipping.sent-value', { authorization: basic('alice', 'alice-pass-31f') });
    expect((JSON.parse(audit.body) as { actor: string }[]).map((a) => a.actor)).toEqual(['cert:svc-shipping']);
    expect((await https(server.url, 'POST', '/subjects/orders.x-value/versions', { client: 'svc', body: SCHEMA })).status).toBe(403);
    expect((await https(server.url, 'GET', '/subjects')).status).toBe(401);
  });

  it('serves a renewed certificate once its files change, without a restart', async () => {
    replaceFile(file('live.key'), readFileSync(file('renewed.key'), 'utf8'));
    replaceFile(file('live.pem'), readFileSync(file('renewed.pem'), 'utf8'));
    const deadline = Date.now() + 60_000;
    let seen = (await https(server.url, 'GET', '/health/live')).fingerprint;
    while (seen !== fingerprintOf('renewed') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      seen = (await https(server.url, 'GET', '/health/live')).fingerprint;
    }
    expect(seen).toBe(fingerprintOf('renewed'));
  });
});

describe('behind a TLS-terminating proxy', () => {
  const behindProxy = async (trustedProxies: string[]) => {
    const database = await openDatabase({ dataDir: 'memory://' });
    const auth = authFromDocument({ bindings: [{ role: 'writer', members: ['cert:svc-shipping'], subjects: ['shipping.*'] }] }, file('auth.yaml'));
    const s = await startServer(
      { port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir: 'memory://', maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent', auth, trustedProxies, clientCertHeader: 'x-ssl-client-s-dn' },
      database,
    );
    others.push({ ...s, close: async () => (await s.close(), await database.close()) });
    return s;
  };
  const register = (url: string, subjectDn: string) =>
    fetch(`${url}/subjects/shipping.proxied-value/versions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ssl-client-s-dn': subjectDn }, body: JSON.stringify(SCHEMA) });

  it("believes the client subject header from a trusted proxy's address only", async () => {
    const trusted = await behindProxy(['127.0.0.0/8', '::1']);
    expect((await register(trusted.url, 'CN=svc-shipping,OU=shipping-team,O=Acme')).status).toBe(200);
    expect((await register(trusted.url, 'CN=somebody-else')).status).toBe(403);
    const untrusted = await behindProxy(['10.0.0.0/8']);
    expect((await register(untrusted.url, 'CN=svc-shipping,OU=shipping-team,O=Acme')).status).toBe(401);
  });

  it("takes the caller's address from X-Forwarded-For only through trusted proxies", () => {
    const request = (peer: string, forwarded?: string) =>
      ({ env: { incoming: { socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} } } }) as unknown as Context;
    const address = clientAddress(['10.0.0.0/8']);
    expect(address(request('10.0.0.5', '6.6.6.6, 203.0.113.9, 10.0.0.7'))).toBe('203.0.113.9');
    expect(address(request('10.0.0.5'))).toBe('10.0.0.5');
    expect(address(request('198.51.100.1', '6.6.6.6'))).toBe('198.51.100.1');
    expect(clientAddress(undefined)(request('198.51.100.1', '6.6.6.6'))).toBe('198.51.100.1');
  });

  it('reads the subject in the formats proxies send', () => {
    expect(parseSubject('CN=svc,OU=a,OU=b,O=Acme')).toEqual({ cn: 'svc', ou: ['a', 'b'] });
    expect(parseSubject('/O=Acme/OU=a/CN=svc')).toEqual({ cn: 'svc', ou: ['a'] });
    expect(parseSubject('By=spiffe://x;Hash=ab12;Subject="CN=svc,OU=a";URI=spiffe://y')).toEqual({ cn: 'svc', ou: ['a'] });
    expect(parseSubject('CN=Doe\\, John,OU=a')).toEqual({ cn: 'Doe, John', ou: ['a'] });
    const trusted = proxyMatcher(['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
    expect(['10.1.2.3', '::ffff:10.1.2.3', '192.168.1.7', 'fd00::1'].map(trusted)).toEqual([true, true, true, true]);
    expect(['11.0.0.1', '192.168.1.8', '::1', undefined].map(trusted)).toEqual([false, false, false, false]);
  });
});

describe('transport settings', () => {
  const error = (env: Record<string, string>) => {
    try {
      configFromEnv(env);
    } catch (err) {
      expect(err).toBeInstanceOf(StartupError);
      return (err as Error).message;
    }
    throw new Error('no error');
  };
  it('name the setting to change', () => {
    expect(error({ ACCORD_TLS_CERT: '/x.pem' })).toBe('ACCORD_TLS_CERT and ACCORD_TLS_KEY go together; ACCORD_TLS_KEY is not set');
    expect(error({ ACCORD_TLS_CLIENT_CA: '/ca.pem' })).toMatch(/^ACCORD_TLS_CLIENT_CA needs ACCORD_TLS_CERT and ACCORD_TLS_KEY/);
    expect(error({ ACCORD_TLS_CERT: '/x', ACCORD_TLS_KEY: '/y', ACCORD_TLS_CLIENT_CERT: 'always' })).toMatch(/^ACCORD_TLS_CLIENT_CERT must be optional or required/);
    expect(error({ ACCORD_TRUSTED_PROXIES: '10.0.0.0/8, proxy.local' })).toMatch(/^ACCORD_TRUSTED_PROXIES: 'proxy.local' is not an IP address or CIDR range/);
    expect(error({ ACCORD_TRUSTED_PROXIES: '10.0.0.0/33' })).toMatch(/'10.0.0.0\/33'/);
    expect(error({ ACCORD_CLIENT_CERT_HEADER: 'x-ssl-client-s-dn' })).toMatch(/^ACCORD_CLIENT_CERT_HEADER needs ACCORD_TRUSTED_PROXIES/);
  });

  it('refuse a key that does not match the certificate at start, naming the settings', async () => {
    const start = startServer({
      port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir: 'memory://', maxBodyBytes: 1024, maxSchemaDepth: 64, logLevel: 'silent',
      tls: { cert: file('server.pem'), key: file('renewed.key'), requireClientCert: false },
    });
    await expect(start).rejects.toThrow(/^ACCORD_TLS_CERT, ACCORD_TLS_KEY: not a usable certificate and key/);
    await expect(start).rejects.toBeInstanceOf(StartupError);
  });
});
