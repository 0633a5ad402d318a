// FileDescriptorProto in and out: Confluent's `format=serialized`, and the base64 schemas its clients register.
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { InvalidSchemaError } from '../format.js';
import type { OptionList, ProtoEnum, ProtoField, ProtoFile, ProtoMessage, Reserved } from './model.js';
import { SCALARS } from './model.js';

const require = createRequire(import.meta.url);
const descriptorRoot = protobuf.Root.fromJSON(require('protobufjs/google/protobuf/descriptor.json') as protobuf.INamespace);
const FileDescriptorProto = descriptorRoot.lookupType('google.protobuf.FileDescriptorProto');

const TYPE_NUMBERS: Record<string, number> = {
  double: 1, float: 2, int64: 3, uint64: 4, int32: 5, fixed64: 6, fixed32: 7, bool: 8, string: 9,
  bytes: 12, uint32: 13, sfixed32: 15, sfixed64: 16, sint32: 17, sint64: 18,
};
const TYPE_MESSAGE = 11;
const TYPE_ENUM = 14;
const LABEL = { optional: 1, required: 2, repeated: 3 } as const;
const MAX_TAG = 536_870_911;

// ---- ProtoFile → FileDescriptorProto

const entryNameOf = (field: string) => `${field.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}Entry`;

// The descriptor types in protobufjs use camelCase field names; .proto text uses snake_case.
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Only options the descriptor types know travel; custom (extension) options are left out of the descriptor. */
function options(list: OptionList): Record<string, unknown> | undefined {
  const known = list.filter(([k]) => !k.startsWith('('));
  return known.length ? Object.fromEntries(known.map(([k, v]) => [camel(k), v])) : undefined;
}

function scalarOrRef(type: string, resolved: string | undefined, kind: ProtoField['resolvedKind']) {
  if (kind === 'scalar' || SCALARS.has(type)) return { type: TYPE_NUMBERS[type] };
  return { type: kind === 'enum' ? TYPE_ENUM : TYPE_MESSAGE, typeName: `.${resolved ?? type.replace(/^\./, '')}` };
}

function reservedRanges(reserved: Reserved[]) {
  return reserved.filter((r): r is [number, number] => typeof r !== 'string').map(([start, end]) => ({ start, end: Math.min(end, MAX_TAG) + 1 }));
}

function messageDescriptor(m: ProtoMessage, syntax: ProtoFile['syntax']): Record<string, unknown> {
  const mapEntries: Record<string, unknown>[] = [];
  const oneofNames = m.oneofs.map((o) => o.name);
  const synthetic: string[] = [];
  const fields = m.fields.map((f) => {
    // Like Confluent's DynamicSchema, a json_name travels only where the schema sets one.
    const base: Record<string, unknown> = { name: f.name, number: f.tag };
    const fieldOptions = options(f.options.filter(([k]) => k !== 'json_name'));
    if (fieldOptions) base.options = fieldOptions;
    const custom = f.options.find(([k]) => k === 'json_name');
    if (custom) base.jsonName = String(custom[1]);
    if (f.keyType !== undefined) {
      const entry = entryNameOf(f.name);
      mapEntries.push({
        name: entry,
        field: [
          { name: 'key', number: 1, label: LABEL.optional, ...scalarOrRef(f.keyType, undefined, 'scalar') },
          { name: 'value', number: 2, label: LABEL.optional, ...scalarOrRef(f.type, f.resolved, f.resolvedKind) },
        ],
        options: { mapEntry: true },
      });
      return { ...base, label: LABEL.repeated, type: TYPE_MESSAGE, typeName: `.${m.fullName}.${entry}` };
    }
    const out: Record<string, unknown> = {
      ...base,
      label: f.label === 'repeated' ? LABEL.repeated : f.label === 'required' ? LABEL.required : LABEL.optional,
      ...scalarOrRef(f.type, f.resolved, f.resolvedKind),
    };
    if (f.oneof !== undefined) out.oneofIndex = oneofNames.indexOf(f.oneof);
    else if (syntax === 'proto3' && f.label === 'optional') {
      // proto3 `optional` is a synthetic oneof, declared after the real ones.
      out.proto3Optional = true;
      out.oneofIndex = oneofNames.length + synthetic.push(`_${f.name}`) - 1;
    }
    return out;
  });
  return {
    name: m.name,
    field: fields,
    nestedType: [...m.messages.map((n) => messageDescriptor(n, syntax)), ...mapEntries],
    enumType: m.enums.map(enumDescriptor),
    oneofDecl: [...oneofNames, ...synthetic].map((name) => ({ name })),
    reservedRange: reservedRanges(m.reserved),
    reservedName: m.reserved.filter((r): r is string => typeof r === 'string'),
    extensionRange: m.extensions.map(([start, end]) => ({ start, end: Math.min(end, MAX_TAG) + 1 })),
    ...(options(m.options) ? { options: options(m.options) } : {}),
  };
}

