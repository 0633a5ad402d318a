// Accord's SDK: what services import to produce and consume events. No server code.
export { RegistryReader, SchemaRegistryClient, RegistryUnavailableError, type RegistryClientOptions, type SchemaById, type SubjectVersion } from './client.js';
export { AvroTypes } from './avro.js';
export { EncodeError, type PathSegment } from './encode-error.js';
export { decodeMessageIndexes, encodeMessageIndexes, frame, unframe, MAGIC_BYTE } from './wire.js';
export {
  defineAvroEvent,
  defineProtobufEvent,
  protobufResolvedUpcaster,
  resolvedUpcaster,
  type AvroEventDefinition,
  type EmbeddedProtobufVersion,
  type EmbeddedVersion,
  type EventCodec,
  type KafkaMessage,
  type ProtobufEventDefinition,
} from './codegen.js';
export {
  guidFromBytes,
  guidToBytes,
  KEY_SCHEMA_ID_HEADER,
  MAGIC_BYTE_V1,
  schemaReferenceOf,
  VALUE_SCHEMA_ID_HEADER,
  type SchemaIdPlacement,
  type SchemaReferenceOf,
} from './schema-ids.js';
export {
  CORRELATION_ID_HEADER,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  eventHeaders,
  isValidTraceparent,
  readEventHeaders,
  type ConsumedEvent,
  type ConsumedKafkaMessage,
  type KafkaEventContext,
  type KafkaHeaders,
  type KafkaHeaderValue,
  type ProducedKafkaMessage,
  type ToKafkaMessageOptions,
} from './kafka.js';
export { createEventDispatcher, UnknownEventError, type DispatchedEventContext, type EventDispatcherOptions, type EventHandlers, type EventOf } from './dispatch.js';
export {
  defineJsonEvent,
  jsonResolvedUpcaster,
  jsonSchemaDraft,
  JsonValidationError,
  type EmbeddedJsonVersion,
  type JsonEventDefinition,
  type JsonSchemaDraft,
  type JsonSchemaSource,
} from './json.js';
