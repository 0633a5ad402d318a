// The size limits on Protobuf schemas, checked on the .proto text (or the text a base64 FileDescriptorProto decodes to)
// before protobufjs parses it: each at its limit is accepted, one over is rejected naming the limit and its setting.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printModel, protoEvolutionArb } from '../../../test/differential/protobuf-evolutions.js';
import { InvalidSchemaError, type ResolvedReference } from '../format.js';
import { DEFAULT_LIMITS, type SchemaLimits } from '../limits.js';
import { protobufFormat, type ProtobufParsed } from './index.js';
import { checkProtoLimits } from './limits.js';
import type { ProtoMessage } from './model.js';

const SMALL: SchemaLimits = { maxFields: 3, maxUnionBranches: 3, maxEnumSymbols: 3, maxReferences: 3, maxNameLength: 20, maxTypes: 3 };

const parse = (text: string, limits: SchemaLimits | null = SMALL, references: readonly ResolvedReference[] = []) =>
  protobufFormat.parse(text, references, { validate: true, normalize: false, maxDepth: 64, limits: limits ?? undefined });

function rejection(text: string, limits: SchemaLimits = SMALL, references: readonly ResolvedReference[] = []): string {
  try {
    parse(text, limits, references);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSchemaError);
    return (err as Error).message;
  }
  throw new Error(`expected the schema to be rejected:\n${text.slice(0, 500)}`);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const fields = (n: number, from = 1) => range(n).map((i) => `int32 f${i} = ${i + from};`).join('\n');
const proto3 = (body: string) => `syntax = "proto3";\n${body}\n`;

describe('Protobuf size limits', () => {
  it('fields per message: at the limit accepted, one over rejected naming the message, the count and ACCORD_MAX_FIELDS', () => {
    expect(() => parse(proto3(`message Wide {\n${fields(3)}\n}`))).not.toThrow();
    expect(rejection(proto3(`message Wide {\n${fields(4)}\n}`))).toBe('message Wide has 4 fields, more than the limit of 3 (ACCORD_MAX_FIELDS)');
  });

  it('counts oneof members, map fields and fields with option values toward their message, and nested messages apart', () => {
    expect(rejection(proto3('message M { int32 a = 1; oneof o { int32 b = 2; string c = 3; } map<string, int32> d = 4; }'))).toMatch(/^message M has 4 fields/);
    const withOptions = 'import "google/protobuf/descriptor.proto";\nextend google.protobuf.FieldOptions { int32 x = 50000; }\n' +
      'message M { int32 a = 1 [(x) = 1]; int32 b = 2 [deprecated = true]; int32 c = 3 [json_name = "cc"]; int32 d = 4; }';
    expect(rejection(proto3(withOptions))).toMatch(/^message M has 4 fields/);
    const nested = 'message Outer { int32 a = 1; int32 b = 2; message Inner { int32 c = 1; int32 d = 2; int32 e = 3; } int32 f = 3; }';
    expect(() => parse(proto3(nested))).not.toThrow();
    // Options, reserved ranges and fields in comments or strings are not fields.
    const notFields = `message M {\n${fields(3)}\noption deprecated = true;\nreserved 10 to 12;\n// int32 x = 20;\n/* int32 y = 21; */\n}`;
    expect(() => parse(proto3(notFields))).not.toThrow();
  });

  it('counts a proto2 group as a field of its message and a message of its own', () => {
    const group = 'syntax = "proto2";\nmessage M { optional int32 a = 1; optional int32 b = 2; optional group G = 3 { optional int32 c = 4; } optional int32 d = 5; }';
    expect(rejection(group)).toMatch(/^message M has 4 fields/);
  });

  it('counts extension fields per extend block', () => {
    const extend = `syntax = "proto2";\nmessage M { extensions 100 to 200; }\nextend M {\n${range(4).map((i) => `optional int32 e${i} = ${100 + i};`).join('\n')}\n}`;
    expect(rejection(extend)).toBe('extend M has 4 fields, more than the limit of 3 (ACCORD_MAX_FIELDS)');
  });

  it('enum values: at the limit accepted, one over rejected with ACCORD_MAX_ENUM_SYMBOLS; options are not values', () => {
    expect(() => parse(proto3('enum E { option allow_alias = true; A = 0; B = 1; C = 1; }'))).not.toThrow();
    expect(rejection(proto3('enum E { A = 0; B = 1; C = 2; D = 3; }'))).toBe('enum E has 4 values, more than the limit of 3 (ACCORD_MAX_ENUM_SYMBOLS)');
  });

  it('messages and enums per schema, nested ones included, against ACCORD_MAX_TYPES', () => {
    expect(() => parse(proto3('message A { message B {} enum C { C0 = 0; } }'))).not.toThrow();
    expect(rejection(proto3('message A { message B {} enum C { C0 = 0; } }\nmessage D {}'))).toBe(
      'The schema has 4 messages and enums, more than the limit of 3 (ACCORD_MAX_TYPES)',
    );
  });

  it('names longer than ACCORD_MAX_NAME_LENGTH are refused, wherever they are', () => {
    const limits = { ...SMALL, maxNameLength: 9 };
    expect(() => parse(proto3('message N23456789 { int32 f23456789 = 1; }'), limits)).not.toThrow();
    const setting = /^Name '[a-zA-Z0-9]+' is 10 characters long, more than the limit of 9 \(ACCORD_MAX_NAME_LENGTH\)$/;
    expect(rejection(proto3('message N234567890 {}'), limits)).toMatch(setting);
    expect(rejection(proto3('message M { int32 f234567890 = 1; }'), limits)).toMatch(setting);
    expect(rejection(proto3('enum E { E234567890 = 0; }'), limits)).toMatch(setting);
    expect(rejection(proto3('package p234567890;'), limits)).toMatch(setting);
    // A string or a comment is not a name.
    expect(() => parse(proto3('// a comment, longwordsarenotnames\nmessage M { string s = 1 [json_name = "aVeryLongJsonName"]; }'), limits)).not.toThrow();
  });

  it('applies to a base64 FileDescriptorProto, counted from the text it decodes to', () => {
    const wide = proto3(`message Wide {\n${fields(4)}\n}`);
    const serialized = protobufFormat.render!(parse(wide, null), 'serialized')!;
    expect(rejection(serialized)).toBe('message Wide has 4 fields, more than the limit of 3 (ACCORD_MAX_FIELDS)');
    expect(() => parse(serialized, { ...SMALL, maxFields: 4 })).not.toThrow();
  });

  it('without limits (stored history) a schema over them still loads', () => {
    expect(() => parse(proto3(`message Wide {\n${fields(4)}\n}`), null)).not.toThrow();
  });

  it('with the defaults, the widest message accepted loads and a 20,000-field message is refused by the text scan', () => {
    const wide = (n: number) => proto3(`message Wide {\n${fields(n)}\n}`);
    expect(() => parse(wide(DEFAULT_LIMITS.maxFields), DEFAULT_LIMITS)).not.toThrow();
    expect(rejection(wide(DEFAULT_LIMITS.maxFields + 1), DEFAULT_LIMITS)).toBe(
      `message Wide has ${DEFAULT_LIMITS.maxFields + 1} fields, more than the limit of ${DEFAULT_LIMITS.maxFields} (ACCORD_MAX_FIELDS)`,
    );
    expect(() => checkProtoLimits(wide(20_000), DEFAULT_LIMITS)).toThrow('message Wide has 5001 fields');
  });
});

