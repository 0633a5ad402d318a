// The printed form of a Protobuf schema is Confluent's, byte for byte: table tests of base64 FileDescriptorProto → text
// and of .proto text → canonical/normalized text. Each expected text is derived from Confluent's code (protobuf-provider:
// ProtobufSchema.toProtoFile and friends build the element tree from a descriptor, ProtobufSchemaUtils.toString prints
// it); the comment on each case names the rule it pins. Small cases are modelled on ProtobufSchemaTest's own.
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { protobufFormat, type ProtobufParsed } from './index.js';

const require = createRequire(import.meta.url);
const descriptorRoot = protobuf.Root.fromJSON(require('protobufjs/google/protobuf/descriptor.json') as protobuf.INamespace);
const FileDescriptorProto = descriptorRoot.lookupType('google.protobuf.FileDescriptorProto');

/** A FileDescriptorProto (protobufjs' camelCase object form) as the base64 text a client registers. */
const base64 = (descriptor: Record<string, unknown>) =>
  Buffer.from(FileDescriptorProto.encode(FileDescriptorProto.fromObject(descriptor)).finish()).toString('base64');

const parse = (text: string, normalize = false) =>
  protobufFormat.parse(text, [], { validate: true, normalize, maxDepth: 64 }) as ProtobufParsed;

const field = (name: string, number: number, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  number,
  label: 'LABEL_OPTIONAL',
  type: type.startsWith('.') ? 'TYPE_MESSAGE' : `TYPE_${type.toUpperCase()}`,
  ...(type.startsWith('.') ? { typeName: type } : {}),
  ...extra,
});

interface DescriptorCase {
  name: string;
  descriptor: Record<string, unknown>;
  expected: string;
  /** The normalized text, where the case pins it. */
  normalized?: string;
}

