// Canonical text as Confluent's Jackson mapper writes it (§1.4 of the JSON Schema reference), normalize=true, and the
// equivalence used by deep lookups.
import { describe, expect, it } from 'vitest';
import { jsonSchemaFormat } from './index.js';
import { bigDecimalText } from './text.js';

const parse = (text: string, normalize = false) => jsonSchemaFormat.parse(text, [], { validate: true, normalize, maxDepth: 64 });
const canonicalOf = (value: string) => parse(`{"default":${value}}`).canonical.slice('{"default":'.length, -1);

describe('JSON Schema canonical text (Jackson with Confluent settings)', () => {
  it.each([
    ['1.0', '1.0'],
    ['1e3', '1E+3'],
    ['1E3', '1E+3'],
    ['0.0000001', '1E-7'],
    ['0.000001', '0.000001'],
    ['-0.0', '0.0'],
    ['-0', '0'],
    ['12345678901234567890123', '12345678901234567890123'],
    ['123.4500', '123.4500'],
    ['1.5e-3', '0.0015'],
    ['-2.50E+2', '-250'],
    ['12e-1', '1.2'],
    ['NaN', '"NaN"'],
    ['Infinity', '"Infinity"'],
    ['-Infinity', '"-Infinity"'],
  ])('the number %s is written %s', (input, expected) => {
    expect(canonicalOf(input)).toBe(expected);
  });

  it('BigDecimal.toString rules hold at the edges', () => {
    expect(bigDecimalText('100e0')).toBe('100');
    expect(bigDecimalText('1e-6')).toBe('0.000001');
    expect(bigDecimalText('10e-8')).toBe('1.0E-7');
    expect(bigDecimalText('0e5')).toBe('0E+5');
    expect(bigDecimalText('0.000')).toBe('0.000');
  });

  it('keeps key order, including integer-like keys, and drops whitespace', () => {
    expect(parse('{ "type" : "object",\n "properties": { "2": {}, "10": {}, "a": {}, "1": {} } }').canonical).toBe(
      '{"type":"object","properties":{"2":{},"10":{},"a":{},"1":{}}}',
    );
  });

  it('a duplicate key: the last value wins, at the place of the first', () => {
    expect(parse('{"title":"a","type":"string","title":"b"}').canonical).toBe('{"title":"b","type":"string"}');
  });

  it('strings: non-ASCII and U+2028 raw, control characters escaped in upper-case hex, "/" not escaped', () => {
    expect(parse('{"description":"é\\u2028/\\u0001\\u001f\\n\\t\\"\\\\"}').canonical).toBe('{"description":"é\u2028/\\u0001\\u001F\\n\\t\\"\\\\"}');
  });

  it('normalize sorts keys everywhere by UTF-16 code unit, never array order', () => {
    const text = '{"type":"object","required":["b","a"],"properties":{"b":{"type":"string"},"10":{},"2":{}},"x-meta":{"z":1,"a":[{"y":1,"b":2}]},"default":{"k":1,"a":2}}';
    const parsed = parse(text, true);
    expect(parsed.canonical).toBe(
      '{"default":{"a":2,"k":1},"properties":{"10":{},"2":{},"b":{"type":"string"}},"required":["b","a"],"type":"object","x-meta":{"a":[{"b":2,"y":1}],"z":1}}',
    );
    expect(parse(text).canonical).toBe(text);
    expect(parse(text).normalized).toBe(parsed.canonical);
  });

  it('schemas that differ only in key order are equivalent (deep lookup); type arrays in another order are not', () => {
    expect(parse('{"type":"string","maxLength":3}').equivalence).toBe(parse('{"maxLength":3,"type":"string"}').equivalence);
    expect(parse('{"type":["string","null"]}').equivalence).not.toBe(parse('{"type":["null","string"]}').equivalence);
  });
});

describe('JSON Schema equivalence with references', () => {
  it('the same text with references to different schemas is not equivalent', () => {
    const ref = (schema: string) => [{ name: 'a.json', subject: 'a', version: 1, schemaType: 'JSON' as const, schema }];
    const text = '{"properties":{"x":{"$ref":"a.json"}}}';
    const options = { validate: true, normalize: false, maxDepth: 64 };
    const one = jsonSchemaFormat.parse(text, ref('{"type":"string"}'), options);
    const same = jsonSchemaFormat.parse(text, ref('{ "type" : "string" }'), options);
    const other = jsonSchemaFormat.parse(text, ref('{"type":"number"}'), options);
    expect(one.equivalence).toBe(same.equivalence);
    expect(one.equivalence).not.toBe(other.equivalence);
  });
});
