// .proto text → ProtoFile, with imports resolved from references and the bundled well-known files, validated as protoc would.
import protobuf from 'protobufjs';
import { InvalidSchemaError, type ResolvedReference } from '../format.js';
import { SCALARS, type Label, type MapEntry, type OptionList, type ProtoEnum, type ProtoField, type ProtoFile, type ProtoMessage, type ProtoService, type Reserved } from './model.js';
import { locateParseError } from './parse-errors.js';
import { writtenStatements, type WrittenStatements } from './statements.js';
import { bundledFile } from './well-known.js';
import './linear-fields.js';

const MAIN_FILE = '<schema>';
const MAX_TAG = 536_870_911;

/** protobufjs records the file each definition came from in `filename`, taken from this global while parsing. */
function parseInto(root: protobuf.Root, source: string, filename: string): protobuf.IParserResult {
  const parser = protobuf.parse as unknown as { filename: string | null };
  parser.filename = filename;
  try {
    return protobuf.parse(source, root, { keepCase: true, alternateCommentMode: true });
  } finally {
    parser.filename = null;
  }
}

const fail = (message: string): never => {
  throw new InvalidSchemaError(message);
};

export interface ParsedProto {
  file: ProtoFile;
  root: protobuf.Root;
}

export function parseProto(text: string, references: readonly ResolvedReference[], validate: boolean): ParsedProto {
  const root = new protobuf.Root();
  const referenced = new Map(references.map((r) => [r.name, r]));
  const loaded = new Set<string>();

  const loadImport = (path: string, from: string) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    // A reference comes first, as in Confluent's registry; a bundled file only fills an import nothing references.
    const ref = referenced.get(path);
    if (!ref) {
      const bundled = bundledFile(path);
      if (!bundled) return fail(`Import "${path}" (in ${from}) cannot be resolved: add a reference whose name is "${path}"`);
      try {
        root.addJSON(structuredClone(bundled.nested));
      } catch (err) {
        return fail(`Imported file "${path}": ${(err as Error).message}`);
      }
      for (const name of bundled.types) {
        const added = root.lookup(name);
        if (added) added.filename = path;
      }
      for (const inner of bundled.imports) loadImport(inner, path);
      return;
    }
    if (ref.schemaType !== 'PROTOBUF') fail(`Reference "${path}" is a ${ref.schemaType} schema, not PROTOBUF`);
    let result: protobuf.IParserResult;
    try {
      result = parseInto(root, ref.schema, path);
    } catch (err) {
      const message = (err as Error).message;
      const at = locateParseError(ref.schema, message);
      return fail(`Imported file "${path}": ${at ? `line ${at.line}, column ${at.column}: ${at.reason}` : message}`);
    }
    for (const inner of [...(result.imports ?? []), ...(result.weakImports ?? [])]) loadImport(inner, path);
  };

  let main: protobuf.IParserResult;
  try {
    main = parseInto(root, text, MAIN_FILE);
  } catch (err) {
    const message = (err as Error).message;
    const at = locateParseError(text, message);
    return fail(at ? `Invalid Protobuf schema: line ${at.line}, column ${at.column}: ${at.reason}` : `Invalid Protobuf schema: ${message}`);
  }
  const imports = [...(main.imports ?? []), ...(main.weakImports ?? [])];
  if (validate) {
    const twice = imports.find((path, i) => imports.indexOf(path) !== i);
    if (twice !== undefined) fail(`Import "${twice}" is listed twice; protoc refuses a file that imports the same file twice`);
  }
  for (const path of imports) loadImport(path, 'the schema');
  try {
    root.resolveAll();
  } catch (err) {
    fail(`Invalid Protobuf schema: ${(err as Error).message}`);
  }

  const index = typeIndex(root, referenced);
  const syntaxMatch = /^\s*syntax\s*=\s*["'](proto[23])["']/m.exec(stripComments(text));
  const syntax = (syntaxMatch?.[1] as 'proto2' | 'proto3' | undefined) ?? 'proto2';
  const pkg = main.package ?? '';
  const scope = pkg ? root.lookup(pkg) : root;
  const ownTypes = (scope instanceof protobuf.Namespace ? scope.nestedArray : []).filter((n) => n.filename === MAIN_FILE);
  const written = writtenStatements(text);
  const publicImports = written.publicImports.filter((p) => imports.includes(p));
  const file: ProtoFile = {
    syntax,
    syntaxDeclared: syntaxMatch !== null,
    package: pkg,
    imports,
    ...(publicImports.length ? { publicImports } : {}),
    options: optionList(scope instanceof protobuf.Namespace && pkg ? scope.options : root.options),
    messages: ownTypes.filter((t): t is protobuf.Type => t instanceof protobuf.Type).map((t) => messageOf(t, syntax, index, validate, { written, path: t.name })),
    enums: ownTypes.filter((t): t is protobuf.Enum => t instanceof protobuf.Enum).map((e) => enumOf(e, { written, path: e.name })),
    services: ownTypes.filter((t): t is protobuf.Service => t instanceof protobuf.Service).map((svc) => serviceOf(svc, pkg, index)),
    imported: new Map(
      [...index.reflection]
        .filter(([name]) => index.origins.get(name) !== '')
        .map(([name, type]) => [name, messageOf(type, syntax, index, false)] as const),
    ),
  };
  if (validate) validateFile(file);
  return { file, root };
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

function optionList(options: Record<string, unknown> | undefined): OptionList {
  return Object.entries(options ?? {}).filter(([k]) => k !== 'proto3_optional');
}

const docOf = (r: { comment?: string | null }) => (r.comment ? { doc: r.comment } : {});

const fullNameOf = (r: protobuf.ReflectionObject) => r.fullName.replace(/^\./, '');

/** The label as written: protobufjs keeps only `repeated`/`required`, so `optional` is recovered from the syntax. */
function labelOf(field: protobuf.Field, syntax: 'proto2' | 'proto3'): Label | undefined {
  if (field.options?.proto3_optional) return 'optional';
  if (field.partOf || field instanceof protobuf.MapField) return undefined;
  if (field.rule === 'repeated') return 'repeated';
  if (field.rule === 'required') return 'required';
  // proto2 requires a label on every plain field, so one without repeated/required was written `optional`.
  return syntax === 'proto2' ? 'optional' : undefined;
}

/** Every message and enum by full name, and every scope a name can be looked up in (packages and messages). */
interface TypeIndex {
  types: Map<string, 'message' | 'enum'>;
  scopes: Set<string>;
  /** The file each type comes from: '' for the schema itself, `subject@version` for a reference, the path for built-ins. */
  origins: Map<string, string>;
  reflection: Map<string, protobuf.Type>;
}

function typeIndex(root: protobuf.Root, references: ReadonlyMap<string, ResolvedReference>): TypeIndex {
  const index: TypeIndex = { types: new Map(), scopes: new Set(), origins: new Map(), reflection: new Map() };
  const originOf = (filename: string | null) => {
    if (filename === MAIN_FILE) return '';
    const ref = filename ? references.get(filename) : undefined;
    return ref ? `${ref.subject}@${ref.version}` : `builtin:${filename ?? ''}`;
  };
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const child of ns.nestedArray) {
      const name = fullNameOf(child);
      if (child instanceof protobuf.Type || child instanceof protobuf.Enum) index.origins.set(name, originOf(child.filename));
      if (child instanceof protobuf.Type) {
        index.types.set(name, 'message');
        index.reflection.set(name, child);
      } else if (child instanceof protobuf.Enum) index.types.set(name, 'enum');
      if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) {
        index.scopes.add(name);
        walk(child as protobuf.NamespaceBase);
      }
    }
  };
  walk(root);
  return index;
}

