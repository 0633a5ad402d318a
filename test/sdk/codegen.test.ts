// The seed example end to end: OrderCreated v1 → v2 (currency, default "USD") → v3 (total → amountCents, upcaster
// written by hand), generated from a running Accord, compiled, and used to encode and decode.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/run.js';
import { codegen } from '../../src/cli/codegen.js';
import { ACCORD_VERSION } from '../../src/version.js';
import { SchemaRegistryClient } from '../../sdk/client.js';
import { frame } from '../../sdk/wire.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import * as golden from '../golden/orders/index.js';

const example = (v: number) => readFileSync(`contracts/examples/orders/order-created.v${v}.avsc`, 'utf8');
const avroBytes = (schema: string, value: unknown) => avro.Type.forSchema(JSON.parse(schema)).toBuffer(value);

describe('accord codegen on the OrderCreated example', () => {
  const pglite = backends[0]!;
  let server: TestServer;
  let out: string;

  beforeAll(async () => {
    server = await startTestServer(pglite);
    const api = client(server.url);
    // v3 is a breaking change by design (total → amountCents); the upcaster carries the meaning.
    await api.put('/config/orders-value', { compatibility: 'NONE' });
    for (const v of [1, 2, 3]) expect((await api.register('orders-value', example(v))).json.id).toBe(v);
    out = mkdtempSync(join('test', 'golden', '.out-'));
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await server.close();
  });

  it('writes exactly the committed golden module and index, and creates the upcasters file once', async () => {
    const options = { registry: server.url, subjects: ['orders-value'], out, runtimeImport: '@accord/sdk/codegen', accordVersion: ACCORD_VERSION };
    const first = await codegen(options);
    expect(first.written.map((p) => p.slice(out.length + 1)).sort()).toEqual(['OrderCreated.ts', 'OrderCreated.upcasters.ts', 'accord-codegen.json', 'index.ts']);
    for (const file of ['OrderCreated.ts', 'index.ts']) {
      // The source line names the test server's port; the rest is byte for byte.
      const generated = readFileSync(join(out, file), 'utf8');
      expect(generated).toMatch(new RegExp(`^// Source: registry ${server.url.replace(/[.]/g, '\\.')}\\.$`, 'm'));
      expect(generated.replace(/^\/\/ Source: .*\n/m, ''), `${file} differs from test/golden/orders (regenerate it)`).toBe(
        readFileSync(join('test/golden/orders', file), 'utf8'),
      );
    }
    // The user's file, with the upcaster written: a second run leaves it byte for byte (test/cli/codegen-folder covers
    // a file lacking an upcaster a later version needs).
    const mine = `// mine\n${readFileSync('test/golden/orders/OrderCreated.upcasters.ts', 'utf8')}`;
    writeFileSync(join(out, 'OrderCreated.upcasters.ts'), mine);
    const second = await codegen(options);
    expect(second.kept).toEqual([join(out, 'OrderCreated.upcasters.ts')]);
    expect(second.notes).toEqual([]);
    expect(readFileSync(join(out, 'OrderCreated.upcasters.ts'), 'utf8')).toBe(mine);
  });

  it('a missing upcaster is a compile error naming the field to fill in', async () => {
    const dir = mkdtempSync(join('test', 'golden', '.stub-'));
    try {
      cpSync('test/golden/orders', dir, { recursive: true });
      // The file codegen creates: the body does not compile until amountCents is filled in.
      writeFileSync(
        join(dir, 'OrderCreated.upcasters.ts'),
        "import type { OrderCreatedV2, OrderCreatedV3 } from './OrderCreated.js';\nexport function upcastOrderCreatedV2ToV3(from: OrderCreatedV2): OrderCreatedV3 {\n  return { ...from };\n}\n",
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./*.ts'] }),
      );
      const output = (await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(dir, 'tsconfig.json')])).stdout;
      expect(output).toMatch(/amountCents/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the generated OrderCreated module', () => {
  const { orderCreated } = golden;

  it('round-trips the latest version with no registry', () => {
    const value = { orderId: 'o-1', amountCents: 1250, currency: 'EUR' };
    const bytes = orderCreated.encode(value);
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(3);
    expect(orderCreated.decode(bytes)).toEqual(value);
  });

  it('decodes v1 bytes to the latest: currency from its default, amountCents from the hand-written upcaster', () => {
    const v1 = frame(1, avroBytes(example(1), { orderId: 'o-1', total: 12.5 }));
    expect(orderCreated.decode(v1)).toEqual({ orderId: 'o-1', amountCents: 1250, currency: 'USD' });
  });

  it('decodes v2 bytes through the hand-written step', () => {
    const v2 = frame(2, avroBytes(example(2), { orderId: 'o-2', total: 0.29, currency: 'GBP' }));
    expect(orderCreated.decode(v2)).toEqual({ orderId: 'o-2', amountCents: 29, currency: 'GBP' });
  });

  it('builds and reads Kafka messages', () => {
    const message = orderCreated.toKafkaMessage({ orderId: 'o-3', amountCents: 1, currency: 'USD' }, 'o-3');
    expect(message.key).toBe('o-3');
    expect(orderCreated.fromKafkaMessage(message).value).toEqual({ orderId: 'o-3', amountCents: 1, currency: 'USD' });
  });

  it('refuses bytes of an unknown schema id in decode, and reads them in decodeAsync with one registry call', async () => {
    const server = await startTestServer(backends[0]!);
    try {
      // The same registry the module was generated from (ids 1–3), then the v2 shape registered elsewhere, under a
      // new id the module has never seen.
      const api = client(server.url);
      await api.put('/config/orders-value', { compatibility: 'NONE' });
      for (const v of [1, 2, 3]) await api.register('orders-value', example(v));
      const foreign = JSON.parse(example(2)) as { doc: string };
      foreign.doc = 'Registered by another team.';
      const id = (await api.register('legacy-orders-value', foreign)).json.id as number;
      expect(id).toBe(4);
      const bytes = frame(id, avroBytes(JSON.stringify(foreign), { orderId: 'o-4', total: 3, currency: 'USD' }));
      expect(() => orderCreated.decode(bytes)).toThrow(/decodeAsync/);
      const registry = new SchemaRegistryClient({ baseUrl: server.url });
      const [a, b] = await Promise.all([orderCreated.decodeAsync(bytes, registry), orderCreated.decodeAsync(bytes, registry)]);
      expect(a).toEqual({ orderId: 'o-4', amountCents: 300, currency: 'USD' });
      expect(b).toEqual(a);
      await orderCreated.decodeAsync(bytes, registry);
      expect(registry.calls).toBe(1);
    } finally {
      await server.close();
    }
  });
});
