// The bundled imports (Confluent's known dependencies, src/formats/protobuf/bundled): each file is the published one,
// is read only when a schema imports it, registers with no reference, and its types are the real definitions, so a
// field moving from one of them to another is incompatible while an unchanged schema stays compatible.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { run } from '../../../test/support/run.js';
import { BUNDLED_TYPES, otherThan, schemaUsing } from '../../../test/support/bundled-protos.js';
import type { ResolvedReference } from '../format.js';
import { protobufFormat, type ProtobufParsed } from './index.js';
import { parseProto } from './parse.js';
import { BUNDLED_DIR, BUNDLED_PROTOS, bundledFilesRead } from './well-known.js';

const require = createRequire(import.meta.url);
const GOOGLE_PROTO_FILES = dirname(require.resolve('google-proto-files/package.json'));

const parse = (text: string, references: readonly ResolvedReference[] = []) =>
  protobufFormat.parse(text, references, { validate: true, normalize: false, maxDepth: 64 }) as ProtobufParsed;
const findings = (writer: string, reader: string) => protobufFormat.checkReader(parse(reader), parse(writer)).map((f) => f.rule);

describe('reading on demand', () => {
  // First in this file: nothing else has parsed a schema in this module instance yet.
  it('no bundled file is read until a schema imports one, and then only that file and its own imports', () => {
    parse('syntax = "proto3";\nmessage M { string a = 1; }\n');
    expect(bundledFilesRead()).toEqual([]);
    parse(schemaUsing({ path: 'google/type/color.proto', type: 'google.type.Color' }));
    expect(bundledFilesRead().sort()).toEqual(['google/protobuf/wrappers.proto', 'google/type/color.proto']);
  });
});

describe('the vendored files are the published ones', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

  it('the folder holds exactly the bundled files (and its README), and the tests cover each of them', () => {
    const present = walk(BUNDLED_DIR).map((p) => relative(BUNDLED_DIR, p).split('\\').join('/'));
    expect(present.filter((p) => p !== 'README.md').sort()).toEqual([...BUNDLED_PROTOS].sort());
    expect(BUNDLED_TYPES.map((t) => t.path).sort()).toEqual([...BUNDLED_PROTOS].sort());
    expect(BUNDLED_PROTOS).toHaveLength(30);
  });

  it.each(BUNDLED_PROTOS.filter((p) => p.startsWith('google/')))('%s is byte-identical to google-proto-files', (path) => {
    expect(readFileSync(join(BUNDLED_DIR, path)).equals(readFileSync(join(GOOGLE_PROTO_FILES, path)))).toBe(true);
  });

  it('scripts/vendor-protos.mjs --check agrees', async () => {
    const check = await run(process.execPath, ['scripts/vendor-protos.mjs', '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^28 google\/\*\.proto files match/);
  });

  it("Confluent's files are the texts published in confluentinc/schema-registry (protobuf-types/src/main/proto)", () => {
    const sha256 = (path: string) => createHash('sha256').update(readFileSync(join(BUNDLED_DIR, path))).digest('hex');
    expect(sha256('confluent/meta.proto')).toBe('9ba7fdc480140875201a940067103ccab347c1790a2bacabde77620c951d8a32');
    expect(sha256('confluent/type/decimal.proto')).toBe('a2de26fdde8d974951081ad95739560a8ae8d5b8cac041134191ceea2379e56d');
  });

  it("Confluent's files declare what Confluent's JavaScript client compiled from them (@confluentinc/schemaregistry)", () => {
    const descriptorRoot = protobuf.Root.fromJSON(require('protobufjs/google/protobuf/descriptor.json') as protobuf.INamespace);
    const FileDescriptorProto = descriptorRoot.lookupType('google.protobuf.FileDescriptorProto');
    type Descriptor = { package: string; messageType: { name: string; field: { name: string; number: number }[] }[]; extension?: { name: string; number: number; extendee: string }[] };
    const published = (generated: string): Descriptor => {
      const js = readFileSync(require.resolve(`@confluentinc/schemaregistry/dist/confluent/${generated}`), 'utf8');
      const base64 = /fileDesc\)\("([A-Za-z0-9+/=]+)"/.exec(js)![1]!;
      return FileDescriptorProto.toObject(FileDescriptorProto.decode(Buffer.from(base64, 'base64'))) as Descriptor;
    };
    const ours = (path: string): Descriptor => {
      const root = new protobuf.Root();
      const parsed = protobuf.parse(readFileSync(join(BUNDLED_DIR, path), 'utf8'), root, { keepCase: true });
      const ns = root.lookup(parsed.package!) as protobuf.Namespace;
      return {
        package: parsed.package!,
        messageType: ns.nestedArray
          .filter((n): n is protobuf.Type => n instanceof protobuf.Type)
          .map((t) => ({ name: t.name, field: t.fieldsArray.map((f) => ({ name: f.name, number: f.id })) })),
        extension: ns.nestedArray.filter((n): n is protobuf.Field => n instanceof protobuf.Field).map((f) => ({ name: f.name, number: f.id, extendee: `.${f.extend}` })),
      };
    };
    const shape = (d: Descriptor) => ({
      package: d.package,
      messages: d.messageType.map((m) => `${m.name}(${m.field.map((f) => `${f.name}=${f.number}`).join(', ')})`),
      extensions: (d.extension ?? []).map((e) => `${e.extendee} ${e.name}=${e.number}`),
    });
    expect(shape(ours('confluent/meta.proto'))).toEqual(shape(published('meta_pb.js')));
    // The JavaScript client names this file confluent/types/decimal.proto; Confluent's registry imports it as confluent/type/.
    expect(shape(ours('confluent/type/decimal.proto'))).toEqual(shape(published('types/decimal_pb.js')));
    expect(shape(ours('confluent/type/decimal.proto')).messages).toEqual(['Decimal(value=1, precision=2, scale=3)']);
  });
});

/** A definition's shape as protobufjs reads it: fields (number, label, type, map key, oneof) or enum values. */
function shapeOf(object: protobuf.ReflectionObject | null): unknown {
  if (object instanceof protobuf.Enum) return { values: object.values };
  if (!(object instanceof protobuf.Type)) return object;
  return {
    fields: object.fieldsArray.map((f) => ({
      name: f.name,
      id: f.id,
      rule: f.rule ?? null,
      type: f.resolvedType ? f.resolvedType.fullName : f.type,
      keyType: f instanceof protobuf.MapField ? f.keyType : null,
      oneof: f.partOf?.name ?? null,
    })),
    oneofs: object.oneofsArray.map((o) => o.name),
    reserved: object.reserved ?? null,
  };
}

/** The published file and its imports parsed straight from their sources, without Accord's import resolution. */
function publishedRoot(path: string): protobuf.Root {
  const root = new protobuf.Root();
  const seen = new Set<string>();
  const load = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    const source = readFileSync(join(p.startsWith('google/') ? GOOGLE_PROTO_FILES : BUNDLED_DIR, p), 'utf8');
    const parser = protobuf.parse as unknown as { filename: string | null };
    parser.filename = p;
    const parsed = protobuf.parse(source, root, { keepCase: true });
    parser.filename = null;
    for (const i of parsed.imports ?? []) load(i);
  };
  load(path);
  root.resolveAll();
  return root;
}

