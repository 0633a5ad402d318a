// The JSON Schema example end to end, from schema texts under the ids a fresh registry gives them (money.json id 1,
// PaymentReceived v1–v3 ids 2–4): v1 → v2 (an enum value, `channel` required with a default, an optional oneOf) is
// automatic; v2 → v3 (receivedAt → receivedAtMs) is hand-written in test/golden/payments/PaymentReceived.upcasters.ts.
// The generated module is compiled with tsc --strict and used to encode and decode; every draft (04, 06, 07,
// 2019-09, 2020-12) gets a module of its own, compiled and run the same way.
// ACCORD_UPDATE_GOLDEN=1 rewrites the golden PaymentReceived.ts and index.ts instead of comparing them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeModules, type SubjectVersions } from '../../src/cli/codegen-write.js';
import { generateJsonModule } from '../../src/codegen/json-module.js';
import { SchemaGraph } from '../../src/codegen/json-schema-graph.js';
import { coverReasons } from '../../src/codegen/json-upcast.js';
import { ACCORD_VERSION } from '../../src/version.js';
import { defineJsonEvent, type EventCodec } from '../../sdk/codegen.js';
import { frame, unframe } from '../../sdk/wire.js';
import { paymentVersions, PAYMENTS } from '../support/payments.js';
import { run } from '../support/run.js';
import * as golden from '../golden/payments/index.js';
import type { PaymentReceived, PaymentReceivedV1 } from '../golden/payments/PaymentReceived.js';

const GOLDEN = 'test/golden/payments';

const tsc = (project: string) => run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project]);
const tsconfig = (dir: string, include: string[]) =>
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true }, include }));

const sent: PaymentReceived = {
  paymentId: '3f1c0e84-9b53-4c1e-a3f6-0c4f7c1d2b8a',
  orderId: 'o-7',
  amount: { amountCents: 1250, currency: 'EUR' },
  method: 'wallet',
  receivedAtMs: Date.parse('2024-05-06T07:08:09Z'),
  payer: { name: 'Ann', email: null },
  metadata: { source: 'checkout' },
  channel: 'app',
  instrument: { kind: 'card', last4: '4242' },
};

