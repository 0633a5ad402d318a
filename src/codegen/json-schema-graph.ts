// One JSON Schema version as codegen walks it: the root and its referenced schemas, every `$ref` resolvable to the
// subschema it names (a `$defs`/`definitions` entry, another subject's schema, an `$anchor`, a JSON pointer), and the
// keywords of its draft read one way (draft-04 `id` and boolean exclusive bounds, tuples as `items` arrays or
// `prefixItems`).
import { jsonSchemaDraft, type JsonSchemaDraft, type JsonSchemaSource } from '../../sdk/json.js';

export type Schema = boolean | SchemaObject;
export type SchemaObject = Record<string, unknown>;

/** A subschema and the base URI its relative `$ref`s resolve against. */
export interface SchemaNode {
  schema: Schema;
  base: string;
  /** Where it is: the reference name (or `#` for the root) and the JSON pointer inside that document. */
  document: string;
  pointer: string;
}

/** Base of a root without `$id`; references without a URI of their own resolve against it too. */
const DEFAULT_BASE = 'accord://schema/root.json';

/** Keywords whose value is a schema, an array of schemas, or an object of schemas: the places a walk descends. */
const SINGLE = ['additionalProperties', 'additionalItems', 'unevaluatedProperties', 'unevaluatedItems', 'contains', 'propertyNames', 'not', 'if', 'then', 'else'];
const ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every direct subschema of a schema, with its pointer suffix. */
export function children(schema: Schema): [string, Schema][] {
  if (typeof schema !== 'object' || schema === null) return [];
  const out: [string, Schema][] = [];
  const isSchema = (v: unknown): v is Schema => typeof v === 'boolean' || (typeof v === 'object' && v !== null && !Array.isArray(v));
  for (const key of SINGLE) if (isSchema(schema[key])) out.push([`/${key}`, schema[key]]);
  if (isSchema(schema.items)) out.push(['/items', schema.items]);
  for (const key of [...ARRAYS, ...(Array.isArray(schema.items) ? ['items'] : [])]) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((s, i) => isSchema(s) && out.push([`/${key}/${i}`, s]));
  }
  for (const key of MAPS) {
    const map = schema[key];
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      for (const [name, s] of Object.entries(map)) if (isSchema(s)) out.push([`/${key}/${escapePointer(name)}`, s]);
    }
  }
  const deps = schema.dependencies;
  if (deps && typeof deps === 'object' && !Array.isArray(deps)) {
    for (const [name, s] of Object.entries(deps)) if (isSchema(s)) out.push([`/dependencies/${escapePointer(name)}`, s]);
  }
  return out;
}

