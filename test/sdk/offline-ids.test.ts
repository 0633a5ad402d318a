// A module generated offline carries schema id 0 (only a registry assigns ids): it decodes, but refuses to encode,
// since no consumer could read a message framed with id 0.
import { describe, expect, it } from 'vitest';
import { defineAvroEvent } from '../../sdk/codegen.js';

const schema = JSON.stringify({ type: 'record', name: 'OrderPlaced', fields: [{ name: 'orderId', type: 'string' }] });

describe('offline-generated codecs (schema id 0)', () => {
  it('refuse to encode, naming what to do; registered ids encode', () => {
    const offline = defineAvroEvent<{ orderId: string }>({ subject: 'o-value', versions: [{ version: 1, id: 0, schema }], upcasters: [] });
    expect(() => offline.encode({ orderId: 'o-1' })).toThrow(/generated offline .* generate it with --registry/);
    const registered = defineAvroEvent<{ orderId: string }>({ subject: 'o-value', versions: [{ version: 1, id: 7, schema }], upcasters: [] });
    const bytes = registered.encode({ orderId: 'o-1' });
    expect(bytes.readInt32BE(1)).toBe(7);
    expect(registered.decode(bytes)).toEqual({ orderId: 'o-1' });
  });
});
