// Avro reader/writer resolution, as Apache Avro Java's SchemaCompatibility decides it, with every problem explained.
import type { Incompatibility } from '../format.js';
import { deref, type AvroNode, type EnumNode, type FieldNode, type NameTable, type NamedNode, type RecordNode } from './ast.js';

/** A parsed schema as the checker sees it: its root and the name table its references resolve in. */
export interface AvroGraph {
  root: AvroNode;
  names: NameTable;
}

/** Whose schema is the reader: phrases messages as "the new schema" / "the old schema". */
export interface Roles {
  reader: string;
  writer: string;
}

export type AvroRule =
  | 'TYPE_MISMATCH'
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'MISSING_UNION_BRANCH'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'AMBIGUOUS_FIELD_ALIAS';

export interface AvroIncompatibility extends Incompatibility {
  rule: AvroRule;
  detail: string;
}

type Node = Exclude<AvroNode, { kind: 'ref' }>;

/** Promotions the Avro spec allows: reader type → writer types it also reads. */
const PROMOTIONS: Record<string, readonly string[]> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

export function checkAvroReader(reader: AvroGraph, writer: AvroGraph, roles: Roles = { reader: 'reader', writer: 'writer' }): AvroIncompatibility[] {
  return new Checker(reader.names, writer.names, roles).check(reader.root, writer.root, null);
}

/** The path walked so far, innermost token first; turned into a JSON pointer only when a finding is made. */
type Location = { readonly up: Location; readonly token: string } | null;
const at = (up: Location, ...tokens: string[]): Location => tokens.reduce<Location>((loc, token) => ({ up: loc, token }), up);

/** Writer fields by name, built once per writer record node. */
const fieldIndex = new WeakMap<RecordNode, Map<string, FieldNode>>();
function fieldsByName(record: RecordNode): Map<string, FieldNode> {
  let index = fieldIndex.get(record);
  if (!index) fieldIndex.set(record, (index = new Map(record.fields.map((f) => [f.name, f]))));
  return index;
}

const IN_PROGRESS = Symbol('in progress');

class Checker {
  /** Results per (reader node, writer node) by identity; an in-progress pair counts as compatible (recursive types). */
  private readonly memo = new Map<Node, Map<Node, AvroIncompatibility[] | typeof IN_PROGRESS>>();

  constructor(
    private readonly readerNames: NameTable,
    private readonly writerNames: NameTable,
    private readonly roles: Roles,
  ) {}

  check(readerRef: AvroNode, writerRef: AvroNode, location: Location): AvroIncompatibility[] {
    const reader = deref(readerRef, this.readerNames);
    const writer = deref(writerRef, this.writerNames);
    let byWriter = this.memo.get(reader);
    if (!byWriter) this.memo.set(reader, (byWriter = new Map()));
    const known = byWriter.get(writer);
    if (known === IN_PROGRESS) return [];
    if (known) return known;
    byWriter.set(writer, IN_PROGRESS);
    const result = this.calculate(reader, writer, location);
    byWriter.set(writer, result);
    return result;
  }

  private calculate(reader: Node, writer: Node, location: Location): AvroIncompatibility[] {
    const rType = typeName(reader);
    const wType = typeName(writer);
    if (rType === wType) {
      switch (reader.kind) {
        case 'primitive':
          return [];
        case 'array':
          return this.check(reader.items, (writer as typeof reader).items, at(location, 'items'));
        case 'map':
          return this.check(reader.values, (writer as typeof reader).values, at(location, 'values'));
        case 'fixed': {
          const w = writer as typeof reader;
          const out = this.names(reader, w, location);
          if (reader.size !== w.size) out.push(this.fixedSize(reader.size, w, location));
          return out;
        }
        case 'enum':
          return [...this.names(reader, writer as EnumNode, location), ...this.symbols(reader, writer as EnumNode, location)];
        case 'record':
          return [...this.names(reader, writer as RecordNode, location), ...this.fields(reader, writer as RecordNode, location)];
        case 'union': {
          const out: AvroIncompatibility[] = [];
          (writer as typeof reader).branches.forEach((branch, i) => {
            if (this.check(reader, branch, null).length > 0) out.push(this.missingBranch(deref(branch, this.writerNames), at(location, String(i))));
          });
          return out;
        }
      }
    }
    if (writer.kind === 'union') {
      return writer.branches.flatMap((branch, i) => this.check(reader, branch, at(location, String(i))));
    }
    if (reader.kind === 'union') {
      if (reader.branches.some((branch) => this.check(branch, writer, null).length === 0)) return [];
      return [this.missingBranch(writer, location)];
    }
    if (PROMOTIONS[rType]?.includes(wType)) return [];
    return [this.typeMismatch(reader, writer, location)];
  }

  /** Unqualified names equal, or the reader's aliases hold the writer's full name; writer aliases never count. */
  private names(reader: NamedNode, writer: NamedNode, location: Location): AvroIncompatibility[] {
    if (reader.name === writer.name || reader.aliases.includes(writer.fullname)) return [];
    return [
      this.finding('NAME_MISMATCH', at(location, 'name'), `expected: ${writer.fullname}`,
        `The ${this.roles.reader} schema names this ${reader.kind} '${reader.fullname}' but the ${this.roles.writer} schema calls it '${writer.fullname}'.`,
        `keep the name '${writer.name}', or add the alias '${writer.fullname}' to '${reader.fullname}'`),
    ];
  }

