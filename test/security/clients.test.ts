// A protected Accord (`accord serve` with ACCORD_AUTH_CONFIG, logging everything) over real HTTP, used unchanged by
// @kafkajs/confluent-schema-registry (its `auth` option), @confluentinc/schemaregistry (Basic and bearer
// credentials), Accord's SDK client and the `accord` CLI. Afterwards no password, token or Authorization value may
// appear in the server's output, in any error body, in /metrics or in the audit log.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SchemaRegistryClient as ConfluentClient } from '@confluentinc/schemaregistry';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationHeader, SchemaRegistryClient } from '../../sdk/client.js';
import { accord, BIN, ENV, ROOT, writeContracts, paymentSchema, tempDir as cliTempDir } from '../cli/support.js';
import { basic, bearer, Issuer, keyPair, machineToken, tempDir, tokenEntries, usersYaml } from './support.js';

const ALICE = { user: 'alice', password: 'alice-Secret-4f9e2' };
const WRONG_PASSWORD = 'not-Alices-password-77a1';
const ci = machineToken('ci');
const admin = machineToken('ops-admin');
const ORDER = JSON.stringify({ type: 'record', name: 'OrderPlaced', namespace: 'acme', fields: [{ name: 'orderId', type: 'string' }] });

let child: ChildProcess;
let output = '';
let url = '';
let issuer: Issuer;
let jwt = '';
/** Every error body any client received, checked for secrets at the end. */
const errorBodies: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function raw(method: string, path: string, authorization?: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...(authorization ? { authorization } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 400) errorBodies.push(text);
  return { status: res.status, text };
}

