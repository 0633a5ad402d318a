// Every route × every kind of caller, generated from the permission table: anonymous, a reader of the subject's
// prefix, a reader of another prefix, a writer, an admin, and three bad tokens (expired, wrong audience, bad
// signature). Each answer's status is checked against what the table says, and every refused request is checked to
// have changed nothing (audit log, schemas, catalog). In process (app.request); the JWKS comes over real HTTP.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFromDocument } from '../../src/auth/settings.js';
import { PERMISSIONS, type Permission } from '../../src/http/permissions.js';
import type { Registry } from '../../src/registry/registry.js';
import { buildApp } from '../../src/server.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { basic, bearer, Issuer, keyPair, machineToken, tempDir, tokenEntries, usersYaml } from './support.js';

const ORDERS = 'orders.created-value';
const PAYMENTS = 'payments.settled-value';
const SHIPPING = 'shipping.sent-value';
const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';

const avro = (name: string, extra: { name: string; type: unknown; default?: unknown }[] = []) =>
  JSON.stringify({ type: 'record', name, namespace: 'acme', fields: [{ name: 'id', type: 'string' }, ...extra] });

type Caller = 'anonymous' | 'reader of orders.*' | 'reader of payments.*' | 'writer of orders.*' | 'admin' | 'expired token' | 'token with wrong audience' | 'bad signature';
type Expected = 'allowed' | 401 | 403;

/** What the table says a caller gets on a route about ORDERS (or schema id of ORDERS). */
function expected(permission: Permission, caller: Caller): Expected {
  if ('access' in permission && permission.access === 'public') return 'allowed';
  if (caller === 'anonymous' || caller === 'expired token' || caller === 'token with wrong audience' || caller === 'bad signature') return 401;
  if (caller === 'admin' || 'access' in permission || permission.on === 'listing') return 'allowed';
  if (permission.on === 'subject' || permission.on === 'schema-id' || permission.on === 'schema-guid') {
    if (caller === 'reader of payments.*') return 403;
    if (caller === 'reader of orders.*') return permission.operation === 'read' ? 'allowed' : 403;
    return 'allowed'; // writer of orders.*
  }
  return 403; // a global resource: only admins hold them here
}

const BODIES: Record<string, unknown> = {
  'POST /subjects/:subject/versions': { schema: avro('Created') },
  'POST /subjects/:subject': { schema: avro('Created') },
  'POST /compatibility/subjects/:subject/versions/:version': { schema: avro('Created') },
  'POST /compatibility/subjects/:subject/versions': { schema: avro('Created') },
  'POST /governance/subjects/:subject/check': { schema: avro('Created') },
  'PUT /config': { compatibility: 'BACKWARD' },
  'PUT /config/:subject': { compatibility: 'BACKWARD' },
  'PUT /mode': { mode: 'READWRITE' },
  'PUT /mode/:subject': { mode: 'READWRITE' },
  'PUT /catalog/subjects/:subject': { owner: 'team-orders', domain: 'orders' },
  'PUT /governance/settings': { profile: 'default' },
  'PUT /governance/settings/prefixes/:prefix': { profile: 'default' },
};

let database: Database;
let app: Hono;
let registry: Registry;
let issuer: Issuer;
let ordersId: number;
let ordersGuid: string;
const credentials = {} as Record<Caller, string | undefined>;
const ci = machineToken('ci-orders');
const shippingMember = { user: 'olga', password: 'olga-pass-7c1f' };

