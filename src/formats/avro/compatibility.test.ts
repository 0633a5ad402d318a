import { describe, expect, it } from 'vitest';
import { avroFormat } from './index.js';
import type { AvroParsed } from './index.js';
import { checkAvroReader } from './compatibility.js';

const parse = (schema: unknown) =>
  avroFormat.parse(JSON.stringify(schema), [], { validate: false, normalize: false, maxDepth: 64 }) as AvroParsed;

/** Findings when `reader` (the new schema) reads data written with `writer` (the old one). */
const check = (reader: unknown, writer: unknown) =>
  checkAvroReader(parse(reader).native, parse(writer).native, { reader: 'new', writer: 'old' });

const record = (fields: unknown[], name = 'R', extra: object = {}) => ({ type: 'record', name, fields, ...extra });

describe('Avro reader/writer resolution', () => {
  it('accepts identical schemas and the promotions the spec allows', () => {
    expect(check('int', 'int')).toEqual([]);
    for (const [reader, writer] of [
      ['long', 'int'],
      ['float', 'int'],
      ['float', 'long'],
      ['double', 'int'],
      ['double', 'long'],
      ['double', 'float'],
      ['bytes', 'string'],
      ['string', 'bytes'],
    ]) {
      expect(check(reader, writer), `${writer} → ${reader}`).toEqual([]);
    }
  });

  it('TYPE_MISMATCH: no promotion from long to int, with a hint naming what would work', () => {
    const [finding, ...rest] = check(record([{ name: 'a', type: 'int' }]), record([{ name: 'a', type: 'long' }]));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rule: 'TYPE_MISMATCH', path: '/fields/0/type', detail: 'reader type: INT not compatible with writer type: LONG' });
    expect(finding!.hint).toMatch(/keep long or use one it promotes to \(float, double\)/);
  });

  it('READER_FIELD_MISSING_DEFAULT_VALUE: a new field without default, hinting at the default', () => {
    const findings = check(record([{ name: 'id', type: 'string' }, { name: 'currency', type: 'string' }]), record([{ name: 'id', type: 'string' }]));
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields/1', detail: 'currency', hint: "give field 'currency' a default" }),
    ]);
    expect(check(record([{ name: 'id', type: 'string' }, { name: 'currency', type: 'string', default: 'USD' }]), record([{ name: 'id', type: 'string' }]))).toEqual([]);
  });

  it('matches renamed fields through the reader’s aliases only', () => {
    const old = record([{ name: 'total', type: 'double' }]);
    expect(check(record([{ name: 'amount', type: 'double', aliases: ['total'] }]), old)).toEqual([]);
    expect(check(record([{ name: 'amount', type: 'double' }]), old)).toEqual([expect.objectContaining({ rule: 'READER_FIELD_MISSING_DEFAULT_VALUE' })]);
  });

  it('NAME_MISMATCH: a renamed record without alias; namespaces alone do not matter', () => {
    expect(check(record([], 'B'), record([], 'A'))).toEqual([
      expect.objectContaining({ rule: 'NAME_MISMATCH', path: '/name', detail: 'expected: A', hint: "keep the name 'A', or add the alias 'A' to 'B'" }),
    ]);
    expect(check(record([], 'B', { aliases: ['A'] }), record([], 'A'))).toEqual([]);
    expect(check(record([], 'R', { namespace: 'x' }), record([], 'R', { namespace: 'y' }))).toEqual([]);
  });

  it('FIXED_SIZE_MISMATCH', () => {
    expect(check({ type: 'fixed', name: 'F', size: 4 }, { type: 'fixed', name: 'F', size: 8 })).toEqual([
      expect.objectContaining({ rule: 'FIXED_SIZE_MISMATCH', path: '/size', detail: 'expected: 8, found: 4', hint: expect.stringMatching(/keep size 8/) }),
    ]);
  });

  it('MISSING_ENUM_SYMBOLS, unless the reader enum has a default', () => {
    const writer = { type: 'enum', name: 'Currency', symbols: ['USD', 'EUR', 'GBP'] };
    expect(check({ type: 'enum', name: 'Currency', symbols: ['USD'] }, writer)).toEqual([
      expect.objectContaining({
        rule: 'MISSING_ENUM_SYMBOLS',
        path: '/symbols',
        detail: '[EUR, GBP]',
        hint: "keep symbols 'EUR', 'GBP' or add an enum default to 'Currency'",
      }),
    ]);
    expect(check({ type: 'enum', name: 'Currency', symbols: ['USD'], default: 'USD' }, writer)).toEqual([]);
  });

  it('MISSING_UNION_BRANCH: union reader lacking a writer branch, at the writer branch index', () => {
    expect(check(['null', 'string'], ['null', 'string', 'int'])).toEqual([
      expect.objectContaining({ rule: 'MISSING_UNION_BRANCH', path: '/2', detail: 'reader union lacking writer type: INT' }),
    ]);
    expect(check(['null', 'string'], 'int')).toEqual([expect.objectContaining({ rule: 'MISSING_UNION_BRANCH', path: '/' })]);
    expect(check(['null', 'long'], 'int')).toEqual([]);
  });

  it('a missing field of an enum type with an enum default is still a TYPE_MISMATCH, as in Java (A67)', () => {
    const kind = { type: 'enum', name: 'Kind', symbols: ['A', 'B'], default: 'A' };
    expect(check(record([{ name: 'kind', type: kind }]), record([]))).toEqual([
      expect.objectContaining({ rule: 'TYPE_MISMATCH', path: '/fields/0/type', detail: 'reader type: ENUM not compatible with writer type: RECORD' }),
    ]);
  });

  it('checks a plain reader against every writer branch', () => {
    expect(check(record([{ name: 'a', type: 'int' }]), record([{ name: 'a', type: ['null', 'int'] }]))).toEqual([
      expect.objectContaining({ rule: 'TYPE_MISMATCH', path: '/fields/0/type/0', detail: 'reader type: INT not compatible with writer type: NULL' }),
    ]);
  });

  it('descends into arrays and maps', () => {
    expect(check({ type: 'array', items: 'int' }, { type: 'array', items: 'string' })).toEqual([expect.objectContaining({ path: '/items' })]);
    expect(check({ type: 'map', values: 'int' }, { type: 'map', values: 'string' })).toEqual([expect.objectContaining({ path: '/values' })]);
  });

  it('terminates on recursive schemas', () => {
    const list = (extra: object[]) => record([{ name: 'next', type: ['null', 'R'], default: null }, ...extra]);
    expect(check(list([{ name: 'v', type: 'long' }]), list([{ name: 'v', type: 'int' }]))).toEqual([]);
  });

  it('reports every problem in traversal order', () => {
    const findings = check(
      record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]),
      record([{ name: 'a', type: 'string' }]),
    );
    expect(findings.map((f) => [f.rule, f.path])).toEqual([
      ['TYPE_MISMATCH', '/fields/0/type'],
      ['READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/1'],
    ]);
  });

  it('ignores docs, orders, custom properties and logical types', () => {
    expect(check({ type: 'int', logicalType: 'date' }, 'int')).toEqual([]);
    expect(check(record([{ name: 'a', type: 'int', doc: 'x', order: 'ignore', p: 1 }]), record([{ name: 'a', type: 'int' }]))).toEqual([]);
  });
});
