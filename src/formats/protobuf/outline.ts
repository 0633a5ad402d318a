// The names, docs and fields of a .proto file, for governance rules.
import type { OutlineType, SchemaOutline } from '../format.js';
import type { ProtoEnum, ProtoField, ProtoFile, ProtoMessage } from './model.js';

/** Confluent tags fields with `[(confluent.field_meta).tags = "PII"]`. */
function isMarkedSensitive(field: ProtoField): boolean {
  return field.options.some(([key, value]) => key.includes('field_meta') && /\b(pii|sensitive|personal)\b/i.test(JSON.stringify(value)));
}

export function protobufOutline(file: ProtoFile): SchemaOutline {
  const types: OutlineType[] = [];
  const enumType = (e: ProtoEnum, path: string) =>
    types.push({ kind: 'enum', name: e.name, fullName: e.fullName, path, ...(e.doc ? { doc: e.doc } : {}), fields: [], symbols: e.values.map((v) => v.name) });
  const message = (m: ProtoMessage, path: string) => {
    types.push({
      kind: 'message',
      name: m.name,
      fullName: m.fullName,
      path,
      ...(m.doc ? { doc: m.doc } : {}),
      fields: m.fields.map((f) => ({
        name: f.name,
        path: `${path}/${f.tag}`,
        ...(f.doc ? { doc: f.doc } : {}),
        type: f.keyType !== undefined ? `map<${f.keyType}, ${f.type}>` : f.type,
        sensitive: isMarkedSensitive(f),
      })),
    });
    m.messages.forEach((n) => message(n, `${path}/${n.name}`));
    m.enums.forEach((e) => enumType(e, `${path}/${e.name}`));
  };
  file.messages.forEach((m) => message(m, `#/${m.name}`));
  file.enums.forEach((e) => enumType(e, `#/${e.name}`));
  const event = types.find((t) => t.kind === 'message');
  return { schemaType: 'PROTOBUF', ...(event ? { event } : {}), namespace: file.package, types };
}
