// Automatic Avro upcasters resolve exactly what Accord's checker accepts, or are not automatic: issue 12, item 2.
//   • a namespace change (Avro compares names unqualified; avsc needs an alias) registered, generated, compiled, decoded;
//   • a step the checker accepts but avsc cannot read becomes a hand-written upcaster that does not compile;
//   • random compatible evolutions (test/differential/avro-evolutions.ts) all pass the proof codegen runs.
//
//   DIFF_SEED=<n>   replay the differential run (default: random, printed)      DIFF_RUNS=<n>   evolutions (default 100)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import avro from 'avsc';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codegen } from '../../src/cli/codegen.js';
import { generateAvroModule } from '../../src/codegen/avro-module.js';
import { proveResolvedSteps, resolutionAliases } from '../../src/codegen/avro-resolution.js';
import { avroFormat, type AvroParsed } from '../../src/formats/avro/index.js';
import { checkAvroReader } from '../../src/formats/avro/compatibility.js';
import { ACCORD_VERSION } from '../../src/version.js';
import { AvroTypes, withResolutionAliases } from '../../sdk/avro.js';
import { SchemaRegistryClient } from '../../sdk/client.js';
import { frame } from '../../sdk/wire.js';
import { avroEvolutionArb } from '../differential/avro-evolutions.js';
import { backends } from '../support/backends.js';
import { run } from '../support/run.js';
import { client, startTestServer, type TestServer } from '../support/server.js';

const parse = (schema: string) => (avroFormat.parse(schema, [], { validate: false, normalize: false, maxDepth: 256 }) as AvroParsed).native;
const avroBytes = (schema: string, value: unknown) => avro.Type.forSchema(JSON.parse(schema) as avro.Schema).toBuffer(value);
const options = { runtimeImport: '@accord/sdk/codegen', accordVersion: ACCORD_VERSION };