function enumDescriptor(e: ProtoEnum): Record<string, unknown> {
  return {
    name: e.name,
    value: e.values.map((v) => ({ name: v.name, number: v.number, ...(options(v.options) ? { options: options(v.options) } : {}) })),
    reservedRange: reservedRanges(e.reserved).map((r) => ({ start: r.start, end: r.end - 1 })), // enum ranges are inclusive
    reservedName: e.reserved.filter((r): r is string => typeof r === 'string'),
    ...(options(e.options) ? { options: options(e.options) } : {}),
  };
}

/** The base64 FileDescriptorProto of a file, as `GET /schemas/ids/{id}?format=serialized` answers. */
export function toSerialized(file: ProtoFile, name = 'schema.proto'): string {
  const descriptor = {
    name,
    ...(file.package ? { package: file.package } : {}),
    dependency: file.imports,
    messageType: file.messages.map((m) => messageDescriptor(m, file.syntax)),
    enumType: file.enums.map(enumDescriptor),
    service: file.services.map((s) => ({
      name: s.name,
      method: s.methods.map((m) => ({
        name: m.name,
        inputType: m.requestType,
        outputType: m.responseType,
        ...(m.requestStream ? { clientStreaming: true } : {}),
        ...(m.responseStream ? { serverStreaming: true } : {}),
        ...(options(m.options) ? { options: options(m.options) } : {}),
      })),
      ...(options(s.options) ? { options: options(s.options) } : {}),
    })),
    ...(options(file.options) ? { options: options(file.options) } : {}),
    ...(file.syntax === 'proto3' || file.syntaxDeclared ? { syntax: file.syntax } : {}),
  };
  const message = FileDescriptorProto.fromObject(descriptor);
  return Buffer.from(FileDescriptorProto.encode(message).finish()).toString('base64');
}

// ---- FileDescriptorProto → .proto text

/** A schema sent as base64 rather than .proto text (what Confluent's own serializers register). */
export function looksSerialized(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(t);
}

type Obj = Record<string, any>;
const LABEL_NAMES: Record<string, string> = { LABEL_OPTIONAL: 'optional', LABEL_REQUIRED: 'required', LABEL_REPEATED: 'repeated' };

/**
 * The options Confluent carries from a descriptor, in the order it adds them (ProtobufSchema.toProtoFile, toMessage,
 * toField, toEnum, toService): any other built-in option is left out of the printed schema, as Confluent leaves it out.
 */
const KNOWN_OPTIONS = {
  file: [
    'javaPackage', 'javaOuterClassname', 'javaMultipleFiles', 'javaGenerateEqualsAndHash', 'javaStringCheckUtf8', 'optimizeFor',
    'goPackage', 'ccGenericServices', 'javaGenericServices', 'pyGenericServices', 'phpGenericServices', 'deprecated', 'ccEnableArenas',
    'objcClassPrefix', 'csharpNamespace', 'swiftPrefix', 'phpClassPrefix', 'phpNamespace', 'phpMetadataNamespace', 'rubyPackage',
  ],
  message: ['noStandardDescriptorAccessor', 'deprecated', 'mapEntry'],
  field: ['ctype', 'packed', 'jstype', 'deprecated'],
  enum: ['allowAlias', 'deprecated'],
  enumValue: ['deprecated'],
  service: ['deprecated'],
  method: ['deprecated', 'idempotencyLevel'],
} as const;

function knownOptions(options: Obj | undefined, known: readonly string[]): string[] {
  return known.filter((k) => options?.[k] !== undefined).map((k) => `${snake(k)} = ${literal(options![k])}`);
}

/** Confluent's toReserved/toExtension: one statement per range (end exclusive, or inclusive for enums) and per name. */
function rangeStatements(keyword: string, ranges: Obj[], names: string[], inclusive: boolean): string[] {
  const out = ranges.map((r) => {
    const start = Number(r.start ?? 0);
    const last = Number(r.end ?? 0) - (inclusive ? 0 : 1);
    return `${keyword} ${last === start ? start : `${start} to ${last >= MAX_TAG ? 'max' : last}`};`;
  });
  return [...out, ...names.map((n) => `${keyword} ${JSON.stringify(n)};`)];
}

/**
 * Decodes a base64 FileDescriptorProto and writes it as .proto text, which then parses like any other schema. The
 * text is the ProtoFileElement Confluent builds from a descriptor (ProtobufSchema.toProtoFile), so that printing it
 * gives Confluent's text: no syntax line where the descriptor has none, type names as the descriptor writes them
 * (fully qualified), map fields as the repeated entry messages protoc generates, every `json_name` the descriptor
 * carries, and reserved and extension ranges one statement each.
 */
