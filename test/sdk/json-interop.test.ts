// The JSON Schema golden module (test/golden/payments) and real third-party clients, both ways, against a running
// Accord holding the versions it was generated from under the same ids: money.json (id 1, subject payments.money),
// PaymentReceived v1–v3 (ids 2–4) referencing it by its URI. Bytes the module writes are read by
// @kafkajs/confluent-schema-registry (SchemaType.JSON) and by @confluentinc/schemaregistry's JsonDeserializer; bytes
// their serializers write with any version's id decode to the latest version. `accord codegen` against this registry
// writes exactly the committed golden module.
import { JsonDeserializer, JsonSerializer, SchemaRegistryClient as ConfluentClient, SerdeType } from '@confluentinc/schemaregistry';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codegen } from '../../src/cli/codegen.js';
import { ACCORD_VERSION } from '../../src/version.js';
import { SchemaRegistryClient } from '../../sdk/client.js';
import { backends } from '../support/backends.js';
import { compact, MONEY, PAYMENTS } from '../support/payments.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { paymentReceived } from '../golden/payments/index.js';
import type { PaymentReceived, PaymentReceivedV1 } from '../golden/payments/PaymentReceived.js';

const TOPIC = 'payments.payment-received';
const MONEY_SUBJECT = 'payments.money';
const confluent = (url: string) => new ConfluentClient({ baseURLs: [url], maxRetries: 0 });
/**
 * kafkajs compiles JSON schemas with a plain Ajv, strict by default and without ajv-formats: `format: uuid` needs
 * strict off, and it then ignores formats (quietly, without a logger).
 */
const kafkajs = (url: string) => new SchemaRegistry({ host: url }, { [SchemaType.JSON]: { strict: false, logger: false } });

/** The registry test/golden/payments was generated from. */
async function registerPayments(url: string) {
  const api = client(url);
  expect((await api.put(`/config/${PAYMENTS}`, { compatibility: 'NONE' })).status).toBe(200);
  const money = await api.register(MONEY_SUBJECT, compact('money.json'), { schemaType: 'JSON' });
  expect(money.status, money.text).toBe(200);
  expect(money.json.id).toBe(1);
  for (const v of [1, 2, 3]) {
    const res = await api.register(PAYMENTS, compact(`payment-received.v${v}.json`), { schemaType: 'JSON', references: [{ name: MONEY, subject: MONEY_SUBJECT, version: 1 }] });
    expect(res.status, res.text).toBe(200);
    expect(res.json.id).toBe(v + 1);
  }
}

const latest: PaymentReceived = {
  paymentId: '3f1c0e84-9b53-4c1e-a3f6-0c4f7c1d2b8a',
  orderId: 'o-7',
  amount: { amountCents: 1250, currency: 'EUR' },
  method: 'wallet',
  receivedAtMs: Date.parse('2024-05-06T07:08:09Z'),
  payer: { name: 'Ann', email: 'ann@example.com' },
  channel: 'pos',
  instrument: { kind: 'transfer', iban: 'DE02120300000000202051' },
};
const v1: PaymentReceivedV1 = {
  paymentId: '9b2e6a4e-1c1f-4f0e-9d7a-1b2c3d4e5f60',
  orderId: 'o-1',
  amount: { amountCents: 5, currency: 'GBP' },
  method: 'card',
  receivedAt: '2024-05-06T07:08:09.250Z',
  metadata: { source: 'legacy' },
};
const v1AsLatest: PaymentReceived = {
  paymentId: v1.paymentId,
  orderId: 'o-1',
  amount: v1.amount,
  method: 'card',
  metadata: { source: 'legacy' },
  channel: 'web',
  receivedAtMs: Date.parse(v1.receivedAt),
};

