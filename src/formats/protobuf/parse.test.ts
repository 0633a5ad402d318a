// Protobuf parsing, validation and schema identity: proto2 and proto3 texts, InvalidSchemaError for what protoc rejects,
// well-known imports and references, the canonical text (comments and layout gone, a fixed point), the normalized text
// (normalize=true), message indexes and the Confluent wire helpers that carry them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessageIndexes, encodeMessageIndexes, frame, unframe } from '../../../sdk/wire.js';
import { misresolved } from '../../../test/differential/protobuf-buf.js';
import { allEnums, allMessages, packageOf, printModel, protoEvolutionArb, type RefStyle } from '../../../test/differential/protobuf-evolutions.js';
import { InvalidSchemaError, type ResolvedReference } from '../format.js';
import { protobufFormat, type ProtobufParsed } from './index.js';
import { messageAt, messageIndexes } from './message-indexes.js';

const parse = (text: string, references: readonly ResolvedReference[] = [], options: { normalize?: boolean; validate?: boolean; maxDepth?: number } = {}) =>
  protobufFormat.parse(text, references, { validate: options.validate ?? true, normalize: options.normalize ?? false, maxDepth: options.maxDepth ?? 64 }) as ProtobufParsed;

/** The InvalidSchemaError `text` is rejected with. */
function rejection(text: string, references: readonly ResolvedReference[] = []): InvalidSchemaError {
  try {
    parse(text, references);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSchemaError);
    return err as InvalidSchemaError;
  }
  throw new Error(`expected the schema to be rejected:\n${text}`);
}

const reference = (name: string, schema: string, version = 1, subject = name.replace(/\.proto$/, '')): ResolvedReference => ({
  name,
  subject,
  version,
  schemaType: 'PROTOBUF',
  schema,
});

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

describe('parsing proto3 and proto2', () => {
  it('reads a proto3 file: syntax, package, imports, fields with labels, maps, oneofs, nested types, services', () => {
    const { native: file, schemaType } = parse(`syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
message Order {
  string id = 1;
  optional int64 total = 2;
  repeated Line lines = 3;
  map<string, string> labels = 4;
  google.protobuf.Timestamp placed_at = 5;
  oneof payment { string card = 6; Cash cash = 7; }
  Status status = 8;
  message Line { string sku = 1; int32 qty = 2; }
  message Cash { int64 cents = 1; }
  enum Status { STATUS_UNKNOWN = 0; STATUS_PAID = 1; }
}
service Orders { rpc Place(Order) returns (Order); }
`);
    expect(schemaType).toBe('PROTOBUF');
    expect(file).toMatchObject({ syntax: 'proto3', syntaxDeclared: true, package: 'shop.v1', imports: ['google/protobuf/timestamp.proto'] });
    const order = file.messages[0]!;
    expect(order.fullName).toBe('shop.v1.Order');
    expect(order.fields.map((f) => [f.name, f.tag, f.type, f.label ?? '-', f.oneof ?? '-', f.resolvedKind])).toEqual([
      ['id', 1, 'string', '-', '-', 'scalar'],
      ['total', 2, 'int64', 'optional', '-', 'scalar'],
      ['lines', 3, 'Line', 'repeated', '-', 'message'],
      ['labels', 4, 'string', '-', '-', 'scalar'],
      ['placed_at', 5, 'google.protobuf.Timestamp', '-', '-', 'message'],
      ['card', 6, 'string', '-', 'payment', 'scalar'],
      ['cash', 7, 'Cash', '-', 'payment', 'message'],
      ['status', 8, 'Status', '-', '-', 'enum'],
    ]);
    expect(order.fields.find((f) => f.name === 'labels')!.keyType).toBe('string');
    expect(order.fields.find((f) => f.name === 'placed_at')!.resolved).toBe('google.protobuf.Timestamp');
    expect(order.fields.find((f) => f.name === 'status')!.resolved).toBe('shop.v1.Order.Status');
    // proto3 `optional` is a synthetic oneof, not a declared one.
    expect(order.oneofs.map((o) => o.name)).toEqual(['payment']);
    expect(order.messages.map((m) => m.fullName)).toEqual(['shop.v1.Order.Line', 'shop.v1.Order.Cash']);
    expect(order.enums[0]!.values.map((v) => [v.name, v.number])).toEqual([['STATUS_UNKNOWN', 0], ['STATUS_PAID', 1]]);
    expect(file.services[0]!.methods[0]).toMatchObject({ name: 'Place', requestType: 'Order', responseType: 'Order' });
  });

  it('reads a proto2 file: optional/required/repeated labels, defaults, extensions ranges; no syntax line means proto2', () => {
    const { native: file } = parse(`syntax = "proto2";
package legacy;
message Account {
  required int64 id = 1;
  optional string name = 2 [default = "anonymous"];
  repeated int32 scores = 3 [packed = true];
  extensions 100 to 199;
}
`);
    expect(file.syntax).toBe('proto2');
    expect(file.messages[0]!.fields.map((f) => [f.name, f.label])).toEqual([['id', 'required'], ['name', 'optional'], ['scores', 'repeated']]);
    expect(file.messages[0]!.extensions).toEqual([[100, 199]]);
    const implicit = parse('package legacy;\nmessage Account { optional int64 id = 1; }\n').native;
    expect(implicit).toMatchObject({ syntax: 'proto2', syntaxDeclared: false });
    expect(implicit.messages[0]!.fields[0]!.label).toBe('optional');
  });

  it('rejects a schema nested deeper than maxDepth', () => {
    const deep = 'syntax = "proto3";\nmessage A { message B { message C { int32 x = 1; } } }\n';
    expect(parse(deep, [], { maxDepth: 3 }).native.messages).toHaveLength(1);
    expect(() => parse(deep, [], { maxDepth: 2 })).toThrow(InvalidSchemaError);
  });
});