  private fixedSize(readerSize: number, writer: NamedNode & { size: number }, location: Location): AvroIncompatibility {
    return this.finding('FIXED_SIZE_MISMATCH', at(location, 'size'), `expected: ${writer.size}, found: ${readerSize}`,
      `Fixed '${writer.fullname}' is ${readerSize} bytes in the ${this.roles.reader} schema but ${writer.size} bytes in the ${this.roles.writer} schema.`,
      `keep size ${writer.size}; a different size needs a new fixed type in a new field with a default`);
  }

  private symbols(reader: EnumNode, writer: EnumNode, location: Location): AvroIncompatibility[] {
    const readerSymbols = new Set(reader.symbols);
    const missing = writer.symbols.filter((s) => !readerSymbols.has(s)).sort();
    if (missing.length === 0) return [];
    if (reader.default !== undefined && readerSymbols.has(reader.default)) return [];
    const list = missing.map((s) => `'${s}'`).join(', ');
    return [
      this.finding('MISSING_ENUM_SYMBOLS', at(location, 'symbols'), `[${missing.join(', ')}]`,
        `Enum '${reader.fullname}' in the ${this.roles.reader} schema lacks ${missing.length === 1 ? 'symbol' : 'symbols'} ${list} that the ${this.roles.writer} schema can write.`,
        `keep ${missing.length === 1 ? 'symbol' : 'symbols'} ${list} or add an enum default to '${reader.fullname}'`),
    ];
  }

  private fields(reader: RecordNode, writer: RecordNode, location: Location): AvroIncompatibility[] {
    const out: AvroIncompatibility[] = [];
    reader.fields.forEach((field, i) => {
      const hits = writerFieldsFor(field, writer);
      if (hits.length > 1) {
        out.push(this.finding('AMBIGUOUS_FIELD_ALIAS', at(location, 'fields', String(i)), field.name,
          `Field '${field.name}' of the ${this.roles.reader} schema matches ${hits.length} fields of the ${this.roles.writer} schema (${hits.map((h) => `'${h.name}'`).join(', ')}) through its name and aliases.`,
          `remove the alias of '${field.name}' that names another existing field`));
        return;
      }
      const match = hits[0];
      if (match) {
        out.push(...this.check(field.type, match.type, at(location, 'fields', String(i), 'type')));
        return;
      }
      if (field.default !== undefined) return;
      const type = deref(field.type, this.readerNames);
      if (type.kind === 'enum' && type.default !== undefined) {
        // Java compares such an enum with the writer record itself: incompatible, reported as a type mismatch.
        out.push(...this.check(type, writer, at(location, 'fields', String(i), 'type')));
        return;
      }
      out.push(this.finding('READER_FIELD_MISSING_DEFAULT_VALUE', at(location, 'fields', String(i)), field.name,
        `Field '${field.name}' of the ${this.roles.reader} schema has no default value and is missing from the ${this.roles.writer} schema, so records written without it cannot be read.`,
        `give field '${field.name}' a default${this.roles.reader === 'new' ? '' : `, or keep field '${field.name}' in the ${this.roles.writer} schema`}`));
    });
    return out;
  }

  private missingBranch(writer: Node, location: Location): AvroIncompatibility {
    const label = describeNode(writer);
    return this.finding('MISSING_UNION_BRANCH', location, `reader union lacking writer type: ${typeName(writer).toUpperCase()}`,
      `The union in the ${this.roles.reader} schema has no branch that can read ${label} written by the ${this.roles.writer} schema.`,
      `add ${label} (or a type it promotes to) to the union`);
  }

  private typeMismatch(reader: Node, writer: Node, location: Location): AvroIncompatibility {
    const promotesTo = Object.entries(PROMOTIONS).filter(([, from]) => from.includes(typeName(writer))).map(([to]) => to);
    return this.finding('TYPE_MISMATCH', location,
      `reader type: ${typeName(reader).toUpperCase()} not compatible with writer type: ${typeName(writer).toUpperCase()}`,
      `The ${this.roles.reader} schema has ${describeNode(reader)} where the ${this.roles.writer} schema has ${describeNode(writer)}, and Avro cannot convert between them.`,
      promotesTo.length > 0
        ? `keep ${describeNode(writer)} or use one it promotes to (${promotesTo.join(', ')}); for another type add a new field with a default`
        : `keep ${describeNode(writer)}; for another type add a new field with a default and stop writing the old one`);
  }

  private finding(rule: AvroRule, location: Location, detail: string, message: string, hint: string): AvroIncompatibility {
    return { rule, path: toPointer(location), message, hint, detail };
  }
}

/** The writer fields a reader field reads: by its name and each of its aliases. */
export function writerFieldsFor(field: FieldNode, writer: RecordNode): FieldNode[] {
  const byName = fieldsByName(writer);
  const direct = byName.get(field.name);
  if (field.aliases.length === 0) return direct ? [direct] : [];
  const hits = new Set<FieldNode>(direct ? [direct] : []);
  for (const alias of field.aliases) {
    const hit = byName.get(alias);
    if (hit) hits.add(hit);
  }
  return [...hits];
}

function typeName(node: Node): string {
  return node.kind === 'primitive' ? node.type : node.kind;
}

function describeNode(node: Node): string {
  if ('fullname' in node) return `${node.kind} '${node.fullname}'`;
  return typeName(node);
}

/** JSON Pointer of a location; the root is `/`. */
export function toPointer(location: Location): string {
  const tokens: string[] = [];
  for (let l = location; l; l = l.up) tokens.unshift(l.token);
  if (tokens.length === 0) return '/';
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
