// A JSON Schema loaded into the object model Confluent's checker works on (Everit's): one node per schema kind, a
// schema mixing keywords of several kinds becoming a synthetic allOf of its parts, a type array a synthetic anyOf,
// and every draft mapped onto the same slots (2019-09/2020-12 keywords onto their draft-7 counterparts).
import { InvalidSchemaError } from '../format.js';
import type { Draft } from './drafts.js';
import { atPointer, escapePointer, member, printJson, type JsonNode } from './text.js';

export interface Meta {
  id?: string;
  title?: string;
  description?: string;
  /** The default's canonical text; `defaultIsValue` false for an object/array default (Confluent compares those by identity). */
  default?: string;
  defaultIsValue?: boolean;
  /** `"connect.type": "bytes"`: Kafka Connect's decimal encoding, exempt from type changes. */
  connectBytes?: boolean;
}

/** Whether more properties/items than those listed are allowed, and the schema they must match. */
export interface Extra {
  permits: boolean;
  schema?: SchemaNode;
}

interface Common {
  /** JSON pointer of the schema in its document. */
  pointer: string;
  /** '' for the schema itself, else the name of the reference the node comes from. */
  document: string;
  meta: Meta;
  /** The schema object (or boolean) the node was built from. */
  json: JsonNode;
}

export type SchemaNode = Common &
  (
    | { kind: 'empty' | 'true' | 'false' | 'boolean' | 'null' | 'conditional' }
    | { kind: 'string'; maxLength?: number; minLength?: number; pattern?: string }
    | {
        kind: 'number';
        integer: boolean;
        maximum?: number;
        minimum?: number;
        exclusiveMaximum?: number;
        exclusiveMinimum?: number;
        /** Exact decimal text, compared as BigDecimal. */
        multipleOf?: string;
      }
    | { kind: 'enum'; values: string[] }
    | { kind: 'const'; value: string }
    | { kind: 'combined'; criterion: Criterion; subschemas: SchemaNode[]; synthetic: boolean }
    | { kind: 'not'; target: SchemaNode }
    | {
        kind: 'object';
        properties: Map<string, SchemaNode>;
        required: string[];
        propertyDependencies: Map<string, string[]>;
        schemaDependencies: Map<string, SchemaNode>;
        additional: Extra;
        unevaluated?: Extra;
        patterns: { source: string; regex: RegExp; schema: SchemaNode }[];
        maxProperties?: number;
        minProperties?: number;
      }
    | {
        kind: 'array';
        items?: SchemaNode;
        tuple?: SchemaNode[];
        additional: Extra;
        unevaluated?: Extra;
        maxItems?: number;
        minItems?: number;
        uniqueItems: boolean;
        maxContains?: number;
        minContains?: number;
      }
    | { kind: 'ref'; ref: string; target?: SchemaNode }
  );

export type Criterion = 'allOf' | 'anyOf' | 'oneOf';
export type NodeOf<K extends SchemaNode['kind']> = Extract<SchemaNode, { kind: K }>;

/** A referenced schema as the loader needs it: its reference name and parsed text. */
export interface LoadedReference {
  name: string;
  json: JsonNode;
  draft: Draft;
}

const ARRAY_KEYWORDS = ['items', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'prefixItems', 'unevaluatedItems', 'minContains', 'maxContains'];
const OBJECT_KEYWORDS = [
  'properties', 'required', 'minProperties', 'maxProperties', 'dependencies', 'patternProperties', 'additionalProperties',
  'propertyNames', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties',
];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'multipleOf', 'exclusiveMinimum', 'exclusiveMaximum'];
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format'];
const LATER_DRAFT = new Set(['prefixItems', 'unevaluatedItems', 'minContains', 'maxContains', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties']);

const DEFAULT_BASE = 'mem://input/';

/** A repeated group that itself contains a repetition: `(a+)+`, `(\\w*)*`, `(x{2,})+`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;

interface Document {
  name: string;
  json: JsonNode;
  draft: Draft;
  base: string;
}

/** Where a URI (without fragment) or an anchor leads: a document and a pointer in it. */
interface Location {
  doc: Document;
  pointer: string;
}

/** A compiled regular expression, or undefined when neither JavaScript flavour accepts it. */
export function compilePattern(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'u');
  } catch {
    try {
      return new RegExp(source);
    } catch {
      return undefined;
    }
  }
}

