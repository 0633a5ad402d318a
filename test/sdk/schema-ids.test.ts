// The three framings Confluent's clients write (sdk/schema-ids.ts), byte for byte as @confluentinc/schemaregistry's
// SchemaId reads and writes them, each turned into the magic-byte-0 form the decoders read.
import { SchemaId } from '@confluentinc/schemaregistry';
import { describe, expect, it } from 'vitest';
import { guidFromBytes, guidToBytes, schemaReferenceOf, VALUE_SCHEMA_ID_HEADER } from '../../sdk/schema-ids.js';

const GUID = 'd629bb05-ad85-3d20-fbcb-895de3c459f7';
const payload = Buffer.from('payload');
const v0 = (id: number, rest: Buffer) => Buffer.concat([Buffer.of(0, 0, 0, id >> 8, id & 0xff), rest]);

describe('schemaReferenceOf', () => {
  it('GUID bytes are Confluent’s: most significant half first, as SchemaId.guidToBytes writes them', () => {
    const theirs = new SchemaId('AVRO', undefined, GUID).guidToBytes();
    expect(Buffer.from(guidToBytes(GUID))).toEqual(theirs.subarray(1));
    expect(guidFromBytes(theirs.subarray(1))).toBe(GUID);
  });

  it('magic byte 0 in the value: the value as it is', () => {
    const ref = schemaReferenceOf(v0(7, payload));
    expect(ref).toMatchObject({ kind: 'id', id: 7 });
    expect(Buffer.from(ref.kind === 'id' ? ref.prefixed() : [])).toEqual(v0(7, payload));
  });

  it('magic byte 1 in the value, with Protobuf message indexes: the id put in the GUID’s place, indexes kept', () => {
    const theirs = new SchemaId('PROTOBUF', undefined, GUID, [1, 0]).guidToBytes();
    const ref = schemaReferenceOf(Buffer.concat([theirs, payload]));
    if (ref.kind !== 'guid') throw new Error('expected a GUID');
    expect(ref.guid).toBe(GUID);
    expect(Buffer.from(ref.prefixed(300))).toEqual(v0(300, Buffer.concat([theirs.subarray(17), payload])));
  });

  it('the GUID (or an id) in the header, the payload alone in the value; the header wins, its last value counts', () => {
    const header = new SchemaId('PROTOBUF', undefined, GUID, [2]).guidToBytes();
    const ref = schemaReferenceOf(payload, { [VALUE_SCHEMA_ID_HEADER]: [Buffer.of(9), header] });
    if (ref.kind !== 'guid') throw new Error('expected a GUID');
    expect(Buffer.from(ref.prefixed(5))).toEqual(v0(5, Buffer.concat([header.subarray(17), payload])));

    const idHeader = new SchemaId('AVRO', 42).idToBytes();
    const byId = schemaReferenceOf(payload, { [VALUE_SCHEMA_ID_HEADER]: idHeader, other: 'x' });
    expect(byId).toMatchObject({ kind: 'id', id: 42 });
    expect(Buffer.from(byId.kind === 'id' ? byId.prefixed() : [])).toEqual(v0(42, payload));
  });

  it('refuses an unknown magic byte and a short frame, naming where', () => {
    expect(() => schemaReferenceOf(Buffer.of(2, 0, 0, 0, 1))).toThrow(/Unknown magic byte 2$/);
    expect(() => schemaReferenceOf(Buffer.of(1, 2, 3))).toThrow(/too short .*GUID/);
    expect(() => schemaReferenceOf(Buffer.of(0, 1))).toThrow(/too short/);
    expect(() => schemaReferenceOf(payload, { [VALUE_SCHEMA_ID_HEADER]: Buffer.of(7, 1, 2, 3, 4) })).toThrow(/magic byte 7 in the __value_schema_id header/);
  });
});