/**
 * protoc's lookup: the first component of a relative name is searched from the innermost scope outward, and once
 * found as a scope the rest must exist under it. (protobufjs also searches nested messages, which protoc never does.)
 */
function resolveName(name: string, scope: string, index: TypeIndex): string | undefined {
  if (name.startsWith('.')) return index.types.has(name.slice(1)) ? name.slice(1) : undefined;
  const [first, ...rest] = name.split('.');
  const parts = scope ? scope.split('.') : [];
  for (let i = parts.length; i >= 0; i--) {
    const prefix = parts.slice(0, i).join('.');
    const head = prefix ? `${prefix}.${first}` : first!;
    if (rest.length === 0) {
      // A simple name must name a type; a package of that name does not stop the search.
      if (index.types.has(head)) return head;
      continue;
    }
    // A compound name commits to the first scope (message or package) whose name matches its first part;
    // an enum cannot hold types, so the search goes on outward past it.
    if (index.scopes.has(head)) {
      const full = `${head}.${rest.join('.')}`;
      return index.types.has(full) ? full : undefined;
    }
  }
  return undefined;
}

function fieldOf(field: protobuf.Field, syntax: 'proto2' | 'proto3', scope: string, index: TypeIndex, validate: boolean): ProtoField {
  let resolvedName: string | undefined;
  let resolvedKind: ProtoField['resolvedKind'] = 'scalar';
  if (!SCALARS.has(field.type)) {
    resolvedName = resolveName(field.type, scope, index);
    if (resolvedName === undefined) {
      if (validate) fail(`Field ${scope}.${field.name}: type '${field.type}' is not defined (as protoc resolves names from ${scope || 'the file'} outward)`);
      // Stored history always loads: fall back to protobufjs' own resolution.
      if (field.resolvedType) resolvedName = fullNameOf(field.resolvedType);
    }
    if (resolvedName !== undefined) resolvedKind = index.types.get(resolvedName) ?? (field.resolvedType instanceof protobuf.Enum ? 'enum' : 'message');
  }
  const resolved = resolvedName;
  const oneof = field.partOf && !field.options?.proto3_optional ? field.partOf.name : undefined;
  const label = labelOf(field, syntax);
  return {
    name: field.name,
    tag: field.id,
    type: field.type,
    ...(field instanceof protobuf.MapField ? { keyType: field.keyType } : {}),
    ...(label ? { label } : {}),
    ...(oneof ? { oneof } : {}),
    ...(resolved ? { resolved, origin: index.origins.get(resolved) ?? '' } : {}),
    resolvedKind,
    options: optionList(field.options),
    ...docOf(field),
  };
}