describe('accord codegen on the PaymentReceived example (JSON Schema)', () => {
  it('writes exactly the committed golden module and index, and an upcasters file for the v2 → v3 step only', async () => {
    const out = mkdtempSync(join('test', 'golden', '.out-'));
    try {
      const history: SubjectVersions = {
        schemaType: 'JSON',
        avro: { subject: PAYMENTS, versions: [] },
        protobuf: { subject: PAYMENTS, versions: [] },
        json: { subject: PAYMENTS, versions: paymentVersions() },
      };
      const result = await writeModules([history], { out, runtimeImport: '@accord/sdk/codegen', accordVersion: ACCORD_VERSION, source: 'test' });
      expect(result.written.map((p) => p.slice(out.length + 1)).sort()).toEqual(['PaymentReceived.ts', 'PaymentReceived.upcasters.ts', 'accord-codegen.json', 'index.ts']);
      for (const file of ['PaymentReceived.ts', 'index.ts']) {
        const portless = readFileSync(join(out, file), 'utf8').replace(/^\/\/ Source: .*\n/m, '');
        if (process.env.ACCORD_UPDATE_GOLDEN) writeFileSync(join(GOLDEN, file), portless);
        expect(portless, `${file} differs from ${GOLDEN} (regenerate: ACCORD_UPDATE_GOLDEN=1)`).toBe(readFileSync(join(GOLDEN, file), 'utf8'));
      }
      const module = readFileSync(join(out, 'PaymentReceived.ts'), 'utf8');
      expect(module).toContain(`jsonResolvedUpcaster<PaymentReceivedV1, PaymentReceivedV2>('${PAYMENTS}', versions[1])`);
      const stub = readFileSync(join(out, 'PaymentReceived.upcasters.ts'), 'utf8');
      expect(stub).toContain("property 'receivedAtMs' is new and required, without a default");
      expect(stub).toContain("property 'receivedAt' was removed");
      expect(stub).toContain('const unwritten: never = from;');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the golden module compiles under tsc --strict, its types reject wrong shapes, and the stub does not compile', async () => {
    const dir = mkdtempSync(join('test', 'golden', '.gen-'));
    const stubDir = mkdtempSync(join('test', 'golden', '.stub-'));
    try {
      // Each @ts-expect-error fails the build if the line it marks compiles.
      writeFileSync(
        join(dir, 'types.ts'),
        [
          "import { paymentReceived } from '../payments/index.js';",
          "import type { PaymentReceived, PaymentReceivedV1 } from '../payments/PaymentReceived.js';",
          "const base: PaymentReceivedV1 = { paymentId: 'p', orderId: 'o', amount: { amountCents: 1, currency: 'EUR' }, method: 'card', receivedAt: 't' };",
          "const latest: PaymentReceived = { paymentId: 'p', orderId: 'o', amount: { amountCents: 1, currency: 'EUR' }, method: 'wallet', receivedAtMs: 1, channel: 'web' };",
          'export const bytes: Buffer = paymentReceived.encode(latest);',
          'export const back: PaymentReceived = paymentReceived.decode(bytes);',
          '// @ts-expect-error enum members only',
          "export const m: PaymentReceived = { ...latest, method: 'cash' };",
          '// @ts-expect-error required property missing (channel)',
          "export const c: PaymentReceived = { paymentId: 'p', orderId: 'o', amount: { amountCents: 1, currency: 'EUR' }, method: 'card', receivedAtMs: 1 };",
          '// @ts-expect-error oneOf: the card branch has last4, not iban',
          "export const i: PaymentReceived = { ...latest, instrument: { kind: 'card', iban: 'DE00' } };",
          '// @ts-expect-error additionalProperties: string values only',
          'export const d: PaymentReceived = { ...latest, metadata: { n: 1 } };',
          '// @ts-expect-error closed object: no undeclared keys',
          "export const x: PaymentReceived = { ...latest, extra: 'x' };",
          '// @ts-expect-error a V1 value is not the latest',
          'paymentReceived.encode(base);',
          "export const nullable: PaymentReceived = { ...latest, payer: { name: 'n', email: null } };",
          '',
        ].join('\n'),
      );
      tsconfig(dir, ['../payments/*.ts', './*.ts']);
      expect((await tsc(join(dir, 'tsconfig.json'))).stdout).toBe('');

      // The upcasters file as codegen creates it: the body does not compile until written.
      writeFileSync(join(stubDir, 'PaymentReceived.ts'), readFileSync(join(GOLDEN, 'PaymentReceived.ts'), 'utf8'));
      writeFileSync(join(stubDir, 'index.ts'), readFileSync(join(GOLDEN, 'index.ts'), 'utf8'));
      const generated = generateJsonModule({ subject: PAYMENTS, versions: paymentVersions() }, { runtimeImport: '@accord/sdk/codegen', accordVersion: ACCORD_VERSION });
      writeFileSync(join(stubDir, 'PaymentReceived.upcasters.ts'), generated.files.find((f) => f.path.endsWith('.upcasters.ts'))!.content);
      tsconfig(stubDir, ['./*.ts']);
      const output = (await tsc(join(stubDir, 'tsconfig.json'))).stdout;
      expect(output).toMatch(/PaymentReceived\.upcasters\.ts.*TS2322/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(stubDir, { recursive: true, force: true });
    }
  });
});

describe('the generated PaymentReceived module', () => {
  const { paymentReceived } = golden;

  it('round-trips the latest version: magic byte 0, the schema id, then the JSON as UTF-8', () => {
    const bytes = paymentReceived.encode(sent);
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(4);
    expect(JSON.parse(bytes.subarray(5).toString('utf8'))).toEqual(sent);
    expect(paymentReceived.decode(bytes)).toEqual(sent);
  });

  it('validates on encode against the latest schema, naming each path (formats, patterns, closed objects, oneOf)', () => {
    expect(() => paymentReceived.encode({ ...sent, paymentId: 'not-a-uuid' })).toThrow(/: paymentId: must match format "uuid", got "not-a-uuid"/);
    expect(() => paymentReceived.encode({ ...sent, amount: { amountCents: -1, currency: 'eur' } })).toThrow(/amount\.amountCents: must be >= 0, got -1.*amount\.currency: must match pattern/);
    expect(() => paymentReceived.encode({ ...sent, extra: 1 } as PaymentReceived)).toThrow(/extra: not allowed \(the schema has no such property\)/);
    expect(() => paymentReceived.encode({ ...sent, instrument: { kind: 'card', last4: '42' } })).toThrow(/: instrument(\.\w+)?: /);
  });

  it('decodes v1 bytes to the latest: channel from its default, receivedAtMs from the hand-written upcaster', () => {
    const v1: PaymentReceivedV1 = {
      paymentId: sent.paymentId,
      orderId: 'o-1',
      amount: { amountCents: 5, currency: 'GBP' },
      method: 'transfer',
      receivedAt: '2024-05-06T07:08:09.500Z',
    };
    const decoded = paymentReceived.decode(frame(2, Buffer.from(JSON.stringify(v1))));
    expect(decoded).toEqual({ paymentId: sent.paymentId, orderId: 'o-1', amount: v1.amount, method: 'transfer', channel: 'web', receivedAtMs: Date.parse(v1.receivedAt) });
  });

  it('builds and reads Kafka messages; refuses unknown ids in decode, non-JSON and truncated payloads', () => {
    const message = paymentReceived.toKafkaMessage(sent, 'o-7');
    expect(message.key).toBe('o-7');
    expect(paymentReceived.fromKafkaMessage(message).value).toEqual(sent);
    const payload = unframe(paymentReceived.encode(sent)).payload;
    expect(() => paymentReceived.decode(frame(99, payload))).toThrow(/schema id 99 .* use decodeAsync/);
    expect(() => paymentReceived.decode(frame(4, Buffer.from('{"a":')))).toThrow(/payload is not JSON/);
    expect(() => paymentReceived.decode(frame(4, Uint8Array.of(0xff, 0xfe)))).toThrow(/not UTF-8/);
    expect(() => paymentReceived.decode(Uint8Array.of(0, 0))).toThrow(/too short/);
  });

  it('offline-generated (schema id 0) codecs refuse to encode', () => {
    const offline = defineJsonEvent<{ a: string }>({ subject: 's', versions: [{ version: 1, id: 0, schema: '{"type":"object"}', references: [] }], upcasters: [] });
    expect(() => offline.encode({ a: 'x' })).toThrow(/generated offline/);
  });
});

// ---- Every draft: keywords of its own, in types (tsc) and in validation (the draft's Ajv)

interface DraftCase {
  name: string;
  schema: Record<string, unknown>;
  references?: { name: string; schema: string }[];
  types: string[];
  valid: unknown[];
  invalid: unknown[];
}

const DRAFTS: DraftCase[] = [
  {
    name: 'Draft04',
    schema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      id: 'http://example.com/d04.json',
      type: 'object',
      properties: {
        price: { type: 'number', minimum: 0, exclusiveMinimum: true },
        size: { enum: ['S', 'M', 'L'] },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
        node: { $ref: '#/definitions/Node' },
      },
      required: ['price'],
      definitions: { Node: { type: 'object', properties: { next: { $ref: '#/definitions/Node' }, v: { type: 'integer' } } } },
    },
    types: ["{ price: 1, size: 'M', pair: ['a', 1], node: { next: { v: 1 } } }"],
    valid: [{ price: 1, pair: ['a', 1] }, { price: 0.5, node: { next: { next: {} } } }],
    invalid: [{ price: 0 }, { price: 1, pair: ['a', 1, 2] }, { price: 1, node: { v: 'x' } }],
  },
  {
    name: 'Draft06',
    schema: {
      $schema: 'http://json-schema.org/draft-06/schema#',
      type: 'object',
      properties: { kind: { const: 'a' }, n: { type: 'integer', exclusiveMaximum: 10 }, tags: { type: 'array', items: { type: 'string' }, contains: { const: 'x' } } },
      required: ['kind'],
      propertyNames: { pattern: '^[a-z]+$' },
    },
    types: ["{ kind: 'a', n: 9, tags: ['x'] }"],
    valid: [{ kind: 'a', n: 9 }, { kind: 'a', tags: ['y', 'x'] }],
    invalid: [{ kind: 'b' }, { kind: 'a', n: 10 }, { kind: 'a', tags: ['y'] }, { kind: 'a', Upper: 1 }],
  },
  {
    name: 'Draft07',
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema',
      type: 'object',
      properties: {
        shape: {
          oneOf: [
            { type: 'object', properties: { type: { const: 'circle' }, r: { type: 'number' } }, required: ['type', 'r'] },
            { type: 'object', properties: { type: { const: 'square' }, side: { type: 'number' } }, required: ['type', 'side'] },
          ],
        },
        id: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        when: { type: 'string', format: 'date-time' },
        country: { type: 'string' },
        postcode: { type: 'string' },
      },
      if: { properties: { country: { const: 'US' } }, required: ['country'] },
      then: { required: ['postcode'] },
    },
    types: ["{ shape: { type: 'circle', r: 1 }, id: 3, when: 'x' }", "{ shape: { type: 'square', side: 1 }, id: 'a' }"],
    valid: [{ shape: { type: 'circle', r: 1 } }, { country: 'US', postcode: '10001', when: '2024-01-01T00:00:00Z' }],
    invalid: [{ shape: { type: 'circle' } }, { country: 'US' }, { when: 'yesterday' }, { id: 1.5 }],
  },
  {
    name: 'Draft201909',
    schema: {
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      type: 'object',
      properties: {
        card: { $ref: '#/$defs/Card', description: 'siblings of $ref apply from 2019-09' },
        billing: { type: 'string' },
        tree: { $ref: '#/$defs/Tree' },
      },
      dependentRequired: { billing: ['card'] },
      unevaluatedProperties: false,
      $defs: {
        Card: { type: 'object', properties: { number: { type: 'string' } }, required: ['number'] },
        Tree: { $anchor: 'tree', type: 'object', properties: { children: { type: 'array', items: { $ref: '#tree' } } } },
      },
    },
    types: ["{ card: { number: '1' }, billing: 'b', tree: { children: [{ children: [] }] } }"],
    valid: [{ card: { number: '1' }, billing: 'b' }, { tree: { children: [{}] } }],
    invalid: [{ billing: 'b' }, { other: 1 }, { tree: { children: [1] } }],
  },
  {
    name: 'Draft202012',
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.com/d2020.json',
      type: 'object',
      properties: {
        point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false, minItems: 2 },
        labels: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        note: { type: ['string', 'null'] },
        extra: { $ref: '#/$defs/Extra' },
      },
      required: ['point'],
      patternProperties: { '^x-': { type: 'string' } },
      additionalProperties: false,
      $defs: { Extra: { type: 'object', additionalProperties: { type: 'integer' } } },
    },
    types: ["{ point: [1, 2], labels: ['a'], note: null, 'x-trace': 't', extra: { a: 1 } }"],
    valid: [{ point: [1, 2] }, { point: [0, 0], 'x-a': 'b', note: 'n', extra: { q: 2 } }],
    invalid: [{ point: [1] }, { point: [1, 2, 3] }, { point: [1, 2], other: 1 }, { point: [1, 2], labels: ['a', 'a'] }, { point: [1, 2], extra: { q: 'x' } }],
  },
  {
    // Odd corners: quoted keys, boolean schemas, a relative reference name under a root `$id` (Ajv resolves it against
    // the `$id`, Confluent by name: both work), a pointer into a referenced schema, recursion to the root, an object
    // or null, mixed enums, an object const.
    name: 'Edges',
    schema: {
      $id: 'https://acme.example/s/order.json',
      type: 'object',
      properties: {
        'content-type': { type: 'string' },
        home: { $ref: 'address.json' },
        street: { $ref: 'address.json#/definitions/Street' },
        anything: true,
        nothing: false,
        mixed: { type: ['object', 'null'], properties: { a: { type: 'integer' } } },
        choice: { enum: ['a', 1, null, true] },
        fixed: { const: { k: [1, 'x'] } },
        list: { type: 'array' },
        self: { $ref: '#' },
      },
    },
    references: [{ name: 'address.json', schema: JSON.stringify({ type: 'object', properties: { street: { $ref: '#/definitions/Street' } }, definitions: { Street: { type: 'string', minLength: 1 } } }) }],
    types: ["{ 'content-type': 'a', home: { street: 's' }, street: 't', anything: [1], mixed: null, choice: null, fixed: { k: [1, 'x'] }, list: [1, 'a'], self: { self: {} } }"],
    valid: [{ home: { street: 'x' }, street: 'y', mixed: { a: 1 }, choice: 1, fixed: { k: [1, 'x'] }, self: { choice: null } }, {}],
    invalid: [{ street: '' }, { home: { street: '' } }, { choice: 'b' }, { nothing: 1 }, { fixed: { k: [2] } }, { self: { mixed: 3 } }],
  },
];

