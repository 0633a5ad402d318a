// fast-check arbitraries for Avro schema evolutions: a random base schema plus 1–3 random edits applied to a copy.
//
// The model below is turned into Avro JSON only at the end, so every emitted schema is valid Avro for Java, Python
// (avro 1.11) and avsc alike: names match [A-Za-z_][A-Za-z0-9_]*, named types get unique simple names (R3, E7, F2, renamed
// ones R3_v1), unions hold no nested unions and no two branches of the same unnamed type, field names are unique within a
// record, defaults are computed from the field's type (a union's default follows its *first* branch, as Avro ≤ 1.11
// requires), and references to named types are only ever written where Python resolves them exactly as Java does.
//
// Python's checker departs from Avro Java (which Accord follows, reference §A) on three points; the generator never
// produces a pair on which the departure could change a verdict, and avro-differential.test.ts pins each case explicitly:
//   • §A.2 name rule, aliases: Java qualifies a bare alias with the reader's own namespace; Python compares it raw. A bare
//     alias is therefore emitted only where both readings give the same answer (see `emitAliases`).
//   • §A.2 name rule, names: Java compares unqualified names; Python compares the `name` attribute *as written*, so a
//     dotted `"name": "a.R"` never equals `"R"` there. A type is written dotted only if its namespace is explicit and no
//     edit ever changes it (`dotted` types are excluded from namespace edits), so both sides spell it identically.
//   • §A.6: a reader field whose name and aliases hit two writer fields is AMBIGUOUS_FIELD_ALIAS for Java, while Python
//     takes the direct name. Pairs where that could happen are filtered out (`ambiguousAliases`).
//   • §A.2 name rule, full names: `"namespace": ""` is the null namespace for Java (Name: `if ("".equals(space)) space =
//     null`) but means "inherit" to Python 1.11 (NamedSchema turns "" into None before qualifying), so Python gives such a
//     type — and its bare aliases — the enclosing namespace. "" is only emitted where the enclosing namespace is null.
// Types written "error" instead of "record" are never generated (Python treats error≠record; Java sees RECORD for both).
import fc from 'fast-check';

export type Prim = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';
export const PRIMS: readonly Prim[] = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'];

export type Logical = Record<string, string | number>;

export interface PrimT {
  k: 'prim';
  t: Prim;
  logical?: Logical;
}
export interface ArrayT {
  k: 'array';
  items: T;
}
export interface MapT {
  k: 'map';
  values: T;
}
export interface UnionT {
  k: 'union';
  branches: T[];
}
/** A use of the nearest enclosing record (linked lists, trees). */
export interface SelfT {
  k: 'self';
}
/** An alias of a named type: `target` is the full name meant (as Java reads it); `bare` asks to write it unqualified. */
export interface AliasT {
  target: string;
  bare: boolean;
}
interface NamedBase {
  id: number;
  name: string;
  /** undefined: inherit the enclosing namespace; '': the null namespace; else that namespace. */
  nsDecl?: string;
  /** Written as `"name": "<ns>.<name>"` (only with an explicit non-empty nsDecl, which then never changes). */
  dotted: boolean;
  aliases: AliasT[];
}
export interface EnumT extends NamedBase {
  k: 'enum';
  symbols: string[];
  default?: string;
}
export interface FixedT extends NamedBase {
  k: 'fixed';
  size: number;
  logical?: Logical;
}
export interface RecordT extends NamedBase {
  k: 'record';
  fields: FieldT[];
}
export interface FieldT {
  name: string;
  type: T;
  hasDefault: boolean;
  aliases: string[];
}
export type NamedT = EnumT | FixedT | RecordT;
export type T = PrimT | ArrayT | MapT | UnionT | SelfT | NamedT;

/** One generated evolution: the old and the new schema as Avro JSON, plus what was done. */
export interface AvroEvolution {
  old: unknown;
  next: unknown;
  edits: string[];
  /** Kinds of the edits that changed something. */
  kinds: EditKind[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Base schemas

const NAMESPACES = ['a', 'a.b', 'com.acme', 'z'] as const;
const SYMBOLS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
const FIXED_SIZES = [1, 2, 4, 8, 12, 16] as const;

/** Logical types by underlying primitive, valid ones and some Java/Python silently ignore (wrong base, bad params, unknown). */
const LOGICALS: Record<Prim, Logical[]> = {
  null: [{ logicalType: 'x-custom' }],
  boolean: [{ logicalType: 'x-custom' }],
  int: [{ logicalType: 'date' }, { logicalType: 'time-millis' }, { logicalType: 'timestamp-millis' }],
  long: [{ logicalType: 'timestamp-millis' }, { logicalType: 'timestamp-micros' }, { logicalType: 'time-micros' }, { logicalType: 'local-timestamp-millis' }],
  float: [{ logicalType: 'x-custom' }],
  double: [{ logicalType: 'decimal', precision: 4 }],
  bytes: [{ logicalType: 'decimal', precision: 10, scale: 2 }, { logicalType: 'decimal', precision: 4, scale: 6 }],
  string: [{ logicalType: 'uuid' }, { logicalType: 'date' }],
};
const FIXED_LOGICALS: Logical[] = [{ logicalType: 'decimal', precision: 3, scale: 1 }, { logicalType: 'decimal', precision: 40 }, { logicalType: 'duration' }];

const nsDeclArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 5, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.constantFrom(...NAMESPACES) },
);

