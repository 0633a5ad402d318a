// Kafka messages as the clients hand them over, and what travels in their headers: W3C trace context and the event's
// correlation id. The shapes are structural, so this package depends on no Kafka client: kafkajs' `Message`,
// `KafkaMessage` and `IHeaders` fit them (test/sdk/kafka.test.ts checks it against kafkajs' own declarations), and so
// do those of @confluentinc/kafka-javascript's KafkaJS-compatible API, which declares the same shapes (it is not a
// dependency here, so that fit is by its documented shape, not checked against its declarations).

/** A header value as Kafka clients carry it: kafkajs' and @confluentinc/kafka-javascript's `IHeaders` values. */
export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** Kafka record headers: kafkajs' `IHeaders`. */
export interface KafkaHeaders {
  [name: string]: KafkaHeaderValue;
}

/** Header names Accord's helpers write and read. W3C Trace Context names its headers in lower case. */
export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';
export const CORRELATION_ID_HEADER = 'correlation-id';

/**
 * What `toKafkaMessage` returns: assignable to kafkajs' `Message` (and @confluentinc/kafka-javascript's, the same
 * shape), so it goes straight into `producer.send({ topic, messages: [message] })`.
 */
export interface ProducedKafkaMessage {
  key: Buffer | string | null;
  value: Buffer;
  headers: KafkaHeaders;
  partition?: number;
  timestamp?: string;
}

/** What a consumer hands over: kafkajs' `EachMessagePayload['message']` fits, as does a produced message. */
export interface ConsumedKafkaMessage {
  key?: Buffer | string | null;
  value: Uint8Array | null | undefined;
  headers?: KafkaHeaders;
}

export interface ToKafkaMessageOptions {
  key?: Buffer | string | null;
  /** More headers; the trace context and correlation id options below replace headers of the same name. */
  headers?: KafkaHeaders;
  /** W3C `traceparent` of the span producing the event (`00-<trace id>-<span id>-<flags>`); dropped when malformed. */
  traceparent?: string;
  /** W3C `tracestate`, sent only with a valid traceparent. */
  tracestate?: string;
  /** The event's correlation id, sent in the `correlation-id` header. */
  correlationId?: string;
  partition?: number;
  /** Milliseconds since the epoch, as a string (kafkajs' convention). */
  timestamp?: string;
  /**
   * `header` puts the schema id (with Protobuf's message indexes) in the `__value_schema_id` header and only the
   * payload in the value, as Confluent 8's HeaderSchemaIdSerializer does; consumers then need a deserializer that
   * reads headers (Confluent's DualSchemaIdDeserializer, or this SDK). Default `payload`: the classic frame.
   */
  schemaIdIn?: 'payload' | 'header';
}

/** The trace context and correlation id a message carries, decoded from its headers. */
export interface KafkaEventContext {
  key: Buffer | string | null;
  headers: KafkaHeaders;
  /** The schema id of the message: in its frame, in its header, or that of the GUID it carries. */
  schemaId: number;
  /** Present when the `traceparent` header holds a valid W3C traceparent. */
  traceparent?: string;
  tracestate?: string;
  correlationId?: string;
}

/** A decoded message: the event, upcast to the latest version, and its context. */
export interface ConsumedEvent<T> extends KafkaEventContext {
  value: T;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Whether a `traceparent` is valid as W3C Trace Context level 1 reads it: version 00 has exactly four fields, later
 * versions may append more; version ff, an all-zero trace id or parent id, and upper-case hex are invalid.
 */
export function isValidTraceparent(value: string): boolean {
  const match = TRACEPARENT.exec(value);
  if (!match) return false;
  const [, version, traceId, parentId, , rest] = match;
  if (version === 'ff') return false;
  if (version === '00' && rest !== undefined) return false;
  return !/^0+$/.test(traceId!) && !/^0+$/.test(parentId!);
}

/** A tracestate worth passing on: printable ASCII, at most 32 list members and 512 characters (W3C's limits). */
function isUsableTracestate(value: string): boolean {
  return value.length <= 512 && /^[\x20-\x7e]*$/.test(value) && value.split(',').length <= 32;
}

/** A header value as text: Buffers are UTF-8; a repeated header gives its values in order. */
function headerTexts(value: KafkaHeaderValue): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => (typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8')));
}

/**
 * The trace context and correlation id in a message's headers. A traceparent that is malformed (or sent more than
 * once, which W3C makes invalid) is ignored, with its tracestate, rather than failing the message: the event is still
 * good, only its trace restarts. Repeated tracestate headers join with commas, as W3C combines them.
 */
export function readEventHeaders(headers: KafkaHeaders | undefined): Pick<KafkaEventContext, 'traceparent' | 'tracestate' | 'correlationId'> {
  const out: Pick<KafkaEventContext, 'traceparent' | 'tracestate' | 'correlationId'> = {};
  if (!headers) return out;
  const parents = headerTexts(headers[TRACEPARENT_HEADER]);
  const parent = parents.length === 1 ? parents[0]!.trim() : undefined;
  if (parent !== undefined && isValidTraceparent(parent)) {
    out.traceparent = parent;
    const state = headerTexts(headers[TRACESTATE_HEADER]).map((s) => s.trim()).filter((s) => s !== '').join(',');
    if (state !== '' && isUsableTracestate(state)) out.tracestate = state;
  }
  const [correlationId] = headerTexts(headers[CORRELATION_ID_HEADER]);
  if (correlationId !== undefined && correlationId !== '') out.correlationId = correlationId;
  return out;
}

/** The headers of a message to produce: the caller's, then trace context (only if valid) and correlation id. */
export function eventHeaders(options: Pick<ToKafkaMessageOptions, 'headers' | 'traceparent' | 'tracestate' | 'correlationId'>): KafkaHeaders {
  const headers: KafkaHeaders = { ...options.headers };
  if (options.traceparent !== undefined && isValidTraceparent(options.traceparent)) {
    headers[TRACEPARENT_HEADER] = options.traceparent;
    if (options.tracestate !== undefined && options.tracestate !== '' && isUsableTracestate(options.tracestate)) headers[TRACESTATE_HEADER] = options.tracestate;
  }
  if (options.correlationId !== undefined && options.correlationId !== '') headers[CORRELATION_ID_HEADER] = options.correlationId;
  return headers;
}