const resolveUri = (ref: string, base: string): string => {
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
};
const withoutFragment = (uri: string) => uri.replace(/#.*$/, '');

export class SchemaGraph {
  readonly draft: JsonSchemaDraft;
  readonly root: SchemaNode;
  /** Resources and anchors by absolute URI (`…/order.json`, `…/order.json#street`). */
  private readonly byUri = new Map<string, SchemaNode>();
  /** Base URI of every subschema object, filled by the walk. */
  private readonly bases = new Map<SchemaObject, SchemaNode>();
  /** The reference documents, by name. */
  readonly documents = new Map<string, SchemaNode>();

  constructor(schema: string, references: readonly JsonSchemaSource[] = []) {
    const root = parse(schema, 'the schema');
    this.draft = jsonSchemaDraft(root);
    const rootBase = this.ownId(root) !== undefined ? resolveUri(this.ownId(root)!, DEFAULT_BASE) : DEFAULT_BASE;
    this.root = this.index(root, DEFAULT_BASE, '#');
    for (const ref of references) {
      const doc = parse(ref.schema, `reference ${ref.name}`);
      // Confluent registers a reference under its name as the `$ref` says it (resolved against the root's `$id`).
      const uris = [...new Set([resolveUri(ref.name, DEFAULT_BASE), resolveUri(ref.name, rootBase), ref.name])];
      const node = this.index(doc, uris[0]!, ref.name);
      this.documents.set(ref.name, node);
      for (const uri of uris) if (!this.byUri.has(withoutFragment(uri))) this.byUri.set(withoutFragment(uri), node);
    }
  }

  /** `$id` (`id` in draft-04), when it is a string. */
  ownId(schema: Schema): string | undefined {
    if (typeof schema !== 'object') return undefined;
    const id = this.draft === 'draft-04' ? schema.id : schema.$id;
    return typeof id === 'string' ? id : undefined;
  }

  /** Walks a document, recording each subschema's base URI and registering `$id`s and anchors. */
  private index(schema: Schema, base: string, document: string): SchemaNode {
    const visit = (s: Schema, inherited: string, pointer: string): SchemaNode => {
      let here = inherited;
      if (typeof s === 'object') {
        const id = this.ownId(s);
        if (id !== undefined) {
          const uri = resolveUri(id, inherited);
          if (id.startsWith('#')) this.byUri.set(uri, { schema: s, base: inherited, document, pointer });
          else here = withoutFragment(uri);
        }
      }
      const node: SchemaNode = { schema: s, base: here, document, pointer };
      if (typeof s !== 'object') return node;
      if (here !== inherited || pointer === '') this.byUri.set(here, node);
      for (const key of ['$anchor', '$dynamicAnchor']) if (typeof s[key] === 'string') this.byUri.set(`${here}#${s[key] as string}`, node);
      this.bases.set(s, node);
      for (const [suffix, child] of children(s)) visit(child, here, `${pointer}${suffix}`);
      return node;
    };
    return visit(schema, base, '');
  }

  /** The node of a subschema of `parent` (its base URI recorded by the walk when it is an object). */
  child(schema: Schema, parent: SchemaNode, suffix: string): SchemaNode {
    const known = typeof schema === 'object' ? this.bases.get(schema) : undefined;
    return known ?? { schema, base: parent.base, document: parent.document, pointer: `${parent.pointer}${suffix}` };
  }

  /** The subschema a `$ref` (or `$recursiveRef`, `$dynamicRef`) names, seen from `from`. */
  resolve(ref: string, from: SchemaNode): SchemaNode {
    const uri = resolveUri(ref, from.base);
    const hash = uri.indexOf('#');
    const resource = hash < 0 ? uri : uri.slice(0, hash);
    const fragment = hash < 0 ? '' : decodeURIComponent(uri.slice(hash + 1));
    if (fragment !== '' && !fragment.startsWith('/')) {
      const anchored = this.byUri.get(uri);
      if (anchored) return anchored;
      throw new Error(`$ref ${ref} (at ${from.document}${from.pointer}) names no $anchor or id`);
    }
    const start = this.byUri.get(resource);
    if (!start) throw new Error(`$ref ${ref} (at ${from.document}${from.pointer}) names no schema: give it as a reference of the version`);
    let node = start;
    let current: unknown = start.schema;
    for (const raw of fragment.split('/').slice(1)) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
      if (current === undefined) throw new Error(`$ref ${ref} (at ${from.document}${from.pointer}) points at nothing`);
      const known = typeof current === 'object' && current !== null && !Array.isArray(current) ? this.bases.get(current as SchemaObject) : undefined;
      node = known ?? { schema: current as Schema, base: node.base, document: node.document, pointer: `${node.pointer}/${escapePointer(key)}` };
    }
    if (typeof current !== 'boolean' && (typeof current !== 'object' || current === null || Array.isArray(current))) {
      throw new Error(`$ref ${ref} (at ${from.document}${from.pointer}) points at no schema`);
    }
    return node;
  }

  /**
   * The reference keyword of a schema and what it names, or undefined: `$ref`, else `$recursiveRef` (2019-09: the
   * root, as recursion is almost always used) and `$dynamicRef` (2020-12: the `$dynamicAnchor` of that name, else
   * as `$ref`).
   */
  reference(node: SchemaNode): SchemaNode | undefined {
    const s = node.schema;
    if (typeof s !== 'object') return undefined;
    if (typeof s.$ref === 'string') return this.resolve(s.$ref, node);
    if (typeof s.$recursiveRef === 'string') return this.root;
    if (typeof s.$dynamicRef === 'string') return this.resolve(s.$dynamicRef, node);
    return undefined;
  }

  /** Whether keywords beside `$ref` count: not in drafts 04–07, where `$ref` replaces its whole object. */
  get refSiblingsApply(): boolean {
    return this.draft === '2019-09' || this.draft === '2020-12';
  }

  /** An array schema's positional items and the schema of the rest (undefined: anything), in this draft's keywords. */
  tuple(schema: SchemaObject): { prefix: Schema[]; rest: Schema | undefined } {
    if (this.draft === '2020-12') {
      return { prefix: Array.isArray(schema.prefixItems) ? (schema.prefixItems as Schema[]) : [], rest: schema.items as Schema | undefined };
    }
    if (Array.isArray(schema.items)) return { prefix: schema.items as Schema[], rest: schema.additionalItems as Schema | undefined };
    return { prefix: [], rest: schema.items as Schema | undefined };
  }

  /** Lower and upper numeric bounds, exclusive or not, whatever the draft writes them as. */
  bounds(schema: SchemaObject): { min?: { value: number; exclusive: boolean }; max?: { value: number; exclusive: boolean } } {
    const out: ReturnType<SchemaGraph['bounds']> = {};
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    const pick = (plain: unknown, exclusive: unknown, below: boolean) => {
      const candidates: { value: number; exclusive: boolean }[] = [];
      if (num(plain) !== undefined) candidates.push({ value: num(plain)!, exclusive: exclusive === true });
      if (num(exclusive) !== undefined) candidates.push({ value: num(exclusive)!, exclusive: true });
      // The tighter of the two.
      return candidates.sort((a, b) => (below ? b.value - a.value : a.value - b.value) || (a.exclusive ? -1 : 1))[0];
    };
    const min = pick(schema.minimum, schema.exclusiveMinimum, true);
    const max = pick(schema.maximum, schema.exclusiveMaximum, false);
    if (min) out.min = min;
    if (max) out.max = max;
    return out;
  }
}

function parse(text: string, what: string): Schema {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'boolean' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new Error(`${what} is not a JSON Schema (an object or a boolean)`);
  }
  return value as Schema;
}

/** The JSON types a schema declares, `type` first, else what its keywords imply; undefined: any. */
export function declaredTypes(schema: Schema): Set<string> | undefined {
  if (typeof schema !== 'object') return undefined;
  const raw = schema.type;
  const types = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? (raw.filter((t) => typeof t === 'string') as string[]) : [];
  if (types.length) {
    if (schema.nullable === true) types.push('null');
    return new Set(types);
  }
  const values = 'const' in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
  if (values) return new Set(values.map(jsonType));
  if (['properties', 'required', 'additionalProperties', 'patternProperties'].some((k) => k in schema)) return new Set(['object']);
  if (['items', 'prefixItems'].some((k) => k in schema)) return new Set(['array']);
  return undefined;
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
