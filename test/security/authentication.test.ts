// Authentication in process: refusals that do not help guessing, failures counted in /metrics, the users file
// re-read on change, JWKS key rotation picked up on an unknown kid, machine tokens over Basic and Bearer, anonymous
// read, the actor header only for principals allowed to act for others, and the auth file's start-up errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFromDocument, loadAuth } from '../../src/auth/settings.js';
import { StartupError } from '../../src/errors.js';
import { buildApp } from '../../src/server.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { basic, bearer, Issuer, keyPair, machineToken, replaceFile, tempDir, tokenEntries, usersYaml } from './support.js';

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';
const schema = (name: string) => ({ schema: JSON.stringify({ type: 'record', name, fields: [{ name: 'id', type: 'string' }] }) });

let database: Database;
let app: Hono;
let issuer: Issuer;
let dir: string;
const ci = machineToken('ci');
const deployer = machineToken('deployer', { actsForOthers: true });

const call = (method: string, path: string, authorization?: string, body?: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method,
    headers: { accept: JSON_TYPE, 'content-type': JSON_TYPE, ...(authorization ? { authorization } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  dir = tempDir();
  writeFileSync(join(dir, 'users.yaml'), await usersYaml({ alice: { password: 'first-password' } }));
  issuer = await new Issuer().start();
  issuer.keys = [await keyPair('2026-01')];
  const auth = authFromDocument(
    {
      usersFile: 'users.yaml',
      tokens: tokenEntries([ci, deployer]),
      // Discovery (no jwksUri), Keycloak-style roles, no cooldown: a rotation is seen by the next token.
      oidc: { issuer: issuer.url, audience: ['accord'], rolesClaim: 'realm_access.roles', jwksCooldownSeconds: 0 },
      bindings: [
        { role: 'reader', members: ['anonymous'], subjects: ['public.*'] },
        { role: 'writer', members: ['*'], subjects: ['*'], resources: ['audit'] },
      ],
    },
    join(dir, 'auth.yaml'),
  );
  database = await openDatabase({ dataDir: 'memory://' });
  ({ app } = buildApp(database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent', auth }));
});
afterAll(async () => {
  await database?.close();
  await issuer?.close();
});

describe('refusals', () => {
  it('answers an unknown user and a wrong password identically, with 40101 and a challenge', async () => {
    const unknown = await call('GET', '/subjects', basic('mallory', 'first-password'));
    const wrong = await call('GET', '/subjects', basic('alice', 'not-the-password'));
    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="accord", Bearer realm="accord"');
    }
    expect(await unknown.text()).toBe(await wrong.text());
    expect(await (await call('GET', '/subjects', 'Bearer not-a-token')).json()).toEqual({ error_code: 40101, message: 'Unauthorized: the credentials were not accepted' });
    expect((await call('GET', '/subjects', 'Digest username="x"')).status).toBe(401);
  });

  it('answers malformed credentials with 401, never a 500', async () => {
    const malformed = ['Basic', 'Basic !!!not-base64!!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from(':empty-user').toString('base64')}`, 'Bearer', 'Bearer a.b.c', 'Bearer ....', `Bearer ${'x'.repeat(20_000)}`];
    for (const authorization of malformed) expect((await call('GET', '/subjects', authorization)).status, authorization.slice(0, 30)).toBe(401);
  });

  it('counts failed attempts in /metrics by scheme, without any secret', async () => {
    await call('GET', '/subjects', basic('alice', 'counted-wrong-password'));
    const metrics = await (await call('GET', '/metrics')).text();
    expect(metrics).toMatch(/^accord_auth_failures_total\{scheme="basic"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^accord_auth_failures_total\{scheme="bearer"\} [1-9]\d*$/m);
    expect(metrics).not.toContain('counted-wrong-password');
  });

  it('lets anonymous read what it is bound to, and asks it to sign in for anything else', async () => {
    expect((await call('GET', '/subjects/public.x-value/versions')).status).toBe(404); // allowed: no such subject
    expect((await call('GET', '/subjects/private.x-value/versions')).status).toBe(401);
    expect((await call('POST', '/subjects/public.x-value/versions', undefined, schema('X'))).status).toBe(401);
    expect((await call('GET', '/health/live')).status).toBe(200);
  });
});

describe('registry-wide settings through the default context', () => {
  it('are guarded as the global resource, not as a subject named by the empty string', async () => {
    // Every signed-in principal writes every subject here, but holds no config or mode.
    const res = await call('PUT', '/config/:.:', bearer(ci.token), { compatibility: 'NONE' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toBe('Forbidden: token:ci lacks write on config');
    expect((await call('DELETE', '/mode/:.:', bearer(ci.token))).status).toBe(403);
    expect((await call('PUT', '/config/z-value', bearer(ci.token), { compatibility: 'FULL' })).status).toBe(200);
  });
});

describe('the users file', () => {
  it('is re-read when it changes: new passwords and users apply, old passwords stop working, no restart', async () => {
    expect((await call('GET', '/subjects', basic('alice', 'first-password'))).status).toBe(200);
    replaceFile(join(dir, 'users.yaml'), await usersYaml({ alice: { password: 'second-password' }, bob: { password: 'bobs-password' } }));
    expect((await call('GET', '/subjects', basic('alice', 'first-password'))).status).toBe(401);
    expect((await call('GET', '/subjects', basic('alice', 'second-password'))).status).toBe(200);
    expect((await call('GET', '/subjects', basic('bob', 'bobs-password'))).status).toBe(200);
    // A broken edit keeps the users read before.
    replaceFile(join(dir, 'users.yaml'), 'users:\n  bob: { password: plaintext }\n');
    expect((await call('GET', '/subjects', basic('bob', 'bobs-password'))).status).toBe(200);
  });
});

describe('machine tokens', () => {
  it('authenticate as Bearer, or as Basic with the token name as user (for Basic-only clients)', async () => {
    expect((await call('GET', '/subjects', bearer(ci.token))).status).toBe(200);
    expect((await call('GET', '/subjects', basic('ci', ci.token))).status).toBe(200);
    expect((await call('GET', '/subjects', basic('ci', deployer.token))).status).toBe(401);
  });

  it('record X-Accord-Actor only for a token allowed to act for others, labelled with the token', async () => {
    const audit = async (subject: string) => ((await (await call('GET', `/audit?subject=${subject}`, bearer(ci.token))).json()) as { actor: string }[]).map((a) => a.actor);
    expect((await call('POST', '/subjects/a-value/versions', bearer(ci.token), schema('A'), { 'x-accord-actor': 'alice' })).status).toBe(200);
    expect((await call('POST', '/subjects/b-value/versions', bearer(deployer.token), schema('B'), { 'x-accord-actor': 'alice' })).status).toBe(200);
    expect(await audit('a-value')).toEqual(['token:ci']);
    expect(await audit('b-value')).toEqual(['alice (via token:deployer)']);
  });
});

describe('OIDC', () => {
  it('takes roles from a Keycloak-style claim and names the principal by preferred_username', async () => {
    const token = await issuer.sign(issuer.keys[0]!, { preferred_username: 'carol', realm_access: { roles: ['x'] } });
    expect((await call('POST', '/subjects/c-value/versions', bearer(token), schema('C'))).status).toBe(200);
    const audit = (await (await call('GET', '/audit?subject=c-value', bearer(token))).json()) as { actor: string }[];
    expect(audit.map((a) => a.actor)).toEqual(['oidc:carol']);
  });

  it('follows a key rotation: a new kid refetches the JWKS; tokens of the retired key stop working', async () => {
    const old = issuer.keys[0]!;
    const oldToken = await issuer.sign(old, { preferred_username: 'dave' });
    expect((await call('GET', '/subjects', bearer(oldToken))).status).toBe(200);
    const fetchesBefore = issuer.fetches;
    // Cached: another token of the same key costs no fetch.
    expect((await call('GET', '/subjects', bearer(await issuer.sign(old, { preferred_username: 'erin' })))).status).toBe(200);
    expect(issuer.fetches).toBe(fetchesBefore);

    const next = await keyPair('2026-02');
    issuer.keys = [next];
    expect((await call('GET', '/subjects', bearer(await issuer.sign(next, { preferred_username: 'dave' })))).status).toBe(200);
    expect(issuer.fetches).toBeGreaterThan(fetchesBefore);
    expect((await call('GET', '/subjects', bearer(oldToken))).status).toBe(401);
  });

  it('refuses a token from another issuer and one without an expiry', async () => {
    const key = issuer.keys[0]!;
    const { SignJWT } = await import('jose');
    const foreign = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setIssuer('https://elsewhere').setAudience('accord').setExpirationTime('1h').sign(key.privateKey);
    const eternal = await new SignJWT({ preferred_username: 'x' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setIssuer(issuer.url).setAudience('accord').sign(key.privateKey);
    expect((await call('GET', '/subjects', bearer(foreign))).status).toBe(401);
    expect((await call('GET', '/subjects', bearer(eternal))).status).toBe(401);
  });
});

describe('the auth file', () => {
  const startupError = (doc: unknown) => {
    try {
      authFromDocument(doc, '/etc/accord/auth.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(StartupError);
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      return message;
    }
    throw new Error('no error');
  };

  it('refuses plaintext secrets, without repeating them', async () => {
    const users = join(tempDir(), 'users.yaml');
    writeFileSync(users, 'users:\n  alice:\n    password: hunter2-plain\n');
    expect(startupError({ usersFile: users })).toMatch(/user 'alice' needs "password" set to a scrypt hash \(make one with: accord hash-password\)/);
    expect(startupError({ usersFile: users })).not.toContain('hunter2-plain');
    const message = startupError({ tokens: [{ name: 'ci', digest: 'accord_plain-token-value' }] });
    expect(message).toMatch(/^ACCORD_AUTH_CONFIG: \/etc\/accord\/auth.yaml: tokens\[0\] \(ci\): "digest" must be sha256:/);
    expect(message).not.toContain('accord_plain-token-value');
  });

  it('names the setting to change', () => {
    expect(startupError({ bindings: [{ role: 'owner', members: ['*'], subjects: ['*'] }] })).toMatch(/bindings\[0\]: "role" must be one of reader, writer, admin/);
    expect(startupError({ tokens: tokenEntries([ci]), bindings: [{ role: 'writer', members: ['anonymous'], subjects: ['*'] }] })).toMatch(/anonymous may only be bound to the reader role/);
    expect(startupError({ tokens: tokenEntries([ci]), bindings: [{ role: 'reader', members: ['*'], resources: ['secrets'] }] })).toMatch(/resource 'secrets' is not one of config, mode, governance, catalog, audit/);
    expect(startupError({ oidc: { issuer: 'not a url', audience: 'accord' } })).toMatch(/oidc.issuer must be an http\(s\) URL/);
    expect(startupError({ oidc: { issuer: 'https://id.example.com', audience: 'accord', clockSkewSeconds: 86400 } })).toMatch(/clockSkewSeconds must be a whole number of seconds from 0 to 300/);
    expect(startupError({ userFile: 'x' })).toMatch(/unknown setting "userFile"/);
    expect(startupError({})).toMatch(/no way to sign in/);
    expect(() => loadAuth(join(dir, 'missing.yaml'))).toThrow(/^ACCORD_AUTH_CONFIG: cannot read .*missing.yaml \(ENOENT\)/);
  });
});
