// Confluent's Protobuf difference rules: diff(original, update) lists every difference; a change is compatible
// when every difference found is of a compatible type.
import type { Incompatibility } from '../format.js';
import type { ProtoEnum, ProtoField, ProtoFile, ProtoMessage } from './model.js';

export type DifferenceType =
  | 'PACKAGE_CHANGED'
  | 'MESSAGE_ADDED'
  | 'MESSAGE_REMOVED'
  | 'MESSAGE_MOVED'
  | 'ENUM_ADDED'
  | 'ENUM_REMOVED'
  | 'ENUM_CONST_ADDED'
  | 'ENUM_CONST_REMOVED'
  | 'ENUM_CONST_CHANGED'
  | 'FIELD_ADDED'
  | 'FIELD_REMOVED'
  | 'REQUIRED_FIELD_ADDED'
  | 'REQUIRED_FIELD_REMOVED'
  | 'FIELD_NAME_CHANGED'
  | 'FIELD_KIND_CHANGED'
  | 'FIELD_SCALAR_KIND_CHANGED'
  | 'FIELD_NAMED_TYPE_CHANGED'
  | 'FIELD_NUMERIC_LABEL_CHANGED'
  | 'FIELD_STRING_OR_BYTES_LABEL_CHANGED'
  | 'ONEOF_ADDED'
  | 'ONEOF_REMOVED'
  | 'ONEOF_FIELD_ADDED'
  | 'ONEOF_FIELD_REMOVED'
  | 'ONEOF_FIELD_MOVED_TO_TOP_LEVEL'
  | 'MULTIPLE_FIELDS_MOVED_TO_ONEOF'
  | 'FIELD_MOVED_TO_EXISTING_ONEOF';

export const COMPATIBLE_DIFFERENCES: ReadonlySet<DifferenceType> = new Set<DifferenceType>([
  'MESSAGE_ADDED',
  'MESSAGE_MOVED',
  'ENUM_ADDED',
  'ENUM_REMOVED',
  'ENUM_CONST_ADDED',
  'ENUM_CONST_REMOVED',
  'ENUM_CONST_CHANGED',
  'FIELD_ADDED',
  'FIELD_REMOVED',
  'FIELD_NAME_CHANGED',
  'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
  'ONEOF_ADDED',
  'ONEOF_REMOVED',
  'ONEOF_FIELD_ADDED',
  'ONEOF_FIELD_MOVED_TO_TOP_LEVEL',
]);

export interface Difference {
  type: DifferenceType;
  /** `#/Message/3` style: message names, field tags, oneof names, enum names and constant numbers. */
  path: string;
  /** What changed, naming the element (original → update). */
  detail: string;
}

/** Confluent's scalar groups: a change within a group keeps the wire encoding readable. */
const SCALAR_GROUPS: Record<string, string> = {
  int32: 'GENERAL_NUMBER', int64: 'GENERAL_NUMBER', uint32: 'GENERAL_NUMBER', uint64: 'GENERAL_NUMBER', bool: 'GENERAL_NUMBER',
  sint32: 'SIGNED_NUMBER', sint64: 'SIGNED_NUMBER',
  string: 'STRING_OR_BYTES', bytes: 'STRING_OR_BYTES',
  fixed32: 'FIXED32', sfixed32: 'FIXED32',
  fixed64: 'FIXED64', sfixed64: 'FIXED64',
  float: 'FLOAT',
  double: 'DOUBLE',
};

type Kind = 'SCALAR' | 'MESSAGE' | 'MAP';
const kindOf = (f: ProtoField): Kind => (f.keyType !== undefined ? 'MAP' : f.resolvedKind === 'message' ? 'MESSAGE' : f.resolvedKind === 'enum' || f.type in SCALAR_GROUPS ? 'SCALAR' : 'MESSAGE');
const groupOf = (type: string, resolvedKind: ProtoField['resolvedKind']) => (resolvedKind === 'enum' ? 'GENERAL_NUMBER' : (SCALAR_GROUPS[type] ?? type));

export function diffProto(original: ProtoFile, update: ProtoFile): Difference[] {
  return new Differ(original, update).run();
}

class Differ {
  private readonly out: Difference[] = [];
  private readonly stack = new Set<string>();

  constructor(
    private readonly original: ProtoFile,
    private readonly update: ProtoFile,
  ) {}

