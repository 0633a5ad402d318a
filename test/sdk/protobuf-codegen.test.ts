// The Protobuf example end to end: shipping.shipment-dispatched-value v1 (contracts/examples/shipping) and a v2 that
// adds an int64, a repeated string, a map and a oneof (test/golden/shipping/shipment-dispatched.v2.proto), generated
// from a running Accord into test/golden/shipping, compiled, and used to encode and decode. Protobuf's wire
// compatibility covers V1 → V2, so the upcaster is generated and there is no upcasters file.
// ACCORD_UPDATE_GOLDEN=1 rewrites the golden ShipmentDispatched.ts and index.ts instead of comparing them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/run.js';
import { codegen } from '../../src/cli/codegen.js';
import type { ResolvedReference } from '../../src/formats/format.js';
import { protobufFormat, type ProtobufParsed } from '../../src/formats/protobuf/index.js';
import { messageIndexes } from '../../src/formats/protobuf/message-indexes.js';
import { ACCORD_VERSION } from '../../src/version.js';
import { SchemaRegistryClient } from '../../sdk/client.js';
import { encodeMessageIndexes, frame, unframe } from '../../sdk/wire.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import * as golden from '../golden/shipping/index.js';
import type { ShipmentDispatched, ShipmentDispatchedV1 } from '../golden/shipping/ShipmentDispatched.js';

const GOLDEN = 'test/golden/shipping';
const SUBJECT = 'shipping.shipment-dispatched-value';
const MESSAGE = 'shipping.v1.ShipmentDispatched';
const ADDRESS = 'shipping/address.proto';
const addressProto = readFileSync('contracts/examples/shipping/address.proto', 'utf8');
const dispatchedV1 = readFileSync('contracts/examples/shipping/shipment-dispatched.proto', 'utf8');
const dispatchedV2 = readFileSync(join(GOLDEN, 'shipment-dispatched.v2.proto'), 'utf8');

/** The registry the golden module was generated from: address.proto (id 1), then V1 (id 2) and V2 (id 3). */
async function registerShipping(url: string) {
  const api = client(url);
  const references = [{ name: ADDRESS, subject: ADDRESS, version: 1 }];
  const ids = [
    await api.register(ADDRESS, addressProto, { schemaType: 'PROTOBUF' }),
    await api.register(SUBJECT, dispatchedV1, { schemaType: 'PROTOBUF', references }),
    await api.register(SUBJECT, dispatchedV2, { schemaType: 'PROTOBUF', references }),
  ].map((res) => {
    expect(res.status, res.text).toBe(200);
    return res.json.id as number;
  });
  expect(ids).toEqual([1, 2, 3]);
}

/** A protobufjs type straight from the contract files (not from the SDK), for bytes written outside generated code. */
function contractType(dispatched: string): protobuf.Type {
  const root = new protobuf.Root();
  const common = (protobuf as unknown as { common: { get(p: string): { nested: Record<string, protobuf.AnyNestedObject> } | null } }).common;
  root.addJSON(common.get('google/protobuf/timestamp.proto')!.nested);
  protobuf.parse(addressProto, root, { keepCase: true });
  protobuf.parse(dispatched, root, { keepCase: true });
  root.resolveAll();
  return root.lookupType(MESSAGE);
}

const sent: ShipmentDispatched = {
  event_id: 'e-1',
  occurred_at: new Date('2024-05-06T07:08:09.123Z'),
  correlation_id: 'order-7',
  shipment_id: 's-9',
  destination: { street: '1 Quay St', postal_code: 'AB1 2CD', city: 'Leith', country: 'GB' },
  carrier: 'CARRIER_COURIER',
  // Beyond 2^53: an int64 that a JavaScript number would round.
  weight_grams: '9007199254740993',
  labels: ['fragile', 'this side up'],
  attributes: { 'signature-required': 'yes', depot: 'EDI-3' },
  email: 'ann@example.com',
  notify: 'email',
};

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(backends[0]!);
  await registerShipping(server.url);
});
afterAll(() => server?.close());

