// fast-check arbitraries for proto3 schema evolutions: a random base file grown by 2–10 additive steps, then 1–3 random
// edits applied to a copy. The model is printed to .proto text only at the end, and every step keeps it valid for protoc
// (and so for buf) as well as for Accord's strict parser:
//   • fresh names come from one counter per file (messages M<n>, enums E<n>, fields f<n>, oneofs o<n>, enum values
//     E<k>_V<n>); field, oneof and enum-value names are always fresh, while a new message or enum may on purpose reuse the
//     simple name of a type in another scope (never of a sibling or an enclosing message), so that references shadow;
//   • a type reference is stored as its path from the package (`M1.M4`) and written in one of three styles: the shortest
//     name that protoc's scoping rules (`resolve` below, after DescriptorBuilder::LookupSymbolNoPlaceholder) resolve to
//     that type from the field's message, the whole path when that resolves to it, or fully qualified (`.pkg.M1.M4`);
//   • field and enum numbers are allocated above every number used or reserved, so reserving never collides;
//   • oneof members have no label and are neither maps nor repeated; an emptied oneof is dropped; proto3 enums keep their
//     zero value first; a message or enum is only deleted when nothing outside it refers to it.
// The package is left to the caller (each pair gets its own, so many pairs can share one buf run); an edit may move the
// file to `<package>.moved`.
import fc from 'fast-check';

export const SCALARS = [
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
] as const;
export type Scalar = (typeof SCALARS)[number];
const MAP_KEYS: readonly Scalar[] = ['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string'];

/** Types a scalar may turn into that stay on the same wire (Confluent's groups, buf's groups, enums); edits favour them. */
const NEIGHBOURS: Record<Scalar, readonly Scalar[]> = {
  int32: ['int64', 'uint32', 'uint64', 'bool'], int64: ['int32', 'uint32', 'uint64', 'bool'], uint32: ['int32', 'int64', 'uint64', 'bool'],
  uint64: ['int32', 'int64', 'uint32', 'bool'], bool: ['int32', 'int64', 'uint32', 'uint64'],
  sint32: ['sint64', 'int32'], sint64: ['sint32', 'int64'],
  string: ['bytes'], bytes: ['string'],
  fixed32: ['sfixed32', 'float'], sfixed32: ['fixed32', 'float'], fixed64: ['sfixed64', 'double'], sfixed64: ['fixed64', 'double'],
  float: ['double', 'fixed32'], double: ['float', 'fixed64'],
};

export type FieldType =
  | { k: 'scalar'; t: Scalar }
  | { k: 'enum'; ref: string }
  | { k: 'message'; ref: string }
  | { k: 'map'; key: Scalar; value: Exclude<FieldType, { k: 'map' }> };

export interface Field {
  name: string;
  tag: number;
  type: FieldType;
  label?: 'optional' | 'repeated';
  oneof?: string;
  /** How type references are written (default: the shortest name that resolves to the type). */
  style?: RefStyle;
}

export type RefStyle = 'short' | 'path' | 'absolute';
export interface Message {
  name: string;
  fields: Field[];
  oneofs: string[];
  messages: Message[];
  enums: Enum[];
  reserved: number[];
}
export interface Enum {
  name: string;
  values: { name: string; number: number }[];
  reserved: number[];
}
export interface ProtoModel {
  moved: boolean;
  messages: Message[];
  enums: Enum[];
  counter: number;
}

