// Avro schema JSON → a tree with every name resolved, validated as the Java Avro parser validates it.
import { InvalidSchemaError } from '../format.js';

export type Props = [key: string, value: unknown][];

export interface NamedBase {
  /** Full name, e.g. `com.acme.Order`. */
  fullname: string;
  name: string;
  namespace: string | null;
  doc?: string;
  aliases: string[];
  props: Props;
}
export interface RecordNode extends NamedBase {
  kind: 'record';
  isError: boolean;
  fields: FieldNode[];
}
export interface EnumNode extends NamedBase {
  kind: 'enum';
  symbols: string[];
  default?: string;
}
export interface FixedNode extends NamedBase {
  kind: 'fixed';
  size: number;
}
export type NamedNode = RecordNode | EnumNode | FixedNode;
export interface PrimitiveNode {
  kind: 'primitive';
  type: PrimitiveName;
  props: Props;
}
export interface ArrayNode {
  kind: 'array';
  items: AvroNode;
  props: Props;
}
export interface MapNode {
  kind: 'map';
  values: AvroNode;
  props: Props;
}
export interface UnionNode {
  kind: 'union';
  branches: AvroNode[];
}
/** A use of a named type defined earlier (in this schema or in a referenced one). */
export interface RefNode {
  kind: 'ref';
  fullname: string;
}
export type AvroNode = PrimitiveNode | NamedNode | ArrayNode | MapNode | UnionNode | RefNode;

export interface FieldNode {
  name: string;
  type: AvroNode;
  doc?: string;
  /** Present when the field has a default; `{ value: null }` is a null default. */
  default?: { value: unknown };
  order: 'ascending' | 'descending' | 'ignore';
  aliases: string[];
  props: Props;
}

export const PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;
export type PrimitiveName = (typeof PRIMITIVES)[number];
const isPrimitive = (s: string): s is PrimitiveName => (PRIMITIVES as readonly string[]).includes(s);

// Keys with meaning to the parser; every other key is a custom property, kept in the order written.
const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases']);
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default']);
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases']);

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every named type known while parsing one schema: those of its references, then its own. */
export type NameTable = Map<string, NamedNode>;

export interface AvroParseOptions {
  validate: boolean;
  maxDepth: number;
}

/** Parses one schema document into the name table shared with its references. */
export function parseAvro(json: unknown, names: NameTable, options: AvroParseOptions): AvroNode {
  return new AstBuilder(names, options).node(json, null, '', 0);
}

export function namespaceOf(fullname: string): string | null {
  const dot = fullname.lastIndexOf('.');
  return dot < 0 ? null : fullname.slice(0, dot);
}

/** Java Avro's Name.getQualified: the short name inside its own namespace, the full name elsewhere. */
export function qualify(fullname: string, enclosing: string | null): string {
  const ns = namespaceOf(fullname);
  return ns === null || ns === enclosing ? fullname.slice(fullname.lastIndexOf('.') + 1) : fullname;
}

class AstBuilder {
  constructor(
    private readonly names: NameTable,
    private readonly options: AvroParseOptions,
  ) {}

  private fail(path: string, message: string): never {
    throw new InvalidSchemaError(`${message}${path ? ` (at ${path})` : ''}`);
  }

