// Generated code and real third-party clients, both ways, against a running Accord: bytes the golden modules
// (test/golden/orders, test/golden/shipping) write are read by @kafkajs/confluent-schema-registry (Avro) and by
// @confluentinc/schemaregistry (Avro and Protobuf), and bytes those clients write are read by the generated modules,
// upcast to the latest version. Each format gets a registry of its own, holding the versions the golden module was
// generated from under the same ids.
import { create, createFileRegistry, type DescMessage, type FileRegistry } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  DescriptorProtoSchema,
  FileDescriptorProtoSchema,
  file_google_protobuf_timestamp,
  timestampFromDate,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import {
  AvroDeserializer,
  AvroSerializer,
  ProtobufDeserializer,
  ProtobufSerializer,
  SchemaRegistryClient as ConfluentClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistryClient } from '../../sdk/client.js';
import { unframe } from '../../sdk/wire.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { orderCreated } from '../golden/orders/index.js';
import { shipmentDispatched } from '../golden/shipping/index.js';
import type { ShipmentDispatched } from '../golden/shipping/ShipmentDispatched.js';

const confluent = (url: string) => new ConfluentClient({ baseURLs: [url], maxRetries: 0 });

// ---- Avro: orders-value v1 {orderId, total}, v2 + currency (default "USD"), v3 total → amountCents

const ORDERS = 'orders-value';
const orderSchema = (v: number) => readFileSync(`contracts/examples/orders/order-created.v${v}.avsc`, 'utf8');

/** The registry test/golden/orders was generated from: v1..v3 under ids 1..3 (v3 breaks on purpose: NONE). */
async function registerOrders(url: string) {
  const api = client(url);
  expect((await api.put(`/config/${ORDERS}`, { compatibility: 'NONE' })).status).toBe(200);
  for (const v of [1, 2, 3]) {
    const res = await api.register(ORDERS, orderSchema(v));
    expect(res.status, res.text).toBe(200);
    expect(res.json.id).toBe(v);
  }
}

/** The v2 shape under a schema text the generated module has never seen: a new id. */
function foreignV2(doc: string): string {
  const schema = JSON.parse(orderSchema(2)) as { doc: string };
  schema.doc = doc;
  return JSON.stringify(schema);
}

// ---- Protobuf: shipping.shipment-dispatched-value V1 (the example contract) and V2 (+ int64, repeated, map, oneof)

const SHIPPING = 'shipping.shipment-dispatched-value';
const SHIPPING_TOPIC = 'shipping.shipment-dispatched';
const ADDRESS = 'shipping/address.proto';
const TIMESTAMP = 'google/protobuf/timestamp.proto';

/** The registry test/golden/shipping was generated from: address.proto (id 1), V1 (id 2), V2 (id 3). */
async function registerShipping(url: string) {
  const api = client(url);
  const references = [{ name: ADDRESS, subject: ADDRESS, version: 1 }];
  const ids = [
    await api.register(ADDRESS, readFileSync('contracts/examples/shipping/address.proto', 'utf8'), { schemaType: 'PROTOBUF' }),
    await api.register(SHIPPING, readFileSync('contracts/examples/shipping/shipment-dispatched.proto', 'utf8'), { schemaType: 'PROTOBUF', references }),
    await api.register(SHIPPING, readFileSync('test/golden/shipping/shipment-dispatched.v2.proto', 'utf8'), { schemaType: 'PROTOBUF', references }),
  ].map((res) => {
    expect(res.status, res.text).toBe(200);
    return res.json.id as number;
  });
  expect(ids).toEqual([1, 2, 3]);
}

// The same contracts as descriptors built at runtime with @bufbuild/protobuf: what a service using Confluent's client has.
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const field = (name: string, number: number, type: Type, extra: { typeName?: string; label?: Label; oneofIndex?: number } = {}) => ({
  name,
  number,
  type,
  label: Label.OPTIONAL,
  jsonName: camel(name),
  ...extra,
});

