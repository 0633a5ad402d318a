// Conformance, reference §2, §3.3 (register), §5, §8 and §9: ids, versions, canonical form, metadata, references.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, mustRegister, record, uniq, type Client } from './helpers.js';

const A = record('r', [['a', 'string']]);
const B = record('r', [['a', 'string'], { name: 'b', type: 'int', default: 0 }]);
const C = record('r', [['a', 'string'], { name: 'b', type: 'int', default: 0 }, { name: 'c', type: 'long', default: 1 }]);
const address = { type: 'record', name: 'Address', namespace: 'com.acme', fields: [{ name: 'street', type: 'string' }] };
const order = { type: 'record', name: 'Order', namespace: 'com.acme', fields: [{ name: 'ship', type: 'com.acme.Address' }] };

describe.each(backends)('registration semantics ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  const versionsOf = async (s: string, q = '') => (await api.get(`/subjects/${enc(s)}/versions${q}`)).json;
  const maxId = async () => {
    const probe = await mustRegister(api, uniq('probe'), '"string"');
    return (await api.get(`/schemas/ids/${probe.id}?fetchMaxId=true`)).json.maxId as number;
  };
  const softDelete = (s: string, v: number | string) => mustOk(api.delete(`/subjects/${enc(s)}/versions/${v}`));
  const hardDelete = (s: string, v: number | string) => mustOk(api.delete(`/subjects/${enc(s)}/versions/${v}?permanent=true`));

  describe('ids (§2, §5)', () => {
    it('on a fresh registry ids start at 1 and grow by one per distinct schema', async () => {
      await server.reset();
      const first = await api.register(uniq('fresh'), A);
      expect(first.status).toBe(200);
      expect(first.json.id).toBe(1);
      expect((await mustRegister(api, uniq('fresh'), '"int"')).id).toBe(2);
      expect((await mustRegister(api, uniq('fresh'), A)).id).toBe(1);
      expect((await mustRegister(api, uniq('fresh'), '"long"')).id).toBe(3);
    });

    it('the register response carries the id, and the version when present is the new one', async () => {
      const subject = uniq('resp');
      const res = await api.register(subject, A);
      expect(res.status).toBe(200);
      expect(Number.isInteger(res.json.id)).toBe(true);
      if (res.json.version !== undefined) expect(res.json.version).toBe(1);
      if (res.json.schema !== undefined) expect(JSON.parse(res.json.schema)).toEqual(A);
    });

    it('the same schema under two subjects gets one id, and ids/{id}/versions lists both', async () => {
      const [s1, s2] = [uniq('same'), uniq('same')];
      const schema = record(uniq('Shared').replace(/-/g, '_'), [['x', 'string']]);
      const a = await mustRegister(api, s1, schema);
      const b = await mustRegister(api, s2, schema);
      expect(b.id).toBe(a.id);
      const listed = (await api.get(`/schemas/ids/${a.id}/versions`)).json;
      expect(listed).toEqual(expect.arrayContaining([{ subject: s1, version: 1 }, { subject: s2, version: 1 }]));
    });

    it('whitespace and key order that canonicalise identically give the same id', async () => {
      const compact = JSON.stringify(record('ws', [['a', 'string']]));
      const spaced = '{ "fields" : [ { "type": "string", "name": "a" } ],\n  "name": "ws",  "type" : "record" }';
      const a = await mustRegister(api, uniq('ws'), compact);
      const b = await mustRegister(api, uniq('ws'), spaced);
      expect(b.id).toBe(a.id);
    });

    it('{"type":"string"} and "string" are the same schema', async () => {
      const a = await mustRegister(api, uniq('prim'), '{"type":"string"}');
      const b = await mustRegister(api, uniq('prim'), '"string"');
      expect(b.id).toBe(a.id);
      expect((await api.get(`/schemas/ids/${a.id}`)).json.schema).toBe('"string"');
    });

    it.each([
      ['field order', record('fo', [['a', 'string'], ['b', 'int']]), record('fo', [['b', 'int'], ['a', 'string']])],
      ['doc', record('doc', [['a', 'string']], { doc: 'one' }), record('doc', [['a', 'string']], { doc: 'two' })],
      ['default', record('dflt', [{ name: 'a', type: 'int', default: 1 }]), record('dflt', [{ name: 'a', type: 'int', default: 2 }])],
      ['custom property', record('prop', [['a', 'string']]), record('prop', [['a', 'string']], { owner: 'team-x' })],
    ])('a different %s gives a different id', async (_label, one, two) => {
      const a = await mustRegister(api, uniq('diff'), one);
      const b = await mustRegister(api, uniq('diff'), two);
      expect(b.id).not.toBe(a.id);
    });

    it('stores and returns the canonical text (§9 example)', async () => {
      const subject = uniq('canon');
      await mustRegister(api, subject, '{"name":"r","type":"record","fields":[{"type":"string","name":"a","doc":"d"}]}');
      const res = await api.get(`/subjects/${enc(subject)}/versions/1`);
      expect(res.json.schema).toBe('{"type":"record","name":"r","fields":[{"name":"a","type":"string","doc":"d"}]}');
    });

    it.each([
      [
        'record and field keys in Avro order, ascending order dropped',
        '{"aliases":["Old"],"fields":[{"aliases":["g"],"order":"ascending","default":1,"doc":"fd","type":"int","name":"f"},{"order":"descending","type":"string","name":"h"}],"custom":"c","doc":"rd","namespace":"ns","name":"R","type":"record"}',
        '{"type":"record","name":"R","namespace":"ns","doc":"rd","fields":[{"name":"f","type":"int","doc":"fd","default":1,"aliases":["g"]},{"name":"h","type":"string","order":"descending"}],"custom":"c","aliases":["Old"]}',
      ],
      [
        'namespace only where it changes',
        '{"type":"record","name":"a.R","fields":[{"name":"x","type":{"type":"record","name":"a.S","fields":[]}},{"name":"y","type":{"type":"record","name":"b.T","fields":[]}}]}',
        '{"type":"record","name":"R","namespace":"a","fields":[{"name":"x","type":{"type":"record","name":"S","fields":[]}},{"name":"y","type":{"type":"record","name":"T","namespace":"b","fields":[]}}]}',
      ],
      ['a primitive with a logical type stays an object', '{ "logicalType": "date", "type": "int" }', '{"type":"int","logicalType":"date"}'],
    ])('canonical text: %s (§9)', async (_label, input, canonical) => {
      const subject = uniq('canon');
      await mustRegister(api, subject, input);
      expect((await api.get(`/subjects/${enc(subject)}/versions/1`)).json.schema).toBe(canonical);
    });

    it('an incompatible registration consumes neither a version nor an id', async () => {
      const subject = uniq('nocost');
      await mustRegister(api, subject, A);
      const before = await maxId();
      const rejected = await api.register(subject, record('r', [['a', 'string'], ['z', 'int']]));
      expect(rejected.status).toBe(409);
      expect(rejected.json.error_code).toBe(409);
      const next = await mustRegister(api, uniq('nocost-other'), record(uniq('Fresh').replace(/-/g, '_'), [['q', 'int']]));
      expect(next.id).toBe(before + 1);
      const ok = await mustRegister(api, subject, B);
      expect(await versionsOf(subject)).toEqual([1, 2]);
      if (ok.version !== undefined) expect(ok.version).toBe(2);
    });
  });

  describe('versions (§5)', () => {
    it('re-registering an older schema returns its version, even when incompatible with latest', async () => {
      const subject = uniq('idem');
      await mustOk(api.put(`/config/${enc(subject)}`, { compatibility: 'NONE' }));
      const v1 = await mustRegister(api, subject, record('r', [['a', 'string']]));
      await mustRegister(api, subject, record('r', [['a', 'int']]));
      await mustRegister(api, subject, record('r', [['a', 'int'], ['b', 'int']]));
      await mustOk(api.put(`/config/${enc(subject)}`, { compatibility: 'FULL_TRANSITIVE' }));
      const again = await api.register(subject, record('r', [['a', 'string']]));
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(v1.id);
      if (again.json.version !== undefined) expect(again.json.version).toBe(1);
      expect(await versionsOf(subject)).toEqual([1, 2, 3]);
    });

    it('identical concurrent registrations yield one version', async () => {
      const subject = uniq('race');
      const results = await Promise.all(Array.from({ length: 6 }, () => api.register(subject, A)));
      for (const r of results) expect(r.status).toBe(200);
      expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
      expect(await versionsOf(subject)).toEqual([1]);
    });

    it('v1=A, v2=B, soft-delete both, register A → version 3 with A\'s id; v1 is tombstoned', async () => {
      const subject = uniq('sd');
      const a = await mustRegister(api, subject, A);
      await mustRegister(api, subject, B);
      await softDelete(subject, 2);
      await softDelete(subject, 1);
      const again = await mustRegister(api, subject, A);
      expect(again.id).toBe(a.id);
      expect(await versionsOf(subject)).toEqual([3]);
      expect((await api.get(`/subjects/${enc(subject)}/versions/3`)).json).toMatchObject({ version: 3, id: a.id });
      expect(await versionsOf(subject, '?deleted=true')).toEqual([2, 3]);
    });

    it('soft-deleted subject [1,2], register A then B → versions 3 and 4 with the original ids', async () => {
      const subject = uniq('sds');
      const a = await mustRegister(api, subject, A);
      const b = await mustRegister(api, subject, B);
      expect(await mustOk(api.delete(`/subjects/${enc(subject)}`))).toEqual([1, 2]);
      const a2 = await api.register(subject, A);
      const b2 = await api.register(subject, B);
      expect([a2.json.id, b2.json.id]).toEqual([a.id, b.id]);
      expect(await versionsOf(subject)).toEqual([3, 4]);
      expect((await api.get(`/subjects/${enc(subject)}/versions/1`)).json.error_code).toBe(40402);
      expect((await api.get(`/subjects/${enc(subject)}/versions/4`)).json).toMatchObject({ version: 4, id: b.id });
    });

    it('v2 hard-deleted and v1 soft-deleted, register A → version 2', async () => {
      const subject = uniq('hd');
      const a = await mustRegister(api, subject, A);
      await mustRegister(api, subject, B);
      await softDelete(subject, 2);
      await hardDelete(subject, 2);
      await softDelete(subject, 1);
      const again = await mustRegister(api, subject, A);
      expect(again.id).toBe(a.id);
      expect(await versionsOf(subject)).toEqual([2]);
    });

    it('hard-deleting the whole subject, then registering A → version 1 with the same id', async () => {
      const subject = uniq('hds');
      const a = await mustRegister(api, subject, A);
      await mustRegister(api, subject, B);
      await mustOk(api.delete(`/subjects/${enc(subject)}`));
      await mustOk(api.delete(`/subjects/${enc(subject)}?permanent=true`));
      const again = await mustRegister(api, subject, A);
      expect(again.id).toBe(a.id);
      expect(await versionsOf(subject)).toEqual([1]);
    });

    it('a given version must be the next one (42201); ≤0 means "next"', async () => {
      const subject = uniq('ver');
      const skip = await api.register(subject, A, { version: 2 });
      expect(skip.status).toBe(422);
      expect(skip.json.error_code).toBe(42201);
      expect((await api.register(subject, A, { version: 1 })).status).toBe(200);
      expect((await api.register(subject, B, { version: 0 })).status).toBe(200);
      expect((await api.register(subject, C, { version: -1 })).status).toBe(200);
      expect(await versionsOf(subject)).toEqual([1, 2, 3]);
    });
  });

  describe('invalid schemas → 42201 (§4)', () => {
    it.each([
      ['schemaType avro (lowercase)', { schemaType: 'avro' }, A],
      ['unknown schemaType', { schemaType: 'XML' }, A],
      ['unparsable text', {}, '{"type": "record", '],
      ['an unknown type', {}, record('r', [['a', 'no.such.Type']])],
      ['a default of the wrong type', {}, record('r', [{ name: 'a', type: 'int', default: 'x' }])],
      ['a duplicate field', {}, record('r', [['a', 'string'], ['a', 'int']])],
      ['an invalid name', {}, record('1bad', [['a', 'string']])],
      ['a record without fields', {}, { type: 'record', name: 'r' }],
      ['an enum with a duplicate symbol', {}, { type: 'enum', name: 'E', symbols: ['A', 'A'] }],
    ])('%s', async (_label, extra, schema) => {
      const res = await api.register(uniq('invalid'), schema, extra);
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
    });

    it.each(['XML', 'JSON', 'avro'])('an unknown schemaType %s → 42201 listing the supported types', async (schemaType) => {
      const supported: string[] = (await api.get('/schemas/types')).json;
      if (supported.includes(schemaType)) return; // a JSON format, once there is one, is no longer unknown
      const res = await api.register(uniq('typed'), A, { schemaType });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
      expect(res.json.message).toMatch(new RegExp(`^Invalid schema type ${schemaType}; the supported types are `));
      for (const type of supported) expect(res.json.message).toContain(type);
      expect(res.json.message.includes('case-sensitive')).toBe(schemaType === 'avro');
    });

    it('an explicit schemaType AVRO is accepted', async () => {
      expect((await api.register(uniq('typed'), A, { schemaType: 'AVRO' })).status).toBe(200);
    });

    it('an empty schema on a subject without versions → 42201', async () => {
      const res = await api.register(uniq('empty'), '');
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
      const missing = await api.post(`/subjects/${enc(uniq('empty'))}/versions`, { metadata: { properties: { a: 'b' } } });
      expect(missing.status).toBe(422);
      expect(missing.json.error_code).toBe(42201);
    });

    it('an empty schema with metadata reuses the latest schema in a new version', async () => {
      const subject = uniq('attach');
      const a = await mustRegister(api, subject, A);
      const metadata = { properties: { owner: 'payments' } };
      const res = await api.post(`/subjects/${enc(subject)}/versions`, { schema: '', metadata });
      expect(res.status).toBe(200);
      expect(res.json.id).not.toBe(a.id);
      const latest = (await api.get(`/subjects/${enc(subject)}/versions/latest`)).json;
      expect(latest.version).toBe(2);
      expect(JSON.parse(latest.schema)).toEqual(A);
      expect(latest.metadata).toEqual(metadata);
    });
  });

  describe('metadata and ruleSet (§3)', () => {
    const metadata = { tags: { '$.a': ['PII'] }, properties: { owner: 'team-a', 'application.major.version': '2' }, sensitive: ['ssn'] };
    const ruleSet = {
      domainRules: [{ name: 'checkLen', kind: 'CONDITION', mode: 'WRITE', type: 'CEL', expr: 'size(message.a) < 10', disabled: false }],
      migrationRules: [{ name: 'up', kind: 'TRANSFORM', mode: 'UPGRADE', type: 'JSONATA', expr: '$' }],
    };

    it('are stored and returned as given, by version and by id', async () => {
      const subject = uniq('meta');
      const reg = await mustRegister(api, subject, A, { metadata, ruleSet });
      const byVersion = (await api.get(`/subjects/${enc(subject)}/versions/1`)).json;
      expect(byVersion.metadata).toEqual(metadata);
      expect(byVersion.ruleSet).toEqual(ruleSet);
      const byId = (await api.get(`/schemas/ids/${reg.id}`)).json;
      expect(byId.metadata).toEqual(metadata);
      expect(byId.ruleSet).toEqual(ruleSet);
    });

    it('are omitted when absent', async () => {
      const subject = uniq('nometa');
      await mustRegister(api, subject, A);
      const res = (await api.get(`/subjects/${enc(subject)}/versions/1`)).json;
      expect(res).not.toHaveProperty('metadata');
      expect(res).not.toHaveProperty('ruleSet');
      expect(res).not.toHaveProperty('references');
    });

    it('are part of the identity: the same text with other metadata gets another id', async () => {
      const plain = await mustRegister(api, uniq('mid'), A);
      const tagged = await mustRegister(api, uniq('mid'), A, { metadata: { properties: { k: uniq('v') } } });
      expect(tagged.id).not.toBe(plain.id);
    });

    it.each([
      ['an invalid kind', { domainRules: [{ name: 'x', kind: 'BOGUS', mode: 'WRITE', type: 'CEL' }] }],
      ['an invalid mode', { domainRules: [{ name: 'x', kind: 'CONDITION', mode: 'SIDEWAYS', type: 'CEL' }] }],
      ['duplicate rule names', { domainRules: [{ name: 'x', kind: 'CONDITION', mode: 'WRITE', type: 'CEL' }, { name: 'x', kind: 'CONDITION', mode: 'WRITE', type: 'CEL' }] }],
      ['a rule without a name', { migrationRules: [{ kind: 'TRANSFORM', mode: 'UPGRADE', type: 'JSONATA' }] }],
    ])('a ruleSet with %s → 42210', async (_label, bad) => {
      const res = await api.register(uniq('rules'), A, { ruleSet: bad });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42210);
    });
  });

  describe('references (§8)', () => {
    const setup = async () => {
      const addr = uniq('addr');
      const a = await mustRegister(api, addr, address);
      return { addr, addrId: a.id };
    };

    it('a schema can use a named type from another subject', async () => {
      const { addr } = await setup();
      const subject = uniq('order');
      const references = [{ name: 'com.acme.Address', subject: addr, version: 1 }];
      const res = await api.register(subject, order, { references });
      expect(res.status).toBe(200);
      const got = (await api.get(`/subjects/${enc(subject)}/versions/1`)).json;
      expect(got.references).toEqual(references);
      const parsed = JSON.parse(got.schema);
      expect(parsed).toMatchObject({ type: 'record', name: 'Order', namespace: 'com.acme' });
      // Avro writes a name relative to the enclosing namespace.
      expect(['Address', 'com.acme.Address']).toContain(parsed.fields[0].type);
    });

    it('version -1 in a reference is stored as the concrete version', async () => {
      const { addr } = await setup();
      await mustRegister(api, addr, { ...address, fields: [...address.fields, { name: 'zip', type: 'string', default: '' }] });
      const subject = uniq('order');
      await mustRegister(api, subject, order, { references: [{ name: 'com.acme.Address', subject: addr, version: -1 }] });
      const got = (await api.get(`/subjects/${enc(subject)}/versions/1`)).json;
      expect(got.references).toEqual([{ name: 'com.acme.Address', subject: addr, version: 2 }]);
    });

    it.each([
      ['no reference for the named type', () => []],
      ['a reference to an unknown subject', () => [{ name: 'com.acme.Address', subject: uniq('nowhere'), version: 1 }]],
      ['a reference lacking its version', (addr: string) => [{ name: 'com.acme.Address', subject: addr }]],
      ['a reference lacking its subject', () => [{ name: 'com.acme.Address', version: 1 }]],
      ['a reference lacking its name', (addr: string) => [{ subject: addr, version: 1 }]],
    ])('%s → 42201', async (_label, refs) => {
      const { addr } = await setup();
      const res = await api.register(uniq('order'), order, { references: refs(addr) });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
    });

    it('a reference to a missing version of an existing subject → 42201', async () => {
      const { addr } = await setup();
      const res = await api.register(uniq('order'), order, { references: [{ name: 'com.acme.Address', subject: addr, version: 7 }] });
      expect(res.json.error_code).toBe(42201);
    });

    it('a new registration cannot reference a soft-deleted version', async () => {
      const { addr } = await setup();
      await mustRegister(api, addr, { ...address, fields: [...address.fields, { name: 'zip', type: 'string', default: '' }] });
      await softDelete(addr, 1);
      const res = await api.register(uniq('order'), order, { references: [{ name: 'com.acme.Address', subject: addr, version: 1 }] });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
    });

    it('referencedby lists the referrer, and deleting the referenced version → 42206', async () => {
      const { addr } = await setup();
      const o = await mustRegister(api, uniq('order'), order, { references: [{ name: 'com.acme.Address', subject: addr, version: 1 }] });
      const by = await api.get(`/subjects/${enc(addr)}/versions/1/referencedby`);
      expect(by.status).toBe(200);
      expect(by.json).toEqual([o.id]);
      const del = await api.delete(`/subjects/${enc(addr)}/versions/1`);
      expect(del.status).toBe(422);
      expect(del.json.error_code).toBe(42206);
      expect((await api.delete(`/subjects/${enc(addr)}`)).json.error_code).toBe(42206);
    });

    it('reference order is part of the identity unless normalize=true', async () => {
      const s1 = uniq('two');
      const s2 = uniq('two');
      const colour = { type: 'enum', name: 'Colour', namespace: 'com.acme', symbols: ['RED'] };
      await mustRegister(api, s1, address);
      await mustRegister(api, s2, colour);
      const both = { type: 'record', name: 'Both', namespace: 'com.acme', fields: [{ name: 'a', type: 'Address' }, { name: 'c', type: 'Colour' }] };
      const r1 = { name: 'com.acme.Address', subject: s1, version: 1 };
      const r2 = { name: 'com.acme.Colour', subject: s2, version: 1 };
      const x = await mustRegister(api, uniq('refs'), both, { references: [r1, r2] });
      const y = await mustRegister(api, uniq('refs'), both, { references: [r2, r1] });
      expect(y.id).not.toBe(x.id);
      const xn = await mustRegister(api, uniq('refs'), both, { references: [r1, r2] }, '?normalize=true');
      const yn = await mustRegister(api, uniq('refs'), both, { references: [r2, r1] }, '?normalize=true');
      expect(yn.id).toBe(xn.id);
    });
  });

  describe('normalize (§9)', () => {
    it('custom properties in another order: different ids without normalize, the same id with it', async () => {
      const name = uniq('Norm').replace(/-/g, '_');
      const one = `{"type":"record","name":"${name}","fields":[{"name":"a","type":"string"}],"zeta":"1","alpha":"2"}`;
      const two = `{"type":"record","name":"${name}","fields":[{"name":"a","type":"string"}],"alpha":"2","zeta":"1"}`;
      const p = await mustRegister(api, uniq('raw'), one);
      const q = await mustRegister(api, uniq('raw'), two);
      expect(q.id).not.toBe(p.id);
      const pn = await mustRegister(api, uniq('norm'), one, {}, '?normalize=true');
      const qn = await mustRegister(api, uniq('norm'), two, {}, '?normalize=true');
      expect(qn.id).toBe(pn.id);
    });

    it('subject config normalize:true applies without the query parameter', async () => {
      const subject = uniq('cfgnorm');
      await mustOk(api.put(`/config/${enc(subject)}`, { normalize: true }));
      const name = uniq('CfgNorm').replace(/-/g, '_');
      const one = `{"type":"record","name":"${name}","fields":[{"name":"a","type":"string"}],"zeta":"1","alpha":"2"}`;
      const two = `{"type":"record","name":"${name}","fields":[{"name":"a","type":"string"}],"alpha":"2","zeta":"1"}`;
      const p = await mustRegister(api, subject, one);
      const q = await mustRegister(api, subject, two);
      expect(q.id).toBe(p.id);
      expect(await versionsOf(subject)).toEqual([1]);
    });
  });
});