const descriptorCases: DescriptorCase[] = [
  {
    // toString(ProtoFileElement): one newline before the block of types, none between two top-level messages.
    name: 'two messages print with no blank line between them (issue 20 item 3: Key and Dog)',
    descriptor: {
      name: 'dog.proto',
      package: 'test',
      syntax: 'proto3',
      messageType: [
        { name: 'Key', field: [field('id', 1, 'string')] },
        { name: 'Dog', field: [field('name', 1, 'string'), field('age', 2, 'int32')] },
      ],
    },
    expected: 'syntax = "proto3";\npackage test;\n\nmessage Key {\n  string id = 1;\n}\nmessage Dog {\n  string name = 1;\n  int32 age = 2;\n}\n',
  },
  {
    // toField: a json_name the descriptor carries (protoc and the JS/Go clients set one on every field) is printed.
    name: 'every json_name the descriptor carries is printed, after the other options',
    descriptor: {
      name: 'k.proto',
      syntax: 'proto3',
      messageType: [{ name: 'Key', field: [field('user_id', 1, 'string', { jsonName: 'userId', options: { deprecated: true } })] }],
    },
    expected: 'syntax = "proto3";\n\nmessage Key {\n  string user_id = 1 [\n    deprecated = true,\n    json_name = "userId"\n  ];\n}\n',
  },
  {
    // toProtoFile: the syntax switch knows proto2 and proto3 only, so a descriptor without one (protoc's proto2) has no
    // syntax line; label(): proto2 keeps optional/required; toField: a proto2 default; toExtension: one per range.
    name: 'a proto2 descriptor without syntax: labels, default, extension ranges each a statement',
    descriptor: {
      name: 'legacy.proto',
      package: 'legacy',
      messageType: [
        {
          name: 'Account',
          field: [
            field('id', 1, 'int64', { label: 'LABEL_REQUIRED' }),
            field('name', 2, 'string', { defaultValue: 'anon' }),
            field('scores', 3, 'int32', { label: 'LABEL_REPEATED', options: { packed: true } }),
          ],
          extensionRange: [{ start: 100, end: 200 }, { start: 300, end: 301 }, { start: 1000, end: 536870912 }],
        },
      ],
    },
    expected:
      'package legacy;\n\nmessage Account {\n  required int64 id = 1;\n  optional string name = 2 [default = "anon"];\n  repeated int32 scores = 3 [packed = true];\n\n  extensions 100 to 199;\n  extensions 300;\n  extensions 1000 to max;\n}\n',
  },
  {
    // toReserved (message ranges end-exclusive, enum ranges inclusive) and reserved names: one statement each;
    // toString(EnumElement): no blank line after the reserved statements.
    name: 'reserved ranges and names print one statement each, in messages and enums',
    descriptor: {
      name: 'r.proto',
      syntax: 'proto3',
      messageType: [{ name: 'M', field: [field('a', 1, 'string')], reservedRange: [{ start: 2, end: 3 }, { start: 9, end: 12 }], reservedName: ['old', 'older'] }],
      enumType: [{ name: 'E', value: [{ name: 'E0', number: 0 }], reservedRange: [{ start: 5, end: 5 }, { start: 100, end: 2147483647 }], reservedName: ['GONE'] }],
    },
    expected:
      'syntax = "proto3";\n\nmessage M {\n  reserved 2;\n  reserved 9 to 11;\n  reserved "old";\n  reserved "older";\n\n  string a = 1;\n}\nenum E {\n  reserved 5;\n  reserved 100 to max;\n  reserved "GONE";\n  E0 = 0;\n}\n',
  },
  {
    // toMessage: map entries stay nested messages (with option map_entry) and the field stays `repeated` of the
    // entry type, fully qualified as the descriptor writes it (dataType); appendIndented indents the blank line too.
    name: 'a map field prints as its entry message, type names fully qualified',
    descriptor: {
      name: 'm.proto',
      package: 'shop',
      syntax: 'proto3',
      messageType: [
        {
          name: 'Order',
          field: [field('labels', 1, '.shop.Order.LabelsEntry', { label: 'LABEL_REPEATED' }), field('line', 2, '.shop.Order.Line')],
          nestedType: [
            { name: 'LabelsEntry', field: [field('key', 1, 'string'), field('value', 2, 'string')], options: { mapEntry: true } },
            { name: 'Line', field: [field('sku', 1, 'string')] },
          ],
        },
      ],
    },
    expected:
      'syntax = "proto3";\npackage shop;\n\nmessage Order {\n  repeated .shop.Order.LabelsEntry labels = 1;\n  .shop.Order.Line line = 2;\n\n  message LabelsEntry {\n    option map_entry = true;\n  \n    string key = 1;\n    string value = 2;\n  }\n  message Line {\n    string sku = 1;\n  }\n}\n',
    // toString(FieldElement) under normalize: a field whose type is a map entry prints as the map, label dropped;
    // filterTypes: the synthetic entry message is left out.
    normalized: 'syntax = "proto3";\npackage shop;\n\nmessage Order {\n  map<string, string> labels = 1;\n  .shop.Order.Line line = 2;\n\n  message Line {\n    string sku = 1;\n  }\n}\n',
  },
  {
    // toMessage: fields of real oneofs go to their oneof; a proto3 optional's synthetic oneof is empty and dropped, the
    // field keeps `optional` (label()); toString(MessageElement): a blank line between fields and oneofs.
    name: 'oneofs and proto3 optional',
    descriptor: {
      name: 'o.proto',
      syntax: 'proto3',
      messageType: [
        {
          name: 'Pay',
          field: [
            field('id', 1, 'string'),
            field('card', 2, 'string', { oneofIndex: 0 }),
            field('cash', 3, 'int64', { oneofIndex: 0 }),
            field('note', 4, 'string', { oneofIndex: 1, proto3Optional: true }),
          ],
          oneofDecl: [{ name: 'method' }, { name: '_note' }],
        },
      ],
    },
    expected: 'syntax = "proto3";\n\nmessage Pay {\n  string id = 1;\n  optional string note = 4;\n\n  oneof method {\n    string card = 2;\n    int64 cash = 3;\n  }\n}\n',
  },
  {
    // toProtoFile adds file options in its own fixed order (java_package first), whatever the descriptor's order;
    // toMessage/toEnum/toService: only the options it knows; toString(RpcElement): `rpc Name (In) returns (Out)`, and
    // with options a body closed by `};`; imports then public imports.
    name: 'options of file, message, enum, enum value, service and method; imports and public imports',
    descriptor: {
      name: 's.proto',
      package: 'svc',
      syntax: 'proto3',
      dependency: ['google/protobuf/duration.proto', 'google/protobuf/timestamp.proto'],
      publicDependency: [0],
      options: { goPackage: 'svc/v1', javaPackage: 'com.svc', optimizeFor: 'SPEED' },
      messageType: [{ name: 'Req', options: { deprecated: true } }],
      enumType: [{ name: 'Level', options: { allowAlias: true }, value: [{ name: 'L0', number: 0 }, { name: 'ZERO', number: 0, options: { deprecated: true } }] }],
      service: [
        {
          name: 'Api',
          options: { deprecated: true },
          method: [
            { name: 'Get', inputType: '.svc.Req', outputType: '.svc.Req' },
            { name: 'Watch', inputType: '.svc.Req', outputType: '.svc.Req', serverStreaming: true, options: { idempotencyLevel: 'NO_SIDE_EFFECTS' } },
          ],
        },
      ],
    },
    expected:
      'syntax = "proto3";\npackage svc;\n\nimport "google/protobuf/timestamp.proto";\nimport public "google/protobuf/duration.proto";\n\noption java_package = "com.svc";\noption optimize_for = SPEED;\noption go_package = "svc/v1";\n\n' +
      'message Req {\n  option deprecated = true;\n}\nenum Level {\n  option allow_alias = true;\n  L0 = 0;\n  ZERO = 0 [deprecated = true];\n}\n\n' +
      'service Api {\n  option deprecated = true;\n\n  rpc Get (.svc.Req) returns (.svc.Req);\n  rpc Watch (.svc.Req) returns (stream .svc.Req) {\n    option idempotency_level = NO_SIDE_EFFECTS;\n  };\n}\n',
  },
];