export function serializedToProto(base64: string): string {
  let fd: Obj;
  try {
    fd = FileDescriptorProto.toObject(FileDescriptorProto.decode(Buffer.from(base64.trim(), 'base64')), {
      enums: String,
      longs: Number,
      defaults: false,
      arrays: true,
    });
  } catch (err) {
    throw new InvalidSchemaError(`Invalid Protobuf schema: neither .proto text nor a base64 FileDescriptorProto (${(err as Error).message})`);
  }
  const proto3 = fd.syntax === 'proto3';
  const lines: string[] = [];
  if (fd.syntax === 'proto2' || proto3) lines.push(`syntax = "${fd.syntax}";`);
  if (fd.package) lines.push(`package ${fd.package};`);
  const publicDeps = new Set<number>((fd.publicDependency as number[] | undefined) ?? []);
  const deps = fd.dependency as string[];
  for (const dep of deps.filter((_, i) => !publicDeps.has(i))) lines.push(`import ${JSON.stringify(dep)};`);
  for (const dep of deps.filter((_, i) => publicDeps.has(i))) lines.push(`import public ${JSON.stringify(dep)};`);
  for (const option of knownOptions(fd.options, KNOWN_OPTIONS.file)) lines.push(`option ${option};`);
  const typeOf = (f: Obj) => (f.typeName ? String(f.typeName) : String(f.type).replace(/^TYPE_/, '').toLowerCase());

  /** toField and label(): proto3 writes no label but `optional` on a proto3 optional; oneof members have none. */
  const fieldLine = (f: Obj, inOneof: boolean) => {
    const opts = knownOptions(f.options, KNOWN_OPTIONS.field);
    if (!proto3 && f.defaultValue !== undefined) {
      const type = typeOf(f);
      const quoted = type === 'string' || type === 'bytes';
      opts.push(`default = ${quoted ? JSON.stringify(f.defaultValue) : String(f.defaultValue)}`);
    }
    if (f.jsonName !== undefined) opts.push(`json_name = ${JSON.stringify(f.jsonName)}`);
    let label = '';
    if (!inOneof) {
      if (f.proto3Optional) label = 'optional ';
      else if (f.label === 'LABEL_REPEATED') label = 'repeated ';
      else if (!proto3) label = `${LABEL_NAMES[f.label] ?? 'optional'} `;
    }
    return `${label}${typeOf(f)} ${f.name} = ${f.number}${opts.length ? ` [${opts.join(', ')}]` : ''};`;
  };

  const message = (m: Obj, depth: number) => {
    const pad = '  '.repeat(depth);
    lines.push(`${pad}message ${m.name} {`);
    for (const option of knownOptions(m.options, KNOWN_OPTIONS.message)) lines.push(`${pad}  option ${option};`);
    for (const r of rangeStatements('reserved', m.reservedRange as Obj[], m.reservedName as string[], false)) lines.push(`${pad}  ${r}`);
    const fields = m.field as Obj[];
    const realOneof = (f: Obj) => f.oneofIndex !== undefined && !f.proto3Optional;
    for (const f of fields.filter((x) => !realOneof(x))) lines.push(`${pad}  ${fieldLine(f, false)}`);
    (m.oneofDecl as Obj[]).forEach((o, i) => {
      const members = fields.filter((f) => realOneof(f) && f.oneofIndex === i);
      if (members.length === 0) return; // synthetic oneofs of proto3 `optional`
      lines.push(`${pad}  oneof ${o.name} {`);
      for (const f of members) lines.push(`${pad}    ${fieldLine(f, true)}`);
      lines.push(`${pad}  }`);
    });
    for (const r of rangeStatements('extensions', m.extensionRange as Obj[], [], false)) lines.push(`${pad}  ${r}`);
    for (const n of m.nestedType as Obj[]) message(n, depth + 1);
    for (const e of m.enumType as Obj[]) enumeration(e, depth + 1);
    lines.push(`${pad}}`);
  };
  const enumeration = (e: Obj, depth: number) => {
    const pad = '  '.repeat(depth);
    lines.push(`${pad}enum ${e.name} {`);
    for (const option of knownOptions(e.options, KNOWN_OPTIONS.enum)) lines.push(`${pad}  option ${option};`);
    for (const r of rangeStatements('reserved', e.reservedRange as Obj[], e.reservedName as string[], true)) lines.push(`${pad}  ${r}`);
    for (const v of e.value as Obj[]) {
      const opts = knownOptions(v.options, KNOWN_OPTIONS.enumValue);
      lines.push(`${pad}  ${v.name} = ${v.number ?? 0}${opts.length ? ` [${opts.join(', ')}]` : ''};`);
    }
    lines.push(`${pad}}`);
  };
  for (const m of fd.messageType as Obj[]) message(m, 0);
  for (const e of fd.enumType as Obj[]) enumeration(e, 0);
  for (const s of fd.service as Obj[]) {
    lines.push(`service ${s.name} {`);
    for (const option of knownOptions(s.options, KNOWN_OPTIONS.service)) lines.push(`  option ${option};`);
    for (const m of s.method as Obj[]) {
      const signature = `  rpc ${m.name}(${m.clientStreaming ? 'stream ' : ''}${m.inputType}) returns (${m.serverStreaming ? 'stream ' : ''}${m.outputType})`;
      const opts = knownOptions(m.options, KNOWN_OPTIONS.method);
      if (opts.length) lines.push(`${signature} {`, ...opts.map((o) => `    option ${o};`), '  }');
      else lines.push(`${signature};`);
    }
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

function literal(v: unknown): string {
  return typeof v === 'string' ? (/^[A-Z][A-Z0-9_]*$/.test(v) ? v : JSON.stringify(v)) : String(v);
}
