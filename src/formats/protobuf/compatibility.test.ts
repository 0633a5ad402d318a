// Confluent's Protobuf difference rules (reference §B): one or more cases per difference type of §B.2, each pinned
// to the exact difference list diffProto(original, update) returns (type and `#/…` path), and to the verdict
// checkReader gives in the BACKWARD direction (reader = new, writer = old, i.e. diff(old, new)); then the behaviours
// of §B.5, the matching details of §B.3 and the shape of incompatible findings (rule, path, message, hint).
import { describe, expect, it } from 'vitest';
import type { ResolvedReference } from '../format.js';
import { COMPATIBLE_DIFFERENCES, diffProto, type DifferenceType } from './compatibility.js';
import { protobufFormat, type ProtobufParsed } from './index.js';

const parse = (text: string, references: readonly ResolvedReference[] = []) =>
  protobufFormat.parse(text, references, { validate: true, normalize: false, maxDepth: 64 }) as ProtobufParsed;

const proto3 = (body: string, pkg = 'acme') => `syntax = "proto3";\n${pkg ? `package ${pkg};\n` : ''}${body}\n`;
const proto2 = (body: string, pkg = 'acme') => `syntax = "proto2";\n${pkg ? `package ${pkg};\n` : ''}${body}\n`;

/** Every difference from `original` to `update`, as `TYPE path`. */
const diff = (original: string, update: string) => diffProto(parse(original).native, parse(update).native).map((d) => `${d.type} ${d.path}`);

/** BACKWARD: can the new schema read data written with the old one? Confluent diffs old → new. */
const backward = (oldText: string, newText: string) => protobufFormat.checkReader(parse(newText), parse(oldText), { reader: 'new', writer: 'old' });
/** FORWARD: can the old schema read data written with the new one? The mirror diff, new → old. */
const forward = (oldText: string, newText: string) => protobufFormat.checkReader(parse(oldText), parse(newText), { reader: 'old', writer: 'new' });

const rules = (findings: { rule: string; path: string }[]) => findings.map((f) => `${f.rule} ${f.path}`);

interface Case {
  /** What the evolution does. */
  name: string;
  old: string;
  new: string;
  /** diffProto(old, new), in order. */
  diffs: string[];
}