describe('accord codegen on the ShipmentDispatched example', () => {
  it('writes exactly the committed golden module and index (regenerated from a fresh registry), and no upcasters file', async () => {
    const out = mkdtempSync(join('test', 'golden', '.out-'));
    try {
      const result = await codegen({ registry: server.url, subjects: [SUBJECT], out, runtimeImport: '@accord/sdk/codegen', accordVersion: ACCORD_VERSION });
      expect(result.written.map((p) => p.slice(out.length + 1)).sort()).toEqual(['ShipmentDispatched.ts', 'accord-codegen.json', 'index.ts']);
      expect(result.kept).toEqual([]);
      for (const file of ['ShipmentDispatched.ts', 'index.ts']) {
        // The source line names the test server's port; the golden files hold everything else, byte for byte.
        const generated = readFileSync(join(out, file), 'utf8');
        expect(generated).toContain(`\n// Source: registry ${server.url}.\n`);
        const portless = generated.replace(/^\/\/ Source: .*\n/m, '');
        if (process.env.ACCORD_UPDATE_GOLDEN) writeFileSync(join(GOLDEN, file), portless);
        expect(portless, `${file} differs from ${GOLDEN} (regenerate: ACCORD_UPDATE_GOLDEN=1)`).toBe(
          readFileSync(join(GOLDEN, file), 'utf8'),
        );
      }
      const module = readFileSync(join(out, 'ShipmentDispatched.ts'), 'utf8');
      expect(module).toContain('protobufResolvedUpcaster<ShipmentDispatchedV1, ShipmentDispatchedV2>(versions[0], versions[1])');
      expect(module).not.toContain('.upcasters.js');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the golden module compiles under tsc --strict, and its types reject wrong shapes', async () => {
    const dir = mkdtempSync(join('test', 'golden', '.gen-'));
    try {
      // Each @ts-expect-error fails the build if the line it marks compiles.
      writeFileSync(
        join(dir, 'types.ts'),
        [
          "import { shipmentDispatched } from '../shipping/index.js';",
          "import type { ShipmentDispatched, ShipmentDispatchedV1 } from '../shipping/ShipmentDispatched.js';",
          "const base: ShipmentDispatchedV1 = { event_id: 'e', occurred_at: new Date(0), correlation_id: 'c', shipment_id: 's', destination: null, carrier: 'CARRIER_POST' };",
          "const latest: ShipmentDispatched = { ...base, weight_grams: '1', labels: [], attributes: {}, sms: '+44', notify: 'sms' };",
          'export const bytes: Buffer = shipmentDispatched.encode(latest);',
          'export const back: ShipmentDispatched = shipmentDispatched.decode(bytes);',
          '// @ts-expect-error int64 is a string, not a number',
          'export const n: ShipmentDispatched = { ...latest, weight_grams: 1 };',
          '// @ts-expect-error enums are their value names',
          "export const e: ShipmentDispatched = { ...latest, carrier: 'CARRIER_PIGEON' };",
          '// @ts-expect-error a V1 value is not the latest: the new fields are missing',
          'shipmentDispatched.encode(base);',
          '// @ts-expect-error the oneof discriminator names a member',
          "export const o: ShipmentDispatched = { ...latest, notify: 'fax' };",
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['../shipping/*.ts', './*.ts'] }),
      );
      const output = (await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(dir, 'tsconfig.json')])).stdout;
      expect(output).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the generated ShipmentDispatched module', () => {
  const { shipmentDispatched } = golden;

  it('round-trips a V2 value with no registry: Timestamp as Date, int64 as string, repeated, map, oneof', () => {
    const bytes = shipmentDispatched.encode(sent);
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(3);
    expect(shipmentDispatched.decode(bytes)).toEqual(sent);
    const decoded = shipmentDispatched.decode(bytes);
    expect(decoded.occurred_at).toBeInstanceOf(Date);
    expect(decoded.weight_grams).toBe('9007199254740993');

    const { email: _, ...rest } = sent;
    const other: ShipmentDispatched = { ...rest, sms: '+44 7700 900123', notify: 'sms', attributes: {}, labels: [], weight_grams: '-5' };
    expect(shipmentDispatched.decode(shipmentDispatched.encode(other))).toEqual(other);
  });

  it('writes what protobufjs reads from the contract file itself', () => {
    const bytes = shipmentDispatched.encode(sent);
    const { payload } = unframe(bytes, true);
    const type = contractType(dispatchedV2);
    const read = type.toObject(type.decode(payload), { longs: String, enums: String, oneofs: true }) as Record<string, unknown>;
    expect(read).toMatchObject({
      event_id: 'e-1',
      occurred_at: { seconds: String(Date.parse('2024-05-06T07:08:09Z') / 1000), nanos: 123_000_000 },
      destination: sent.destination,
      carrier: 'CARRIER_COURIER',
      weight_grams: '9007199254740993',
      labels: sent.labels,
      attributes: sent.attributes,
      email: 'ann@example.com',
      notify: 'email',
    });
  });

  it('decodes V1 bytes (written by protobufjs from the V1 contract) into V2, the new fields at their defaults', () => {
    const v1: ShipmentDispatchedV1 = {
      event_id: 'e-0',
      occurred_at: new Date('2023-12-31T23:59:59.5Z'),
      correlation_id: 'order-1',
      shipment_id: 's-1',
      destination: { street: 'Main St 2', postal_code: '10115', city: 'Berlin', country: 'DE' },
      carrier: 'CARRIER_POST',
    };
    const type = contractType(dispatchedV1);
    const payload = type
      .encode(type.fromObject({ ...v1, occurred_at: { seconds: Math.floor(v1.occurred_at!.getTime() / 1000), nanos: 500_000_000 } }))
      .finish();
    const bytes = frame(2, payload, [0]);
    const decoded = shipmentDispatched.decode(bytes);
    expect(decoded).toEqual({ ...v1, weight_grams: '0', labels: [], attributes: {} });
    expect(decoded.notify).toBeUndefined();
    expect(decoded.email).toBeUndefined();
    expect(decoded.sms).toBeUndefined();
    expect(shipmentDispatched.fromKafkaMessage({ value: bytes }).value).toEqual(decoded);
  });

  it('builds and reads Kafka messages', () => {
    const message = shipmentDispatched.toKafkaMessage(sent, 's-9', { source: 'warehouse' });
    expect(message.key).toBe('s-9');
    expect(message.headers).toEqual({ source: 'warehouse' });
    expect(shipmentDispatched.fromKafkaMessage(message).value).toEqual(sent);
  });

  it("frames the message with exactly the message indexes Accord computes for the schema it stored", async () => {
    const api = client(server.url);
    const stored = await api.get(`/subjects/${SUBJECT}/versions/2`);
    expect(stored.status, stored.text).toBe(200);
    expect(stored.json.id).toBe(3);
    const references: ResolvedReference[] = [];
    for (const ref of stored.json.references as { name: string; subject: string; version: number }[]) {
      const got = await api.get(`/subjects/${encodeURIComponent(ref.subject)}/versions/${ref.version}`);
      references.push({ ...ref, schemaType: 'PROTOBUF', schema: got.json.schema });
    }
    const parsed = protobufFormat.parse(stored.json.schema, references, { validate: false, normalize: false, maxDepth: 64 }) as ProtobufParsed;
    const indexes = messageIndexes(parsed.native).get(MESSAGE);
    expect(indexes).toEqual([0]);

    const bytes = shipmentDispatched.encode(sent);
    expect(unframe(bytes, true).messageIndexes).toEqual(indexes);
    const expected = encodeMessageIndexes(indexes!);
    expect(bytes.subarray(5, 5 + expected.length).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
    expect(bytes[5]).toBe(0); // [0] is the single byte 0x00
    expect(shipmentDispatched.ShipmentDispatchedEvent.latest.id).toBe(stored.json.id);
  });

  it('refuses bytes of an unknown schema id in decode; decodeAsync asks the registry, once, what the id writes', async () => {
    const payload = unframe(shipmentDispatched.encode(sent), true).payload;
    const bytes = frame(42, payload, [0]);
    expect(() => shipmentDispatched.decode(bytes)).toThrow(/decodeAsync/);
    const registry = new SchemaRegistryClient({ baseUrl: server.url, attempts: 1 });
    await expect(shipmentDispatched.decodeAsync(bytes, registry)).rejects.toThrow(/42 not found/);
  });

  it('checks the message indexes: bytes of another message of the same schema are refused', () => {
    const payload = unframe(shipmentDispatched.encode(sent), true).payload;
    expect(() => shipmentDispatched.decode(frame(3, payload, [1]))).toThrow(/name another message/);
  });

  it('refuses 64-bit values that are not integers in range, and oneofs with two members set', () => {
    expect(() => shipmentDispatched.encode({ ...sent, weight_grams: 'abc' })).toThrow(/weight_grams: expected int64 .*got "abc"/);
    expect(() => shipmentDispatched.encode({ ...sent, weight_grams: '9223372036854775808' })).toThrow(/weight_grams: expected int64/);
    expect(() => shipmentDispatched.encode({ ...sent, email: 'a@b.c', sms: '+100', notify: 'email' })).toThrow(/oneof notify/);
    expect(() => shipmentDispatched.encode({ ...sent, email: 'a@b.c', sms: undefined, notify: 'sms' })).toThrow(/oneof notify/);
  });
});