export interface Evolution {
  old: ProtoModel;
  next: ProtoModel;
  /** What each applied edit did, in order. */
  edits: string[];
  /** The kinds of the applied edits, for statistics. */
  kinds: string[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Walking the model

export interface Located<T> {
  node: T;
  /** Path from the package: `M1.M4`. */
  path: string;
  /** The list holding the node (to delete or reorder it). */
  siblings: T[];
  depth: number;
}

export function allMessages(model: Pick<ProtoModel, 'messages'>): Located<Message>[] {
  const out: Located<Message>[] = [];
  const visit = (list: Message[], prefix: string, depth: number) => {
    for (const m of list) {
      const path = `${prefix}${m.name}`;
      out.push({ node: m, path, siblings: list, depth });
      visit(m.messages, `${path}.`, depth + 1);
    }
  };
  visit(model.messages, '', 1);
  return out;
}

export function allEnums(model: Pick<ProtoModel, 'messages' | 'enums'>): Located<Enum>[] {
  const out: Located<Enum>[] = model.enums.map((e) => ({ node: e, path: e.name, siblings: model.enums, depth: 1 }));
  for (const m of allMessages(model)) out.push(...m.node.enums.map((e) => ({ node: e, path: `${m.path}.${e.name}`, siblings: m.node.enums, depth: m.depth + 1 })));
  return out;
}

/** The message or enum paths a field refers to. */
function refsOf(type: FieldType): string[] {
  if (type.k === 'map') return refsOf(type.value);
  return type.k === 'scalar' ? [] : [type.ref];
}

const within = (ref: string, path: string) => ref === path || ref.startsWith(`${path}.`);

/** Fields outside the subtree at `path` that refer into it. */
function referencedFromOutside(model: ProtoModel, path: string): boolean {
  return allMessages(model).some((m) => !within(m.path, path) && m.node.fields.some((f) => refsOf(f.type).some((r) => within(r, path))));
}

// ---------------------------------------------------------------------------------------------------------------------
// Printing

/** Every message and enum of the model by path from the package; messages are aggregates, enums are not. */
function symbols(model: Pick<ProtoModel, 'messages' | 'enums'>): Map<string, 'message' | 'enum'> {
  const out = new Map<string, 'message' | 'enum'>();
  for (const m of allMessages(model)) out.set(m.path, 'message');
  for (const e of allEnums(model)) out.set(e.path, 'enum');
  return out;
}

/**
 * What protoc resolves the relative type name `name` to from inside the message at `scope` (a path from the package):
 * the first enclosing scope, innermost first, holding the name's first component decides; a compound name whose first
 * component is not a message there is looked up further out. Undefined when nothing matches, or the rest is missing.
 */
export function resolve(syms: Map<string, 'message' | 'enum'>, name: string, scope: string): string | undefined {
  const [first, ...rest] = name.split('.');
  const scopes = scope.split('.');
  for (let n = scopes.length; n >= 0; n--) {
    const prefix = scopes.slice(0, n).join('.');
    const candidate = prefix ? `${prefix}.${first}` : first!;
    const kind = syms.get(candidate);
    if (kind === undefined) continue;
    if (rest.length === 0) return candidate;
    if (kind !== 'message') continue;
    const full = `${candidate}.${rest.join('.')}`;
    return syms.has(full) ? full : undefined;
  }
  return undefined;
}

function refText(syms: Map<string, 'message' | 'enum'>, target: string, scope: string, style: RefStyle, pkg: string): string {
  const absolute = `.${pkg}.${target}`;
  if (style === 'absolute') return absolute;
  if (style === 'path') return resolve(syms, target, scope) === target ? target : absolute;
  const parts = target.split('.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const name = parts.slice(i).join('.');
    if (resolve(syms, name, scope) === target) return name;
  }
  return absolute;
}

function typeText(type: FieldType, ref: (target: string) => string): string {
  switch (type.k) {
    case 'scalar':
      return type.t;
    case 'map':
      return `map<${type.key}, ${typeText(type.value, ref)}>`;
    default:
      return ref(type.ref);
  }
}

export function packageOf(model: ProtoModel, base: string): string {
  return model.moved ? `${base}.moved` : base;
}

/** The model as proto3 text, in package `base` (or `base.moved`). */
export function printModel(model: ProtoModel, base: string): string {
  const pkg = packageOf(model, base);
  const syms = symbols(model);
  const out: string[] = ['syntax = "proto3";', `package ${pkg};`, ''];
  const line = (depth: number, text: string) => out.push(`${'  '.repeat(depth)}${text}`);
  const field = (depth: number, f: Field, scope: string) =>
    line(depth, `${f.label ? `${f.label} ` : ''}${typeText(f.type, (t) => refText(syms, t, scope, f.style ?? 'short', pkg))} ${f.name} = ${f.tag};`);
  const enumeration = (depth: number, e: Enum) => {
    line(depth, `enum ${e.name} {`);
    if (e.reserved.length) line(depth + 1, `reserved ${[...new Set(e.reserved)].sort((a, b) => a - b).join(', ')};`);
    for (const v of e.values) line(depth + 1, `${v.name} = ${v.number};`);
    line(depth, '}');
  };
  const message = (depth: number, m: Message, path: string) => {
    line(depth, `message ${m.name} {`);
    if (m.reserved.length) line(depth + 1, `reserved ${[...new Set(m.reserved)].sort((a, b) => a - b).join(', ')};`);
    for (const f of m.fields.filter((x) => x.oneof === undefined)) field(depth + 1, f, path);
    for (const o of m.oneofs) {
      line(depth + 1, `oneof ${o} {`);
      for (const f of m.fields.filter((x) => x.oneof === o)) field(depth + 2, f, path);
      line(depth + 1, '}');
    }
    for (const n of m.messages) message(depth + 1, n, `${path}.${n.name}`);
    for (const e of m.enums) enumeration(depth + 1, e);
    line(depth, '}');
  };
  for (const m of model.messages) message(0, m, m.name);
  for (const e of model.enums) enumeration(0, e);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Edits

/** Turns fast-check's numbers into choices; runs out gracefully by cycling. */
class Picker {
  private i = 0;
  constructor(private readonly nums: readonly number[]) {}
  int(n: number): number {
    const v = this.nums[this.i % this.nums.length]! + Math.floor(this.i / this.nums.length);
    this.i++;
    return n <= 0 ? 0 : v % n;
  }
  bool(): boolean {
    return this.int(2) === 1;
  }
  pick<T>(list: readonly T[]): T | undefined {
    return list.length ? list[this.int(list.length)] : undefined;
  }
}

type Edit = (model: ProtoModel, p: Picker) => string | null;

const fresh = (model: ProtoModel, prefix: string) => `${prefix}${model.counter++}`;
const nextTag = (m: Message) => Math.max(0, ...m.fields.map((f) => f.tag), ...m.reserved) + 1;
const nextEnumNumber = (e: Enum) => Math.max(0, ...e.values.map((v) => v.number), ...e.reserved) + 1;
const describeType = (t: FieldType): string => (t.k === 'scalar' ? t.t : t.k === 'map' ? `map<${t.key}, ${describeType(t.value)}>` : `${t.k} ${t.ref}`);

function valueType(model: ProtoModel, p: Picker): Exclude<FieldType, { k: 'map' }> {
  const roll = p.int(10);
  const enums = allEnums(model);
  const messages = allMessages(model);
  if (roll >= 6 && roll < 8 && enums.length) return { k: 'enum', ref: p.pick(enums)!.path };
  if (roll >= 8 && messages.length) return { k: 'message', ref: p.pick(messages)!.path };
  return { k: 'scalar', t: p.pick(SCALARS)! };
}

function anyType(model: ProtoModel, p: Picker, allowMap: boolean): FieldType {
  if (allowMap && p.int(8) === 0) return { k: 'map', key: p.pick(MAP_KEYS)!, value: valueType(model, p) };
  return valueType(model, p);
}

function dropEmptyOneofs(model: ProtoModel) {
  for (const { node } of allMessages(model)) node.oneofs = node.oneofs.filter((o) => node.fields.some((f) => f.oneof === o));
}

/**
 * A name for a new message or enum in `scope` (undefined: top level): usually fresh, sometimes (when `reuse`) the simple
 * name of a type elsewhere in the file, so that it shadows or is shadowed, but never one of a sibling or of an
 * enclosing message.
 */
function typeName(model: ProtoModel, scope: Located<Message> | undefined, prefix: 'M' | 'E', reuse: boolean): string {
  if (reuse) {
    const siblings = scope ? [...scope.node.messages, ...scope.node.enums] : [...model.messages, ...model.enums];
    const taken = new Set([...siblings.map((x) => x.name), ...(scope ? scope.path.split('.') : [])]);
    const pool = [...new Set([...allMessages(model).map((m) => m.node.name), ...allEnums(model).map((e) => e.node.name)])]
      .filter((n) => !taken.has(n))
      .sort();
    if (pool.length) return pool[model.counter % pool.length]!;
  }
  return fresh(model, prefix);
}

const pickMessage = (model: ProtoModel, p: Picker, where: (m: Located<Message>) => boolean = () => true) => p.pick(allMessages(model).filter(where));
const pickField = (m: Message, p: Picker, where: (f: Field) => boolean = () => true) => p.pick(m.fields.filter(where));
const canBeOneofMember = (f: Field) => f.type.k !== 'map' && f.label !== 'repeated';

const EDITS: Record<string, Edit> = {
  addField(model, p) {
    const m = pickMessage(model, p);
    if (!m) return null;
    const oneof = m.node.oneofs.length && p.int(3) === 0 ? p.pick(m.node.oneofs) : undefined;
    const type = anyType(model, p, oneof === undefined);
    const label = oneof !== undefined || type.k === 'map' ? undefined : p.pick([undefined, 'optional', 'repeated'] as const);
    const f: Field = { name: fresh(model, 'f'), tag: nextTag(m.node), type, ...(label ? { label } : {}), ...(oneof ? { oneof } : {}) };
    m.node.fields.push(f);
    return `add ${f.label ?? ''} ${describeType(type)} ${f.name} = ${f.tag} to ${m.path}${oneof ? ` (oneof ${oneof})` : ''}`;
  },
  removeField(model, p) {
    const m = pickMessage(model, p, (x) => x.node.fields.length > 0);
    const f = m && pickField(m.node, p);
    if (!m || !f) return null;
    const reserve = p.bool();
    m.node.fields = m.node.fields.filter((x) => x !== f);
    if (reserve) m.node.reserved.push(f.tag);
    dropEmptyOneofs(model);
    return `remove ${m.path}.${f.name} = ${f.tag}${f.oneof ? ` (oneof ${f.oneof})` : ''}${reserve ? ', number reserved' : ''}`;
  },
  renumberField(model, p) {
    const m = pickMessage(model, p, (x) => x.node.fields.length > 0);
    const f = m && pickField(m.node, p);
    if (!m || !f) return null;
    const [before, after] = [f.tag, nextTag(m.node)];
    f.tag = after;
    const reserve = p.bool();
    if (reserve) m.node.reserved.push(before);
    return `renumber ${m.path}.${f.name} ${before} → ${after}${reserve ? ', old number reserved' : ''}`;
  },
  renameField(model, p) {
    const m = pickMessage(model, p, (x) => x.node.fields.length > 0);
    const f = m && pickField(m.node, p);
    if (!m || !f) return null;
    const before = f.name;
    f.name = fresh(model, 'f');
    return `rename ${m.path}.${before} → ${f.name}`;
  },
  retypeField(model, p) {
    const m = pickMessage(model, p, (x) => x.node.fields.length > 0);
    const f = m && pickField(m.node, p);
    if (!m || !f) return null;
    const before = describeType(f.type);
    let type: FieldType;
    if (f.type.k === 'scalar' && p.bool()) {
      const enums = allEnums(model);
      const options: FieldType[] = NEIGHBOURS[f.type.t].map((t) => ({ k: 'scalar', t }));
      if (['int32', 'int64', 'uint32', 'uint64', 'bool'].includes(f.type.t) && enums.length) options.push({ k: 'enum', ref: p.pick(enums)!.path });
      type = p.pick(options)!;
    } else if (f.type.k === 'enum' && p.bool()) {
      const enums = allEnums(model);
      type = p.bool() || enums.length < 2 ? { k: 'scalar', t: p.pick(['int32', 'int64', 'uint32', 'uint64', 'bool'] as const)! } : { k: 'enum', ref: p.pick(enums)!.path };
    } else if (f.type.k === 'map' && p.bool()) {
      type = p.bool() ? { ...f.type, key: p.pick(MAP_KEYS)! } : { ...f.type, value: valueType(model, p) };
    } else {
      type = anyType(model, p, f.oneof === undefined);
    }
    f.type = type;
    if (type.k === 'map') delete f.label;
    return `retype ${m.path}.${f.name} = ${f.tag}: ${before} → ${describeType(type)}`;
  },
  relabelField(model, p) {
    const m = pickMessage(model, p, (x) => x.node.fields.some((f) => f.oneof === undefined && f.type.k !== 'map'));
    const f = m && pickField(m.node, p, (x) => x.oneof === undefined && x.type.k !== 'map');
    if (!m || !f) return null;
    const before = f.label ?? 'implicit';
    const label = p.pick([undefined, 'optional', 'repeated'].filter((l) => l !== f.label) as ('optional' | 'repeated' | undefined)[]);
    if (label) f.label = label;
    else delete f.label;
    return `relabel ${m.path}.${f.name} = ${f.tag}: ${before} → ${label ?? 'implicit'}`;
  },
  requalify(model, p) {
    const m = pickMessage(model, p, (x) => x.node.fields.some((f) => refsOf(f.type).length > 0));
    const f = m && pickField(m.node, p, (x) => refsOf(x.type).length > 0);
    if (!m || !f) return null;
    const styles: RefStyle[] = ['short', 'path', 'absolute'];
    const before = f.style ?? 'short';
    f.style = p.pick(styles.filter((x) => x !== before))!;
    return `write the type of ${m.path}.${f.name} as ${f.style} instead of ${before}`;
  },
  addEnum(model, p) {
    const scope = p.int(3) === 0 ? undefined : pickMessage(model, p, (x) => x.depth < 3);
    const name = typeName(model, scope, 'E', p.int(3) === 0);
    const e: Enum = { name, values: [{ name: `${name}_V${model.counter++}`, number: 0 }], reserved: [] };
    model.counter++;
    for (let i = p.int(4); i > 0; i--) e.values.push({ name: `${name}_V${model.counter++}`, number: nextEnumNumber(e) });
    (scope ? scope.node.enums : model.enums).push(e);
    return `add enum ${scope ? `${scope.path}.` : ''}${name} (${e.values.length} values)`;
  },
  removeEnum(model, p) {
    const e = p.pick(allEnums(model).filter((x) => !referencedFromOutside(model, x.path)));
    if (!e) return null;
    e.siblings.splice(e.siblings.indexOf(e.node), 1);
    return `remove enum ${e.path}`;
  },
  addEnumValue(model, p) {
    const e = p.pick(allEnums(model));
    if (!e) return null;
    const v = { name: `${e.node.name}_V${model.counter++}`, number: nextEnumNumber(e.node) };
    e.node.values.push(v);
    return `add ${v.name} = ${v.number} to enum ${e.path}`;
  },
  removeEnumValue(model, p) {
    const e = p.pick(allEnums(model).filter((x) => x.node.values.length > 1));
    if (!e) return null;
    const v = p.pick(e.node.values.slice(1))!;
    e.node.values = e.node.values.filter((x) => x !== v);
    const reserve = p.bool();
    if (reserve) e.node.reserved.push(v.number);
    return `remove ${v.name} = ${v.number} from enum ${e.path}${reserve ? ', number reserved' : ''}`;
  },
  renameEnumValue(model, p) {
    const e = p.pick(allEnums(model));
    if (!e) return null;
    const v = p.pick(e.node.values)!;
    const before = v.name;
    v.name = `${e.node.name}_V${model.counter++}`;
    return `rename enum value ${e.path}.${before} → ${v.name}`;
  },
  renumberEnumValue(model, p) {
    const e = p.pick(allEnums(model).filter((x) => x.node.values.length > 1));
    if (!e) return null;
    const v = p.pick(e.node.values.slice(1))!;
    const [before, after] = [v.number, nextEnumNumber(e.node)];
    v.number = after;
    const reserve = p.bool();
    if (reserve) e.node.reserved.push(before);
    return `renumber enum value ${e.path}.${v.name} ${before} → ${after}${reserve ? ', old number reserved' : ''}`;
  },
  addMessage(model, p) {
    const scope = p.int(2) === 0 ? undefined : pickMessage(model, p, (x) => x.depth < 3);
    const m: Message = { name: typeName(model, scope, 'M', p.int(3) === 0), fields: [], oneofs: [], messages: [], enums: [], reserved: [] };
    model.counter++;
    for (let i = p.int(3); i > 0; i--) m.fields.push({ name: fresh(model, 'f'), tag: nextTag(m), type: { k: 'scalar', t: p.pick(SCALARS)! } });
    const list = scope ? scope.node.messages : model.messages;
    list.splice(p.int(list.length + 1), 0, m);
    return `add message ${scope ? `${scope.path}.` : ''}${m.name} at position ${list.indexOf(m)}`;
  },
  removeMessage(model, p) {
    const m = pickMessage(model, p, (x) => (x.depth > 1 || model.messages.length > 1) && !referencedFromOutside(model, x.path));
    if (!m) return null;
    m.siblings.splice(m.siblings.indexOf(m.node), 1);
    return `remove message ${m.path}`;
  },
  renameMessage(model, p) {
    const m = pickMessage(model, p);
    if (!m) return null;
    const before = m.path;
    m.node.name = fresh(model, 'M');
    const after = before.replace(/[^.]+$/, m.node.name);
    const rewrite = (t: FieldType): FieldType => {
      if (t.k === 'map') return { ...t, value: rewrite(t.value) as Exclude<FieldType, { k: 'map' }> };
      if (t.k === 'scalar' || !within(t.ref, before)) return t;
      return { ...t, ref: `${after}${t.ref.slice(before.length)}` };
    };
    for (const x of allMessages(model)) for (const f of x.node.fields) f.type = rewrite(f.type);
    return `rename message ${before} → ${after}`;
  },
  reorderMessages(model, p) {
    const scopes = [model.messages, ...allMessages(model).map((x) => x.node.messages)].filter((l) => l.length > 1);
    const list = p.pick(scopes);
    if (!list) return null;
    const i = p.int(list.length);
    const j = (i + 1 + p.int(list.length - 1)) % list.length;
    [list[i], list[j]] = [list[j]!, list[i]!];
    return `swap messages ${list[j]!.name} and ${list[i]!.name}`;
  },
  shadowType(model, p) {
    // A new type named like one a field refers to, declared in that field's message or in a message nested in it:
    // protoc keeps resolving the field's (re-printed) reference to the same type, which the reference's text may need
    // to qualify now.
    const m = pickMessage(model, p, (x) => x.node.fields.some((f) => refsOf(f.type).length > 0));
    const f = m && pickField(m.node, p, (x) => refsOf(x.type).length > 0);
    if (!m || !f) return null;
    const name = refsOf(f.type)[0]!.split('.').pop()!;
    const scopes = [m, ...allMessages(model).filter((x) => x.path.startsWith(`${m.path}.`) && x.depth < 4)];
    const scope = p.pick(scopes.filter((x) => ![...x.node.messages, ...x.node.enums].some((y) => y.name === name) && !x.path.split('.').includes(name)));
    if (!scope) return null;
    if (p.bool()) {
      scope.node.messages.push({ name, fields: [{ name: fresh(model, 'f'), tag: 1, type: { k: 'scalar', t: p.pick(SCALARS)! } }], oneofs: [], messages: [], enums: [], reserved: [] });
      return `add message ${scope.path}.${name}, shadowing the type of ${m.path}.${f.name}`;
    }
    scope.node.enums.push({ name, values: [{ name: `${name}_V${model.counter++}`, number: 0 }], reserved: [] });
    return `add enum ${scope.path}.${name}, shadowing the type of ${m.path}.${f.name}`;
  },
  addOneof(model, p) {
    const m = pickMessage(model, p);
    if (!m) return null;
    const name = fresh(model, 'o');
    const f: Field = { name: fresh(model, 'f'), tag: nextTag(m.node), type: valueType(model, p), oneof: name };
    m.node.oneofs.push(name);
    m.node.fields.push(f);
    return `add oneof ${m.path}.${name} with ${describeType(f.type)} ${f.name} = ${f.tag}`;
  },
  moveIntoOneof(model, p) {
    const m = pickMessage(model, p, (x) => x.node.fields.some(canBeOneofMember));
    const f = m && pickField(m.node, p, canBeOneofMember);
    if (!m || !f) return null;
    const others = m.node.oneofs.filter((o) => o !== f.oneof);
    let target = p.bool() ? p.pick(others) : undefined;
    if (target === undefined) {
      target = fresh(model, 'o');
      m.node.oneofs.push(target);
    }
    const from = f.oneof ? `oneof ${f.oneof}` : 'top level';
    f.oneof = target;
    delete f.label;
    dropEmptyOneofs(model);
    return `move ${m.path}.${f.name} = ${f.tag} from ${from} into oneof ${target}`;
  },
  moveOutOfOneof(model, p) {
    const m = pickMessage(model, p, (x) => x.node.fields.some((f) => f.oneof !== undefined));
    const f = m && pickField(m.node, p, (x) => x.oneof !== undefined);
    if (!m || !f) return null;
    const from = f.oneof;
    delete f.oneof;
    if (p.bool()) f.label = 'optional';
    dropEmptyOneofs(model);
    return `move ${m.path}.${f.name} = ${f.tag} out of oneof ${from}${f.label ? ' as optional' : ''}`;
  },
  renameOneof(model, p) {
    const m = pickMessage(model, p, (x) => x.node.oneofs.length > 0);
    const o = m && p.pick(m.node.oneofs);
    if (!m || !o) return null;
    const name = fresh(model, 'o');
    m.node.oneofs = m.node.oneofs.map((x) => (x === o ? name : x));
    for (const f of m.node.fields) if (f.oneof === o) f.oneof = name;
    return `rename oneof ${m.path}.${o} → ${name}`;
  },
  removeOneof(model, p) {
    const m = pickMessage(model, p, (x) => x.node.oneofs.length > 0);
    const o = m && p.pick(m.node.oneofs);
    if (!m || !o) return null;
    const gone = m.node.fields.filter((f) => f.oneof === o);
    m.node.fields = m.node.fields.filter((f) => f.oneof !== o);
    m.node.oneofs = m.node.oneofs.filter((x) => x !== o);
    const reserve = p.bool();
    if (reserve) m.node.reserved.push(...gone.map((f) => f.tag));
    return `remove oneof ${m.path}.${o} with fields ${gone.map((f) => f.tag).join(', ')}${reserve ? ', numbers reserved' : ''}`;
  },
  changePackage(model) {
    model.moved = !model.moved;
    return model.moved ? 'move to package <pkg>.moved' : 'move back to package <pkg>';
  },
};

const GROWTH = ['addField', 'addField', 'addField', 'addField', 'addEnum', 'addEnumValue', 'addMessage', 'addMessage', 'addOneof', 'moveIntoOneof', 'shadowType'];
/** Edit kinds with weights (repeats): field edits most often, package changes rarely. */
const EDIT_KINDS = [
  ...Array<string>(3).fill('addField'), ...Array<string>(3).fill('removeField'), ...Array<string>(2).fill('renumberField'), 'renameField',
  ...Array<string>(5).fill('retypeField'), ...Array<string>(3).fill('relabelField'), 'requalify',
  'addEnum', 'removeEnum', 'addEnumValue', ...Array<string>(2).fill('removeEnumValue'), 'renameEnumValue', 'renumberEnumValue',
  ...Array<string>(2).fill('addMessage'), ...Array<string>(2).fill('removeMessage'), 'renameMessage', 'reorderMessages', ...Array<string>(2).fill('shadowType'),
  'addOneof', ...Array<string>(3).fill('moveIntoOneof'), ...Array<string>(2).fill('moveOutOfOneof'), 'renameOneof', 'removeOneof',
  'changePackage',
];

const step = (kinds: readonly string[]) => fc.record({ kind: fc.constantFrom(...kinds), nums: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 6, maxLength: 6 }) });

export function applyEdit(model: ProtoModel, kind: string, nums: readonly number[]): string | null {
  return EDITS[kind]!(model, new Picker(nums));
}

export function baseModel(): ProtoModel {
  return { moved: false, counter: 2, enums: [], messages: [{ name: 'M0', fields: [{ name: 'f1', tag: 1, type: { k: 'scalar', t: 'int32' } }], oneofs: [], messages: [], enums: [], reserved: [] }] };
}

export const protoEvolutionArb: fc.Arbitrary<Evolution> = fc
  .record({ growth: fc.array(step(GROWTH), { minLength: 2, maxLength: 10 }), edits: fc.array(step(EDIT_KINDS), { minLength: 1, maxLength: 3 }) })
  .map(({ growth, edits }) => {
    const old = baseModel();
    for (const g of growth) applyEdit(old, g.kind, g.nums);
    const next = structuredClone(old);
    const applied: string[] = [];
    const kinds: string[] = [];
    for (const e of edits) {
      const done = applyEdit(next, e.kind, e.nums);
      if (done !== null) {
        applied.push(done);
        kinds.push(e.kind);
      }
    }
    return { old, next, edits: applied, kinds };
  });
