// A schema whose $ref chains run deeper than the depth limit only where many references enter one long chain at
// different points must be refused as invalid (422), never exhaust the stack when compared (review finding: a 500).
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
import { RegistryError } from '../../registry/errors.js';
import { SchemaTaskRunner, type CheckTask, type ParseTask } from '../../registry/schema-tasks.js';

describe('JSON Schema depth through $refs', () => {
  it('refuses a chain entered at many points as an invalid schema, in parse or check', () => {
    const [chain, entries, levels] = [900, 60, 25];
    const nest = (inner: unknown) => {
      let node = inner;
      for (let j = 0; j < levels; j++) node = { type: 'object', properties: { x: node } };
      return node;
    };
    const definitions: Record<string, unknown> = {};
    for (let i = 0; i < chain; i++) definitions[`d${i}`] = i < chain - 1 ? nest({ $ref: `#/definitions/d${i + 1}` }) : { type: 'object' };
    const properties: Record<string, unknown> = {};
    for (let k = 0; k < entries; k++) properties[`p${k}`] = { $ref: `#/definitions/d${Math.floor((chain * (entries - 1 - k)) / entries)}` };
    const old: Record<string, unknown> = {};
    for (let k = 0; k < entries; k++) old[`p${entries - 1 - k}`] = { $ref: '#/definitions/d' };
    const stored = JSON.stringify({ type: 'object', properties: old, definitions: { d: { type: 'object', properties: { x: { $ref: '#/definitions/d' } } } } });
    const parse: ParseTask = {
      kind: 'parse',
      request: { schemaType: 'JSON', schema: JSON.stringify({ type: 'object', properties, definitions }), references: [], validate: true, normalize: false },
      maxDepth: 64,
      limits: DEFAULT_LIMITS,
    };
    const check: CheckTask = { kind: 'check', candidate: parse, previous: [{ key: '1:x', schemaId: 1, schemaType: 'JSON', schema: stored, references: [], version: 1 }], level: 'BACKWARD' };
    const runner = new SchemaTaskRunner();
    let failure: unknown;
    try {
      runner.run(parse);
      runner.run(check);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(RegistryError);
    expect((failure as RegistryError).kind).toBe('invalid_schema');
  });
});