describe.each(BUNDLED_TYPES)('bundled $path', (bundled) => {
  const text = schemaUsing(bundled);

  it(`needs no reference, and ${bundled.type} resolves to the ${bundled.kind} the file defines`, () => {
    const { native: file, canonical } = parse(text);
    expect(file.imports).toEqual([bundled.path]);
    expect(canonical).toContain(`import "${bundled.path}";`);
    expect(file.messages.map((m) => m.fullName)).toEqual(['app.v1.Event']);
    expect(file.messages[0]!.fields[1]).toMatchObject({ resolved: bundled.type, resolvedKind: bundled.kind, origin: `builtin:${bundled.path}` });
  });

  it('every definition in it is the published one, as protobufjs reads the published text', () => {
    const ours = parseProto(text, [], true).root;
    const theirs = publishedRoot(bundled.path);
    const defined: string[] = [];
    const walk = (ns: protobuf.NamespaceBase) => {
      for (const child of ns.nestedArray) {
        if ((child instanceof protobuf.Type || child instanceof protobuf.Enum) && child.filename === bundled.path) defined.push(child.fullName);
        if (child instanceof protobuf.Namespace) walk(child);
      }
    };
    walk(theirs);
    expect(defined).toContain(`.${bundled.type}`);
    for (const name of defined) expect(shapeOf(ours.lookup(name)), name).toEqual(shapeOf(theirs.lookup(name)));
  });

  it('an unchanged schema is compatible; the field moving to another bundled type is not', () => {
    expect(findings(text, text)).toEqual([]);
    const other = otherThan(bundled);
    expect(findings(text, schemaUsing(other))).toEqual([bundled.kind === 'enum' ? 'FIELD_KIND_CHANGED' : 'FIELD_NAMED_TYPE_CHANGED']);
    expect(findings(schemaUsing(other), text)).toEqual([bundled.kind === 'enum' ? 'FIELD_KIND_CHANGED' : 'FIELD_NAMED_TYPE_CHANGED']);
  });
});

