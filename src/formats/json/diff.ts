// Confluent's JSON Schema difference rules: diff(original, update) asks whether a reader holding `update` accepts
// every document valid under `original`, and lists each difference found with its type and Confluent's path
// (`#/properties/foo/maxLength`, draft-7 keyword names for every draft). A change is compatible when every difference
// is of a type in the policy's compatible set.
import { deref, keyOf, type Extra, type NodeOf, type SchemaNode } from './model.js';
import { escapePointer } from './text.js';
import { COMPATIBLE_STRICT, type DifferenceType } from './difference-types.js';

export interface Difference {
  type: DifferenceType;
  /** Confluent's path: `#/` then draft-7 keyword names, combined branches numbered by the original's position. */
  path: string;
  /** JSON pointer of the nearest place in the update schema ('' for its root). */
  pointer: string;
  /** '' when `pointer` is in the update schema itself, else the name of the reference holding it. */
  document: string;
}

/** A change Confluent's checker misses although it breaks readers (its known blind spots), reported separately. */
export interface BlindSpot {
  what: string;
  pointer: string;
}

interface Found {
  type: DifferenceType;
  /** Relative to the pair being compared: `properties/foo/maxLength`, '' for the pair itself. */
  rel: string;
  pointer: string;
  document: string;
}

const join = (a: string, b: string) => (a === '' ? b : b === '' ? a : `${a}/${b}`);
const prefixed = (found: Found[], rel: string) => (rel === '' ? found : found.map((f) => ({ ...f, rel: join(rel, f.rel) })));

export function diffSchemas(original: SchemaNode, update: SchemaNode, compatible: ReadonlySet<DifferenceType> = COMPATIBLE_STRICT): { differences: Difference[]; blindSpots: BlindSpot[] } {
  const differ = new Differ(compatible);
  const found = differ.compare(original, update, update);
  return {
    differences: found.map((f) => ({ type: f.type, path: `#/${f.rel}`, pointer: f.pointer, document: f.document })),
    blindSpots: differ.blindSpots,
  };
}

class Differ {
  private readonly memo = new Map<SchemaNode, Map<SchemaNode, Found[]>>();
  private readonly active = new Map<SchemaNode, Set<SchemaNode>>();
  readonly blindSpots: BlindSpot[] = [];

  constructor(private readonly compatibleTypes: ReadonlySet<DifferenceType>) {}

  private ok(found: Found[]): boolean {
    return found.every((f) => this.compatibleTypes.has(f.type));
  }

  /** `near` is the update-side node a difference found on a missing side is reported at. */
  compare(o: SchemaNode | undefined, u: SchemaNode | undefined, near: SchemaNode): Found[] {
    if (!o && !u) return [];
    if (!o) return [{ type: 'SCHEMA_ADDED', rel: '', pointer: u!.pointer, document: u!.document }];
    if (!u) return [{ type: 'SCHEMA_REMOVED', rel: '', pointer: near.pointer, document: near.document }];
    const original = deref(o);
    const update = deref(u);
    const cached = this.memo.get(original)?.get(update);
    if (cached) return cached;
    // A pair met again while it is still being compared (a recursive schema) is taken as compatible so far.
    let active = this.active.get(original);
    if (active?.has(update)) return [];
    if (!active) this.active.set(original, (active = new Set()));
    active.add(update);
    const found = this.pair(original, update);
    active.delete(update);
    let row = this.memo.get(original);
    if (!row) this.memo.set(original, (row = new Map()));
    row.set(update, found);
    return found;
  }

