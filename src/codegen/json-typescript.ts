// TypeScript declarations of one JSON Schema version: the event type, and a named type for every subschema a `$ref`
// names (`$defs`/`definitions` entries, other subjects' schemas), since those may recurse; everything else inline.
// The types describe what the schema declares: an object without `additionalProperties` gets no index signature
// (undeclared keys are allowed on the wire but not typed), one with `additionalProperties: true` or a schema does.
import { declaredTypes, type Schema, type SchemaGraph, type SchemaNode, type SchemaObject } from './json-schema-graph.js';
import { docComment, literal, propertyKey, typeName, versionTypeName } from './names.js';

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** A type that needs parentheses inside an array or intersection. */
const wrap = (t: string) => (/^[A-Za-z0-9_.]+$/.test(t) || /^'[^']*'$/.test(t) || /^\{[\s\S]*\}$/.test(t) && !/\}\s*[|&]/.test(t) ? t : `(${t})`);

function union(members: string[]): string {
  const unique = [...new Set(members)].filter((m) => m !== 'never');
  if (unique.includes('unknown')) return 'unknown';
  if (unique.length === 0) return 'never';
  return unique.join(' | ');
}

function intersection(members: string[]): string {
  const unique = [...new Set(members)].filter((m) => m !== 'unknown');
  if (unique.includes('never')) return 'never';
  if (unique.length === 0) return 'unknown';
  return unique.length === 1 ? unique[0]! : unique.map(wrap).join(' & ');
}

/** The literal type of a JSON value (`const`, `enum` members). */
function literalType(value: unknown, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return literal(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literalType(v, indent)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return 'Record<string, never>';
  return `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${literalType(v, indent)}`).join('; ')} }`;
}

/** What a property's doc comment says: its description (or title), default, deprecation. */
function describe(schema: Schema): string | undefined {
  if (typeof schema !== 'object') return undefined;
  const parts: string[] = [];
  const text = typeof schema.description === 'string' ? schema.description : typeof schema.title === 'string' ? schema.title : undefined;
  if (text) parts.push(text);
  if ('default' in schema) parts.push(`Default: \`${JSON.stringify(schema.default)}\`.`);
  if (schema.deprecated === true) parts.push('@deprecated');
  return parts.length ? parts.join('\n') : undefined;
}

/** A schema that is just an object shape: declared as an interface. */
function isPlainObject(schema: Schema): schema is SchemaObject {
  if (typeof schema !== 'object') return false;
  const types = declaredTypes(schema);
  if (!types || types.size !== 1 || !types.has('object')) return false;
  if (['const', 'enum', '$ref', '$recursiveRef', '$dynamicRef'].some((k) => k in schema)) return false;
  return !['allOf', 'anyOf', 'oneOf'].some((k) => Array.isArray(schema[k]));
}

export class JsonTypeEmitter {
  private readonly names = new Map<SchemaObject, string>();
  private readonly used = new Set<string>();
  private readonly out: string[] = [];

  constructor(
    private readonly graph: SchemaGraph,
    private readonly event: string,
    private readonly version: number,
  ) {}

  /** Every declaration of the version, the event type (`rootName`) first. */
  declarations(rootName: string): string {
    const root = this.graph.root;
    if (typeof root.schema === 'object') this.nameOf(root, rootName);
    else this.out.push(`export type ${rootName} = ${root.schema ? 'unknown' : 'never'};`);
    return this.out.join('\n\n');
  }

  /** The name of a named subschema, declaring it on first use. */
  private nameOf(node: SchemaNode, fixed?: string): string {
    const schema = node.schema as SchemaObject;
    let name = this.names.get(schema);
    if (name) return name;
    name = fixed ?? this.unique(`${versionTypeName(this.event, this.version)}${typeName(this.localName(node))}`);
    this.names.set(schema, name);
    this.used.add(name);
    const slot = this.out.push('') - 1;
    const doc = docComment(describe(schema));
    this.out[slot] = isPlainObject(schema)
      ? `${doc}export interface ${name} ${this.objectType(node, '')}`
      : `${doc}export type ${name} = ${this.typeOf(node, '', true)};`;
    return name;
  }

  private unique(name: string): string {
    let candidate = name;
    for (let i = 2; this.used.has(candidate); i++) candidate = `${name}${i}`;
    return candidate;
  }

