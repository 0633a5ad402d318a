// Hostile and careless input over real HTTP: generated near-valid and adversarial schemas of every format (deep, wide,
// long and odd names, many and missing references, unions, JSON Schema $ref chains and cycles, invalid encodings,
// random bytes), registered, checked and looked up. Every answer must be a 2xx, or a 4xx with a JSON body carrying an
// error_code and a message; never a 5xx, never a crash; and no request may take more than a bounded amount of CPU.
// Grow it with each new format.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** CPU (user + system, this process: the server runs in it) one request may take. Generous: a loaded 2-core machine. */
const CPU_BOUND_MS = 5_000;
const RUNS = Number(process.env.ACCORD_HOSTILE_RUNS ?? 150);

// ---- names and text

const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }), // lone surrogates, control characters
  fc.constantFrom('', ' ', '\u0000', '\uFEFF', 'a.b.c', '..', 'é', '💥', 'null', 'record', 'int', '$ref', '__proto__', 'constructor'),
  fc.integer({ min: 1, max: 20_000 }).map((n) => 'n'.repeat(n)),
);
const identifier = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/), oddText);

// ---- Avro

const avroPrimitive = fc.constantFrom('null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string');
const avroType: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    avroPrimitive,
    identifier, // a named type that may not exist
    fc.record({ type: fc.constant('record'), name: identifier, fields: fc.array(fc.record({ name: identifier, type: tie('type'), default: fc.option(fc.jsonValue(), { nil: undefined }) }, { requiredKeys: ['name', 'type'] }), { maxLength: 6 }) }),
    fc.record({ type: fc.constant('enum'), name: identifier, symbols: fc.array(identifier, { maxLength: 6 }) }),
    fc.record({ type: fc.constant('array'), items: tie('type') }),
    fc.record({ type: fc.constant('map'), values: tie('type') }),
    fc.record({ type: fc.constant('fixed'), name: identifier, size: fc.oneof(fc.integer(), fc.double(), fc.string()) }),
    fc.array(tie('type'), { maxLength: 5 }), // unions, duplicates and nesting included
    fc.jsonValue(),
  ),
})).type;

/** Shapes that cost a careless parser dearly: very deep, very wide, a union of many records, long names. */
const avroPathological = fc.oneof(
  fc.integer({ min: 50, max: 3_000 }).map((depth) => {
    let t: unknown = '"int"';
    for (let i = 0; i < depth; i++) t = `{"type":"array","items":${t as string}}`;
    return t as string;
  }),
  fc.integer({ min: 100, max: 2_000 }).map((n) => JSON.stringify({ type: 'record', name: 'Wide', fields: Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'int' })) })),
  fc.integer({ min: 100, max: 2_000 }).map((n) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ type: 'record', name: `R${i}`, fields: [] })))),
  fc.integer({ min: 1_000, max: 50_000 }).map((n) => JSON.stringify({ type: 'record', name: 'N'.repeat(n), fields: [{ name: 'f'.repeat(n), type: 'string' }] })),
  fc.integer({ min: 100, max: 5_000 }).map((n) => JSON.stringify({ type: 'enum', name: 'E', symbols: Array.from({ length: n }, (_, i) => `S${i}`) })),
);

// ---- Protobuf

const protoScalar = fc.constantFrom('int32', 'int64', 'string', 'bytes', 'bool', 'double', 'google.protobuf.Timestamp', 'Missing', 'a.b.C');
const protoField = fc.tuple(fc.constantFrom('', 'repeated ', 'optional '), protoScalar, identifier, fc.oneof(fc.integer({ min: -5, max: 600_000_000 }), fc.constantFrom(0, 1, 19_000, 536_870_912)));
const protoMessage = fc.tuple(identifier, fc.array(protoField, { maxLength: 8 })).map(
  ([name, fields]) => `message ${name} {\n${fields.map(([label, type, field, n]) => `  ${label}${type} ${field} = ${n};`).join('\n')}\n}`,
);
const protoFile = fc
  .tuple(
    fc.constantFrom('syntax = "proto3";', 'syntax = "proto2";', 'syntax = "proto4";', ''),
    fc.option(identifier, { nil: undefined }),
    fc.array(fc.constantFrom('import "google/protobuf/timestamp.proto";', 'import "google/type/color.proto";', 'import "missing.proto";', 'import "other.proto";'), { maxLength: 3 }),
    fc.array(protoMessage, { maxLength: 4 }),
    fc.string({ maxLength: 30 }), // trailing garbage
  )
  .map(([syntax, pkg, imports, messages, tail]) => [syntax, pkg === undefined ? '' : `package ${pkg};`, ...imports, ...messages, tail].join('\n'));