  private pair(o: SchemaNode, u: SchemaNode): Found[] {
    const here = (type: DifferenceType, rel = '', pointer = u.pointer): Found => ({ type, rel, pointer, document: u.document });
    // A plain schema becoming a combined one: fine if it matches the one branch, or any branch of an anyOf/oneOf.
    if (o.kind !== 'combined' && u.kind === 'combined') {
      if (u.subschemas.length === 1) {
        const sub = this.compare(o, u.subschemas[0], u);
        if (this.ok(sub)) return sub;
      } else if (u.criterion !== 'allOf') {
        for (const branch of u.subschemas) {
          const sub = this.compare(o, branch, u);
          if (this.ok(sub)) return [...sub, here('SUM_TYPE_EXTENDED')];
        }
      }
    } else if (o.kind === 'combined' && u.kind !== 'combined') {
      if (o.subschemas.length === 1) {
        const sub = this.compare(o.subschemas[0], u, u);
        if (this.ok(sub)) return sub;
      } else if (o.criterion === 'allOf') {
        for (const branch of o.subschemas) {
          const sub = this.compare(branch, u, u);
          if (this.ok(sub)) return [...sub, here('PRODUCT_TYPE_NARROWED')];
        }
      }
    }
    if (classOf(o) !== classOf(u)) {
      // Anything may become the empty schema, and nothing is lost from `false`.
      if (o.kind === 'false' || u.kind === 'empty' || u.kind === 'true') return [];
      if (o.meta.connectBytes && u.meta.connectBytes) return [];
      return [here('TYPE_CHANGED')];
    }
    const found: Found[] = [];
    if (o.meta.id !== u.meta.id) found.push(here('ID_CHANGED'));
    if (o.meta.title !== u.meta.title) found.push(here('TITLE_CHANGED'));
    if (o.meta.description !== u.meta.description) found.push(here('DESCRIPTION_CHANGED'));
    // Object and array defaults are compared by identity in Confluent, so they always count as changed.
    const defaultsDiffer = o.meta.default !== u.meta.default || o.meta.defaultIsValue === false || u.meta.defaultIsValue === false;
    if ((o.meta.default !== undefined || u.meta.default !== undefined) && defaultsDiffer) found.push(here('DEFAULT_CHANGED'));
    switch (o.kind) {
      case 'string':
        return [...found, ...this.string(o, u as NodeOf<'string'>)];
      case 'number':
        return [...found, ...this.number(o, u as NodeOf<'number'>)];
      case 'enum':
        return [...found, ...this.enumeration(o, u as NodeOf<'enum'>)];
      case 'const':
        if (o.value !== (u as NodeOf<'const'>).value) found.push(here('ENUM_ARRAY_CHANGED', 'const', `${u.pointer}/const`));
        return found;
      case 'combined':
        return [...found, ...this.combined(o, u as NodeOf<'combined'>)];
      case 'not': {
        const target = (u as NodeOf<'not'>).target;
        // The excluded set growing narrows what is accepted: compare the targets the other way round.
        const reversed = this.compare(target, o.target, target);
        found.push(here(this.ok(reversed) ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED', 'not', `${u.pointer}/not`));
        return found;
      }
      case 'object':
        return [...found, ...this.object(o, u as NodeOf<'object'>)];
      case 'array':
        return [...found, ...this.array(o, u as NodeOf<'array'>)];
      default:
        return found;
    }
  }

  private bound(
    o: number | undefined,
    u: number | undefined,
    keyword: string,
    node: SchemaNode,
    types: { added: DifferenceType; removed: DifferenceType; increased: DifferenceType; decreased: DifferenceType },
  ): Found[] {
    const at = (type: DifferenceType): Found[] => [{ type, rel: keyword, pointer: u === undefined ? node.pointer : `${node.pointer}/${keyword}`, document: node.document }];
    if (o === undefined && u === undefined) return [];
    if (o === undefined) return at(types.added);
    if (u === undefined) return at(types.removed);
    if (o < u) return at(types.increased);
    if (o > u) return at(types.decreased);
    return [];
  }

  private string(o: NodeOf<'string'>, u: NodeOf<'string'>): Found[] {
    const found = [
      ...this.bound(o.maxLength, u.maxLength, 'maxLength', u, { added: 'MAX_LENGTH_ADDED', removed: 'MAX_LENGTH_REMOVED', increased: 'MAX_LENGTH_INCREASED', decreased: 'MAX_LENGTH_DECREASED' }),
      ...this.bound(o.minLength, u.minLength, 'minLength', u, { added: 'MIN_LENGTH_ADDED', removed: 'MIN_LENGTH_REMOVED', increased: 'MIN_LENGTH_INCREASED', decreased: 'MIN_LENGTH_DECREASED' }),
    ];
    const pattern = (type: DifferenceType) => found.push({ type, rel: 'pattern', pointer: u.pattern === undefined ? u.pointer : `${u.pointer}/pattern`, document: u.document });
    if (o.pattern === undefined && u.pattern !== undefined) pattern('PATTERN_ADDED');
    else if (o.pattern !== undefined && u.pattern === undefined) pattern('PATTERN_REMOVED');
    else if (o.pattern !== u.pattern) pattern('PATTERN_CHANGED');
    return found;
  }

  private number(o: NodeOf<'number'>, u: NodeOf<'number'>): Found[] {
    const found = [
      ...this.bound(o.maximum, u.maximum, 'maximum', u, { added: 'MAXIMUM_ADDED', removed: 'MAXIMUM_REMOVED', increased: 'MAXIMUM_INCREASED', decreased: 'MAXIMUM_DECREASED' }),
      ...this.bound(o.minimum, u.minimum, 'minimum', u, { added: 'MINIMUM_ADDED', removed: 'MINIMUM_REMOVED', increased: 'MINIMUM_INCREASED', decreased: 'MINIMUM_DECREASED' }),
    ];
    const exMax = { added: 'EXCLUSIVE_MAXIMUM_ADDED', removed: 'EXCLUSIVE_MAXIMUM_REMOVED', increased: 'EXCLUSIVE_MAXIMUM_INCREASED', decreased: 'EXCLUSIVE_MAXIMUM_DECREASED' } as const;
    if (o.exclusiveMaximum !== undefined && u.exclusiveMaximum !== undefined && o.exclusiveMaximum > u.exclusiveMaximum) {
      // Confluent tests a lowered exclusiveMaximum against the new `maximum`, so it sees it only when that is lower too.
      if (u.maximum !== undefined && o.exclusiveMaximum > u.maximum) found.push(...this.bound(1, 0, 'exclusiveMaximum', u, exMax));
      else this.blindSpots.push({ what: `exclusiveMaximum lowered from ${o.exclusiveMaximum} to ${u.exclusiveMaximum}`, pointer: `${u.pointer}/exclusiveMaximum` });
    } else found.push(...this.bound(o.exclusiveMaximum, u.exclusiveMaximum, 'exclusiveMaximum', u, exMax));
    found.push(
      ...this.bound(o.exclusiveMinimum, u.exclusiveMinimum, 'exclusiveMinimum', u, {
        added: 'EXCLUSIVE_MINIMUM_ADDED',
        removed: 'EXCLUSIVE_MINIMUM_REMOVED',
        increased: 'EXCLUSIVE_MINIMUM_INCREASED',
        decreased: 'EXCLUSIVE_MINIMUM_DECREASED',
      }),
    );
    const multiple = (type: DifferenceType) => found.push({ type, rel: 'multipleOf', pointer: u.multipleOf === undefined ? u.pointer : `${u.pointer}/multipleOf`, document: u.document });
    if (o.multipleOf === undefined && u.multipleOf !== undefined) multiple('MULTIPLE_OF_ADDED');
    else if (o.multipleOf !== undefined && u.multipleOf === undefined) multiple('MULTIPLE_OF_REMOVED');
    else if (o.multipleOf !== undefined && u.multipleOf !== undefined) {
      const relation = divides(o.multipleOf, u.multipleOf);
      if (relation === 'reduced') multiple('MULTIPLE_OF_REDUCED');
      else if (relation === 'expanded') multiple('MULTIPLE_OF_EXPANDED');
      else if (relation === 'changed') multiple('MULTIPLE_OF_CHANGED');
    }
    if (o.integer !== u.integer) found.push({ type: o.integer ? 'TYPE_EXTENDED' : 'TYPE_NARROWED', rel: '', pointer: u.pointer, document: u.document });
    return found;
  }

  private enumeration(o: NodeOf<'enum'>, u: NodeOf<'enum'>): Found[] {
    const type = setChange(o.values, u.values, 'ENUM_ARRAY_EXTENDED', 'ENUM_ARRAY_NARROWED', 'ENUM_ARRAY_CHANGED');
    return type ? [{ type, rel: 'enum', pointer: `${u.pointer}/enum`, document: u.document }] : [];
  }

  private combined(o: NodeOf<'combined'>, u: NodeOf<'combined'>): Found[] {
    const here = (type: DifferenceType): Found => ({ type, rel: '', pointer: u.pointer, document: u.document });
    const oSubs = dedupe(o.subschemas);
    const uSubs = dedupe(u.subschemas);
    const found: Found[] = [];
    if (o.criterion !== u.criterion) {
      const widening =
        u.criterion === 'anyOf' ||
        (oSubs.length === 1 && uSubs.length === 1) ||
        (oSubs.length === 1 && u.criterion === 'oneOf') ||
        (uSubs.length === 1 && o.criterion === 'allOf');
      // A changed criterion makes the branches incomparable.
      if (!widening) return [here('COMBINED_TYPE_CHANGED')];
      found.push(here('COMBINED_TYPE_EXTENDED'));
    }
    if (oSubs.length < uSubs.length) found.push(here(u.criterion === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED'));
    else if (oSubs.length > uSubs.length) found.push(here(o.criterion === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED'));
    // Every compatible (original branch, update branch) pair is an edge; branches match one-to-one, in any order.
    const edges: Map<number, Found[]>[] = oSubs.map((os, i) => {
      const row = new Map<number, Found[]>();
      uSubs.forEach((us, j) => {
        const sub = this.compare(os, us, us);
        if (this.ok(sub)) row.set(j, prefixed(sub, `${o.criterion}/${i}`));
      });
      return row;
    });
    const matching = maximumMatching(edges, uSubs.length);
    if (matching.size < Math.min(oSubs.length, uSubs.length)) found.push(here('COMBINED_TYPE_SUBSCHEMAS_CHANGED'));
    else for (const [i, j] of [...matching].sort(([a], [b]) => a - b)) found.push(...edges[i]!.get(j)!);
    return found;
  }

  private object(o: NodeOf<'object'>, u: NodeOf<'object'>): Found[] {
    const found: Found[] = [];
    const at = (type: DifferenceType, rel: string, pointer: string) => found.push({ type, rel, pointer, document: u.document });
    const names = [...new Set([...o.properties.keys(), ...u.properties.keys()])];
    for (const name of names) {
      const op = o.properties.get(name);
      const up = u.properties.get(name);
      if (!op || !up) continue;
      const was = o.required.includes(name);
      const is = u.required.includes(name);
      if (!was && is) at(up.meta.default !== undefined ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED', `required/${name}`, `${u.pointer}/required`);
      else if (was && !is) at('REQUIRED_ATTRIBUTE_REMOVED', `required/${name}`, u.pointer);
    }
    for (const name of names) {
      const op = o.properties.get(name);
      const up = u.properties.get(name);
      const rel = `properties/${name}`;
      if (op && up) {
        found.push(...prefixed(this.compare(op, up, up), rel));
      } else if (op) {
        // A removed property is judged by the update's content model: could the update still accept its values?
        if (objectIsOpen(u)) at('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', rel, u.pointer);
        else {
          const covering = objectCovering(u, name);
          if (covering) {
            const sub = this.compare(op, covering, covering);
            found.push(...prefixed(sub, rel));
            at(this.ok(sub) ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', rel, u.pointer);
          } else at(op.kind === 'false' ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', rel, u.pointer);
        }
      } else if (up) {
        // An added property is judged by the original's content model: what could that property hold before?
        const pointer = `${u.pointer}/properties/${escapePointer(name)}`;
        const required = u.required.includes(name);
        const withDefault = up.meta.default !== undefined;
        if (objectIsOpen(o)) {
          if (up.kind === 'empty' || up.kind === 'true') at('PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', rel, pointer);
          else if (required) at(withDefault ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', rel, pointer);
          else at('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', rel, pointer);
        } else {
          const covering = objectCovering(o, name);
          if (covering) {
            const sub = this.compare(covering, up, up);
            found.push(...prefixed(sub, rel));
            at(this.ok(sub) ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', rel, pointer);
          }
          if (required) at(withDefault ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', rel, pointer);
          else at('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', rel, pointer);
        }
      }
    }
    for (const name of new Set([...o.propertyDependencies.keys(), ...u.propertyDependencies.keys()])) {
      const od = o.propertyDependencies.get(name);
      const ud = u.propertyDependencies.get(name);
      const rel = `dependencies/${name}`;
      if (!od) at('DEPENDENCY_ARRAY_ADDED', rel, u.pointer);
      else if (!ud) at('DEPENDENCY_ARRAY_REMOVED', rel, u.pointer);
      else {
        const type = setChange(od, ud, 'DEPENDENCY_ARRAY_EXTENDED', 'DEPENDENCY_ARRAY_NARROWED', 'DEPENDENCY_ARRAY_CHANGED');
        if (type) at(type, rel, u.pointer);
      }
    }
    for (const name of new Set([...o.schemaDependencies.keys(), ...u.schemaDependencies.keys()])) {
      const od = o.schemaDependencies.get(name);
      const ud = u.schemaDependencies.get(name);
      const rel = `dependencies/${name}`;
      if (!od) at('DEPENDENCY_SCHEMA_ADDED', rel, ud!.pointer);
      else if (!ud) at('DEPENDENCY_SCHEMA_REMOVED', rel, u.pointer);
      else found.push(...prefixed(this.compare(od, ud, ud), rel));
    }
    found.push(
      ...this.extra(o.additional, u.additional, 'additionalProperties', u, {
        added: 'ADDITIONAL_PROPERTIES_ADDED',
        removed: 'ADDITIONAL_PROPERTIES_REMOVED',
        extended: 'ADDITIONAL_PROPERTIES_EXTENDED',
        narrowed: 'ADDITIONAL_PROPERTIES_NARROWED',
      }),
      ...this.extra(o.unevaluated ?? ANYTHING, u.unevaluated ?? ANYTHING, 'unevaluatedProperties', u, {
        added: 'UNEVALUATED_PROPERTIES_ADDED',
        removed: 'UNEVALUATED_PROPERTIES_REMOVED',
        extended: 'UNEVALUATED_PROPERTIES_EXTENDED',
        narrowed: 'UNEVALUATED_PROPERTIES_NARROWED',
      }),
      ...this.bound(o.maxProperties, u.maxProperties, 'maxProperties', u, { added: 'MAX_PROPERTIES_ADDED', removed: 'MAX_PROPERTIES_REMOVED', increased: 'MAX_PROPERTIES_INCREASED', decreased: 'MAX_PROPERTIES_DECREASED' }),
      ...this.bound(o.minProperties, u.minProperties, 'minProperties', u, { added: 'MIN_PROPERTIES_ADDED', removed: 'MIN_PROPERTIES_REMOVED', increased: 'MIN_PROPERTIES_INCREASED', decreased: 'MIN_PROPERTIES_DECREASED' }),
    );
    return found;
  }

  private array(o: NodeOf<'array'>, u: NodeOf<'array'>): Found[] {
    const found: Found[] = [];
    const at = (type: DifferenceType, rel: string, pointer: string) => found.push({ type, rel, pointer, document: u.document });
    found.push(...prefixed(this.compare(o.items, u.items, u), 'items'));
    const oTuple = o.tuple ?? [];
    const uTuple = u.tuple ?? [];
    const tupleKeyword = u.json.type === 'object' && u.json.entries.some(([k]) => k === 'prefixItems') ? 'prefixItems' : 'items';
    for (let i = 0; i < Math.max(oTuple.length, uTuple.length); i++) {
      const oi = oTuple[i];
      const ui = uTuple[i];
      const rel = `items/${i}`;
      if (oi && ui) found.push(...prefixed(this.compare(oi, ui, ui), rel));
      else if (oi) {
        if (arrayIsOpen(u)) at('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL', rel, u.pointer);
        else {
          const covering = arrayCovering(u);
          if (covering) {
            const sub = this.compare(oi, covering, covering);
            found.push(...prefixed(sub, rel));
            at(this.ok(sub) ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', rel, u.pointer);
          } else at(oi.kind === 'false' ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', rel, u.pointer);
        }
      } else if (ui) {
        const pointer = `${u.pointer}/${tupleKeyword}/${i}`;
        if (arrayIsOpen(o)) at(ui.kind === 'empty' || ui.kind === 'true' ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL', rel, pointer);
        else {
          const covering = arrayCovering(o);
          if (covering) {
            const sub = this.compare(covering, ui, ui);
            found.push(...prefixed(sub, rel));
            at(this.ok(sub) ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', rel, pointer);
          } else at('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL', rel, pointer);
        }
      }
    }
    found.push(
      ...this.extra(o.additional, u.additional, 'additionalItems', u, {
        added: 'ADDITIONAL_ITEMS_ADDED',
        removed: 'ADDITIONAL_ITEMS_REMOVED',
        extended: 'ADDITIONAL_ITEMS_EXTENDED',
        narrowed: 'ADDITIONAL_ITEMS_NARROWED',
      }),
      ...this.extra(o.unevaluated ?? ANYTHING, u.unevaluated ?? ANYTHING, 'unevaluatedItems', u, {
        added: 'UNEVALUATED_ITEMS_ADDED',
        removed: 'UNEVALUATED_ITEMS_REMOVED',
        extended: 'UNEVALUATED_ITEMS_EXTENDED',
        narrowed: 'UNEVALUATED_ITEMS_NARROWED',
      }),
      ...this.bound(o.maxItems, u.maxItems, 'maxItems', u, { added: 'MAX_ITEMS_ADDED', removed: 'MAX_ITEMS_REMOVED', increased: 'MAX_ITEMS_INCREASED', decreased: 'MAX_ITEMS_DECREASED' }),
      ...this.bound(o.minItems, u.minItems, 'minItems', u, { added: 'MIN_ITEMS_ADDED', removed: 'MIN_ITEMS_REMOVED', increased: 'MIN_ITEMS_INCREASED', decreased: 'MIN_ITEMS_DECREASED' }),
    );
    if (!o.uniqueItems && u.uniqueItems) at('UNIQUE_ITEMS_ADDED', 'uniqueItems', `${u.pointer}/uniqueItems`);
    else if (o.uniqueItems && !u.uniqueItems) at('UNIQUE_ITEMS_REMOVED', 'uniqueItems', u.pointer);
    found.push(
      ...this.bound(o.maxContains, u.maxContains, 'maxContains', u, { added: 'MAX_CONTAINS_ADDED', removed: 'MAX_CONTAINS_REMOVED', increased: 'MAX_CONTAINS_INCREASED', decreased: 'MAX_CONTAINS_DECREASED' }),
      ...this.bound(o.minContains, u.minContains, 'minContains', u, { added: 'MIN_CONTAINS_ADDED', removed: 'MIN_CONTAINS_REMOVED', increased: 'MIN_CONTAINS_INCREASED', decreased: 'MIN_CONTAINS_DECREASED' }),
    );
    return found;
  }

  /** additionalProperties/additionalItems/unevaluated*: allowed or not, and the schema extra members must match. */
  private extra(
    o: Extra,
    u: Extra,
    keyword: string,
    node: SchemaNode,
    types: { added: DifferenceType; removed: DifferenceType; extended: DifferenceType; narrowed: DifferenceType },
  ): Found[] {
    const here = (type: DifferenceType, present: boolean): Found[] => [{ type, rel: keyword, pointer: present ? `${node.pointer}/${keyword}` : node.pointer, document: node.document }];
    if (o.permits !== u.permits) return o.permits ? here(types.removed, true) : here(types.added, false);
    if (!o.schema && u.schema) return here(types.narrowed, true);
    if (o.schema && !u.schema) return here(types.extended, false);
    return prefixed(this.compare(o.schema, u.schema, node), keyword);
  }
}

const ANYTHING: Extra = { permits: true };

/** Everit's schema classes: integer and number share one, every combined schema is one, `true` is not `{}`. */
function classOf(node: SchemaNode): string {
  return node.kind;
}

function dedupe(nodes: SchemaNode[]): SchemaNode[] {
  const seen = new Set<string>();
  return nodes.filter((n) => {
    const key = keyOf(deref(n));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Open: any property name may hold any value. */
export function objectIsOpen(s: NodeOf<'object'>): boolean {
  return s.patterns.length === 0 && s.additional.permits && !s.additional.schema && (!s.unevaluated || (s.unevaluated.permits && !s.unevaluated.schema));
}

/** The schema a property not listed must match in a partially open model: first matching pattern, else the extra schema. */
function objectCovering(s: NodeOf<'object'>, name: string): SchemaNode | undefined {
  return s.patterns.find((p) => p.regex.test(name))?.schema ?? s.additional.schema ?? (s.additional.permits ? s.unevaluated?.schema : undefined);
}

export function arrayIsOpen(s: NodeOf<'array'>): boolean {
  return s.additional.permits && !s.additional.schema && (!s.unevaluated || (s.unevaluated.permits && !s.unevaluated.schema));
}

function arrayCovering(s: NodeOf<'array'>): SchemaNode | undefined {
  return s.additional.schema ?? (s.additional.permits ? s.unevaluated?.schema : undefined);
}

function setChange<T extends DifferenceType>(o: readonly string[], u: readonly string[], extended: T, narrowed: T, changed: T): T | undefined {
  const os = new Set(o);
  const us = new Set(u);
  if (os.size === us.size && [...os].every((v) => us.has(v))) return undefined;
  if ([...os].every((v) => us.has(v))) return extended;
  if ([...us].every((v) => os.has(v))) return narrowed;
  return changed;
}

/** Maximum bipartite matching (augmenting paths); an edge without differences is tried first. Map original → update. */
function maximumMatching(edges: Map<number, Found[]>[], right: number): Map<number, number> {
  const matchOfRight = new Array<number>(right).fill(-1);
  const ordered = edges.map((row) => [...row.entries()].sort(([a, fa], [b, fb]) => fa.length - fb.length || a - b).map(([j]) => j));
  const augment = (i: number, seen: boolean[]): boolean => {
    for (const j of ordered[i]!) {
      if (seen[j]) continue;
      seen[j] = true;
      if (matchOfRight[j] === -1 || augment(matchOfRight[j]!, seen)) {
        matchOfRight[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < edges.length; i++) augment(i, new Array<boolean>(right).fill(false));
  const matching = new Map<number, number>();
  matchOfRight.forEach((i, j) => {
    if (i >= 0) matching.set(i, j);
  });
  return matching;
}

/** How two multipleOf values relate, exactly (as BigDecimal): the original a multiple of the update is a looser rule. */
function divides(original: string, update: string): 'equal' | 'reduced' | 'expanded' | 'changed' {
  const a = decimal(original);
  const b = decimal(update);
  if (!a || !b) return original === update ? 'equal' : 'changed';
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * 10n ** BigInt(scale - a.scale);
  const y = b.unscaled * 10n ** BigInt(scale - b.scale);
  if (x === y) return 'equal';
  if (y !== 0n && x % y === 0n) return 'reduced';
  if (x !== 0n && y % x === 0n) return 'expanded';
  return 'changed';
}

function decimal(text: string): { unscaled: bigint; scale: number } | undefined {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign, int, frac = '', exp = '0'] = m;
  let scale = frac.length - Number(exp);
  let unscaled = BigInt(`${sign}${int}${frac}`);
  // Keep the exponent bounded: a schema's multipleOf of 1E-100000 would otherwise build a huge power of ten.
  if (Math.abs(scale) > 1000) return undefined;
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { unscaled, scale };
}