beforeAll(async () => {
  const dir = tempDir();
  issuer = await new Issuer().start();
  const key = await keyPair('main');
  issuer.keys = [key];
  jwt = await issuer.sign(key, { preferred_username: 'svc-orders', groups: ['orders-writers'] });
  writeFileSync(join(dir, 'users.yaml'), await usersYaml({ [ALICE.user]: { password: ALICE.password, groups: ['orders-writers'] } }));
  writeFileSync(
    join(dir, 'auth.yaml'),
    stringify({
      usersFile: 'users.yaml',
      tokens: tokenEntries([ci, admin]),
      oidc: { issuer: issuer.url, audience: 'accord', jwksUri: `${issuer.url}/jwks` },
      bindings: [
        { role: 'writer', members: ['group:orders-writers', 'token:ci'], subjects: ['orders.*', 'payments.*'] },
        { role: 'admin', members: ['token:ops-admin'] },
      ],
    }),
  );
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(ENV).filter(([k]) => !['DATABASE_URL', 'ACCORD_DATA_DIR', 'PORT', 'HOST'].includes(k)));
  child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', 'memory://'], {
    cwd: ROOT,
    env: { ...env, ACCORD_AUTH_CONFIG: join(dir, 'auth.yaml'), ACCORD_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`accord exited: ${output}`);
    const up = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`accord did not come up: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await issuer?.close();
});

describe('a protected Accord over real HTTP', () => {
  it('refuses a request without credentials, and serves the probes', async () => {
    expect((await raw('GET', '/subjects')).status).toBe(401);
    expect((await raw('GET', '/health/live')).status).toBe(200);
  });

  it('@kafkajs/confluent-schema-registry works with its auth option (a user, and a token as name:token)', async () => {
    const registry = new SchemaRegistry({ host: url, auth: { username: ALICE.user, password: ALICE.password } });
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: ORDER }, { subject: 'orders.placed-value' });
    const bytes = await registry.encode(id, { orderId: 'o-1' });
    const reader = new SchemaRegistry({ host: url, auth: { username: 'ci', password: ci.token } });
    expect(await reader.decode(bytes)).toEqual({ orderId: 'o-1' });

    const wrong = new SchemaRegistry({ host: url, auth: { username: ALICE.user, password: WRONG_PASSWORD } }, { forSchemaOptions: {} });
    const failure = await wrong.getLatestSchemaId('orders.placed-value').then(() => undefined, (err: Error & { status?: number }) => err);
    expect(failure?.status).toBe(401);
    errorBodies.push(String(failure?.message));
  });

  it('@confluentinc/schemaregistry works with basicAuthCredentials and with bearerAuthCredentials (an OIDC token)', async () => {
    const basicClient = new ConfluentClient({ baseURLs: [url], basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: `${ALICE.user}:${ALICE.password}` } });
    const id = await basicClient.register('payments.settled-value', { schemaType: 'AVRO', schema: ORDER.replace('OrderPlaced', 'PaymentSettled') });
    const bearerClient = new ConfluentClient({
      baseURLs: [url],
      bearerAuthCredentials: { credentialsSource: 'STATIC_TOKEN', token: jwt, logicalCluster: 'accord', identityPoolId: 'unused' },
    });
    expect((await bearerClient.getBySubjectAndId('payments.settled-value', id)).schema).toContain('PaymentSettled');
    expect((await bearerClient.getLatestSchemaMetadata('payments.settled-value')).id).toBe(id);

    const wrong = new ConfluentClient({ baseURLs: [url], maxRetries: 0, basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: `${ALICE.user}:${WRONG_PASSWORD}` } });
    const failure = await wrong.getLatestSchemaMetadata('payments.settled-value').then(() => undefined, (err: Error & { status?: number }) => err);
    expect(failure?.status).toBe(401);
    errorBodies.push(String(failure?.message));
  });

  it("Accord's SDK client sends credentials from its options or the environment, and does not retry a refusal", async () => {
    const { id } = JSON.parse((await raw('POST', '/subjects/orders.sdk-value/versions', bearer(ci.token), { schema: ORDER.replace('OrderPlaced', 'OrderSdk') })).text) as { id: number };
    const withToken = new SchemaRegistryClient({ baseUrl: url, auth: { token: ci.token } });
    expect((await withToken.schemaById(id)).schema).toContain('OrderSdk');
    const withUser = new SchemaRegistryClient({ baseUrl: url, auth: { username: ALICE.user, password: ALICE.password } });
    expect((await withUser.schemaById(id)).schema).toContain('OrderSdk');
    expect(authorizationHeader(undefined, { ACCORD_REGISTRY_TOKEN: 'tok' })).toBe('Bearer tok');
    expect(authorizationHeader(undefined, { ACCORD_REGISTRY_USER: 'u', ACCORD_REGISTRY_PASSWORD: 'p' })).toBe(basic('u', 'p'));
    expect(authorizationHeader(undefined, {})).toBeUndefined();

    const refused = new SchemaRegistryClient({ baseUrl: url, auth: { username: ALICE.user, password: WRONG_PASSWORD }, backoffMs: 1 });
    await expect(refused.schemaById(id)).rejects.toThrow('registry refused the credentials (HTTP 401)');
    expect(refused.calls).toBe(1);
  });

  it('the accord CLI sends ACCORD_REGISTRY_TOKEN, and says which variables to set when refused', async () => {
    const dir = writeContracts(cliTempDir('auth'), 'payments.captured-value', paymentSchema());
    const pushed = await accord(['push', dir, '--registry', url], ROOT, { ACCORD_REGISTRY_TOKEN: ci.token });
    expect(pushed.code, pushed.stderr).toBe(0);
    const anonymous = await accord(['push', dir, '--registry', url]);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toMatch(/needs credentials \(HTTP 401\); set ACCORD_REGISTRY_TOKEN/);
    const wrong = await accord(['check', dir, '--registry', url], ROOT, { ACCORD_REGISTRY_USER: ALICE.user, ACCORD_REGISTRY_PASSWORD: WRONG_PASSWORD });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/refused the credentials \(HTTP 401\)/);
    for (const run of [pushed, anonymous, wrong]) expect(run.stdout + run.stderr).not.toContain(WRONG_PASSWORD);
    const audit = JSON.parse((await raw('GET', '/audit?subject=payments.captured-value', bearer(admin.token))).text) as { actor: string }[];
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set(['token:ci']));
  });

  it('leaks no password, token or Authorization value into logs, error bodies, /metrics or the audit log', async () => {
    // A few more refusals of every kind, with the secrets in play.
    for (const authorization of [basic(ALICE.user, WRONG_PASSWORD), basic('nobody', ALICE.password), bearer(`${ci.token}x`), bearer(`${jwt.slice(0, -4)}AAAA`), `Token ${admin.token}`]) {
      expect((await raw('GET', '/subjects', authorization)).status).toBe(401);
    }
    expect((await raw('PUT', '/config', basic(ALICE.user, ALICE.password), { compatibility: 'NONE' })).status).toBe(403);
    const metrics = (await raw('GET', '/metrics')).text;
    expect(metrics).toMatch(/accord_auth_failures_total\{scheme="basic"\} [1-9]/);
    expect(metrics).toMatch(/accord_auth_denied_total\{method="PUT"\} [1-9]/);
    const audit = (await raw('GET', '/audit', bearer(admin.token))).text;
    expect(JSON.parse(audit).length).toBeGreaterThan(0);

    const secrets = [ALICE.password, WRONG_PASSWORD, ci.token, admin.token, jwt, jwt.split('.')[2]!, `${ci.token}x`];
    const authorizations = [basic(ALICE.user, ALICE.password), basic(ALICE.user, WRONG_PASSWORD), basic('ci', ci.token)].map((h) => h.slice(6));
    const places = { 'server output': output, 'error bodies': errorBodies.join('\n'), metrics, 'audit log': audit };
    const leaks = Object.entries(places).flatMap(([where, text]) => [...secrets, ...authorizations].filter((s) => text.includes(s)).map((s) => `${where}: …${s.slice(-6)}`));
    expect(leaks).toEqual([]);
    // The log did record the refusals (it is not empty by accident), with reasons and no secrets.
    expect(output).toContain('"message":"authentication refused"');
    expect(output).toContain('"reason":"bad credentials"');
    expect(output).toContain('"client":"127.0.0.1"');
  });
});

describe('start-up with a broken auth file', () => {
  it('exits 2 with one line naming ACCORD_AUTH_CONFIG', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.yaml'), 'tokens:\n  - name: ci\n    digest: accord_plaintext_token_here\n');
    const port = await freePort();
    const run = await new Promise<{ code: number | null; out: string }>((done) => {
      let out = '';
      const c = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', 'memory://'], {
        cwd: ROOT,
        env: { ...ENV, ACCORD_AUTH_CONFIG: join(dir, 'auth.yaml') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      c.stdout!.on('data', (d: Buffer) => (out += d));
      c.stderr!.on('data', (d: Buffer) => (out += d));
      c.once('exit', (code) => done({ code, out }));
    });
    expect(run.code).toBe(2);
    expect(run.out.trim().split('\n')).toHaveLength(1);
    expect(run.out).toMatch(/^accord serve: ACCORD_AUTH_CONFIG: .*auth\.yaml: tokens\[0\] \(ci\): "digest" must be sha256:/);
    expect(run.out).not.toContain('accord_plaintext_token_here');
  });
});
