// Confluent 8's schema GUIDs on the wire (issue 20.6), both ways, for Avro, Protobuf and JSON Schema, against a
// running Accord: @confluentinc/schemaregistry 1.10 with HeaderSchemaIdSerializer (the GUID in `__value_schema_id`)
// and DualSchemaIdDeserializer on one side, Accord's SDK on the other. The SDK reads all three framings (magic 0 and
// an id, magic 1 and a GUID, the GUID in a header) and writes header ids that Confluent's deserializer reads.
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label as Label, FieldDescriptorProto_Type as Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import {
  AvroDeserializer,
  AvroSerializer,
  DualSchemaIdDeserializer,
  HeaderSchemaIdSerializer,
  JsonDeserializer,
  JsonSerializer,
  ProtobufDeserializer,
  ProtobufSerializer,
  SchemaRegistryClient as ConfluentClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistryClient } from '../../sdk/client.js';
import { defineAvroEvent, defineProtobufEvent, type EventCodec } from '../../sdk/codegen.js';
import { defineJsonEvent } from '../../sdk/json.js';
import type { KafkaHeaders } from '../../sdk/kafka.js';
import { guidToBytes, VALUE_SCHEMA_ID_HEADER } from '../../sdk/schema-ids.js';
import { createEventDispatcher } from '../../sdk/dispatch.js';
import { backends } from '../support/backends.js';
import { client as restClient, startTestServer, type TestServer } from '../support/server.js';

const confluent = (url: string) => new ConfluentClient({ baseURLs: [url], maxRetries: 0 });
const latestOnly = { autoRegisterSchemas: false, useLatestVersion: true } as const;

/** The same bytes as a magic-byte-1 frame: 0x01, the GUID, then what followed it in the header (indexes), then the payload. */
function v1Payload(header: Buffer, payload: Buffer): Buffer {
  return Buffer.concat([header, payload]);
}

const headerOf = (headers: KafkaHeaders): Buffer => {
  const value = headers[VALUE_SCHEMA_ID_HEADER];
  if (!Buffer.isBuffer(value)) throw new Error(`no ${VALUE_SCHEMA_ID_HEADER} header`);
  return value;
};

interface Case {
  name: string;
  topic: string;
  /** Registers the schema in Accord (as the client would) and returns the SDK codec for it. */
  setup(url: string): Promise<EventCodec<any>>;
  serializer(client: ConfluentClient, header: boolean): { serialize(topic: string, value: unknown, headers?: KafkaHeaders): Promise<Buffer> };
  deserializer(client: ConfluentClient): { deserialize(topic: string, payload: Buffer, headers?: KafkaHeaders): Promise<unknown> };
  /** A value as the Confluent serializer takes it, and as the SDK's codec writes and reads it. */
  confluentValue(): unknown;
  sdkValue: Record<string, unknown>;
  /** What Confluent's deserializer answered, reduced to the SDK's shape. */
  fromConfluent(value: unknown): Record<string, unknown>;
}

const avroSchema = JSON.stringify({ type: 'record', name: 'Paid', namespace: 'guid.test', fields: [{ name: 'id', type: 'string' }, { name: 'cents', type: 'long' }] });
const jsonSchema = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Shipped', type: 'object', properties: { id: { type: 'string' }, parcels: { type: 'integer' } }, required: ['id'] });

// guid/ticket.proto with two messages: the event is the second ([1]), so message indexes travel with the GUID.
const ticketFile = create(FileDescriptorProtoSchema, {
  name: 'guid/ticket.proto',
  package: 'guid',
  syntax: 'proto3',
  messageType: [
    { name: 'Note', field: [{ name: 'text', number: 1, type: Type.STRING, label: Label.OPTIONAL, jsonName: 'text' }] },
    {
      name: 'Ticket',
      field: [
        { name: 'id', number: 1, type: Type.STRING, label: Label.OPTIONAL, jsonName: 'id' },
        { name: 'seats', number: 2, type: Type.INT32, label: Label.OPTIONAL, jsonName: 'seats' },
      ],
    },
  ],
});
const Ticket = createFileRegistry(ticketFile, () => undefined).getMessage('guid.Ticket') as DescMessage;

