// A real third-party client, @kafkajs/confluent-schema-registry, against a running Accord.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';

const orderV1 = {
  type: 'record',
  name: 'OrderCreated',
  namespace: 'shop',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'total', type: 'double' },
  ],
};
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'currency', type: 'string', default: 'USD' }] };

describe.each(backends)('@kafkajs/confluent-schema-registry against Accord ($name)', (backend) => {
  let server: TestServer;
  let registry: SchemaRegistry;

  beforeAll(async () => {
    server = await startTestServer(backend);
    registry = new SchemaRegistry({ host: server.url });
  });
  afterAll(() => server.close());

  it('registers, encodes and decodes Avro', async () => {
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(orderV1) }, { subject: 'orders-value' });
    expect(id).toBe(1);
    const bytes = await registry.encode(id, { orderId: 'o-1', total: 12.5 });
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await registry.decode(bytes)).toEqual({ orderId: 'o-1', total: 12.5 });
  });

  it('evolves the subject and reads the registry back through the client', async () => {
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(orderV2) }, { subject: 'orders-value' });
    expect(id).toBe(2);
    expect(await registry.getLatestSchemaId('orders-value')).toBe(2);
    expect(await registry.getRegistryId('orders-value', 1)).toBe(1);
    expect(await registry.getRegistryIdBySchema('orders-value', { type: SchemaType.AVRO, schema: JSON.stringify(orderV1) })).toBe(1);
    const schema = (await registry.getSchema(2)) as unknown as { name?: string };
    expect(schema.name).toBe('shop.OrderCreated');
    // A fresh client has no cache: decoding makes it fetch the writer schema by id.
    const fresh = new SchemaRegistry({ host: server.url });
    const bytes = await registry.encode(2, { orderId: 'o-2', total: 1, currency: 'EUR' });
    expect(await fresh.decode(bytes)).toEqual({ orderId: 'o-2', total: 1, currency: 'EUR' });
  });

  it('sees an incompatible registration rejected with 409', async () => {
    const broken = { ...orderV1, fields: [{ name: 'orderId', type: 'long' }] };
    await expect(registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(broken) }, { subject: 'orders-value' })).rejects.toThrow(/409|incompatible/i);
  });
});