  node(json: unknown, ns: string | null, path: string, depth: number): AvroNode {
    if (depth > this.options.maxDepth) {
      this.fail(path, `Schema is nested deeper than the limit of ${this.options.maxDepth} levels`);
    }
    if (typeof json === 'string') return this.typeName(json, ns, path);
    if (Array.isArray(json)) return this.union(json, ns, path, depth);
    if (json === null || typeof json !== 'object') {
      this.fail(path, `Expected a type name, a type object or a union array, got ${JSON.stringify(json)}`);
    }
    const obj = json as Record<string, unknown>;
    const type = obj.type;
    if (typeof type !== 'string') this.fail(path, 'Schema object has no "type" string');
    if (isPrimitive(type)) return { kind: 'primitive', type, props: propsOf(obj, SCHEMA_RESERVED) };
    switch (type) {
      case 'record':
      case 'error':
        return this.record(obj, ns, path, depth, type === 'error');
      case 'enum':
        return this.enumeration(obj, ns, path);
      case 'fixed':
        return this.fixed(obj, ns, path);
      case 'array':
        if (!('items' in obj)) this.fail(path, 'Array schema has no "items"');
        return {
          kind: 'array',
          items: this.node(obj.items, ns, `${path}/items`, depth + 1),
          props: propsOf(obj, SCHEMA_RESERVED),
        };
      case 'map':
        if (!('values' in obj)) this.fail(path, 'Map schema has no "values"');
        return {
          kind: 'map',
          values: this.node(obj.values, ns, `${path}/values`, depth + 1),
          props: propsOf(obj, SCHEMA_RESERVED),
        };
      default:
        // `{"type": "com.acme.Address"}` is a use of a named type (custom properties are dropped, as in Java).
        return this.typeName(type, ns, `${path}/type`);
    }
  }

  private typeName(name: string, ns: string | null, path: string): AvroNode {
    if (isPrimitive(name)) return { kind: 'primitive', type: name, props: [] };
    const qualified = !name.includes('.') && ns ? `${ns}.${name}` : name.replace(/^\./, '');
    if (this.names.has(qualified)) return { kind: 'ref', fullname: qualified };
    if (this.names.has(name)) return { kind: 'ref', fullname: name };
    return this.fail(path, `Unknown type '${name}': not a primitive, not defined earlier in the schema, and not provided by a reference`);
  }

  private union(json: unknown[], ns: string | null, path: string, depth: number): UnionNode {
    const branches = json.map((b, i) => this.node(b, ns, `${path}/${i}`, depth + 1));
    const seen = new Set<string>();
    branches.forEach((b, i) => {
      if (b.kind === 'union') this.fail(`${path}/${i}`, 'Unions may not immediately contain other unions');
      const key = b.kind === 'primitive' ? b.type : refName(b);
      if (seen.has(key)) this.fail(`${path}/${i}`, `Duplicate in union: ${key}`);
      seen.add(key);
    });
    return { kind: 'union', branches };
  }

  /** Resolves `name`/`namespace` as Java does: a dotted name carries its own namespace, otherwise the enclosing one applies. */
  private named(obj: Record<string, unknown>, ns: string | null, path: string): NamedBase {
    const name = obj.name;
    if (typeof name !== 'string' || name === '') this.fail(path, `A ${String(obj.type)} must have a "name"`);
    let namespace: string | null;
    let simple: string;
    if (name.includes('.')) {
      namespace = namespaceOf(name);
      simple = name.slice(name.lastIndexOf('.') + 1);
    } else {
      const declared = obj.namespace;
      if (declared !== undefined && typeof declared !== 'string') this.fail(`${path}/namespace`, '"namespace" must be a string');
      namespace = declared === undefined ? ns : declared === '' ? null : declared;
      simple = name;
    }
    if (this.options.validate) {
      if (!NAME_PATTERN.test(simple)) this.fail(`${path}/name`, `Invalid name '${simple}': names start with a letter or _ and contain only letters, digits and _`);
      for (const part of namespace?.split('.') ?? []) {
        if (!NAME_PATTERN.test(part)) this.fail(`${path}/namespace`, `Invalid namespace '${namespace}'`);
      }
    }
    const fullname = namespace ? `${namespace}.${simple}` : simple;
    if (this.names.has(fullname)) this.fail(`${path}/name`, `Can't redefine: ${fullname}`);
    const doc = obj.doc;
    const aliases = stringList(obj.aliases, `${path}/aliases`, (p, m) => this.fail(p, m)).map((a) =>
      a.includes('.') || !namespace ? a : `${namespace}.${a}`,
    );
    return { fullname, name: simple, namespace, ...(typeof doc === 'string' ? { doc } : {}), aliases, props: [] };
  }