const call = (method: string, path: string, authorization: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method,
    headers: { accept: JSON_TYPE, ...(body !== undefined ? { 'content-type': JSON_TYPE } : {}), ...(authorization ? { authorization } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

/** Everything a write could change, read straight from the store. */
async function snapshot(): Promise<string> {
  const store = registry.store;
  return JSON.stringify([
    await store.auditTrail(),
    await registry.reads.schemas({ prefix: '', deleted: true, latestOnly: false }),
    await store.searchCatalog({}),
  ]);
}

beforeAll(async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'users.yaml'),
    await usersYaml({ ana: { password: 'ana-pass-5e2a' }, pat: { password: 'pat-pass-9d0b' }, olga: { password: shippingMember.password, groups: ['team-shipping'] } }),
  );
  issuer = await new Issuer().start();
  const key = await keyPair('k1');
  const impostor = await keyPair('k1'); // same kid, another key: a forged signature
  issuer.keys = [key];
  const auth = authFromDocument(
    {
      usersFile: 'users.yaml',
      tokens: tokenEntries([ci]),
      oidc: { issuer: issuer.url, audience: 'accord', jwksUri: `${issuer.url}/jwks`, rolesClaim: 'realm_access.roles' },
      bindings: [
        { role: 'reader', members: ['user:ana'], subjects: ['orders.*'] },
        { role: 'reader', members: ['user:pat'], subjects: ['payments.*'] },
        { role: 'reader', members: ['group:team-shipping'], subjects: ['shipping.*'] },
        { role: 'reader', members: ['group:team-shipping'], resources: ['catalog'] },
        { role: 'writer', members: ['token:ci-orders'], subjects: ['orders.*'] },
        { role: 'admin', members: ['group:accord-admins'] },
      ],
    },
    join(dir, 'auth.yaml'),
  );
  database = await openDatabase({ dataDir: 'memory://' });
  ({ app, registry } = buildApp(database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent', auth }));

  const adminClaims = { preferred_username: 'root', realm_access: { roles: ['accord-admins'] } };
  const past = Math.floor(Date.now() / 1000) - 3600;
  Object.assign(credentials, {
    anonymous: undefined,
    'reader of orders.*': basic('ana', 'ana-pass-5e2a'),
    'reader of payments.*': basic('pat', 'pat-pass-9d0b'),
    'writer of orders.*': bearer(ci.token),
    admin: bearer(await issuer.sign(key, adminClaims)),
    'expired token': bearer(await issuer.sign(key, adminClaims, { expiresAt: past })),
    'token with wrong audience': bearer(await issuer.sign(key, adminClaims, { audience: 'another-service' })),
    'bad signature': bearer(await issuer.sign(impostor, adminClaims)),
  } satisfies Record<Caller, string | undefined>);

  for (const [subject, name] of [[ORDERS, 'Created'], [PAYMENTS, 'Settled'], [SHIPPING, 'Sent']] as const) {
    const res = await call('POST', `/subjects/${subject}/versions`, credentials.admin, { schema: avro(name) });
    expect(res.status, await res.clone().text()).toBe(200);
    if (subject === ORDERS) ({ id: ordersId, guid: ordersGuid } = (await res.json()) as { id: number; guid: string });
  }
});
afterAll(async () => {
  await database?.close();
  await issuer?.close();
});

/** A concrete request for a route pattern, about ORDERS. */
function pathOf(pattern: string): string {
  return pattern
    .replace(':subject', encodeURIComponent(ORDERS))
    .replace(':version', '1')
    .replace(':id', String(ordersId))
    .replace(':guid', ordersGuid)
    .replace(':prefix', 'orders.')
    .replace(':name', 'no-such-asset.js');
}

// The details first: the matrix's admin writes (IMPORT mode, the strict profile) change what later writes meet.
describe('authorisation details', () => {
  it('names the missing permission in the 403', async () => {
    const res = await call('POST', `/subjects/${ORDERS}/versions`, credentials['reader of orders.*'], { schema: avro('Created') });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error_code: 40301, message: `Forbidden: user:ana lacks write on subject '${ORDERS}'` });
    const audit = await call('GET', '/audit', credentials['writer of orders.*']);
    expect(((await audit.json()) as { message: string }).message).toBe('Forbidden: token:ci-orders lacks read on audit');
  });

  it('filters listings to the subjects the caller may read', async () => {
    const subjects = async (who: Caller, path = '/subjects') => (await (await call('GET', path, credentials[who])).json()) as unknown[];
    expect(await subjects('reader of payments.*')).toEqual([PAYMENTS]);
    expect(await subjects('reader of orders.*', '/subjects?deleted=true')).toEqual([ORDERS]);
    expect(((await subjects('reader of payments.*', '/schemas?deleted=true')) as { subject: string }[]).map((s) => s.subject)).toEqual([PAYMENTS]);
    expect(((await subjects('admin', '/schemas?deleted=true')) as { subject: string }[]).map((s) => s.subject).sort()).toEqual([ORDERS, PAYMENTS, SHIPPING]);
    const search = (await (await call('GET', '/catalog/search', credentials['reader of payments.*'])).json()) as { total: number; entries: { subject: string }[] };
    expect(search.entries.every((e) => e.subject.startsWith('payments.'))).toBe(true);
  });

  it('lets a schema id be read once a subject the caller may read carries it, and not before', async () => {
    const pat = credentials['reader of payments.*'];
    const schema = { schema: avro('Refunded') };
    const next = ((await (await call('GET', '/schemas?deleted=true', credentials.admin)).json()) as { id: number }[]).reduce((m, s) => Math.max(m, s.id), 0) + 1;
    expect((await call('GET', `/schemas/ids/${next}`, pat)).status).toBe(404); // nothing carries it yet
    for (const id of ['0', '2147483648', '99999999999', 'abc', '-1']) expect((await call('GET', `/schemas/ids/${id}`, pat)).status).toBe(404);
    const { id } = (await (await call('POST', '/subjects/orders.refunded-value/versions', credentials.admin, schema)).json()) as { id: number };
    expect(id).toBe(next);
    expect((await call('GET', `/schemas/ids/${id}`, pat)).status).toBe(403);
    expect((await call('POST', '/subjects/payments.refunded-value/versions', credentials.admin, schema)).status).toBe(200);
    expect((await call('GET', `/schemas/ids/${id}`, pat)).status).toBe(200);
    expect(await (await call('GET', `/schemas/ids/${id}/subjects`, pat)).json()).toEqual(['payments.refunded-value']);
  });

  it('lets a schema GUID be read as its id is: once a subject the caller may read carries it, and not before', async () => {
    const pat = credentials['reader of payments.*'];
    const schema = { schema: avro('Charged') };
    const { guid } = (await (await call('POST', '/subjects/orders.charged-value/versions', credentials.admin, schema)).json()) as { guid: string };
    for (const path of [`/schemas/guids/${guid}`, `/schemas/guids/${guid}/ids`]) {
      const refused = await call('GET', path, pat);
      expect(refused.status, path).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toContain(guid);
    }
    // An unknown or malformed GUID: nothing to protect, the handler's 404.
    expect((await call('GET', '/schemas/guids/00000000-0000-0000-0000-000000000000', pat)).status).toBe(404);
    expect((await call('GET', '/schemas/guids/nope', pat)).status).toBe(404);
    expect((await call('POST', '/subjects/payments.charged-value/versions', credentials.admin, schema)).status).toBe(200);
    for (const path of [`/schemas/guids/${guid}`, `/schemas/guids/${guid}/ids`]) expect((await call('GET', path, pat)).status, path).toBe(200);
  });

  it('lets a team that owns a subject in the catalog write it, and nothing else', async () => {
    const olga = basic(shippingMember.user, shippingMember.password);
    const v2 = { schema: avro('Sent', [{ name: 'carrier', type: ['null', 'string'], default: null }]) };
    expect((await call('POST', `/subjects/${SHIPPING}/versions`, olga, v2)).status).toBe(403);
    expect((await call('PUT', `/catalog/subjects/${SHIPPING}`, credentials.admin, { owner: 'team-shipping', domain: 'shipping' })).status).toBe(200);
    expect((await call('POST', `/subjects/${SHIPPING}/versions`, olga, v2)).status).toBe(200);
    expect((await call('POST', '/subjects/shipping.other-value/versions', olga, { schema: avro('Other') })).status).toBe(403);
    // Teams and domains list only the subjects the caller may read (olga reads the catalog, and shipping.* only).
    expect((await call('PUT', `/catalog/subjects/${PAYMENTS}`, credentials.admin, { owner: 'team-payments', domain: 'payments' })).status).toBe(200);
    const listed = async (who: string | undefined, path: string) => (await (await call('GET', path, who)).json()) as { team?: string; domain?: string; subjects: string[] }[];
    expect((await listed(credentials.admin, '/catalog/teams')).map((t) => t.team).sort()).toEqual(['team-payments', 'team-shipping']);
    expect(await listed(olga, '/catalog/teams')).toEqual([{ team: 'team-shipping', domains: ['shipping'], subjects: [SHIPPING] }]);
    expect((await listed(olga, '/catalog/domains')).map((d) => d.domain)).toEqual(['shipping']);
  });

  it('records the authenticated principal as the actor, whatever X-Accord-Actor says', async () => {
    const subject = 'orders.actor-value';
    const res = await call('POST', `/subjects/${subject}/versions`, credentials['writer of orders.*'], { schema: avro('Actor') }, { 'x-accord-actor': 'somebody-else' });
    expect(res.status).toBe(200);
    const audit = (await (await call('GET', `/audit?subject=${subject}`, credentials.admin)).json()) as { actor: string }[];
    expect(audit.map((a) => a.actor)).toEqual(['token:ci-orders']);
  });
});

