// What every format's event codec shares: the codec's shape, the upcaster chain, the Kafka message helpers and the
// framing id check. The format codecs (codegen.ts for Avro and Protobuf, json.ts) import it; it imports none of them.
import type { RegistryReader } from './client.js';
import { eventHeaders, readEventHeaders, type ConsumedEvent, type ConsumedKafkaMessage, type KafkaHeaders, type ProducedKafkaMessage, type ToKafkaMessageOptions } from './kafka.js';
import { prefixedValue, prefixedValueSync, VALUE_SCHEMA_ID_HEADER } from './schema-ids.js';
import { decodeMessageIndexes, schemaIdOf } from './wire.js';

/** One registered version as a generated module embeds it. */
export interface EmbeddedVersion {
  version: number;
  id: number;
  /** Self-contained schema text (references inlined). */
  schema: string;
}

/** The message `toKafkaMessage` returns (the name it had before it fit kafkajs' `Message`). */
export type KafkaMessage = ProducedKafkaMessage;

export interface EventCodec<Latest, Name extends string = string> {
  /** The event's name: the key of its handler in `createEventDispatcher`. */
  readonly event: Name;
  readonly subject: string;
  readonly latest: EmbeddedVersion;
  /** The schema ids of every version known at generation time (0 in modules generated offline). */
  readonly schemaIds: readonly number[];
  /** Frames the value with the latest version's schema id: no registry call. */
  encode(value: Latest): Buffer;
  /** Decodes bytes written with any version known at generation time, upcast to the latest. */
  decode(bytes: Uint8Array): Latest;
  /** As decode, and for an unknown schema id fetches the writer schema once through the client. */
  decodeAsync(bytes: Uint8Array, client: RegistryReader): Promise<Latest>;
  /**
   * A message kafkajs (or @confluentinc/kafka-javascript) sends as it is: the schema id travels in the value, as
   * Confluent serializers put it; trace context and correlation id, when given, in headers.
   */
  toKafkaMessage(value: Latest, options?: ToKafkaMessageOptions): ProducedKafkaMessage;
  toKafkaMessage(value: Latest, key: Buffer | string | null | undefined, headers?: KafkaHeaders): ProducedKafkaMessage;
  /**
   * A consumed message (kafkajs' `EachMessagePayload['message']` as it is): the event, upcast to the latest, with its
   * key, headers, schema id, and the trace context and correlation id its headers carry.
   */
  fromKafkaMessage(message: ConsumedKafkaMessage): ConsumedEvent<Latest>;
  /** As fromKafkaMessage, reading schema ids unknown at generation time as decodeAsync does. */
  fromKafkaMessageAsync(message: ConsumedKafkaMessage, client: RegistryReader): Promise<ConsumedEvent<Latest>>;
}

/** Runs `upcasters[from…]` in turn: a value of version index `from` becomes one of the latest version. */
export function upcastChain<Latest>(upcasters: readonly ((value: never) => unknown)[], count: number) {
  return (value: unknown, from: number): Latest => {
    let current = value;
    for (let i = from; i < count - 1; i++) current = (upcasters[i] as (v: unknown) => unknown)(current);
    return current as Latest;
  };
}

/** The second argument of toKafkaMessage: options, or (the older form) a key followed by headers. */
const isMessageOptions = (x: unknown): x is ToKafkaMessageOptions => x !== null && typeof x === 'object' && !(x instanceof Uint8Array);

/**
 * Completes a codec with the Kafka message helpers, the same for every format. Every framing a Confluent client
 * writes decodes (schema-ids.ts): the decoders below it only ever see the magic-byte-0 form. `framesMessageIndexes`:
 * message indexes follow the id (Protobuf), and travel with it when the id goes in a header.
 */
export function withKafkaHelpers<Latest, Name extends string>(
  core: Omit<EventCodec<Latest, Name>, 'toKafkaMessage' | 'fromKafkaMessage' | 'fromKafkaMessageAsync'> & { framesMessageIndexes?: boolean },
): EventCodec<Latest, Name> {
  function toKafkaMessage(value: Latest, options?: ToKafkaMessageOptions): ProducedKafkaMessage;
  function toKafkaMessage(value: Latest, key: Buffer | string | null | undefined, headers?: KafkaHeaders): ProducedKafkaMessage;
  function toKafkaMessage(value: Latest, second?: ToKafkaMessageOptions | Buffer | string | null, headers?: KafkaHeaders): ProducedKafkaMessage {
    const options: ToKafkaMessageOptions = isMessageOptions(second) ? second : { key: second ?? null, headers };
    const framed = core.encode(value);
    const message: ProducedKafkaMessage = { key: options.key ?? null, value: framed, headers: eventHeaders(options) };
    if (options.schemaIdIn === 'header') {
      // As Confluent's HeaderSchemaIdSerializer: the id (and message indexes) in the header, the payload alone.
      const head = core.framesMessageIndexes ? decodeMessageIndexes(framed, 5).next : 5;
      message.headers[VALUE_SCHEMA_ID_HEADER] = framed.subarray(0, head);
      message.value = framed.subarray(head);
    }
    if (options.partition !== undefined) message.partition = options.partition;
    if (options.timestamp !== undefined) message.timestamp = options.timestamp;
    return message;
  }
  const valueOf = (message: ConsumedKafkaMessage): Uint8Array => {
    if (!message.value || message.value.length === 0) throw new Error(`${core.subject}: message has no value (a tombstone?)`);
    return message.value;
  };
  const consumed = (message: ConsumedKafkaMessage, prefixed: Uint8Array, value: Latest): ConsumedEvent<Latest> => ({
    value,
    key: message.key ?? null,
    headers: message.headers ?? {},
    schemaId: schemaIdOf(prefixed),
    ...readEventHeaders(message.headers),
  });
  return {
    ...core,
    decode(bytes) {
      return core.decode(prefixedValueSync(bytes, undefined, core.subject));
    },
    async decodeAsync(bytes, client) {
      return core.decodeAsync(await prefixedValue(bytes, undefined, client, core.subject), client);
    },
    toKafkaMessage,
    fromKafkaMessage(message) {
      const prefixed = prefixedValueSync(valueOf(message), message.headers, core.subject);
      return consumed(message, prefixed, core.decode(prefixed));
    },
    async fromKafkaMessageAsync(message, client) {
      const prefixed = await prefixedValue(valueOf(message), message.headers, client, core.subject);
      return consumed(message, prefixed, await core.decodeAsync(prefixed, client));
    },
  };
}

/**
 * The id to frame a message with. Modules generated offline (`accord codegen --contracts`) carry id 0, which no
 * registry assigns: a message framed with it could not be read by any consumer, so encoding refuses instead.
 */
export function registeredId(id: number): number {
  if (id === 0) {
    throw new Error('this module was generated offline (accord codegen --contracts), so it knows no schema ids: generate it with --registry once its versions are registered to encode messages');
  }
  return id;
}