describe('the real definitions', () => {
  const imported = (t: { path: string; type: string }) => parse(schemaUsing(t)).native.imported.get(t.type)!;
  const fields = (t: { path: string; type: string }) => imported(t).fields.map((f) => [f.name, f.tag, f.resolved ?? f.type]);

  it('google.type.Color is red, green, blue and alpha, alpha a FloatValue from wrappers.proto, which color.proto imports itself', () => {
    expect(fields({ path: 'google/type/color.proto', type: 'google.type.Color' })).toEqual([
      ['red', 1, 'float'],
      ['green', 2, 'float'],
      ['blue', 3, 'float'],
      ['alpha', 4, 'google.protobuf.FloatValue'],
    ]);
  });

  it('google.type.PostalAddress has all its address fields', () => {
    expect(fields({ path: 'google/type/postal_address.proto', type: 'google.type.PostalAddress' }).map(([name]) => name)).toEqual([
      'revision', 'region_code', 'language_code', 'postal_code', 'sorting_code', 'administrative_area', 'locality', 'sublocality',
      'address_lines', 'recipients', 'organization',
    ]);
  });

  it('google.type.Money, Date, Decimal and DateTime (with its time_offset oneof) are not abbreviated', () => {
    expect(fields({ path: 'google/type/money.proto', type: 'google.type.Money' })).toEqual([['currency_code', 1, 'string'], ['units', 2, 'int64'], ['nanos', 3, 'int32']]);
    expect(fields({ path: 'google/type/date.proto', type: 'google.type.Date' })).toEqual([['year', 1, 'int32'], ['month', 2, 'int32'], ['day', 3, 'int32']]);
    expect(fields({ path: 'google/type/decimal.proto', type: 'google.type.Decimal' })).toEqual([['value', 1, 'string']]);
    const dateTime = imported({ path: 'google/type/datetime.proto', type: 'google.type.DateTime' });
    expect(dateTime.fields.filter((f) => f.oneof === 'time_offset').map((f) => [f.name, f.resolved])).toEqual([
      ['utc_offset', 'google.protobuf.Duration'],
      ['time_zone', 'google.type.TimeZone'],
    ]);
  });

  it('confluent.type.Decimal carries its precision, and confluent.Meta its tags', () => {
    expect(fields({ path: 'confluent/type/decimal.proto', type: 'confluent.type.Decimal' })).toEqual([['value', 1, 'bytes'], ['precision', 2, 'uint32'], ['scale', 3, 'int32']]);
    expect(fields({ path: 'confluent/meta.proto', type: 'confluent.Meta' }).map(([name]) => name)).toEqual(['doc', 'params', 'tags']);
  });

  it('an enum field of google.type.DayOfWeek changing to Month stays a number on the wire (compatible), as Confluent rules', () => {
    const day = schemaUsing({ path: 'google/type/dayofweek.proto', type: 'google.type.DayOfWeek' });
    const month = schemaUsing({ path: 'google/type/month.proto', type: 'google.type.Month' });
    expect(findings(day, month)).toEqual([]);
  });
});

describe('bundled files among schemas', () => {
  it("a bundled file's options stay its own: a schema in package google.type does not take color.proto's java_package", () => {
    const { canonical } = parse('syntax = "proto3";\npackage google.type;\nimport "google/type/color.proto";\nmessage Shade { Color color = 1; }\n');
    expect(canonical).not.toContain('option');
    expect(parse(canonical).canonical).toBe(canonical);
  });

  it('several bundled imports that share imports load each file once', () => {
    const { native: file } = parse(
      'syntax = "proto3";\npackage app;\nimport "google/type/interval.proto";\nimport "google/type/datetime.proto";\nimport "google/protobuf/timestamp.proto";\nimport "confluent/meta.proto";\n' +
        'message M {\n  google.type.Interval i = 1 [(confluent.field_meta).doc = "when"];\n  google.type.DateTime d = 2;\n  google.protobuf.Timestamp t = 3;\n}\n',
    );
    expect(file.messages[0]!.fields.map((f) => f.resolved)).toEqual(['google.type.Interval', 'google.type.DateTime', 'google.protobuf.Timestamp']);
  });

  it('a reference named like a bundled file is used instead of it, as in Confluent', () => {
    const own = { name: 'google/type/money.proto', subject: 'money', version: 3, schemaType: 'PROTOBUF' as const, schema: 'syntax = "proto3";\npackage google.type;\nmessage Money { string amount = 1; }\n' };
    const { native: file } = parse(schemaUsing({ path: 'google/type/money.proto', type: 'google.type.Money' }), [own]);
    expect(file.messages[0]!.fields[1]).toMatchObject({ resolved: 'google.type.Money', origin: 'money@3' });
    expect(file.imported.get('google.type.Money')!.fields.map((f) => f.name)).toEqual(['amount']);
  });

  it('an import of a google/ file Confluent does not bundle needs a reference', () => {
    expect(() => parse('syntax = "proto3";\nimport "google/protobuf/compiler/plugin.proto";\nmessage M {}\n')).toThrow(/google\/protobuf\/compiler\/plugin\.proto.*reference/);
    expect(() => parse('syntax = "proto3";\nimport "google/type/../protobuf/any.proto";\nmessage M {}\n')).toThrow(/reference/);
  });
});
