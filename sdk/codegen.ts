// The runtime entry point generated code imports (`@accord/sdk/codegen`; the accord package exports it too, as
// `accord/sdk/codegen`). Everything a generated event module needs, and nothing else: renaming a symbol here breaks
// generated code at compile time, not in production.
import { AvroTypes, withResolutionAliases, type ResolutionAliases } from './avro.js';
import type { SchemaRegistryClient } from './client.js';
import { messageAtIndexes, ProtoTypes, type ProtoSource } from './protobuf.js';
import { frame, unframe } from './wire.js';

export type { ProtoSource } from './protobuf.js';
export type { ResolutionAliases } from './avro.js';

export { SchemaRegistryClient } from './client.js';
export { defineJsonEvent, jsonResolvedUpcaster, JsonValidationError, type EmbeddedJsonVersion, type JsonEventDefinition, type JsonSchemaSource } from './json.js';

/** One registered version as a generated module embeds it. */
export interface EmbeddedVersion {
  version: number;
  id: number;
  /** Self-contained schema text (references inlined). */
  schema: string;
}

export interface KafkaMessage {
  key: Buffer | string | null;
  value: Buffer;
  headers: Record<string, string>;
}

export interface AvroEventDefinition {
  subject: string;
  /** Every registered version, oldest first. */
  versions: readonly EmbeddedVersion[];
  /** `upcasters[i]` turns a value of `versions[i]` into one of `versions[i + 1]`. */
  upcasters: readonly ((value: never) => unknown)[];
}

export interface EventCodec<Latest> {
  readonly subject: string;
  readonly latest: EmbeddedVersion;
  /** Frames the value with the latest version's schema id: no registry call. */
  encode(value: Latest): Buffer;
  /** Decodes bytes written with any version known at generation time, upcast to the latest. */
  decode(bytes: Uint8Array): Latest;
  /** As decode, and for an unknown schema id fetches the writer schema once through the client. */
  decodeAsync(bytes: Uint8Array, client: SchemaRegistryClient): Promise<Latest>;
  /** A message any Kafka client can send; the schema id travels in the payload, as Confluent serializers put it. */
  toKafkaMessage(value: Latest, key?: Buffer | string | null, headers?: Record<string, string>): KafkaMessage;
  fromKafkaMessage(message: { value: Uint8Array | null | undefined }): Latest;
}

/** Runs `upcasters[from…]` in turn: a value of version index `from` becomes one of the latest version. */
export function upcastChain<Latest>(upcasters: readonly ((value: never) => unknown)[], count: number) {
  return (value: unknown, from: number): Latest => {
    let current = value;
    for (let i = from; i < count - 1; i++) current = (upcasters[i] as (v: unknown) => unknown)(current);
    return current as Latest;
  };
}

/** Completes a codec with the Kafka message helpers, the same for every format. */
export function withKafkaHelpers<Latest>(subject: string, core: Omit<EventCodec<Latest>, 'toKafkaMessage' | 'fromKafkaMessage'>): EventCodec<Latest> {
  return {
    ...core,
    toKafkaMessage(value, key = null, headers = {}) {
      return { key, value: core.encode(value), headers };
    },
    fromKafkaMessage(message) {
      if (!message.value) throw new Error(`${subject}: message has no value`);
      return core.decode(message.value);
    },
  };
}

/** Shared by every generated module: avsc types and resolvers are cached per schema. */
const avroTypes = new AvroTypes();
/** For writers unknown at generation time that only another namespace keeps from resolving. */
const foreignAvroTypes = new AvroTypes({ ignoreNamespaces: true });

/**
 * An upcaster that schema resolution covers (added field with default, promotion, alias rename). `aliases` are the
 * names the next version's named types must also answer to for avsc (a namespace change Avro allows): codegen
 * computes them from Accord's checker and proves the step with them at generation time.
 */
