// The runtime entry point generated code imports (`@accord/sdk/codegen`; the accord package exports it too, as
// `accord/sdk/codegen`). Everything a generated event module needs, and nothing else: renaming a symbol here breaks
// generated code at compile time, not in production.
import { asBuffer, AvroTypes, encodeFramed, readAvro, withResolutionAliases, type ResolutionAliases } from './avro.js';
import type { SchemaRegistryClient } from './client.js';
import { messageAtIndexes, ProtoTypes, type MessageCodec, type ProtoSource } from './protobuf.js';
import { eventHeaders, readEventHeaders, type ConsumedEvent, type ConsumedKafkaMessage, type KafkaHeaders, type ProducedKafkaMessage, type ToKafkaMessageOptions } from './kafka.js';
import { prefixedValue, prefixedValueSync, VALUE_SCHEMA_ID_HEADER } from './schema-ids.js';
import { decodeMessageIndexes, schemaIdOf } from './wire.js';

export type { ProtoSource } from './protobuf.js';
export type { ResolutionAliases } from './avro.js';
export type { ConsumedEvent, ConsumedKafkaMessage, KafkaEventContext, KafkaHeaders, ProducedKafkaMessage, ToKafkaMessageOptions } from './kafka.js';

export { SchemaRegistryClient } from './client.js';
export { defineJsonEvent, jsonResolvedUpcaster, JsonValidationError, type EmbeddedJsonVersion, type JsonEventDefinition, type JsonSchemaSource } from './json.js';

/** One registered version as a generated module embeds it. */
export interface EmbeddedVersion {
  version: number;
  id: number;
  /** Self-contained schema text (references inlined). */
  schema: string;
}

/** The message `toKafkaMessage` returns (the name it had before it fit kafkajs' `Message`). */
export type KafkaMessage = ProducedKafkaMessage;

export interface AvroEventDefinition<Name extends string = string> {
  /** The event's name (its type's name); modules generated before it was passed default to the subject. */
  event?: Name;
  subject: string;
  /** Every registered version, oldest first. */
  versions: readonly EmbeddedVersion[];
  /** `upcasters[i]` turns a value of `versions[i]` into one of `versions[i + 1]`. */
  upcasters: readonly ((value: never) => unknown)[];
}

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
  decodeAsync(bytes: Uint8Array, client: SchemaRegistryClient): Promise<Latest>;
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
  fromKafkaMessageAsync(message: ConsumedKafkaMessage, client: SchemaRegistryClient): Promise<ConsumedEvent<Latest>>;
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

/** Shared by every generated module: avsc types and resolvers are cached per schema. */
const avroTypes = new AvroTypes();
/** For writers unknown at generation time that only another namespace keeps from resolving. */
const foreignAvroTypes = new AvroTypes({ ignoreNamespaces: true });

/**
 * The schemas of each upcaster `resolvedUpcaster` made. Bytes of the step's writer then decode straight into the
 * next version (one read through the resolver) instead of being read, written and read again: the same value, as the
 * upcaster is that resolution.
 */
const resolvedSteps = new WeakMap<(value: never) => unknown, { writer: string; reader: string }>();

/**
 * An upcaster that schema resolution covers (added field with default, promotion, alias rename). `aliases` are the
 * names the next version's named types must also answer to for avsc (a namespace change Avro allows): codegen
 * computes them from Accord's checker and proves the step with them at generation time.
 */