  run(): Difference[] {
    if (this.original.package !== this.update.package) {
      this.add('PACKAGE_CHANGED', '#/', `package '${this.original.package}' became '${this.update.package}'`);
    }
    this.typeLists(this.original.messages, this.original.enums, this.update.messages, this.update.enums, '#/');
    return this.out;
  }

  private add(type: DifferenceType, path: string, detail: string) {
    this.out.push({ type, path, detail });
  }

  private typeLists(oMessages: ProtoMessage[], oEnums: ProtoEnum[], uMessages: ProtoMessage[], uEnums: ProtoEnum[], prefix: string) {
    oMessages.forEach((o, i) => {
      const j = uMessages.findIndex((u) => u.name === o.name);
      if (j < 0) return this.add('MESSAGE_REMOVED', `${prefix}${o.name}`, `message ${o.fullName} was removed`);
      if (i !== j) this.add('MESSAGE_MOVED', `${prefix}${o.name}`, `message ${o.fullName} moved from position ${i} to ${j}`);
      this.message(o, uMessages[j]!, `${prefix}${o.name}`);
    });
    for (const u of uMessages) {
      if (!oMessages.some((o) => o.name === u.name)) this.add('MESSAGE_ADDED', `${prefix}${u.name}`, `message ${u.fullName} was added`);
    }
    for (const o of oEnums) {
      const u = uEnums.find((e) => e.name === o.name);
      if (!u) this.add('ENUM_REMOVED', `${prefix}${o.name}`, `enum ${o.fullName} was removed`);
      else this.enumeration(o, u, `${prefix}${o.name}`);
    }
    for (const u of uEnums) {
      if (!oEnums.some((o) => o.name === u.name)) this.add('ENUM_ADDED', `${prefix}${u.name}`, `enum ${u.fullName} was added`);
    }
  }

  private enumeration(o: ProtoEnum, u: ProtoEnum, path: string) {
    const oByNumber = new Map(o.values.map((v) => [v.number, v.name]));
    const uByNumber = new Map(u.values.map((v) => [v.number, v.name]));
    for (const n of [...new Set([...oByNumber.keys(), ...uByNumber.keys()])].sort((a, b) => a - b)) {
      const [before, after] = [oByNumber.get(n), uByNumber.get(n)];
      if (after === undefined) this.add('ENUM_CONST_REMOVED', `${path}/${n}`, `constant ${before} = ${n} was removed`);
      else if (before === undefined) this.add('ENUM_CONST_ADDED', `${path}/${n}`, `constant ${after} = ${n} was added`);
      else if (before !== after) this.add('ENUM_CONST_CHANGED', `${path}/${n}`, `constant ${n} was renamed from ${before} to ${after}`);
    }
  }

