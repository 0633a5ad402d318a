// The runtime's encode/decode paths (sdk/avro.ts, sdk/protobuf.ts, sdk/codegen.ts) on shapes the golden modules do not
// cover: values larger than the shared encode buffer, decoded records as the generated interfaces, non-Buffer input,
// truncated and trailing bytes; Protobuf wrappers, bytes, Timestamps inside repeated and map fields, checks below the
// top message, and the caller's value left as it was.
import avro from 'avsc';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { defineAvroEvent, defineProtobufEvent, resolvedUpcaster } from '../../sdk/codegen.js';
import { frame } from '../../sdk/wire.js';

const noteV1 = JSON.stringify({
  type: 'record',
  name: 'Note',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'tags', type: { type: 'array', items: { type: 'record', name: 'Tag', fields: [{ name: 'label', type: 'string' }] } } },
  ],
});
const noteV2 = JSON.stringify({
  type: 'record',
  name: 'Note',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'tags', type: { type: 'array', items: { type: 'record', name: 'Tag', fields: [{ name: 'label', type: 'string' }] } } },
    { name: 'body', type: 'string', default: '' },
  ],
});

interface NoteV1 {
  id: string;
  tags: { label: string }[];
}
interface Note extends NoteV1 {
  body: string;
}

const notes = defineAvroEvent<Note>({
  subject: 'notes-value',
  versions: [
    { version: 1, id: 11, schema: noteV1 },
    { version: 2, id: 12, schema: noteV2 },
  ],
  upcasters: [resolvedUpcaster<NoteV1, Note>(noteV1, noteV2)],
});