describe('every draft: generated types compile and the codec validates with the draft\'s own rules', () => {
  let dir: string;
  const modules = new Map<string, { encode(v: unknown): Buffer; decode(b: Uint8Array): unknown }>();

  beforeAll(async () => {
    dir = mkdtempSync(join('test', 'golden', '.gen-'));
    const lines: string[] = [];
    for (const c of DRAFTS) {
      const sub = join(dir, c.name);
      const history: SubjectVersions = {
        schemaType: 'JSON',
        avro: { subject: c.name, versions: [] },
        protobuf: { subject: c.name, versions: [] },
        json: { subject: `${c.name}-value`, versions: [{ version: 1, id: 7, schema: JSON.stringify({ title: c.name, ...c.schema }), references: c.references ?? [] }] },
      };
      await writeModules([history], { out: sub, runtimeImport: '@accord/sdk/codegen', accordVersion: ACCORD_VERSION, source: 'test' });
      lines.push(`import type { ${c.name} } from './${c.name}/${c.name}.js';`);
      c.types.forEach((t, i) => lines.push(`export const ${c.name.toLowerCase()}${i}: ${c.name} = ${t};`));
    }
    writeFileSync(join(dir, 'types.ts'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./**/*.ts'] }));
    for (const c of DRAFTS) modules.set(c.name, await import(pathToFileURL(resolve(dir, c.name, `${c.name}.ts`)).href));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compile under tsc --strict', async () => {
    expect((await tsc(join(dir, 'tsconfig.json'))).stdout).toBe('');
  });

  for (const c of DRAFTS) {
    it(`${c.name}: accepts what the draft accepts and refuses what it refuses`, () => {
      const m = modules.get(c.name)!;
      for (const v of c.valid) expect(m.decode(m.encode(v)), JSON.stringify(v)).toEqual(v);
      for (const v of c.invalid) expect(() => m.encode(v), JSON.stringify(v)).toThrow(/does not match the schema/);
    });
  }
});

// ---- Which steps are automatic

const graph = (schema: unknown, references: { name: string; schema: string }[] = []) => new SchemaGraph(JSON.stringify(schema), references);
const obj = (properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) => ({ type: 'object', properties, required, ...extra });
const reasons = (from: unknown, to: unknown) => coverReasons(graph(from), graph(to));

describe('upcaster proof: automatic only where every old value becomes a new one', () => {
  const base = obj({ id: { type: 'string' } }, ['id']);

  it('automatic: optional property added, property with a default added as required, constraints relaxed, enum widened, integer → number', () => {
    expect(reasons(base, obj({ id: { type: 'string' }, note: { type: 'string' } }, ['id']))).toEqual([]);
    expect(reasons(base, obj({ id: { type: 'string' }, n: { type: 'integer', default: 1 } }, ['id', 'n']))).toEqual([]);
    expect(reasons(obj({ s: { type: 'string', maxLength: 3 } }), obj({ s: { type: 'string', maxLength: 5 } }))).toEqual([]);
    expect(reasons(obj({ e: { enum: ['a'] } }), obj({ e: { enum: ['a', 'b'] } }))).toEqual([]);
    expect(reasons(obj({ n: { type: 'integer' } }), obj({ n: { type: 'number' } }))).toEqual([]);
    expect(reasons(obj({ n: { type: 'string' } }), obj({ n: { type: ['string', 'null'] } }))).toEqual([]);
    expect(reasons(base, { ...base, required: [] })).toEqual([]);
    // Keys the old version typed through additionalProperties, now declared with a type that covers them.
    expect(reasons(obj({}, [], { additionalProperties: { type: 'string' } }), obj({ tag: { type: 'string' } }, [], { additionalProperties: { type: 'string' } }))).toEqual([]);
  });

  it('automatic through $ref, $defs and referenced schemas, and recursion', () => {
    const tree = (extra: Record<string, unknown>) => ({ $ref: '#/$defs/T', $defs: { T: obj({ kids: { type: 'array', items: { $ref: '#/$defs/T' } }, ...extra }) } });
    expect(reasons(tree({}), tree({ label: { type: 'string' } }))).toEqual([]);
    expect(reasons(tree({ label: { type: 'string' } }), tree({ label: { type: 'integer' } }))).toEqual(['at /properties/label: type string is no longer allowed']);
    const ref = [{ name: 'money.json', schema: JSON.stringify(obj({ c: { type: 'integer' } }, ['c'])) }];
    const wider = [{ name: 'money.json', schema: JSON.stringify(obj({ c: { type: 'number' } }, ['c'])) }];
    const using = obj({ m: { $ref: 'money.json' } }, ['m']);
    expect(coverReasons(graph(using, ref), graph(using, wider))).toEqual([]);
    expect(coverReasons(graph(using, wider), graph(using, ref))).toEqual(['at /properties/m/properties/c: type number is no longer allowed']);
  });

  it('oneOf: a new branch is automatic when branches are told apart by a const; anyOf takes any old value a branch covers', () => {
    const branch = (kind: string) => obj({ kind: { const: kind }, v: { type: 'string' } }, ['kind']);
    expect(reasons(obj({ p: { oneOf: [branch('a')] } }), obj({ p: { oneOf: [branch('a'), branch('b')] } }))).toEqual([]);
    expect(reasons(obj({ p: { oneOf: [obj({ v: { type: 'string' } })] } }), obj({ p: { oneOf: [obj({ v: { type: 'string' } }), obj({ w: { type: 'string' } })] } }))[0]).toMatch(/oneOf changed .* not told apart/);
    expect(reasons(obj({ p: { type: 'string' } }), obj({ p: { anyOf: [{ type: 'integer' }, { type: 'string' }] } }))).toEqual([]);
  });

  it('hand-written: a new required property without a default, a type narrowed, a constraint tightened, a removed property of a closed object', () => {
    expect(reasons(base, obj({ id: { type: 'string' }, n: { type: 'integer' } }, ['id', 'n']))).toEqual(["at /properties/n: property 'n' is new and required, without a default"]);
    expect(reasons(obj({ n: { type: 'number' } }), obj({ n: { type: 'integer' } }))).toEqual(['at /properties/n: type number is no longer allowed']);
    expect(reasons(obj({ s: { type: 'string' } }), obj({ s: { type: 'string', maxLength: 3 } }))).toEqual(['at /properties/s: maxLength is new or tighter']);
    expect(reasons(obj({ e: { enum: ['a', 'b'] } }), obj({ e: { enum: ['a'] } }))).toEqual(['at /properties/e: value "b" is no longer allowed']);
    expect(reasons(obj({ a: { type: 'string' }, b: { type: 'string' } }), obj({ a: { type: 'string' } }, [], { additionalProperties: false }))[0]).toMatch(/property 'b' was removed/);
    expect(reasons(obj({ n: { type: 'integer', minimum: 0 } }), obj({ n: { type: 'integer', minimum: 1 } }))).toEqual(['at /properties/n: the lower bound is new or higher']);
    // An old version open to any key (additionalProperties: true) may hold the new property with any value.
    expect(reasons(obj({}, [], { additionalProperties: true }), obj({ n: { type: 'integer' } }, [], { additionalProperties: true }))).toEqual(['at /properties/n: the old version allows any value here, the new one does not']);
    // A default inside oneOf is not applied by Ajv, so it proves nothing.
    expect(reasons(obj({ p: { oneOf: [obj({})] } }), obj({ p: { oneOf: [obj({ n: { type: 'integer', default: 1 } }, ['n'])] } })).join()).toMatch(/match no branch/);
  });
});
