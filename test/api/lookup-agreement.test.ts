// Reference §3.3 (lookup) and issue 20.2: a lookup (POST /subjects/{s}) finds a version exactly when registering the
// same request would answer that version as already registered, for Avro, Protobuf and JSON Schema, whatever the
// text's whitespace and property or option order, and with normalize on or off in the query and the subject config.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, uniq, type Client } from './helpers.js';

type Format = 'AVRO' | 'PROTOBUF' | 'JSON';

/** One small schema: which of a few fields (and, for Protobuf, file options) it has. */
interface Base {
  format: Format;
  fields: number[];
  options: number[];
}

/** How one request writes that schema: key, option and field order, whitespace, and how an Avro name is qualified. */
interface Presentation {
  keyOrder: number[];
  fieldOrder: number[];
  optionOrder: number[];
  indent: 0 | 2;
  qualified: boolean;
}

const AVRO_FIELDS: [string, unknown][] = [['id', 'string'], ['count', 'int'], ['tags', { type: 'array', items: 'string' }], ['note', ['null', 'string']]];
const PROTO_FIELDS = ['string id = 1;', 'int32 count = 2;', 'repeated string tags = 3;', 'double price = 4;'];
const PROTO_OPTIONS = ['option java_package = "com.acme";', 'option java_outer_classname = "OrderProto";', 'option optimize_for = SPEED;'];
const JSON_FIELDS: [string, unknown][] = [['id', { type: 'string' }], ['count', { type: 'integer' }], ['tags', { type: 'array', items: { type: 'string' } }]];

const pick = <T>(items: T[], order: number[]) => order.filter((i) => i < items.length).map((i) => items[i]!);
/** An object whose keys come in `order` (indexes into its entries; the rest follow). */
const ordered = (entries: [string, unknown][], order: number[]) => {
  const first = pick(entries, order);
  return Object.fromEntries([...first, ...entries.filter((e) => !first.includes(e))]);
};

function text(base: Base, p: Presentation): string {
  if (base.format === 'AVRO') {
    const fields = pick(base.fields.map((i) => AVRO_FIELDS[i]!), p.fieldOrder.length ? p.fieldOrder : [0, 1, 2, 3]);
    const all = base.fields.map((i) => AVRO_FIELDS[i]!);
    const inOrder = [...fields, ...all.filter((f) => !fields.includes(f))];
    const schema = ordered(
      [
        ['type', 'record'],
        ['name', p.qualified ? 'acme.Order' : 'Order'],
        ...(p.qualified ? [] : [['namespace', 'acme'] as [string, unknown]]),
        ['fields', inOrder.map(([name, type]) => ordered([['name', name], ['type', type]], p.keyOrder))],
      ],
      p.keyOrder,
    );
    return JSON.stringify(schema, null, p.indent);
  }
  if (base.format === 'JSON') {
    const props = base.fields.map((i) => JSON_FIELDS[i]!);
    const schema = ordered(
      [
        ['type', 'object'],
        ['properties', ordered(props, p.fieldOrder)],
        ['additionalProperties', false],
      ],
      p.keyOrder,
    );
    return JSON.stringify(schema, null, p.indent);
  }
  const nl = p.indent ? '\n\n' : '\n';
  const options = pick(base.options.map((i) => PROTO_OPTIONS[i]!), p.optionOrder);
  const allOptions = base.options.map((i) => PROTO_OPTIONS[i]!);
  const fields = pick(base.fields.map((i) => PROTO_FIELDS[i]!), p.fieldOrder);
  const allFields = base.fields.map((i) => PROTO_FIELDS[i]!);
  return [
    'syntax = "proto3";',
    'package acme;',
    ...[...options, ...allOptions.filter((o) => !options.includes(o))],
    `message Order {${nl}${[...fields, ...allFields.filter((f) => !fields.includes(f))].map((f) => `  ${f}`).join(nl)}${nl}}`,
    '',
  ].join(nl);
}

const base: fc.Arbitrary<Base> = fc.record({
  format: fc.constantFrom<Format>('AVRO', 'PROTOBUF', 'JSON'),
  fields: fc.subarray([0, 1, 2], { minLength: 1 }),
  options: fc.subarray([0, 1, 2]),
});
const permutation = fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 });
const presentation: fc.Arbitrary<Presentation> = fc.record({
  keyOrder: permutation,
  fieldOrder: permutation,
  optionOrder: permutation,
  indent: fc.constantFrom<0 | 2>(0, 2),
  qualified: fc.boolean(),
});
const normalizeParam = fc.constantFrom<boolean | undefined>(undefined, true, false);

