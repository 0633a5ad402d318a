// Conformance, reference §1.6, §1.7, §3.2 and the read parts of §3.3: versions, ids, listings, lookup, referencedby.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mediaType, mustOk, mustRegister, record, uniq, V1_JSON, type Client } from './helpers.js';

const A = record('r', [['a', 'string']]);
const B = record('r', [['a', 'string'], { name: 'b', type: 'int', default: 0 }]);
const C = record('r', [['a', 'string'], { name: 'b', type: 'int', default: 0 }, { name: 'c', type: 'long', default: 1 }]);
const address = { type: 'record', name: 'Address', namespace: 'com.acme', fields: [{ name: 'street', type: 'string' }] };
const order = { type: 'record', name: 'Order', namespace: 'com.acme', fields: [{ name: 'ship', type: 'com.acme.Address' }] };

describe.each(backends)('reads ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  /** A subject with versions 1..3 (A, B, C); returns their ids. */
  const three = async (label = 'three') => {
    const s = uniq(label);
    const ids = [];
    for (const schema of [A, B, C]) ids.push((await mustRegister(api, s, schema)).id);
    return { s, ids };
  };
  const get = (path: string) => api.get(path);

  // First, while nothing is registered (and nothing is cached by id in the server).
  it('GET /subjects on an empty registry → []', async () => {
    await server.reset();
    const res = await get('/subjects');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
  });

  describe('GET /subjects/{s}/versions', () => {
    it('lists versions ascending; soft-deleted ones only on request', async () => {
      const { s } = await three();
      expect((await get(`/subjects/${enc(s)}/versions`)).json).toEqual([1, 2, 3]);
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/2`));
      expect((await get(`/subjects/${enc(s)}/versions`)).json).toEqual([1, 3]);
      expect((await get(`/subjects/${enc(s)}/versions?deleted=true`)).json).toEqual([1, 2, 3]);
      expect((await get(`/subjects/${enc(s)}/versions?deletedOnly=true`)).json).toEqual([2]);
      expect((await get(`/subjects/${enc(s)}/versions?deleted=true&deletedAsNegative=true`)).json).toEqual([1, -2, 3]);
    });

    it('an unknown subject → 404/40401 with the CP message', async () => {
      const s = uniq('ghost');
      const res = await get(`/subjects/${enc(s)}/versions`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 40401, message: `Subject '${s}' not found.` });
    });

    it('a fully soft-deleted subject → 40401, but listed with deleted=true', async () => {
      const s = uniq('gone');
      await mustRegister(api, s, A);
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      expect((await get(`/subjects/${enc(s)}/versions`)).json.error_code).toBe(40401);
      expect((await get(`/subjects/${enc(s)}/versions?deleted=true`)).json).toEqual([1]);
    });

    it('offset and limit page the list', async () => {
      const { s } = await three();
      expect((await get(`/subjects/${enc(s)}/versions?offset=1&limit=1`)).json).toEqual([2]);
      expect((await get(`/subjects/${enc(s)}/versions?offset=1`)).json).toEqual([2, 3]);
      expect((await get(`/subjects/${enc(s)}/versions?limit=0`)).json).toEqual([1, 2, 3]);
    });
  });

  describe('GET /subjects/{s}/versions/{v}', () => {
    it('returns the schema object', async () => {
      const { s, ids } = await three();
      const res = await get(`/subjects/${enc(s)}/versions/2`);
      expect(res.status).toBe(200);
      // Confluent 8 adds the schema's GUID (test/api/guids.test.ts).
      const { schemaType, guid, ...rest } = res.json;
      expect([undefined, 'AVRO']).toContain(schemaType);
      expect(guid).toMatch(/^[0-9a-f-]{36}$/);
      expect({ ...rest, schema: JSON.parse(rest.schema) }).toEqual({ subject: s, version: 2, id: ids[1], schema: B });
    });

    it.each(['latest', '-1', 'LATEST', '%20latest%20'])('%s resolves to the highest live version', async (v) => {
      const { s, ids } = await three();
      const res = await get(`/subjects/${enc(s)}/versions/${v}`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ version: 3, id: ids[2] });
    });

    it.each(['0', '-2', 'abc', 'earliest', '1.5', '2147483648', '99999999999999999999'])('version %s → 422/42202', async (v) => {
      const { s } = await three();
      const res = await get(`/subjects/${enc(s)}/versions/${v}`);
      expect(res.status).toBe(422);
      expect(res.json).toEqual({
        error_code: 42202,
        message: `The specified version '${v}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      });
    });

    it('2^31-1 is a valid id that is not there → 40402', async () => {
      const { s } = await three();
      const res = await get(`/subjects/${enc(s)}/versions/2147483647`);
      expect(res.status).toBe(404);
      expect(res.json.error_code).toBe(40402);
    });

    it('a missing version → 40402 "Version 9 not found."', async () => {
      const { s } = await three();
      const res = await get(`/subjects/${enc(s)}/versions/9`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 40402, message: 'Version 9 not found.' });
    });

    it('an unknown subject → 40401', async () => {
      const res = await get(`/subjects/${enc(uniq('ghost'))}/versions/1`);
      expect(res.status).toBe(404);
      expect(res.json.error_code).toBe(40401);
    });

    it('a soft-deleted version → 40402, readable with deleted=true', async () => {
      const { s, ids } = await three();
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/2`));
      expect((await get(`/subjects/${enc(s)}/versions/2`)).json.error_code).toBe(40402);
      const res = await get(`/subjects/${enc(s)}/versions/2?deleted=true`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ subject: s, version: 2, id: ids[1] });
    });

    it('deleted=true does not change what latest resolves to', async () => {
      const { s, ids } = await three();
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/3`));
      expect((await get(`/subjects/${enc(s)}/versions/latest?deleted=true`)).json).toMatchObject({ version: 2, id: ids[1] });
    });

    it('latest on a fully soft-deleted subject: 40401, and 40402 with deleted=true', async () => {
      const { s } = await three();
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      expect((await get(`/subjects/${enc(s)}/versions/latest`)).json.error_code).toBe(40401);
      expect((await get(`/subjects/${enc(s)}/versions/1`)).json.error_code).toBe(40401);
      expect((await get(`/subjects/${enc(s)}/versions/latest?deleted=true`)).json.error_code).toBe(40402);
      expect((await get(`/subjects/${enc(s)}/versions/1?deleted=true`)).status).toBe(200);
    });
  });

  describe('raw schema endpoints (§1.2)', () => {
    it('GET …/versions/{v}/schema returns the unquoted schema text', async () => {
      const { s } = await three();
      const res = await get(`/subjects/${enc(s)}/versions/1/schema`);
      expect(res.status).toBe(200);
      expect(mediaType(res.headers)).toBe(V1_JSON);
      expect(JSON.parse(res.text)).toEqual(A);
      expect(res.text).toBe((await get(`/subjects/${enc(s)}/versions/1`)).json.schema);
    });

    it('a primitive schema comes back as its JSON text', async () => {
      const s = uniq('prim');
      const { id } = await mustRegister(api, s, '"string"');
      expect((await get(`/subjects/${enc(s)}/versions/latest/schema`)).text).toBe('"string"');
      expect((await get(`/schemas/ids/${id}/schema`)).text).toBe('"string"');
    });

    it('errors follow the version endpoint', async () => {
      const { s } = await three();
      expect((await get(`/subjects/${enc(s)}/versions/7/schema`)).json.error_code).toBe(40402);
      expect((await get(`/subjects/${enc(s)}/versions/0/schema`)).json.error_code).toBe(42202);
      expect((await get(`/subjects/${enc(uniq('ghost'))}/versions/1/schema`)).json.error_code).toBe(40401);
      expect((await get('/schemas/ids/987654321/schema')).json.error_code).toBe(40403);
    });
  });

  describe('GET /schemas/ids/{id}', () => {
    it('returns the schema without subject data', async () => {
      const { ids } = await three();
      const res = await get(`/schemas/ids/${ids[0]}`);
      expect(res.status).toBe(200);
      const { schemaType, guid, ...rest } = res.json;
      expect([undefined, 'AVRO']).toContain(schemaType);
      expect(guid).toMatch(/^[0-9a-f-]{36}$/);
      expect(Object.keys(rest)).toEqual(['schema']);
      expect(JSON.parse(rest.schema)).toEqual(A);
    });

    it('an unknown id → 404/40403', async () => {
      const res = await get('/schemas/ids/987654321');
      expect(res.status).toBe(404);
      expect(res.json.error_code).toBe(40403);
    });

    it('fetchMaxId=true adds the highest id', async () => {
      const { ids } = await three();
      const fresh = await mustRegister(api, uniq('max'), record(uniq('Max').replace(/-/g, '_'), [['m', 'int']]));
      const res = await get(`/schemas/ids/${ids[0]}?fetchMaxId=true`);
      expect(res.json.maxId).toBe(fresh.id);
      expect((await get(`/schemas/ids/${ids[0]}?fetchMaxId=false`)).json).not.toHaveProperty('maxId');
    });

    it('stays readable while only soft-deleted versions carry it; 40403 once all are hard-deleted', async () => {
      const s = uniq('soft');
      const { id } = await mustRegister(api, s, record(uniq('Only').replace(/-/g, '_'), [['x', 'int']]));
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      expect((await get(`/schemas/ids/${id}`)).status).toBe(200);
      await mustOk(api.delete(`/subjects/${enc(s)}?permanent=true`));
      expect((await get(`/schemas/ids/${id}`)).json.error_code).toBe(40403);
    });

    it('format=resolved inlines referenced types; unknown formats are ignored', async () => {
      const addr = uniq('addr');
      await mustRegister(api, addr, address);
      const o = await mustRegister(api, uniq('order'), order, { references: [{ name: 'com.acme.Address', subject: addr, version: 1 }] });
      const plain = await get(`/schemas/ids/${o.id}`);
      expect(plain.json.references).toEqual([{ name: 'com.acme.Address', subject: addr, version: 1 }]);
      const resolved = await get(`/schemas/ids/${o.id}?format=resolved`);
      expect(resolved.status).toBe(200);
      const ship = JSON.parse(resolved.json.schema).fields[0].type;
      expect(ship).toMatchObject({ type: 'record', name: 'Address', fields: [{ name: 'street', type: 'string' }] });
      expect((await get(`/schemas/ids/${o.id}?format=bogus`)).json.schema).toBe(plain.json.schema);
    });
  });

  describe('GET /schemas/ids/{id}/subjects and /versions', () => {
    it('list the live holders; deleted=true adds soft-deleted ones', async () => {
      const schema = record(uniq('Held').replace(/-/g, '_'), [['h', 'int']]);
      const [s1, s2] = [uniq('holder'), uniq('holder')];
      const { id } = await mustRegister(api, s1, schema);
      await mustRegister(api, s2, schema);
      expect([...(await get(`/schemas/ids/${id}/subjects`)).json].sort()).toEqual([s1, s2].sort());
      expect((await get(`/schemas/ids/${id}/versions`)).json).toEqual(
        expect.arrayContaining([{ subject: s1, version: 1 }, { subject: s2, version: 1 }]),
      );
      expect((await get(`/schemas/ids/${id}/subjects?subject=${enc(s2)}`)).json).toEqual([s2]);
      await mustOk(api.delete(`/subjects/${enc(s1)}`));
      expect((await get(`/schemas/ids/${id}/subjects`)).json).toEqual([s2]);
      expect((await get(`/schemas/ids/${id}/versions`)).json).toEqual([{ subject: s2, version: 1 }]);
      expect([...(await get(`/schemas/ids/${id}/subjects?deleted=true`)).json].sort()).toEqual([s1, s2].sort());
    });

    it('all holders soft-deleted → 200 []', async () => {
      const s = uniq('allsoft');
      const { id } = await mustRegister(api, s, record(uniq('Soft').replace(/-/g, '_'), [['x', 'int']]));
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      const subjects = await get(`/schemas/ids/${id}/subjects`);
      expect(subjects.status).toBe(200);
      expect(subjects.json).toEqual([]);
      expect((await get(`/schemas/ids/${id}/versions`)).json).toEqual([]);
    });

    it('an unknown id → 404/40403', async () => {
      expect((await get('/schemas/ids/987654321/subjects')).json.error_code).toBe(40403);
      const res = await get('/schemas/ids/987654321/versions');
      expect(res.status).toBe(404);
      expect(res.json.error_code).toBe(40403);
    });
  });

  describe('GET /schemas', () => {
    it('lists schema objects sorted by subject then version, filtered by prefix', async () => {
      const prefix = uniq('list');
      const [b, a] = [`${prefix}-b`, `${prefix}-a`];
      const idB = (await mustRegister(api, b, A)).id;
      const idA1 = (await mustRegister(api, a, A)).id;
      const idA2 = (await mustRegister(api, a, B)).id;
      const res = await get(`/schemas?subjectPrefix=${enc(prefix)}`);
      expect(res.status).toBe(200);
      expect(res.json.map((x: any) => [x.subject, x.version, x.id])).toEqual([
        [a, 1, idA1],
        [a, 2, idA2],
        [b, 1, idB],
      ]);
      expect(JSON.parse(res.json[1].schema)).toEqual(B);
    });

    it('latestOnly keeps one per subject; deleted adds soft-deleted versions', async () => {
      const prefix = uniq('latest');
      const s = `${prefix}-s`;
      const t = `${prefix}-t`;
      for (const schema of [A, B, C]) await mustRegister(api, s, schema);
      await mustRegister(api, t, A);
      const latest = (await get(`/schemas?subjectPrefix=${enc(prefix)}&latestOnly=true`)).json;
      expect(latest.map((x: any) => [x.subject, x.version])).toEqual([[s, 3], [t, 1]]);
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/3`));
      const afterDelete = (await get(`/schemas?subjectPrefix=${enc(prefix)}&latestOnly=true`)).json;
      expect(afterDelete.map((x: any) => [x.subject, x.version])).toEqual([[s, 2], [t, 1]]);
      const all = (await get(`/schemas?subjectPrefix=${enc(prefix)}`)).json;
      expect(all.map((x: any) => x.version)).toEqual([1, 2, 1]);
      const withDeleted = (await get(`/schemas?subjectPrefix=${enc(prefix)}&deleted=true`)).json;
      expect(withDeleted.map((x: any) => x.version)).toEqual([1, 2, 3, 1]);
    });

    it('offset and limit page the list', async () => {
      const prefix = uniq('page');
      for (const schema of [A, B, C]) await mustRegister(api, `${prefix}-s`, schema);
      const res = await get(`/schemas?subjectPrefix=${enc(prefix)}&offset=1&limit=1`);
      expect(res.json.map((x: any) => x.version)).toEqual([2]);
    });
  });

  describe('GET /subjects', () => {
    it('lists subjects sorted, filtered by prefix, with deleted and deletedOnly', async () => {
      const prefix = uniq('subj');
      const names = [`${prefix}-zeta`, `${prefix}-Mid`, `${prefix}-alpha`, `${prefix}-beta`];
      for (const n of names) await mustRegister(api, n, A);
      await mustOk(api.delete(`/subjects/${enc(`${prefix}-beta`)}`));
      const live = [`${prefix}-Mid`, `${prefix}-alpha`, `${prefix}-zeta`];
      expect((await get(`/subjects?subjectPrefix=${enc(prefix)}`)).json).toEqual(live);
      expect((await get(`/subjects?subjectPrefix=${enc(prefix)}&deleted=true`)).json).toEqual([
        `${prefix}-Mid`,
        `${prefix}-alpha`,
        `${prefix}-beta`,
        `${prefix}-zeta`,
      ]);
      expect((await get(`/subjects?subjectPrefix=${enc(prefix)}&deletedOnly=true`)).json).toEqual([`${prefix}-beta`]);
      expect((await get(`/subjects?subjectPrefix=${enc(prefix)}&deleted=true&deletedOnly=true`)).json).toEqual([`${prefix}-beta`]);
      expect((await get(`/subjects?subjectPrefix=${enc(prefix)}&offset=1&limit=1`)).json).toEqual([`${prefix}-alpha`]);
      const all = (await get('/subjects')).json;
      expect(all).toEqual([...all].sort((x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)));
      expect(all).toEqual(expect.arrayContaining(live));
      expect((await get(`/subjects?subjectPrefix=${enc(':*:')}`)).json).toEqual(all);
    });
  });

  describe('POST /subjects/{s} (lookup)', () => {
    it('finds the version holding the schema, in canonical form', async () => {
      const { s, ids } = await three();
      const spaced = '{ "fields": [ {"type": "string", "name": "a"} ], "name": "r", "type": "record" }';
      const res = await api.post(`/subjects/${enc(s)}?normalize=false&deleted=false`, { schema: spaced });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ subject: s, version: 1, id: ids[0] });
      expect(JSON.parse(res.json.schema)).toEqual(A);
      expect(res.json.schema).toBe((await get(`/subjects/${enc(s)}/versions/1`)).json.schema);
    });

    it('an unknown subject → 40401; a schema not under it → 40403', async () => {
      const { s } = await three();
      const ghost = await api.post(`/subjects/${enc(uniq('ghost'))}`, { schema: JSON.stringify(A) });
      expect(ghost.status).toBe(404);
      expect(ghost.json.error_code).toBe(40401);
      const miss = await api.post(`/subjects/${enc(s)}`, { schema: '"int"' });
      expect(miss.status).toBe(404);
      expect(miss.json.error_code).toBe(40403);
    });

    it('a soft-deleted match counts only with deleted=true', async () => {
      const { s, ids } = await three();
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/1`));
      expect((await api.post(`/subjects/${enc(s)}`, { schema: JSON.stringify(A) })).json.error_code).toBe(40403);
      const found = await api.post(`/subjects/${enc(s)}?deleted=true`, { schema: JSON.stringify(A) });
      expect(found.status).toBe(200);
      expect(found.json).toMatchObject({ version: 1, id: ids[0] });
    });

    it('on a fully soft-deleted subject: 40401, found with deleted=true', async () => {
      const { s } = await three();
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      expect((await api.post(`/subjects/${enc(s)}`, { schema: JSON.stringify(B) })).json.error_code).toBe(40401);
      expect((await api.post(`/subjects/${enc(s)}?deleted=true`, { schema: JSON.stringify(B) })).json).toMatchObject({ version: 2 });
    });

    it('subject config normalize:true makes lookups normalise without the parameter', async () => {
      const s = uniq('lnorm');
      await mustOk(api.put(`/config/${enc(s)}`, { normalize: true }));
      const name = uniq('LNorm').replace(/-/g, '_');
      const one = `{"type":"record","name":"${name}","fields":[{"name":"a","type":"string"}],"zeta":"1","alpha":"2"}`;
      const two = `{"type":"record","name":"${name}","fields":[{"name":"a","type":"string"}],"alpha":"2","zeta":"1"}`;
      const { id } = await mustRegister(api, s, one);
      const res = await api.post(`/subjects/${enc(s)}`, { schema: two });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ subject: s, version: 1, id });
    });

    it('an unparsable schema → 42201', async () => {
      const { s } = await three();
      const res = await api.post(`/subjects/${enc(s)}`, { schema: '{"type":' });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
    });

    it('a schema with its references inlined matches the referencing version', async () => {
      const addr = uniq('addr');
      await mustRegister(api, addr, address);
      const s = uniq('order');
      const o = await mustRegister(api, s, order, { references: [{ name: 'com.acme.Address', subject: addr, version: 1 }] });
      const inlined = { ...order, fields: [{ name: 'ship', type: address }] };
      const res = await api.post(`/subjects/${enc(s)}`, { schema: JSON.stringify(inlined) });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ subject: s, version: 1, id: o.id });
    });
  });

  describe('GET …/versions/{v}/referencedby', () => {
    it('lists referrer ids ascending, [] when none, and honours the usual errors', async () => {
      const addr = uniq('addr');
      await mustRegister(api, addr, address);
      const refs = [{ name: 'com.acme.Address', subject: addr, version: 1 }];
      const o1 = await mustRegister(api, uniq('order'), order, { references: refs });
      const o2 = await mustRegister(api, uniq('order'), { ...order, doc: uniq('second') }, { references: refs });
      expect((await get(`/subjects/${enc(addr)}/versions/1/referencedby`)).json).toEqual([o1.id, o2.id].sort((x, y) => x - y));
      expect((await get(`/subjects/${enc(addr)}/versions/latest/referencedby`)).json).toHaveLength(2);
      const plain = uniq('plain');
      await mustRegister(api, plain, A);
      expect((await get(`/subjects/${enc(plain)}/versions/1/referencedby`)).json).toEqual([]);
      expect((await get(`/subjects/${enc(uniq('ghost'))}/versions/1/referencedby`)).json.error_code).toBe(40401);
      expect((await get(`/subjects/${enc(addr)}/versions/5/referencedby`)).json.error_code).toBe(40402);
      expect((await get(`/subjects/${enc(addr)}/versions/0/referencedby`)).json.error_code).toBe(42202);
    });

    it('leaves out referrers whose versions are all soft-deleted unless deleted=true', async () => {
      const addr = uniq('addr');
      await mustRegister(api, addr, address);
      const referrer = uniq('order');
      const o = await mustRegister(api, referrer, order, { references: [{ name: 'com.acme.Address', subject: addr, version: 1 }] });
      await mustOk(api.delete(`/subjects/${enc(referrer)}`));
      expect((await get(`/subjects/${enc(addr)}/versions/1/referencedby`)).json).toEqual([]);
      expect((await get(`/subjects/${enc(addr)}/versions/1/referencedby?deleted=true`)).json).toEqual([o.id]);
      // The target version is found even when it is soft-deleted itself.
      await mustRegister(api, addr, { ...address, fields: [...address.fields, { name: 'zip', type: 'string', default: '' }] });
      await mustOk(api.delete(`/subjects/${enc(addr)}/versions/1`));
      const soft = await get(`/subjects/${enc(addr)}/versions/1/referencedby?deleted=true`);
      expect(soft.status).toBe(200);
      expect(soft.json).toEqual([o.id]);
    });
  });
  describe('GET /subjects/{s}/metadata (CP 7.4+)', () => {
    it('finds the newest live version whose metadata properties hold every pair', async () => {
      const s = uniq('meta');
      await mustRegister(api, s, A, { metadata: { properties: { owner: 'payments', tier: 'gold' } } });
      const v2 = await mustRegister(api, s, B, { metadata: { properties: { owner: 'payments' } } });
      const both = await get(`/subjects/${enc(s)}/metadata?key=owner&value=payments&key=tier&value=gold`);
      expect(both.status).toBe(200);
      expect(both.json).toMatchObject({ subject: s, version: 1 });
      const owner = await get(`/subjects/${enc(s)}/metadata?key=owner&value=payments`);
      expect(owner.json).toMatchObject({ version: 2, id: v2.id, metadata: { properties: { owner: 'payments' } } });
      const none = await get(`/subjects/${enc(s)}/metadata?key=owner&value=search`);
      expect([none.status, none.json.error_code]).toEqual([404, 40403]);
      const unknown = await get(`/subjects/${enc(uniq('nobody'))}/metadata?key=a&value=b`);
      expect([unknown.status, unknown.json.error_code]).toEqual([404, 40401]);
    });
  });
});
