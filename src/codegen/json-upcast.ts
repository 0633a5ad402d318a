// Automatic JSON Schema upcasters, made to hold. A step from one version to the next is automatic when every value of
// the old version's type, with the new version's `default`s filled in (as Ajv's useDefaults does: a property left
// out, under `properties` reached through `$ref`, `allOf`, `items`, never inside `anyOf`/`oneOf`/`not`), is a value of
// the new version. `coverReasons` proves that on the schemas, conservatively (what it cannot prove is a reason); then
// `proveOnSamples` runs the generated upcaster on sample values of the old version, as the Avro proof does.
// "The old version's type" is what codegen declares: an object without `additionalProperties` has no undeclared keys.
import { isDeepStrictEqual } from 'node:util';
import { JsonValidators, type JsonSchemaSet } from '../../sdk/json.js';
import { declaredTypes, jsonType, type Schema, type SchemaGraph, type SchemaNode, type SchemaObject } from './json-schema-graph.js';
import { mulberry32 } from './seeded-random.js';

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Keywords the prover does not reason about: the new version may have them only exactly as the old one did. */
const OPAQUE = ['not', 'if', 'then', 'else', 'dependencies', 'dependentRequired', 'dependentSchemas', 'propertyNames', 'contains', 'minContains', 'maxContains', 'unevaluatedProperties', 'unevaluatedItems'];

interface Side {
  graph: SchemaGraph;
  node: SchemaNode;
}