describe('JSON Schema: test/golden/payments and third-party clients against Accord', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backends[0]!);
    await registerPayments(server.url);
  });
  afterAll(() => server?.close());

  it('accord codegen against the registry writes exactly the committed golden module', async () => {
    const out = mkdtempSync(join('test', 'golden', '.out-'));
    try {
      const result = await codegen({ registry: server.url, subjects: [PAYMENTS], out, runtimeImport: '@accord/sdk/codegen', accordVersion: ACCORD_VERSION });
      expect(result.written.map((p) => p.slice(out.length + 1)).sort()).toEqual(['PaymentReceived.ts', 'PaymentReceived.upcasters.ts', 'accord-codegen.json', 'index.ts']);
      for (const file of ['PaymentReceived.ts', 'index.ts']) {
        const generated = readFileSync(join(out, file), 'utf8');
        expect(generated).toContain(`\n// Source: registry ${server.url}.\n`);
        expect(generated.replace(/^\/\/ Source: .*\n/m, ''), `${file} differs from test/golden/payments`).toBe(readFileSync(join('test/golden/payments', file), 'utf8'));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('bytes the generated module writes are read by @kafkajs/confluent-schema-registry and by JsonDeserializer', async () => {
    const bytes = paymentReceived.encode(latest);
    expect(bytes.readInt32BE(1)).toBe(4);
    // Fresh clients, empty caches: each fetches schema 4 (and kafkajs the money.json it references) from Accord.
    expect(await kafkajs(server.url).decode(bytes)).toEqual(latest);
    const deserializer = new JsonDeserializer(confluent(server.url), SerdeType.VALUE, {});
    expect(await deserializer.deserialize(TOPIC, bytes)).toEqual(latest);
    expect(await deserializer.deserialize(TOPIC, paymentReceived.toKafkaMessage(latest, 'o-7').value)).toEqual(latest);
  });

  it('bytes @kafkajs/confluent-schema-registry writes with the v1 and v3 ids decode to the latest version', async () => {
    const registry = kafkajs(server.url);
    const old = await registry.encode(2, v1);
    expect(old.readInt32BE(1)).toBe(2);
    expect(paymentReceived.decode(old)).toEqual(v1AsLatest);
    const now = await registry.encode(4, latest);
    expect(paymentReceived.decode(now)).toEqual(latest);
    // kafkajs validates on encode too: a value v3 refuses does not get written.
    await expect(registry.encode(4, { ...latest, channel: 'fax' })).rejects.toThrow(/invalid payload/);
  });

  it('bytes JsonSerializer writes with useSchemaId (v1, v2) and useLatestVersion (v3) decode to the latest version', async () => {
    const serializer = (conf: Record<string, unknown>) => new JsonSerializer(confluent(server.url), SerdeType.VALUE, { autoRegisterSchemas: false, ...conf });
    const old = await serializer({ useSchemaId: 2 }).serialize(TOPIC, v1);
    expect(old.readInt32BE(1)).toBe(2);
    expect(paymentReceived.decode(old)).toEqual(v1AsLatest);

    // v2 → v3 runs the hand-written upcaster; channel comes with the bytes here.
    const { receivedAtMs: _, ...rest } = latest;
    const v2 = await serializer({ useSchemaId: 3 }).serialize(TOPIC, { ...rest, receivedAt: '2024-05-06T07:08:09.000Z' });
    expect(paymentReceived.decode(v2)).toEqual(latest);

    const now = await serializer({ useLatestVersion: true }).serialize(TOPIC, latest);
    expect(now.readInt32BE(1)).toBe(4);
    expect(paymentReceived.decode(now)).toEqual(latest);
  });

  it('ids unknown at generation: decode refuses; decodeAsync checks the id once and reads the value as the newest version it fits', async () => {
    const registry = new SchemaRegistryClient({ baseUrl: server.url });
    const foreign = (v: number, doc: string) => {
      const schema = JSON.parse(compact(`payment-received.v${v}.json`)) as { description: string };
      schema.description = doc;
      return JSON.stringify(schema);
    };
    const references = [{ name: MONEY, subject: MONEY_SUBJECT, version: 1 }];

    // kafkajs registers a v3-shaped schema elsewhere and encodes with it.
    const kafka = kafkajs(server.url);
    const { id: latestId } = await kafka.register({ type: SchemaType.JSON, schema: foreign(3, 'Registered by the kafkajs team.'), references }, { subject: 'payments-copy-value' });
    expect([1, 2, 3, 4]).not.toContain(latestId);
    const fromKafkajs = await kafka.encode(latestId, latest);
    expect(() => paymentReceived.decode(fromKafkajs)).toThrow(/decodeAsync/);
    expect(await paymentReceived.decodeAsync(fromKafkajs, registry)).toEqual(latest);

    // Confluent's client registers a v1-shaped schema under another topic's subject and serializes with it.
    const confluentClient = confluent(server.url);
    const oldId = await confluentClient.register('legacy-payments-value', { schemaType: 'JSON', schema: foreign(1, 'Registered by the Confluent team.'), references });
    const fromConfluent = await new JsonSerializer(confluentClient, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true }).serialize('legacy-payments', v1);
    expect(fromConfluent.readInt32BE(1)).toBe(oldId);
    expect(await paymentReceived.decodeAsync(fromConfluent, registry)).toEqual(v1AsLatest);

    // One registry call per unknown id; none for known ids or once warm.
    await paymentReceived.decodeAsync(fromKafkajs, registry);
    await paymentReceived.decodeAsync(paymentReceived.encode(latest), registry);
    expect(registry.calls).toBe(2);
  });
});