describe('the text scan counts what the parser finds', () => {
  /** The largest field count, enum size and type count protobufjs finds, from the parsed model. */
  function counts(parsed: ProtobufParsed) {
    let fieldsMax = 0;
    let valuesMax = 0;
    let types = parsed.native.enums.length;
    for (const e of parsed.native.enums) valuesMax = Math.max(valuesMax, e.values.length);
    const visit = (m: ProtoMessage) => {
      types += 1 + m.enums.length;
      fieldsMax = Math.max(fieldsMax, m.fields.length);
      for (const e of m.enums) valuesMax = Math.max(valuesMax, e.values.length);
      m.messages.forEach(visit);
    };
    parsed.native.messages.forEach(visit);
    return { fieldsMax, valuesMax, types };
  }

  it('at exactly the parsed counts the scan passes; one less and it refuses (generated schemas, and their canonical text)', () => {
    fc.assert(
      fc.property(protoEvolutionArb, (ev) => {
        const text = printModel(ev.next, 'gen');
        const parsed = protobufFormat.parse(text, [], { validate: false, normalize: false, maxDepth: 64 }) as ProtobufParsed;
        const { fieldsMax, valuesMax, types } = counts(parsed);
        const exact: SchemaLimits = { ...DEFAULT_LIMITS, maxFields: fieldsMax, maxEnumSymbols: valuesMax, maxTypes: types };
        for (const source of [text, parsed.canonical]) {
          expect(() => checkProtoLimits(source, exact)).not.toThrow();
          if (fieldsMax > 0) expect(() => checkProtoLimits(source, { ...exact, maxFields: fieldsMax - 1 })).toThrow(/ACCORD_MAX_FIELDS/);
          if (valuesMax > 0) expect(() => checkProtoLimits(source, { ...exact, maxEnumSymbols: valuesMax - 1 })).toThrow(/ACCORD_MAX_ENUM_SYMBOLS/);
          if (types > 0) expect(() => checkProtoLimits(source, { ...exact, maxTypes: types - 1 })).toThrow(/ACCORD_MAX_TYPES/);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('Protobuf imports', () => {
  it('refuses a file that imports the same file twice, naming the import', () => {
    const dep: ResolvedReference = { name: 'dep.proto', subject: 'dep', version: 1, schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\nmessage D {}\n' };
    const text = proto3('import "dep.proto";\nimport "dep.proto";\nmessage M { D d = 1; }');
    expect(rejection(text, DEFAULT_LIMITS, [dep])).toBe('Import "dep.proto" is listed twice; protoc refuses a file that imports the same file twice');
    expect(() => parse(proto3('import "dep.proto";\nmessage M { D d = 1; }'), DEFAULT_LIMITS, [dep])).not.toThrow();
  });
});
