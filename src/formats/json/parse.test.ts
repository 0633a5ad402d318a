import { describe, expect, it } from 'vitest';
import { InvalidSchemaError, type ResolvedReference } from '../format.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { jsonSchemaFormat, type JsonSchemaParsed } from './index.js';

const parse = (text: string, references: ResolvedReference[] = [], options: Partial<{ normalize: boolean; validate: boolean; maxDepth: number }> = {}) =>
  jsonSchemaFormat.parse(text, references, { validate: true, normalize: false, maxDepth: 64, limits: DEFAULT_LIMITS, ...options }) as JsonSchemaParsed;

const rejected = (text: string, references: ResolvedReference[] = []) => {
  try {
    parse(text, references);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSchemaError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${text}`);
};

const ref = (name: string, schema: unknown, subject = name): ResolvedReference => ({ name, subject, version: 1, schemaType: 'JSON', schema: JSON.stringify(schema) });

const DRAFTS = [
  ['draft-04', 'http://json-schema.org/draft-04/schema#'],
  ['draft-06', 'http://json-schema.org/draft-06/schema#'],
  ['draft-07', 'http://json-schema.org/draft-07/schema#'],
  ['2019-09', 'https://json-schema.org/draft/2019-09/schema'],
  ['2020-12', 'https://json-schema.org/draft/2020-12/schema'],
] as const;

describe('JSON Schema drafts, chosen by $schema', () => {
  it.each(DRAFTS)('%s: accepts a typical event schema and knows its draft', (draft, uri) => {
    const schema = {
      $schema: uri,
      title: 'OrderPlaced',
      type: 'object',
      properties: { id: { type: 'string', minLength: 1 }, total: { type: 'number', minimum: 0 }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['id'],
    };
    expect(parse(JSON.stringify(schema)).native.draft).toBe(draft);
    expect(parse(JSON.stringify({ ...schema, $schema: uri.replace(/#$/, '').replace(/^http:/, 'https:') })).native.draft).toBe(draft);
  });

  it.each(DRAFTS)('%s: refuses a keyword with a value of the wrong kind, naming its JSON pointer', (_draft, uri) => {
    expect(rejected(JSON.stringify({ $schema: uri, properties: { a: { minLength: 'x' } } }))).toMatch(/\/properties\/a\/minLength/);
    expect(rejected(JSON.stringify({ $schema: uri, properties: { a: { type: 'str' } } }))).toMatch(/\/properties\/a\/type is not a JSON Schema type name/);
  });

  it('no $schema means draft-07; an unknown one is refused', () => {
    expect(parse('{"type":"string"}').native.draft).toBe('draft-07');
    expect(rejected('{"$schema":"http://json-schema.org/2019-09/schema#"}')).toMatch(/names no supported draft/);
    expect(rejected('{"$schema":5}')).toMatch(/\/\$schema must be a string/);
  });

  it('draft-specific keywords: boolean exclusiveMaximum only in draft-04, boolean schemas only from draft-06', () => {
    expect(() => parse('{"$schema":"http://json-schema.org/draft-04/schema#","maximum":5,"exclusiveMaximum":true}')).not.toThrow();
    expect(rejected('{"$schema":"http://json-schema.org/draft-07/schema#","maximum":5,"exclusiveMaximum":true}')).toMatch(/exclusiveMaximum/);
    expect(rejected('{"$schema":"http://json-schema.org/draft-04/schema#","properties":{"a":true}}')).toMatch(/\/properties\/a/);
    expect(() => parse('{"$schema":"http://json-schema.org/draft-06/schema#","properties":{"a":true}}')).not.toThrow();
    expect(() => parse('{"$schema":"https://json-schema.org/draft/2020-12/schema","prefixItems":[{"type":"string"}],"items":false}')).not.toThrow();
  });

  it('refuses what Confluent refuses: not JSON, empty, a root that is not an object or boolean', () => {
    expect(rejected('')).toMatch(/empty/);
    expect(rejected('{"type":')).toMatch(/not valid JSON/);
    expect(rejected('"string"')).toMatch(/object or a boolean/);
    expect(rejected('[]')).toMatch(/object or a boolean/);
    expect(rejected('1')).toMatch(/object or a boolean/);
    expect(parse('true').canonical).toBe('true');
    expect(parse('false').canonical).toBe('false');
  });

  it('refuses a pattern that does not compile and a $ref that does not resolve', () => {
    expect(rejected('{"type":"string","pattern":"(unclosed"}')).toMatch(/pattern/);
    expect(rejected('{"patternProperties":{"(":{}}}')).toMatch(/patternProperties/);
    expect(rejected('{"properties":{"a":{"$ref":"#/definitions/missing"}}}')).toMatch(/\$ref '#\/definitions\/missing' at \/properties\/a does not resolve/);
    expect(rejected('{"$ref":"other.json"}')).toMatch(/no reference of that name/);
    expect(rejected('{"$ref":"https://example.com/remote.json"}')).toMatch(/not among the schema's references/);
    expect(rejected('{"$ref":"#"}')).toMatch(/cycle/);
    expect(rejected('{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},"$ref":"#/definitions/a"}')).toMatch(/cycle/);
  });

  it('accepts recursive schemas through $ref', () => {
    const tree = { definitions: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } } } }, $ref: '#/definitions/node' };
    expect(() => parse(JSON.stringify(tree))).not.toThrow();
    expect(() => parse('{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{"n":{"properties":{"next":{"$ref":"#/$defs/n"}}}},"$ref":"#/$defs/n"}')).not.toThrow();
  });

  it('keeps unknown keywords and unknown formats', () => {
    expect(parse('{"type":"string","format":"no-such-format","x-owner":"team","connect.index":1}').canonical).toBe(
      '{"type":"string","format":"no-such-format","x-owner":"team","connect.index":1}',
    );
  });
});

describe('JSON Schema references', () => {
  const address = { type: 'object', properties: { street: { type: 'string' } }, definitions: { Zip: { type: 'string', pattern: '^[0-9]{5}$' } } };

  it('resolves a $ref to a reference name, with or without a fragment', () => {
    expect(() => parse('{"properties":{"a":{"$ref":"address.json"}}}', [ref('address.json', address)])).not.toThrow();
    expect(() => parse('{"properties":{"z":{"$ref":"address.json#/definitions/Zip"}}}', [ref('address.json', address)])).not.toThrow();
    expect(rejected('{"properties":{"z":{"$ref":"address.json#/definitions/Nope"}}}', [ref('address.json', address)])).toMatch(/nothing at that JSON pointer/);
  });

  it('resolves relative to the root $id (Confluent draft-4/6/7) and by absolute name', () => {
    const root = { $id: 'https://acme.com/s/order.json', properties: { a: { $ref: 'address.json' } } };
    expect(() => parse(JSON.stringify(root), [ref('address.json', address)])).not.toThrow();
    expect(() => parse(JSON.stringify(root), [ref('https://acme.com/s/address.json', address)])).not.toThrow();
  });

  it('resolves transitively: a referenced schema referring to another', () => {
    const street = { type: 'string', maxLength: 80 };
    const addr = { type: 'object', properties: { street: { $ref: 'street.json' } } };
    const parsed = parse('{"properties":{"a":{"$ref":"address.json"}}}', [ref('street.json', street), ref('address.json', addr)]);
    expect(parsed.native.root.kind).toBe('object');
  });

  it('refuses a reference of another schema type', () => {
    expect(rejected('{"$ref":"a.avsc"}', [{ name: 'a.avsc', subject: 'a', version: 1, schemaType: 'AVRO', schema: '"string"' }])).toMatch(/not JSON/);
  });
});

describe('JSON Schema size limits', () => {
  it('refuses too many properties, branches and enum values, naming the setting', () => {
    const wide = { properties: Object.fromEntries(Array.from({ length: DEFAULT_LIMITS.maxFields + 1 }, (_, i) => [`p${i}`, {}])) };
    expect(rejected(JSON.stringify(wide))).toMatch(/ACCORD_MAX_FIELDS/);
    expect(rejected(JSON.stringify({ anyOf: Array.from({ length: DEFAULT_LIMITS.maxUnionBranches + 1 }, () => ({})) }))).toMatch(/ACCORD_MAX_UNION_BRANCHES/);
    expect(rejected(JSON.stringify({ enum: Array.from({ length: DEFAULT_LIMITS.maxEnumSymbols + 1 }, (_, i) => i) }))).toMatch(/ACCORD_MAX_ENUM_SYMBOLS/);
  });

  it('refuses nesting deeper than maxDepth', () => {
    let deep: unknown = { type: 'string' };
    for (let i = 0; i < 40; i++) deep = { properties: { a: deep } };
    expect(rejected(JSON.stringify(deep))).toMatch(/nested deeper than the limit of 64/);
  });

  it('refuses a chain of $refs deeper than the comparison can follow', () => {
    const n = 600;
    const definitions = Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}`, { properties: { next: i + 1 < n ? { $ref: `#/definitions/d${i + 1}` } : { type: 'string' } } }]));
    expect(rejected(JSON.stringify({ definitions, $ref: '#/definitions/d0' }))).toMatch(/once its \$refs are followed/);
  });
});

describe('JSON Schema patterns that could hang a comparison', () => {
  it('refuses patternProperties with nested quantifiers (ReDoS) and accepts ordinary ones', () => {
    expect(rejected('{"patternProperties":{"^(a+)+$":{}}}')).toMatch(/nests quantifiers/);
    expect(() => parse('{"patternProperties":{"^(foo|bar)_[0-9]+$":{},"^S_":{"type":"string"}}}')).not.toThrow();
  });
});
