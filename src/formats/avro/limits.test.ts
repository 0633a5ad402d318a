// The size limits on Avro schemas: each at its limit is accepted, one over is rejected naming the limit and its setting,
// before the tree is built or avsc loads anything.
import { describe, expect, it } from 'vitest';
import { InvalidSchemaError } from '../format.js';
import { DEFAULT_LIMITS, type SchemaLimits } from '../limits.js';
import { avroFormat } from './index.js';

const SMALL: SchemaLimits = { maxFields: 3, maxUnionBranches: 3, maxEnumSymbols: 3, maxReferences: 3, maxNameLength: 8, maxTypes: 3 };

const parse = (schema: unknown, limits: SchemaLimits = SMALL, validate = true) =>
  avroFormat.parse(JSON.stringify(schema), [], { validate, normalize: false, maxDepth: 64, limits });

function rejection(schema: unknown, limits: SchemaLimits = SMALL): string {
  try {
    parse(schema, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSchemaError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(schema).slice(0, 200)} to be rejected`);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const record = (name: string, fields: unknown[]) => ({ type: 'record', name, fields });
const fieldsOf = (n: number) => range(n).map((i) => ({ name: `f${i}`, type: 'int' }));

describe('Avro size limits', () => {
  it('fields per record: at the limit accepted, one over rejected naming the record, the count and ACCORD_MAX_FIELDS', () => {
    expect(() => parse(record('R', fieldsOf(3)))).not.toThrow();
    expect(rejection(record('R', fieldsOf(4)))).toBe('record R has 4 fields, more than the limit of 3 (ACCORD_MAX_FIELDS)');
    // A nested record is counted on its own, and an error type like a record.
    expect(rejection(record('R', [{ name: 'a', type: { type: 'error', name: 'E', fields: fieldsOf(4) } }]))).toMatch(/^record E has 4 fields/);
  });

  it('union branches: at the limit accepted, one over rejected with ACCORD_MAX_UNION_BRANCHES', () => {
    expect(() => parse(['null', 'int', 'string'])).not.toThrow();
    expect(rejection(['null', 'int', 'string', 'long'])).toBe('A union has 4 branches, more than the limit of 3 (ACCORD_MAX_UNION_BRANCHES)');
    // A union inside a field, an array and a map is found too.
    expect(rejection(record('R', [{ name: 'a', type: { type: 'map', values: { type: 'array', items: ['null', 'int', 'string', 'long'] } } }]))).toMatch(/union has 4 branches/);
  });

  it('enum symbols: at the limit accepted, one over rejected with ACCORD_MAX_ENUM_SYMBOLS', () => {
    expect(() => parse({ type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] })).not.toThrow();
    expect(rejection({ type: 'enum', name: 'E', symbols: ['A', 'B', 'C', 'D'] })).toBe('enum E has 4 symbols, more than the limit of 3 (ACCORD_MAX_ENUM_SYMBOLS)');
  });

  it('named types per schema: records, enums and fixed, nested ones included, against ACCORD_MAX_TYPES', () => {
    const types = (n: number) => record('R', range(n - 1).map((i) => ({ name: `f${i}`, type: { type: 'fixed', name: `F${i}`, size: 1 } })));
    expect(() => parse(types(3))).not.toThrow();
    expect(rejection(types(4))).toBe('The schema has 4 named types, more than the limit of 3 (ACCORD_MAX_TYPES)');
  });

  it('name lengths: type, namespace, field, symbol and type-use names against ACCORD_MAX_NAME_LENGTH', () => {
    expect(() => parse(record('N2345678', [{ name: 'f2345678', type: 'int' }]))).not.toThrow();
    const setting = /is 9 characters long, more than the limit of 8 \(ACCORD_MAX_NAME_LENGTH\)$/;
    expect(rejection(record('N23456789', []))).toMatch(setting);
    expect(rejection({ ...record('R', []), namespace: 'n23456789' })).toMatch(setting);
    expect(rejection(record('R', [{ name: 'f23456789', type: 'int' }]))).toMatch(/^A field of record R 'f23456789' is 9 characters long/);
    expect(rejection({ type: 'enum', name: 'E', symbols: ['S23456789'] })).toMatch(setting);
    expect(rejection(record('R', [{ name: 'a', type: 'Unknown12' }]))).toMatch(setting);
  });

  it('applies to schemas parsed leniently too (a lookup parses the request without validation)', () => {
    expect(() => parse(record('R', fieldsOf(4)), SMALL, false)).toThrow(/ACCORD_MAX_FIELDS/);
  });

  it('without limits (stored history) a schema over them still loads', () => {
    expect(() => avroFormat.parse(JSON.stringify(record('R', fieldsOf(4))), [], { validate: false, normalize: false, maxDepth: 64 })).not.toThrow();
  });

  it('with the defaults, the widest record accepted loads and a 100,000-branch union is refused before avsc sees it', () => {
    expect(() => parse(record('R', fieldsOf(DEFAULT_LIMITS.maxFields)), DEFAULT_LIMITS)).not.toThrow();
    expect(rejection(record('R', fieldsOf(DEFAULT_LIMITS.maxFields + 1)), DEFAULT_LIMITS)).toBe(
      `record R has ${DEFAULT_LIMITS.maxFields + 1} fields, more than the limit of ${DEFAULT_LIMITS.maxFields} (ACCORD_MAX_FIELDS)`,
    );
    const union = range(100_000).map((i) => record(`R${i}`, []));
    expect(rejection(union, DEFAULT_LIMITS)).toBe(`A union has 100000 branches, more than the limit of ${DEFAULT_LIMITS.maxUnionBranches} (ACCORD_MAX_UNION_BRANCHES)`);
    expect(() => parse(union.slice(0, DEFAULT_LIMITS.maxUnionBranches), DEFAULT_LIMITS)).not.toThrow();
  });
});