/** Namespace declaration, dotted spelling and alias noise of a named type (its id and name come later). */
const namedBaseArb: fc.Arbitrary<NamedBase> = fc
  .record({ nsDecl: nsDeclArb, dottedRoll: fc.nat(4), aliasNoise: fc.nat(9) })
  .map(({ nsDecl, dottedRoll, aliasNoise }) => ({
    id: -1,
    name: '',
    ...(nsDecl !== undefined ? { nsDecl } : {}),
    dotted: nsDecl !== undefined && nsDecl !== '' && dottedRoll === 0,
    aliases: aliasNoise === 0 ? [{ target: 'legacy.Gone', bare: false }] : [],
  }));

const primArb: fc.Arbitrary<PrimT> = fc.record({ t: fc.constantFrom(...PRIMS), logicalRoll: fc.nat(5), pick: fc.nat() }).map(({ t, logicalRoll, pick }) => {
  const options = LOGICALS[t];
  return logicalRoll === 0 ? { k: 'prim', t, logical: options[pick % options.length]! } : { k: 'prim', t };
});

const enumArb: fc.Arbitrary<EnumT> = fc
  .record({ base: namedBaseArb, symbols: fc.shuffledSubarray([...SYMBOLS], { minLength: 1, maxLength: 4 }), defaultRoll: fc.nat(2), pick: fc.nat() })
  .map(({ base, symbols, defaultRoll, pick }) => ({
    k: 'enum',
    ...base,
    symbols,
    ...(defaultRoll === 0 ? { default: symbols[pick % symbols.length]! } : {}),
  }));

const fixedArb: fc.Arbitrary<FixedT> = fc
  .record({ base: namedBaseArb, size: fc.constantFrom(...FIXED_SIZES), logicalRoll: fc.nat(4), pick: fc.nat() })
  .map(({ base, size, logicalRoll, pick }) => ({
    k: 'fixed',
    ...base,
    size,
    ...(logicalRoll === 0 ? { logical: FIXED_LOGICALS[pick % FIXED_LOGICALS.length]! } : {}),
  }));

/** What makes two branches of one union clash: the same primitive, two arrays, two maps, or the same named type. */
function unionKeyOf(t: T): string {
  switch (t.k) {
    case 'prim':
      return t.t;
    case 'array':
    case 'map':
    case 'self':
    case 'union':
      return t.k;
    default:
      return `#${t.id}`;
  }
}

/** Whether `t` may take the place of `current` among the branches of `u`. */
function fitsUnion(u: UnionT, current: T | null, t: T): boolean {
  return t.k !== 'union' && !u.branches.some((b) => b !== current && unionKeyOf(b) === unionKeyOf(t));
}