export function resolvedUpcaster<From, To>(from: string, to: string, aliases?: ResolutionAliases): (value: From) => To {
  const reader = aliases ? withResolutionAliases(to, aliases) : to;
  return (value) => avroTypes.convert(from, reader, value) as To;
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

export function defineAvroEvent<Latest>(definition: AvroEventDefinition): EventCodec<Latest> {
  const { versions, upcasters } = definition;
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error(`${definition.subject}: no versions`);
  const byId = new Map(versions.map((v, i) => [v.id, i]));

  const upcast = upcastChain<Latest>(upcasters, versions.length);

  const decodeKnown = (index: number, payload: Uint8Array): Latest => {
    const schema = versions[index]!.schema;
    return upcast(avroTypes.decode(schema, schema, payload), index);
  };

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

  return withKafkaHelpers<Latest>(definition.subject, {
    subject: definition.subject,
    latest,
    encode(value) {
      return Buffer.from(frame(registeredId(latest.id), avroTypes.encode(latest.schema, value)));
    },
    decode(bytes) {
      const { schemaId, payload } = unframe(bytes);
      const index = byId.get(schemaId);
      if (index === undefined) throw new Error(`${definition.subject}: schema id ${schemaId} was not registered when this code was generated; use decodeAsync`);
      return decodeKnown(index, payload);
    },
    async decodeAsync(bytes, client) {
      const { schemaId, payload } = unframe(bytes);
      const index = byId.get(schemaId);
      if (index !== undefined) return decodeKnown(index, payload);
      const writer = await client.schemaById(schemaId, 'resolved');
      return decodeForeign(writer.schema, payload);
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

export interface ProtobufEventDefinition {
  subject: string;
  versions: readonly EmbeddedProtobufVersion[];
  upcasters: readonly ((value: never) => unknown)[];
}

const protoTypes = new ProtoTypes();

/** An upcaster Protobuf's wire compatibility covers: re-read the value with the next version's message. */
export function protobufResolvedUpcaster<From, To>(from: EmbeddedProtobufVersion, to: EmbeddedProtobufVersion): (value: From) => To {
  return (value) => {
    const bytes = protoTypes.encode(protoTypes.type(from.files, from.message), value);
    return protoTypes.decode(protoTypes.type(to.files, to.message), bytes) as To;
  };
}

export function defineProtobufEvent<Latest>(definition: ProtobufEventDefinition): EventCodec<Latest> {
  const { versions, upcasters } = definition;
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error(`${definition.subject}: no versions`);
  const byId = new Map(versions.map((v, i) => [v.id, i]));
  const typeOf = (v: EmbeddedProtobufVersion) => protoTypes.type(v.files, v.message);
  const upcast = upcastChain<Latest>(upcasters, versions.length);
  const decodeWith = (index: number, payload: Uint8Array) => upcast(protoTypes.decode(typeOf(versions[index]!), payload), index);
  const sameIndexes = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  /** Writers found to carry this event's message, by schema id (the registry is asked once per unknown id). */
  const foreignWriters = new Set<number>();
  const event: EventCodec<Latest> = withKafkaHelpers<Latest>(definition.subject, {
    subject: definition.subject,
    latest: { version: latest.version, id: latest.id, schema: latest.files[0]?.source ?? '' },
    encode(value) {
      return Buffer.from(frame(registeredId(latest.id), protoTypes.encode(typeOf(latest), value), latest.indexes));
    },
    decode(bytes) {
      const { schemaId, messageIndexes = [0], payload } = unframe(bytes, true);
      const index = byId.get(schemaId);
      if (index === undefined) throw new Error(`${definition.subject}: schema id ${schemaId} was not registered when this code was generated; use decodeAsync`);
      const version = versions[index]!;
      if (!sameIndexes(messageIndexes, version.indexes)) {
        throw new Error(`${definition.subject}: message indexes [${messageIndexes.join(', ')}] of schema ${schemaId} name another message than ${version.message}`);
      }
      return decodeWith(index, payload);
    },
    // An unknown writer: its schema is fetched once to check that the indexes name this event's message; the
    // payload then reads with the latest version (Protobuf matches fields by number).
    async decodeAsync(bytes, client) {
      const { schemaId, messageIndexes = [0], payload } = unframe(bytes, true);
      if (byId.has(schemaId)) return event.decode(bytes);
      if (!foreignWriters.has(schemaId)) {
        const writer = await client.schemaById(schemaId);
        const message = messageAtIndexes(writer.schema, messageIndexes);
        if (message !== latest.message) {
          throw new Error(`${definition.subject}: schema ${schemaId} writes ${message ?? 'no message'} at [${messageIndexes.join(', ')}], not ${latest.message}`);
        }
        foreignWriters.add(schemaId);
      }
      return decodeWith(versions.length - 1, payload);
    },
  });
  return event;
}