export function coverReasons(oldGraph: SchemaGraph, newGraph: SchemaGraph): string[] {
  const assumed = new Set<string>();
  const ids = new Map<object, number>();
  const idOf = (s: Schema) => {
    if (typeof s !== 'object') return String(s);
    if (!ids.has(s)) ids.set(s, ids.size + 1);
    return ids.get(s)!;
  };

  /** Reasons why some value of `old` may not become a value of `next` (at `path`, a pointer into the new schema). */
  const covers = (next: Side, old: Side, path: string, composite: boolean): string[] => {
    const n = deref(next);
    const o = deref(old);
    if (n.node.schema === true || isUnconstrained(n.node.schema)) return [];
    if (o.node.schema === false) return [];
    if (n.node.schema === false) return [`${at(path)}: the new version allows no value here`];
    if (o.node.schema === true) return [`${at(path)}: the old version allows any value here, the new one does not`];
    // A pair met again inside itself (recursive schemas) holds if the rest of the proof does.
    const key = `${idOf(n.node.schema)}:${idOf(o.node.schema)}:${composite}`;
    if (assumed.has(key)) return [];
    assumed.add(key);
    const ns = n.node.schema;
    const os = o.node.schema;
    const reasons: string[] = [];
    const sub = (s: Side, schema: Schema, suffix: string): Side => ({ graph: s.graph, node: s.graph.child(schema, s.node, suffix) });

    // Old combinators the new version does not share: a value of the old version satisfies its own keywords and one
    // branch (every branch, for allOf), so covering either is enough.
    const oldBranches = (['anyOf', 'oneOf'] as const).find((k) => Array.isArray(os[k]) && !Array.isArray(ns[k]));
    if ((Array.isArray(os.allOf) && !Array.isArray(ns.allOf)) || oldBranches) {
      const rest = without(os, ['allOf', ...(oldBranches ? [oldBranches] : [])]);
      const restReasons = isUnconstrained(rest) ? null : covers(next, { graph: o.graph, node: { ...o.node, schema: rest } }, path, composite);
      if (restReasons?.length === 0) return [];
      if (Array.isArray(os.allOf) && (os.allOf as Schema[]).some((b, i) => covers(next, sub(o, b, `/allOf/${i}`), path, composite).length === 0)) return [];
      const each = oldBranches ? (os[oldBranches] as Schema[]).flatMap((b, i) => covers(next, sub(o, b, `/${oldBranches}/${i}`), path, composite)) : null;
      if (each?.length === 0) return [];
      assumed.delete(key);
      return restReasons ?? each ?? [`${at(path)}: the old version's allOf is not covered`];
    }

    // New combinators.
    if (Array.isArray(ns.allOf)) (ns.allOf as Schema[]).forEach((b, i) => reasons.push(...covers(sub(n, b, `/allOf/${i}`), old, `${path}/allOf/${i}`, composite)));
    for (const k of ['anyOf', 'oneOf'] as const) {
      const branches = ns[k];
      if (!Array.isArray(branches)) continue;
      const olds = Array.isArray(os[k]) ? (os[k] as Schema[]).map((b, i) => sub(o, b, `/${k}/${i}`)) : Array.isArray(os.anyOf) || Array.isArray(os.oneOf) ? null : [o];
      if (olds === null) {
        reasons.push(`${at(path)}: ${k} changed from another combinator`);
        continue;
      }
      for (const oldBranch of olds) {
        const fits = (branches as Schema[]).some((b, i) => covers(sub(n, b, `/${k}/${i}`), oldBranch, `${path}/${k}/${i}`, true).length === 0);
        if (!fits) reasons.push(`${at(path)}: a value of the old version may match no branch of ${k}`);
      }
      if (k === 'oneOf' && !isDeepStrictEqual(os.oneOf, ns.oneOf) && !disjoint(n.graph, n.node, branches as Schema[])) {
        reasons.push(`${at(path)}: oneOf changed and its branches are not told apart by type or a const property, so a value may match two`);
      }
    }

    for (const k of OPAQUE) {
      if (k in ns && !isDeepStrictEqual(ns[k], os[k])) reasons.push(`${at(path)}: ${k} is new or changed (not proven automatically)`);
    }

    // Values.
    const oldValues = 'const' in os ? [os.const] : Array.isArray(os.enum) ? (os.enum as unknown[]) : undefined;
    const newValues = 'const' in ns ? [ns.const] : Array.isArray(ns.enum) ? (ns.enum as unknown[]) : undefined;
    if (newValues) {
      if (!oldValues) reasons.push(`${at(path)}: the new version allows only ${listValues(newValues)}; the old one allowed more`);
      else for (const v of oldValues) if (!newValues.some((w) => isDeepStrictEqual(v, w))) reasons.push(`${at(path)}: value ${JSON.stringify(v)} is no longer allowed`);
    }

    // Types.
    const oldTypes = declaredTypes(os);
    const newTypes = declaredTypes(ns);
    const hasType = (types: Set<string> | undefined, t: string) => !types || types.has(t) || (t === 'integer' && types.has('number'));
    if (newTypes && 'type' in ns) {
      if (!oldTypes) reasons.push(`${at(path)}: the old version allows any type, the new one ${[...newTypes].join(' or ')}`);
      else for (const t of oldTypes) if (!hasType(newTypes, t)) reasons.push(`${at(path)}: type ${t} is no longer allowed`);
    }
    const oldHas = (t: string) => !oldTypes || oldTypes.has(t) || (t === 'number' && oldTypes.has('integer'));

    // Strings.
    if (oldHas('string')) {
      tighter(reasons, path, 'minLength', os.minLength, ns.minLength, 'min');
      tighter(reasons, path, 'maxLength', os.maxLength, ns.maxLength, 'max');
      for (const k of ['pattern', 'format', 'contentEncoding', 'contentMediaType']) {
        if (k in ns && ns[k] !== os[k]) reasons.push(`${at(path)}: ${k} is new or changed`);
      }
    }
    // Numbers.
    if (oldHas('number') || oldHas('integer')) {
      const ob = o.graph.bounds(os);
      const nb = n.graph.bounds(ns);
      if (nb.min && (!ob.min || ob.min.value < nb.min.value || (ob.min.value === nb.min.value && nb.min.exclusive && !ob.min.exclusive))) reasons.push(`${at(path)}: the lower bound is new or higher`);
      if (nb.max && (!ob.max || ob.max.value > nb.max.value || (ob.max.value === nb.max.value && nb.max.exclusive && !ob.max.exclusive))) reasons.push(`${at(path)}: the upper bound is new or lower`);
      if (typeof ns.multipleOf === 'number' && !(typeof os.multipleOf === 'number' && Number.isInteger(os.multipleOf / ns.multipleOf))) reasons.push(`${at(path)}: multipleOf is new or changed`);
    }
    // Objects.
    if (oldHas('object')) reasons.push(...coversObject(n, o, path, composite, covers));
    // Arrays.
    if (oldHas('array')) {
      tighter(reasons, path, 'minItems', os.minItems, ns.minItems, 'min');
      tighter(reasons, path, 'maxItems', os.maxItems, ns.maxItems, 'max');
      if (ns.uniqueItems === true && os.uniqueItems !== true) reasons.push(`${at(path)}: uniqueItems is new`);
      const ot = o.graph.tuple(os);
      const nt = n.graph.tuple(ns);
      const length = Math.max(ot.prefix.length, nt.prefix.length);
      const at_ = (t: { prefix: Schema[]; rest: Schema | undefined }, i: number): Schema => (i < t.prefix.length ? t.prefix[i]! : (t.rest ?? true));
      for (let i = 0; i < length; i++) {
        reasons.push(...covers(sub(n, at_(nt, i), `/${i < nt.prefix.length ? 'prefix' : 'rest'}`), sub(o, at_(ot, i), '/items'), `${path}/items/${i}`, composite));
      }
      reasons.push(...covers(sub(n, nt.rest ?? true, '/items'), sub(o, ot.rest ?? true, '/items'), `${path}/items`, composite));
    }
    assumed.delete(key);
    return [...new Set(reasons)];
  };
  return covers({ graph: newGraph, node: newGraph.root }, { graph: oldGraph, node: oldGraph.root }, '', false);
}