const addressFile: FileDescriptorProto = create(FileDescriptorProtoSchema, {
  name: ADDRESS,
  package: 'shipping.v1',
  syntax: 'proto3',
  messageType: [
    {
      name: 'Address',
      field: [field('street', 1, Type.STRING), field('postal_code', 2, Type.STRING), field('city', 3, Type.STRING), field('country', 4, Type.STRING)],
    },
  ],
});

function dispatchedFile(version: 1 | 2): FileDescriptorProto {
  const message = create(DescriptorProtoSchema, {
    name: 'ShipmentDispatched',
    field: [
      field('event_id', 1, Type.STRING),
      field('occurred_at', 2, Type.MESSAGE, { typeName: '.google.protobuf.Timestamp' }),
      field('correlation_id', 3, Type.STRING),
      field('shipment_id', 4, Type.STRING),
      field('destination', 5, Type.MESSAGE, { typeName: '.shipping.v1.Address' }),
      field('carrier', 6, Type.ENUM, { typeName: '.shipping.v1.Carrier' }),
      ...(version === 2
        ? [
            field('weight_grams', 7, Type.INT64),
            field('labels', 8, Type.STRING, { label: Label.REPEATED }),
            field('attributes', 9, Type.MESSAGE, { typeName: '.shipping.v1.ShipmentDispatched.AttributesEntry', label: Label.REPEATED }),
            field('email', 10, Type.STRING, { oneofIndex: 0 }),
            field('sms', 11, Type.STRING, { oneofIndex: 0 }),
          ]
        : []),
    ],
    ...(version === 2
      ? {
          nestedType: [{ name: 'AttributesEntry', field: [field('key', 1, Type.STRING), field('value', 2, Type.STRING)], options: { mapEntry: true } }],
          oneofDecl: [{ name: 'notify' }],
        }
      : {}),
  });
  return create(FileDescriptorProtoSchema, {
    name: 'shipping/shipment-dispatched.proto',
    package: 'shipping.v1',
    syntax: 'proto3',
    dependency: [TIMESTAMP, ADDRESS],
    messageType: [message],
    enumType: [
      {
        name: 'Carrier',
        value: [
          { name: 'CARRIER_UNSPECIFIED', number: 0 },
          { name: 'CARRIER_POST', number: 1 },
          { name: 'CARRIER_COURIER', number: 2 },
        ],
      },
    ],
  });
}

function dispatchedDesc(version: 1 | 2): DescMessage {
  const registry: FileRegistry = createFileRegistry(dispatchedFile(version), (name) =>
    name === TIMESTAMP ? file_google_protobuf_timestamp : name === ADDRESS ? addressFile : undefined,
  );
  const desc = registry.getMessage('shipping.v1.ShipmentDispatched');
  if (!desc) throw new Error('no shipping.v1.ShipmentDispatched');
  return desc;
}
const DispatchedV1 = dispatchedDesc(1);
const DispatchedV2 = dispatchedDesc(2);
const CARRIER = { CARRIER_UNSPECIFIED: 0, CARRIER_POST: 1, CARRIER_COURIER: 2 } as const;

/** A generated ShipmentDispatched as @bufbuild/protobuf spells it: camelCase, bigint, Timestamp message, oneof case. */
function asBuf(value: ShipmentDispatched) {
  return create(DispatchedV2, {
    eventId: value.event_id,
    ...(value.occurred_at ? { occurredAt: timestampFromDate(value.occurred_at) } : {}),
    correlationId: value.correlation_id,
    shipmentId: value.shipment_id,
    ...(value.destination
      ? { destination: { street: value.destination.street, postalCode: value.destination.postal_code, city: value.destination.city, country: value.destination.country } }
      : {}),
    carrier: CARRIER[value.carrier],
    weightGrams: BigInt(value.weight_grams),
    labels: value.labels,
    attributes: value.attributes,
    notify: value.notify === 'email' ? { case: 'email', value: value.email! } : value.notify === 'sms' ? { case: 'sms', value: value.sms! } : { case: undefined },
  });
}