describe('validation: InvalidSchemaError naming the element or the line', () => {
  const CASES: { name: string; text: string; mentions: RegExp }[] = [
    { name: 'unknown field type', text: 'syntax = "proto3";\nmessage Order { Money total = 1; }\n', mentions: /Money/ },
    { name: 'unknown type in a nested message', text: 'syntax = "proto3";\nmessage A { message B { Missing m = 1; } }\n', mentions: /Missing/ },
    { name: 'unknown map value type', text: 'syntax = "proto3";\nmessage A { map<string, Nope> m = 1; }\n', mentions: /Nope/ },
    { name: 'duplicate field number', text: 'syntax = "proto3";\nmessage Order { string id = 1; string code = 1; }\n', mentions: /\b1\b.*Order|Order.*\b1\b/ },
    { name: 'duplicate field name', text: 'syntax = "proto3";\nmessage Order { string id = 1; int64 id = 2; }\n', mentions: /'id'.*Order|Order.*id/ },
    { name: 'duplicate message name', text: 'syntax = "proto3";\nmessage Order {}\nmessage Order {}\n', mentions: /Order/ },
    { name: 'reserved number used', text: 'syntax = "proto3";\nmessage Order { reserved 2; string id = 2; }\n', mentions: /\b2\b.*reserved.*Order/ },
    { name: 'number in a reserved range used', text: 'syntax = "proto3";\nmessage Order { reserved 5 to 9; string id = 7; }\n', mentions: /\b7\b.*reserved.*Order/ },
    { name: 'reserved name used', text: 'syntax = "proto3";\nmessage Order { reserved "legacy"; string legacy = 3; }\n', mentions: /legacy.*reserved.*Order/ },
    { name: 'reserved enum number used', text: 'syntax = "proto3";\nenum Status { reserved 1; UNKNOWN = 0; PAID = 1; }\n', mentions: /\b1\b.*reserved.*Status/ },
    { name: 'reserved enum name used', text: 'syntax = "proto3";\nenum Status { reserved "PAID"; UNKNOWN = 0; PAID = 1; }\n', mentions: /PAID.*reserved.*Status/ },
    { name: 'duplicate enum number without allow_alias', text: 'syntax = "proto3";\nenum Status { UNKNOWN = 0; NONE = 0; }\n', mentions: /Status/ },
    { name: 'proto3 enum whose first value is not zero', text: 'syntax = "proto3";\nenum Status { PAID = 1; }\n', mentions: /Status.*zero|zero.*Status/ },
    { name: 'field number 0', text: 'syntax = "proto3";\nmessage Order { string id = 0; }\n', mentions: /Order\.id/ },
    { name: 'field number in the implementation range 19000–19999', text: 'syntax = "proto3";\nmessage Order { string id = 19500; }\n', mentions: /Order\.id.*19000/ },
    { name: 'missing semicolon', text: 'syntax = "proto3";\nmessage Order {\n  string id = 1\n}\n', mentions: /line 4/ },
    { name: 'missing field number', text: 'syntax = "proto3";\nmessage Order {\n  string id = ;\n}\n', mentions: /line 3/ },
    { name: 'required in proto3', text: 'syntax = "proto3";\nmessage Order {\n  required string id = 1;\n}\n', mentions: /line 3, column 3: illegal token 'required'/ },
    { name: 'proto2 field without a label', text: 'syntax = "proto2";\nmessage Order {\n  string id = 1;\n}\n', mentions: /line 3/ },
    { name: 'unbalanced braces', text: 'syntax = "proto3";\nmessage Order {\n  string id = 1;\n', mentions: /Invalid Protobuf schema/ },
    { name: 'not a proto file at all', text: '{"type": "record", "name": "Order", "fields": []}', mentions: /Invalid Protobuf schema/ },
    { name: 'map inside a oneof', text: 'syntax = "proto3";\nmessage Order {\n  oneof o { map<string, int32> m = 1; }\n}\n', mentions: /line 3/ },
    { name: 'map with a floating-point key', text: 'syntax = "proto3";\nmessage Order {\n  map<double, int32> m = 1;\n}\n', mentions: /line 3, column \d+: .*double/ },
  ];
  for (const c of CASES) {
    it(`${c.name} → InvalidSchemaError`, () => {
      expect(rejection(c.text).message).toMatch(c.mentions);
    });
  }

  it('a stored schema (validate=false) skips the checks protobufjs does not do itself', () => {
    const text = 'syntax = "proto3";\nenum Status { PAID = 1; }\n';
    expect(() => parse(text)).toThrow(InvalidSchemaError);
    expect(parse(text, [], { validate: false }).native.enums[0]!.name).toBe('Status');
  });

  it('an unqualified reference to a type of another package is rejected, as protoc does', () => {
    rejection('syntax = "proto3";\nimport "google/protobuf/timestamp.proto";\nmessage M { Timestamp at = 1; }\n');
  });

  it('a bare type name resolves through enclosing scopes, as protoc does, not into nested messages', () => {
    const { native, normalized } = parse('syntax = "proto3";\npackage p;\nmessage Status { string s = 1; }\nmessage M {\n  message Inner { message Status { int32 code = 1; } }\n  Status s = 1;\n}\n');
    expect(native.messages[1]!.fields[0]!.resolved).toBe('p.Status');
    expect(normalized).toContain('.p.Status s = 1;');
  });

  it('two sibling enums declaring the same value name are rejected, as protoc does', () => {
    rejection('syntax = "proto3";\nenum E { A = 0; }\nenum F { A = 0; }\n');
  });
});