describe('a schema registered as a base64 FileDescriptorProto prints as Confluent prints it', () => {
  it.each(descriptorCases)('$name', ({ descriptor, expected, normalized }) => {
    const parsed = parse(base64(descriptor));
    expect(parsed.canonical).toBe(expected);
    // The printed text is a fixed point: registering it as text stores the same text.
    expect(parse(parsed.canonical).canonical).toBe(expected);
    if (normalized !== undefined) expect(parsed.normalized).toBe(normalized);
  });

  it('a map written as its entry message is the same map to compare as map<K, V> in text (both ways compatible)', () => {
    const text = parse('syntax = "proto3";\npackage shop;\nmessage Order {\n  map<string, string> labels = 1;\n  Line line = 2;\n  message Line { string sku = 1; }\n}\n');
    const descriptor = parse(base64(descriptorCases.find((c) => c.name.startsWith('a map field'))!.descriptor));
    expect(protobufFormat.checkReader(descriptor, text)).toEqual([]);
    expect(protobufFormat.checkReader(text, descriptor)).toEqual([]);
    expect(descriptor.native.messages[0]!.messages.map((m) => m.name)).toEqual(['Line']);
  });
});

interface TextCase {
  name: string;
  text: string;
  canonical: string;
  normalized?: string;
}