function unionArb(branch: fc.Arbitrary<T>): fc.Arbitrary<UnionT> {
  return fc.record({ branches: fc.array(branch, { minLength: 1, maxLength: 4 }), nullFirst: fc.nat(2) }).map(({ branches, nullFirst }) => {
    const seen = new Set<string>();
    const kept = branches.filter((b) => {
      const key = b.k === 'prim' ? b.t : b.k === 'array' || b.k === 'map' ? b.k : null;
      if (key === null) return true;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (nullFirst === 0) {
      const rest = kept.filter((b) => !(b.k === 'prim' && b.t === 'null'));
      return { k: 'union', branches: [{ k: 'prim', t: 'null' }, ...rest] };
    }
    return { k: 'union', branches: kept };
  });
}

function recordArb(fieldType: fc.Arbitrary<T>, minFields: number): fc.Arbitrary<RecordT> {
  const field = fc.record({ type: fieldType, hasDefault: fc.boolean(), aliasNoise: fc.nat(7) }).map(
    ({ type, hasDefault, aliasNoise }): FieldT => ({ name: '', type, hasDefault, aliases: aliasNoise === 0 ? ['legacy'] : [] }),
  );
  const recursion = fc.constantFrom<(T | null)[]>(
    null,
    null,
    null,
    null,
    { k: 'union', branches: [{ k: 'prim', t: 'null' }, { k: 'self' }] },
    { k: 'union', branches: [{ k: 'prim', t: 'null' }, { k: 'self' }] },
    { k: 'array', items: { k: 'self' } },
    { k: 'map', values: { k: 'self' } },
  );
  return fc
    .record({ base: namedBaseArb, fields: fc.array(field, { minLength: minFields, maxLength: 4 }), recursion, recursiveDefault: fc.boolean() })
    .map(({ base, fields, recursion, recursiveDefault }) => ({
      k: 'record',
      ...base,
      fields: recursion ? [...fields, { name: '', type: structuredClone(recursion), hasDefault: recursiveDefault, aliases: [] }] : fields,
    }));
}

const typeArbs = new Map<number, fc.Arbitrary<T>>();
/** Types nested at most `depth` levels (arrays, maps, unions and records count a level). */
export function typeArb(depth: number): fc.Arbitrary<T> {
  const known = typeArbs.get(depth);
  if (known) return known;
  let arb: fc.Arbitrary<T>;
  if (depth <= 0) {
    arb = fc.oneof({ weight: 8, arbitrary: primArb }, { weight: 2, arbitrary: enumArb }, { weight: 1, arbitrary: fixedArb });
  } else {
    const sub = typeArb(depth - 1);
    arb = fc.oneof(
      { weight: 10, arbitrary: primArb },
      { weight: 3, arbitrary: enumArb },
      { weight: 2, arbitrary: fixedArb },
      { weight: 1, arbitrary: sub.map((items): T => ({ k: 'array', items })) },
      { weight: 1, arbitrary: sub.map((values): T => ({ k: 'map', values })) },
      { weight: 3, arbitrary: unionArb(sub) },
      { weight: 2, arbitrary: recordArb(sub, 0) },
    );
  }
  typeArbs.set(depth, arb);
  return arb;
}

/** Root: usually a record (with 1–4 fields plus maybe a recursive one), sometimes any type. */
const rootShapeArb: fc.Arbitrary<T> = fc.oneof({ weight: 9, arbitrary: recordArb(typeArb(2), 1) }, { weight: 1, arbitrary: typeArb(2) });

/** Deep copy of a shape with fresh ids/names for its named types and field names f0, f1, … */
function instantiate(shape: T, counter: { next: number }): T {
  const t = structuredClone(shape);
  walkTypes(t, (node) => {
    if (node.k === 'enum' || node.k === 'fixed' || node.k === 'record') {
      node.id = counter.next++;
      node.name = `${node.k === 'enum' ? 'E' : node.k === 'fixed' ? 'F' : 'R'}${node.id}`;
    }
    if (node.k === 'record') {
      node.fields.forEach((f, i) => {
        f.name = `f${i}`;
        f.aliases = f.aliases.map((a) => `${a}_${f.name}`);
      });
    }
  });
  return t;
}

// ---------------------------------------------------------------------------------------------------------------------
// Walking

/** Visits every node once, in document order (a named type used in several places is visited where it is defined). */
function walkTypes(t: T, visit: (t: T) => void, seen = new Set<T>()): void {
  if (isNamed(t)) {
    if (seen.has(t)) return;
    seen.add(t);
  }
  visit(t);
  switch (t.k) {
    case 'array':
      return walkTypes(t.items, visit, seen);
    case 'map':
      return walkTypes(t.values, visit, seen);
    case 'union':
      return t.branches.forEach((b) => walkTypes(b, visit, seen));
    case 'record':
      return t.fields.forEach((f) => walkTypes(f.type, visit, seen));
  }
}

const isNamed = (t: T): t is NamedT => t.k === 'enum' || t.k === 'fixed' || t.k === 'record';

/** A place holding a type: the root, a field's type, array items, map values or a union branch. */
interface Slot {
  node: T;
  set(t: T): void;
  /** The union holding this node directly, if any. */
  union?: UnionT;
  /** Has an enclosing record (so `self` may be placed here). */
  inRecord: boolean;
  /** Named types enclosing this place. */
  ancestors: NamedT[];
}

/** Every place holding a type; the inside of a named type used in several places is listed once. */
function slotsOf(holder: { root: T }): Slot[] {
  const out: Slot[] = [];
  const seen = new Set<T>();
  const walk = (node: T, set: (t: T) => void, union: UnionT | undefined, inRecord: boolean, ancestors: NamedT[]): void => {
    out.push({ node, set, ...(union ? { union } : {}), inRecord, ancestors });
    if (isNamed(node)) {
      if (seen.has(node)) return;
      seen.add(node);
    }
    switch (node.k) {
      case 'array':
        return walk(node.items, (v) => (node.items = v), undefined, inRecord, ancestors);
      case 'map':
        return walk(node.values, (v) => (node.values = v), undefined, inRecord, ancestors);
      case 'union':
        return node.branches.forEach((b, i) => walk(b, (v) => (node.branches[i] = v), node, inRecord, ancestors));
      case 'record':
        return node.fields.forEach((f) => walk(f.type, (v) => (f.type = v), undefined, true, [...ancestors, node]));
    }
  };
  walk(holder.root, (v) => (holder.root = v), undefined, false, []);
  return out;
}

function allOf<K extends T['k']>(root: T, kind: K): Extract<T, { k: K }>[] {
  const out: Extract<T, { k: K }>[] = [];
  walkTypes(root, (t) => {
    if (t.k === kind) out.push(t as Extract<T, { k: K }>);
  });
  return out;
}

function namedOf(root: T): NamedT[] {
  const out: NamedT[] = [];
  walkTypes(root, (t) => {
    if (t.k === 'enum' || t.k === 'fixed' || t.k === 'record') out.push(t);
  });
  return out;
}

/** Effective namespace of every named type (Java and Python agree on inheritance from the enclosing named type). */
function namespaces(root: T): Map<NamedT, string | null> {
  const out = new Map<NamedT, string | null>();
  const walk = (t: T, ctx: string | null): void => {
    switch (t.k) {
      case 'array':
        return walk(t.items, ctx);
      case 'map':
        return walk(t.values, ctx);
      case 'union':
        return t.branches.forEach((b) => walk(b, ctx));
      case 'enum':
      case 'fixed':
      case 'record': {
        if (out.has(t)) return; // a later use of a type defined earlier
        const ns = t.nsDecl === undefined ? ctx : t.nsDecl === '' ? null : t.nsDecl;
        out.set(t, ns);
        if (t.k === 'record') t.fields.forEach((f) => walk(f.type, ns));
      }
    }
  };
  walk(root, null);
  return out;
}

/** Whether some named type declares `"namespace": ""` inside a non-null enclosing namespace (Python reads it as inherit). */
function nullNamespaceEscapes(root: T): boolean {
  let found = false;
  const seen = new Set<T>();
  const walk = (t: T, ctx: string | null): void => {
    switch (t.k) {
      case 'array':
        return walk(t.items, ctx);
      case 'map':
        return walk(t.values, ctx);
      case 'union':
        return t.branches.forEach((b) => walk(b, ctx));
      case 'enum':
      case 'fixed':
      case 'record': {
        if (seen.has(t)) return;
        seen.add(t);
        if (t.nsDecl === '' && ctx !== null) found = true;
        const ns = t.nsDecl === undefined ? ctx : t.nsDecl === '' ? null : t.nsDecl;
        if (t.k === 'record') t.fields.forEach((f) => walk(f.type, ns));
      }
    }
  };
  walk(root, null);
  return found;
}

const fullName = (name: string, ns: string | null) => (ns ? `${ns}.${name}` : name);

function maxId(root: T): number {
  return namedOf(root).reduce((m, n) => Math.max(m, n.id), -1);
}

// ---------------------------------------------------------------------------------------------------------------------
// Edits

export const EDIT_KINDS = {
  addField: 6,
  removeField: 5,
  renameField: 5,
  toggleDefault: 4,
  reorderFields: 1,
  retypePrimitive: 10,
  replaceType: 3,
  renameNamed: 4,
  changeNamespace: 3,
  renameAndMove: 2,
  addSymbol: 3,
  removeSymbol: 3,
  toggleEnumDefault: 3,
  resizeFixed: 2,
  addBranch: 4,
  removeBranch: 4,
  wrapInUnion: 4,
  unwrapUnion: 2,
  reorderUnion: 2,
  wrapInContainer: 2,
  swapArrayMap: 1,
  unwrapContainer: 1,
  setLogical: 3,
  addRecursiveField: 2,
  reuseNamed: 3,
} as const;
export type EditKind = keyof typeof EDIT_KINDS;

interface Edit {
  kind: EditKind;
  at: number;
  a: number;
  b: number;
  type: T;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.oneof(...Object.entries(EDIT_KINDS).map(([kind, weight]) => ({ weight, arbitrary: fc.constant(kind as EditKind) }))),
  at: fc.nat(),
  a: fc.nat(),
  b: fc.nat(),
  type: typeArb(1),
});

/** Edits to the base schema before it evolves: reusing named types (only that; the type is unused). */
const baseEditArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constant<EditKind>('reuseNamed'),
  at: fc.nat(),
  a: fc.nat(),
  b: fc.nat(),
  type: fc.constant<T>({ k: 'prim', t: 'null' }),
});

