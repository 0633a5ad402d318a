import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidSchemaError } from '../format.js';
import { avroFormat } from './index.js';

const parse = (schema: unknown, options: Partial<{ validate: boolean; normalize: boolean; maxDepth: number }> = {}) =>
  avroFormat.parse(typeof schema === 'string' ? schema : JSON.stringify(schema), [], {
    validate: true,
    normalize: false,
    maxDepth: 64,
    ...options,
  });

describe('Avro canonical text (Java Avro toString)', () => {
  it('orders keys as Java does and drops whitespace', () => {
    expect(parse('{"name":"r","type":"record","fields":[{"type":"string","name":"a","doc":"d"}]}').canonical).toBe(
      '{"type":"record","name":"r","fields":[{"name":"a","type":"string","doc":"d"}]}',
    );
  });

  it('collapses a primitive without properties to its name', () => {
    expect(parse('{   "type":   "string"}').canonical).toBe('"string"');
    expect(parse({ type: 'long', logicalType: 'timestamp-millis' }).canonical).toBe('{"type":"long","logicalType":"timestamp-millis"}');
  });

  it('writes a namespace only where it changes, and uses named types by short name inside their namespace', () => {
    const schema = {
      type: 'record',
      name: 'Order',
      namespace: 'shop',
      fields: [
        { name: 'a', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] } },
        { name: 'b', type: 'shop.Address' },
        { name: 'c', type: { type: 'enum', name: 'other.Kind', symbols: ['X'] } },
        { name: 'd', type: { type: 'fixed', name: 'Raw', namespace: '', size: 2 } },
      ],
    };
    expect(parse(schema).canonical).toBe(
      '{"type":"record","name":"Order","namespace":"shop","fields":[' +
        '{"name":"a","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"}]}},' +
        '{"name":"b","type":"Address"},' +
        '{"name":"c","type":{"type":"enum","name":"Kind","namespace":"other","symbols":["X"]}},' +
        '{"name":"d","type":{"type":"fixed","name":"Raw","namespace":"","size":2}}]}',
    );
  });

  it('keeps doc, defaults, order, aliases and custom properties in their places', () => {
    const schema = {
      aliases: ['Old'],
      fields: [{ aliases: ['x'], order: 'descending', default: 1, doc: 'n', type: 'int', name: 'n', 'x-pii': true }],
      custom: 'yes',
      name: 'R',
      type: 'record',
    };
    expect(parse(schema).canonical).toBe(
      '{"type":"record","name":"R","fields":[{"name":"n","type":"int","doc":"n","default":1,"order":"descending","aliases":["x"],"x-pii":true}],"custom":"yes","aliases":["Old"]}',
    );
  });

  it('normalizes to full names with sorted properties and aliases', () => {
    const a = parse({ type: 'record', name: 'R', namespace: 'ns', b: 1, a: 2, aliases: ['Z', 'Y'], fields: [{ name: 'f', type: 'int' }] });
    expect(a.normalized).toBe('{"type":"record","name":"ns.R","fields":[{"name":"f","type":"int"}],"a":2,"b":1,"aliases":["ns.Y","ns.Z"]}');
    const b = parse({ type: 'record', name: 'ns.R', a: 2, b: 1, aliases: ['ns.Y', 'Z'], fields: [{ name: 'f', type: 'int' }] });
    expect(b.normalized).toBe(a.normalized);
    expect(parse(a.canonical, { normalize: true }).canonical).toBe(a.normalized);
  });

  it('accepts a recursive record', () => {
    const list = { type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'], default: null }] };
    expect(parse(list).canonical).toBe('{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}');
  });
});