async function registered(url: string, subject: string, body: Record<string, unknown>): Promise<{ id: number; schema: string }> {
  const res = await restClient(url).post(`/subjects/${encodeURIComponent(subject)}/versions`, body);
  expect(res.status, res.text).toBe(200);
  return res.json as { id: number; schema: string };
}

const cases: Case[] = [
  {
    name: 'Avro',
    topic: 'guid-paid',
    async setup(url) {
      const { id } = await registered(url, 'guid-paid-value', { schema: avroSchema });
      return defineAvroEvent({ event: 'Paid', subject: 'guid-paid-value', versions: [{ version: 1, id, schema: avroSchema }], upcasters: [] });
    },
    serializer: (client, header) => new AvroSerializer(client, SerdeType.VALUE, { ...latestOnly, ...(header ? { schemaIdSerializer: HeaderSchemaIdSerializer } : {}) }),
    deserializer: (client) => new AvroDeserializer(client, SerdeType.VALUE, { schemaIdDeserializer: DualSchemaIdDeserializer }),
    confluentValue: () => ({ id: 'p-1', cents: 1250 }),
    sdkValue: { id: 'p-1', cents: 1250 },
    fromConfluent: (v) => ({ ...(v as Record<string, unknown>), cents: Number((v as { cents: unknown }).cents) }),
  },
  {
    name: 'Protobuf',
    topic: 'guid-tickets',
    async setup(url) {
      // Registered by Confluent's serializer itself (a base64 descriptor); the SDK embeds the text Accord stored.
      const serializer = new ProtobufSerializer(confluent(url), SerdeType.VALUE, { autoRegisterSchemas: true });
      serializer.registry.add(Ticket);
      const id = (await serializer.serialize('guid-tickets', create(Ticket, { id: 't-0' }))).readInt32BE(1);
      const stored = (await restClient(url).get(`/schemas/ids/${id}`)).json as { schema: string };
      return defineProtobufEvent({
        event: 'Ticket',
        subject: 'guid-tickets-value',
        versions: [{ version: 1, id, message: 'guid.Ticket', indexes: [1], files: [{ name: 'guid/ticket.proto', source: stored.schema }] }],
        upcasters: [],
      });
    },
    serializer: (client, header) => {
      const s = new ProtobufSerializer(client, SerdeType.VALUE, { ...latestOnly, ...(header ? { schemaIdSerializer: HeaderSchemaIdSerializer } : {}) });
      s.registry.add(Ticket);
      return s;
    },
    deserializer: (client) => new ProtobufDeserializer(client, SerdeType.VALUE, { schemaIdDeserializer: DualSchemaIdDeserializer }),
    confluentValue: () => create(Ticket, { id: 't-1', seats: 3 }),
    sdkValue: { id: 't-1', seats: 3 },
    fromConfluent: (v) => ({ id: (v as { id: string }).id, seats: (v as { seats: number }).seats }),
  },
  {
    name: 'JSON Schema',
    topic: 'guid-shipped',
    async setup(url) {
      const { id, schema } = await registered(url, 'guid-shipped-value', { schemaType: 'JSON', schema: jsonSchema });
      return defineJsonEvent({ event: 'Shipped', subject: 'guid-shipped-value', versions: [{ version: 1, id, schema, references: [] }], upcasters: [] });
    },
    serializer: (client, header) => new JsonSerializer(client, SerdeType.VALUE, { ...latestOnly, ...(header ? { schemaIdSerializer: HeaderSchemaIdSerializer } : {}) }),
    deserializer: (client) => new JsonDeserializer(client, SerdeType.VALUE, { schemaIdDeserializer: DualSchemaIdDeserializer }),
    confluentValue: () => ({ id: 's-1', parcels: 2 }),
    sdkValue: { id: 's-1', parcels: 2 },
    fromConfluent: (v) => v as Record<string, unknown>,
  },
];