  private message(o: ProtoMessage, u: ProtoMessage, path: string) {
    const key = `${o.fullName}\u0000${u.fullName}`;
    if (this.stack.has(key)) return;
    this.stack.add(key);
    const oByTag = new Map(o.fields.map((f) => [f.tag, f]));
    const uByTag = new Map(u.fields.map((f) => [f.tag, f]));
    const uOneofNames = new Set(u.oneofs.map((x) => x.name));

    // a) Oneofs gone by name whose members all vanished: deleting the whole oneof reports only ONEOF_REMOVED.
    const completelyDeleted = new Set(
      o.oneofs
        .filter((x) => !uOneofNames.has(x.name))
        .filter((x) => o.fields.filter((f) => f.oneof === x.name).every((f) => !uByTag.has(f.tag)))
        .map((x) => x.name),
    );

    // b) An update oneof that unites members from two or more origins changes what readers see.
    for (const oneof of u.oneofs) {
      const origins = new Set<string>();
      let standalone = 0;
      for (const f of u.fields.filter((x) => x.oneof === oneof.name)) {
        const before = oByTag.get(f.tag);
        if (!before) continue;
        const origin = before.oneof !== undefined ? `oneof ${before.oneof}` : `field ${before.tag}`;
        if (!origins.has(origin) && before.oneof === undefined) standalone++;
        origins.add(origin);
      }
      if (origins.size >= 2) {
        this.add(
          standalone >= 2 ? 'MULTIPLE_FIELDS_MOVED_TO_ONEOF' : 'FIELD_MOVED_TO_EXISTING_ONEOF',
          `${path}/${oneof.name}`,
          `oneof ${oneof.name} now unites ${[...origins].join(', ')}`,
        );
      }
    }

    // c) Oneofs by name.
    const oOneofNames = new Set(o.oneofs.map((x) => x.name));
    for (const x of o.oneofs) if (!uOneofNames.has(x.name)) this.add('ONEOF_REMOVED', `${path}/${x.name}`, `oneof ${x.name} was removed`);
    for (const x of u.oneofs) if (!oOneofNames.has(x.name)) this.add('ONEOF_ADDED', `${path}/${x.name}`, `oneof ${x.name} was added`);

    // d) Fields by tag, in ascending order.
    for (const tag of [...new Set([...oByTag.keys(), ...uByTag.keys()])].sort((a, b) => a - b)) {
      const before = oByTag.get(tag);
      const after = uByTag.get(tag);
      if (before && !after) {
        if (before.oneof !== undefined) {
          if (!completelyDeleted.has(before.oneof)) this.add('ONEOF_FIELD_REMOVED', `${path}/${before.oneof}/${tag}`, `field ${before.name} = ${tag} left oneof ${before.oneof}`);
        } else if (before.label === 'required') {
          this.add('REQUIRED_FIELD_REMOVED', `${path}/${tag}`, `required field ${before.name} = ${tag} was removed`);
        } else {
          this.add('FIELD_REMOVED', `${path}/${tag}`, `field ${before.name} = ${tag} was removed`);
        }
      } else if (after && !before) {
        const at = after.oneof !== undefined ? `${path}/${after.oneof}/${tag}` : `${path}/${tag}`;
        if (after.oneof !== undefined) this.add('ONEOF_FIELD_ADDED', at, `field ${after.name} = ${tag} was added to oneof ${after.oneof}`);
        else if (after.label === 'required') this.add('REQUIRED_FIELD_ADDED', at, `required field ${after.name} = ${tag} was added`);
        else this.add('FIELD_ADDED', at, `field ${after.name} = ${tag} was added`);
      } else if (before && after) {
        const at = after.oneof !== undefined ? `${path}/${after.oneof}/${tag}` : `${path}/${tag}`;
        if (before.oneof !== undefined && after.oneof === undefined) {
          this.add('ONEOF_FIELD_MOVED_TO_TOP_LEVEL', at, `field ${after.name} = ${tag} moved out of oneof ${before.oneof}`);
        }
        this.field(before, after, at);
      }
    }

    // e) Nested types.
    this.typeLists(o.messages, o.enums, u.messages, u.enums, `${path}/`);
    this.stack.delete(key);
  }

  private field(o: ProtoField, u: ProtoField, path: string) {
    if (o.name !== u.name) this.add('FIELD_NAME_CHANGED', path, `field ${o.tag} was renamed from ${o.name} to ${u.name}`);
    const [ok, uk] = [kindOf(o), kindOf(u)];
    if (ok !== uk) return this.add('FIELD_KIND_CHANGED', path, `field ${u.name} changed from a ${ok.toLowerCase()} (${describe(o)}) to a ${uk.toLowerCase()} (${describe(u)})`);
    if (ok === 'SCALAR') return this.scalar(o.type, o.resolvedKind, u.type, u.resolvedKind, path, u.name, [o.label, u.label]);
    if (ok === 'MESSAGE') return this.messageType(o, u, path);
    // MAP: keys, then values, with the same rules but no labels.
    this.scalar(o.keyType!, 'scalar', u.keyType!, 'scalar', path, `${u.name} (key)`, [undefined, undefined]);
    const [ov, uv] = [o.resolvedKind === 'message' ? 'MESSAGE' : 'SCALAR', u.resolvedKind === 'message' ? 'MESSAGE' : 'SCALAR'];
    if (ov !== uv) return this.add('FIELD_KIND_CHANGED', path, `the values of map ${u.name} changed from ${o.type} to ${u.type}`);
    if (ov === 'SCALAR') return this.scalar(o.type, o.resolvedKind, u.type, u.resolvedKind, path, `${u.name} (value)`, [undefined, undefined]);
    return this.messageType(o, u, path);
  }