describe('route × caller matrix', () => {
  it('answers every route as the permission table says, and no refused request changes anything', async () => {
    const callers = Object.keys(credentials) as Caller[];
    const figures = { requests: 0, allowed: 0, unauthenticated: 0, forbidden: 0, refusedWrites: 0, unauthorisedWrites: 0 };
    const wrong: string[] = [];
    // Each route about ORDERS; a settings route also about the default context `:.:`, i.e. the registry-wide setting.
    const cases = Object.entries(PERMISSIONS).flatMap(([route, permission]) => {
      const [method, pattern] = route.split(' ') as [string, string];
      const about = { route, method, permission, path: pathOf(pattern) };
      if (!('on' in permission && permission.on === 'subject' && permission.registryWide)) return [about];
      const registryWide: Permission = { operation: permission.operation, on: permission.registryWide };
      return [about, { route: `${route} (:.:)`, method, permission: registryWide, path: pattern.replace(':subject', ':.:') }];
    });
    for (const { route, method, permission, path } of cases) {
      const body = method === 'POST' || method === 'PUT' ? (BODIES[route.replace(' (:.:)', '')] ?? {}) : undefined;
      // Refused callers first, so the state they must not change is the one the allowed ones found.
      const order = [...callers].sort((a, b) => Number(expected(permission, a) === 'allowed') - Number(expected(permission, b) === 'allowed'));
      for (const caller of order) {
        const want = expected(permission, caller);
        const before = want === 'allowed' ? '' : await snapshot();
        const res = await call(method, path, credentials[caller], body);
        figures.requests++;
        const text = await res.text();
        const got = res.status === 401 || res.status === 403 ? res.status : 'allowed';
        if (got !== want || res.status >= 500) wrong.push(`${route} as ${caller}: ${res.status} (wanted ${want}) ${text.slice(0, 200)}`);
        if (got === 'allowed') figures.allowed++;
        if (res.status === 401) {
          figures.unauthenticated++;
          expect(JSON.parse(text).error_code).toBe(40101);
          expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="accord", Bearer realm="accord"/);
        }
        if (res.status === 403) {
          figures.forbidden++;
          expect(JSON.parse(text)).toMatchObject({ error_code: 40301, message: expect.stringMatching(/ lacks (read|write) on /) });
        }
        if (want !== 'allowed') {
          if (method !== 'GET') figures.refusedWrites++;
          if ((await snapshot()) !== before) figures.unauthorisedWrites++;
        }
      }
    }
    console.log(`security matrix: ${cases.length} route cases (${Object.keys(PERMISSIONS).length} routes) × ${callers.length} callers: ${JSON.stringify(figures)}`);
    expect(wrong).toEqual([]);
    expect(figures.unauthorisedWrites).toBe(0);
    expect(figures.requests).toBe(cases.length * callers.length);
  });
});