export function resolvedUpcaster<From, To>(from: string, to: string, aliases?: ResolutionAliases): (value: From) => To {
  const reader = aliases ? withResolutionAliases(to, aliases) : to;
  const upcaster = (value: From) => avroTypes.convert(from, reader, value) as To;
  resolvedSteps.set(upcaster, { writer: from, reader });
  return upcaster;
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

export function defineAvroEvent<Latest, Name extends string = string>(definition: AvroEventDefinition<Name>): EventCodec<Latest, Name> {
  const { versions, upcasters } = definition;
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error(`${definition.subject}: no versions`);
  const byId = new Map(versions.map((v, i) => [v.id, i]));

  const upcast = upcastChain<Latest>(upcasters, versions.length);

  /**
   * Per version index, built on first use: reads a framed message of that version as the latest. A version whose
   * next step is schema resolution is read through that step's resolver, and the chain goes on from the next version.
   */
  const decoders: ((buffer: Buffer) => Latest)[] = [];
  const decoderOf = (index: number): ((buffer: Buffer) => Latest) => {
    const schema = versions[index]!.schema;
    const step = index < versions.length - 1 ? resolvedSteps.get(upcasters[index]!) : undefined;
    if (step && step.writer === schema) {
      const reader = avroTypes.type(step.reader);
      const resolver = avroTypes.resolver(schema, step.reader);
      return (buffer) => upcast(readAvro(reader, buffer, 5, resolver), index + 1);
    }
    const type = avroTypes.type(schema);
    if (index === versions.length - 1) return (buffer) => readAvro(type, buffer, 5) as Latest;
    return (buffer) => upcast(readAvro(type, buffer, 5), index);
  };
  const decodeKnown = (index: number, buffer: Buffer): Latest => (decoders[index] ??= decoderOf(index))(buffer);

  /**
   * An unknown writer: read it as the newest known version that can, then upcast from there; if none can by full
   * names, as the newest that can by unqualified names (Avro compares names unqualified; avsc needs aliases for that,
   * which codegen computes only for the versions it knows).
   */
  const decodeForeign = (writer: string, payload: Uint8Array): Latest => {
    for (const types of [avroTypes, foreignAvroTypes]) {
      for (let i = versions.length - 1; i >= 0; i--) {
        let value: unknown;
        try {
          value = types.decode(writer, versions[i]!.schema, payload);
        } catch {
          continue;
        }
        return upcast(value, i);
      }
    }
    throw new Error(`${definition.subject}: no known version can read data written with this schema`);
  };

  let latestType: ReturnType<AvroTypes['type']> | undefined;
  let decodeLatest: ((buffer: Buffer) => Latest) | undefined;
  return withKafkaHelpers<Latest, Name>({
    event: definition.event ?? (definition.subject as Name),
    subject: definition.subject,
    latest,
    schemaIds: versions.map((v) => v.id),
    encode(value) {
      return encodeFramed((latestType ??= avroTypes.type(latest.schema)), registeredId(latest.id), value);
    },
    decode(bytes) {
      const buffer = asBuffer(bytes);
      const schemaId = schemaIdOf(buffer);
      // The latest version is what producers mostly write: no lookup.
      if (schemaId === latest.id) return (decodeLatest ??= decoderOf(versions.length - 1))(buffer);
      const index = byId.get(schemaId);
      if (index === undefined) throw new Error(`${definition.subject}: schema id ${schemaId} was not registered when this code was generated; use decodeAsync`);
      return decodeKnown(index, buffer);
    },
    async decodeAsync(bytes, client) {
      const buffer = asBuffer(bytes);
      const schemaId = schemaIdOf(buffer);
      const index = byId.get(schemaId);
      if (index !== undefined) return decodeKnown(index, buffer);
      const writer = await client.schemaById(schemaId, 'resolved');
      return decodeForeign(writer.schema, buffer.subarray(5));
    },
  });
}

// ---- Protobuf

/** One registered Protobuf version: the files (schema first, then its imports) and the event message in them. */
export interface EmbeddedProtobufVersion {
  version: number;
  id: number;
  /** Full name of the event message. */
  message: string;
  /** Its message indexes, as the wire format carries them. */
  indexes: readonly number[];
  files: readonly ProtoSource[];
}

export interface ProtobufEventDefinition<Name extends string = string> {
  /** The event's name (its message's name); modules generated before it was passed default to the subject. */
  event?: Name;
  subject: string;
  versions: readonly EmbeddedProtobufVersion[];
  upcasters: readonly ((value: never) => unknown)[];
}

const protoTypes = new ProtoTypes();

/** An upcaster Protobuf's wire compatibility covers: re-read the value with the next version's message. */
export function protobufResolvedUpcaster<From, To>(from: EmbeddedProtobufVersion, to: EmbeddedProtobufVersion): (value: From) => To {
  let codecs: [MessageCodec, MessageCodec] | undefined;
  return (value) => {
    const [writer, reader] = (codecs ??= [protoTypes.codec(from.files, from.message), protoTypes.codec(to.files, to.message)]);
    return reader.decode(asBuffer(writer.encode(value)), 0) as To;
  };
}

const FIRST_MESSAGE: readonly number[] = [0];

/** The message indexes after the schema id and the offset of the payload; `[0]`, the usual case, allocates nothing. */
function messageIndexesOf(buffer: Buffer): { indexes: readonly number[]; next: number } {
  return buffer[5] === 0 ? { indexes: FIRST_MESSAGE, next: 6 } : decodeMessageIndexes(buffer, 5);
}

export function defineProtobufEvent<Latest, Name extends string = string>(definition: ProtobufEventDefinition<Name>): EventCodec<Latest, Name> {
  const { versions, upcasters } = definition;
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error(`${definition.subject}: no versions`);
  const byId = new Map(versions.map((v, i) => [v.id, i]));
  const codecs: MessageCodec[] = [];
  const codecOf = (index: number) => (codecs[index] ??= protoTypes.codec(versions[index]!.files, versions[index]!.message));
  const upcast = upcastChain<Latest>(upcasters, versions.length);
  const decodeWith = (index: number, buffer: Buffer, offset: number): Latest => {
    const value = codecOf(index).decode(buffer, offset);
    return index === versions.length - 1 ? (value as Latest) : upcast(value, index);
  };
  const sameIndexes = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const firstMessage = versions.map((v) => sameIndexes(v.indexes, FIRST_MESSAGE));
  /** Writers found to carry this event's message, by schema id (the registry is asked once per unknown id). */
  const foreignWriters = new Set<number>();
  const event: EventCodec<Latest, Name> = withKafkaHelpers<Latest, Name>({
    event: definition.event ?? (definition.subject as Name),
    subject: definition.subject,
    latest: { version: latest.version, id: latest.id, schema: latest.files[0]?.source ?? '' },
    schemaIds: versions.map((v) => v.id),
    framesMessageIndexes: true,
    encode(value) {
      return codecOf(versions.length - 1).encodeFramed(registeredId(latest.id), latest.indexes, value);
    },
    decode(bytes) {
      const buffer = asBuffer(bytes);
      const schemaId = schemaIdOf(buffer);
      const index = schemaId === latest.id ? versions.length - 1 : byId.get(schemaId);
      if (index === undefined) throw new Error(`${definition.subject}: schema id ${schemaId} was not registered when this code was generated; use decodeAsync`);
      // The usual frame: the event is the schema's first message, written as the single byte 0.
      if (buffer[5] === 0 && firstMessage[index]) return decodeWith(index, buffer, 6);
      const { indexes, next } = messageIndexesOf(buffer);
      const version = versions[index]!;
      if (!sameIndexes(indexes, version.indexes)) {
        throw new Error(`${definition.subject}: message indexes [${indexes.join(', ')}] of schema ${schemaId} name another message than ${version.message}`);
      }
      return decodeWith(index, buffer, next);
    },
    // An unknown writer: its schema is fetched once to check that the indexes name this event's message; the
    // payload then reads with the latest version (Protobuf matches fields by number).
    async decodeAsync(bytes, client) {
      const buffer = asBuffer(bytes);
      const schemaId = schemaIdOf(buffer);
      if (byId.has(schemaId)) return event.decode(buffer);
      const { indexes, next } = messageIndexesOf(buffer);
      if (!foreignWriters.has(schemaId)) {
        const writer = await client.schemaById(schemaId);
        const message = messageAtIndexes(writer.schema, indexes);
        if (message !== latest.message) {
          throw new Error(`${definition.subject}: schema ${schemaId} writes ${message ?? 'no message'} at [${indexes.join(', ')}], not ${latest.message}`);
        }
        foreignWriters.add(schemaId);
      }
      return decodeWith(versions.length - 1, buffer, next);
    },
  });
  return event;
}
