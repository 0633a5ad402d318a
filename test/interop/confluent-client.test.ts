// Confluent's own JavaScript client, @confluentinc/schemaregistry, against a running Accord.
// Its Avro and Protobuf serializers auto-register, its deserializers (fresh clients, empty caches) read back,
// and the Protobuf bytes it writes carry exactly the message indexes Accord computes for the schema it stored.
// Every HTTP exchange the client makes is recorded and printed when a test fails, so a server difference shows
// as the exact request and Accord's answer.
import { create, createFileRegistry, fromBinary, toBinary, type DescMessage, type FileRegistry, type MessageShape } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
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
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { decodeMessageIndexes, encodeMessageIndexes } from '../../sdk/wire.js';
import type { ResolvedReference, SchemaType } from '../../src/formats/format.js';
import { protobufFormat, type ProtobufParsed } from '../../src/formats/protobuf/index.js';
import { messageIndexes } from '../../src/formats/protobuf/message-indexes.js';
import { backends } from '../support/backends.js';
import { client as restClient, startTestServer, type TestServer } from '../support/server.js';

// ---- HTTP tracing of the client

interface Exchange {
  method: string;
  path: string;
  requestBody?: unknown;
  status?: number;
  responseBody?: unknown;
  error?: string;
}

/** A Confluent client whose axios instance records every request and response into `log`. */
function tracedClient(url: string, log: Exchange[]): SchemaRegistryClient {
  const client = new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 });
  const axios = (client as unknown as { restService: { client: any } }).restService.client;
  const record = (config: any, response: any, error?: any) => {
    let requestBody = config?.data;
    if (typeof requestBody === 'string') {
      try {
        requestBody = JSON.parse(requestBody);
      } catch {
        /* leave as text */
      }
    }
    log.push({
      method: String(config?.method ?? '?').toUpperCase(),
      path: String(config?.url ?? '?'),
      requestBody,
      status: response?.status,
      responseBody: response?.data,
      error: error && !response ? String(error.message ?? error) : undefined,
    });
  };
  axios.interceptors.response.use(
    (response: any) => {
      record(response.config, response);
      return response;
    },
    (error: any) => {
      record(error?.config, error?.response, error);
      return Promise.reject(error);
    },
  );
  return client;
}

function describeExchanges(log: Exchange[]): string {
  return log
    .map((x, i) => {
      const body = x.requestBody === undefined ? '' : `\n      request:  ${JSON.stringify(x.requestBody)}`;
      const answer = x.error ? `network error ${x.error}` : `${x.status} ${JSON.stringify(x.responseBody)}`;
      return `  #${i + 1} ${x.method} ${x.path}${body}\n      response: ${answer}`;
    })
    .join('\n');
}

/** Prints the client's HTTP exchanges if the current test fails (always, with TRACE_CONFLUENT_CLIENT=1). */
function traceOnFailure(...logs: Exchange[][]) {
  const print = () => {
    const all = logs.flat();
    console.error(`HTTP exchanges of @confluentinc/schemaregistry with Accord (${all.length}):\n${describeExchanges(all)}`);
  };
  onTestFailed(print);
  if (process.env.TRACE_CONFLUENT_CLIENT) onTestFinished(print);
}

// ---- Protobuf descriptors built at runtime (no generated code)