  private scalar(
    oType: string,
    oKind: ProtoField['resolvedKind'],
    uType: string,
    uKind: ProtoField['resolvedKind'],
    path: string,
    name: string,
    [oLabel, uLabel]: [ProtoField['label'], ProtoField['label']],
  ) {
    const [og, ug] = [groupOf(oType, oKind), groupOf(uType, uKind)];
    if (og !== ug) return this.add('FIELD_SCALAR_KIND_CHANGED', path, `field ${name} changed from ${oType} to ${uType}`);
    if (oLabel && uLabel && oLabel !== uLabel) {
      this.add(
        og === 'STRING_OR_BYTES' ? 'FIELD_STRING_OR_BYTES_LABEL_CHANGED' : 'FIELD_NUMERIC_LABEL_CHANGED',
        path,
        `field ${name} changed from ${oLabel} to ${uLabel}`,
      );
    }
  }

  /** Message-typed fields: the types' names without each file's package must match; labels are not compared. */
  private messageType(o: ProtoField, u: ProtoField, path: string) {
    const local = (resolved: string, pkg: string) => (pkg && resolved.startsWith(`${pkg}.`) ? resolved.slice(pkg.length + 1) : resolved);
    // Either side unresolved: Confluent compares the type names as written.
    const [before, after] =
      o.resolved && u.resolved ? [local(o.resolved, this.original.package), local(u.resolved, this.update.package)] : [o.type, u.type];
    if (before !== after) return this.add('FIELD_NAMED_TYPE_CHANGED', path, `field ${u.name} changed from type ${before} to ${after}`);
    // The same name imported from different reference versions: the definitions themselves are compared (§B.3 step 5).
    if (!o.origin || !u.origin || o.origin === u.origin || o.origin.startsWith('builtin:')) return;
    const [oType, uType] = [this.original.imported.get(o.resolved!), this.update.imported.get(u.resolved!)];
    if (!oType || !uType) return;
    const start = this.out.length;
    this.message(oType, uType, `#/${before}`);
    if (this.out.slice(start).some((d) => !COMPATIBLE_DIFFERENCES.has(d.type))) {
      this.add('FIELD_NAMED_TYPE_CHANGED', path, `field ${u.name} has type ${after}, whose definition changed incompatibly between ${o.origin} and ${u.origin}`);
    }
  }
}

function describe(f: ProtoField): string {
  return f.keyType !== undefined ? `map<${f.keyType}, ${f.type}>` : f.type;
}

const HINTS: Partial<Record<DifferenceType, string>> = {
  PACKAGE_CHANGED: 'keep the package; a new package is a new contract, registered under a new subject',
  MESSAGE_REMOVED: 'keep the message (deprecate it instead of deleting it)',
  REQUIRED_FIELD_ADDED: 'make the new field optional',
  REQUIRED_FIELD_REMOVED: 'keep the required field',
  FIELD_KIND_CHANGED: 'keep the field as it was and add a new field with a new number for the new kind',
  FIELD_SCALAR_KIND_CHANGED: 'keep a type of the same wire group (int32/int64/uint32/uint64/bool/enum, sint32/sint64, string/bytes, fixed32/sfixed32, fixed64/sfixed64) or add a new field with a new number',
  FIELD_NAMED_TYPE_CHANGED: 'keep the message type, or add a new field with a new number for the new type',
  FIELD_NUMERIC_LABEL_CHANGED: 'keep the label, or add a new field with a new number',
  ONEOF_FIELD_REMOVED: 'keep the field in its oneof (reserve its number only when the whole oneof goes)',
  MULTIPLE_FIELDS_MOVED_TO_ONEOF: 'leave existing fields outside the oneof; put only new fields in it',
  FIELD_MOVED_TO_EXISTING_ONEOF: 'leave the existing field where it was; add new fields to the oneof instead',
};

/** The incompatible differences, as format-neutral findings; `roles` say which schema is "new". */
export function incompatibilities(differences: Difference[], roles: { reader: string; writer: string }): Incompatibility[] {
  return differences
    .filter((d) => !COMPATIBLE_DIFFERENCES.has(d.type))
    .map((d) => ({
      rule: d.type,
      path: d.path,
      message: `${sentence(d.detail)} between the ${roles.writer} schema and the ${roles.reader} schema, so one cannot read the other's data.`,
      hint: HINTS[d.type] ?? 'undo the change',
      detail: d.detail,
    }));
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