type Covers = (next: Side, old: Side, path: string, composite: boolean) => string[];

function coversObject(n: Side, o: Side, path: string, composite: boolean, covers: Covers): string[] {
  const ns = n.node.schema as SchemaObject;
  const os = o.node.schema as SchemaObject;
  const reasons: string[] = [];
  const props = (s: SchemaObject) => (s.properties && typeof s.properties === 'object' ? (s.properties as Record<string, Schema>) : {});
  const req = (s: SchemaObject) => new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const patterns = (s: SchemaObject) => (s.patternProperties && typeof s.patternProperties === 'object' ? Object.entries(s.patternProperties as Record<string, Schema>) : []);
  const [np, op, nr, or] = [props(ns), props(os), req(ns), req(os)];
  const side = (s: Side, schema: Schema, suffix: string): Side => ({ graph: s.graph, node: s.graph.child(schema, s.node, suffix) });
  /** The schemas an old value's key `name` answers to when the old version does not declare it. */
  const oldExtra = (name: string): Side[] => [
    ...patterns(os).filter(([p]) => matches(p, name)).map(([p, s]) => side(o, s, `/patternProperties/${escapePointer(p)}`)),
    ...(os.additionalProperties !== undefined && os.additionalProperties !== false && !patterns(os).some(([p]) => matches(p, name)) ? [side(o, os.additionalProperties as Schema, '/additionalProperties')] : []),
  ];
  for (const [name, schema] of Object.entries(np)) {
    const where = `${path}/properties/${escapePointer(name)}`;
    const next = side(n, schema, `/properties/${escapePointer(name)}`);
    // Ajv fills in a default written on the property itself, outside anyOf/oneOf/not.
    const filled = !composite && typeof schema === 'object' && 'default' in schema;
    if (name in op) reasons.push(...covers(next, side(o, op[name]!, `/properties/${escapePointer(name)}`), where, composite));
    else for (const extra of oldExtra(name)) reasons.push(...covers(next, extra, where, composite));
    if (nr.has(name) && !or.has(name) && !filled) {
      reasons.push(`${at(where)}: property '${name}' is ${name in op ? 'now' : 'new and'} required, without a default`);
    }
  }
  for (const name of nr) {
    if (!(name in np) && !or.has(name)) reasons.push(`${at(path)}: property '${name}' is now required`);
  }
  // Old keys the new version does not declare: its patterns or additionalProperties must take them.
  const newPatterns = patterns(ns);
  const leftover = (name: string, old: Side, where: string) => {
    const hits = newPatterns.filter(([p]) => matches(p, name));
    if (hits.length) for (const [p, s] of hits) reasons.push(...covers(side(n, s, `/patternProperties/${escapePointer(p)}`), old, where, composite));
    else if (ns.additionalProperties === false) {
      if (old.node.schema !== false) reasons.push(`${at(where)}: property '${name}' was removed, and the new version allows no other properties (additionalProperties: false)`);
    } else if (ns.additionalProperties !== undefined) reasons.push(...covers(side(n, ns.additionalProperties as Schema, '/additionalProperties'), old, where, composite));
  };
  for (const [name, schema] of Object.entries(op)) {
    if (!(name in np)) leftover(name, side(o, schema, `/properties/${escapePointer(name)}`), `${path}/properties/${escapePointer(name)}`);
  }
  // Undeclared keys the old version types (patternProperties, additionalProperties).
  for (const [p, s] of patterns(os)) {
    const same = newPatterns.find(([q]) => q === p);
    if (same) reasons.push(...covers(side(n, same[1], `/patternProperties/${escapePointer(p)}`), side(o, s, `/patternProperties/${escapePointer(p)}`), `${path}/patternProperties/${escapePointer(p)}`, composite));
    else if (newPatterns.length || ns.additionalProperties !== undefined) reasons.push(`${at(path)}: patternProperties ${p} changed`);
  }
  if (os.additionalProperties !== undefined && os.additionalProperties !== false) {
    if (newPatterns.some(([p]) => !patterns(os).some(([q]) => q === p))) reasons.push(`${at(path)}: new patternProperties may take keys the old additionalProperties allowed`);
    if (ns.additionalProperties !== undefined) {
      reasons.push(...covers(side(n, ns.additionalProperties as Schema, '/additionalProperties'), side(o, os.additionalProperties as Schema, '/additionalProperties'), `${path}/additionalProperties`, composite));
    }
  }
  tighter(reasons, path, 'minProperties', os.minProperties, ns.minProperties, 'min');
  tighter(reasons, path, 'maxProperties', os.maxProperties, ns.maxProperties, 'max');
  return reasons;
}