const TIMESTAMP = 'google/protobuf/timestamp.proto';
const scalar = (name: string, number: number, type: Type) => ({ name, number, type, label: Label.OPTIONAL, jsonName: camel(name) });
const message = (name: string, number: number, typeName: string, label = Label.OPTIONAL) => ({
  name,
  number,
  type: Type.MESSAGE,
  label,
  typeName,
  jsonName: camel(name),
});
function camel(name: string) {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** shop/order.proto: Header is message [0], Order [1], Order.Line [1,0]; Timestamp comes from a well-known import. */
const orderFile: FileDescriptorProto = create(FileDescriptorProtoSchema, {
  name: 'shop/order.proto',
  package: 'shop',
  syntax: 'proto3',
  dependency: [TIMESTAMP],
  messageType: [
    { name: 'Header', field: [scalar('source', 1, Type.STRING)] },
    {
      name: 'Order',
      field: [
        scalar('id', 1, Type.STRING),
        message('placed_at', 2, '.google.protobuf.Timestamp'),
        message('lines', 3, '.shop.Order.Line', Label.REPEATED),
      ],
      nestedType: [
        {
          name: 'Line',
          field: [scalar('sku', 1, Type.STRING), scalar('quantity', 2, Type.INT32), message('shipped_at', 3, '.google.protobuf.Timestamp')],
        },
      ],
    },
  ],
});

/** shop/common.proto, imported by shop/payment.proto: the client registers it as a subject of its own. */
const commonFile: FileDescriptorProto = create(FileDescriptorProtoSchema, {
  name: 'shop/common.proto',
  package: 'shop.common',
  syntax: 'proto3',
  messageType: [{ name: 'Money', field: [scalar('currency_code', 1, Type.STRING), scalar('units', 2, Type.INT64), scalar('nanos', 3, Type.INT32)] }],
});

/** shop/payment.proto: Payment is [0], Payment.Refund [0,0], Receipt [1]. */
const paymentFile: FileDescriptorProto = create(FileDescriptorProtoSchema, {
  name: 'shop/payment.proto',
  package: 'shop',
  syntax: 'proto3',
  dependency: [TIMESTAMP, 'shop/common.proto'],
  messageType: [
    {
      name: 'Payment',
      field: [scalar('id', 1, Type.STRING), message('amount', 2, '.shop.common.Money'), message('paid_at', 3, '.google.protobuf.Timestamp')],
      nestedType: [{ name: 'Refund', field: [scalar('reason', 1, Type.STRING), message('amount', 2, '.shop.common.Money')] }],
    },
    { name: 'Receipt', field: [scalar('payment_id', 1, Type.STRING)] },
  ],
});

function registryOf(file: FileDescriptorProto): FileRegistry {
  const known: Record<string, FileDescriptorProto> = { 'shop/common.proto': commonFile };
  return createFileRegistry(file, (name) => (name === TIMESTAMP ? file_google_protobuf_timestamp : known[name]));
}

function messageDesc(registry: FileRegistry, typeName: string): DescMessage {
  const desc = registry.getMessage(typeName);
  if (!desc) throw new Error(`no message ${typeName} in the test registry`);
  return desc;
}

// ---- Accord's own view of a stored schema

const rest = (url: string) => restClient(url);

/** GET /schemas/ids/{id}, its references resolved (dependencies first), parsed by Accord's Protobuf format. */
async function accordParse(url: string, id: number): Promise<ProtobufParsed> {
  const api = rest(url);
  const res = await api.get(`/schemas/ids/${id}`);
  expect(res.status, res.text).toBe(200);
  const resolved: ResolvedReference[] = [];
  const resolve = async (refs: { name: string; subject: string; version: number }[] | undefined) => {
    for (const ref of refs ?? []) {
      const got = await api.get(`/subjects/${encodeURIComponent(ref.subject)}/versions/${ref.version}`);
      expect(got.status, got.text).toBe(200);
      await resolve(got.json.references);
      resolved.push({ ...ref, schemaType: (got.json.schemaType ?? 'AVRO') as SchemaType, schema: got.json.schema });
    }
  };
  await resolve(res.json.references);
  return protobufFormat.parse(res.json.schema, resolved, { validate: false, normalize: false, maxDepth: 64 }) as ProtobufParsed;
}

/** The client's bytes: magic 0, the id, then exactly Accord's message indexes for `fullName`, then the message. */
function expectFramedAsAccordSays(bytes: Buffer, id: number, parsed: ProtobufParsed, desc: DescMessage, value: MessageShape<DescMessage>) {
  expect(bytes[0]).toBe(0);
  expect(bytes.readInt32BE(1)).toBe(id);
  const indexes = messageIndexes(parsed.native).get(desc.typeName);
  expect(indexes, `Accord has no message ${desc.typeName}`).toBeDefined();
  const expected = encodeMessageIndexes(indexes!);
  expect(Buffer.from(bytes.subarray(5, 5 + expected.length)).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  expect(decodeMessageIndexes(bytes, 5)).toEqual({ indexes, next: 5 + expected.length });
  expect(Buffer.from(bytes.subarray(5 + expected.length)).equals(Buffer.from(toBinary(desc, value)))).toBe(true);
}

// ---- The suites

describe.each(backends)('@confluentinc/schemaregistry against Accord ($name)', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('Avro: AvroSerializer auto-registers a record schema, a fresh AvroDeserializer reads the value back', async () => {
    const writeLog: Exchange[] = [];
    const readLog: Exchange[] = [];
    traceOnFailure(writeLog, readLog);

    const serializer = new AvroSerializer(tracedClient(server.url, writeLog), SerdeType.VALUE, { autoRegisterSchemas: true });
    const value = { orderId: 'o-1', total: 12.5, items: 3, note: 'gift wrap' };
    const bytes = await serializer.serialize('payments', value);
    expect(bytes[0]).toBe(0);
    const id = bytes.readInt32BE(1);
    expect(id).toBeGreaterThan(0);

    const deserializer = new AvroDeserializer(tracedClient(server.url, readLog), SerdeType.VALUE, {});
    expect({ ...(await deserializer.deserialize('payments', bytes)) }).toEqual(value);

    // The registration is visible through Accord's REST API.
    const latest = await rest(server.url).get('/subjects/payments-value/versions/latest');
    expect(latest.status, latest.text).toBe(200);
    expect(latest.json).toMatchObject({ subject: 'payments-value', version: 1, id });
    expect(latest.json.schemaType ?? 'AVRO').toBe('AVRO');
    const schema = JSON.parse(latest.json.schema);
    expect(schema.type).toBe('record');
    expect(schema.fields.map((f: { name: string }) => f.name)).toEqual(['orderId', 'total', 'items', 'note']);
    // The deserializer fetched the writer schema by id, and did so successfully.
    expect(readLog.some((x) => x.method === 'GET' && x.path.startsWith(`/schemas/ids/${id}`) && x.status === 200)).toBe(true);
  });

  describe('Protobuf: a file importing google/protobuf/timestamp.proto, nested message Order.Line', () => {
    const registry = registryOf(orderFile);
    const Line = messageDesc(registry, 'shop.Order.Line');
    const Order = messageDesc(registry, 'shop.Order');
    const Header = messageDesc(registry, 'shop.Header');
    const placed = timestampFromDate(new Date('2024-05-06T07:08:09.123Z'));
    const shipped = timestampFromDate(new Date('2024-05-07T10:11:12.5Z'));
    const line = create(Line, { sku: 'SKU-42', quantity: 3, shippedAt: shipped });
    const order = create(Order, { id: 'o-9', placedAt: placed, lines: [line, create(Line, { sku: 'SKU-7', quantity: 1 })] });
    const header = create(Header, { source: 'web' });

    const writeLog: Exchange[] = [];
    let written: { line: Buffer; order: Buffer; header: Buffer } | undefined;
    let id = 0;

    /** Serializes once, shared by the tests below (each still fails on its own if this does). */
    async function write() {
      if (written) return written;
      const serializer = new ProtobufSerializer(tracedClient(server.url, writeLog), SerdeType.VALUE, { autoRegisterSchemas: true });
      serializer.registry.add(Line);
      serializer.registry.add(Order);
      serializer.registry.add(Header);
      const lineBytes = await serializer.serialize('orders', line);
      written = { line: lineBytes, order: await serializer.serialize('orders', order), header: await serializer.serialize('orders', header) };
      id = lineBytes.readInt32BE(1);
      return written;
    }

    it('ProtobufSerializer registers the base64 FileDescriptorProto; Accord stores .proto text and answers format=serialized with base64', async () => {
      traceOnFailure(writeLog);
      await write();
      const register = writeLog.find((x) => x.method === 'POST' && x.path.startsWith('/subjects/orders-value/versions'));
      expect(register, 'the client registered under orders-value').toBeDefined();
      expect((register!.requestBody as { schemaType: string }).schemaType).toBe('PROTOBUF');
      // What the client sent is a serialized FileDescriptorProto, not .proto text.
      const sent = fromBinary(FileDescriptorProtoSchema, Buffer.from((register!.requestBody as { schema: string }).schema, 'base64'));
      expect(sent.messageType.map((m) => m.name)).toEqual(['Header', 'Order']);
      expect(register!.status).toBe(200);

      const api = rest(server.url);
      const latest = await api.get('/subjects/orders-value/versions/latest');
      expect(latest.status, latest.text).toBe(200);
      expect(latest.json).toMatchObject({ subject: 'orders-value', version: 1, id, schemaType: 'PROTOBUF' });
      expect(latest.json.schema).toContain(`import "${TIMESTAMP}";`);
      expect(latest.json.schema).toMatch(/message Order \{[\s\S]*message Line \{/);

      const serialized = await api.get(`/schemas/ids/${id}?format=serialized`);
      expect(serialized.status, serialized.text).toBe(200);
      expect(serialized.json.schema).toMatch(/^[A-Za-z0-9+/]+=*$/);
      const back = fromBinary(FileDescriptorProtoSchema, Buffer.from(serialized.json.schema, 'base64'));
      expect(back.package).toBe('shop');
      expect(back.dependency).toEqual([TIMESTAMP]);
      expect(back.messageType.map((m) => m.name)).toEqual(['Header', 'Order']);
      expect(back.messageType[1]!.nestedType.map((m) => m.name)).toEqual(['Line']);
    });

    it('a fresh ProtobufDeserializer reads Order.Line, Order and Header back with equal fields, Timestamps included', async () => {
      const readLog: Exchange[] = [];
      traceOnFailure(writeLog, readLog);
      const bytes = await write();
      const deserializer = new ProtobufDeserializer(tracedClient(server.url, readLog), SerdeType.VALUE, {});

      const lineBack = await deserializer.deserialize('orders', bytes.line);
      expect(lineBack.$typeName).toBe('shop.Order.Line');
      expect(lineBack).toEqual(line);
      expect(lineBack.shippedAt).toEqual({ $typeName: 'google.protobuf.Timestamp', seconds: shipped.seconds, nanos: 500_000_000 });

      const orderBack = await deserializer.deserialize('orders', bytes.order);
      expect(orderBack.$typeName).toBe('shop.Order');
      expect(orderBack).toEqual(order);
      expect(orderBack.placedAt.seconds).toBe(BigInt(Date.parse('2024-05-06T07:08:09Z') / 1000));
      expect(orderBack.placedAt.nanos).toBe(123_000_000);

      expect(await deserializer.deserialize('orders', bytes.header)).toEqual(header);
      // It asked Accord for the writer schema in serialized form.
      expect(readLog.some((x) => x.method === 'GET' && x.path.startsWith(`/schemas/ids/${id}?`) && x.path.includes('format=serialized') && x.status === 200)).toBe(
        true,
      );
    });

    it("the client's message indexes are byte for byte the ones Accord computes from the schema it stored", async () => {
      traceOnFailure(writeLog);
      const bytes = await write();
      const parsed = await accordParse(server.url, id);
      expect(messageIndexes(parsed.native).get('shop.Order.Line')).toEqual([1, 0]);
      expectFramedAsAccordSays(bytes.line, id, parsed, Line, line);
      expect(bytes.line.subarray(5, 8).toString('hex')).toBe('040200'); // count 2, then 1 and 0, zig-zag
      expectFramedAsAccordSays(bytes.order, id, parsed, Order, order);
      expectFramedAsAccordSays(bytes.header, id, parsed, Header, header);
      expect(bytes.header[5]).toBe(0); // [0] is the single byte 0x00
    });
  });

  it('Protobuf with a reference: the imported shop/common.proto is registered as its own subject and the message round-trips', async () => {
    const writeLog: Exchange[] = [];
    const readLog: Exchange[] = [];
    traceOnFailure(writeLog, readLog);

    const registry = registryOf(paymentFile);
    const Payment = messageDesc(registry, 'shop.Payment');
    const Refund = messageDesc(registry, 'shop.Payment.Refund');
    const Money = messageDesc(registry, 'shop.common.Money');
    const refund = create(Refund, { reason: 'damaged', amount: create(Money, { currencyCode: 'EUR', units: 12n, nanos: 340_000_000 }) });
    const payment = create(Payment, {
      id: 'p-1',
      amount: create(Money, { currencyCode: 'EUR', units: 99n }),
      paidAt: timestampFromDate(new Date('2024-06-01T00:00:01.25Z')),
    });

    const serializer = new ProtobufSerializer(tracedClient(server.url, writeLog), SerdeType.VALUE, { autoRegisterSchemas: true });
    serializer.registry.add(Payment);
    serializer.registry.add(Refund);
    const refundBytes = await serializer.serialize('payments-pb', refund);
    const paymentBytes = await serializer.serialize('payments-pb', payment);
    const id = refundBytes.readInt32BE(1);

    // The dependency went in under its file name as subject; the main schema references it.
    const api = rest(server.url);
    const dep = await api.get(`/subjects/${encodeURIComponent('shop/common.proto')}/versions/latest`);
    expect(dep.status, dep.text).toBe(200);
    expect(dep.json).toMatchObject({ subject: 'shop/common.proto', version: 1, schemaType: 'PROTOBUF' });
    expect(dep.json.schema).toContain('message Money {');
    const main = await api.get('/subjects/payments-pb-value/versions/latest');
    expect(main.status, main.text).toBe(200);
    expect(main.json).toMatchObject({ id, references: [{ name: 'shop/common.proto', subject: 'shop/common.proto', version: 1 }] });
    expect(main.json.schema).toContain('import "shop/common.proto";');

    // A fresh deserializer resolves the reference (format=serialized) and reads both messages back.
    const deserializer = new ProtobufDeserializer(tracedClient(server.url, readLog), SerdeType.VALUE, {});
    const refundBack = await deserializer.deserialize('payments-pb', refundBytes);
    expect(refundBack.$typeName).toBe('shop.Payment.Refund');
    expect(refundBack).toEqual(refund);
    const paymentBack = await deserializer.deserialize('payments-pb', paymentBytes);
    expect(paymentBack).toEqual(payment);
    expect(paymentBack.paidAt.nanos).toBe(250_000_000);

    // Message indexes against Accord's parse of the stored schema, references resolved.
    const parsed = await accordParse(server.url, id);
    expect(messageIndexes(parsed.native).get('shop.Payment.Refund')).toEqual([0, 0]);
    expectFramedAsAccordSays(refundBytes, id, parsed, Refund, refund);
    expectFramedAsAccordSays(paymentBytes, id, parsed, Payment, payment);
  });

  it('serializers that do not register find the registered schema: lookup (POST /subjects/{s}) and useLatestVersion', async () => {
    const log: Exchange[] = [];
    traceOnFailure(log);

    // Protobuf with a reference, registered once by an auto-registering producer.
    const registry = registryOf(paymentFile);
    const Refund = messageDesc(registry, 'shop.Payment.Refund');
    const refund = create(Refund, { reason: 'late' });
    const registering = new ProtobufSerializer(tracedClient(server.url, log), SerdeType.VALUE, { autoRegisterSchemas: true });
    registering.registry.add(Refund);
    const id = (await registering.serialize('refunds', refund)).readInt32BE(1);

    // A producer that only looks up: the base64 descriptor plus its reference must match what Accord stored.
    const lookingUp = new ProtobufSerializer(tracedClient(server.url, log), SerdeType.VALUE, { autoRegisterSchemas: false });
    lookingUp.registry.add(Refund);
    const lookedUp = await lookingUp.serialize('refunds', refund);
    expect(lookedUp.readInt32BE(1)).toBe(id);

    // A producer pinned to the latest version fetches it with format=serialized.
    const latest = new ProtobufSerializer(tracedClient(server.url, log), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
    latest.registry.add(Refund);
    const pinned = await latest.serialize('refunds', refund);
    expect(pinned.readInt32BE(1)).toBe(id);
    expect(log.some((x) => x.path.startsWith('/subjects/refunds-value/versions/latest?format=serialized') && x.status === 200)).toBe(true);

    const back = await new ProtobufDeserializer(tracedClient(server.url, log), SerdeType.VALUE, {}).deserialize('refunds', pinned);
    expect(back).toEqual(refund);

    // Avro the same way: register, then look up with the same (inferred) schema.
    const value = { sku: 'SKU-1', count: 2 };
    const avroId = (await new AvroSerializer(tracedClient(server.url, log), SerdeType.VALUE, { autoRegisterSchemas: true }).serialize('stock', value)).readInt32BE(1);
    const avroLookup = new AvroSerializer(tracedClient(server.url, log), SerdeType.VALUE, { autoRegisterSchemas: false });
    expect((await avroLookup.serialize('stock', value)).readInt32BE(1)).toBe(avroId);
    const avroLatest = new AvroSerializer(tracedClient(server.url, log), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
    const avroBytes = await avroLatest.serialize('stock', value);
    expect(avroBytes.readInt32BE(1)).toBe(avroId);
    const avroBack = await new AvroDeserializer(tracedClient(server.url, log), SerdeType.VALUE, { useLatestVersion: true }).deserialize('stock', avroBytes);
    expect({ ...avroBack }).toEqual(value);
  });
});