const textCases: TextCase[] = [
  {
    // toString(MessageElement): an empty body is `{}`; types of one scope follow each other without a blank line;
    // with no syntax and no package the file starts with the newline before its types.
    name: 'empty messages and enums, no syntax line',
    text: 'message A {}\n\nmessage B { }\nenum E {}\n',
    canonical: '\nmessage A {}\nmessage B {}\nenum E {}\n',
  },
  {
    // Wire keeps one ReservedElement per statement and `5 to 5` as a range; normalize splits values and collapses it.
    name: 'reserved and extensions statements as written (testRanges)',
    text: 'message Money {\n  reserved 5000 to 6000;\n  reserved 20000 to 20000, 7;\n  optional int64 cents = 1;\n  extensions 100 to 200;\n  extensions 2000 to 2000;\n}\n',
    canonical: '\nmessage Money {\n  reserved 5000 to 6000;\n  reserved 20000 to 20000, 7;\n\n  optional int64 cents = 1;\n\n  extensions 100 to 200;\n  extensions 2000 to 2000;\n}\n',
    normalized: '\nmessage Money {\n  reserved 7;\n  reserved 5000 to 6000;\n  reserved 20000;\n\n  optional int64 cents = 1;\n\n  extensions 100 to 200;\n  extensions 2000;\n}\n',
  },
  {
    // appendIndented puts the two spaces on blank lines too; a nested body's sections are separated by them.
    name: 'nested messages: blank lines carry the indentation',
    text: 'syntax = "proto3";\nmessage A { message B { option deprecated = true; string x = 1; message C { int32 y = 1; } } }\n',
    canonical:
      'syntax = "proto3";\n\nmessage A {\n  message B {\n    option deprecated = true;\n  \n    string x = 1;\n  \n    message C {\n      int32 y = 1;\n    }\n  }\n}\n',
  },
  {
    // toString(FieldElement): several options one a line; default and json_name after the others whatever the
    // source order; appendOptions; escapeChars on string values (a single quote is escaped too).
    name: 'field options: several on their own lines, default and json_name last, strings escaped',
    text: 'syntax = "proto2";\noption java_package = "it\'s \\"q\\"";\nmessage M {\n  optional string s = 1 [json_name = "S", default = "x", deprecated = true];\n}\n',
    canonical:
      'syntax = "proto2";\n\noption java_package = "it\\\'s \\"q\\"";\n\nmessage M {\n  optional string s = 1 [\n    deprecated = true,\n    default = "x",\n    json_name = "S"\n  ];\n}\n',
    normalized:
      '\noption java_package = "it\\\'s \\"q\\"";\n\nmessage M {\n  optional string s = 1 [\n    default = "x",\n    deprecated = true,\n    json_name = "S"\n  ];\n}\n',
  },
  {
    // toString(ServiceElement)/toString(RpcElement): options, a blank line, the rpcs; normalized, types fully qualified.
    name: 'a service, its options and its rpcs',
    text: 'syntax = "proto3";\npackage api;\nmessage Req {}\nservice S { option deprecated = true; rpc Get (Req) returns (stream Req); }\n',
    canonical: 'syntax = "proto3";\npackage api;\n\nmessage Req {}\n\nservice S {\n  option deprecated = true;\n\n  rpc Get (Req) returns (stream Req);\n}\n',
    normalized: 'syntax = "proto3";\npackage api;\n\nmessage Req {}\n\nservice S {\n  option deprecated = true;\n\n  rpc Get (.api.Req) returns (stream .api.Req);\n}\n',
  },
  {
    // toString(EnumElement) and toString(EnumConstantElement): options then values; value options bracketed.
    name: 'enum options and enum value options',
    text: 'syntax = "proto3";\nenum E { option allow_alias = true; A = 0; B = 0 [deprecated = true]; }\n',
    canonical: 'syntax = "proto3";\n\nenum E {\n  option allow_alias = true;\n  A = 0;\n  B = 0 [deprecated = true];\n}\n',
  },
];

describe('a schema registered as .proto text prints as Confluent prints it', () => {
  it.each(textCases)('$name', ({ text, canonical, normalized }) => {
    const parsed = parse(text);
    expect(parsed.canonical).toBe(canonical);
    expect(parse(canonical).canonical).toBe(canonical);
    if (normalized !== undefined) expect(parsed.normalized).toBe(normalized);
  });
});