describe('Avro runtime', () => {
  it('decodes records that are the generated interfaces: own fields only, no avsc methods', () => {
    const value: Note = { id: 'n-1', tags: [{ label: 'a' }, { label: 'b' }], body: 'hello' };
    const decoded = notes.decode(notes.encode(value));
    expect(decoded).toEqual(value);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(value);
    expect(Object.keys(decoded)).toEqual(['id', 'tags', 'body']);
    expect({ ...decoded.tags[0] }).toEqual({ label: 'a' });
    for (const record of [decoded, decoded.tags[0]!]) {
      expect('toBuffer' in record || 'clone' in record || 'isValid' in record).toBe(false);
    }
  });

  it('encodes values larger than the shared buffer, and each result owns its bytes', () => {
    const big: Note = { id: 'big', tags: Array.from({ length: 5000 }, (_, i) => ({ label: `label-${i}` })), body: 'x'.repeat(300_000) };
    const small: Note = { id: 'small', tags: [], body: '' };
    const a = notes.encode(small);
    const b = notes.encode(big);
    const c = notes.encode(small);
    expect(b.length).toBeGreaterThan(300_000);
    expect(notes.decode(b)).toEqual(big);
    expect(notes.decode(a)).toEqual(small);
    expect(a.equals(c)).toBe(true);
    expect(a.buffer === c.buffer && a.byteOffset === c.byteOffset).toBe(false);
    expect(b.readInt32BE(1)).toBe(12);
  });

  it('reads a Uint8Array that is not a Buffer, and a subarray of a larger buffer', () => {
    const value: Note = { id: 'n-2', tags: [], body: 'é' };
    const bytes = notes.encode(value);
    expect(notes.decode(new Uint8Array(bytes))).toEqual(value);
    const padded = Buffer.concat([Buffer.from('junk'), bytes]);
    expect(notes.decode(padded.subarray(4))).toEqual(value);
  });

  it('old-version bytes read through the resolved step give what the upcaster gives', () => {
    const v1: NoteV1 = { id: 'n-3', tags: [{ label: 'old' }] };
    const bytes = frame(11, avro.Type.forSchema(JSON.parse(noteV1)).toBuffer(v1));
    expect(notes.decode(bytes)).toEqual({ ...v1, body: '' });
    expect(resolvedUpcaster<NoteV1, Note>(noteV1, noteV2)(v1)).toEqual(notes.decode(bytes));
  });

  it('refuses truncated and trailing bytes, a wrong magic byte and a short frame', () => {
    const bytes = notes.encode({ id: 'n-4', tags: [], body: 'text' });
    expect(() => notes.decode(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
    expect(() => notes.decode(Buffer.concat([bytes, Buffer.of(1)]))).toThrow(/trailing data/);
    expect(() => notes.decode(Buffer.concat([Buffer.of(1), bytes.subarray(1)]))).toThrow(/magic byte 1/);
    expect(() => notes.decode(bytes.subarray(0, 3))).toThrow(/too short/);
    expect(() => notes.decode(frame(99, bytes.subarray(5)))).toThrow(/schema id 99 .* decodeAsync/);
  });
});

const KITCHEN = `syntax = "proto3";
package test.v1;
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

message Kitchen {
  google.protobuf.StringValue nickname = 1;
  google.protobuf.Int64Value big = 2;
  google.protobuf.BytesValue blob = 3;
  bytes raw = 4;
  repeated bytes chunks = 5;
  repeated google.protobuf.Timestamp seen = 6;
  map<string, google.protobuf.Timestamp> deadlines = 7;
  Inner inner = 8;
  repeated Inner inners = 9;
  repeated google.protobuf.StringValue aliases = 10;
}

message Inner {
  uint64 count = 1;
  bytes tag = 2;
  oneof pick {
    string a = 3;
    string b = 4;
  }
}
`;

interface Inner {
  count: string;
  tag: Uint8Array;
  a?: string;
  b?: string;
  pick?: 'a' | 'b';
}
interface Kitchen {
  nickname: string | null;
  big: string | null;
  blob: Uint8Array | null;
  raw: Uint8Array;
  chunks: Uint8Array[];
  seen: Date[];
  deadlines: Record<string, Date>;
  inner: Inner | null;
  inners: Inner[];
  aliases: (string | null)[];
}

const kitchen = defineProtobufEvent<Kitchen>({
  subject: 'kitchen-value',
  versions: [{ version: 1, id: 21, message: 'test.v1.Kitchen', indexes: [0], files: [{ name: 'kitchen.proto', source: KITCHEN }] }],
  upcasters: [],
});

const sample: Kitchen = {
  nickname: 'k',
  big: '-9223372036854775808',
  blob: Uint8Array.of(1, 2, 3),
  raw: Uint8Array.of(9, 8),
  chunks: [Uint8Array.of(1), Uint8Array.of()],
  seen: [new Date('2020-01-01T00:00:00.001Z'), new Date('1969-12-31T23:59:59.999Z')],
  deadlines: { ship: new Date('2030-06-01T12:00:00Z') },
  inner: { count: '18446744073709551615', tag: Uint8Array.of(7), b: 'bee', pick: 'b' },
  inners: [{ count: '1', tag: new Uint8Array(0), a: 'ay', pick: 'a' }],
  aliases: ['x', 'y'],
};

describe('Protobuf runtime', () => {
  it('round-trips wrappers, bytes, Timestamps in repeated and map fields, and nested messages', () => {
    const decoded = kitchen.decode(kitchen.encode(sample));
    expect(decoded).toEqual(sample);
    expect(decoded.seen[1]).toBeInstanceOf(Date);
    expect(decoded.deadlines.ship).toBeInstanceOf(Date);
    for (const bytes of [decoded.raw, decoded.blob, decoded.chunks[0], decoded.inner!.tag]) {
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(bytes)).toBe(false);
    }
  });

  it('absent wrappers and messages read as null, and the defaults of the rest', () => {
    const empty = { nickname: null, big: null, blob: null, raw: new Uint8Array(0), chunks: [], seen: [], deadlines: {}, inner: null, inners: [], aliases: [] };
    expect(kitchen.decode(kitchen.encode(empty))).toEqual(empty);
  });

  it('decoded bytes are copies: the message buffer can be reused', () => {
    const bytes = kitchen.encode(sample);
    const decoded = kitchen.decode(bytes);
    bytes.fill(0, 7);
    expect(decoded.raw).toEqual(Uint8Array.of(9, 8));
    expect(decoded.inner!.tag).toEqual(Uint8Array.of(7));
  });

  it('leaves the value it encodes as it was', () => {
    const value = structuredClone(sample);
    kitchen.encode(value);
    expect(value).toEqual(sample);
    expect(value.seen[0]).toBeInstanceOf(Date);
  });

  it('checks 64-bit values and oneofs in nested messages too', () => {
    expect(() => kitchen.encode({ ...sample, inner: { ...sample.inner!, count: '-1' } })).toThrow(/: inner\.count: expected uint64 \(a decimal string or a safe integer\), got "-1"$/);
    expect(() => kitchen.encode({ ...sample, inner: { ...sample.inner!, count: '18446744073709551616' } })).toThrow(/inner\.count: expected uint64/);
    expect(() => kitchen.encode({ ...sample, inners: [{ count: '1', tag: new Uint8Array(0), a: 'x', b: 'y' }] })).toThrow(/oneof pick has a and b set/);
    expect(kitchen.decode(kitchen.encode({ ...sample, inner: { ...sample.inner!, count: 5 as unknown as string } })).inner!.count).toBe('5');
  });

  it('writes what protobufjs reads from the same file', () => {
    const root = new protobuf.Root();
    const common = (protobuf as unknown as { common: { get(p: string): { nested: Record<string, protobuf.AnyNestedObject> } | null } }).common;
    root.addJSON(common.get('google/protobuf/timestamp.proto')!.nested);
    root.addJSON(common.get('google/protobuf/wrappers.proto')!.nested);
    protobuf.parse(KITCHEN, root, { keepCase: true });
    const type = root.lookupType('test.v1.Kitchen');
    const read = type.toObject(type.decode(kitchen.encode(sample).subarray(6)), { longs: String, bytes: Array }) as Record<string, unknown>;
    expect(read).toMatchObject({
      nickname: { value: 'k' },
      big: { value: '-9223372036854775808' },
      blob: { value: [1, 2, 3] },
      seen: [{ seconds: '1577836800', nanos: 1_000_000 }, { seconds: '-1', nanos: 999_000_000 }],
      inner: { count: '18446744073709551615', b: 'bee' },
    });
  });
});
