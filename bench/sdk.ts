// The `sdk` section of `npm run bench`: generated event modules (test/golden) against the raw libraries and the
// @kafkajs/confluent-schema-registry client, all in this process and this run, so each figure is a ratio. Cases run
// in interleaved rounds and each reports its median round: the machine is shared and noisy.
import { readFileSync } from 'node:fs';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { startServer } from '../src/server.js';
import { orderCreated } from '../test/golden/orders/index.js';
import { shipmentDispatched } from '../test/golden/shipping/index.js';
import type { ShipmentDispatched } from '../test/golden/shipping/ShipmentDispatched.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);

interface Case {
  name: string;
  iterations: number;
  work: () => unknown;
  /** Awaited per call (the @kafkajs client is asynchronous). */
  async?: boolean;
}

export interface SdkFigure {
  name: string;
  perSecond: number;
}

/** Ops per second of this process's CPU time (user + system), which other processes on the machine do not inflate. */
async function round(c: Case): Promise<number> {
  const n = Math.max(1, Math.round(c.iterations * SCALE));
  const start = process.cpuUsage();
  if (c.async) for (let i = 0; i < n; i++) await c.work();
  else for (let i = 0; i < n; i++) c.work();
  const { user, system } = process.cpuUsage(start);
  return (n / (user + system)) * 1e6;
}

/** Median ops/s of each case over ROUNDS interleaved rounds, after a warm-up round. */
async function measureAll(cases: Case[]): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (const c of cases) await round({ ...c, iterations: Math.min(c.iterations, 2000) });
  for (let r = 0; r < ROUNDS; r++) for (const c of cases) samples.get(c.name)!.push(await round(c));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return new Map([...samples].map(([name, xs]) => [name, median(xs)]));
}

const order = (v: number) => readFileSync(`contracts/examples/orders/order-created.v${v}.avsc`, 'utf8');

/** The 5-byte Confluent header in front of a payload, as a user of the raw library writes it. */
function withHeader(id: number, payload: Uint8Array, indexes?: Uint8Array): Buffer {
  const extra = indexes?.length ?? 0;
  const out = Buffer.allocUnsafe(5 + extra + payload.length);
  out[0] = 0;
  out.writeInt32BE(id, 1);
  if (indexes) out.set(indexes, 5);
  out.set(payload, 5 + extra);
  return out;
}

/** A protobufjs type straight from the contract files, the way a service using protobufjs alone loads it. */
function shipmentType(): protobuf.Type {
  const root = new protobuf.Root();
  const common = (protobuf as unknown as { common: { get(p: string): { nested: Record<string, protobuf.AnyNestedObject> } | null } }).common;
  root.addJSON(common.get('google/protobuf/timestamp.proto')!.nested);
  protobuf.parse(readFileSync('contracts/examples/shipping/address.proto', 'utf8'), root, { keepCase: true });
  protobuf.parse(readFileSync('test/golden/shipping/shipment-dispatched.v2.proto', 'utf8'), root, { keepCase: true });
  root.resolveAll();
  return root.lookupType('shipping.v1.ShipmentDispatched');
}