describe('Avro validation of new schemas', () => {
  const invalid = (schema: unknown, pattern: RegExp) => {
    expect(() => parse(schema)).toThrow(InvalidSchemaError);
    expect(() => parse(schema)).toThrow(pattern);
  };

  it('rejects a default that does not match its field type, naming the field', () => {
    invalid({ type: 'record', name: 'R', fields: [{ name: 'amount', type: 'int', default: 'x' }] }, /field 'amount'/);
    invalid({ type: 'record', name: 'R', fields: [{ name: 'maybe', type: ['null', 'int'], default: 1 }] }, /field 'maybe'/);
    invalid({ type: 'record', name: 'R', fields: [{ name: 'big', type: 'int', default: 2 ** 31 }] }, /field 'big'/);
  });

  it('accepts defaults valid for their type', () => {
    const fields = [
      { name: 'a', type: 'long', default: 5 },
      { name: 'b', type: 'double', default: 1 },
      { name: 'c', type: ['null', 'string'], default: null },
      { name: 'd', type: { type: 'array', items: 'int' }, default: [1, 2] },
      { name: 'e', type: { type: 'map', values: 'string' }, default: { k: 'v' } },
      { name: 'f', type: { type: 'record', name: 'In', fields: [{ name: 'x', type: 'int', default: 0 }] }, default: {} },
    ];
    expect(() => parse({ type: 'record', name: 'R', fields })).not.toThrow();
  });

  it('rejects invalid names, duplicates and unknown types', () => {
    invalid({ type: 'record', name: '1R', fields: [] }, /Invalid name '1R'/);
    invalid({ type: 'record', name: 'R', fields: [{ name: 'a-b', type: 'int' }] }, /Invalid field name 'a-b'/);
    invalid({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'a', type: 'long' }] }, /Duplicate field 'a'/);
    invalid({ type: 'enum', name: 'E', symbols: ['A', 'A'] }, /Duplicate symbol 'A'/);
    invalid({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'Missing' }] }, /Unknown type 'Missing'/);
    invalid(['int', 'int'], /Duplicate in union/);
    invalid({ type: 'record', name: 'R' }, /no "fields"/);
    invalid('{not json', /not valid JSON/);
  });

  it('rejects schemas nested deeper than the limit', () => {
    let schema: unknown = 'int';
    for (let i = 0; i < 100; i++) schema = { type: 'array', items: schema };
    expect(() => parse(schema, { maxDepth: 64 })).toThrow(/nested deeper than the limit of 64/);
    expect(() => parse(schema, { maxDepth: 200 })).not.toThrow();
  });

  it('loads stored history leniently', () => {
    const schema = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int', default: 'x' }] };
    expect(() => parse(schema, { validate: false })).not.toThrow();
  });
});

/** Random Avro schemas, for properties of the canonical form. */
const avroSchema = fc.letrec((tie) => ({
  primitive: fc.constantFrom('null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'),
  array: fc.record({ type: fc.constant('array'), items: tie('type') }),
  map: fc.record({ type: fc.constant('map'), values: tie('type') }),
  type: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('primitive'), tie('array'), tie('map'), tie('record')),
  record: fc
    .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), { minLength: 1, maxLength: 4 })
    .chain((names) => fc.tuple(fc.constant(names), fc.array(tie('type'), { minLength: names.length, maxLength: names.length })))
    .map(([names, types]) => ({ type: 'record', name: `R${Math.abs(hash(JSON.stringify(types)))}_${names.join('')}`, fields: names.map((n, i) => ({ name: n, type: types[i] })) })),
}));

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** Writes JSON with keys in reverse order and random spacing: the same schema, written differently. */
function rewrite(value: unknown, pad: string): string {
  if (Array.isArray(value)) return `[${pad}${value.map((v) => rewrite(v, pad)).join(`,${pad}`)}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).reverse();
    return `{${pad}${entries.map(([k, v]) => `${JSON.stringify(k)}${pad}:${rewrite(v, pad)}`).join(`,${pad}`)}}`;
  }
  return JSON.stringify(value);
}

describe('Avro canonical form properties', () => {
  const parsesOrSkips = (s: unknown) => {
    try {
      return parse(s);
    } catch (err) {
      if (err instanceof InvalidSchemaError) return undefined; // random names may repeat; not the property under test
      throw err;
    }
  };

  it('is a fixed point: the canonical text of the canonical text is itself', () => {
    fc.assert(
      fc.property(avroSchema.record, (schema) => {
        const parsed = parsesOrSkips(schema);
        if (!parsed) return;
        expect(parse(parsed.canonical).canonical).toBe(parsed.canonical);
        expect(parse(parsed.normalized).normalized).toBe(parsed.normalized);
      }),
      { numRuns: 200 },
    );
  });

  it('ignores key order and whitespace', () => {
    fc.assert(
      fc.property(avroSchema.record, fc.constantFrom('', ' ', '\n  ', '\t'), (schema, pad) => {
        const parsed = parsesOrSkips(schema);
        if (!parsed) return;
        expect(parse(rewrite(schema, pad)).canonical).toBe(parsed.canonical);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the meaning: the canonical text parses to the same JSON value as the input, primitives collapsed', () => {
    fc.assert(
      fc.property(avroSchema.record, (schema) => {
        const parsed = parsesOrSkips(schema);
        if (!parsed) return;
        expect(JSON.parse(parsed.canonical)).toEqual(schema);
      }),
      { numRuns: 200 },
    );
  });
});
