// `accord codegen` into one output folder over several runs, through the real CLI against a real Accord: two subjects
// carrying one record name get modules that do not collide (and a clash that naming cannot avoid stops generation,
// exit 2, naming the subjects); generating one subject at a time adds to the index, which the manifest remembers; a
// module whose subject is gone is reported; a later version needing a hand-written upcaster gets its stub appended
// to the user's upcasters file, the user's text untouched; a --prefix that matches nothing says so. Every folder
// generated here compiles with tsc.
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/run.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { accord, ROOT } from './support.js';

const example = (v: number) => readFileSync(join(ROOT, `contracts/examples/orders/order-created.v${v}.avsc`), 'utf8');
/** Version 4 of OrderCreated: a required `channel` without a default, which no resolution can fill in. */
const orderV4 = () => {
  const schema = JSON.parse(example(3)) as { fields: object[] };
  schema.fields.push({ name: 'channel', type: 'string', doc: 'Where the order came from.' });
  return JSON.stringify(schema);
};
const payment = JSON.stringify({
  type: 'record',
  name: 'PaymentCaptured',
  namespace: 'shop.payments',
  fields: [{ name: 'paymentId', type: 'string' }],
});

describe('accord codegen into one folder over several runs', () => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  const dirs: string[] = [];
  /** A folder inside the checkout, so the generated `accord/sdk/codegen` import resolves to this package. */
  const outDir = (label: string) => {
    const dir = mkdtempSync(join(ROOT, 'test', 'golden', `.folder-${label}-`));
    dirs.push(dir);
    return dir;
  };
  const codegen = (out: string, ...args: string[]) => accord(['codegen', '--registry', server.url, ...args, '--out', out, '--runtime-import', 'accord/sdk/codegen']);
  /** tsc's report on the folder (with `extra` files written first): empty when it compiles. */
  const tsc = async (dir: string, extra: Record<string, string> = {}) => {
    for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./*.ts'] }));
    const r = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: ROOT });
    return r.stdout + r.stderr;
  };
  const index = (dir: string) => readFileSync(join(dir, 'index.ts'), 'utf8');

  beforeAll(async () => {
    server = await startTestServer(backends[0]!);
    api = client(server.url);
    // A main topic, its retry and dead-letter topics: one record, shop.orders.OrderCreated, under four subjects.
    for (const subject of ['orders-value', 'orders.retry-value', 'orders-dlq-value']) {
      expect((await api.register(subject, example(3))).status).toBe(200);
    }
    expect((await api.register('payments-value', payment)).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  it('two subjects carrying one record name get two modules, named the same whatever the order given, which compile', async () => {
    const [a, b] = [outDir('clash-a'), outDir('clash-b')];
    const first = await codegen(a, '--subject', 'orders.retry-value', '--subject', 'orders-value', '--subject', 'orders-dlq-value');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const second = await codegen(b, '--subject', 'orders-dlq-value', '--subject', 'orders-value', '--subject', 'orders.retry-value');
    expect(second).toMatchObject({ code: 0, stderr: '' });
    const files = readdirSync(a).sort();
    expect(files).toEqual(['OrderCreated.ts', 'OrdersDlqOrderCreated.ts', 'OrdersRetryOrderCreated.ts', 'accord-codegen.json', 'index.ts']);
    for (const file of files) expect(readFileSync(join(b, file), 'utf8'), file).toBe(readFileSync(join(a, file), 'utf8').replace(a, b));
    expect(readFileSync(join(a, 'OrdersRetryOrderCreated.ts'), 'utf8')).toContain("subject: 'orders.retry-value'");
    expect(readFileSync(join(a, 'OrderCreated.ts'), 'utf8')).toContain("subject: 'orders-value'");
    expect(index(a)).toContain(
      [
        "export * as orderCreated from './OrderCreated.js';",
        "export * as ordersDlqOrderCreated from './OrdersDlqOrderCreated.js';",
        "export * as ordersRetryOrderCreated from './OrdersRetryOrderCreated.js';",
      ].join('\n'),
    );
    const use = [
      "import { orderCreated, ordersDlqOrderCreated, ordersRetryOrderCreated } from './index.js';",
      "const order: orderCreated.OrderCreated = { orderId: 'o-1', amountCents: 1, currency: 'EUR' };",
      'export const bytes = [orderCreated.encode(order), ordersRetryOrderCreated.encode(order), ordersDlqOrderCreated.encode(order)];',
      '',
    ].join('\n');
    expect(await tsc(a, { 'use.ts': use })).toBe('');
  }, 120_000);

  it('a name clash that subject-made names cannot avoid stops generation, naming the subjects, and writes nothing', async () => {
    for (const subject of ['orders-retry-value', 'orders_retry-value']) expect((await api.register(subject, example(3))).status).toBe(200);
    const out = outDir('unavoidable');
    const r = await codegen(out, '--subject', 'orders-value', '--subject', 'orders.retry-value', '--subject', 'orders-retry-value', '--subject', 'orders_retry-value');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      "accord codegen: subject 'orders_retry-value' (event OrderCreated) would write module OrderCreated.ts or OrdersRetryOrderCreated.ts or OrdersRetryValueOrderCreated.ts, which 'orders-value', 'orders-retry-value', 'orders.retry-value' already write; generate them into separate --out folders",
    );
    expect(readdirSync(out)).toEqual([]);
  }, 60_000);

  it('one subject at a time adds to the index; a later clash keeps the first name; a gone subject is reported, a deleted module dropped', async () => {
    const out = outDir('incremental');
    expect(await codegen(out, '--subject', 'orders.retry-value')).toMatchObject({ code: 0, stderr: '' });
    expect(await codegen(out, '--subject', 'payments-value')).toMatchObject({ code: 0, stderr: '' });
    // orders-value comes later: the retry topic keeps the plain name it was given, so imports of it go on working.
    expect(await codegen(out, '--subject', 'orders-value')).toMatchObject({ code: 0, stderr: '' });
    expect(index(out)).toContain(
      [
        "export * as orderCreated from './OrderCreated.js';",
        "export * as ordersOrderCreated from './OrdersOrderCreated.js';",
        "export * as paymentCaptured from './PaymentCaptured.js';",
      ].join('\n'),
    );
    expect(readFileSync(join(out, 'OrderCreated.ts'), 'utf8')).toContain("subject: 'orders.retry-value'");
    expect(JSON.parse(readFileSync(join(out, 'accord-codegen.json'), 'utf8')).modules).toEqual([
      { subject: 'orders.retry-value', module: 'OrderCreated', event: 'OrderCreated' },
      { subject: 'orders-value', module: 'OrdersOrderCreated', event: 'OrderCreated' },
      { subject: 'payments-value', module: 'PaymentCaptured', event: 'PaymentCaptured' },
    ]);
    const use = "import { orderCreated, ordersOrderCreated, paymentCaptured } from './index.js';\nexport const all = [orderCreated.decode, ordersOrderCreated.decode, paymentCaptured.encode];\n";
    expect(await tsc(out, { 'use.ts': use })).toBe('');

    // The payments subject is deleted from the registry: its module stays, with a warning on each run.
    expect((await api.delete('/subjects/payments-value')).status).toBe(200);
    const after = await codegen(out, '--subject', 'orders-value');
    expect(after.code).toBe(0);
    expect(after.stderr).toBe(
      `accord codegen: warning: ${join(out, 'PaymentCaptured.ts')} is of subject 'payments-value', which is no longer in the registry at ${server.url}; kept in index.ts: delete the file and run codegen again to drop it\n`,
    );
    expect(index(out)).toContain("export * as paymentCaptured from './PaymentCaptured.js';");
    // Its file deleted, the next run leaves it out of the index and says so.
    unlinkSync(join(out, 'PaymentCaptured.ts'));
    const dropped = await codegen(out, '--subject', 'orders-value');
    expect(dropped.stderr).toBe(`accord codegen: ${join(out, 'PaymentCaptured.ts')} (subject 'payments-value') was deleted: left out of index.ts\n`);
    expect(index(out)).not.toContain('paymentCaptured');
    unlinkSync(join(out, 'use.ts'));
    expect(await tsc(out)).toBe('');
  }, 120_000);

  it('a folder an earlier Accord wrote (an index, no manifest) keeps its modules when one more subject is generated', async () => {
    const out = outDir('legacy');
    expect(await codegen(out, '--subject', 'orders-value')).toMatchObject({ code: 0 });
    unlinkSync(join(out, 'accord-codegen.json'));
    expect(await codegen(out, '--subject', 'orders.retry-value')).toMatchObject({ code: 0, stderr: '' });
    expect(index(out)).toContain("export * as orderCreated from './OrderCreated.js';\nexport * as ordersRetryOrderCreated from './OrdersRetryOrderCreated.js';\n");
    expect(readFileSync(join(out, 'OrderCreated.ts'), 'utf8')).toContain("subject: 'orders-value'");
  }, 60_000);

  it('a later step needing a hand-written upcaster gets its stub appended to the kept file, with its reason', async () => {
    await api.put('/config/shop.orders-value', { compatibility: 'NONE' });
    for (const v of [1, 2, 3]) expect((await api.register('shop.orders-value', example(v))).status).toBe(200);
    const out = outDir('upcasters');
    expect(await codegen(out, '--subject', 'shop.orders-value')).toMatchObject({ code: 0, stderr: '' });
    // The user writes the first upcaster (as test/golden/orders has it).
    const mine = readFileSync(join(ROOT, 'test/golden/orders/OrderCreated.upcasters.ts'), 'utf8');
    writeFileSync(join(out, 'OrderCreated.upcasters.ts'), mine);
    expect(await tsc(out)).toBe('');

    expect((await api.register('shop.orders-value', orderV4())).status).toBe(200);
    const r = await codegen(out, '--subject', 'shop.orders-value');
    expect(r.code).toBe(0);
    const path = join(out, 'OrderCreated.upcasters.ts');
    expect(r.stderr).toBe(`accord codegen: appended upcastOrderCreatedV3ToV4 to ${path}: write it (the build fails until then)\n`);
    expect(r.stdout).toContain(`kept ${path} (yours: never overwritten)`);
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(mine)).toBe(true);
    const added = text.slice(mine.length);
    expect(added).toContain("import type { OrderCreatedV4 } from './OrderCreated.js';");
    expect(added).toContain("Field 'channel' of the v4 schema has no default value");
    expect(added).toContain('export function upcastOrderCreatedV3ToV4(from: OrderCreatedV3): OrderCreatedV4 {');
    // Until written, the build fails on the new stub (the missing field), not on a missing export.
    const report = await tsc(out);
    expect(report).toMatch(/OrderCreated\.upcasters\.ts.*channel/s);
    expect(report).not.toMatch(/TS2724|TS2305/);
    writeFileSync(path, text.replace('  return { ...from };\n}\n', "  return { ...from, channel: 'web' };\n}\n"));
    expect(await tsc(out)).toBe('');
    // A further run appends nothing.
    const again = await codegen(out, '--subject', 'shop.orders-value');
    expect(again).toMatchObject({ code: 0, stderr: '' });
  }, 180_000);

  it('--prefix that matches no subject is a usage error naming the registry and the prefix', async () => {
    const out = outDir('prefix');
    const r = await codegen(out, '--prefix', 'nope.');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`accord codegen: no subject of the registry at ${server.url} starts with 'nope.'; check --prefix`);
    expect(readdirSync(out)).toEqual([]);
  }, 60_000);
});