const pick = <X>(xs: readonly X[], n: number): X | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);

function primDefault(t: Prim): unknown {
  return { null: null, boolean: true, int: 7, long: -3, float: 1.5, double: 2.25, bytes: 'ab', string: 'x' }[t];
}

/** Applies one edit to `holder.root` in place; returns a description, or null if the edit found nothing to act on. */
function applyEdit(holder: { root: T }, e: Edit, k: number, counter: { next: number }): string | null {
  const root = holder.root;
  const records = allOf(root, 'record');
  const fresh = () => instantiate(e.type, counter);
  switch (e.kind) {
    case 'addField': {
      const r = pick(records, e.at);
      if (!r) return null;
      const name = `n${k}`;
      r.fields.splice(e.a % (r.fields.length + 1), 0, { name, type: fresh(), hasDefault: e.b % 2 === 0, aliases: [] });
      return `${r.name}: add field ${name} ${e.b % 2 === 0 ? 'with' : 'without'} default`;
    }
    case 'removeField': {
      const r = pick(records.filter((x) => x.fields.length > 0), e.at);
      if (!r) return null;
      const [f] = r.fields.splice(e.a % r.fields.length, 1);
      return `${r.name}: remove field ${f!.name}`;
    }
    case 'renameField': {
      const r = pick(records.filter((x) => x.fields.length > 0), e.at);
      if (!r) return null;
      const f = r.fields[e.a % r.fields.length]!;
      const old = f.name;
      f.name = `${old}_r${k}`;
      const mode = e.b % 3;
      f.aliases = mode === 0 ? [] : mode === 1 ? [old] : [...f.aliases, old];
      return `${r.name}: rename field ${old} → ${f.name} ${mode === 0 ? 'without alias' : 'with alias'}`;
    }
    case 'toggleDefault': {
      const r = pick(records.filter((x) => x.fields.length > 0), e.at);
      if (!r) return null;
      const f = r.fields[e.a % r.fields.length]!;
      f.hasDefault = !f.hasDefault;
      return `${r.name}: ${f.hasDefault ? 'add' : 'drop'} default of ${f.name}`;
    }
    case 'reorderFields': {
      const r = pick(records.filter((x) => x.fields.length > 1), e.at);
      if (!r) return null;
      r.fields.reverse();
      return `${r.name}: reverse field order`;
    }
    case 'retypePrimitive': {
      const s = pick(slotsOf(holder).filter((x) => x.node.k === 'prim'), e.at);
      if (!s) return null;
      const from = (s.node as PrimT).t;
      const to = PRIMS[e.a % PRIMS.length]!;
      if (s.union && !fitsUnion(s.union, s.node, { k: 'prim', t: to })) return null;
      s.set({ k: 'prim', t: to });
      return `retype ${from} → ${to}`;
    }
    case 'replaceType': {
      const s = pick(slotsOf(holder), e.at);
      if (!s) return null;
      const t = fresh();
      if (s.union && !fitsUnion(s.union, s.node, t)) return null;
      const was = s.node.k === 'prim' ? s.node.t : s.node.k;
      s.set(t);
      return `replace ${was} with ${t.k === 'prim' ? t.t : t.k}`;
    }
    case 'renameNamed':
    case 'renameAndMove': {
      const candidates = e.kind === 'renameAndMove' ? namedOf(root).filter((n) => !n.dotted) : namedOf(root);
      const n = pick(candidates, e.at);
      if (!n) return null;
      const oldFull = fullName(n.name, namespaces(root).get(n)!);
      const oldName = n.name;
      n.name = `${n.name}_v${k}`;
      // 0: no alias; 1: the old full name, written fully qualified; 2: the old name written bare (Java qualifies it with
      // the reader's own namespace); 3: an alias naming something else.
      const mode = e.a % 4;
      const alias: AliasT | null =
        mode === 1 ? { target: oldFull, bare: false } : mode === 2 ? { target: oldFull, bare: true } : mode === 3 ? { target: `other.${oldName}`, bare: false } : null;
      n.aliases = alias ? [...(e.b % 2 === 0 ? n.aliases : []), alias] : n.aliases;
      let moved = '';
      if (e.kind === 'renameAndMove') {
        const options: (string | undefined)[] = [undefined, '', ...NAMESPACES].filter((x) => x !== n.nsDecl);
        const ns = options[e.b % options.length];
        if (ns === undefined) delete n.nsDecl;
        else n.nsDecl = ns;
        moved = ` and move it to namespace ${ns === undefined ? '(inherited)' : ns === '' ? '(null)' : ns}`;
      }
      return `rename ${n.k} ${oldFull} → ${n.name}${moved}, ${['no alias', 'qualified alias', 'bare alias', 'unrelated alias'][mode]}`;
    }
    case 'changeNamespace': {
      const n = pick(namedOf(root).filter((x) => !x.dotted), e.at);
      if (!n) return null;
      const options: (string | undefined)[] = [undefined, '', ...NAMESPACES].filter((x) => x !== n.nsDecl);
      const ns = options[e.a % options.length];
      if (ns === undefined) delete n.nsDecl;
      else n.nsDecl = ns;
      return `${n.name}: namespace → ${ns === undefined ? '(inherited)' : ns === '' ? '(null)' : ns}`;
    }
    case 'addSymbol': {
      const en = pick(allOf(root, 'enum'), e.at);
      if (!en) return null;
      const sym = pick(SYMBOLS.filter((s) => !en.symbols.includes(s)), e.a);
      if (!sym) return null;
      en.symbols.splice(e.b % (en.symbols.length + 1), 0, sym);
      return `${en.name}: add symbol ${sym}`;
    }
    case 'removeSymbol': {
      const en = pick(allOf(root, 'enum').filter((x) => x.symbols.length > 1), e.at);
      if (!en) return null;
      const [sym] = en.symbols.splice(e.a % en.symbols.length, 1);
      if (en.default === sym) {
        if (e.b % 2 === 0) delete en.default;
        else en.default = en.symbols[0]!;
      }
      return `${en.name}: remove symbol ${sym}`;
    }
    case 'toggleEnumDefault': {
      const en = pick(allOf(root, 'enum'), e.at);
      if (!en) return null;
      if (en.default !== undefined) {
        delete en.default;
        return `${en.name}: drop enum default`;
      }
      en.default = en.symbols[e.a % en.symbols.length]!;
      return `${en.name}: enum default ${en.default}`;
    }
    case 'resizeFixed': {
      const fx = pick(allOf(root, 'fixed'), e.at);
      if (!fx) return null;
      const old = fx.size;
      fx.size = pick(FIXED_SIZES.filter((s) => s !== old), e.a)!;
      return `${fx.name}: size ${old} → ${fx.size}`;
    }
    case 'addBranch': {
      const u = pick(allOf(root, 'union'), e.at);
      if (!u) return null;
      let t = fresh();
      if (t.k === 'union') t = t.branches[0]!;
      if (!fitsUnion(u, null, t)) {
        const p = pick(PRIMS.filter((x) => !u.branches.some((b) => b.k === 'prim' && b.t === x)), e.a);
        if (!p) return null;
        t = { k: 'prim', t: p };
      }
      u.branches.splice(e.b % (u.branches.length + 1), 0, t);
      return `union: add branch ${t.k === 'prim' ? t.t : t.k}`;
    }
    case 'removeBranch': {
      const u = pick(allOf(root, 'union').filter((x) => x.branches.length > 1), e.at);
      if (!u) return null;
      const [b] = u.branches.splice(e.a % u.branches.length, 1);
      return `union: remove branch ${b!.k === 'prim' ? b!.t : b!.k}`;
    }
    case 'wrapInUnion': {
      const s = pick(slotsOf(holder).filter((x) => !x.union && x.node.k !== 'union' && !(x.node.k === 'prim' && x.node.t === 'null')), e.at);
      if (!s) return null;
      const nul: T = { k: 'prim', t: 'null' };
      s.set({ k: 'union', branches: e.a % 2 === 0 ? [nul, s.node] : [s.node, nul] });
      return `make ${s.node.k === 'prim' ? s.node.t : s.node.k} optional (null ${e.a % 2 === 0 ? 'first' : 'last'})`;
    }
    case 'unwrapUnion': {
      const s = pick(slotsOf(holder).filter((x) => x.node.k === 'union'), e.at);
      if (!s) return null;
      const u = s.node as UnionT;
      const b = u.branches[e.a % u.branches.length]!;
      if (s.union) return null;
      s.set(b);
      return `replace union by its branch ${b.k === 'prim' ? b.t : b.k}`;
    }
    case 'reorderUnion': {
      const u = pick(allOf(root, 'union').filter((x) => x.branches.length > 1), e.at);
      if (!u) return null;
      const [b] = u.branches.splice(e.a % u.branches.length, 1);
      u.branches.unshift(b!);
      return `union: move ${b!.k === 'prim' ? b!.t : b!.k} first`;
    }
    case 'wrapInContainer': {
      const s = pick(slotsOf(holder), e.at);
      if (!s) return null;
      const kind = e.a % 2 === 0 ? 'array' : 'map';
      if (s.union && !fitsUnion(s.union, s.node, { k: kind } as T)) return null;
      s.set(kind === 'array' ? { k: 'array', items: s.node } : { k: 'map', values: s.node });
      return `wrap ${s.node.k === 'prim' ? s.node.t : s.node.k} in ${kind}`;
    }
    case 'swapArrayMap': {
      const s = pick(slotsOf(holder).filter((x) => x.node.k === 'array' || x.node.k === 'map'), e.at);
      if (!s) return null;
      const n = s.node as ArrayT | MapT;
      const to: T = n.k === 'array' ? { k: 'map', values: n.items } : { k: 'array', items: n.values };
      if (s.union && !fitsUnion(s.union, n, to)) return null;
      s.set(to);
      return `${n.k} → ${to.k}`;
    }
    case 'unwrapContainer': {
      const s = pick(slotsOf(holder).filter((x) => x.node.k === 'array' || x.node.k === 'map'), e.at);
      if (!s) return null;
      const n = s.node as ArrayT | MapT;
      const inner = n.k === 'array' ? n.items : n.values;
      if (s.union && !fitsUnion(s.union, n, inner)) return null;
      s.set(inner);
      return `unwrap ${n.k}`;
    }
    case 'setLogical': {
      const s = pick(slotsOf(holder).filter((x) => x.node.k === 'prim' || x.node.k === 'fixed'), e.at);
      if (!s) return null;
      const n = s.node as PrimT | FixedT;
      if (n.logical) {
        delete n.logical;
        return `drop logical type`;
      }
      n.logical = n.k === 'fixed' ? pick(FIXED_LOGICALS, e.a)! : pick(LOGICALS[n.t], e.a)!;
      return `add logicalType ${n.logical.logicalType}`;
    }
    case 'reuseNamed': {
      // Use an existing named type in another place too (written there by full name).
      const n = pick(namedOf(root), e.at);
      if (!n) return null;
      const s = pick(slotsOf(holder).filter((x) => x.node !== n && !x.ancestors.includes(n) && (!x.union || fitsUnion(x.union, x.node, n))), e.a);
      if (!s) return null;
      const was = s.node.k === 'prim' ? s.node.t : s.node.k;
      s.set(n);
      return `use ${n.k} ${n.name} again in place of ${was}`;
    }
    case 'addRecursiveField': {
      const r = pick(records, e.at);
      if (!r) return null;
      const name = `n${k}`;
      const type: T = e.a % 3 === 2 ? { k: 'array', items: { k: 'self' } } : { k: 'union', branches: [{ k: 'prim', t: 'null' }, { k: 'self' }] };
      r.fields.push({ name, type, hasDefault: e.b % 3 !== 0, aliases: [] });
      return `${r.name}: add recursive field ${name}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Validity

/** Java/Python-valid: no nested unions, no duplicate union branches, every `self` inside a record, unique full names. */
function isValid(root: T): boolean {
  if (nullNamespaceEscapes(root)) return false;
  const ns = namespaces(root);
  const seen = new Set<string>();
  for (const n of namedOf(root)) {
    const full = fullName(n.name, ns.get(n)!);
    if (seen.has(full)) return false;
    seen.add(full);
  }
  let ok = true;
  const walked = new Set<T>();
  const walk = (t: T, rec: RecordT | null): void => {
    switch (t.k) {
      case 'self':
        if (!rec) ok = false;
        return;
      case 'array':
        return walk(t.items, rec);
      case 'map':
        return walk(t.values, rec);
      case 'union': {
        const keys = new Set<string>();
        if (t.branches.length === 0) ok = false;
        for (const b of t.branches) {
          const key = b.k === 'self' ? `#${rec?.id}` : unionKeyOf(b);
          if (b.k === 'union') ok = false;
          if (keys.has(key)) ok = false;
          keys.add(key);
          walk(b, rec);
        }
        return;
      }
      case 'record': {
        if (walked.has(t)) return;
        walked.add(t);
        const names = new Set(t.fields.map((f) => f.name));
        if (names.size !== t.fields.length) ok = false;
        return t.fields.forEach((f) => walk(f.type, t));
      }
    }
  };
  walk(root, null);
  return ok;
}

