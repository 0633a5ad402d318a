// The runtime entry point generated code imports (`@accord/sdk/codegen`; the accord package exports it too, as
// `accord/sdk/codegen`). Everything a generated event module needs, and nothing else: renaming a symbol here breaks
// generated code at compile time, not in production.
import { asBuffer, avroEncodeError, AvroTypes, encodeFramed, readAvro, withResolutionAliases, type ResolutionAliases } from './avro.js';
import { registeredId, upcastChain, withKafkaHelpers, type EmbeddedVersion, type EventCodec } from './event-codec.js';
import { messageAtIndexes, ProtoTypes, type MessageCodec, type ProtoSource } from './protobuf.js';
import { decodeMessageIndexes, schemaIdOf } from './wire.js';

export type { ProtoSource } from './protobuf.js';
export type { ResolutionAliases } from './avro.js';
export type { ConsumedEvent, ConsumedKafkaMessage, KafkaEventContext, KafkaHeaders, ProducedKafkaMessage, ToKafkaMessageOptions } from './kafka.js';

export { RegistryReader, SchemaRegistryClient } from './client.js';
export { registeredId, upcastChain, withKafkaHelpers, type EmbeddedVersion, type EventCodec, type KafkaMessage } from './event-codec.js';
export { EncodeError } from './encode-error.js';
export { defineJsonEvent, jsonResolvedUpcaster, JsonValidationError, type EmbeddedJsonVersion, type JsonEventDefinition, type JsonSchemaSource } from './json.js';

export interface AvroEventDefinition<Name extends string = string> {
  /** The event's name (its type's name); modules generated before it was passed default to the subject. */
  event?: Name;
  subject: string;
  /** Every registered version, oldest first. */
  versions: readonly EmbeddedVersion[];
  /** `upcasters[i]` turns a value of `versions[i]` into one of `versions[i + 1]`. */
  upcasters: readonly ((value: never) => unknown)[];
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
      const type = (latestType ??= avroTypes.type(latest.schema));
      const id = registeredId(latest.id);
      try {
        return encodeFramed(type, id, value);
      } catch (error) {
        // avsc says only `invalid "string": 5`: find the field, and say where it is.
        throw avroEncodeError(definition.subject, type, value) ?? error;
      }
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
      return codecOf(versions.length - 1).encodeFramed(registeredId(latest.id), latest.indexes, value, definition.subject);
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