  /** A named subschema's own name: a definition's key, a referenced schema's title or file name, else its title. */
  private localName(node: SchemaNode): string {
    const schema = node.schema as SchemaObject;
    const segments = node.pointer.split('/');
    const parent = segments.at(-2);
    if (parent === '$defs' || parent === 'definitions') return segments.at(-1)!.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof schema.title === 'string' && schema.title.trim()) return schema.title;
    if (node.pointer === '' && node.document !== '#') return node.document.replace(/[#?].*$/, '').replace(/^.*\//, '').replace(/\.[A-Za-z]+$/, '');
    return segments.at(-1) || 'Type';
  }

  /** The type of a subschema; `own` for a named one being declared (not its name again). */
  private typeOf(node: SchemaNode, indent: string, own = false): string {
    const schema = node.schema;
    if (schema === true) return 'unknown';
    if (schema === false) return 'never';
    if (!own && this.names.has(schema)) return this.names.get(schema)!;
    const target = this.graph.reference(node);
    if (target) {
      const named = typeof target.schema === 'object' ? this.nameOf(target) : target.schema ? 'unknown' : 'never';
      if (!this.graph.refSiblingsApply) return named;
      return intersection([named, this.ownType(node, indent)]);
    }
    return this.ownType(node, indent);
  }

  private ownType(node: SchemaNode, indent: string): string {
    const schema = node.schema as SchemaObject;
    const parts: string[] = [];
    if ('const' in schema) parts.push(literalType(schema.const, indent));
    else if (Array.isArray(schema.enum)) parts.push(union(schema.enum.map((v) => literalType(v, indent))));
    else {
      const types = declaredTypes(schema);
      if (types) parts.push(union([...types].map((t) => this.typeOfType(t, node, indent))));
    }
    for (const key of ['anyOf', 'oneOf']) {
      const branches = schema[key];
      if (Array.isArray(branches)) {
        parts.push(union(branches.map((b, i) => this.typeOf(this.graph.child(b as Schema, node, `/${key}/${i}`), indent))));
      }
    }
    if (Array.isArray(schema.allOf)) {
      parts.push(...schema.allOf.map((b, i) => this.typeOf(this.graph.child(b as Schema, node, `/allOf/${i}`), indent)));
    }
    return intersection(parts);
  }

  private typeOfType(type: string, node: SchemaNode, indent: string): string {
    switch (type) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'object':
        return this.objectType(node, indent);
      case 'array':
        return this.arrayType(node, indent);
      default:
        return 'unknown';
    }
  }

  private objectType(node: SchemaNode, indent: string): string {
    const schema = node.schema as SchemaObject;
    const inner = `${indent}  `;
    const properties = schema.properties && typeof schema.properties === 'object' ? (schema.properties as Record<string, Schema>) : {};
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const lines: string[] = [];
    const propertyTypes: string[] = [];
    let optional = false;
    for (const [key, child] of Object.entries(properties)) {
      const t = this.typeOf(this.graph.child(child, node, `/properties/${escapePointer(key)}`), inner);
      const isOptional = !required.has(key);
      optional ||= isOptional;
      propertyTypes.push(t);
      lines.push(`${docComment(describe(child), inner)}${inner}${propertyKey(key)}${isOptional ? '?' : ''}: ${t};`);
    }
    const additional = schema.additionalProperties as Schema | undefined;
    const additionalType = additional === undefined ? 'unknown' : this.typeOf(this.graph.child(additional, node, '/additionalProperties'), inner);
    for (const key of required) {
      if (key in properties) continue;
      propertyTypes.push(additionalType);
      lines.push(`${inner}${propertyKey(key)}: ${additionalType};`);
    }
    const patterns = schema.patternProperties && typeof schema.patternProperties === 'object' ? Object.entries(schema.patternProperties as Record<string, Schema>) : [];
    const patternTypes = patterns.map(([p, s]) => this.typeOf(this.graph.child(s, node, `/patternProperties/${escapePointer(p)}`), inner));
    let index: string | undefined;
    if (additional === false || (additional === undefined && schema.unevaluatedProperties === false)) {
      if (patterns.length) index = union(patternTypes);
    } else if (additional !== undefined || patterns.length || lines.length === 0) {
      index = additional === undefined ? 'unknown' : additionalType;
    }
    if (index !== undefined) {
      // Every declared property must fit the index signature: it widens to their types.
      const members = index === 'unknown' ? ['unknown'] : [index, ...patternTypes, ...propertyTypes, ...(optional ? ['undefined'] : [])];
      lines.push(`${inner}[key: string]: ${union(members)};`);
    }
    return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : 'Record<string, never>';
  }

  private arrayType(node: SchemaNode, indent: string): string {
    const schema = node.schema as SchemaObject;
    const { prefix, rest } = this.graph.tuple(schema);
    const restKey = this.graph.draft === '2020-12' || !Array.isArray(schema.items) ? '/items' : '/additionalItems';
    const restType = rest === undefined ? 'unknown' : this.typeOf(this.graph.child(rest, node, restKey), indent);
    if (prefix.length === 0) return `${wrap(restType)}[]`;
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const prefixKey = this.graph.draft === '2020-12' ? 'prefixItems' : 'items';
    const elements = prefix.map((p, i) => i >= min ? `${wrap(this.typeOf(this.graph.child(p, node, `/${prefixKey}/${i}`), indent))}?` : this.typeOf(this.graph.child(p, node, `/${prefixKey}/${i}`), indent));
    if (rest !== false) elements.push(`...${wrap(restType)}[]`);
    return `[${elements.join(', ')}]`;
  }
}

/** The declarations of one version, its event type named `rootName`. */
export function jsonDeclarations(graph: SchemaGraph, rootName: string, event: string, version: number): string {
  return new JsonTypeEmitter(graph, event, version).declarations(rootName);
}
