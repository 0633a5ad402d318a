// Accord's own cases for the difference types Confluent's vectors never use (54 of 132), each with the differences
// Confluent's rules give and the STRICT verdict; plus the known blind spot, self-compatibility and the finding shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCompatibility } from '../../registry/compatibility.js';
import { COMPATIBILITY_LEVELS } from '../../registry/identifiers.js';
import { diffSchemas } from './diff.js';
import { COMPATIBLE_LENIENT, COMPATIBLE_STRICT, DIFFERENCE_TYPES, type DifferenceType } from './difference-types.js';
import { jsonBlindSpots, jsonSchemaFormat, type JsonSchemaParsed } from './index.js';

const parse = (schema: unknown) => jsonSchemaFormat.parse(typeof schema === 'string' ? schema : JSON.stringify(schema), [], { validate: true, normalize: false, maxDepth: 64 }) as JsonSchemaParsed;
const diff = (o: unknown, u: unknown) => diffSchemas(parse(o).native.root, parse(u).native.root).differences.map((d) => `${d.type} ${d.path}`).sort();
const D4 = 'http://json-schema.org/draft-04/schema#';
const D2020 = 'https://json-schema.org/draft/2020-12/schema';

/** [type, original, update, every difference expected] */
const CASES: [DifferenceType, unknown, unknown, string[]][] = [
  ['DEFAULT_CHANGED', { type: 'string', default: 'a' }, { type: 'string', default: 'b' }, ['DEFAULT_CHANGED #/']],
  ['MAX_LENGTH_ADDED', { type: 'string' }, { type: 'string', maxLength: 5 }, ['MAX_LENGTH_ADDED #/maxLength']],
  ['MIN_LENGTH_ADDED', { type: 'string' }, { type: 'string', minLength: 5 }, ['MIN_LENGTH_ADDED #/minLength']],
  ['MIN_LENGTH_REMOVED', { type: 'string', minLength: 5 }, { type: 'string' }, ['MIN_LENGTH_REMOVED #/minLength']],
  ['PATTERN_ADDED', { type: 'string' }, { type: 'string', pattern: '^a' }, ['PATTERN_ADDED #/pattern']],
  ['MAXIMUM_ADDED', { type: 'number' }, { type: 'number', maximum: 5 }, ['MAXIMUM_ADDED #/maximum']],
  ['MINIMUM_ADDED', { type: 'number' }, { type: 'number', minimum: 5 }, ['MINIMUM_ADDED #/minimum']],
  ['EXCLUSIVE_MAXIMUM_ADDED', { type: 'number' }, { type: 'number', exclusiveMaximum: 5 }, ['EXCLUSIVE_MAXIMUM_ADDED #/exclusiveMaximum']],
  ['EXCLUSIVE_MAXIMUM_REMOVED', { type: 'number', exclusiveMaximum: 5 }, { type: 'number' }, ['EXCLUSIVE_MAXIMUM_REMOVED #/exclusiveMaximum']],
  ['EXCLUSIVE_MAXIMUM_INCREASED', { type: 'number', exclusiveMaximum: 5 }, { type: 'number', exclusiveMaximum: 6 }, ['EXCLUSIVE_MAXIMUM_INCREASED #/exclusiveMaximum']],
  // Confluent compares the old exclusiveMaximum with the new `maximum`: seen only when that is lower too.
  ['EXCLUSIVE_MAXIMUM_DECREASED', { type: 'number', exclusiveMaximum: 5 }, { type: 'number', exclusiveMaximum: 4, maximum: 3 }, ['EXCLUSIVE_MAXIMUM_DECREASED #/exclusiveMaximum', 'MAXIMUM_ADDED #/maximum']],
  ['EXCLUSIVE_MINIMUM_ADDED', { type: 'number' }, { type: 'number', exclusiveMinimum: 5 }, ['EXCLUSIVE_MINIMUM_ADDED #/exclusiveMinimum']],
  ['EXCLUSIVE_MINIMUM_REMOVED', { type: 'number', exclusiveMinimum: 5 }, { type: 'number' }, ['EXCLUSIVE_MINIMUM_REMOVED #/exclusiveMinimum']],
  ['EXCLUSIVE_MINIMUM_INCREASED', { type: 'number', exclusiveMinimum: 5 }, { type: 'number', exclusiveMinimum: 6 }, ['EXCLUSIVE_MINIMUM_INCREASED #/exclusiveMinimum']],
  ['EXCLUSIVE_MINIMUM_DECREASED', { type: 'number', exclusiveMinimum: 5 }, { type: 'number', exclusiveMinimum: 4 }, ['EXCLUSIVE_MINIMUM_DECREASED #/exclusiveMinimum']],
  ['MULTIPLE_OF_ADDED', { type: 'number' }, { type: 'number', multipleOf: 2 }, ['MULTIPLE_OF_ADDED #/multipleOf']],
  ['MULTIPLE_OF_EXPANDED', { type: 'number', multipleOf: 0.5 }, { type: 'number', multipleOf: 10 }, ['MULTIPLE_OF_EXPANDED #/multipleOf']],
  ['REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED', { properties: { a: { type: 'string' } } }, { properties: { a: { type: 'string', default: 'x' } }, required: ['a'] }, ['DEFAULT_CHANGED #/properties/a', 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED #/required/a']],
  ['MAX_PROPERTIES_ADDED', { type: 'object' }, { type: 'object', maxProperties: 3 }, ['MAX_PROPERTIES_ADDED #/maxProperties']],
  ['MIN_PROPERTIES_ADDED', { type: 'object' }, { type: 'object', minProperties: 3 }, ['MIN_PROPERTIES_ADDED #/minProperties']],
  ['ADDITIONAL_PROPERTIES_EXTENDED', { type: 'object', additionalProperties: { type: 'string' } }, { type: 'object' }, ['ADDITIONAL_PROPERTIES_EXTENDED #/additionalProperties']],
  ['DEPENDENCY_ARRAY_EXTENDED', { dependencies: { a: ['b'] } }, { dependencies: { a: ['b', 'c'] } }, ['DEPENDENCY_ARRAY_EXTENDED #/dependencies/a']],
  ['DEPENDENCY_ARRAY_NARROWED', { dependencies: { a: ['b', 'c'] } }, { dependencies: { a: ['b'] } }, ['DEPENDENCY_ARRAY_NARROWED #/dependencies/a']],
  ['DEPENDENCY_ARRAY_CHANGED', { dependencies: { a: ['b'] } }, { dependencies: { a: ['c'] } }, ['DEPENDENCY_ARRAY_CHANGED #/dependencies/a']],
  ['REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', { type: 'object' }, { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, ['REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a']],
  ['REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL', { type: 'object' }, { type: 'object', properties: { a: { type: 'string', default: 'x' } }, required: ['a'] }, ['REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a']],
  ['REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL', { type: 'object', additionalProperties: false }, { type: 'object', additionalProperties: false, properties: { a: { type: 'string', default: 'x' } }, required: ['a'] }, ['REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a']],
  ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } }, { type: 'object', additionalProperties: false }, ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a']],
  ['UNEVALUATED_PROPERTIES_ADDED', { $schema: D2020, type: 'object', unevaluatedProperties: false }, { $schema: D2020, type: 'object' }, ['UNEVALUATED_PROPERTIES_ADDED #/unevaluatedProperties']],
  ['UNEVALUATED_PROPERTIES_REMOVED', { $schema: D2020, type: 'object' }, { $schema: D2020, type: 'object', unevaluatedProperties: false }, ['UNEVALUATED_PROPERTIES_REMOVED #/unevaluatedProperties']],
  ['UNEVALUATED_PROPERTIES_EXTENDED', { $schema: D2020, type: 'object', unevaluatedProperties: { type: 'string' } }, { $schema: D2020, type: 'object' }, ['UNEVALUATED_PROPERTIES_EXTENDED #/unevaluatedProperties']],
  ['UNEVALUATED_PROPERTIES_NARROWED', { $schema: D2020, type: 'object' }, { $schema: D2020, type: 'object', unevaluatedProperties: { type: 'string' } }, ['UNEVALUATED_PROPERTIES_NARROWED #/unevaluatedProperties']],
  ['MAX_ITEMS_ADDED', { type: 'array' }, { type: 'array', maxItems: 3 }, ['MAX_ITEMS_ADDED #/maxItems']],
  ['MAX_ITEMS_REMOVED', { type: 'array', maxItems: 3 }, { type: 'array' }, ['MAX_ITEMS_REMOVED #/maxItems']],
  ['MAX_ITEMS_INCREASED', { type: 'array', maxItems: 3 }, { type: 'array', maxItems: 4 }, ['MAX_ITEMS_INCREASED #/maxItems']],
  ['MIN_ITEMS_ADDED', { type: 'array' }, { type: 'array', minItems: 3 }, ['MIN_ITEMS_ADDED #/minItems']],
  ['MAX_CONTAINS_ADDED', { $schema: D2020, type: 'array', contains: { type: 'string' } }, { $schema: D2020, type: 'array', contains: { type: 'string' }, maxContains: 2 }, ['MAX_CONTAINS_ADDED #/maxContains']],
  ['MAX_CONTAINS_REMOVED', { $schema: D2020, type: 'array', contains: { type: 'string' }, maxContains: 2 }, { $schema: D2020, type: 'array', contains: { type: 'string' } }, ['MAX_CONTAINS_REMOVED #/maxContains']],
  ['MAX_CONTAINS_INCREASED', { $schema: D2020, type: 'array', contains: { type: 'string' }, maxContains: 2 }, { $schema: D2020, type: 'array', contains: { type: 'string' }, maxContains: 3 }, ['MAX_CONTAINS_INCREASED #/maxContains']],
  ['MAX_CONTAINS_DECREASED', { $schema: D2020, type: 'array', contains: { type: 'string' }, maxContains: 3 }, { $schema: D2020, type: 'array', contains: { type: 'string' }, maxContains: 2 }, ['MAX_CONTAINS_DECREASED #/maxContains']],
  // minContains is filled in with 1 wherever `contains` is: it appears and disappears with `contains`.
  ['MIN_CONTAINS_ADDED', { $schema: D2020, type: 'array' }, { $schema: D2020, type: 'array', contains: { type: 'string' } }, ['MIN_CONTAINS_ADDED #/minContains']],
  ['MIN_CONTAINS_REMOVED', { $schema: D2020, type: 'array', contains: { type: 'string' } }, { $schema: D2020, type: 'array' }, ['MIN_CONTAINS_REMOVED #/minContains']],
  ['UNIQUE_ITEMS_ADDED', { type: 'array' }, { type: 'array', uniqueItems: true }, ['UNIQUE_ITEMS_ADDED #/uniqueItems']],
  ['ADDITIONAL_ITEMS_NARROWED', { type: 'array', items: [{ type: 'string' }] }, { type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'number' } }, ['ADDITIONAL_ITEMS_NARROWED #/additionalItems']],
  ['UNEVALUATED_ITEMS_ADDED', { $schema: D2020, type: 'array', unevaluatedItems: false }, { $schema: D2020, type: 'array' }, ['UNEVALUATED_ITEMS_ADDED #/unevaluatedItems']],
  ['UNEVALUATED_ITEMS_REMOVED', { $schema: D2020, type: 'array' }, { $schema: D2020, type: 'array', unevaluatedItems: false }, ['UNEVALUATED_ITEMS_REMOVED #/unevaluatedItems']],
  ['UNEVALUATED_ITEMS_EXTENDED', { $schema: D2020, type: 'array', unevaluatedItems: { type: 'string' } }, { $schema: D2020, type: 'array' }, ['UNEVALUATED_ITEMS_EXTENDED #/unevaluatedItems']],
  ['UNEVALUATED_ITEMS_NARROWED', { $schema: D2020, type: 'array' }, { $schema: D2020, type: 'array', unevaluatedItems: { type: 'string' } }, ['UNEVALUATED_ITEMS_NARROWED #/unevaluatedItems']],
  ['ITEM_ADDED_TO_OPEN_CONTENT_MODEL', { type: 'array', items: [{ type: 'string' }] }, { type: 'array', items: [{ type: 'string' }, { type: 'number' }] }, ['ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1']],
  ['ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false }, { type: 'array', items: [{ type: 'string' }], additionalItems: false }, ['ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1']],
  ['ENUM_ARRAY_NARROWED', { enum: ['a', 'b'] }, { enum: ['a'] }, ['ENUM_ARRAY_NARROWED #/enum']],
];

/** Declared by Confluent but never emitted by its diff (reserved fields are checked elsewhere; the open-model type was split in 2026). */
const NEVER_EMITTED: DifferenceType[] = ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', 'RESERVED_PROPERTY_REMOVED', 'RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY'];

describe('JSON Schema difference types the Confluent vectors leave out', () => {
  it.each(CASES)('%s', (type, original, update, expected) => {
    expect(diff(original, update)).toEqual([...expected].sort());
    const compatible = expected.every((e) => COMPATIBLE_STRICT.has(e.split(' ')[0] as DifferenceType));
    expect(expected.some((e) => e.startsWith(`${type} `))).toBe(true);
    expect(jsonSchemaFormat.checkReader(parse(update), parse(original), { reader: 'new', writer: 'old' }).length === 0).toBe(compatible);
  });

  it('every type is either covered here, by the vectors, or never emitted', () => {
    expect(DIFFERENCE_TYPES).toHaveLength(132);
    expect(COMPATIBLE_STRICT.size).toBe(65);
    expect(COMPATIBLE_LENIENT.size).toBe(74);
    for (const t of NEVER_EMITTED) expect(DIFFERENCE_TYPES).toContain(t);
  });

  it('draft-04 boolean exclusive limits fold into the limit', () => {
    expect(diff({ $schema: D4, type: 'number', maximum: 5 }, { $schema: D4, type: 'number', maximum: 5, exclusiveMaximum: true })).toEqual(
      ['EXCLUSIVE_MAXIMUM_ADDED #/exclusiveMaximum', 'MAXIMUM_REMOVED #/maximum'].sort(),
    );
  });

  it('multipleOf compares exactly: 0.5 and 0.50 are the same, 0.1 divides 0.3', () => {
    expect(diff({ type: 'number', multipleOf: 0.5 }, { type: 'number', multipleOf: 0.5 })).toEqual([]);
    expect(diff('{"type":"number","multipleOf":0.5}', '{"type":"number","multipleOf":0.50}')).toEqual([]);
    expect(diff({ type: 'number', multipleOf: 0.3 }, { type: 'number', multipleOf: 0.1 })).toEqual(['MULTIPLE_OF_REDUCED #/multipleOf']);
  });
});

describe("Confluent's blind spot: a lowered exclusiveMaximum without a maximum", () => {
  it('keeps the verdict (compatible) and reports the break separately', () => {
    const old = parse({ type: 'number', exclusiveMaximum: 10 });
    const lowered = parse({ type: 'number', exclusiveMaximum: 5 });
    expect(jsonSchemaFormat.checkReader(lowered, old)).toEqual([]);
    expect(jsonBlindSpots(lowered, old)).toEqual([{ what: 'exclusiveMaximum lowered from 10 to 5', pointer: '/exclusiveMaximum' }]);
  });
});

describe('JSON Schema findings', () => {
  it('names the rule, a JSON pointer into the new schema, a sentence and a hint', () => {
    const old = parse({ $schema: D2020, type: 'object', properties: { tags: { type: 'array', prefixItems: [{ type: 'string' }], items: false } } });
    const update = parse({ $schema: D2020, type: 'object', properties: { tags: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false } }, required: [] });
    expect(jsonSchemaFormat.checkReader(update, old, { reader: 'new', writer: 'old' })).toEqual([]);
    const [finding] = jsonSchemaFormat.checkReader(old, update, { reader: 'old', writer: 'new' });
    expect(finding).toMatchObject({ rule: 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', path: '/properties/tags', detail: 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/tags/items/1' });
    expect(finding!.message).toMatch(/old schema removes tuple position 1/);
    expect(finding!.hint).toBeTruthy();
  });
});

