// Accord's SDK: what services import to produce and consume events. No server code.
export { SchemaRegistryClient, RegistryUnavailableError, type RegistryClientOptions, type SchemaById } from './client.js';
export { AvroTypes } from './avro.js';
export { decodeMessageIndexes, encodeMessageIndexes, frame, unframe, MAGIC_BYTE } from './wire.js';
export { defineAvroEvent, resolvedUpcaster, type EventCodec, type EmbeddedVersion, type KafkaMessage } from './codegen.js';
export { defineJsonEvent, jsonResolvedUpcaster, jsonSchemaDraft, JsonValidationError, type JsonSchemaDraft } from './json.js';
