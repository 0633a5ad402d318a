// The Confluent wire format of a Kafka message value: magic byte, schema id, Protobuf message indexes, payload.
// Shared by the registry (message indexes of a schema) and by generated code.

export const MAGIC_BYTE = 0;

/** Zig-zag varint, as Kafka's ByteUtils.writeVarint: v → (v << 1) ^ (v >> 31), then LEB128. */
function writeVarint(value: number, out: number[]): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function readVarint(bytes: Uint8Array, offset: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  let i = offset;
  for (;;) {
    if (i >= bytes.length) throw new RangeError('Truncated varint in message indexes');
    const b = bytes[i++]!;
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new RangeError('Varint too long in message indexes');
  }
  result >>>= 0;
  return [(result >>> 1) ^ -(result & 1), i];
}

/** The message-index array: `[0]` (the first top-level message) is the single byte 0x00. */
export function encodeMessageIndexes(indexes: readonly number[]): Uint8Array {
  if (indexes.length === 1 && indexes[0] === 0) return Uint8Array.of(0);
  const out: number[] = [];
  writeVarint(indexes.length, out);
  for (const i of indexes) writeVarint(i, out);
  return Uint8Array.from(out);
}

/** Reads message indexes at `offset`; a count of 0 means `[0]`. Returns the indexes and the offset after them. */
export function decodeMessageIndexes(bytes: Uint8Array, offset = 0): { indexes: number[]; next: number } {
  const [count, afterCount] = readVarint(bytes, offset);
  if (count === 0) return { indexes: [0], next: afterCount };
  if (count < 0 || count > 64) throw new RangeError(`Invalid message index count ${count}`);
  const indexes: number[] = [];
  let next = afterCount;
  for (let k = 0; k < count; k++) {
    const [value, after] = readVarint(bytes, next);
    indexes.push(value);
    next = after;
  }
  return { indexes, next };
}

/** Frames a payload: 0x00, the big-endian schema id, message indexes (Protobuf only), then the payload. */
export function frame(schemaId: number, payload: Uint8Array, messageIndexes?: readonly number[]): Uint8Array {
  const indexes = messageIndexes ? encodeMessageIndexes(messageIndexes) : new Uint8Array(0);
  const out = new Uint8Array(5 + indexes.length + payload.length);
  out[0] = MAGIC_BYTE;
  new DataView(out.buffer).setInt32(1, schemaId, false);
  out.set(indexes, 5);
  out.set(payload, 5 + indexes.length);
  return out;
}

/** The schema id of a framed message, after checking its length and magic byte: what a decoder reads first. */
export function schemaIdOf(bytes: Uint8Array): number {
  if (bytes.length < 5) throw new RangeError('Message too short for the Confluent wire format');
  if (bytes[0] !== MAGIC_BYTE) throw new RangeError(`Unknown magic byte ${bytes[0]}`);
  return (bytes[1]! << 24) | (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!;
}

/** Splits a framed message; `protobuf` says whether message indexes follow the id. */
export function unframe(bytes: Uint8Array, protobuf = false): { schemaId: number; messageIndexes?: number[]; payload: Uint8Array } {
  const schemaId = schemaIdOf(bytes);
  if (!protobuf) return { schemaId, payload: bytes.subarray(5) };
  const { indexes, next } = decodeMessageIndexes(bytes, 5);
  return { schemaId, messageIndexes: indexes, payload: bytes.subarray(next) };
}