/** tsc on the .ts files of a directory under test/golden; resolves with its output (empty when it compiles). */
async function compile(dir: string): Promise<string> {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./*.ts'] }));
  const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(dir, 'tsconfig.json')]);
  return result.stdout + result.stderr;
}

const V1 = { type: 'record', name: 'OrderCreated', namespace: 'shop', fields: [{ name: 'orderId', type: 'string' }, { name: 'total', type: 'double' }] };
const V2 = {
  type: 'record',
  name: 'OrderCreated',
  namespace: 'shop.orders',
  fields: [{ name: 'orderId', type: 'string' }, { name: 'total', type: 'double' }, { name: 'currency', type: 'string', default: 'USD' }],
};

describe('a namespace change (shop.OrderCreated → shop.orders.OrderCreated) end to end', () => {
  let server: TestServer;
  let out: string;

  beforeAll(async () => {
    server = await startTestServer(backends[0]!);
    out = mkdtempSync(join('test', 'golden', '.out-alias-'));
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await server.close();
  });

  it('registers as compatible, generates an automatic upcaster with the alias, compiles, and decodes v1 bytes to the latest', async () => {
    const api = client(server.url);
    expect((await api.register('shop-orders-value', V1)).json.id).toBe(1);
    // BACKWARD (the default): Accord, like Avro Java, compares the names unqualified.
    expect((await api.register('shop-orders-value', V2)).json.id).toBe(2);

    const { written } = await codegen({ ...options, registry: server.url, subjects: ['shop-orders-value'], out });
    expect(written.map((p) => p.slice(out.length + 1)).sort()).toEqual(['OrderCreated.ts', 'accord-codegen.json', 'index.ts']);
    const source = readFileSync(join(out, 'OrderCreated.ts'), 'utf8');
    expect(source).toContain("resolvedUpcaster<OrderCreatedV1, OrderCreatedV2>(versions[0].schema, versions[1].schema, { 'shop.orders.OrderCreated': ['shop.OrderCreated'] })");

    expect(await compile(out)).toBe('');
    const module = (await import(pathToFileURL(resolve(out, 'OrderCreated.ts')).href)) as {
      decode(bytes: Uint8Array): unknown;
      decodeAsync(bytes: Uint8Array, client: SchemaRegistryClient): Promise<unknown>;
      encode(value: unknown): Buffer;
    };
    const v1 = frame(1, avroBytes(JSON.stringify(V1), { orderId: 'o-1', total: 12.5 }));
    expect(module.decode(v1)).toEqual({ orderId: 'o-1', total: 12.5, currency: 'USD' });
    const latest = { orderId: 'o-2', total: 3, currency: 'EUR' };
    expect(module.decode(module.encode(latest))).toEqual(latest);

    // A writer codegen never saw, in a third namespace: decodeAsync reads it by unqualified names.
    const legacy = { ...V1, namespace: 'legacy' };
    const id = (await api.register('legacy-orders-value', legacy)).json.id as number;
    expect(id).toBe(3);
    const bytes = frame(id, avroBytes(JSON.stringify(legacy), { orderId: 'o-3', total: 7 }));
    await expect(module.decodeAsync(bytes, new SchemaRegistryClient({ baseUrl: server.url }))).resolves.toEqual({ orderId: 'o-3', total: 7, currency: 'USD' });
  });

  it('without the alias avsc cannot read v1 as v2 (the bug), with it it can', () => {
    const types = new AvroTypes();
    const [v1, v2] = [JSON.stringify(V1), JSON.stringify(V2)];
    expect(() => types.resolver(v1, v2)).toThrow(/no alias found for shop\.OrderCreated/);
    const aliases = resolutionAliases(parse(v2), parse(v1));
    expect(aliases).toEqual({ 'shop.orders.OrderCreated': ['shop.OrderCreated'] });
    expect(types.decode(v1, withResolutionAliases(v2, aliases!), avroBytes(v1, { orderId: 'o', total: 1 }))).toEqual({ orderId: 'o', total: 1, currency: 'USD' });
  });
});

describe("the runtime's resolvers", () => {
  it("survive avsc's poisoned cache: a union of records used twice, read by the next version (found by the differential test)", () => {
    const A = { type: 'record', name: 'A', fields: [{ name: 'a', type: 'int' }] };
    const B = { type: 'record', name: 'B', fields: [{ name: 'b', type: 'string' }] };
    const writer = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'x', type: ['null', A, B] }, { name: 'y', type: ['null', 'A', 'B'] }] });
    const reader = JSON.stringify({ ...JSON.parse(writer), fields: [...JSON.parse(writer).fields, { name: 'c', type: 'int', default: 1 }] });
    const value = { x: { A: { a: 1 } }, y: { B: { b: 'hi' } } };
    // avsc alone: the failed trial of A for writer B in x's union is cached, and y's union then takes it.
    const [w, r] = [avro.Type.forSchema(JSON.parse(writer), { wrapUnions: 'auto' }), avro.Type.forSchema(JSON.parse(reader), { wrapUnions: 'auto' })];
    expect(() => r.fromBuffer(w.toBuffer(value), r.createResolver(w))).toThrow(/_read is not a function/);
    const types = new AvroTypes();
    expect(types.decode(writer, reader, types.encode(writer, value))).toEqual({ ...value, c: 1 });
    expect(proveResolvedSteps([writer, reader], [{}], { samples: 32 })).toEqual([null]);
  });
});

describe('resolution aliases', () => {
  it('follow the checker into fields, arrays, maps and unions, and reach the null namespace with an absolute alias', () => {
    const writer = JSON.stringify({
      type: 'record', name: 'R', namespace: 'old',
      fields: [
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'] } },
        { name: 'xs', type: { type: 'array', items: { type: 'fixed', name: 'F', size: 2 } } },
        { name: 'm', type: { type: 'map', values: { type: 'record', name: 'Inner', namespace: '', fields: [{ name: 'i', type: 'int' }] } } },
        { name: 'u', type: ['null', 'old.E'] },
      ],
    });
    const reader = JSON.stringify({
      type: 'record', name: 'R', namespace: 'new',
      fields: [
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
        { name: 'xs', type: { type: 'array', items: { type: 'fixed', name: 'F', size: 2 } } },
        { name: 'm', type: { type: 'map', values: { type: 'record', name: 'Inner', fields: [{ name: 'i', type: 'long' }] } } },
        { name: 'u', type: ['null', 'string', 'new.E'] },
      ],
    });
    expect(checkAvroReader(parse(reader), parse(writer))).toEqual([]);
    const aliases = resolutionAliases(parse(reader), parse(writer))!;
    expect(aliases).toEqual({ 'new.E': ['old.E'], 'new.F': ['old.F'], 'new.Inner': ['Inner'], 'new.R': ['old.R'] });
    expect(JSON.parse(withResolutionAliases(reader, aliases)).fields[2].type.values.aliases).toEqual(['.Inner']);
    expect(proveResolvedSteps([writer, reader], [{ aliases }])).toEqual([null]);
    expect(proveResolvedSteps([writer, reader], [{}])[0]).toMatch(/no alias found for old\.R/);
  });

  it('are not added where the full names match or the reader already declares the alias', () => {
    const writer = JSON.stringify({ type: 'record', name: 'a.R', fields: [{ name: 'x', type: 'int' }] });
    expect(resolutionAliases(parse(writer), parse(writer))).toBeUndefined();
    const reader = JSON.stringify({ type: 'record', name: 'b.R', aliases: ['a.R'], fields: [{ name: 'x', type: 'long' }] });
    expect(resolutionAliases(parse(reader), parse(writer))).toBeUndefined();
  });

  it('in a reader union, go to the branch of the same full name before another the checker accepts', () => {
    const writer = JSON.stringify({ type: 'record', name: 'b.R', fields: [{ name: 'x', type: 'int' }] });
    const reader = JSON.stringify([
      { type: 'record', name: 'a.R', fields: [{ name: 'x', type: 'int' }] },
      { type: 'record', name: 'b.R', fields: [{ name: 'x', type: 'int' }] },
    ]);
    expect(resolutionAliases(parse(reader), parse(writer))).toBeUndefined();
    const moved = JSON.stringify([{ type: 'record', name: 'c.R', fields: [{ name: 'x', type: 'int' }] }, 'string']);
    expect(resolutionAliases(parse(moved), parse(writer))).toEqual({ 'c.R': ['b.R'] });
  });
});

describe('a step the checker accepts but avsc cannot read', () => {
  // Avro Java (and Accord) take a dotted name's namespace from the name, for the types nested in it too; avsc takes it
  // from the "namespace" attribute. So the enum is a.E to the checker in both versions, but b.E to avsc in version 1.
  const W1 = JSON.stringify({ type: 'record', name: 'a.R', namespace: 'b', fields: [{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['X'] } }] });
  const W2 = JSON.stringify({ type: 'record', name: 'R', namespace: 'a', fields: [{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['X'] } }] });

  it('becomes a hand-written upcaster stub that names the error and does not compile', async () => {
    expect(checkAvroReader(parse(W2), parse(W1))).toEqual([]);
    const { files } = generateAvroModule({ subject: 'r-value', versions: [{ version: 1, id: 1, schema: W1 }, { version: 2, id: 2, schema: W2 }] }, options);
    const [module, upcasters] = files;
    expect(module!.content).toContain("import { upcastRV1ToV2 } from './R.upcasters.js';");
    expect(module!.content).not.toContain('resolvedUpcaster');
    expect(upcasters!.path).toBe('R.upcasters.ts');
    expect(upcasters!.content).toContain('cannot read "b.E" as "a.E"');
    expect(upcasters!.content).toContain('const unwritten: never = from;');

    const dir = mkdtempSync(join('test', 'golden', '.stub-unproven-'));
    try {
      for (const file of files) writeFileSync(join(dir, file.path), file.content);
      // Both versions have the same shape, so `{ ...from }` alone would compile: the `never` line is what fails.
      expect(await compile(dir)).toMatch(/R\.upcasters\.ts\(\d+,\d+\): error TS2322: Type 'RV1' is not assignable to type 'never'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the proof marks the step a failing upcaster breaks, and only that one, from samples of every older version', () => {
    const v = (n: number) => JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'int' }, ...(n > 1 ? [{ name: `f${n}`, type: 'int', default: n }] : [])] });
    const schemas = [v(1), v(2), v(3), v(4)];
    const seen: string[] = [];
    const failures = proveResolvedSteps(schemas, [{}, null, {}], {
      upcaster: (from, to) => {
        const step = `${schemas.indexOf(from) + 1}→${schemas.indexOf(to) + 1}`;
        return (value) => {
          seen.push(step);
          if (step === '3→4') throw new Error('simulated: cannot read');
          return value;
        };
      },
    });
    expect(failures).toEqual([null, null, 'simulated: cannot read']);
    expect(new Set(seen)).toEqual(new Set(['1→2', '3→4']));
  });
});

describe('differential: random compatible Avro evolutions all decode through the chain codegen proves', () => {
  const seed = Number(process.env.DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const runs = Number(process.env.DIFF_RUNS ?? 100);

  it(`every evolution the checker accepts (either direction) reads through its resolved step (seed ${seed})`, () => {
    let pairs = 0;
    let aliased = 0;
    fc.assert(
      fc.property(avroEvolutionArb, (evolution) => {
        const [old, next] = [JSON.stringify(evolution.old), JSON.stringify(evolution.next)];
        for (const [writer, reader] of [[old, next], [next, old]] as const) {
          if (checkAvroReader(parse(reader), parse(writer)).length > 0) continue;
          pairs++;
          const aliases = resolutionAliases(parse(reader), parse(writer));
          if (aliases) aliased++;
          const [failure] = proveResolvedSteps([writer, reader], [{ aliases }], { samples: 4 });
          if (failure !== null) throw new Error(`avsc cannot read what the checker accepts: ${failure}\nwriter: ${writer}\nreader: ${reader}\nedits: ${evolution.edits.join('; ')}`);
        }
      }),
      { seed, numRuns: runs },
    );
    expect(pairs).toBeGreaterThan(runs / 4);
    console.log(`differential: ${pairs} compatible pairs, ${aliased} needing resolution aliases`);
  });
});