describe('imports: well-known types resolve without references, others need one', () => {
  const WELL_KNOWN: [path: string, type: string][] = [
    ['google/protobuf/timestamp.proto', 'google.protobuf.Timestamp'],
    ['google/protobuf/duration.proto', 'google.protobuf.Duration'],
    ['google/protobuf/any.proto', 'google.protobuf.Any'],
    ['google/protobuf/struct.proto', 'google.protobuf.Struct'],
    ['google/protobuf/wrappers.proto', 'google.protobuf.StringValue'],
    ['google/protobuf/empty.proto', 'google.protobuf.Empty'],
    ['google/protobuf/field_mask.proto', 'google.protobuf.FieldMask'],
    ['google/protobuf/descriptor.proto', 'google.protobuf.FileDescriptorProto'],
    ['confluent/meta.proto', 'confluent.Meta'],
    ['confluent/type/decimal.proto', 'confluent.type.Decimal'],
  ];
  for (const [path, type] of WELL_KNOWN) {
    it(`${path} resolves, and ${type} can be used`, () => {
      const { native: file, canonical } = parse(`syntax = "proto3";\npackage app;\nimport "${path}";\nmessage M { ${type} value = 1; }\n`);
      expect(file.imports).toEqual([path]);
      expect(file.messages[0]!.fields[0]).toMatchObject({ resolved: type, resolvedKind: 'message' });
      expect(canonical).toContain(`import "${path}";`);
      // The imported file's own types are not part of this schema.
      expect(file.messages.map((m) => m.name)).toEqual(['M']);
    });
  }

  it('google.protobuf.Value / ListValue / NullValue come with struct.proto', () => {
    const { native: file } = parse('syntax = "proto3";\nimport "google/protobuf/struct.proto";\nmessage M { google.protobuf.Value v = 1; google.protobuf.ListValue l = 2; google.protobuf.NullValue n = 3; }\n');
    expect(file.messages[0]!.fields.map((f) => f.resolvedKind)).toEqual(['message', 'message', 'enum']);
  });

  it('Confluent metadata options (confluent/meta.proto) and custom options over descriptor.proto parse', () => {
    const meta = parse('syntax = "proto3";\nimport "confluent/meta.proto";\nmessage M {\n  option (confluent.message_meta).doc = "An order";\n  string id = 1 [(confluent.field_meta).doc = "the id"];\n}\n');
    expect(meta.canonical).toContain('option (confluent.message_meta).doc = "An order";');
    expect(meta.canonical).toContain('string id = 1 [(confluent.field_meta).doc = "the id"];');
  });

  it('any other import needs a reference named like the import', () => {
    const text = 'syntax = "proto3";\npackage app;\nimport "customer.proto";\nmessage Order { crm.Customer customer = 1; }\n';
    expect(rejection(text).message).toMatch(/customer\.proto/);
    const customer = reference('customer.proto', 'syntax = "proto3";\npackage crm;\nmessage Customer { string id = 1; }\n');
    const { native: file } = parse(text, [customer]);
    expect(file.messages[0]!.fields[0]).toMatchObject({ resolved: 'crm.Customer', resolvedKind: 'message' });
    expect(file.messages.map((m) => m.fullName)).toEqual(['app.Order']);
    // A reference under another name does not help.
    expect(rejection(text, [{ ...customer, name: 'other.proto' }]).message).toMatch(/customer\.proto/);
  });

  it('references resolve transitively (dependencies first), and an unknown google/protobuf import is rejected', () => {
    const money = reference('money.proto', 'syntax = "proto3";\npackage fin;\nmessage Money { string currency = 1; int64 units = 2; }\n');
    const price = reference('price.proto', 'syntax = "proto3";\npackage fin;\nimport "money.proto";\nmessage Price { Money amount = 1; }\n');
    const { native: file } = parse('syntax = "proto3";\nimport "price.proto";\nmessage Item { fin.Price price = 1; fin.Money cost = 2; }\n', [money, price]);
    expect(file.messages[0]!.fields.map((f) => f.resolved)).toEqual(['fin.Price', 'fin.Money']);
    expect(() => parse('syntax = "proto3";\nimport "price.proto";\nmessage Item { fin.Price price = 1; }\n', [price])).toThrow(/money\.proto/);
    expect(rejection('syntax = "proto3";\nimport "google/protobuf/nonexistent.proto";\nmessage M {}\n').message).toMatch(/nonexistent/);
  });

  it('a reference that is not PROTOBUF, or does not parse, is rejected naming it', () => {
    const text = 'syntax = "proto3";\nimport "dep.proto";\nmessage M { int32 a = 1; }\n';
    expect(rejection(text, [{ ...reference('dep.proto', '"string"'), schemaType: 'AVRO' }]).message).toMatch(/dep\.proto.*AVRO/);
    expect(rejection(text, [reference('dep.proto', 'message {')]).message).toMatch(/dep\.proto/);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

const RICH_PROTO3 = `syntax = "proto3";
package shop.v1;

import "google/protobuf/timestamp.proto";
import "confluent/meta.proto";

option java_package = "com.shop.v1";
option go_package = "shop/v1";
option java_multiple_files = true;
option optimize_for = SPEED;

message Order {
  reserved 20, 22 to 25;
  reserved "legacy";

  option deprecated = true;
  option (confluent.message_meta).doc = "An order";

  string id = 2 [
    deprecated = true,
    json_name = "ID"
  ];
  Status status = 1;
  google.protobuf.Timestamp placed_at = 3;
  map<string, Line> lines = 4;
  optional int64 total = 8;
  repeated .shop.v1.Order.Line extra = 12;

  oneof payment {
    string card = 6;
    Cash cash = 5;
  }

  message Line {
    string sku = 1;
    int32 qty = 2;
  }
  message Cash {
    int64 cents = 1;
  }
  enum Status {
    option allow_alias = true;
    STATUS_UNKNOWN = 0;
    STATUS_DONE = 2;
    STATUS_OK = 1;
    STATUS_FINISHED = 2 [deprecated = true];
  }
}
enum Channel {
  CHANNEL_UNKNOWN = 0;
  CHANNEL_WEB = 2;
  CHANNEL_STORE = 1;
}

service Orders {
  rpc Get (Order) returns (Order);
  rpc Watch (stream Order) returns (stream Order) {
    option deprecated = true;
  };
}
`;

const RICH_PROTO2 = `syntax = "proto2";
package legacy;

message Account {
  required int64 id = 1;
  optional string name = 2 [default = "anonymous"];
  repeated int32 scores = 3 [packed = true];
  optional Kind kind = 4;
  optional float ratio = 5 [default = 0.5];

  extensions 100 to 199;

  message Audit {
    optional string who = 1;
  }
  enum Kind {
    PERSONAL = 0;
    BUSINESS = 1;
  }
}
`;

const COMMENTED_PROTO3 = `// Orders, version 1.
/* Block comment
   over lines */
syntax   =   "proto3" ;
package shop.v1;   // trailing

import "google/protobuf/timestamp.proto";
import "confluent/meta.proto";

option java_package = "com.shop.v1";
option go_package = "shop/v1";
option java_multiple_files = true;
option optimize_for = SPEED;

/** The order. */
message Order {
  option deprecated = true;
  option (confluent.message_meta).doc = "An order";
  reserved 20, 22 to 25;
  reserved "legacy";
  // The id.
  string id = 2 [deprecated = true, json_name = "ID"];
  Status status = 1;  /* inline */
  google.protobuf.Timestamp placed_at = 3;
  map<string, Line> lines = 4;
  optional int64 total = 8;
  repeated .shop.v1.Order.Line extra = 12;
  oneof payment { string card = 6; Cash cash = 5; }
  message Line { string sku = 1; int32 qty = 2; }
  message Cash { int64 cents = 1; }
  enum Status {
    option allow_alias = true;
    STATUS_UNKNOWN = 0; STATUS_DONE = 2;
    STATUS_OK = 1;
    STATUS_FINISHED = 2 [deprecated = true];
  }
}

enum Channel { CHANNEL_UNKNOWN = 0; CHANNEL_WEB = 2; CHANNEL_STORE = 1; }

service Orders {
  // Reads one order.
  rpc Get(Order) returns (Order);
  rpc Watch(stream Order) returns (stream Order) { option deprecated = true; }
}
`;

describe('canonical text', () => {
  it('keeps declaration order, labels, options, reserved ranges and services (proto3)', () => {
    expect(parse(RICH_PROTO3).canonical).toBe(RICH_PROTO3);
  });

  it('keeps proto2 labels, defaults and extension ranges', () => {
    expect(parse(RICH_PROTO2).canonical).toBe(RICH_PROTO2);
  });

  it('comments and whitespace do not change it', () => {
    expect(parse(COMMENTED_PROTO3).canonical).toBe(parse(RICH_PROTO3).canonical);
    const squeezed = 'syntax="proto3";package p;message M{int32 a=1;oneof o{string b=2;}message N{}}enum E{Z=0;}';
    const spaced = '\n\n  syntax = "proto3";\n\tpackage p ;\n// x\nmessage  M  {\n int32   a =  1 ;\n oneof o {\n  string b = 2;\n }\n message N { }\n}\n enum E { Z = 0 ; }\n';
    expect(parse(squeezed).canonical).toBe(parse(spaced).canonical);
  });

  it('is a fixed point: parse(canonical).canonical === canonical, and the same for normalized', () => {
    for (const text of [RICH_PROTO3, RICH_PROTO2, COMMENTED_PROTO3, 'syntax = "proto3";\n', 'message M { optional int32 a = 1; }\n']) {
      const { canonical, normalized } = parse(text);
      expect(parse(canonical).canonical).toBe(canonical);
      expect(parse(normalized).normalized).toBe(normalized);
      expect(parse(normalized).canonical).toBe(normalized);
      // The canonical text and the normalized text describe the same schema.
      expect(parse(canonical).normalized).toBe(normalized);
    }
  });

  it('normalize=true makes the normalized text the canonical one', () => {
    const normalizedParse = parse(RICH_PROTO3, [], { normalize: true });
    expect(normalizedParse.canonical).toBe(normalizedParse.normalized);
    expect(normalizedParse.canonical).not.toBe(parse(RICH_PROTO3).canonical);
  });

  // KNOWN BUGS (reported): texts whose canonical form loses or breaks something. Remove `.fails` once fixed.
  it.fails('an aggregate option keeps every value of a repeated option field', () => {
    const text = 'syntax = "proto3";\nimport "confluent/meta.proto";\nmessage M {\n  int32 a = 1 [(confluent.field_meta) = { doc: "d", tags: ["pii", "gdpr"] }];\n}\n';
    expect(parse(text).canonical).toContain('pii');
  });

  it.fails('an extend block is printed as an extend block (the canonical text re-parses)', () => {
    const { canonical } = parse('syntax = "proto2";\npackage p;\nmessage M { extensions 100 to 200; }\nextend M { optional int32 ext = 100; }\n');
    expect(canonical).toMatch(/extend M/);
    expect(parse(canonical).canonical).toBe(canonical);
  });

  it.fails('a custom option declared with extend google.protobuf.FieldOptions stays in the canonical text', () => {
    const { canonical } = parse('syntax = "proto3";\npackage p;\nimport "google/protobuf/descriptor.proto";\nextend google.protobuf.FieldOptions { string note = 50000; }\nmessage M { int32 a = 1 [(note) = "v"]; }\n');
    expect(canonical).toMatch(/extend google\.protobuf\.FieldOptions/);
  });

  it('proto2 enum and float defaults print as protoc reads them (identifier, inf/nan)', () => {
    const { canonical } = parse('syntax = "proto2";\nenum E { A = 0; B = 1; }\nmessage M { optional E e = 1 [default = B]; optional double d = 2 [default = inf]; optional float n = 3 [default = nan]; }\n');
    expect(canonical).toContain('[default = B]');
    expect(canonical).toContain('[default = inf]');
    expect(canonical).toContain('[default = nan]');
  });

  it.fails('a proto2 group stays a group (it has its own wire encoding)', () => {
    expect(parse('syntax = "proto2";\nmessage M {\n  optional group Result = 1 {\n    optional int32 x = 1;\n  }\n}\n').canonical).toMatch(/group Result = 1/);
  });

  it('import public stays public (importers see its types)', () => {
    expect(parse('syntax = "proto3";\nimport public "google/protobuf/timestamp.proto";\nmessage M { google.protobuf.Timestamp t = 1; }\n').canonical).toContain('import public');
  });
});

describe('normalized text (normalize=true)', () => {
  it('sorts fields by tag, enum values by number, imports and options by name, and fully qualifies type references', () => {
    const { normalized } = parse(RICH_PROTO3);
    expect(normalized).toContain('import "confluent/meta.proto";\nimport "google/protobuf/timestamp.proto";');
    expect(normalized).toContain('option go_package = "shop/v1";\noption java_multiple_files = true;\noption java_package = "com.shop.v1";\noption optimize_for = SPEED;');
    expect(normalized).toContain('  option (confluent.message_meta).doc = "An order";\n  option deprecated = true;');
    expect(normalized).toContain(
      [
        '  .shop.v1.Order.Status status = 1;',
        '  string id = 2 [',
        '    deprecated = true,',
        '    json_name = "ID"',
        '  ];',
        '  .google.protobuf.Timestamp placed_at = 3;',
        '  map<string, .shop.v1.Order.Line> lines = 4;',
        '  optional int64 total = 8;',
        '  repeated .shop.v1.Order.Line extra = 12;',
        '',
        '  oneof payment {',
        '    .shop.v1.Order.Cash cash = 5;',
        '    string card = 6;',
        '  }',
      ].join('\n'),
    );
    expect(normalized).toContain('    STATUS_UNKNOWN = 0;\n    STATUS_OK = 1;\n    STATUS_DONE = 2;\n    STATUS_FINISHED = 2 [deprecated = true];');
    expect(normalized).toContain('  CHANNEL_UNKNOWN = 0;\n  CHANNEL_STORE = 1;\n  CHANNEL_WEB = 2;');
  });

  it('two schemas differing only in field order, value order, import order, option order and qualification normalize equal', () => {
    const a = `syntax = "proto3";
package inv;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
option java_package = "com.inv";
option go_package = "inv";
message Item {
  option deprecated = false;
  string sku = 1 [json_name = "SKU", deprecated = true];
  Kind kind = 2;
  google.protobuf.Timestamp at = 3;
  google.protobuf.Duration ttl = 4;
  Part part = 5;
  message Part { int32 n = 1; }
  enum Kind { KIND_UNKNOWN = 0; KIND_A = 1; KIND_B = 2; }
}
`;
    const b = `syntax = "proto3";
package inv;
import "google/protobuf/duration.proto";
import "google/protobuf/timestamp.proto";
option go_package = "inv";
option java_package = "com.inv";
message Item {
  option deprecated = false;
  .inv.Item.Part part = 5;
  .google.protobuf.Duration ttl = 4;
  .google.protobuf.Timestamp at = 3;
  Item.Kind kind = 2;
  string sku = 1 [deprecated = true, json_name = "SKU"];
  message Part { int32 n = 1; }
  enum Kind { KIND_UNKNOWN = 0; KIND_B = 2; KIND_A = 1; }
}
`;
    const [pa, pb] = [parse(a), parse(b)];
    expect(pa.canonical).not.toBe(pb.canonical);
    expect(pa.normalized).toBe(pb.normalized);
    expect(pa.equivalence).toBe(pb.equivalence);
    expect(parse(a, [], { normalize: true }).canonical).toBe(parse(b, [], { normalize: true }).canonical);
  });

  it('different schemas stay different once normalized', () => {
    const base = 'syntax = "proto3";\npackage inv;\nmessage Item { string sku = 1; int32 qty = 2; }\n';
    for (const other of [
      base.replace('int32 qty = 2', 'int64 qty = 2'),
      base.replace('int32 qty = 2', 'int32 qty = 3'),
      base.replace('int32 qty', 'int32 quantity'),
      base.replace('package inv', 'package inv2'),
      base.replace('string sku = 1;', 'optional string sku = 1;'),
    ]) {
      expect(parse(other).normalized).not.toBe(parse(base).normalized);
    }
  });
});

describe('canonical and normalized text over generated schemas (property)', () => {
  /** Fisher–Yates driven by fast-check's numbers. */
  const shuffle = <T>(list: T[], next: () => number) => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };

  it('field order, enum value order and the way type references are written do not change `normalized`; both texts are fixed points', () => {
    const styles: RefStyle[] = ['short', 'path', 'absolute'];
    let compared = 0;
    fc.assert(
      fc.property(protoEvolutionArb, fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 8 }), (ev, nums) => {
        const model = ev.next;
        const variant = structuredClone(model);
        let k = 0;
        const next = () => nums[k % nums.length]! + k++;
        for (const { node } of allMessages(variant)) {
          node.fields = shuffle(node.fields, next);
          for (const f of node.fields) f.style = styles[next() % styles.length]!;
        }
        for (const { node } of allEnums(variant)) node.values = [node.values[0]!, ...shuffle(node.values.slice(1), next)];
        const [a, b] = [parse(printModel(model, 'gen')), parse(printModel(variant, 'gen'))];
        // Set aside what the known type-resolution bug (above) touches.
        if (misresolved(model, a.native, packageOf(model, 'gen')).length || misresolved(variant, b.native, packageOf(variant, 'gen')).length) return;
        compared++;
        expect(b.normalized).toBe(a.normalized);
        expect(b.equivalence).toBe(a.equivalence);
        for (const x of [a, b]) {
          expect(parse(x.canonical).canonical).toBe(x.canonical);
          expect(parse(x.normalized).normalized).toBe(x.normalized);
          expect(parse(x.canonical, [], { normalize: true }).canonical).toBe(x.normalized);
        }
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(250);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('message indexes', () => {
  const file = parse(`syntax = "proto3";
package idx;
enum First { FIRST_UNKNOWN = 0; }
message A {
  enum Inner { INNER_UNKNOWN = 0; }
  message A1 { message A1a {} }
  message A2 {}
}
enum Between { BETWEEN_UNKNOWN = 0; }
message B { map<string, int32> m = 1; }
message C { message C1 {} }
`).native;

  it('index top-level messages by declaration order and nested ones below them; enums are not counted', () => {
    expect([...messageIndexes(file)]).toEqual([
      ['idx.A', [0]],
      ['idx.A.A1', [0, 0]],
      ['idx.A.A1.A1a', [0, 0, 0]],
      ['idx.A.A2', [0, 1]],
      ['idx.B', [1]],
      ['idx.C', [2]],
      ['idx.C.C1', [2, 0]],
    ]);
  });

  it('messageAt walks an index path back to its message, undefined past the end', () => {
    for (const [name, indexes] of messageIndexes(file)) expect(messageAt(file, indexes)?.fullName).toBe(name);
    expect(messageAt(file, [3])).toBeUndefined();
    expect(messageAt(file, [1, 0])).toBeUndefined();
    expect(messageAt(file, [0, 0, 0, 0])).toBeUndefined();
  });
});

describe('wire helpers (sdk/wire.ts)', () => {
  it('encodeMessageIndexes: [0] → 00, [1] → 02 02, [0,2] → 04 00 04, [3,1] → 04 06 02 (zig-zag varints, count first)', () => {
    expect(hex(encodeMessageIndexes([0]))).toBe('00');
    expect(hex(encodeMessageIndexes([1]))).toBe('02 02');
    expect(hex(encodeMessageIndexes([0, 2]))).toBe('04 00 04');
    expect(hex(encodeMessageIndexes([3, 1]))).toBe('04 06 02');
    expect(hex(encodeMessageIndexes([64]))).toBe('02 80 01');
    expect(hex(encodeMessageIndexes([0, 0]))).toBe('04 00 00');
  });

  it('decodeMessageIndexes reads those back and says where the payload starts', () => {
    for (const indexes of [[0], [1], [0, 2], [3, 1], [64], [0, 0]]) {
      const bytes = encodeMessageIndexes(indexes);
      expect(decodeMessageIndexes(bytes)).toEqual({ indexes, next: bytes.length });
    }
    // Both spellings of "first message" decode to [0].
    expect(decodeMessageIndexes(Uint8Array.of(0x02, 0x00))).toEqual({ indexes: [0], next: 2 });
    expect(decodeMessageIndexes(Uint8Array.of(0xaa, 0x04, 0x06, 0x02, 0xff), 1)).toEqual({ indexes: [3, 1], next: 4 });
    expect(() => decodeMessageIndexes(Uint8Array.of(0x04, 0x06))).toThrow(RangeError);
  });

  it('frame/unframe: magic byte, big-endian schema id, indexes, payload', () => {
    const payload = Uint8Array.of(0x08, 0x96, 0x01);
    const framed = frame(0x01020304, payload, [0, 2]);
    expect(hex(framed)).toBe('00 01 02 03 04 04 00 04 08 96 01');
    expect(unframe(framed, true)).toEqual({ schemaId: 0x01020304, messageIndexes: [0, 2], payload });
  });

  it('round-trips any index path (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 64 }), fc.uint8Array({ maxLength: 8 }), (indexes, tail) => {
        const encoded = encodeMessageIndexes(indexes);
        const bytes = new Uint8Array([...encoded, ...tail]);
        expect(decodeMessageIndexes(bytes)).toEqual({ indexes, next: encoded.length });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips through frame/unframe with any schema id and payload (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 31 - 1 }), fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 8 }), fc.uint8Array({ maxLength: 32 }), (id, indexes, payload) => {
        expect(unframe(frame(id, payload, indexes), true)).toEqual({ schemaId: id, messageIndexes: indexes, payload });
      }),
      { numRuns: 300 },
    );
  });
});