/** One or more evolutions per difference type; the key is the type under test, which must appear in `diffs`. */
const CASES: Record<DifferenceType, Case[]> = {
  PACKAGE_CHANGED: [
    { name: 'package renamed', old: proto3('message M { int32 a = 1; }', 'acme.v1'), new: proto3('message M { int32 a = 1; }', 'acme.v2'), diffs: ['PACKAGE_CHANGED #/'] },
    { name: 'package added where there was none', old: proto3('message M { int32 a = 1; }', ''), new: proto3('message M { int32 a = 1; }', 'acme'), diffs: ['PACKAGE_CHANGED #/'] },
    { name: 'package dropped', old: proto3('message M { int32 a = 1; }', 'acme'), new: proto3('message M { int32 a = 1; }', ''), diffs: ['PACKAGE_CHANGED #/'] },
  ],
  MESSAGE_ADDED: [
    { name: 'top-level message appended', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { int32 a = 1; }\nmessage N { int32 b = 1; }'), diffs: ['MESSAGE_ADDED #/N'] },
    { name: 'nested message added', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { int32 a = 1; message Inner { int32 b = 1; } }'), diffs: ['MESSAGE_ADDED #/M/Inner'] },
  ],
  MESSAGE_REMOVED: [
    { name: 'top-level message deleted', old: proto3('message M { int32 a = 1; }\nmessage N { int32 b = 1; }'), new: proto3('message M { int32 a = 1; }'), diffs: ['MESSAGE_REMOVED #/N'] },
    { name: 'nested message deleted', old: proto3('message M { message Inner { message Deep {} } }'), new: proto3('message M { message Inner {} }'), diffs: ['MESSAGE_REMOVED #/M/Inner/Deep'] },
    { name: 'message renamed (= removed + added)', old: proto3('message M { int32 a = 1; }'), new: proto3('message Renamed { int32 a = 1; }'), diffs: ['MESSAGE_REMOVED #/M', 'MESSAGE_ADDED #/Renamed'] },
  ],
  MESSAGE_MOVED: [
    {
      name: 'two top-level messages swapped',
      old: proto3('message A { int32 a = 1; }\nmessage B { int32 b = 1; }'),
      new: proto3('message B { int32 b = 1; }\nmessage A { int32 a = 1; }'),
      diffs: ['MESSAGE_MOVED #/A', 'MESSAGE_MOVED #/B'],
    },
    {
      name: 'a message inserted before an existing one shifts its index',
      old: proto3('message A { int32 a = 1; }'),
      new: proto3('message First {}\nmessage A { int32 a = 1; }'),
      diffs: ['MESSAGE_MOVED #/A', 'MESSAGE_ADDED #/First'],
    },
    {
      name: 'nested messages swapped',
      old: proto3('message M { message X {} message Y {} }'),
      new: proto3('message M { message Y {} message X {} }'),
      diffs: ['MESSAGE_MOVED #/M/X', 'MESSAGE_MOVED #/M/Y'],
    },
  ],
  ENUM_ADDED: [
    { name: 'top-level enum added', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { int32 a = 1; }\nenum E { E_UNKNOWN = 0; }'), diffs: ['ENUM_ADDED #/E'] },
    { name: 'nested enum added', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { int32 a = 1; enum Kind { KIND_UNKNOWN = 0; } }'), diffs: ['ENUM_ADDED #/M/Kind'] },
  ],
  ENUM_REMOVED: [
    { name: 'top-level enum deleted', old: proto3('message M { int32 a = 1; }\nenum E { E_UNKNOWN = 0; }'), new: proto3('message M { int32 a = 1; }'), diffs: ['ENUM_REMOVED #/E'] },
    { name: 'nested enum deleted', old: proto3('message M { enum Kind { KIND_UNKNOWN = 0; } }'), new: proto3('message M {}'), diffs: ['ENUM_REMOVED #/M/Kind'] },
  ],
  ENUM_CONST_ADDED: [
    { name: 'constant appended', old: proto3('enum E { A = 0; }'), new: proto3('enum E { A = 0; B = 1; }'), diffs: ['ENUM_CONST_ADDED #/E/1'] },
    { name: 'constant added to a nested enum', old: proto3('message M { enum K { A = 0; } }'), new: proto3('message M { enum K { A = 0; B = 7; } }'), diffs: ['ENUM_CONST_ADDED #/M/K/7'] },
  ],
  ENUM_CONST_REMOVED: [
    { name: 'constant deleted', old: proto3('enum E { A = 0; B = 1; C = 2; }'), new: proto3('enum E { A = 0; C = 2; }'), diffs: ['ENUM_CONST_REMOVED #/E/1'] },
    {
      name: 'constant renumbered (= removed + added)',
      old: proto3('enum E { A = 0; B = 1; }'),
      new: proto3('enum E { A = 0; B = 5; }'),
      diffs: ['ENUM_CONST_REMOVED #/E/1', 'ENUM_CONST_ADDED #/E/5'],
    },
  ],
  ENUM_CONST_CHANGED: [
    { name: 'constant renamed (keyed by number)', old: proto3('enum E { A = 0; B = 1; }'), new: proto3('enum E { A = 0; BEE = 1; }'), diffs: ['ENUM_CONST_CHANGED #/E/1'] },
    { name: 'nested enum constant renamed', old: proto3('message M { enum K { A = 0; } }'), new: proto3('message M { enum K { ZERO = 0; } }'), diffs: ['ENUM_CONST_CHANGED #/M/K/0'] },
  ],
  FIELD_ADDED: [
    { name: 'proto3 field added', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { int32 a = 1; string b = 2; }'), diffs: ['FIELD_ADDED #/M/2'] },
    { name: 'proto2 optional field added', old: proto2('message M { optional int32 a = 1; }'), new: proto2('message M { optional int32 a = 1; repeated string b = 2; }'), diffs: ['FIELD_ADDED #/M/2'] },
    { name: 'field added to a nested message', old: proto3('message M { message N {} }'), new: proto3('message M { message N { bool b = 3; } }'), diffs: ['FIELD_ADDED #/M/N/3'] },
  ],
  FIELD_REMOVED: [
    { name: 'proto3 field removed', old: proto3('message M { int32 a = 1; string b = 2; }'), new: proto3('message M { int32 a = 1; }'), diffs: ['FIELD_REMOVED #/M/2'] },
    { name: 'field removed and its number reserved', old: proto3('message M { int32 a = 1; string b = 2; }'), new: proto3('message M { reserved 2; int32 a = 1; }'), diffs: ['FIELD_REMOVED #/M/2'] },
    { name: 'map field removed (its entry type is not a message of its own)', old: proto3('message M { map<string, int32> m = 4; }'), new: proto3('message M {}'), diffs: ['FIELD_REMOVED #/M/4'] },
  ],
  REQUIRED_FIELD_ADDED: [
    { name: 'proto2 required field added', old: proto2('message M { optional int32 a = 1; }'), new: proto2('message M { optional int32 a = 1; required string b = 2; }'), diffs: ['REQUIRED_FIELD_ADDED #/M/2'] },
  ],
  REQUIRED_FIELD_REMOVED: [
    { name: 'proto2 required field removed', old: proto2('message M { optional int32 a = 1; required string b = 2; }'), new: proto2('message M { optional int32 a = 1; }'), diffs: ['REQUIRED_FIELD_REMOVED #/M/2'] },
  ],
  FIELD_NAME_CHANGED: [
    { name: 'field renamed, same tag and type', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { int32 alpha = 1; }'), diffs: ['FIELD_NAME_CHANGED #/M/1'] },
    { name: 'oneof member renamed', old: proto3('message M { oneof o { int32 a = 1; } }'), new: proto3('message M { oneof o { int32 alpha = 1; } }'), diffs: ['FIELD_NAME_CHANGED #/M/o/1'] },
  ],
  FIELD_KIND_CHANGED: [
    { name: 'scalar → message', old: proto3('message M { int32 a = 1; }\nmessage N {}'), new: proto3('message M { N a = 1; }\nmessage N {}'), diffs: ['FIELD_KIND_CHANGED #/M/1'] },
    { name: 'enum (a scalar) → message', old: proto3('message M { E a = 1; }\nmessage N {}\nenum E { Z = 0; }'), new: proto3('message M { N a = 1; }\nmessage N {}\nenum E { Z = 0; }'), diffs: ['FIELD_KIND_CHANGED #/M/1'] },
    { name: 'scalar → map', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { map<string, int32> a = 1; }'), diffs: ['FIELD_KIND_CHANGED #/M/1'] },
    { name: 'map → repeated message', old: proto3('message M { map<string, N> a = 1; }\nmessage N {}'), new: proto3('message M { repeated N a = 1; }\nmessage N {}'), diffs: ['FIELD_KIND_CHANGED #/M/1'] },
    { name: 'map value scalar → message', old: proto3('message M { map<string, int32> a = 1; }\nmessage N {}'), new: proto3('message M { map<string, N> a = 1; }\nmessage N {}'), diffs: ['FIELD_KIND_CHANGED #/M/1'] },
  ],
  FIELD_SCALAR_KIND_CHANGED: [
    { name: 'int32 → string', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { string a = 1; }'), diffs: ['FIELD_SCALAR_KIND_CHANGED #/M/1'] },
    { name: 'int32 → sint32 (GENERAL_NUMBER vs SIGNED_NUMBER)', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { sint32 a = 1; }'), diffs: ['FIELD_SCALAR_KIND_CHANGED #/M/1'] },
    { name: 'float → double', old: proto3('message M { float a = 1; }'), new: proto3('message M { double a = 1; }'), diffs: ['FIELD_SCALAR_KIND_CHANGED #/M/1'] },
    { name: 'fixed32 → fixed64', old: proto3('message M { fixed32 a = 1; }'), new: proto3('message M { fixed64 a = 1; }'), diffs: ['FIELD_SCALAR_KIND_CHANGED #/M/1'] },
    { name: 'enum → string', old: proto3('message M { E a = 1; }\nenum E { Z = 0; }'), new: proto3('message M { string a = 1; }\nenum E { Z = 0; }'), diffs: ['FIELD_SCALAR_KIND_CHANGED #/M/1'] },
    { name: 'oneof member int64 → double', old: proto3('message M { oneof o { int64 a = 1; } }'), new: proto3('message M { oneof o { double a = 1; } }'), diffs: ['FIELD_SCALAR_KIND_CHANGED #/M/o/1'] },
    { name: 'map key string → int32', old: proto3('message M { map<string, int32> m = 1; }'), new: proto3('message M { map<int32, int32> m = 1; }'), diffs: ['FIELD_SCALAR_KIND_CHANGED #/M/1'] },
    { name: 'map value int32 → string', old: proto3('message M { map<string, int32> m = 1; }'), new: proto3('message M { map<string, string> m = 1; }'), diffs: ['FIELD_SCALAR_KIND_CHANGED #/M/1'] },
  ],
  FIELD_NAMED_TYPE_CHANGED: [
    { name: 'message field retargeted to another message', old: proto3('message M { A f = 1; }\nmessage A {}\nmessage B {}'), new: proto3('message M { B f = 1; }\nmessage A {}\nmessage B {}'), diffs: ['FIELD_NAMED_TYPE_CHANGED #/M/1'] },
    {
      name: 'same simple name, different scope (M.Status → Status)',
      old: proto3('message M { Status s = 1; message Status {} }\nmessage Status {}'),
      new: proto3('message M { .acme.Status s = 1; message Status {} }\nmessage Status {}'),
      diffs: ['FIELD_NAMED_TYPE_CHANGED #/M/1'],
    },
    { name: 'map value retargeted', old: proto3('message M { map<string, A> m = 1; }\nmessage A {}\nmessage B {}'), new: proto3('message M { map<string, B> m = 1; }\nmessage A {}\nmessage B {}'), diffs: ['FIELD_NAMED_TYPE_CHANGED #/M/1'] },
  ],
  FIELD_NUMERIC_LABEL_CHANGED: [
    { name: 'proto3 optional int32 → repeated int32', old: proto3('message M { optional int32 a = 1; }'), new: proto3('message M { repeated int32 a = 1; }'), diffs: ['FIELD_NUMERIC_LABEL_CHANGED #/M/1'] },
    { name: 'proto2 optional int32 → required int32', old: proto2('message M { optional int32 a = 1; }'), new: proto2('message M { required int32 a = 1; }'), diffs: ['FIELD_NUMERIC_LABEL_CHANGED #/M/1'] },
    { name: 'proto2 repeated enum → optional enum', old: proto2('message M { repeated E a = 1; }\nenum E { Z = 0; }'), new: proto2('message M { optional E a = 1; }\nenum E { Z = 0; }'), diffs: ['FIELD_NUMERIC_LABEL_CHANGED #/M/1'] },
    { name: 'proto2 optional double → repeated double', old: proto2('message M { optional double a = 1; }'), new: proto2('message M { repeated double a = 1; }'), diffs: ['FIELD_NUMERIC_LABEL_CHANGED #/M/1'] },
  ],
  FIELD_STRING_OR_BYTES_LABEL_CHANGED: [
    { name: 'proto3 optional string → repeated string', old: proto3('message M { optional string a = 1; }'), new: proto3('message M { repeated string a = 1; }'), diffs: ['FIELD_STRING_OR_BYTES_LABEL_CHANGED #/M/1'] },
    { name: 'proto2 optional string → required bytes', old: proto2('message M { optional string a = 1; }'), new: proto2('message M { required bytes a = 1; }'), diffs: ['FIELD_STRING_OR_BYTES_LABEL_CHANGED #/M/1'] },
  ],
  ONEOF_ADDED: [
    {
      name: 'new oneof with a new member',
      old: proto3('message M { int32 a = 1; }'),
      new: proto3('message M { int32 a = 1; oneof choice { string b = 2; } }'),
      diffs: ['ONEOF_ADDED #/M/choice', 'ONEOF_FIELD_ADDED #/M/choice/2'],
    },
    { name: 'a single plain field wrapped in a new oneof', old: proto3('message M { int32 a = 1; }'), new: proto3('message M { oneof choice { int32 a = 1; } }'), diffs: ['ONEOF_ADDED #/M/choice'] },
  ],
  ONEOF_REMOVED: [
    { name: 'whole oneof deleted with its members', old: proto3('message M { int32 a = 1; oneof choice { string b = 2; bytes c = 3; } }'), new: proto3('message M { int32 a = 1; }'), diffs: ['ONEOF_REMOVED #/M/choice'] },
    {
      name: 'oneof renamed (= removed + added)',
      old: proto3('message M { oneof before { string b = 2; bytes c = 3; } }'),
      new: proto3('message M { oneof after { string b = 2; bytes c = 3; } }'),
      diffs: ['ONEOF_REMOVED #/M/before', 'ONEOF_ADDED #/M/after'],
    },
  ],
  ONEOF_FIELD_ADDED: [
    { name: 'member added to an existing oneof', old: proto3('message M { oneof o { int32 a = 1; } }'), new: proto3('message M { oneof o { int32 a = 1; string b = 2; } }'), diffs: ['ONEOF_FIELD_ADDED #/M/o/2'] },
  ],
  ONEOF_FIELD_REMOVED: [
    { name: 'member removed from a kept oneof', old: proto3('message M { oneof o { int32 a = 1; string b = 3; } }'), new: proto3('message M { oneof o { int32 a = 1; } }'), diffs: ['ONEOF_FIELD_REMOVED #/M/o/3'] },
    { name: 'member removed even with its number reserved', old: proto3('message M { oneof o { int32 a = 1; string b = 3; } }'), new: proto3('message M { reserved 3; oneof o { int32 a = 1; } }'), diffs: ['ONEOF_FIELD_REMOVED #/M/o/3'] },
    {
      name: 'oneof dissolved: one member survives at top level, the other is gone',
      old: proto3('message M { oneof o { int32 a = 1; int32 b = 2; } }'),
      new: proto3('message M { int32 a = 1; }'),
      diffs: ['ONEOF_REMOVED #/M/o', 'ONEOF_FIELD_MOVED_TO_TOP_LEVEL #/M/1', 'ONEOF_FIELD_REMOVED #/M/o/2'],
    },
  ],
  ONEOF_FIELD_MOVED_TO_TOP_LEVEL: [
    {
      name: 'member moved out of a kept oneof',
      old: proto3('message M { oneof o { int32 a = 1; int32 b = 3; } }'),
      new: proto3('message M { int32 b = 3; oneof o { int32 a = 1; } }'),
      diffs: ['ONEOF_FIELD_MOVED_TO_TOP_LEVEL #/M/3'],
    },
    {
      name: 'all members moved out, oneof gone',
      old: proto3('message M { oneof o { int32 a = 1; int32 b = 2; } }'),
      new: proto3('message M { int32 a = 1; int32 b = 2; }'),
      diffs: ['ONEOF_REMOVED #/M/o', 'ONEOF_FIELD_MOVED_TO_TOP_LEVEL #/M/1', 'ONEOF_FIELD_MOVED_TO_TOP_LEVEL #/M/2'],
    },
  ],
  MULTIPLE_FIELDS_MOVED_TO_ONEOF: [
    {
      name: 'two plain fields moved into a new oneof',
      old: proto3('message M { int32 a = 1; string b = 2; }'),
      new: proto3('message M { oneof o { int32 a = 1; string b = 2; } }'),
      diffs: ['MULTIPLE_FIELDS_MOVED_TO_ONEOF #/M/o', 'ONEOF_ADDED #/M/o'],
    },
    {
      name: 'two plain fields moved into an existing oneof',
      old: proto3('message M { int32 a = 1; string b = 2; oneof o { bool c = 3; } }'),
      new: proto3('message M { oneof o { bool c = 3; int32 a = 1; string b = 2; } }'),
      diffs: ['MULTIPLE_FIELDS_MOVED_TO_ONEOF #/M/o'],
    },
  ],
  FIELD_MOVED_TO_EXISTING_ONEOF: [
    {
      name: 'one plain field moved into an existing oneof',
      old: proto3('message M { int32 a = 1; oneof o { string b = 2; } }'),
      new: proto3('message M { oneof o { string b = 2; int32 a = 1; } }'),
      diffs: ['FIELD_MOVED_TO_EXISTING_ONEOF #/M/o'],
    },
    {
      name: 'two oneofs merged into a new one',
      old: proto3('message M { oneof o { int32 a = 1; } oneof p { int32 b = 2; } }'),
      new: proto3('message M { oneof q { int32 a = 1; int32 b = 2; } }'),
      diffs: ['FIELD_MOVED_TO_EXISTING_ONEOF #/M/q', 'ONEOF_REMOVED #/M/o', 'ONEOF_REMOVED #/M/p', 'ONEOF_ADDED #/M/q'],
    },
  ],
};

const INCOMPATIBLE = new Set<DifferenceType>([
  'PACKAGE_CHANGED',
  'MESSAGE_REMOVED',
  'REQUIRED_FIELD_ADDED',
  'REQUIRED_FIELD_REMOVED',
  'FIELD_KIND_CHANGED',
  'FIELD_SCALAR_KIND_CHANGED',
  'FIELD_NAMED_TYPE_CHANGED',
  'FIELD_NUMERIC_LABEL_CHANGED',
  'ONEOF_FIELD_REMOVED',
  'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
  'FIELD_MOVED_TO_EXISTING_ONEOF',
]);

describe('§B.2: every difference type, its path and its verdict', () => {
  it('covers all 26 difference types, with the verdicts of the §B.2 table', () => {
    expect(Object.keys(CASES)).toHaveLength(26);
    for (const type of Object.keys(CASES) as DifferenceType[]) {
      expect(COMPATIBLE_DIFFERENCES.has(type), type).toBe(!INCOMPATIBLE.has(type));
    }
  });

  for (const [type, cases] of Object.entries(CASES) as [DifferenceType, Case[]][]) {
    describe(`${type} (${INCOMPATIBLE.has(type) ? 'incompatible' : 'compatible'})`, () => {
      for (const c of cases) {
        it(c.name, () => {
          expect(diff(c.old, c.new)).toEqual(c.diffs);
          expect(c.diffs.some((d) => d.startsWith(`${type} `)), `the case must exercise ${type}`).toBe(true);
          const expected = c.diffs.filter((d) => INCOMPATIBLE.has(d.split(' ')[0] as DifferenceType));
          expect(rules(backward(c.old, c.new))).toEqual(expected);
          expect(expected.length > 0).toBe(INCOMPATIBLE.has(type));
          // Nothing changes when a schema is compared with itself.
          expect(diff(c.old, c.old)).toEqual([]);
          expect(diff(c.new, c.new)).toEqual([]);
        });
      }
    });
  }

  it('differences carry a detail naming the element', () => {
    const [removed] = diffProto(parse(proto3('message M { int32 amount = 7; }')).native, parse(proto3('message M {}')).native);
    expect(removed).toMatchObject({ type: 'FIELD_REMOVED', path: '#/M/7' });
    expect(removed!.detail).toContain('amount');
  });
});

describe('§B.5: behaviours a port must reproduce', () => {
  it('renumbering a field is remove + add, compatible both ways (P05)', () => {
    const before = proto3('message M { int32 a = 1; }');
    const after = proto3('message M { int32 a = 2; }');
    expect(diff(before, after)).toEqual(['FIELD_REMOVED #/M/1', 'FIELD_ADDED #/M/2']);
    expect(backward(before, after)).toEqual([]);
    expect(forward(before, after)).toEqual([]);
  });

  it('enum ↔ int32/int64/uint32/uint64/bool is compatible both ways (enums are GENERAL_NUMBER)', () => {
    for (const scalar of ['int32', 'int64', 'uint32', 'uint64', 'bool']) {
      const asEnum = proto3('message M { E a = 1; }\nenum E { Z = 0; }');
      const asScalar = proto3(`message M { ${scalar} a = 1; }\nenum E { Z = 0; }`);
      expect(diff(asEnum, asScalar), scalar).toEqual([]);
      expect(backward(asEnum, asScalar), scalar).toEqual([]);
      expect(backward(asScalar, asEnum), scalar).toEqual([]);
    }
    // …and not with the other groups.
    for (const scalar of ['sint32', 'fixed32', 'sfixed64', 'float', 'double', 'string', 'bytes']) {
      expect(rules(backward(proto3('message M { E a = 1; }\nenum E { Z = 0; }'), proto3(`message M { ${scalar} a = 1; }\nenum E { Z = 0; }`))), scalar).toEqual([
        'FIELD_SCALAR_KIND_CHANGED #/M/1',
      ]);
    }
  });

  it('enum-typed field retargeted to another enum, and enum constants removed, renamed or renumbered: all compatible', () => {
    const before = proto3('message M { A f = 1; }\nenum A { A_ZERO = 0; A_ONE = 1; A_TWO = 2; }\nenum B { B_ZERO = 0; }');
    const retargeted = proto3('message M { B f = 1; }\nenum A { A_ZERO = 0; A_ONE = 1; A_TWO = 2; }\nenum B { B_ZERO = 0; }');
    expect(diff(before, retargeted)).toEqual([]);
    const constants = proto3('message M { A f = 1; }\nenum A { A_ZERO = 0; A_UNO = 1; A_TWO = 9; }\nenum B { B_ZERO = 0; }');
    expect(diff(before, constants)).toEqual(['ENUM_CONST_CHANGED #/A/1', 'ENUM_CONST_REMOVED #/A/2', 'ENUM_CONST_ADDED #/A/9']);
    expect(backward(before, constants)).toEqual([]);
    expect(forward(before, constants)).toEqual([]);
  });

  it('message-typed fields: optional → repeated is not even looked at (P45)', () => {
    expect(diff(proto3('message M { N a = 1; }\nmessage N {}'), proto3('message M { repeated N a = 1; }\nmessage N {}'))).toEqual([]);
    expect(diff(proto3('message M { optional N a = 1; }\nmessage N {}'), proto3('message M { repeated N a = 1; }\nmessage N {}'))).toEqual([]);
    expect(diff(proto2('message M { optional N a = 1; }\nmessage N {}'), proto2('message M { repeated N a = 1; }\nmessage N {}'))).toEqual([]);
  });

  it('retargeting a message field to a different existing message fails (P29)', () => {
    const before = proto3('message M { Address home = 1; }\nmessage Address { string city = 1; }\nmessage Phone { string number = 1; }');
    const after = proto3('message M { Phone home = 1; }\nmessage Address { string city = 1; }\nmessage Phone { string number = 1; }');
    expect(rules(backward(before, after))).toEqual(['FIELD_NAMED_TYPE_CHANGED #/M/1']);
    expect(rules(forward(before, after))).toEqual(['FIELD_NAMED_TYPE_CHANGED #/M/1']);
  });

  it('pure qualification changes pass: Status vs .pkg.M.Status vs M.Status (P31)', () => {
    const written = (ref: string) => proto3(`message M { ${ref} s = 1; map<string, ${ref}> m = 2; message Status {} }`, 'pkg');
    for (const [a, b] of [
      ['Status', '.pkg.M.Status'],
      ['Status', 'M.Status'],
      ['M.Status', '.pkg.M.Status'],
    ]) {
      expect(diff(written(a!), written(b!)), `${a} → ${b}`).toEqual([]);
    }
  });

  it('qualification-only change of a reference that a deeper nested type shadows in protobufjs (P31 + protoc scoping)', () => {
    const written = (ref: string) => proto3(`message Status { string s = 1; }\nmessage M {\n  message Inner { message Status { int32 code = 1; } }\n  ${ref} s = 1;\n}`, 'pkg');
    expect(diff(written('Status'), written('.pkg.Status'))).toEqual([]);
  });

  it('a package change does not make message fields "retargeted": each side strips its own package', () => {
    const before = proto3('message M { N n = 1; .acme.v1.N q = 2; }\nmessage N {}', 'acme.v1');
    const after = proto3('message M { N n = 1; .acme.v2.N q = 2; }\nmessage N {}', 'acme.v2');
    expect(diff(before, after)).toEqual(['PACKAGE_CHANGED #/']);
  });

  it('adding a message passes BACKWARD but fails FORWARD (MESSAGE_REMOVED in the mirror diff) — top-level and nested', () => {
    const before = proto3('message M { int32 a = 1; }');
    for (const after of [proto3('message M { int32 a = 1; }\nmessage Extra {}'), proto3('message M { int32 a = 1; message Extra {} }')]) {
      expect(backward(before, after)).toEqual([]);
      expect(rules(forward(before, after))).toEqual([expect.stringMatching(/^MESSAGE_REMOVED #\/(M\/)?Extra$/)]);
    }
    // Removing one is the reverse.
    expect(rules(backward(proto3('message M {}\nmessage Extra {}'), proto3('message M {}')))).toEqual(['MESSAGE_REMOVED #/Extra']);
    expect(forward(proto3('message M {}\nmessage Extra {}'), proto3('message M {}'))).toEqual([]);
  });

  it('a package change fails both ways', () => {
    const before = proto3('message M { int32 a = 1; }', 'orders.v1');
    const after = proto3('message M { int32 a = 1; }', 'orders.v2');
    expect(rules(backward(before, after))).toEqual(['PACKAGE_CHANGED #/']);
    expect(rules(forward(before, after))).toEqual(['PACKAGE_CHANGED #/']);
  });

  it('a syntax change is ignored (proto2 optional → proto3 implicit)', () => {
    expect(diff(proto2('message M { optional int32 a = 1; optional string s = 2; }'), proto3('message M { int32 a = 1; string s = 2; }'))).toEqual([]);
    expect(diff(proto3('message M { int32 a = 1; }'), proto2('message M { optional int32 a = 1; }'))).toEqual([]);
  });

  it('proto2: adding or removing a required field fails both ways', () => {
    const before = proto2('message M { optional int32 a = 1; }');
    const after = proto2('message M { optional int32 a = 1; required int64 id = 2; }');
    expect(rules(backward(before, after))).toEqual(['REQUIRED_FIELD_ADDED #/M/2']);
    expect(rules(forward(before, after))).toEqual(['REQUIRED_FIELD_REMOVED #/M/2']);
    expect(rules(backward(after, before))).toEqual(['REQUIRED_FIELD_REMOVED #/M/2']);
    expect(rules(forward(after, before))).toEqual(['REQUIRED_FIELD_ADDED #/M/2']);
  });

  it('proto2: optional int32 → required int32 fails (NUMERIC label), optional string → required string passes', () => {
    expect(rules(backward(proto2('message M { optional int32 a = 1; }'), proto2('message M { required int32 a = 1; }')))).toEqual(['FIELD_NUMERIC_LABEL_CHANGED #/M/1']);
    expect(rules(forward(proto2('message M { optional int32 a = 1; }'), proto2('message M { required int32 a = 1; }')))).toEqual(['FIELD_NUMERIC_LABEL_CHANGED #/M/1']);
    const strings = [proto2('message M { optional string a = 1; }'), proto2('message M { required string a = 1; }')] as const;
    expect(diff(...strings)).toEqual(['FIELD_STRING_OR_BYTES_LABEL_CHANGED #/M/1']);
    expect(backward(...strings)).toEqual([]);
    expect(forward(...strings)).toEqual([]);
  });

  it('proto3 scalars: implicit ↔ optional ↔ repeated changes involving the implicit label are never reported (P42, P46)', () => {
    for (const [a, b] of [
      ['int32', 'optional int32'],
      ['int32', 'repeated int32'],
      ['optional int32', 'int32'],
      ['repeated int32', 'int32'],
      ['string', 'repeated string'],
    ]) {
      expect(diff(proto3(`message M { ${a} f = 1; }`), proto3(`message M { ${b} f = 1; }`)), `${a} → ${b}`).toEqual([]);
    }
  });
});

describe('§B.3/§B.4 matching details', () => {
  it('scalar groups: changes within a group pass, across groups fail', () => {
    const groups = [['int32', 'int64', 'uint32', 'uint64', 'bool'], ['sint32', 'sint64'], ['string', 'bytes'], ['fixed32', 'sfixed32'], ['fixed64', 'sfixed64'], ['float'], ['double']];
    const all = groups.flat();
    for (const a of all) {
      for (const b of all) {
        const same = groups.some((g) => g.includes(a) && g.includes(b));
        const found = rules(backward(proto3(`message M { ${a} f = 1; }`), proto3(`message M { ${b} f = 1; }`)));
        expect(found, `${a} → ${b}`).toEqual(same ? [] : ['FIELD_SCALAR_KIND_CHANGED #/M/1']);
      }
    }
  });

  it('maps compare keys, then values, without labels: map<string,int32> → map<string,int64> passes, → map<string,string> fails', () => {
    expect(diff(proto3('message M { map<string, int32> m = 1; }'), proto3('message M { map<string, int64> m = 1; }'))).toEqual([]);
    expect(diff(proto3('message M { map<int32, int32> m = 1; }'), proto3('message M { map<uint64, int32> m = 1; }'))).toEqual([]);
    expect(diff(proto3('message M { map<string, E> m = 1; }\nenum E { Z = 0; }'), proto3('message M { map<string, uint64> m = 1; }\nenum E { Z = 0; }'))).toEqual([]);
    expect(rules(backward(proto3('message M { map<string, int32> m = 1; }'), proto3('message M { map<string, string> m = 1; }')))).toEqual(['FIELD_SCALAR_KIND_CHANGED #/M/1']);
  });

  it('messages are paired by simple name and enums separately: a message replaced by a same-named enum is removed + added', () => {
    const before = proto3('message M { Thing t = 1; }\nmessage Thing { int32 a = 1; }');
    const after = proto3('message M { Thing t = 1; }\nenum Thing { Z = 0; }');
    expect(diff(before, after)).toEqual(['FIELD_KIND_CHANGED #/M/1', 'MESSAGE_REMOVED #/Thing', 'ENUM_ADDED #/Thing']);
  });

  it('types inside an added message are not reported separately', () => {
    expect(diff(proto3('message M {}'), proto3('message M {}\nmessage Other { int32 a = 1; message Inner {} enum E { Z = 0; } }'))).toEqual(['MESSAGE_ADDED #/Other']);
  });

  it('enums do not shift message indexes', () => {
    expect(diff(proto3('message A {}\nmessage B {}'), proto3('enum E { Z = 0; }\nmessage A {}\nmessage B {}'))).toEqual(['ENUM_ADDED #/E']);
  });

  it('fields are walked in ascending tag order, whatever the declaration order', () => {
    expect(diff(proto3('message M { int32 c = 3; int32 a = 1; int32 b = 2; }'), proto3('message M { string b = 2; }'))).toEqual([
      'FIELD_REMOVED #/M/1',
      'FIELD_SCALAR_KIND_CHANGED #/M/2',
      'FIELD_REMOVED #/M/3',
    ]);
  });

  it('recursive messages terminate and still report nested differences', () => {
    const before = proto3('message Node { Node next = 1; repeated Node children = 2; message Leaf { Node up = 1; Leaf self = 2; } }');
    const after = proto3('message Node { Node next = 1; repeated Node children = 2; string label = 3; message Leaf { Node up = 1; Leaf self = 2; int64 depth = 3; } }');
    expect(diff(before, after)).toEqual(['FIELD_ADDED #/Node/3', 'FIELD_ADDED #/Node/Leaf/3']);
  });

  it('a oneof is matched by name, and its members by tag: a member changing type is reported under the oneof', () => {
    expect(rules(backward(proto3('message M { oneof o { int32 a = 1; } }'), proto3('message M { oneof o { string a = 1; } }')))).toEqual(['FIELD_SCALAR_KIND_CHANGED #/M/o/1']);
  });

  it('a member moving between oneofs: the new oneof unites two origins', () => {
    const before = proto3('message M { oneof o { int32 a = 1; int32 b = 2; } oneof p { int32 c = 3; } }');
    const after = proto3('message M { oneof o { int32 a = 1; } oneof p { int32 c = 3; int32 b = 2; } }');
    expect(rules(backward(before, after))).toEqual(['FIELD_MOVED_TO_EXISTING_ONEOF #/M/p']);
  });

  it('a brand-new field joining a plain field in a new oneof is a single origin: compatible', () => {
    expect(backward(proto3('message M { int32 a = 1; }'), proto3('message M { oneof o { int32 a = 1; int32 fresh = 2; } }'))).toEqual([]);
  });

  it('proto3 optional (a synthetic oneof) is no oneof', () => {
    expect(diff(proto3('message M { optional int32 a = 1; }'), proto3('message M { int32 a = 1; }'))).toEqual([]);
    expect(diff(proto3('message M { int32 a = 1; int32 b = 2; }'), proto3('message M { optional int32 a = 1; optional int32 b = 2; }'))).toEqual([]);
  });

  it('types from an unchanged reference are compared by name only (declared elsewhere, diffed there)', () => {
    const dep: ResolvedReference = { name: 'dep.proto', subject: 'dep', version: 1, schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\npackage dep;\nmessage Dep { int32 a = 1; }\nmessage Other {}\n' };
    const before = parse('syntax = "proto3";\npackage app;\nimport "dep.proto";\nmessage M { dep.Dep d = 1; }\n', [dep]);
    const same = parse('syntax = "proto3";\npackage app;\nimport "dep.proto";\nmessage M { .dep.Dep d = 1; }\n', [dep]);
    const other = parse('syntax = "proto3";\npackage app;\nimport "dep.proto";\nmessage M { dep.Other d = 1; }\n', [dep]);
    expect(diffProto(before.native, same.native)).toEqual([]);
    expect(rules(protobufFormat.checkReader(other, before))).toEqual(['FIELD_NAMED_TYPE_CHANGED #/M/1']);
  });

  // §B.3 step 5: the same-named type imported from a different subject version has its two definitions diffed.
  it('a type imported from a different reference version is diffed recursively (§B.3 step 5)', () => {
    const dep = (version: number, body: string): ResolvedReference => ({ name: 'dep.proto', subject: 'dep', version, schemaType: 'PROTOBUF', schema: `syntax = "proto3";\npackage dep;\n${body}\n` });
    const main = 'syntax = "proto3";\npackage app;\nimport "dep.proto";\nmessage M { dep.Dep d = 1; }\n';
    const before = parse(main, [dep(1, 'message Dep { int32 a = 1; }')]);
    const after = parse(main, [dep(2, 'message Dep { string a = 1; }')]);
    expect(rules(protobufFormat.checkReader(after, before))).toContain('FIELD_NAMED_TYPE_CHANGED #/M/1');
    // The same version on both sides is not diffed again; a compatible change of the import passes.
    expect(protobufFormat.checkReader(before, before)).toEqual([]);
    const widened = parse(main, [dep(3, 'message Dep { int32 a = 1; int32 b = 2; }')]);
    expect(protobufFormat.checkReader(widened, before)).toEqual([]);
  });
});

describe('incompatible findings', () => {
  const incompatibleCases = Object.values(CASES)
    .flat()
    .filter((c) => c.diffs.some((d) => INCOMPATIBLE.has(d.split(' ')[0] as DifferenceType)));

  it('every incompatible difference type is exercised, and every finding carries rule, path, message, detail and a non-empty hint', () => {
    const seen = new Set<string>();
    for (const c of incompatibleCases) {
      for (const finding of [...backward(c.old, c.new), ...forward(c.old, c.new)]) {
        seen.add(finding.rule);
        expect(finding.path, c.name).toMatch(/^#\//);
        expect(finding.message, c.name).toMatch(/\S/);
        expect(finding.detail, c.name).toMatch(/\S/);
        expect(typeof finding.hint, `${c.name}: ${finding.rule}`).toBe('string');
        expect(finding.hint!.trim(), `${c.name}: ${finding.rule}`).not.toBe('');
        expect(finding.hint, `${c.name}: ${finding.rule} should have a rule-specific hint`).not.toBe('undo the change');
      }
    }
    expect([...seen].sort()).toEqual([...INCOMPATIBLE].sort());
  });

  it('messages name the roles given, so BACKWARD and FORWARD read the right way round', () => {
    const [b] = backward(proto3('message M { int32 a = 1; }'), proto3('message M { string a = 1; }'));
    expect(b!.message).toContain('old');
    expect(b!.message).toContain('new');
    const [f] = protobufFormat.checkReader(parse(proto3('message M { int32 a = 1; }')), parse(proto3('message M { string a = 1; }')), { reader: 'registered', writer: 'candidate' });
    expect(f!.message).toContain('registered');
    expect(f!.message).toContain('candidate');
    // Without roles, generic ones are used.
    const [g] = protobufFormat.checkReader(parse(proto3('message M { int32 a = 1; }')), parse(proto3('message M { string a = 1; }')));
    expect(g!.message).toMatch(/reader/);
  });

  it('compatible differences never surface as findings', () => {
    const compatibleOnly = Object.values(CASES)
      .flat()
      .filter((c) => !c.diffs.some((d) => INCOMPATIBLE.has(d.split(' ')[0] as DifferenceType)));
    expect(compatibleOnly.length).toBeGreaterThan(20);
    for (const c of compatibleOnly) expect(backward(c.old, c.new), c.name).toEqual([]);
  });
});