const protoPathological = fc.oneof(
  fc.integer({ min: 100, max: 2_000 }).map((n) => `syntax = "proto3";\nmessage Wide {\n${Array.from({ length: n }, (_, i) => `  int32 f${i} = ${i + 1};`).join('\n')}\n}\n`),
  fc.integer({ min: 20, max: 300 }).map((depth) => `syntax = "proto3";\n${'message M {\n'.repeat(depth)}int32 x = 1;\n${'}\n'.repeat(depth)}`),
  fc.integer({ min: 100, max: 3_000 }).map((n) => `syntax = "proto3";\nenum E {\n${Array.from({ length: n }, (_, i) => `  E_${i} = ${i};`).join('\n')}\n}\n`),
  fc.base64String({ maxLength: 400 }), // a "serialized descriptor" that is not one
);

// ---- JSON Schema

const jsonKeyword = fc.constantFrom('type', 'properties', 'required', 'items', 'prefixItems', 'additionalProperties', 'additionalItems', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', 'not', '$ref', 'definitions', '$defs', 'pattern', 'patternProperties', 'minLength', 'maximum', 'exclusiveMaximum', 'multipleOf', 'dependencies', 'dependentSchemas', 'unevaluatedProperties', '$id', 'id', '$anchor', 'if', 'then', 'contains', 'minContains', 'format', 'default');
const jsonRef = fc.oneof(fc.constantFrom('#', '#/definitions/a', '#/$defs/a', '#/properties/a', 'other.json', 'https://example.com/x.json', '#/definitions/missing', '#a', '#/%zz', '//', 'urn:x'), oddText);
const jsonSchemaValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean(),
    fc.record({ type: fc.oneof(fc.constantFrom('string', 'number', 'integer', 'object', 'array', 'null', 'boolean', 'str'), fc.array(fc.constantFrom('string', 'null', 'number'), { maxLength: 3 })) }),
    fc.record({ type: fc.constant('object'), properties: fc.dictionary(identifier, tie('schema'), { maxKeys: 5 }), required: fc.array(identifier, { maxLength: 3 }), additionalProperties: fc.oneof(fc.boolean(), tie('schema')) }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('array'), items: fc.oneof(tie('schema'), fc.array(tie('schema'), { maxLength: 3 })), prefixItems: fc.array(tie('schema'), { maxLength: 3 }) }, { requiredKeys: ['type'] }),
    fc.record({ anyOf: fc.array(tie('schema'), { maxLength: 4 }) }),
    fc.record({ $ref: jsonRef, definitions: fc.dictionary(fc.constantFrom('a', 'b'), tie('schema'), { maxKeys: 2 }) }, { requiredKeys: ['$ref'] }),
    fc.dictionary(jsonKeyword, fc.oneof(tie('schema'), fc.jsonValue({ maxDepth: 2 }), oddText), { maxKeys: 5 }),
  ),
})).schema;
const jsonDraft = fc.constantFrom(undefined, 'http://json-schema.org/draft-04/schema#', 'http://json-schema.org/draft-06/schema#', 'http://json-schema.org/draft-07/schema#', 'https://json-schema.org/draft/2019-09/schema', 'https://json-schema.org/draft/2020-12/schema', 'nonsense');
const jsonSchemaText = fc.tuple(jsonSchemaValue, jsonDraft).map(([s, d]) => JSON.stringify(d && s !== null && typeof s === 'object' && !Array.isArray(s) ? { $schema: d, ...s } : s));