const shipment: ShipmentDispatched = {
  event_id: 'e-1',
  occurred_at: new Date('2024-05-06T07:08:09.123Z'),
  correlation_id: 'order-7',
  shipment_id: 's-9',
  destination: { street: '1 Quay St', postal_code: 'AB1 2CD', city: 'Leith', country: 'GB' },
  carrier: 'CARRIER_COURIER',
  weight_grams: '9007199254740993',
  labels: ['fragile', 'this side up'],
  attributes: { 'signature-required': 'yes', depot: 'EDI-3' },
  email: 'ann@example.com',
  notify: 'email',
};

describe.each(backends)('generated modules and third-party clients against Accord ($name)', (backend) => {
  describe('Avro: test/golden/orders (OrderCreated v1..v3)', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(backend);
      await registerOrders(server.url);
    });
    afterAll(() => server?.close());

    it('bytes the generated module writes are read by @kafkajs/confluent-schema-registry and by AvroDeserializer', async () => {
      const value = { orderId: 'o-1', amountCents: 1250, currency: 'EUR' };
      const bytes = orderCreated.encode(value);
      expect(bytes.readInt32BE(1)).toBe(3);
      // Fresh clients, empty caches: each fetches schema 3 from Accord.
      expect(await new SchemaRegistry({ host: server.url }).decode(bytes)).toEqual(value);
      const deserializer = new AvroDeserializer(confluent(server.url), SerdeType.VALUE, {});
      expect({ ...(await deserializer.deserialize('orders', bytes)) }).toEqual(value);
      // Through a Kafka message as well.
      const message = orderCreated.toKafkaMessage(value, 'o-1');
      expect({ ...(await deserializer.deserialize('orders', message.value)) }).toEqual(value);
    });

    it('bytes @kafkajs/confluent-schema-registry writes with the v1 and v2 ids decode to the latest version', async () => {
      const registry = new SchemaRegistry({ host: server.url });
      const v1 = await registry.encode(1, { orderId: 'o-1', total: 12.5 });
      expect(v1.readInt32BE(1)).toBe(1);
      expect(orderCreated.decode(v1)).toEqual({ orderId: 'o-1', amountCents: 1250, currency: 'USD' });
      const v2 = await registry.encode(2, { orderId: 'o-2', total: 0.29, currency: 'GBP' });
      expect(orderCreated.decode(v2)).toEqual({ orderId: 'o-2', amountCents: 29, currency: 'GBP' });
      expect(orderCreated.fromKafkaMessage({ value: v2 }).value).toEqual({ orderId: 'o-2', amountCents: 29, currency: 'GBP' });
    });

    it('bytes AvroSerializer writes with useSchemaId (v1, v2) and useLatestVersion (v3) decode to the latest version', async () => {
      const v1 = await new AvroSerializer(confluent(server.url), SerdeType.VALUE, { autoRegisterSchemas: false, useSchemaId: 1 }).serialize('orders', {
        orderId: 'o-1',
        total: 3,
      });
      expect(v1.readInt32BE(1)).toBe(1);
      expect(orderCreated.decode(v1)).toEqual({ orderId: 'o-1', amountCents: 300, currency: 'USD' });

      const v2 = await new AvroSerializer(confluent(server.url), SerdeType.VALUE, { autoRegisterSchemas: false, useSchemaId: 2 }).serialize('orders', {
        orderId: 'o-2',
        total: 19.99,
        currency: 'CHF',
      });
      expect(v2.readInt32BE(1)).toBe(2);
      expect(orderCreated.decode(v2)).toEqual({ orderId: 'o-2', amountCents: 1999, currency: 'CHF' });

      const v3 = await new AvroSerializer(confluent(server.url), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true }).serialize('orders', {
        orderId: 'o-3',
        amountCents: 7,
        currency: 'JPY',
      });
      expect(v3.readInt32BE(1)).toBe(3);
      expect(orderCreated.decode(v3)).toEqual({ orderId: 'o-3', amountCents: 7, currency: 'JPY' });
    });

    it('ids unknown at generation (a v2-shaped schema each client registers elsewhere): decode refuses, decodeAsync reads them', async () => {
      const registry = new SchemaRegistryClient({ baseUrl: server.url });

      // kafkajs registers and encodes.
      const kafkajs = new SchemaRegistry({ host: server.url });
      const { id: kafkajsId } = await kafkajs.register({ type: SchemaType.AVRO, schema: foreignV2('Registered by the kafkajs team.') }, { subject: 'legacy-orders-value' });
      expect([1, 2, 3]).not.toContain(kafkajsId);
      const fromKafkajs = await kafkajs.encode(kafkajsId, { orderId: 'o-4', total: 3, currency: 'USD' });
      expect(() => orderCreated.decode(fromKafkajs)).toThrow(/decodeAsync/);
      expect(await orderCreated.decodeAsync(fromKafkajs, registry)).toEqual({ orderId: 'o-4', amountCents: 300, currency: 'USD' });

      // Confluent's client registers under the topic's subject; its serializer then writes with the latest version.
      const confluentClient = confluent(server.url);
      const confluentId = await confluentClient.register('orders-copy-value', { schemaType: 'AVRO', schema: foreignV2('Registered by the Confluent team.') });
      expect([1, 2, 3, kafkajsId]).not.toContain(confluentId);
      const fromConfluent = await new AvroSerializer(confluentClient, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true }).serialize(
        'orders-copy',
        { orderId: 'o-5', total: 0.5, currency: 'NOK' },
      );
      expect(fromConfluent.readInt32BE(1)).toBe(confluentId);
      expect(() => orderCreated.decode(fromConfluent)).toThrow(/decodeAsync/);
      expect(await orderCreated.decodeAsync(fromConfluent, registry)).toEqual({ orderId: 'o-5', amountCents: 50, currency: 'NOK' });

      // One registry call per unknown id; none for known ids or once warm.
      await orderCreated.decodeAsync(fromKafkajs, registry);
      await orderCreated.decodeAsync(orderCreated.encode({ orderId: 'o-6', amountCents: 1, currency: 'USD' }), registry);
      expect(registry.calls).toBe(2);
    });
  });

  describe('Protobuf: test/golden/shipping (ShipmentDispatched V1, V2)', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(backend);
      await registerShipping(server.url);
    });
    afterAll(() => server?.close());

    it('bytes the generated module writes are read by a fresh ProtobufDeserializer: bigint, Timestamp, map, oneof case', async () => {
      const bytes = shipmentDispatched.encode(shipment);
      expect(bytes.readInt32BE(1)).toBe(3);
      const deserializer = new ProtobufDeserializer(confluent(server.url), SerdeType.VALUE, {});
      const back = await deserializer.deserialize(SHIPPING_TOPIC, bytes);
      expect(back.$typeName).toBe('shipping.v1.ShipmentDispatched');
      expect(back.weightGrams).toBe(9007199254740993n);
      expect(back.notify).toEqual({ case: 'email', value: 'ann@example.com' });
      expect(back.attributes).toEqual(shipment.attributes);
      expect(back.occurredAt).toMatchObject({ seconds: BigInt(Date.parse('2024-05-06T07:08:09Z') / 1000), nanos: 123_000_000 });
      expect(back).toEqual(asBuf(shipment));

      const sms: ShipmentDispatched = { ...shipment, notify: 'sms', sms: '+44 7700 900123', labels: [], attributes: {}, weight_grams: '-1' };
      delete sms.email;
      expect(await deserializer.deserialize(SHIPPING_TOPIC, shipmentDispatched.encode(sms))).toEqual(asBuf(sms));
    });

    it('bytes ProtobufSerializer writes with useLatestVersion (V2) decode to the same value', async () => {
      const serializer = new ProtobufSerializer(confluent(server.url), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
      serializer.registry.add(DispatchedV2);
      const bytes = await serializer.serialize(SHIPPING_TOPIC, asBuf(shipment));
      expect(bytes.readInt32BE(1)).toBe(3);
      expect(unframe(bytes, true).messageIndexes).toEqual([0]);
      expect(shipmentDispatched.decode(bytes)).toEqual(shipment);
    });

    const v1Sent = {
      eventId: 'e-0',
      occurredAt: timestampFromDate(new Date('2023-12-31T23:59:59.5Z')),
      correlationId: 'order-1',
      shipmentId: 's-1',
      destination: { street: 'Main St 2', postalCode: '10115', city: 'Berlin', country: 'DE' },
      carrier: CARRIER.CARRIER_POST,
    };
    /** The V1 value as the generated module reads it into V2: the added fields at their defaults, no oneof member. */
    const v1Read: ShipmentDispatched = {
      event_id: 'e-0',
      occurred_at: new Date('2023-12-31T23:59:59.5Z'),
      correlation_id: 'order-1',
      shipment_id: 's-1',
      destination: { street: 'Main St 2', postal_code: '10115', city: 'Berlin', country: 'DE' },
      carrier: 'CARRIER_POST',
      weight_grams: '0',
      labels: [],
      attributes: {},
    };

    it('bytes an auto-registering ProtobufSerializer writes with the V1 message (a new id) decode through decodeAsync into V2', async () => {
      const serializer = new ProtobufSerializer(confluent(server.url), SerdeType.VALUE, { autoRegisterSchemas: true });
      serializer.registry.add(DispatchedV1);
      const bytes = await serializer.serialize('shipping.shipment-dispatched-v1', create(DispatchedV1, v1Sent));
      const id = bytes.readInt32BE(1);
      expect([1, 2, 3]).not.toContain(id);
      expect(unframe(bytes, true).messageIndexes).toEqual([0]);
      expect(() => shipmentDispatched.decode(bytes)).toThrow(/decodeAsync/);
      const decoded = await shipmentDispatched.decodeAsync(bytes, new SchemaRegistryClient({ baseUrl: server.url }));
      expect(decoded).toEqual(v1Read);
      expect(decoded.notify).toBeUndefined();
    });

    // The serialized descriptor carries no custom options (here the PII tag); the lookup still matches the schema.
    it('bytes ProtobufSerializer writes with the V1 message and useSchemaId 2 decode into V2 (blocked: serialized lookup)', async () => {
      const serializer = new ProtobufSerializer(confluent(server.url), SerdeType.VALUE, { autoRegisterSchemas: false, useSchemaId: 2 });
      serializer.registry.add(DispatchedV1);
      const bytes = await serializer.serialize(SHIPPING_TOPIC, create(DispatchedV1, v1Sent));
      expect(bytes.readInt32BE(1)).toBe(2);
      expect(shipmentDispatched.decode(bytes)).toEqual(v1Read);
    });

    it('bytes an auto-registering ProtobufSerializer writes under another subject decode through decodeAsync', async () => {
      const serializer = new ProtobufSerializer(confluent(server.url), SerdeType.VALUE, { autoRegisterSchemas: true });
      serializer.registry.add(DispatchedV2);
      const bytes = await serializer.serialize('shipping.shipment-dispatched-copy', asBuf(shipment));
      const id = bytes.readInt32BE(1);
      expect(unframe(bytes, true).messageIndexes).toEqual([0]);
      const registered = await client(server.url).get('/subjects/shipping.shipment-dispatched-copy-value/versions/latest');
      expect(registered.status, registered.text).toBe(200);
      expect(registered.json.id).toBe(id);
      // Its descriptor has no (confluent.field_meta) option, so it is not V2's schema text: a new id.
      expect([1, 2, 3]).not.toContain(id);
      expect(() => shipmentDispatched.decode(bytes)).toThrow(/decodeAsync/);
      expect(await shipmentDispatched.decodeAsync(bytes, new SchemaRegistryClient({ baseUrl: server.url }))).toEqual(shipment);
    });
  });
});