  private record(obj: Record<string, unknown>, ns: string | null, path: string, depth: number, isError: boolean): RecordNode {
    const base = this.named(obj, ns, path);
    const node: RecordNode = { kind: 'record', isError, ...base, fields: [], props: propsOf(obj, SCHEMA_RESERVED) };
    this.names.set(node.fullname, node); // defined before its fields, so a record may contain itself
    UNDER_CONSTRUCTION.add(node);
    try {
      this.fields(node, obj, path, depth);
    } finally {
      UNDER_CONSTRUCTION.delete(node);
    }
    return node;
  }

  private fields(node: RecordNode, obj: Record<string, unknown>, path: string, depth: number): void {
    if (!Array.isArray(obj.fields)) this.fail(path, `Record '${node.fullname}' has no "fields" array`);
    const seen = new Set<string>();
    obj.fields.forEach((f, i) => {
      const fieldPath = `${path}/fields/${i}`;
      if (f === null || typeof f !== 'object' || Array.isArray(f)) this.fail(fieldPath, 'A field must be an object');
      const field = f as Record<string, unknown>;
      const name = field.name;
      if (typeof name !== 'string') this.fail(fieldPath, 'A field must have a "name"');
      if (this.options.validate && !NAME_PATTERN.test(name)) this.fail(`${fieldPath}/name`, `Invalid field name '${name}'`);
      if (seen.has(name)) this.fail(fieldPath, `Duplicate field '${name}' in record '${node.fullname}'`);
      seen.add(name);
      if (!('type' in field)) this.fail(fieldPath, `Field '${name}' has no "type"`);
      const type = this.node(field.type, node.namespace, `${fieldPath}/type`, depth + 1);
      const order = field.order ?? 'ascending';
      if (order !== 'ascending' && order !== 'descending' && order !== 'ignore') {
        this.fail(`${fieldPath}/order`, `Field '${name}' has an invalid order ${JSON.stringify(order)}`);
      }
      const doc = field.doc;
      node.fields.push({
        name,
        type,
        ...(typeof doc === 'string' ? { doc } : {}),
        ...('default' in field ? { default: { value: field.default } } : {}),
        order,
        aliases: stringList(field.aliases, `${fieldPath}/aliases`, (p, m) => this.fail(p, m)),
        props: propsOf(field, FIELD_RESERVED),
      });
      if (this.options.validate && 'default' in field && !isValidDefault(type, field.default, this.names)) {
        const pending = [...UNDER_CONSTRUCTION].find((r) => r !== node && mentions(type, r, this.names));
        this.fail(
          `${fieldPath}/default`,
          pending
            ? `Invalid default for field '${name}' in record '${node.fullname}': it fills record '${pending.fullname}', whose fields are still being defined`
            : `Invalid default for field '${name}' in record '${node.fullname}': ${JSON.stringify(field.default)} is not valid for type ${describe(type)}`,
        );
      }
    });
  }

  private enumeration(obj: Record<string, unknown>, ns: string | null, path: string): EnumNode {
    const base = this.named(obj, ns, path);
    const symbols = stringList(obj.symbols, `${path}/symbols`, (p, m) => this.fail(p, m), true);
    const seen = new Set<string>();
    for (const s of symbols) {
      if (this.options.validate && !NAME_PATTERN.test(s)) this.fail(`${path}/symbols`, `Invalid symbol '${s}' in enum '${base.fullname}'`);
      if (seen.has(s)) this.fail(`${path}/symbols`, `Duplicate symbol '${s}' in enum '${base.fullname}'`);
      seen.add(s);
    }
    const def = obj.default;
    if (def !== undefined && (typeof def !== 'string' || !seen.has(def))) {
      this.fail(`${path}/default`, `The default ${JSON.stringify(def)} of enum '${base.fullname}' is not one of its symbols`);
    }
    const node: EnumNode = { kind: 'enum', ...base, symbols, ...(def !== undefined ? { default: def } : {}), props: propsOf(obj, ENUM_RESERVED) };
    this.names.set(node.fullname, node);
    return node;
  }