/** Follows `$ref`s (keywords beside one count from 2019-09: then both apply, as an allOf). */
function deref(side: Side): Side {
  let { node } = side;
  for (let i = 0; i < 64; i++) {
    const target = side.graph.reference(node);
    if (!target) return { graph: side.graph, node };
    const schema = node.schema as SchemaObject;
    const rest = without(schema, ['$ref', '$recursiveRef', '$dynamicRef']);
    if (side.graph.refSiblingsApply && !isUnconstrained(rest)) {
      return { graph: side.graph, node: { ...node, schema: { ...rest, allOf: [...(Array.isArray(rest.allOf) ? rest.allOf : []), target.schema] } } };
    }
    node = target;
  }
  throw new Error(`$ref chain longer than 64 at ${side.node.document}${side.node.pointer}`);
}

const ANNOTATIONS = new Set(['$schema', '$id', 'id', '$anchor', '$dynamicAnchor', '$comment', '$defs', 'definitions', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$vocabulary']);

/** No keyword that constrains a value (annotations and unknown keywords only). */
function isUnconstrained(schema: Schema): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  return Object.keys(schema).every((k) => ANNOTATIONS.has(k) || !KNOWN.has(k));
}

const KNOWN = new Set([
  'type', 'enum', 'const', 'nullable', 'properties', 'required', 'additionalProperties', 'patternProperties', 'items', 'prefixItems', 'additionalItems',
  'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minProperties', 'maxProperties', 'allOf', 'anyOf', 'oneOf', '$ref', '$recursiveRef', '$dynamicRef', 'contentEncoding', 'contentMediaType',
  ...OPAQUE,
]);

function without(schema: SchemaObject, keys: string[]): SchemaObject {
  return Object.fromEntries(Object.entries(schema).filter(([k]) => !keys.includes(k)));
}

function tighter(reasons: string[], path: string, keyword: string, old: unknown, next: unknown, kind: 'min' | 'max'): void {
  if (typeof next !== 'number') return;
  if (typeof old !== 'number' || (kind === 'min' ? old < next : old > next)) reasons.push(`${at(path)}: ${keyword} is new or tighter`);
}

const at = (path: string) => (path === '' ? 'at the root' : `at ${path}`);
const listValues = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

function matches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(name);
  } catch {
    return true; // a pattern JavaScript cannot read: assume it takes the key
  }
}