// ---- properties

const leaf = fc.oneof(
  fc.constant({}),
  fc.constant(true),
  fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'null'), description: fc.string({ maxLength: 5 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('string'), maxLength: fc.nat(20), pattern: fc.constantFrom('^a', '[0-9]+') }, { requiredKeys: ['type'] }),
  fc.record({ enum: fc.uniqueArray(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('number'), minimum: fc.double({ noNaN: true, noDefaultInfinity: true }), multipleOf: fc.constantFrom(0.5, 2, 10) }, { requiredKeys: ['type'] }),
  fc.record({ const: fc.jsonValue({ maxDepth: 2 }) }),
);
const jsonSchema: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record(
      {
        type: fc.constant('object'),
        properties: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('schema'), { maxKeys: 4 }),
        additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
        default: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['type'] },
    ).map((o) => ({ ...o, required: Object.keys((o as { properties?: object }).properties ?? {}).slice(0, 1) })),
    fc.record({ type: fc.constant('array'), items: fc.oneof(tie('schema'), fc.array(tie('schema'), { minLength: 1, maxLength: 3 })), additionalItems: fc.boolean(), uniqueItems: fc.boolean() }, { requiredKeys: ['type'] }),
    fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ allOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('schema') }),
    fc.record({ type: fc.constant(['string', 'null']) }),
  ),
})).schema;
/** 2020-12 spells a tuple `prefixItems`. */
const to2020 = (s: unknown): unknown => {
  if (Array.isArray(s)) return s.map(to2020);
  if (s === null || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'items' && Array.isArray(v)) out.prefixItems = to2020(v);
    else if (k === 'additionalItems') out.items = v;
    else out[k] = k === 'const' || k === 'default' || k === 'enum' ? v : to2020(v);
  }
  return out;
};
const withDraft = fc
  .tuple(jsonSchema, fc.constantFrom(undefined, 'http://json-schema.org/draft-07/schema#', D2020))
  .map(([s, d]) => (d && typeof s === 'object' ? { $schema: d, ...(d === D2020 ? (to2020(s) as object) : s) } : s));

describe('JSON Schema properties', () => {
  it('canonical text is stable: canonical(canonical(x)) = canonical(x), also normalized', () => {
    fc.assert(
      fc.property(withDraft, (schema) => {
        const once = parse(schema);
        expect(parse(once.canonical).canonical).toBe(once.canonical);
        expect(parse(once.normalized).normalized).toBe(once.normalized);
      }),
      { numRuns: 300 },
    );
  });

  it('a schema is compatible with itself at every level', () => {
    fc.assert(
      fc.property(withDraft, (schema) => {
        const a = parse(schema);
        const b = parse(schema);
        for (const level of COMPATIBILITY_LEVELS) {
          const verdict = checkCompatibility(jsonSchemaFormat, a, [{ version: 1, schemaId: 1, parsed: b }], level);
          expect(verdict.incompatibilities).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