  private fixed(obj: Record<string, unknown>, ns: string | null, path: string): FixedNode {
    const base = this.named(obj, ns, path);
    const size = obj.size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      this.fail(`${path}/size`, `Fixed '${base.fullname}' needs a non-negative integer "size"`);
    }
    const node: FixedNode = { kind: 'fixed', ...base, size, props: propsOf(obj, SCHEMA_RESERVED) };
    this.names.set(node.fullname, node);
    return node;
  }
}

/** Records whose fields are still being read: a default cannot be checked against them (Java refuses too). */
const UNDER_CONSTRUCTION = new Set<RecordNode>();

function mentions(node: AvroNode, record: RecordNode, names: NameTable): boolean {
  const seen = new Set<AvroNode>();
  const walk = (n: AvroNode): boolean => {
    const t = n.kind === 'ref' ? names.get(n.fullname) : n;
    if (!t || seen.has(t)) return false;
    seen.add(t);
    if (t === record) return true;
    if (t.kind === 'union') return t.branches.some(walk);
    if (t.kind === 'array') return walk(t.items);
    if (t.kind === 'map') return walk(t.values);
    return false;
  };
  return walk(node);
}

function refName(b: AvroNode): string {
  return b.kind === 'ref' ? b.fullname : 'fullname' in b ? b.fullname : b.kind;
}

function propsOf(obj: Record<string, unknown>, reserved: Set<string>): Props {
  return Object.entries(obj).filter(([k]) => !reserved.has(k));
}

function stringList(
  value: unknown,
  path: string,
  fail: (path: string, message: string) => never,
  required = false,
): string[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(path, 'Expected an array of strings');
  return value as string[];
}

/** Dereferences a use of a named type. */
export function deref(node: AvroNode, names: NameTable): Exclude<AvroNode, RefNode> {
  if (node.kind !== 'ref') return node;
  const target = names.get(node.fullname);
  if (!target) throw new InvalidSchemaError(`Unknown type '${node.fullname}'`);
  return target;
}

export function describe(node: AvroNode): string {
  switch (node.kind) {
    case 'primitive':
      return node.type;
    case 'ref':
      return node.fullname;
    case 'union':
      return `union whose first branch is ${node.branches[0] ? describe(node.branches[0]) : 'missing'}`;
    case 'array':
    case 'map':
      return node.kind;
    default:
      return `${node.kind} ${node.fullname}`;
  }
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * Java Avro's Schema.isValidDefault, structural only. A union's default must match its first branch (Avro ≤ 1.11,
 * Python avro and avsc agree; 1.12 accepts any branch), so every schema Accord accepts also loads in avsc.
 */
export function isValidDefault(node: AvroNode, value: unknown, names: NameTable): boolean {
  const type = deref(node, names);
  switch (type.kind) {
    case 'primitive':
      switch (type.type) {
        case 'null':
          return value === null;
        case 'boolean':
          return typeof value === 'boolean';
        case 'int':
          return Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX;
        case 'long':
          return Number.isInteger(value);
        case 'float':
        case 'double':
          return typeof value === 'number';
        case 'bytes':
        case 'string':
          return typeof value === 'string';
      }
      return false;
    case 'enum': // membership is not checked at registration (as in Avro Java); decoders fall back to the enum default
    case 'fixed':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value) && value.every((v) => isValidDefault(type.items, v, names));
    case 'map':
      return isPlainObject(value) && Object.values(value).every((v) => isValidDefault(type.values, v, names));
    case 'union':
      return type.branches.length > 0 && isValidDefault(type.branches[0]!, value, names);
    case 'record':
      if (UNDER_CONSTRUCTION.has(type)) return false;
      return (
        isPlainObject(value) &&
        type.fields.every((f) => (f.name in value ? isValidDefault(f.type, value[f.name], names) : f.default !== undefined))
      );
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