/** JSON Schemas that cost a careless checker dearly: deep, wide, many branches and refs, $ref chains and cycles. */
const jsonPathological = fc.oneof(
  fc.integer({ min: 20, max: 3_000 }).map((depth) => {
    let t = '{"type":"string"}';
    for (let i = 0; i < depth; i++) t = `{"type":"object","properties":{"a":${t}}}`;
    return t;
  }),
  fc.integer({ min: 100, max: 6_000 }).map((n) => JSON.stringify({ type: 'object', properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: i % 2 ? 'string' : 'number' }])) })),
  fc.integer({ min: 10, max: 600 }).map((n) => JSON.stringify({ anyOf: Array.from({ length: n }, (_, i) => ({ type: 'object', properties: { [`k${i}`]: { anyOf: [{ type: 'string' }, { type: 'number', minimum: i }] } } })) })),
  fc.integer({ min: 10, max: 3_000 }).map((n) =>
    JSON.stringify({ definitions: Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}`, { properties: { next: { $ref: `#/definitions/d${(i + 1) % n}` }, alt: { $ref: `#/definitions/d${(i * 7) % n}` } } }])), $ref: '#/definitions/d0' }),
  ),
  fc.integer({ min: 2, max: 500 }).map((n) => JSON.stringify({ definitions: Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}`, { $ref: `#/definitions/d${(i + 1) % n}` }])), $ref: '#/definitions/d0' })),
  fc.constantFrom(
    '{"patternProperties":{"^(a+)+$":{}},"properties":{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab":{}}}',
    '{"type":"number","multipleOf":1e-100000}',
    '{"type":"number","maximum":1e999999,"minimum":-1e999999}',
    '{"enum":[' + Array.from({ length: 12_000 }, (_, i) => i).join(',') + ']}',
    '{"const":' + '['.repeat(200) + ']'.repeat(200) + '}',
    '{"title":"a","title":"b","type":NaN}',
  ),
);

// ---- requests

interface Request {
  method: 'POST' | 'GET';
  path: string;
  body?: Uint8Array;
  contentType?: string;
}

const subject = fc.oneof(fc.constantFrom('hostile-value', 'hostile-key', 'h'), fc.stringMatching(/^[a-z][a-z0-9.-]{0,30}$/));
const references = fc.array(fc.record({ name: oddText, subject: fc.oneof(subject, oddText), version: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant(-1)) }), { maxLength: 4 });

const schemaBody = fc.oneof(
  fc.record({ schema: avroType.map((t) => JSON.stringify(t)) }),
  fc.record({ schema: avroPathological }),
  fc.record({ schema: fc.oneof(protoFile, protoPathological), schemaType: fc.constant('PROTOBUF') }),
  fc.record({ schema: fc.oneof(avroType.map((t) => JSON.stringify(t)), fc.string()), schemaType: fc.oneof(fc.constantFrom('JSON', 'AVRO', 'avro', 'XML', ''), fc.string()), references }),
  fc.record({ schema: fc.oneof(jsonSchemaText, jsonPathological), schemaType: fc.constant('JSON'), references: fc.oneof(fc.constant([]), references) }),
  fc.jsonValue(), // not even an object with a schema
);

const encoded = (text: string) => new TextEncoder().encode(text);
/** How fast-check prints a request in a failure: its head, not megabytes of body. */
const short = (req: Request): Request =>
  Object.assign(req, {
    [fc.toStringMethod]: () => `${req.method} ${req.path.slice(0, 120)} (${req.body?.length ?? 0} bytes: ${new TextDecoder().decode(req.body?.subarray(0, 160) ?? new Uint8Array()).replace(/\s+/g, ' ')}…)`,
  });
const request: fc.Arbitrary<Request> = fc.oneof(
  fc.tuple(subject, fc.constantFrom('/versions', '', '/versions?normalize=true'), schemaBody).map(([s, tail, body]) => ({ method: 'POST' as const, path: `/subjects/${encodeURIComponent(s)}${tail}`, body: encoded(JSON.stringify(body)) })),
  fc.tuple(subject, schemaBody).map(([s, body]) => ({ method: 'POST' as const, path: `/compatibility/subjects/${encodeURIComponent(s)}/versions/latest?verbose=true`, body: encoded(JSON.stringify(body)) })),
  // Bodies that are not UTF-8 JSON at all, under JSON content types.
  fc.tuple(subject, fc.uint8Array({ maxLength: 200 })).map(([s, bytes]) => ({ method: 'POST' as const, path: `/subjects/${encodeURIComponent(s)}/versions`, body: bytes })),
  fc.tuple(subject, fc.uint8Array({ maxLength: 60 }), fc.constantFrom('application/json; charset=utf-16', 'application/json; charset=nonsense', 'text/plain', 'application/x-www-form-urlencoded')).map(([s, bytes, type]) => ({
    method: 'POST' as const,
    path: `/subjects/${encodeURIComponent(s)}/versions`,
    body: bytes,
    contentType: type,
  })),
  // Reads with odd subjects and versions.
  fc.tuple(oddText, fc.oneof(fc.constantFrom('latest', '-1', '0', '2147483648', '1e3', '%00'), fc.string({ maxLength: 10 }))).map(([s, v]) => ({
    method: 'GET' as const,
    path: `/subjects/${encodeURIComponent(s)}/versions/${encodeURIComponent(v)}`,
  })),
).map(short);

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

describe.each(backends)('hostile input ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('every answer is a 2xx or a JSON 4xx with an error_code, within a CPU bound; the server keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const before = cpuMs();
        const res = await fetch(`${server.url}${req.path}`, {
          method: req.method,
          headers: { 'content-type': req.contentType ?? 'application/vnd.schemaregistry.v1+json' },
          ...(req.body ? { body: req.body } : {}),
        });
        const text = await res.text();
        const spent = cpuMs() - before;
        const shown = `${req.method} ${req.path.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, shown).toBeLessThan(500);
        if (res.status >= 400) {
          const json = JSON.parse(text) as { error_code?: unknown; message?: unknown };
          expect(typeof json.error_code, shown).toBe('number');
          expect(typeof json.message, shown).toBe('string');
          expect(json.message as string, shown).not.toMatch(/\n\s+at /); // no stack trace
        }
        expect(spent, `${shown}: ${spent.toFixed(0)} ms of CPU`).toBeLessThan(CPU_BOUND_MS);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 240_000 },
    );
    // Still serving.
    expect((await fetch(`${server.url}/subjects`)).status).toBe(200);
  }, 300_000);

  it('JSON Schema: comparing pathological schemas with each other stays within the CPU bound and answers 2xx/4xx', async () => {
    const subjectPath = `/subjects/hostile-json-${process.pid}`;
    await fetch(`${server.url}/config/hostile-json-${process.pid}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"compatibility":"FULL_TRANSITIVE"}' });
    const samples = fc.sample(jsonPathological, { numRuns: 12, seed: 42 });
    for (const schema of samples) {
      for (const path of [`${subjectPath}/versions`, `/compatibility${subjectPath}/versions/latest?verbose=true`]) {
        const before = cpuMs();
        const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schema, schemaType: 'JSON' }) });
        const text = await res.text();
        const spent = cpuMs() - before;
        const shown = `${path} ${schema.slice(0, 120)} → ${res.status} ${text.slice(0, 200)}`;
        expect(res.status, shown).toBeLessThan(500);
        expect(spent, `${shown}: ${spent.toFixed(0)} ms of CPU`).toBeLessThan(CPU_BOUND_MS);
      }
    }
  }, 300_000);

  it("what Node's HTTP parser refuses (headers over 16 KiB, bytes that are not HTTP) is answered in JSON too", async () => {
    const long = await fetch(`${server.url}/subjects/${'n'.repeat(20_000)}/versions`);
    expect(long.status).toBe(431);
    expect(await long.json()).toMatchObject({ error_code: 431, message: expect.stringContaining('16 KiB') });
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.write('NOT HTTP AT ALL\r\n\r\n');
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\n\{"error_code":400,"message":"The request is not valid HTTP\/1\.1"\}$/);
  });
});
