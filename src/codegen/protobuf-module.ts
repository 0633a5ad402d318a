// One TypeScript module per Protobuf subject: message types per version, embedded .proto files, the upcaster chain.
import protobuf from 'protobufjs';
import { ProtoTypes, type ProtoSource } from '../../sdk/protobuf.js';
import { protobufFormat, type ProtobufParsed } from '../formats/protobuf/index.js';
import { messageIndexes } from '../formats/protobuf/message-indexes.js';
import { emitEventModule, type GenerateOptions, type GeneratedFile } from './module.js';
import { docComment, literal, propertyKey, typeName, versionTypeName } from './names.js';

export interface ProtobufVersion {
  version: number;
  id: number;
  /** The schema first, then every file it imports through references (name = import path). */
  files: ProtoSource[];
}

export interface ProtobufHistory {
  subject: string;
  versions: ProtobufVersion[];
}

const SCALAR_TS: Record<string, string> = {
  double: 'number', float: 'number', int32: 'number', uint32: 'number', sint32: 'number', fixed32: 'number', sfixed32: 'number',
  int64: 'string', uint64: 'string', sint64: 'string', fixed64: 'string', sfixed64: 'string',
  bool: 'boolean', string: 'string', bytes: 'Uint8Array',
};
const WRAPPER_TS: Record<string, string> = {
  'google.protobuf.DoubleValue': 'number', 'google.protobuf.FloatValue': 'number', 'google.protobuf.Int64Value': 'string',
  'google.protobuf.UInt64Value': 'string', 'google.protobuf.Int32Value': 'number', 'google.protobuf.UInt32Value': 'number',
  'google.protobuf.BoolValue': 'boolean', 'google.protobuf.StringValue': 'string', 'google.protobuf.BytesValue': 'Uint8Array',
};

const fullName = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, '');
const types = new ProtoTypes();

function parseVersion(v: ProtobufVersion): ProtobufParsed {
  const [main, ...refs] = v.files;
  const references = refs.map((r) => ({ name: r.name, subject: r.name, version: 1, schemaType: 'PROTOBUF' as const, schema: r.source }));
  return protobufFormat.parse(main!.source, references, { validate: false, normalize: false, maxDepth: 256 }) as ProtobufParsed;
}

/** The event message: the first message of the schema file. */
function eventMessage(parsed: ProtobufParsed, subject: string) {
  const first = parsed.native.messages[0];
  if (!first) throw new Error(`Subject '${subject}' defines no message`);
  return { fullName: first.fullName, name: first.name, indexes: messageIndexes(parsed.native).get(first.fullName)! };
}

/** Declarations of one version: the event message interface and every message and enum it reaches. */
function declarations(root: protobuf.Type, rootName: string, event: string, version: number): string {
  const names = new Map<string, string>();
  const out: string[] = [];
  const nameOf = (t: protobuf.Type | protobuf.Enum): string => {
    const key = fullName(t);
    let ts = names.get(key);
    if (!ts) {
      const local = key.split('.').filter((p) => /^[A-Z]/.test(p)).join('_') || t.name;
      ts = t === root ? rootName : `${versionTypeName(event, version)}${typeName(local)}`;
      names.set(key, ts);
      emit(t, ts);
    }
    return ts;
  };
  const single = (field: protobuf.Field): string => {
    const resolved = field.resolve().resolvedType;
    if (resolved instanceof protobuf.Enum) return nameOf(resolved);
    if (resolved instanceof protobuf.Type) {
      const key = fullName(resolved);
      if (key === 'google.protobuf.Timestamp') return 'Date';
      if (WRAPPER_TS[key]) return WRAPPER_TS[key]!;
      return nameOf(resolved);
    }
    return SCALAR_TS[field.type] ?? 'unknown';
  };
  const fieldType = (field: protobuf.Field): string => {
    const base = single(field);
    if (field.map) return `Record<string, ${base}>`;
    if (field.repeated) return `${/[|]/.test(base) ? `(${base})` : base}[]`;
    return field.resolvedType instanceof protobuf.Type ? `${base} | null` : base;
  };
  // A type takes its place before the types its fields name: the event first, as a person would order them.
  function emit(t: protobuf.Type | protobuf.Enum, ts: string) {
    const slot = out.push('') - 1;
    const doc = docComment(t.comment ?? undefined);
    if (t instanceof protobuf.Enum) {
      out[slot] = `${doc}export type ${ts} = ${Object.keys(t.values).map((v) => literal(v)).join(' | ')};`;
      return;
    }
    const lines: string[] = [];
    const realOneofs = t.oneofsArray.filter((o) => !o.fieldsArray.every((f) => f.options?.proto3_optional));
    for (const field of t.fieldsArray) {
      const optional = field.partOf !== null && field.partOf !== undefined;
      lines.push(`${docComment(field.comment ?? undefined, '  ')}  ${propertyKey(field.name)}${optional ? '?' : ''}: ${fieldType(field)};`);
    }
    for (const o of realOneofs) {
      lines.push(`  /** Which member of oneof ${o.name} is set. */\n  ${propertyKey(o.name)}?: ${o.fieldsArray.map((f) => literal(f.name)).join(' | ')};`);
    }
    out[slot] = `${doc}export interface ${ts} {\n${lines.join('\n')}\n}`;
  }
  nameOf(root);
  return out.join('\n\n');
}

export function generateProtobufModule(history: ProtobufHistory, options: GenerateOptions): { event: string; files: GeneratedFile[] } {
  const parsed = history.versions.map(parseVersion);
  const messages = parsed.map((p) => eventMessage(p, history.subject));
  const event = typeName(messages.at(-1)!.name);
  const latest = history.versions.at(-1)!;
  const steps = history.versions.slice(1).map((to, i) => {
    const findings = protobufFormat.checkReader(parsed[i + 1]!, parsed[i]!, { reader: `v${to.version}`, writer: `v${history.versions[i]!.version}` });
    return { from: history.versions[i]!.version, to: to.version, reasons: findings.map((f) => f.message) };
  });
  const files = emitEventModule(
    {
      event,
      subject: history.subject,
      versions: history.versions,
      steps,
      define: 'defineProtobufEvent',
      resolvedUpcaster: 'protobufResolvedUpcaster',
      resolvedArguments: (i) => `versions[${i}], versions[${i + 1}]`,
      versionBanner: (i) => `// ---- version ${history.versions[i]!.version} (schema id ${history.versions[i]!.id}, message ${messages[i]!.fullName})`,
      declarations: (i) => declarations(types.type(history.versions[i]!.files, messages[i]!.fullName), versionTypeName(event, history.versions[i]!.version), event, history.versions[i]!.version),
      versionsConstant: [
        '/** Every registered version, oldest first: schema id, event message, its message indexes, the .proto files. */',
        `const versions = [\n${history.versions
          .map(
            (v, i) =>
              `  {\n    version: ${v.version},\n    id: ${v.id},\n    message: ${literal(messages[i]!.fullName)},\n    indexes: [${messages[i]!.indexes.join(', ')}],\n    files: [\n${v.files
                .map((f) => `      { name: ${literal(f.name)}, source: ${literal(f.source)} },`)
                .join('\n')}\n    ],\n  },`,
          )
          .join('\n')}\n] as const;`,
      ].join('\n'),
      encodeDoc: `Encodes ${event} with the latest schema (id ${latest.id}) and its message indexes, in the Confluent wire format.`,
      decodeDoc: `Decodes ${event} bytes written with any version, upcast to the latest.`,
    },
    options,
  );
  return { event, files };
}