/**
 * §A.6: true when some reader field could match two writer fields through its name and aliases (Java: incompatible,
 * Python: the direct name wins). Checked over every reader/writer record pair, which over-approximates the pairs the
 * checker actually visits.
 */
export function ambiguousAliases(reader: T, writer: T): boolean {
  const writerRecords = allOf(writer, 'record');
  return allOf(reader, 'record').some((r) =>
    r.fields.some((f) => {
      if (f.aliases.length === 0) return false;
      const wanted = new Set([f.name, ...f.aliases]);
      return writerRecords.some((w) => w.fields.filter((x) => wanted.has(x.name)).length > 1);
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Avro JSON

/**
 * A default for `t` as Avro ≤ 1.11 accepts it (unions: the first branch), or undefined if none is finite or it would
 * go through a record in `open` — one still being defined where the default is written: Java validates a default while
 * parsing its field, when such a record has no fields yet ("Schema fields not set yet"), and avsc fails likewise.
 */
function defaultOf(t: T, self: RecordT | null, stack: RecordT[], open: ReadonlySet<RecordT>): { value: unknown } | undefined {
  switch (t.k) {
    case 'prim':
      return { value: primDefault(t.t) };
    case 'enum':
      return { value: t.symbols[0] };
    case 'fixed':
      return { value: 'a'.repeat(t.size) };
    case 'array':
      return { value: [] };
    case 'map':
      return { value: {} };
    case 'union':
      return defaultOf(t.branches[0]!, self, stack, open);
    case 'self':
      return self ? defaultOf(self, null, stack, open) : undefined;
    case 'record': {
      if (stack.includes(t) || open.has(t)) return undefined;
      const value: Record<string, unknown> = {};
      for (const f of t.fields) {
        const d = defaultOf(f.type, t, [...stack, t], open);
        if (!d) return undefined;
        value[f.name] = d.value;
      }
      return { value };
    }
  }
}

/**
 * Aliases as written. Java qualifies every dot-free alias with the reader's own namespace, Python compares it raw (§A.2),
 * so a dot-free alias — a bare one, or the full name of a null-namespace type — is written dot-free only where both
 * readings match the same names of the other schema; otherwise it is written as Java reads it (`<namespace>.<name>`),
 * which Python reads the same way.
 */
function emitAliases(n: NamedT, ns: string | null, otherFullNames: Set<string>): string[] {
  return n.aliases.map(({ target, bare }) => {
    if (!bare && target.includes('.')) return target;
    const simple = target.slice(target.lastIndexOf('.') + 1);
    if (ns === null) return simple; // both read it as the null-namespace name
    const javaReading = `${ns}.${simple}`;
    return otherFullNames.has(javaReading) || otherFullNames.has(simple) ? javaReading : simple;
  });
}

/** Avro JSON of `root`, or null if it would use a type Python cannot resolve where it is used. */
function toJson(root: T, otherFullNames: Set<string>): unknown {
  const ns = namespaces(root);
  const defined = new Set<NamedT>();
  const open = new Set<RecordT>();
  let unresolvable = false;
  const emit = (t: T, self: RecordT | null, ctx: string | null): unknown => {
    switch (t.k) {
      case 'prim':
        return t.logical ? { type: t.t, ...t.logical } : t.t;
      case 'array':
        return { type: 'array', items: emit(t.items, self, ctx) };
      case 'map':
        return { type: 'map', values: emit(t.values, self, ctx) };
      case 'union':
        return t.branches.map((b) => emit(b, self, ctx));
      case 'self':
        // Written by full name: resolves identically in Java and Python from inside the record itself.
        return fullName(self!.name, ns.get(self!)!);
      default: {
        const own = ns.get(t)!;
        if (defined.has(t)) {
          // A later use: by full name. Java (and Accord) would also find a null-namespace type from inside another
          // namespace by falling back to the null namespace; Python 1.11 does not, so such uses are not generated.
          if (own === null && ctx !== null) unresolvable = true;
          return fullName(t.name, own);
        }
        defined.add(t);
        const head: Record<string, unknown> = { type: t.k };
        if (t.dotted) head.name = fullName(t.name, own);
        else {
          head.name = t.name;
          if (t.nsDecl !== undefined) head.namespace = t.nsDecl;
        }
        const aliases = emitAliases(t, own, otherFullNames);
        if (aliases.length > 0) head.aliases = aliases;
        switch (t.k) {
          case 'enum':
            return { ...head, symbols: t.symbols, ...(t.default !== undefined ? { default: t.default } : {}) };
          case 'fixed':
            return { ...head, size: t.size, ...(t.logical ?? {}) };
          case 'record': {
            open.add(t);
            const fields = t.fields.map((f) => {
              const type = emit(f.type, t, own);
              const d = f.hasDefault ? defaultOf(f.type, t, [], open) : undefined;
              return {
                name: f.name,
                type,
                ...(d ? { default: d.value } : {}),
                ...(f.aliases.length > 0 ? { aliases: f.aliases } : {}),
              };
            });
            open.delete(t);
            return { ...head, fields };
          }
        }
      }
    }
  };
  const json = emit(root, null, null);
  return unresolvable ? null : json;
}

function fullNamesOf(root: T): Set<string> {
  const ns = namespaces(root);
  return new Set(namedOf(root).map((n) => fullName(n.name, ns.get(n)!)));
}

/** Builds one evolution from a base shape and a list of edits; null when the result is not usable. */
export function buildEvolution(shape: T, baseEdits: readonly Edit[], edits: readonly Edit[]): AvroEvolution | null {
  const counter = { next: 0 };
  const base = { root: instantiate(shape, counter) };
  const shared: string[] = [];
  // The base schema itself may use some named types in more than one place.
  baseEdits.forEach((e) => {
    const d = applyEdit(base, e, 0, counter);
    if (d) shared.push(`base: ${d}`);
  });
  const old = base.root;
  const holder = { root: structuredClone(old) };
  counter.next = Math.max(counter.next, maxId(old) + 1);
  const done: string[] = [];
  const kinds: EditKind[] = [];
  edits.forEach((e, i) => {
    const d = applyEdit(holder, e, i + 1, counter);
    if (d) {
      done.push(d);
      kinds.push(e.kind);
    }
  });
  const next = holder.root;
  if (!isValid(old) || !isValid(next)) return null;
  if (ambiguousAliases(next, old) || ambiguousAliases(old, next)) return null;
  const oldJson = toJson(old, fullNamesOf(next));
  const nextJson = toJson(next, fullNamesOf(old));
  if (oldJson === null || nextJson === null) return null;
  return { old: oldJson, next: nextJson, edits: [...shared, ...done], kinds };
}

/** A base Avro schema (maybe reusing some named types) and an evolved copy (1–3 edits), both as Avro JSON. */
export const avroEvolutionArb: fc.Arbitrary<AvroEvolution> = fc
  .tuple(rootShapeArb, fc.array(baseEditArb, { maxLength: 2 }), fc.array(editArb, { minLength: 1, maxLength: 3 }))
  .map(([shape, baseEdits, edits]) => buildEvolution(shape, baseEdits, edits))
  .filter((x): x is AvroEvolution => x !== null);