function reservedOf(reserved: (number[] | string)[] | undefined): Reserved[] {
  return (reserved ?? []).map((r) => (typeof r === 'string' ? r : [r[0]!, r[1]!]));
}

/** Where a type of the schema itself sits, to find its statements as written. */
interface WrittenAt {
  written: WrittenStatements;
  path: string;
}

function messageOf(type: protobuf.Type, syntax: 'proto2' | 'proto3', index: TypeIndex, validate: boolean, at?: WrittenAt): ProtoMessage {
  const nestedAt = (name: string) => (at ? { written: at.written, path: `${at.path}.${name}` } : undefined);
  const reservedStatements = at?.written.reserved.get(at.path);
  const extensionStatements = at?.written.extensions.get(at.path);
  // protobufjs lists map entries and proto3 `optional` as synthetic oneofs; only declared oneofs count.
  const oneofs = type.oneofsArray.filter((o) => !o.fieldsArray.every((f) => f.options?.proto3_optional));
  const nested = type.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type).map((t) => messageOf(t, syntax, index, validate, nestedAt(t.name)));
  const { fields, messages, mapEntries } = withMapsFromEntries(
    fieldsInDeclarationOrder(type).map((f) => fieldOf(f, syntax, fullNameOf(type), index, validate)),
    nested,
  );
  return {
    name: type.name,
    fullName: fullNameOf(type),
    ...docOf(type),
    fields,
    oneofs: oneofs.map((o) => ({ name: o.name, options: optionList(o.options) })),
    messages,
    ...(mapEntries.length ? { mapEntries } : {}),
    enums: type.nestedArray.filter((n): n is protobuf.Enum => n instanceof protobuf.Enum).map((e) => enumOf(e, nestedAt(e.name))),
    reserved: reservedOf(type.reserved),
    ...(reservedStatements ? { reservedStatements } : {}),
    extensions: (type.extensions ?? []).map((r) => [r[0]!, r[1]!] as [number, number]),
    ...(extensionStatements ? { extensionStatements } : {}),
    options: optionList(type.options),
  };
}

/**
 * A descriptor writes a map as a repeated field of a nested entry message (option map_entry = true, key = 1, value = 2),
 * and Confluent prints it so; yet it is a map to compare, to index messages by and to generate code from (Confluent's
 * diff sees such a message as a map too). The field becomes the map and the entry is set aside for the printer.
 */