/** Branches told apart: distinct JSON types, or a property every branch requires with a const (or enum) of its own. */
function disjoint(graph: SchemaGraph, parent: SchemaNode, branches: Schema[]): boolean {
  const resolved = branches.map((b, i) => {
    let node = graph.child(b, parent, `/oneOf/${i}`);
    for (let k = 0; k < 16; k++) {
      const target = graph.reference(node);
      if (!target) break;
      node = target;
    }
    return node.schema;
  });
  const types = resolved.map((s) => declaredTypes(s));
  if (types.every((t) => t !== undefined)) {
    const all = types.flatMap((t) => [...new Set([...t!].map((x) => (x === 'integer' ? 'number' : x)))]);
    if (new Set(all).size === all.length) return true;
  }
  const objects = resolved.filter((s): s is SchemaObject => typeof s === 'object');
  if (objects.length !== resolved.length) return false;
  const candidates = Object.keys((objects[0]!.properties as Record<string, unknown>) ?? {});
  return candidates.some((name) => {
    const values: unknown[][] = [];
    for (const s of objects) {
      const p = (s.properties as Record<string, Schema> | undefined)?.[name];
      if (typeof p !== 'object' || !Array.isArray(s.required) || !s.required.includes(name)) return false;
      const v = 'const' in p ? [p.const] : Array.isArray(p.enum) ? (p.enum as unknown[]) : undefined;
      if (!v) return false;
      values.push(v);
    }
    const flat = values.flat();
    return flat.every((v, i) => flat.findIndex((w) => isDeepStrictEqual(v, w)) === i);
  });
}

// ---- The proof on samples

const validators = new JsonValidators();

/**
 * Runs each automatic step of a chain (`steps[i]` from `sets[i]` to `sets[i + 1]`, true when automatic) on sample
 * values of every old version, as the generated module runs it, until a hand-written step. Returns, per step, why it
 * failed, or null. Deterministic (seeded samples); values the sampler makes that the old version rejects are skipped.
 */
