// JSON Schema over real HTTP, as a Confluent client sees it: /schemas/types, registration with Jackson's canonical
// text, 42201 naming the problem and its pointer, normalize and deep lookups, references (transitive, referencedby,
// guarded deletes), and compatibility verdicts with Confluent's difference types as findings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaGuid } from '../../src/storage/guids.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, uniq, type Client } from './helpers.js';

const D2020 = 'https://json-schema.org/draft/2020-12/schema';
const order = { $schema: D2020, title: 'OrderPlaced', type: 'object', properties: { id: { type: 'string' }, total: { type: 'number' } }, required: ['id'], additionalProperties: false };

describe.each(backends)('JSON Schema ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  const register = (subject: string, schema: unknown, extra: Record<string, unknown> = {}, query = '') =>
    api.register(subject, schema, { schemaType: 'JSON', ...extra }, query);
  const mustRegister = async (subject: string, schema: unknown, extra: Record<string, unknown> = {}, query = '') => {
    const res = await register(subject, schema, extra, query);
    if (res.status !== 200) throw new Error(`register failed: ${res.status} ${res.text}`);
    return res.json as { id: number };
  };

  it('GET /schemas/types lists JSON', async () => {
    expect((await api.get('/schemas/types')).json).toEqual(expect.arrayContaining(['AVRO', 'JSON', 'PROTOBUF']));
  });

  it('registers, stores the canonical text and answers schemaType JSON', async () => {
    const s = uniq('json');
    const text = '{ "type": "object",\n  "properties": { "2": {"type": "number", "default": 1.0}, "1": {"type": "string"} } }';
    const { id } = await mustRegister(s, text);
    const stored = await mustOk(api.get(`/schemas/ids/${id}`));
    const canonical = '{"type":"object","properties":{"2":{"type":"number","default":1.0},"1":{"type":"string"}}}';
    // Confluent 8's GUID is the MD5 of the canonical text (test/api/guids.test.ts).
    expect(stored).toEqual({ schemaType: 'JSON', schema: canonical, guid: schemaGuid(canonical, [], null, null) });
    const version = await mustOk(api.get(`/subjects/${enc(s)}/versions/1`));
    expect(version).toMatchObject({ subject: s, version: 1, id, schemaType: 'JSON' });
    // Whitespace aside, the same text is the same id; keys in another order are another schema, as in Confluent.
    expect((await mustRegister(s, text.replace(/\s+/g, ''))).id).toBe(id);
    expect((await mustRegister(s, JSON.parse(text))).id).not.toBe(id);
    expect((await mustOk(api.post(`/subjects/${enc(s)}`, { schema: text, schemaType: 'JSON' }))).id).toBe(id);
  });

  it.each([
    ['not JSON', '{"type":', /not valid JSON/],
    ['an array root', '[]', /object or a boolean/],
    ['an unknown type name', '{"properties":{"a":{"type":"str"}}}', /\/properties\/a\/type/],
    ['a keyword of the wrong kind', '{"type":"string","minLength":"x"}', /\/minLength/],
    ['an unresolved $ref', '{"properties":{"a":{"$ref":"#/definitions/nope"}}}', /\$ref '#\/definitions\/nope' at \/properties\/a/],
    ['an unknown $schema', '{"$schema":"http://json-schema.org/draft-99/schema#"}', /names no supported draft/],
    ['a remote $ref', '{"$ref":"https://example.com/s.json"}', /remote schemas are not fetched/],
  ])('%s → 422/42201 naming the problem', async (_label, schema, message) => {
    const res = await register(uniq('bad'), schema);
    expect(res.status).toBe(422);
    expect(res.json.error_code).toBe(42201);
    expect(res.json.message).toMatch(message);
  });

  it('normalize=true stores sorted keys and dedupes reordered schemas', async () => {
    const s = uniq('norm');
    const a = await mustRegister(s, '{"type":"object","properties":{"b":{},"a":{}}}', {}, '?normalize=true');
    expect((await mustOk(api.get(`/schemas/ids/${a.id}`))).schema).toBe('{"properties":{"a":{},"b":{}},"type":"object"}');
    expect((await mustRegister(s, '{"properties":{"a":{},"b":{}},"type":"object"}', {}, '?normalize=true')).id).toBe(a.id);
    expect((await mustOk(api.get(`/subjects/${enc(s)}/versions`)))).toEqual([1]);
  });

  // Confluent keeps key order in the canonical text and has no semantic JSON Schema equality (schema-registry#1348):
  // the same schema with its keys in another order is another schema, which a lookup does not find and registering
  // stores under a new id.
  it('lookup does not find the schema with its keys in another order (40403), as registration does not', async () => {
    const s = uniq('lookup');
    const { id } = await mustRegister(s, order);
    const reordered = { additionalProperties: false, required: ['id'], properties: { total: { type: 'number' }, id: { type: 'string' } }, type: 'object', title: 'OrderPlaced', $schema: D2020 };
    const lookup = await api.post(`/subjects/${enc(s)}`, { schema: JSON.stringify(reordered), schemaType: 'JSON' });
    expect(lookup.status).toBe(404);
    expect(lookup.json.error_code).toBe(40403);
    expect((await mustRegister(s, reordered)).id).not.toBe(id);
  });

  describe('references', () => {
    it('a $ref to a reference name resolves to that subject version, transitively; referencedby and deletes are guarded', async () => {
      const street = uniq('street');
      const address = uniq('address');
      const orders = uniq('orders');
      await mustRegister(street, { type: 'string', maxLength: 80 });
      const addr = await mustRegister(address, { type: 'object', properties: { street: { $ref: 'street.json' } } }, { references: [{ name: 'street.json', subject: street, version: 1 }] });
      const o = await mustRegister(orders, { type: 'object', properties: { ship: { $ref: 'address.json' } } }, { references: [{ name: 'address.json', subject: address, version: -1 }] });
      expect((await mustOk(api.get(`/subjects/${enc(orders)}/versions/1`))).references).toEqual([{ name: 'address.json', subject: address, version: 1 }]);
      expect(await mustOk(api.get(`/subjects/${enc(address)}/versions/1/referencedby`))).toEqual([o.id]);
      expect(await mustOk(api.get(`/subjects/${enc(street)}/versions/1/referencedby`))).toEqual([addr.id]);
      const blocked = await api.delete(`/subjects/${enc(address)}/versions/1`);
      expect(blocked.status).toBe(422);
      expect(blocked.json.error_code).toBe(42206);
      // A $ref whose name no reference supplies is refused.
      const missing = await register(uniq('orders'), { properties: { ship: { $ref: 'address.json' } } });
      expect(missing.json.error_code).toBe(42201);
      // A changed referenced schema is compared through the $ref.
      await mustOk(api.put(`/config/${enc(orders)}`, { compatibility: 'BACKWARD' }));
      const check = await api.post(`/compatibility/subjects/${enc(orders)}/versions/latest?verbose=true`, {
        schemaType: 'JSON',
        schema: JSON.stringify({ type: 'object', properties: { ship: { type: 'object', properties: { street: { type: 'string', maxLength: 20 } } } } }),
      });
      expect(check.json.is_compatible).toBe(false);
      expect(check.json.incompatibilities).toEqual([expect.objectContaining({ rule: 'MAX_LENGTH_DECREASED', path: '/properties/ship/properties/street/maxLength' })]);
    });
  });

  describe('compatibility', () => {
    it('BACKWARD: adding an optional typed property to an open model is refused with 409 and findings', async () => {
      const s = uniq('open');
      await mustRegister(s, { type: 'object', properties: { id: { type: 'string' } } });
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'BACKWARD' }));
      const res = await register(s, { type: 'object', properties: { id: { type: 'string' }, note: { type: 'string' } } });
      expect(res.status).toBe(409);
      expect(res.json.error_code).toBe(409);
      expect(res.json.message).toContain('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
      expect(res.json.incompatibilities).toEqual([expect.objectContaining({ rule: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', path: '/properties/note', oldVersion: 1 })]);
    });

    it('BACKWARD: adding an optional property to a closed model is fine; FORWARD refuses it', async () => {
      const s = uniq('closed');
      await mustRegister(s, order);
      const added = { ...order, properties: { ...order.properties, note: { type: 'string' } } };
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'BACKWARD' }));
      expect((await mustOk(api.post(`/compatibility/subjects/${enc(s)}/versions/latest`, { schemaType: 'JSON', schema: JSON.stringify(added) }))).is_compatible).toBe(true);
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'FORWARD' }));
      const res = await api.post(`/compatibility/subjects/${enc(s)}/versions/latest?verbose=true`, { schemaType: 'JSON', schema: JSON.stringify(added) });
      expect(res.json.is_compatible).toBe(false);
      expect(res.json.incompatibilities[0]).toMatchObject({ rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL' });
      expect(res.json.messages[0]).toMatch(/^\{errorType:'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL'/);
    });

    it('compatibilityPolicy LENIENT accepts an optional property added to an open model; STRICT (the default) does not', async () => {
      const s = uniq('lenient');
      await mustRegister(s, { type: 'object', properties: { id: { type: 'string' } } });
      const added = JSON.stringify({ type: 'object', properties: { id: { type: 'string' }, note: { type: 'string' } } });
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'BACKWARD', compatibilityPolicy: 'LENIENT' }));
      expect((await mustOk(api.get(`/config/${enc(s)}`))).compatibilityPolicy).toBe('LENIENT');
      expect((await mustOk(api.post(`/compatibility/subjects/${enc(s)}/versions/latest`, { schemaType: 'JSON', schema: added }))).is_compatible).toBe(true);
      // A required property without a default still breaks readers under LENIENT.
      const required = JSON.stringify({ type: 'object', properties: { id: { type: 'string' }, note: { type: 'string' } }, required: ['note'] });
      expect((await mustOk(api.post(`/compatibility/subjects/${enc(s)}/versions/latest`, { schemaType: 'JSON', schema: required }))).is_compatible).toBe(false);
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'BACKWARD', compatibilityPolicy: 'STRICT' }));
      expect((await mustOk(api.post(`/compatibility/subjects/${enc(s)}/versions/latest`, { schemaType: 'JSON', schema: added }))).is_compatible).toBe(false);
    });

    it('a JSON schema is compatible with itself at every level', async () => {
      for (const level of ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE']) {
        const s = uniq('self');
        await mustRegister(s, order);
        await mustOk(api.put(`/config/${enc(s)}`, { compatibility: level }));
        expect((await mustOk(api.post(`/compatibility/subjects/${enc(s)}/versions/latest`, { schemaType: 'JSON', schema: JSON.stringify(order) }))).is_compatible).toBe(true);
      }
    });
  });
});

describe('JSON Schema: a break Confluent misses is a warning, the verdict stays Confluent\'s', () => {
  it('a lowered exclusiveMaximum without a maximum registers (as in Confluent) with an UNDETECTED_BREAKING_CHANGE warning', async () => {
    const server = await startTestServer(backends[0]!);
    try {
      const api = client(server.url);
      const s = uniq('exmax');
      expect((await api.register(s, { type: 'number', exclusiveMaximum: 10 }, { schemaType: 'JSON' })).status).toBe(200);
      const res = await api.register(s, { type: 'number', exclusiveMaximum: 5 }, { schemaType: 'JSON' });
      expect(res.status).toBe(200);
      expect(res.json.warnings).toEqual([
        expect.objectContaining({ rule: 'UNDETECTED_BREAKING_CHANGE', category: 'EVOLUTION', severity: 'warn', path: '/exclusiveMaximum', message: expect.stringContaining('exclusiveMaximum lowered from 10 to 5') }),
      ]);
    } finally {
      await server.close();
    }
  });
});
