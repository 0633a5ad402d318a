// Where a Kafka message carries its schema: Confluent's three framings, as @confluentinc/schemaregistry 1.10 writes
// and reads them (serde.js: SchemaId, HeaderSchemaIdSerializer, DualSchemaIdDeserializer).
//   - magic byte 0, the int32 big-endian id, [Protobuf message indexes], payload (every client);
//   - magic byte 1, the 16-byte GUID (most significant half first), [message indexes], payload (Confluent 8);
//   - the id or GUID, in one of those two forms with its message indexes, in the `__value_schema_id` (or
//     `__key_schema_id`) header, and the payload alone in the value.
// Decoders turn the last two into the first once the GUID's id is known, so one decoding path serves all three.
import type { KafkaHeaders, KafkaHeaderValue } from './kafka.js';
import { MAGIC_BYTE } from './wire.js';

export const MAGIC_BYTE_V1 = 1;
export const KEY_SCHEMA_ID_HEADER = '__key_schema_id';
export const VALUE_SCHEMA_ID_HEADER = '__value_schema_id';

/** Where toKafkaMessage puts the schema id: before the payload (the default, every client reads it) or in a header. */
export type SchemaIdPlacement = 'payload' | 'header';

export function guidFromBytes(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function guidToBytes(guid: string): Uint8Array {
  const hex = guid.replaceAll('-', '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`Not a schema GUID: ${guid}`);
  return Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

/** The last value of a header as bytes (a string is UTF-8, as Confluent's deserializer reads it). */
function headerBytes(value: KafkaHeaderValue): Uint8Array | undefined {
  const last = Array.isArray(value) ? value.at(-1) : value;
  if (last === undefined) return undefined;
  return typeof last === 'string' ? Buffer.from(last, 'utf8') : last;
}

/**
 * How a message names its schema. `frame` is what follows the id or GUID before the payload (Protobuf's message
 * indexes), and `payload` the rest; `prefixed(id)` rebuilds the magic-byte-0 form every decoder reads.
 */
export type SchemaReferenceOf =
  | { kind: 'id'; id: number; prefixed(): Uint8Array }
  | { kind: 'guid'; guid: string; prefixed(id: number): Uint8Array };

/**
 * Reads the schema reference of a message value: the header first (`__value_schema_id`, or `__key_schema_id` for a
 * key), as Confluent's DualSchemaIdDeserializer does, then the value's own prefix.
 */
export function schemaReferenceOf(value: Uint8Array, headers?: KafkaHeaders, header = VALUE_SCHEMA_ID_HEADER): SchemaReferenceOf {
  const carried = headers ? headerBytes(headers[header]) : undefined;
  // In a header, the id form's bytes (magic, id, message indexes) go before the payload as they are.
  const source = carried ?? value;
  const payload = carried ? value : new Uint8Array(0);
  const join = (head: Uint8Array) => {
    const out = new Uint8Array(head.length + payload.length);
    out.set(head);
    out.set(payload, head.length);
    return out;
  };
  if (source.length >= 5 && source[0] === MAGIC_BYTE) {
    const id = new DataView(source.buffer, source.byteOffset, source.byteLength).getInt32(1, false);
    return { kind: 'id', id, prefixed: () => (carried ? join(source) : value) };
  }
  if (source.length >= 17 && source[0] === MAGIC_BYTE_V1) {
    const guid = guidFromBytes(source.subarray(1, 17));
    return {
      kind: 'guid',
      guid,
      prefixed: (id) => {
        const head = new Uint8Array(source.length - 12);
        head[0] = MAGIC_BYTE;
        new DataView(head.buffer).setInt32(1, id, false);
        head.set(source.subarray(17), 5);
        return join(head);
      },
    };
  }
  const where = carried ? ` in the ${header} header` : '';
  // As schemaIdOf words it (wire.ts): shortness first, then the magic byte.
  if (source[0] === MAGIC_BYTE_V1) throw new RangeError(`Message too short for the 16-byte schema GUID after magic byte 1${where}`);
  if (source.length < 5) throw new RangeError(`Message too short for the Confluent wire format${where}`);
  throw new RangeError(`Unknown magic byte ${source[0]}${where}`);
}

/** Something that turns a GUID into its schema id in the default context: the SDK's SchemaRegistryClient. */
export interface GuidResolver {
  schemaIdOfGuid(guid: string): Promise<number>;
}

/** The magic-byte-0 form of a message value, whichever framing it came in; a GUID is resolved through `client`. */
export async function prefixedValue(value: Uint8Array, headers: KafkaHeaders | undefined, client: GuidResolver | undefined, subject: string): Promise<Uint8Array> {
  const ref = schemaReferenceOf(value, headers);
  if (ref.kind === 'id') return ref.prefixed();
  if (!client) throw new Error(`${subject}: the message names its schema by GUID ${ref.guid}; pass a registry client to resolve it`);
  return ref.prefixed(await client.schemaIdOfGuid(ref.guid));
}

/** The magic-byte-0 form when no lookup is needed; a GUID framing fails, naming what to do instead. */
export function prefixedValueSync(value: Uint8Array, headers: KafkaHeaders | undefined, subject: string): Uint8Array {
  const ref = schemaReferenceOf(value, headers);
  if (ref.kind === 'id') return ref.prefixed();
  throw new Error(`${subject}: the message names its schema by GUID ${ref.guid}; use fromKafkaMessageAsync (or decodeAsync) with a registry client`);
}