export function proveOnSamples(graphs: readonly SchemaGraph[], sets: readonly JsonSchemaSet[], steps: readonly boolean[], samples = 8): (string | null)[] {
  const failures: (string | null)[] = steps.map(() => null);
  const random = mulberry32(0x5eed);
  for (let i = 0; i < steps.length; i++) {
    const valid = validators.validator(sets[i]!);
    for (let k = 0; k < samples; k++) {
      let value: unknown;
      try {
        value = sample(graphs[i]!, graphs[i]!.root, random, 0);
      } catch {
        break;
      }
      if (!valid(value)) continue;
      for (let j = i; j < steps.length && steps[j] && failures[j] === null; j++) {
        const upcast = validators.upcaster(sets[j + 1]!);
        if (!upcast(value)) {
          failures[j] = (upcast.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
          break;
        }
      }
    }
  }
  return failures;
}


const STRINGS = ['', 'a', 'order-1', 'é✓', 'USD'];
const FORMATS: Record<string, string> = {
  'date-time': '2024-05-06T07:08:09Z', date: '2024-05-06', time: '07:08:09Z', email: 'ann@example.com', uuid: '3f1c0e84-9b53-4c1e-a3f6-0c4f7c1d2b8a',
  uri: 'https://example.com/a', hostname: 'example.com', ipv4: '192.0.2.1', ipv6: '2001:db8::1',
};

/** A value of a schema's declared shape (not every constraint: the caller drops what the schema rejects). */
function sample(graph: SchemaGraph, node: SchemaNode, random: () => number, depth: number): unknown {
  if (depth > 32) throw new Error('no finite value');
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const target = graph.reference(node);
  if (target) return sample(graph, target, random, depth + 1);
  const s = node.schema;
  if (typeof s !== 'object') return s ? pick(STRINGS) : undefined;
  if ('const' in s) return structuredClone(s.const);
  if (Array.isArray(s.enum)) return structuredClone(pick(s.enum));
  if ('default' in s && random() < 0.3) return structuredClone(s.default);
  for (const k of ['oneOf', 'anyOf']) {
    if (Array.isArray(s[k]) && (s[k] as unknown[]).length) {
      const branch = Math.floor(random() * (s[k] as unknown[]).length);
      const value = sample(graph, graph.child((s[k] as Schema[])[branch]!, node, `/${k}/${branch}`), random, depth + 1);
      if (value !== undefined) return value;
    }
  }
  if (Array.isArray(s.allOf) && !declaredTypes(s)) {
    const parts = (s.allOf as Schema[]).map((b, i) => sample(graph, graph.child(b, node, `/allOf/${i}`), random, depth + 1));
    return parts.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p)) ? Object.assign({}, ...parts) : parts[0];
  }
  const types = [...(declaredTypes(s) ?? new Set(['string']))];
  const type = pick(types);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return random() < 0.5;
    case 'integer':
    case 'number': {
      const { min, max } = graph.bounds(s);
      const lo = min ? min.value + (min.exclusive ? 1 : 0) : -1000;
      const hi = max ? max.value - (max.exclusive ? 1 : 0) : 1000;
      const v = lo + Math.floor(random() * Math.max(1, hi - lo + 1));
      return type === 'integer' || typeof s.multipleOf === 'number' ? (typeof s.multipleOf === 'number' ? Math.ceil(v / s.multipleOf) * s.multipleOf : v) : v + 0.5 <= hi ? v + 0.5 : v;
    }
    case 'string': {
      if (typeof s.format === 'string' && FORMATS[s.format]) return FORMATS[s.format];
      let v = pick(STRINGS);
      if (typeof s.minLength === 'number') v = v.padEnd(s.minLength, 'x');
      if (typeof s.maxLength === 'number') v = v.slice(0, s.maxLength);
      return v;
    }
    case 'array': {
      const { prefix, rest } = graph.tuple(s);
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      const out = prefix.slice(0, Math.max(min, Math.floor(random() * (prefix.length + 1)))).map((p, i) => sample(graph, graph.child(p, node, `/items/${i}`), random, depth + 1));
      const extra = depth >= 4 || rest === false ? 0 : Math.floor(random() * 3);
      for (let i = 0; i < Math.max(extra, min - out.length); i++) out.push(sample(graph, graph.child(rest ?? true, node, '/items'), random, depth + 1));
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = s.properties && typeof s.properties === 'object' ? (s.properties as Record<string, Schema>) : {};
      const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      for (const [name, p] of Object.entries(props)) {
        if (required.has(name) || random() < 0.5) {
          const v = sample(graph, graph.child(p, node, `/properties/${escapePointer(name)}`), random, depth + 1);
          if (v !== undefined) out[name] = v;
        }
      }
      return out;
    }
    default:
      return jsonType(null);
  }
}
