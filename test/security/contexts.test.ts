// Tenants by context: a binding on `:.team-a:*` grants the subjects of the context `.team-a` and nothing else, and
// ids (which repeat from context to context) are authorised in the context that `?subject=` names.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFromDocument } from '../../src/auth/settings.js';
import { buildApp } from '../../src/server.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { basic, bearer, machineToken, tempDir, tokenEntries, usersYaml } from './support.js';

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';
const avro = (name: string) => JSON.stringify({ type: 'record', name, namespace: 'acme', fields: [{ name: 'id', type: 'string' }] });
const enc = encodeURIComponent;

let database: Database;
let app: Hono;
const teamA = machineToken('team-a');
const teamB = machineToken('team-b');
const admin = { user: 'root', password: 'root-pass-41c8' };

const call = async (method: string, path: string, authorization: string, body?: unknown) => {
  const res = await app.request(path, {
    method,
    headers: { accept: JSON_TYPE, authorization, ...(body !== undefined ? { 'content-type': JSON_TYPE } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
};
const asA = (method: string, path: string, body?: unknown) => call(method, path, bearer(teamA.token), body);
const asAdmin = (method: string, path: string, body?: unknown) => call(method, path, basic(admin.user, admin.password), body);

beforeAll(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'users.yaml'), await usersYaml({ root: { password: admin.password, groups: ['admins'] } }));
  const auth = authFromDocument(
    {
      usersFile: 'users.yaml',
      tokens: tokenEntries([teamA, teamB]),
      bindings: [
        { role: 'writer', members: ['token:team-a'], subjects: [':.team-a:*'] },
        { role: 'writer', members: ['token:team-b'], subjects: [':.team-b:*'] },
        { role: 'admin', members: ['group:admins'] },
      ],
    },
    join(dir, 'auth.yaml'),
  );
  database = await openDatabase({ dataDir: 'memory://' });
  ({ app } = buildApp(database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent', auth }));
  // Id 1 in each: `orders` (default context, by the admin), `:.team-b:orders` (team b).
  expect((await asAdmin('POST', '/subjects/orders/versions', { schema: avro('Default') })).status).toBe(200);
  expect((await call('POST', `/subjects/${enc(':.team-b:orders')}/versions`, bearer(teamB.token), { schema: avro('B') })).json.id).toBe(1);
});
afterAll(() => database?.close());

describe('a binding on :.team-a:* is a tenant', () => {
  it('writes the subjects of its context, and no other context’s or the default context’s', async () => {
    const own = await asA('POST', `/subjects/${enc(':.team-a:orders')}/versions`, { schema: avro('A') });
    expect([own.status, own.json.id]).toEqual([200, 1]);
    const other = await asA('POST', `/subjects/${enc(':.team-b:orders')}/versions`, { schema: avro('A') });
    expect(other.status).toBe(403);
    expect(other.json.message).toBe("Forbidden: token:team-a lacks write on subject ':.team-b:orders'");
    expect((await asA('POST', '/subjects/orders/versions', { schema: avro('A') })).status).toBe(403);
  });

  it('lists only its own subjects', async () => {
    expect((await asA('GET', '/subjects')).json).toEqual([':.team-a:orders']);
    expect((await asA('GET', `/subjects?subjectPrefix=${enc(':.team-b:')}`)).json).toEqual([]);
    expect((await asA('GET', '/schemas')).json.map((s: { subject: string }) => s.subject)).toEqual([':.team-a:orders']);
  });

  it('reads an id in the context ?subject= names, and the same id of another context not at all', async () => {
    const own = await asA('GET', `/schemas/ids/1?subject=${enc(':.team-a:orders')}`);
    expect([own.status, JSON.parse(own.json.schema).name]).toEqual([200, 'A']);
    expect((await asA('GET', `/schemas/ids/1?subject=${enc(':.team-b:orders')}`)).status).toBe(403);
    expect((await asA('GET', '/schemas/ids/1')).status).toBe(403);
  });

  it('sets its own context’s config, not another’s, and cannot remove contexts', async () => {
    expect((await asA('PUT', `/config/${enc(':.team-a:')}`, { compatibility: 'FULL' })).status).toBe(200);
    expect((await asA('PUT', `/config/${enc(':.team-b:')}`, { compatibility: 'NONE' })).status).toBe(403);
    expect((await asA('DELETE', '/contexts/.team-a')).status).toBe(403);
    expect((await asAdmin('DELETE', '/contexts/.team-a')).json.error_code).toBe(42211);
  });
});