export async function sdkBenchmarks(): Promise<void> {
  // A registry for the @kafkajs client, holding orders-value v1..v3 under ids 1..3 as the golden module was generated.
  const server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir: 'memory://', maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent' });
  try {
    const headers = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
    await fetch(`${server.url}/config/orders-value`, { method: 'PUT', headers, body: JSON.stringify({ compatibility: 'NONE' }) });
    for (const v of [1, 2, 3]) {
      const res = await fetch(`${server.url}/subjects/orders-value/versions`, { method: 'POST', headers, body: JSON.stringify({ schema: order(v) }) });
      const { id } = (await res.json()) as { id: number };
      if (id !== v) throw new Error(`orders-value v${v} registered as id ${id}, not ${v}: the golden module would not match`);
    }
    const kafkajs = new SchemaRegistry({ host: server.url });

    // ---- Avro: OrderCreated v3 (id 3); v1 bytes (id 1) for the upcast case.
    const value = { orderId: 'order-000123', amountCents: 129_900, currency: 'EUR' };
    const rawType = avro.Type.forSchema(JSON.parse(order(3)) as avro.Schema);
    const framed = orderCreated.encode(value);
    const v1 = withHeader(1, avro.Type.forSchema(JSON.parse(order(1)) as avro.Schema).toBuffer({ orderId: 'order-000123', total: 1299 }));
    const viaKafkajs = await kafkajs.encode(3, value);
    if (JSON.stringify(orderCreated.decode(v1)) !== JSON.stringify({ orderId: 'order-000123', amountCents: 129_900, currency: 'USD' })) {
      throw new Error('v1 bytes did not upcast as expected');
    }

    // ---- Protobuf: ShipmentDispatched V2 (id 3, message indexes [0]).
    const shipment: ShipmentDispatched = {
      event_id: '5f0c6d1e-8a8b-4c1e-9f1a-2b3c4d5e6f70',
      occurred_at: new Date('2024-05-06T07:08:09.123Z'),
      correlation_id: 'order-000123',
      shipment_id: 'shp-42',
      destination: { street: '1 Quay St', postal_code: 'AB1 2CD', city: 'Leith', country: 'GB' },
      carrier: 'CARRIER_COURIER',
      weight_grams: '1250',
      labels: ['fragile'],
      attributes: { depot: 'EDI-3' },
      email: 'ann@example.com',
      notify: 'email',
    };
    const pbType = shipmentType();
    // The same event in protobufjs' object form: Timestamp as seconds and nanos, no oneof discriminator.
    const { notify: _notify, ...rest } = shipment;
    const pbObject = { ...rest, occurred_at: { seconds: 1714979289, nanos: 123_000_000 } };
    const toObject: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };
    const pbFramed = shipmentDispatched.encode(shipment);
    const pbMessage = pbType.fromObject(pbObject);
    const V1_INDEX = Uint8Array.of(0);

    const cases: Case[] = [
      { name: 'avro encode: generated', iterations: 100_000, work: () => orderCreated.encode(value) },
      { name: 'avro encode: raw avsc', iterations: 100_000, work: () => withHeader(3, rawType.toBuffer(value)) },
      { name: 'avro encode: @kafkajs client', iterations: 30_000, async: true, work: () => kafkajs.encode(3, value) },
      { name: 'avro decode: generated', iterations: 100_000, work: () => orderCreated.decode(framed) },
      { name: 'avro decode: raw avsc', iterations: 100_000, work: () => rawType.fromBuffer(framed.subarray(5)) },
      { name: 'avro decode: @kafkajs client', iterations: 30_000, async: true, work: () => kafkajs.decode(viaKafkajs) },
      { name: 'avro decode: generated, v1 bytes upcast', iterations: 100_000, work: () => orderCreated.decode(v1) },
      { name: 'protobuf encode: generated', iterations: 30_000, work: () => shipmentDispatched.encode(shipment) },
      { name: 'protobuf encode: raw protobufjs', iterations: 30_000, work: () => withHeader(3, pbType.encode(pbType.fromObject(pbObject)).finish(), V1_INDEX) },
      { name: 'protobuf decode: generated', iterations: 30_000, work: () => shipmentDispatched.decode(pbFramed) },
      { name: 'protobuf decode: raw protobufjs', iterations: 30_000, work: () => pbType.toObject(pbType.decode(pbFramed.subarray(6)), toObject) },
      // For scale, no goal: protobufjs without its plain-object conversion (a prepared message in; Message instances
      // with Long objects and enum numbers out).
      { name: 'protobuf encode: protobufjs, message only', iterations: 30_000, work: () => withHeader(3, pbType.encode(pbMessage).finish(), V1_INDEX) },
      { name: 'protobuf decode: protobufjs, message only', iterations: 30_000, work: () => pbType.decode(pbFramed.subarray(6)) },
    ];
    const ops = await measureAll(cases);
    const of = (name: string) => ops.get(name)!;

    console.log(`\nSDK: generated modules (test/golden) vs raw libraries, ops per CPU-second, median of ${ROUNDS} interleaved rounds\n`);
    console.log(`${'case'.padEnd(52)} ${'ops/s'.padStart(10)}`);
    for (const c of cases) console.log(`${c.name.padEnd(52)} ${of(c.name).toFixed(0).padStart(10)}`);
    const ratios: [string, string, string, number][] = [
      ['avro encode: generated / raw avsc', 'avro encode: generated', 'avro encode: raw avsc', 0.9],
      ['avro decode: generated / raw avsc', 'avro decode: generated', 'avro decode: raw avsc', 0.9],
      ['protobuf encode: generated / raw protobufjs', 'protobuf encode: generated', 'protobuf encode: raw protobufjs', 0.9],
      ['protobuf decode: generated / raw protobufjs', 'protobuf decode: generated', 'protobuf decode: raw protobufjs', 0.9],
      ['avro encode: generated / @kafkajs client', 'avro encode: generated', 'avro encode: @kafkajs client', 2.5],
      ['avro decode: generated / @kafkajs client', 'avro decode: generated', 'avro decode: @kafkajs client', 2.5],
      ['avro decode: v1 upcast / same version', 'avro decode: generated, v1 bytes upcast', 'avro decode: generated', 0.5],
      ['(info) protobuf encode: generated / message only', 'protobuf encode: generated', 'protobuf encode: protobufjs, message only', 0],
      ['(info) protobuf decode: generated / message only', 'protobuf decode: generated', 'protobuf decode: protobufjs, message only', 0],
    ];
    console.log(`\n${'ratio'.padEnd(52)} ${'×'.padStart(10)} ${'goal'.padStart(6)}`);
    for (const [label, a, b, goal] of ratios) {
      const ratio = of(a) / of(b);
      const target = goal > 0 ? `≥${goal}` : '';
      console.log(`${label.padEnd(52)} ${ratio.toFixed(2).padStart(10)} ${target.padStart(6)}${ratio >= goal ? '' : '  below goal'}`);
    }
  } finally {
    await server.close();
  }
}

if (process.argv[1]?.endsWith('sdk.ts')) await sdkBenchmarks();