function withMapsFromEntries(fields: ProtoField[], messages: ProtoMessage[]): { fields: ProtoField[]; messages: ProtoMessage[]; mapEntries: MapEntry[] } {
  const isEntry = (m: ProtoMessage) =>
    m.options.some(([k, v]) => k === 'map_entry' && v === true) &&
    m.fields.length === 2 && m.fields[0]!.name === 'key' && m.fields[0]!.tag === 1 && m.fields[1]!.name === 'value' && m.fields[1]!.tag === 2;
  const entries = new Map(messages.filter(isEntry).map((m) => [m.fullName, m]));
  if (entries.size === 0) return { fields, messages, mapEntries: [] };
  const used = new Set<string>();
  const converted = fields.map((f) => {
    const entry = f.label === 'repeated' && f.resolved !== undefined ? entries.get(f.resolved) : undefined;
    if (!entry) return f;
    used.add(entry.fullName);
    const [key, value] = entry.fields as [ProtoField, ProtoField];
    const { label: _label, resolved: _resolved, origin: _origin, ...rest } = f;
    return {
      ...rest,
      type: value.type,
      keyType: key.type,
      resolvedKind: value.resolvedKind,
      ...(value.resolved !== undefined ? { resolved: value.resolved, origin: value.origin ?? '' } : {}),
      entryType: f.type,
    };
  });
  const mapEntries: MapEntry[] = [];
  const kept: ProtoMessage[] = [];
  messages.forEach((m, position) => (used.has(m.fullName) ? mapEntries.push({ position, message: m }) : kept.push(m)));
  return { fields: converted, messages: kept, mapEntries };
}

/** protobufjs adds a oneof's members after the plain fields; the source order is the order fields were added. */
function fieldsInDeclarationOrder(type: protobuf.Type): protobuf.Field[] {
  return Object.values(type.fields);
}

function enumOf(e: protobuf.Enum, at?: WrittenAt): ProtoEnum {
  const reservedStatements = at?.written.reserved.get(at.path);
  return {
    name: e.name,
    fullName: fullNameOf(e),
    ...docOf(e),
    values: Object.entries(e.values).map(([name, number]) => ({
      name,
      number,
      options: optionList((e.valuesOptions?.[name] ?? {}) as Record<string, unknown>),
    })),
    reserved: reservedOf(e.reserved),
    ...(reservedStatements ? { reservedStatements } : {}),
    options: optionList(e.options),
  };
}

function serviceOf(s: protobuf.Service, scope: string, index: TypeIndex): ProtoService {
  const resolvedAs = (key: 'requestResolved' | 'responseResolved', type: string) => {
    const resolved = resolveName(type, scope, index);
    return resolved === undefined ? {} : { [key]: resolved };
  };
  return {
    name: s.name,
    methods: s.methodsArray.map((m) => ({
      name: m.name,
      requestType: m.requestType,
      responseType: m.responseType,
      ...resolvedAs('requestResolved', m.requestType),
      ...resolvedAs('responseResolved', m.responseType),
      requestStream: Boolean(m.requestStream),
      responseStream: Boolean(m.responseStream),
      options: optionList(m.options),
    })),
    options: optionList(s.options),
  };
}

/** What protoc rejects and protobufjs lets through. */
function validateFile(file: ProtoFile): void {
  const visitEnum = (e: ProtoEnum) => {
    if (file.syntax === 'proto3' && e.values[0]?.number !== 0) {
      fail(`Enum ${e.fullName}: the first value must be zero in proto3 (found ${e.values[0]?.name ?? 'no value'})`);
    }
    if (e.options.some(([k, v]) => k === 'allow_alias' && v === true)) return;
    const seen = new Map<number, string>();
    for (const v of e.values) {
      const other = seen.get(v.number);
      if (other) fail(`Enum ${e.fullName}: ${v.name} and ${other} share the number ${v.number} (set option allow_alias = true to allow it)`);
      seen.set(v.number, v.name);
    }
  };
  /** Enum values live in the scope enclosing their enum (C++ rules): two enums of one scope cannot share a value name. */
  const siblingValues = (enums: ProtoEnum[], scope: string) => {
    const owner = new Map<string, string>();
    for (const e of enums) {
      for (const v of e.values) {
        const other = owner.get(v.name);
        if (other && other !== e.name) fail(`Enum value ${v.name} is declared by both ${other} and ${e.name} in ${scope || 'the file'}; enum values share their enclosing scope`);
        owner.set(v.name, e.name);
      }
    }
  };
  siblingValues(file.enums, file.package);
  const visit = (m: ProtoMessage) => {
    siblingValues(m.enums, m.fullName);
    for (const f of m.fields) {
      if (f.tag < 1 || f.tag > MAX_TAG) fail(`Field ${m.fullName}.${f.name}: number ${f.tag} is outside 1 to ${MAX_TAG}`);
      if (f.tag >= 19000 && f.tag <= 19999) fail(`Field ${m.fullName}.${f.name}: numbers 19000 to 19999 are reserved for the Protobuf implementation`);
    }
    m.enums.forEach(visitEnum);
    m.messages.forEach(visit);
  };
  file.messages.forEach(visit);
  file.enums.forEach(visitEnum);
}
