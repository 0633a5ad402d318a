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

/** protoc's default json_name: lowerCamelCase of the field name. */
const jsonNameOf = (name: string) => name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
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
    const base: Record<string, unknown> = { name: f.name, number: f.tag, jsonName: jsonNameOf(f.name) };
    const fieldOptions = options(f.options.filter(([k]) => k !== 'json_name'));
    if (fieldOptions) base.options = fieldOptions;
    const custom = f.options.find(([k]) => k === 'json_name');
    if (custom) base.jsonName = String(custom[1]);
    if (f.keyType !== undefined) {
      const entry = entryNameOf(f.name);
      mapEntries.push({
        name: entry,
        field: [
          { name: 'key', number: 1, label: LABEL.optional, jsonName: 'key', ...scalarOrRef(f.keyType, undefined, 'scalar') },
          { name: 'value', number: 2, label: LABEL.optional, jsonName: 'value', ...scalarOrRef(f.type, f.resolved, f.resolvedKind) },
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
      })),
    })),
    ...(options(file.options) ? { options: options(file.options) } : {}),
    ...(file.syntax === 'proto3' ? { syntax: 'proto3' } : {}),
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

/** Decodes a base64 FileDescriptorProto and writes it as .proto text, which then parses like any other schema. */
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
  const syntax = fd.syntax === 'proto3' ? 'proto3' : 'proto2';
  const lines: string[] = [`syntax = "${syntax}";`];
  if (fd.package) lines.push(`package ${fd.package};`);
  for (const dep of fd.dependency as string[]) lines.push(`import ${JSON.stringify(dep)};`);
  for (const [k, v] of optionEntries(fd.options)) lines.push(`option ${snake(k)} = ${literal(v)};`);
  const typeOf = (f: Obj) => (f.typeName ? String(f.typeName) : String(f.type).replace(/^TYPE_/, '').toLowerCase());

  const message = (m: Obj, depth: number) => {
    const pad = '  '.repeat(depth);
    lines.push(`${pad}message ${m.name} {`);
    const entries = new Map<string, Obj>(
      (m.nestedType as Obj[]).filter((n) => n.options?.mapEntry).map((n) => [n.name as string, n]),
    );
    const oneofs = (m.oneofDecl as Obj[]).map((o) => o.name as string);
    const fieldLine = (f: Obj, inOneof: boolean) => {
      const entryName = f.typeName ? String(f.typeName).split('.').pop()! : '';
      const entry = f.label === 'LABEL_REPEATED' && entries.get(entryName);
      const opts: string[] = [];
      if (f.jsonName && f.jsonName !== jsonNameOf(f.name)) opts.push(`json_name = ${JSON.stringify(f.jsonName)}`);
      for (const [k, v] of optionEntries(f.options)) opts.push(`${snake(k)} = ${literal(v)}`);
      const suffix = `${f.name} = ${f.number}${opts.length ? ` [${opts.join(', ')}]` : ''};`;
      if (entry) {
        const [key, value] = entry.field as Obj[];
        return `map<${typeOf(key!)}, ${typeOf(value!)}> ${suffix}`;
      }
      const label = inOneof ? '' : f.proto3Optional ? 'optional ' : syntax === 'proto3' && f.label === 'LABEL_OPTIONAL' ? '' : `${LABEL_NAMES[f.label] ?? 'optional'} `;
      return `${label}${typeOf(f)} ${suffix}`;
    };
    const fields = m.field as Obj[];
    const realOneof = (f: Obj) => f.oneofIndex !== undefined && !f.proto3Optional;
    for (const f of fields.filter((x) => !realOneof(x))) lines.push(`${pad}  ${fieldLine(f, false)}`);
    oneofs.forEach((name, i) => {
      const members = fields.filter((f) => realOneof(f) && f.oneofIndex === i);
      if (members.length === 0) return; // synthetic oneofs of proto3 `optional`
      lines.push(`${pad}  oneof ${name} {`);
      for (const f of members) lines.push(`${pad}    ${fieldLine(f, true)}`);
      lines.push(`${pad}  }`);
    });
    const ranges = (m.reservedRange as Obj[]).map((r) => (r.end - 1 === r.start ? `${r.start}` : `${r.start} to ${r.end - 1 >= MAX_TAG ? 'max' : r.end - 1}`));
    if (ranges.length) lines.push(`${pad}  reserved ${ranges.join(', ')};`);
    if ((m.reservedName as string[]).length) lines.push(`${pad}  reserved ${(m.reservedName as string[]).map((n) => JSON.stringify(n)).join(', ')};`);
    for (const n of (m.nestedType as Obj[]).filter((x) => !x.options?.mapEntry)) message(n, depth + 1);
    for (const e of m.enumType as Obj[]) enumeration(e, depth + 1);
    lines.push(`${pad}}`);
  };
  const enumeration = (e: Obj, depth: number) => {
    const pad = '  '.repeat(depth);
    lines.push(`${pad}enum ${e.name} {`);
    for (const [k, v] of optionEntries(e.options)) lines.push(`${pad}  option ${snake(k)} = ${literal(v)};`);
    for (const v of e.value as Obj[]) lines.push(`${pad}  ${v.name} = ${v.number ?? 0};`);
    lines.push(`${pad}}`);
  };
  for (const m of fd.messageType as Obj[]) message(m, 0);
  for (const e of fd.enumType as Obj[]) enumeration(e, 0);
  for (const s of fd.service as Obj[]) {
    lines.push(`service ${s.name} {`);
    for (const m of s.method as Obj[]) {
      lines.push(`  rpc ${m.name}(${m.clientStreaming ? 'stream ' : ''}${m.inputType}) returns (${m.serverStreaming ? 'stream ' : ''}${m.outputType});`);
    }
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

/** Options set on a decoded descriptor, skipping the parser's leftovers. */
function optionEntries(options: Obj | undefined): [string, unknown][] {
  return Object.entries(options ?? {}).filter(([k, v]) => k !== 'uninterpretedOption' && k !== 'features' && !(Array.isArray(v) && v.length === 0));
}

function literal(v: unknown): string {
  return typeof v === 'string' ? (/^[A-Z][A-Z0-9_]*$/.test(v) ? v : JSON.stringify(v)) : String(v);
}