const query = (normalize: boolean | undefined) => (normalize === undefined ? '' : `?normalize=${normalize}`);

describe.each(backends)('lookup agrees with registration ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  /** Lookup, then registration, of the same request: the lookup's version iff the registration made none. */
  async function agree(subject: string, schema: string, schemaType: Format, normalize: boolean | undefined) {
    const path = `/subjects/${enc(subject)}`;
    const before = (await api.get(`${path}/versions`)).json as number[];
    const lookup = await api.post(`${path}${query(normalize)}`, { schema, schemaType });
    const registered = await api.register(subject, schema, { schemaType }, query(normalize));
    expect(registered.status, registered.text).toBe(200);
    const after = (await api.get(`${path}/versions`)).json as number[];
    if (lookup.status === 200) {
      expect(registered.json.id).toBe(lookup.json.id);
      expect(after).toEqual(before);
      expect(before).toContain(lookup.json.version);
    } else {
      expect(lookup.status, lookup.text).toBe(404);
      expect(lookup.json.error_code).toBe(40403);
      expect(after).toHaveLength(before.length + 1);
    }
  }

  it('for generated schemas, textual variations and every normalize combination', async () => {
    await fc.assert(
      fc.asyncProperty(
        base,
        presentation,
        presentation,
        normalizeParam,
        normalizeParam,
        normalizeParam,
        async (schema, stored, asked, storedNormalize, askedNormalize, configNormalize) => {
          const subject = uniq(`agree-${schema.format.toLowerCase()}`);
          // NONE: a variation that is another schema is registered, never refused as incompatible.
          await mustOk(api.put(`/config/${enc(subject)}`, { compatibility: 'NONE', ...(configNormalize === undefined ? {} : { normalize: configNormalize }) }));
          const first = await api.register(subject, text(schema, stored), { schemaType: schema.format }, query(storedNormalize));
          expect(first.status, first.text).toBe(200);
          await agree(subject, text(schema, asked), schema.format, askedNormalize);
        },
      ),
      { numRuns: backend.name === 'pglite' ? 60 : 25 },
    );
  }, 300_000);

  it('Protobuf registered with normalize=true, looked up with its options in another order and no normalize → 40403', async () => {
    const subject = uniq('proto-options');
    const schema = (options: string[]) => ['syntax = "proto3";', 'package acme;', ...options, 'message Order {', '  string id = 1;', '}', ''].join('\n');
    // Registered in normalized order (sorted by name); looked up in the other order, which is not normalized.
    const options = ['option java_outer_classname = "OrderProto";', 'option java_package = "com.acme";'];
    const registered = await api.register(subject, schema(options), { schemaType: 'PROTOBUF' }, '?normalize=true');
    expect(registered.status).toBe(200);
    const lookup = await api.post(`/subjects/${enc(subject)}`, { schema: schema([...options].reverse()), schemaType: 'PROTOBUF' });
    expect(lookup.status).toBe(404);
    expect(lookup.json).toEqual({ error_code: 40403, message: 'Schema not found' });
    const again = await api.register(subject, schema([...options].reverse()), { schemaType: 'PROTOBUF' });
    expect(again.json.id).not.toBe(registered.json.id);
  });

  it('an Avro schema sent with its references inlined is found by lookup and answered by registration as that version', async () => {
    const [addr, order] = [uniq('addr'), uniq('order')];
    const address = { type: 'record', name: 'Address', namespace: 'com.acme', fields: [{ name: 'street', type: 'string' }] };
    await mustOk(api.register(addr, address));
    const withRef = { type: 'record', name: 'Order', namespace: 'com.acme', fields: [{ name: 'ship', type: 'com.acme.Address' }] };
    const stored = await mustOk(api.register(order, withRef, { references: [{ name: 'com.acme.Address', subject: addr, version: 1 }] }));
    const inlined = JSON.stringify({ ...withRef, fields: [{ name: 'ship', type: address }] });
    const lookup = await api.post(`/subjects/${enc(order)}`, { schema: inlined });
    expect(lookup.status).toBe(200);
    expect(lookup.json).toMatchObject({ version: 1, id: stored.id });
    const registered = await api.register(order, inlined);
    expect(registered.status).toBe(200);
    expect(registered.json.id).toBe(stored.id);
    expect((await api.get(`/subjects/${enc(order)}/versions`)).json).toEqual([1]);
  });
});
