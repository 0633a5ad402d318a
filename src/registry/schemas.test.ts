import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors.js';
import { parseSchema } from './schemas.js';

describe('parseSchema on arbitrary input', () => {
  it('answers 42201 (a RegistryError of kind invalid_schema) or a parsed schema, never anything else', () => {
    const odd = fc.constantFrom(
      'syntax = "proto3"; message A { map<',
      'message { }',
      'CgdzY2hlbWE=',
      'Cg==',
      'syntax="proto2"; message A { optional group G = 1 { } }',
      '{"type":"record","name":"A","fields":[{"name":"a","type":{"type":"array"}}]}',
      '[[[[[[[[[[[[[[[[[[[[[[[[[[[[["int"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.json(), odd), (text) => {
        for (const schemaType of ['AVRO', 'PROTOBUF', 'JSON']) {
          try {
            parseSchema({ schemaType, schema: text, references: [], validate: true, normalize: false }, 64);
          } catch (err) {
            expect(err).toBeInstanceOf(RegistryError);
            expect((err as RegistryError).kind).toBe('invalid_schema');
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
