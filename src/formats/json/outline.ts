// The names, docs and fields of a JSON Schema, for governance rules: the event is the root object schema (named by
// its `title`, else the last segment of its `$id`), each `properties` entry a field, `description` the docs.
import type { OutlineField, OutlineType, SchemaOutline } from '../format.js';
import { escapePointer, member, type JsonNode } from './text.js';

/** Confluent's JSON Schema tags (`confluent:tags`: ["PII"]) or a plain `sensitive`/`pii` flag mark personal data. */
function isMarkedSensitive(schema: JsonNode): boolean {
  const tags = member(schema, 'confluent:tags');
  if (tags?.type === 'array' && tags.items.some((t) => t.type === 'string' && /^(pii|sensitive|personal)$/i.test(t.value))) return true;
  return ['sensitive', 'pii', 'x-pii', 'x-sensitive'].some((k) => member(schema, k)?.type === 'boolean' && (member(schema, k) as { value: boolean }).value);
}

const text = (node: JsonNode | undefined, key: string): string | undefined => {
  const v = member(node, key);
  return v?.type === 'string' ? v.value : undefined;
};

function typeLabel(schema: JsonNode): string {
  const ref = text(schema, '$ref');
  if (ref !== undefined) return ref;
  const type = member(schema, 'type');
  if (type?.type === 'string') return type.value;
  if (type?.type === 'array') return type.items.map((t) => (t.type === 'string' ? t.value : '?')).join('|');
  if (member(schema, 'enum')) return 'enum';
  for (const k of ['oneOf', 'anyOf', 'allOf']) if (member(schema, k)) return k;
  return schema.type === 'boolean' ? String(schema.value) : 'any';
}

/** The name a schema object goes by: its title, else the file name its `$id` ends with. */
function nameOf(schema: JsonNode, fallback: string): { name: string; fullName: string } {
  const title = text(schema, 'title');
  const id = text(schema, '$id') ?? text(schema, 'id');
  const fromId = id?.replace(/#.*$/, '').split('/').pop()?.replace(/\.(schema\.)?json$/, '');
  const name = title ?? (fromId || fallback);
  // Confluent's record naming strategies name a JSON Schema subject after its title.
  return { name, fullName: name };
}

export function jsonOutline(root: JsonNode): SchemaOutline {
  const types: OutlineType[] = [];
  const visit = (schema: JsonNode, path: string, fallback: string, depth: number) => {
    if (schema.type !== 'object' || depth > 64) return;
    const props = member(schema, 'properties');
    const symbols = member(schema, 'enum');
    const { name, fullName } = nameOf(schema, fallback);
    const doc = text(schema, 'description');
    if (props?.type === 'object') {
      const fields: OutlineField[] = props.entries.map(([field, s]) => {
        const fieldDoc = text(s, 'description');
        return { name: field, path: `${path}/properties/${escapePointer(field)}`, ...(fieldDoc !== undefined ? { doc: fieldDoc } : {}), type: typeLabel(s), sensitive: isMarkedSensitive(s) };
      });
      types.push({ kind: 'record', name, fullName, path: path || '/', ...(doc !== undefined ? { doc } : {}), fields });
      for (const [field, s] of props.entries) visit(s, `${path}/properties/${escapePointer(field)}`, field, depth + 1);
    } else if (symbols?.type === 'array' && (title(schema) || path.includes('/definitions/') || path.includes('/$defs/'))) {
      types.push({
        kind: 'enum',
        name,
        fullName,
        path: path || '/',
        ...(doc !== undefined ? { doc } : {}),
        fields: [],
        symbols: symbols.items.map((s) => (s.type === 'string' ? s.value : JSON.stringify(s))),
      });
    }
    const items = member(schema, 'items');
    if (items) visit(items, `${path}/items`, fallback, depth + 1);
    for (const k of ['definitions', '$defs']) {
      const defs = member(schema, k);
      if (defs?.type === 'object') for (const [n, s] of defs.entries) visit(s, `${path}/${k}/${escapePointer(n)}`, n, depth + 1);
    }
  };
  visit(root, '', 'Event', 0);
  const event = types.find((t) => t.kind === 'record' && t.path === '/');
  return { schemaType: 'JSON', ...(event ? { event } : {}), namespace: '', types };
}

const title = (schema: JsonNode) => text(schema, 'title') !== undefined;
