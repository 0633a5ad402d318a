// The names, docs and fields of an Avro schema, for governance rules.
import type { OutlineField, OutlineType, SchemaOutline } from '../format.js';
import type { AvroNode, FieldNode, NamedNode } from './ast.js';

/** Confluent marks personal data with field tags (`confluent:tags`); a plain `sensitive`/`pii` flag counts too. */
function isMarkedSensitive(field: FieldNode): boolean {
  return field.props.some(([key, value]) => {
    if (key === 'confluent:tags' && Array.isArray(value)) return value.some((t) => /^(pii|sensitive|personal)$/i.test(String(t)));
    return (key === 'sensitive' || key === 'pii') && value === true;
  });
}

const typeLabel = (node: AvroNode): string =>
  node.kind === 'primitive' ? node.type : node.kind === 'ref' ? node.fullname : 'fullname' in node ? node.fullname : node.kind === 'union' ? node.branches.map(typeLabel).join('|') : node.kind;

export function avroOutline(root: AvroNode): SchemaOutline {
  const types: OutlineType[] = [];
  const visit = (node: AvroNode, path: string) => {
    switch (node.kind) {
      case 'array':
        return visit(node.items, `${path}/items`);
      case 'map':
        return visit(node.values, `${path}/values`);
      case 'union':
        return node.branches.forEach((b, i) => visit(b, `${path}/${i}`));
      case 'record':
      case 'enum':
      case 'fixed':
        return named(node, path);
      default:
        return undefined;
    }
  };
  const named = (node: NamedNode, path: string) => {
    const fields: OutlineField[] =
      node.kind === 'record'
        ? node.fields.map((f, i) => ({
            name: f.name,
            path: `${path}/fields/${i}`,
            ...(f.doc !== undefined ? { doc: f.doc } : {}),
            type: typeLabel(f.type),
            sensitive: isMarkedSensitive(f),
          }))
        : [];
    types.push({
      kind: node.kind,
      name: node.name,
      fullName: node.fullname,
      path: path || '/',
      ...(node.doc !== undefined ? { doc: node.doc } : {}),
      fields,
      ...(node.kind === 'enum' ? { symbols: node.symbols } : {}),
    });
    if (node.kind === 'record') node.fields.forEach((f, i) => visit(f.type, `${path}/fields/${i}/type`));
  };
  visit(root, '');
  const event = types.find((t) => t.kind === 'record');
  return { schemaType: 'AVRO', ...(event ? { event } : {}), namespace: event ? event.fullName.slice(0, Math.max(0, event.fullName.lastIndexOf('.'))) : '', types };
}
