// Real clients, unchanged, against a running Accord with JSON Schema subjects: @kafkajs/confluent-schema-registry
// (SchemaType.JSON) and Confluent's own @confluentinc/schemaregistry (client calls, and its JSON serializer in
// auto-register and use-latest modes, validating with Ajv as it does in production).
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { JsonDeserializer, JsonSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client as restClient, startTestServer, type TestServer } from '../support/server.js';

const D7 = 'http://json-schema.org/draft-07/schema#';
const D2020 = 'https://json-schema.org/draft/2020-12/schema';

const orderV1 = {
  $schema: D7,
  title: 'OrderPlaced',
  type: 'object',
  properties: { orderId: { type: 'string' }, total: { type: 'number', minimum: 0 } },
  required: ['orderId', 'total'],
  additionalProperties: false,
};
const orderV2 = { ...orderV1, properties: { ...orderV1.properties, currency: { type: 'string', default: 'USD' } } };
const orderBroken = { ...orderV1, properties: { orderId: { type: 'integer' }, total: { type: 'number' } } };

describe.each(backends)('JSON Schema clients against Accord ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  describe('@kafkajs/confluent-schema-registry', () => {
    it('registers, looks up, encodes and decodes JSON, and sees a 409 for an incompatible schema', async () => {
      const registry = new SchemaRegistry({ host: server.url });
      const subject = 'kafkajs-orders-value';
      const { id } = await registry.register({ type: SchemaType.JSON, schema: JSON.stringify(orderV1) }, { subject });
      const bytes = await registry.encode(id, { orderId: 'o-1', total: 12.5 });
      expect(bytes[0]).toBe(0);
      expect(bytes.readInt32BE(1)).toBe(id);
      expect(JSON.parse(bytes.subarray(5).toString('utf8'))).toEqual({ orderId: 'o-1', total: 12.5 });
      // The client validates on encode against the schema Accord serves.
      await expect(registry.encode(id, { orderId: 'o-1', total: -1 })).rejects.toThrow();
      const fresh = new SchemaRegistry({ host: server.url });
      expect(await fresh.decode(bytes)).toEqual({ orderId: 'o-1', total: 12.5 });

      const v2 = await registry.register({ type: SchemaType.JSON, schema: JSON.stringify(orderV2) }, { subject });
      expect(v2.id).not.toBe(id);
      expect(await registry.getLatestSchemaId(subject)).toBe(v2.id);
      expect(await registry.getRegistryIdBySchema(subject, { type: SchemaType.JSON, schema: JSON.stringify(orderV1) })).toBe(id);
      await expect(registry.register({ type: SchemaType.JSON, schema: JSON.stringify(orderBroken) }, { subject })).rejects.toThrow(/409|incompatible/i);
    });
  });

  describe('@confluentinc/schemaregistry', () => {
    const confluent = () => new SchemaRegistryClient({ baseURLs: [server.url], maxRetries: 0 });

    it('registers, looks up, reads back and checks compatibility of JSON schemas', async () => {
      const client = confluent();
      const subject = 'confluent-orders-value';
      const info = { schemaType: 'JSON', schema: JSON.stringify(orderV1) };
      const id = await client.register(subject, info, false);
      expect(await confluent().getId(subject, info, false)).toBe(id);
      expect(await confluent().getVersion(subject, info, false, false)).toBe(1);
      const latest = await confluent().getLatestSchemaMetadata(subject);
      expect(latest).toMatchObject({ id, version: 1, schemaType: 'JSON' });
      expect(JSON.parse(latest.schema!)).toEqual(orderV1);
      // A closed model takes a new optional property (BACKWARD); a changed type it does not.
      expect(await client.testSubjectCompatibility(subject, { schemaType: 'JSON', schema: JSON.stringify(orderV2) })).toBe(true);
      expect(await client.testCompatibility(subject, 1, { schemaType: 'JSON', schema: JSON.stringify(orderBroken) })).toBe(false);
      await expect(client.register(subject, { schemaType: 'JSON', schema: JSON.stringify(orderBroken) }, false)).rejects.toThrow(/409|incompatible/i);
      expect(await client.register(subject, { schemaType: 'JSON', schema: JSON.stringify(orderV2) }, true)).toBeGreaterThan(id);
    });

    it('auto-register: the serializer registers the schema it derives, and a fresh deserializer reads the bytes', async () => {
      const topic = 'auto-orders';
      const serializer = new JsonSerializer(confluent(), SerdeType.VALUE, { autoRegisterSchemas: true });
      const bytes = await serializer.serialize(topic, { orderId: 'o-1', total: 3 });
      const id = bytes.readInt32BE(1);
      const stored = await restClient(server.url).get(`/schemas/ids/${id}`);
      expect(stored.json).toMatchObject({ schemaType: 'JSON' });
      const deserializer = new JsonDeserializer(confluent(), SerdeType.VALUE, {});
      expect(await deserializer.deserialize(topic, bytes)).toEqual({ orderId: 'o-1', total: 3 });
      // The derived schema is open, so a message with one more field derives a STRICT-incompatible schema, as in Confluent.
      await expect(serializer.serialize(topic, { orderId: 'o-2', total: 3, note: 'x' })).rejects.toThrow(/409|incompatible/i);
    });

    it('use-latest with validation: a hand-written 2020-12 schema, valid messages pass both ways, invalid ones are refused', async () => {
      const topic = 'latest-payments';
      const schema = {
        $schema: D2020,
        title: 'PaymentCaptured',
        type: 'object',
        properties: { paymentId: { type: 'string', minLength: 1 }, amount: { type: 'number', exclusiveMinimum: 0 }, tags: { type: 'array', prefixItems: [{ type: 'string' }], items: false } },
        required: ['paymentId', 'amount'],
      };
      const client = confluent();
      const id = await client.register(`${topic}-value`, { schemaType: 'JSON', schema: JSON.stringify(schema) }, false);
      const serializer = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, validate: true });
      const message = { paymentId: 'p-1', amount: 10, tags: ['card'] };
      const bytes = await serializer.serialize(topic, message);
      expect(bytes.readInt32BE(1)).toBe(id);
      await expect(serializer.serialize(topic, { paymentId: '', amount: 10 })).rejects.toThrow(/Invalid message/);
      const deserializer = new JsonDeserializer(confluent(), SerdeType.VALUE, { validate: true });
      expect(await deserializer.deserialize(topic, bytes)).toEqual(message);
    });

    it('references: a $ref to a referenced subject resolves in the client as in Accord', async () => {
      const client = confluent();
      const money = { $schema: D7, type: 'object', properties: { units: { type: 'integer' }, currency: { type: 'string' } }, required: ['units', 'currency'] };
      await client.register('money.json', { schemaType: 'JSON', schema: JSON.stringify(money) }, false);
      const refund = { $schema: D7, title: 'RefundIssued', type: 'object', properties: { refundId: { type: 'string' }, amount: { $ref: 'money.json' } }, required: ['refundId', 'amount'] };
      const id = await client.register(
        'refunds-value',
        { schemaType: 'JSON', schema: JSON.stringify(refund), references: [{ name: 'money.json', subject: 'money.json', version: 1 }] },
        false,
      );
      const serializer = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, validate: true });
      const bytes = await serializer.serialize('refunds', { refundId: 'r-1', amount: { units: 5, currency: 'EUR' } });
      expect(bytes.readInt32BE(1)).toBe(id);
      await expect(serializer.serialize('refunds', { refundId: 'r-1', amount: { units: 'five', currency: 'EUR' } })).rejects.toThrow(/Invalid message/);
      expect(await new JsonDeserializer(confluent(), SerdeType.VALUE, { validate: true }).deserialize('refunds', bytes)).toEqual({ refundId: 'r-1', amount: { units: 5, currency: 'EUR' } });
    });
  });
});