export class SchemaLoader {
  private readonly uris = new Map<string, Location>();
  private readonly nodes = new Map<Document, Map<string, SchemaNode>>();
  private readonly pendingRefs: { node: NodeOf<'ref'>; base: string; doc: Document }[] = [];
  readonly root: SchemaNode;

  constructor(json: JsonNode, draft: Draft, references: readonly LoadedReference[]) {
    const idKey = draft === 'draft-04' ? 'id' : '$id';
    const rootId = member(json, idKey);
    const rootBase = resolveUri(rootId?.type === 'string' ? rootId.value : '', DEFAULT_BASE) ?? DEFAULT_BASE;
    const rootDoc: Document = { name: '', json, draft, base: rootBase };
    for (const ref of references) {
      const bare = ref.name.replace(/#.*$/, '');
      const refId = member(ref.json, ref.draft === 'draft-04' ? 'id' : '$id');
      const own = refId?.type === 'string' ? resolveUri(refId.value, resolveUri(bare, rootBase) ?? DEFAULT_BASE) : undefined;
      const doc: Document = { name: ref.name, json: ref.json, draft: ref.draft, base: own ?? resolveUri(bare, rootBase) ?? DEFAULT_BASE };
      for (const uri of [bare, resolveUri(bare, rootBase), resolveUri(bare, DEFAULT_BASE), own]) {
        if (uri && !this.uris.has(stripFragment(uri))) this.uris.set(stripFragment(uri), { doc, pointer: '' });
      }
      this.index(doc);
    }
    this.index(rootDoc);
    this.uris.set(stripFragment(rootBase), { doc: rootDoc, pointer: '' });
    this.root = this.load(rootDoc, '', json, rootBase);
    while (this.pendingRefs.length > 0) {
      const { node, base, doc } = this.pendingRefs.pop()!;
      node.target = this.resolve(node.ref, base, doc, node.pointer);
    }
    for (const nodes of this.nodes.values()) for (const node of nodes.values()) if (node.kind === 'ref') deref(node);
  }

  /** Records every embedded `$id` and anchor of a document with the location it names. */
  private index(doc: Document) {
    const idKey = doc.draft === 'draft-04' ? 'id' : '$id';
    const visit = (node: JsonNode, pointer: string, base: string, depth: number) => {
      if (node.type === 'array') return node.items.forEach((n, i) => visit(n, `${pointer}/${i}`, base, depth + 1));
      if (node.type !== 'object') return;
      let here = base;
      const id = member(node, idKey);
      if (id?.type === 'string' && pointer !== '') {
        const resolved = resolveUri(id.value, base);
        if (resolved) {
          if (id.value.startsWith('#')) this.uris.set(resolved, { doc, pointer });
          else {
            here = stripFragment(resolved);
            if (!this.uris.has(here)) this.uris.set(here, { doc, pointer });
          }
        }
      }
      const anchor = member(node, '$anchor');
      if (anchor?.type === 'string') this.uris.set(`${stripFragment(here)}#${anchor.value}`, { doc, pointer });
      for (const [k, v] of node.entries) {
        if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples') continue;
        visit(v, `${pointer}/${escapePointer(k)}`, here, depth + 1);
      }
    };
    visit(doc.json, '', doc.base, 0);
  }

  private resolve(ref: string, base: string, doc: Document, at: string): SchemaNode {
    const where = doc.name ? ` in referenced schema '${doc.name}'` : '';
    const fail = (why: string): never => {
      throw new InvalidSchemaError(`Invalid JSON schema: $ref '${ref}' at ${at || '/'}${where} ${why}`);
    };
    const uri = resolveUri(ref, base) ?? fail('is not a valid URI reference');
    const hash = uri.indexOf('#');
    const fragment = hash < 0 ? '' : uri.slice(hash + 1);
    const location = this.uris.get(uri) ?? this.uris.get(stripFragment(uri));
    if (!location) {
      if (/^https?:/.test(uri)) fail(`points at ${stripFragment(uri)}, which is not among the schema's references (register it and add it as a reference named '${stripFragment(ref) || stripFragment(uri)}'; remote schemas are not fetched)`);
      return fail('does not resolve: no reference of that name');
    }
    if (this.uris.get(uri) === location || fragment === '') return this.at(location.doc, location.pointer, fail);
    if (!fragment.startsWith('/')) fail(`names an anchor '${fragment}' that is not defined`);
    let pointer = location.pointer + fragment;
    if (atPointer(location.doc.json, pointer) === undefined && fragment.startsWith('/$defs/')) {
      // Confluent copies a top-level `definitions` map into `$defs`, so either spelling resolves.
      pointer = location.pointer + fragment.replace(/^\/\$defs\//, '/definitions/');
    }
    return this.at(location.doc, pointer, fail);
  }

  private at(doc: Document, pointer: string, fail: (why: string) => never): SchemaNode {
    const json = atPointer(doc.json, pointer);
    if (json === undefined) fail('does not resolve: nothing at that JSON pointer');
    if (json.type !== 'object' && json.type !== 'boolean') fail('does not point at a schema');
    return this.load(doc, pointer, json, this.baseAt(doc, pointer));
  }

  /** The base URI in effect at a pointer: the document's, changed by each `$id` on the way down. */
  private baseAt(doc: Document, pointer: string): string {
    const idKey = doc.draft === 'draft-04' ? 'id' : '$id';
    let base = doc.base;
    let node: JsonNode | undefined = doc.json;
    const tokens = pointer === '' ? [] : pointer.split('/').slice(1);
    for (let i = 0; i < tokens.length && node; i++) {
      node = atPointer(node, `/${tokens[i]}`);
      const id = member(node, idKey);
      if (id?.type === 'string' && !id.value.startsWith('#')) base = stripFragment(resolveUri(id.value, base) ?? base);
    }
    return base;
  }

  private load(doc: Document, pointer: string, json: JsonNode, base: string): SchemaNode {
    let cache = this.nodes.get(doc);
    if (!cache) this.nodes.set(doc, (cache = new Map()));
    const hit = cache.get(pointer);
    if (hit) return hit;
    const node = new NodeBuilder(this, doc, pointer, json, base).build();
    cache.set(pointer, node);
    return node;
  }

  /** A subschema of the node being built, loaded once per location (recursion through `$ref` meets the same node). */
  child(doc: Document, pointer: string, json: JsonNode, base: string): SchemaNode {
    const idKey = doc.draft === 'draft-04' ? 'id' : '$id';
    const id = member(json, idKey);
    const here = id?.type === 'string' && !id.value.startsWith('#') ? stripFragment(resolveUri(id.value, base) ?? base) : base;
    return this.load(doc, pointer, json, here);
  }

  deferRef(node: NodeOf<'ref'>, base: string, doc: Document) {
    this.pendingRefs.push({ node, base, doc });
  }
}

/** The schema a `$ref` chain ends at; a chain that only leads back to itself is refused. */
export function deref(node: SchemaNode): SchemaNode {
  let current = node;
  const seen = new Set<SchemaNode>();
  while (current.kind === 'ref') {
    if (seen.has(current)) throw new InvalidSchemaError(`Invalid JSON schema: $ref '${current.ref}' at ${current.pointer || '/'} is part of a cycle of references that never reaches a schema`);
    seen.add(current);
    if (!current.target) throw new InvalidSchemaError(`Invalid JSON schema: $ref '${current.ref}' at ${current.pointer || '/'} does not resolve`);
    current = current.target;
  }
  return current;
}

function resolveUri(ref: string, base: string): string | undefined {
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}

const stripFragment = (uri: string) => uri.replace(/#.*$/, '');

/** Builds one node from one schema object, consuming keywords kind by kind as Everit's extractors do. */
class NodeBuilder {
  private readonly obj: Map<string, JsonNode>;
  private readonly later: boolean;

  constructor(
    private readonly loader: SchemaLoader,
    private readonly doc: Document,
    private readonly pointer: string,
    private readonly json: JsonNode,
    private readonly base: string,
  ) {
    this.obj = new Map(json.type === 'object' ? json.entries : []);
    this.later = doc.draft === '2019-09' || doc.draft === '2020-12';
  }

  private common(_kind: string, meta: Meta = {}): Common {
    return { pointer: this.pointer, document: this.doc.name, meta, json: this.json };
  }

  private sub(key: string, json: JsonNode, ...path: (string | number)[]): SchemaNode {
    const pointer = [this.pointer, escapePointer(key), ...path.map((p) => escapePointer(String(p)))].join('/');
    return this.loader.child(this.doc, pointer, json, this.base);
  }

  private has(keyword: string): boolean {
    if (!this.obj.has(keyword)) return false;
    if (LATER_DRAFT.has(keyword) && !this.later) return false;
    // Confluent's 2019-09/2020-12 translation drops an empty `properties` map.
    if (keyword === 'properties' && this.later) {
      const v = this.obj.get(keyword)!;
      return !(v.type === 'object' && v.entries.length === 0);
    }
    if (keyword === 'const' || keyword === 'contains' || keyword === 'propertyNames') return this.doc.draft !== 'draft-04';
    return true;
  }

  private num(keyword: string): number | undefined {
    const v = this.obj.get(keyword);
    return v?.type === 'number' ? v.value : undefined;
  }

  build(): SchemaNode {
    const json = this.json;
    if (json.type === 'boolean') return { ...this.common(String(json.value)), kind: json.value ? 'true' : 'false' };
    const meta = this.meta();
    const ref = this.obj.get('$ref');
    if (ref?.type === 'string') {
      const node: NodeOf<'ref'> = { ...this.common('ref'), kind: 'ref', ref: ref.value, meta };
      this.loader.deferRef(node, this.base, this.doc);
      // Draft 4–7 ignore a $ref's siblings; from 2019-09 they apply alongside it.
      if (!this.later) return node;
      const parts = this.parts();
      if (parts.length === 0) return node;
      return { ...this.common('allOf'), kind: 'combined', criterion: 'allOf', subschemas: [node, ...parts], synthetic: true, meta };
    }
    const parts = this.parts();
    if (parts.length === 0) return { ...this.common('empty'), kind: 'empty', meta };
    if (parts.length === 1) return { ...parts[0]!, meta };
    return { ...this.common('allOf'), kind: 'combined', criterion: 'allOf', subschemas: parts, synthetic: true, meta };
  }

  private meta(): Meta {
    const meta: Meta = {};
    const text = (k: string) => {
      const v = this.obj.get(k);
      return v?.type === 'string' ? v.value : undefined;
    };
    const id = this.later ? undefined : text(this.doc.draft === 'draft-04' ? 'id' : '$id');
    if (id !== undefined) meta.id = id;
    const title = text('title');
    if (title !== undefined) meta.title = title;
    const description = text('description');
    if (description !== undefined) meta.description = description;
    const d = this.obj.get('default');
    if (d !== undefined) {
      meta.default = printJson(d);
      meta.defaultIsValue = d.type !== 'object' && d.type !== 'array';
    }
    if (text('connect.type') === 'bytes') meta.connectBytes = true;
    return meta;
  }

  /** The kind-specific schemas this object holds, in Everit's extractor order. */
  private parts(): SchemaNode[] {
    const parts: SchemaNode[] = [];
    const enumValues = this.obj.get('enum');
    if (enumValues?.type === 'array') {
      const values = [...new Set(enumValues.items.map((v) => printJson(v, true)))];
      parts.push({ ...this.common('enum'), kind: 'enum', values, meta: {} });
    }
    for (const criterion of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = this.obj.get(criterion);
      if (list?.type !== 'array') continue;
      const subschemas = list.items.map((item, i) => this.sub(criterion, item, i));
      parts.push({ ...this.common(criterion), kind: 'combined', criterion, subschemas, synthetic: false, meta: {} });
    }
    const not = this.obj.get('not');
    if (not) parts.push({ ...this.common('not'), kind: 'not', target: this.sub('not', not), meta: {} });
    if (this.has('const')) parts.push({ ...this.common('const'), kind: 'const', value: printJson(this.obj.get('const')!, true), meta: {} });
    const consumed = new Set<string>();
    const type = this.obj.get('type');
    if (type?.type === 'string') parts.push(this.typed(type.value, consumed));
    else if (type?.type === 'array') {
      const subschemas = type.items.map((t) => this.typed(t.type === 'string' ? t.value : '', consumed));
      parts.push({ ...this.common('anyOf'), kind: 'combined', criterion: 'anyOf', subschemas, synthetic: true, meta: {} });
    }
    const sniff = (kind: 'array' | 'object' | 'number' | 'string', keywords: string[]) => {
      if (!consumed.has(kind) && keywords.some((k) => this.has(k))) parts.push(this.ofKind(kind, false));
    };
    sniff('array', ARRAY_KEYWORDS);
    sniff('object', OBJECT_KEYWORDS);
    sniff('number', NUMBER_KEYWORDS);
    sniff('string', STRING_KEYWORDS);
    if (this.doc.draft !== 'draft-04' && this.doc.draft !== 'draft-06' && (this.obj.has('if') || this.obj.has('then') || this.obj.has('else'))) {
      parts.push({ ...this.common('conditional'), kind: 'conditional', meta: {} });
    }
    return parts;
  }

  private typed(name: string, consumed: Set<string>): SchemaNode {
    switch (name) {
      case 'string':
      case 'array':
      case 'object':
        consumed.add(name);
        return this.ofKind(name, false);
      case 'number':
      case 'integer':
        consumed.add('number');
        return this.ofKind('number', name === 'integer');
      case 'boolean':
      case 'null':
        return { ...this.common(name), kind: name, meta: {} };
      default:
        throw new InvalidSchemaError(`Invalid JSON schema: '${name}' at ${this.pointer}/type is not a JSON Schema type name`);
    }
  }

  private ofKind(kind: 'array' | 'object' | 'number' | 'string', integer: boolean): SchemaNode {
    if (kind === 'string') return this.string();
    if (kind === 'number') return this.number(integer);
    if (kind === 'object') return this.object();
    return this.array();
  }

  private string(): SchemaNode {
    const pattern = this.obj.get('pattern');
    if (pattern?.type === 'string' && !compilePattern(pattern.value)) {
      throw new InvalidSchemaError(`Invalid JSON schema: the pattern '${pattern.value}' at ${this.pointer}/pattern is not a valid regular expression`);
    }
    return {
      ...this.common('string'),
      kind: 'string',
      meta: {},
      ...defined({ maxLength: this.num('maxLength'), minLength: this.num('minLength'), pattern: pattern?.type === 'string' ? pattern.value : undefined }),
    };
  }

  private number(integer: boolean): SchemaNode {
    let maximum = this.num('maximum');
    let minimum = this.num('minimum');
    let exclusiveMaximum = this.num('exclusiveMaximum');
    let exclusiveMinimum = this.num('exclusiveMinimum');
    if (this.doc.draft === 'draft-04') {
      // Draft 4's boolean exclusiveMaximum/Minimum turn the limit itself exclusive.
      const exMax = this.obj.get('exclusiveMaximum');
      const exMin = this.obj.get('exclusiveMinimum');
      exclusiveMaximum = exMax?.type === 'boolean' && exMax.value && maximum !== undefined ? maximum : undefined;
      if (exclusiveMaximum !== undefined) maximum = undefined;
      exclusiveMinimum = exMin?.type === 'boolean' && exMin.value && minimum !== undefined ? minimum : undefined;
      if (exclusiveMinimum !== undefined) minimum = undefined;
    }
    const multipleOf = this.obj.get('multipleOf');
    return {
      ...this.common(integer ? 'integer' : 'number'),
      kind: 'number',
      integer,
      meta: {},
      ...defined({ maximum, minimum, exclusiveMaximum, exclusiveMinimum, multipleOf: multipleOf?.type === 'number' ? multipleOf.text : undefined }),
    };
  }

  private extra(keyword: string): Extra | undefined {
    const v = this.obj.get(keyword);
    if (v === undefined) return undefined;
    if (v.type === 'boolean') return { permits: v.value };
    return { permits: true, schema: this.sub(keyword, v) };
  }

  private object(): SchemaNode {
    const properties = new Map<string, SchemaNode>();
    const props = this.obj.get('properties');
    if (props?.type === 'object') for (const [name, schema] of props.entries) properties.set(name, this.sub('properties', schema, name));
    const required = this.obj.get('required');
    const propertyDependencies = new Map<string, string[]>();
    const schemaDependencies = new Map<string, SchemaNode>();
    const dependencies = (keyword: string) => {
      const deps = this.obj.get(keyword);
      if (deps?.type !== 'object') return;
      for (const [name, dep] of deps.entries) {
        if (dep.type === 'array') propertyDependencies.set(name, dep.items.flatMap((i) => (i.type === 'string' ? [i.value] : [])));
        else schemaDependencies.set(name, this.sub(keyword, dep, name));
      }
    };
    dependencies('dependencies');
    if (this.later) {
      dependencies('dependentRequired');
      dependencies('dependentSchemas');
    }
    const patterns: NodeOf<'object'>['patterns'] = [];
    const pp = this.obj.get('patternProperties');
    if (pp?.type === 'object') {
      for (const [source, schema] of pp.entries) {
        const regex = compilePattern(source);
        // Comparisons run these patterns on property names; a nested quantifier can take exponential time there.
        if (NESTED_QUANTIFIER.test(source)) {
          throw new InvalidSchemaError(`Invalid JSON schema: the pattern '${source}' at ${this.pointer}/patternProperties nests quantifiers (as in (a+)+), which can take exponential time to match; rewrite it without a repeated group that itself repeats`);
        }
        if (!regex) throw new InvalidSchemaError(`Invalid JSON schema: the pattern '${source}' at ${this.pointer}/patternProperties is not a valid regular expression`);
        patterns.push({ source, regex, schema: this.sub('patternProperties', schema, source) });
      }
    }
    const unevaluated = this.later ? this.extra('unevaluatedProperties') : undefined;
    return {
      ...this.common('object'),
      kind: 'object',
      meta: {},
      properties,
      required: required?.type === 'array' ? required.items.flatMap((i) => (i.type === 'string' ? [i.value] : [])) : [],
      propertyDependencies,
      schemaDependencies,
      additional: this.extra('additionalProperties') ?? { permits: true },
      ...(unevaluated ? { unevaluated } : {}),
      patterns,
      ...defined({ maxProperties: this.num('maxProperties'), minProperties: this.num('minProperties') }),
    };
  }

  private array(): SchemaNode {
    let items: SchemaNode | undefined;
    let tuple: SchemaNode[] | undefined;
    let additional: Extra = { permits: true };
    const itemsJson = this.obj.get('items');
    const prefix = this.doc.draft === '2020-12' ? this.obj.get('prefixItems') : undefined;
    if (prefix?.type === 'array') tuple = prefix.items.map((item, i) => this.sub('prefixItems', item, i));
    if (itemsJson?.type === 'array') {
      tuple = itemsJson.items.map((item, i) => this.sub('items', item, i));
      additional = this.extra('additionalItems') ?? additional;
    } else if (itemsJson !== undefined && this.doc.draft === '2020-12') {
      // 2020-12 `items` is the schema of the items after `prefixItems` (of all items when there is none); a boolean
      // `items` says whether such items are allowed at all.
      if (itemsJson.type === 'boolean') additional = { permits: itemsJson.value };
      else if (tuple) additional = { permits: true, schema: this.sub('items', itemsJson) };
      else items = this.sub('items', itemsJson);
    } else {
      if (itemsJson !== undefined) items = this.sub('items', itemsJson);
      additional = this.extra('additionalItems') ?? additional;
    }
    const unevaluated = this.later ? this.extra('unevaluatedItems') : undefined;
    const uniqueItems = this.obj.get('uniqueItems');
    const minContains = this.later && this.obj.has('contains') ? (this.num('minContains') ?? 1) : undefined;
    return {
      ...this.common('array'),
      kind: 'array',
      meta: {},
      ...(items ? { items } : {}),
      ...(tuple ? { tuple } : {}),
      additional,
      ...(unevaluated ? { unevaluated } : {}),
      uniqueItems: uniqueItems?.type === 'boolean' && uniqueItems.value,
      ...defined({
        maxItems: this.num('maxItems'),
        minItems: this.num('minItems'),
        maxContains: this.later ? this.num('maxContains') : undefined,
        minContains,
      }),
    };
  }
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const keys = new WeakMap<SchemaNode, string>();

/** Structural identity, for de-duplicating combined branches as Everit's Schema.equals does. */
export function keyOf(node: SchemaNode): string {
  let key = keys.get(node);
  if (key === undefined) {
    key = `${node.kind}:${node.kind === 'number' && node.integer ? 'i' : ''}:${printJson(node.json, true)}`;
    keys.set(node, key);
  }
  return key;
}