describe.each(backends)('schema GUIDs on the wire ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  describe.each(cases)('$name', (c) => {
    let codec: EventCodec<any>;
    let guid: string;
    beforeAll(async () => {
      codec = await c.setup(server.url);
      guid = (await restClient(server.url).get(`/schemas/ids/${codec.latest.id}`)).json.guid as string;
    });

    it('Confluent writes the GUID in the __value_schema_id header; the SDK reads it, and the same bytes as a magic-1 frame', async () => {
      const headers: KafkaHeaders = {};
      const value = await c.serializer(confluent(server.url), true).serialize(c.topic, c.confluentValue(), headers);
      const header = headerOf(headers);
      expect(header[0]).toBe(1);
      expect(Buffer.from(header.subarray(1, 17))).toEqual(Buffer.from(guidToBytes(guid)));

      const sdk = new SchemaRegistryClient({ baseUrl: server.url });
      const consumed = await codec.fromKafkaMessageAsync({ key: null, value, headers }, sdk);
      expect(consumed.value).toEqual(c.sdkValue);
      expect(consumed.schemaId).toBe(codec.latest.id);
      // Without a registry client a GUID cannot be read, and the error says what to pass.
      expect(() => codec.fromKafkaMessage({ value, headers })).toThrow(/GUID .*fromKafkaMessageAsync/);

      const v1 = v1Payload(header, value);
      expect(await codec.decodeAsync(v1, sdk)).toEqual(c.sdkValue);
      expect((await codec.fromKafkaMessageAsync({ value: v1 }, sdk)).value).toEqual(c.sdkValue);
      // Confluent's own deserializer reads both too, resolving the GUID through Accord's /schemas/guids/{guid}.
      const deserializer = c.deserializer(confluent(server.url));
      expect(c.fromConfluent(await deserializer.deserialize(c.topic, value, headers))).toEqual(c.sdkValue);
      expect(c.fromConfluent(await deserializer.deserialize(c.topic, v1))).toEqual(c.sdkValue);
      // One lookup per GUID, however many messages carry it.
      const calls = sdk.calls;
      await codec.fromKafkaMessageAsync({ value, headers }, sdk);
      expect(sdk.calls).toBe(calls);
    });

    it('the SDK writes the id in the header (schemaIdIn: header); Confluent’s DualSchemaIdDeserializer reads it', async () => {
      const message = codec.toKafkaMessage(c.sdkValue, { key: 'k', schemaIdIn: 'header' });
      const header = headerOf(message.headers);
      expect(header[0]).toBe(0);
      expect(header.readInt32BE(1)).toBe(codec.latest.id);
      const deserializer = c.deserializer(confluent(server.url));
      expect(c.fromConfluent(await deserializer.deserialize(c.topic, message.value, message.headers))).toEqual(c.sdkValue);
      // And the SDK reads its own header ids without a registry.
      expect(codec.fromKafkaMessage(message).value).toEqual(c.sdkValue);
      // The classic frame stays the default, read by every client.
      const classic = codec.toKafkaMessage(c.sdkValue);
      expect(classic.headers[VALUE_SCHEMA_ID_HEADER]).toBeUndefined();
      expect(c.fromConfluent(await deserializer.deserialize(c.topic, classic.value))).toEqual(c.sdkValue);
    });

    it('a dispatcher routes header-GUID messages with a registry client, and names the problem without one', async () => {
      const headers: KafkaHeaders = {};
      const value = await c.serializer(confluent(server.url), true).serialize(c.topic, c.confluentValue(), headers);
      const seen: unknown[] = [];
      const handlers = { [codec.event]: (event: unknown) => void seen.push(event) };
      await createEventDispatcher([codec], handlers as never, { client: new SchemaRegistryClient({ baseUrl: server.url }) })({ value, headers });
      expect(seen).toEqual([c.sdkValue]);
      await expect(createEventDispatcher([codec], handlers as never)({ value, headers })).rejects.toThrow(/GUID .*registry client/);
    });
  });
});
