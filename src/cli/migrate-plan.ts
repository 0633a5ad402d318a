// What `accord migrate` does, decided without I/O: a registry's state as the public API shows it (or a `_schemas` dump
// replays it), compared with the target's, becomes a plan (versions to register in dependency order, versions to
// soft-delete, settings to write) and a list of conflicts. migrate.ts reads both sides and carries the plan out.

/** A reference as Confluent models it. */
export interface Reference {
  name: string;
  subject: string;
  version: number;
}

/** A schema as `GET /schemas/ids/{id}` answers it (schemaType filled in: a missing one means AVRO). */
export interface SchemaRecord {
  schemaType: string;
  schema: string;
  references: Reference[];
  metadata?: unknown;
  ruleSet?: unknown;
  /** Confluent 8's GUID, when the registry answers one. */
  guid?: string;
}

export interface VersionRecord {
  subject: string;
  version: number;
  id: number;
  deleted: boolean;
}

/** The registry-wide config and mode are kept under this scope, as the API's own `__GLOBAL`. */
export const GLOBAL = '__GLOBAL';

/** Everything a migration copies. */
export interface RegistryState {
  /** The default context's schemas by id. */
  schemas: Map<number, SchemaRecord>;
  /** Every other context's schemas by id, by context name (`team-a` for `:.team-a:orders`): ids repeat across contexts. */
  contextSchemas: Map<string, Map<number, SchemaRecord>>;
  /** Every version, live and soft-deleted. */
  versions: VersionRecord[];
  /** Config in request form (`compatibility`, not `compatibilityLevel`), by subject or GLOBAL. */
  configs: Map<string, Record<string, unknown>>;
  /** Mode by subject or GLOBAL. */
  modes: Map<string, string>;
  /** Contexts besides the default one (`.`), when the registry answers `/contexts`. */
  contexts: string[];
}

export const emptyState = (): RegistryState => ({ schemas: new Map(), contextSchemas: new Map(), versions: [], configs: new Map(), modes: new Map(), contexts: [] });

/** The schemas by id of the context a subject (or a settings scope) lives in, created when missing. */
export function schemasOf(state: RegistryState, subject: string): Map<number, SchemaRecord> {
  const context = contextOf(subject);
  if (context === undefined) return state.schemas;
  let schemas = state.contextSchemas.get(context);
  if (!schemas) state.contextSchemas.set(context, (schemas = new Map()));
  return schemas;
}

/** A subject named by a reference of a schema in `subject`'s context, qualified: references resolve in their context. */
export function qualifiedReference(subject: string, referenced: string): string {
  if (referenced.startsWith(':.:')) return referenced.slice(3);
  const context = contextOf(subject);
  return context === undefined || referenced.startsWith(':.') ? referenced : `:.${context}:${referenced}`;
}

/** One context's part of a state (undefined: the default context), as a registry of its own: ids are per context. */
function contextPart(state: RegistryState, context: string | undefined): RegistryState {
  const inContext = (scope: string) => (scope === GLOBAL ? context === undefined : contextOf(scope) === context);
  return {
    schemas: context === undefined ? state.schemas : (state.contextSchemas.get(context) ?? new Map()),
    contextSchemas: new Map(),
    versions: state.versions.filter((v) => contextOf(v.subject) === context),
    configs: new Map([...state.configs].filter(([scope]) => inContext(scope))),
    modes: new Map([...state.modes].filter(([scope]) => inContext(scope))),
    contexts: [],
  };
}

/** The contexts a state holds versions or settings in, the default one (undefined) first. */
function contextsOf(...states: RegistryState[]): (string | undefined)[] {
  const named = new Set<string>();
  for (const state of states) {
    for (const v of state.versions) if (contextOf(v.subject) !== undefined) named.add(contextOf(v.subject)!);
    for (const scope of [...state.configs.keys(), ...state.modes.keys()]) if (contextOf(scope) !== undefined) named.add(contextOf(scope)!);
  }
  return [undefined, ...[...named].sort()];
}

export interface PlannedVersion extends VersionRecord {
  schema: SchemaRecord;
}

export interface SubjectCounts {
  versions: number;
  /** Already in the target, identical. */
  present: number;
  register: number;
  softDelete: number;
  conflicts: number;
}

export interface Plan {
  /** Registrations, each after every version it references. */
  register: PlannedVersion[];
  /** Soft deletes, run after every registration, referrers before what they reference. */
  softDelete: VersionRecord[];
  /** Settings the target lacks or holds differently, written at the end (the mode last). */
  configs: [scope: string, config: Record<string, unknown>][];
  modes: [scope: string, mode: string][];
  conflicts: string[];
  perSubject: Map<string, SubjectCounts>;
  /** Subjects left out because of a conflict (with --force). */
  skippedSubjects: string[];
}

const key = (subject: string, version: number) => `${subject}\u0000${version}`;

/** Deep equality of JSON values (key order ignored: registries may print objects in any order). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return (a ?? null) === (b ?? null);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameJson(v, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The same schema, byte for byte in its text, and the same type, references, metadata and rule set. */
export function sameSchema(a: SchemaRecord, b: SchemaRecord): boolean {
  return a.schema === b.schema && a.schemaType === b.schemaType && sameJson(a.references, b.references) && sameJson(a.metadata ?? null, b.metadata ?? null) && sameJson(a.ruleSet ?? null, b.ruleSet ?? null);
}

/** What tells schemas apart in a registry's eyes, as one string. */
const identity = (s: SchemaRecord) => JSON.stringify([s.schemaType, s.schema, s.references, s.metadata ?? null, s.ruleSet ?? null]);

/** A context-qualified subject (`:.ctx:name`, or a context's settings scope `:.ctx:`) outside the default context: its context, else undefined. */
export function contextOf(subject: string): string | undefined {
  const match = /^:\.([^:]*):/.exec(subject);
  return match && match[1] !== '' ? match[1] : undefined;
}

/** The start of a schema's text on one line, for naming it in a conflict. */
const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
};

const describeVersion = (v: VersionRecord) => `${v.subject} version ${v.version}`;

/**
 * Compares `source` with `target` and plans the copy. A conflict is anything the copy would have to overwrite or
 * cannot reproduce: an id the target holds with another schema, a schema the target holds under another id, a version
 * the target holds with another id (or deleted where the source's is live), a version only the target has in a subject
 * the source has. With `force`, a subject with a conflict is left as the target holds it (and so is every version that
 * references into it); the conflicts are still reported.
 */
export function planMigration(source: RegistryState, target: RegistryState, options: { force?: boolean } = {}): Plan {
  // Each context is planned as a registry of its own (its ids are its own); the default context first, so that a
  // reference from another context into it finds its versions registered.
  const plans = contextsOf(source).map((context) => {
    const plan = planContext(contextPart(source, context), contextPart(target, context), options);
    return context === undefined ? plan : { ...plan, conflicts: plan.conflicts.map((c) => `context .${context}: ${c}`) };
  });
  const modes = plans.flatMap((p) => p.modes);
  // The global mode is written last: a READONLY source must not block the writes before it.
  modes.sort(([a], [b]) => Number(a === GLOBAL) - Number(b === GLOBAL));
  return {
    register: plans.flatMap((p) => p.register),
    // Referrers before what they reference: a context's versions may reference the default context's, never the reverse.
    softDelete: [...plans].reverse().flatMap((p) => p.softDelete),
    configs: plans.flatMap((p) => p.configs),
    modes,
    conflicts: plans.flatMap((p) => p.conflicts),
    perSubject: new Map(plans.flatMap((p) => [...p.perSubject])),
    skippedSubjects: plans.flatMap((p) => p.skippedSubjects).sort(),
  };
}

/** The plan for one context (see planMigration); every version and setting of both states is in that context. */
function planContext(source: RegistryState, target: RegistryState, options: { force?: boolean }): Plan {
  const conflicts: string[] = [];
  const bad = new Set<string>();
  const conflict = (subject: string | undefined, message: string) => {
    conflicts.push(message);
    if (subject !== undefined) bad.add(subject);
  };

  const inDefault = source.versions;

  const targetVersions = new Map(target.versions.map((v) => [key(v.subject, v.version), v]));
  const targetIds = new Map([...target.schemas].map(([id, s]) => [identity(s), id]));
  const sourceKeys = new Set(inDefault.map((v) => key(v.subject, v.version)));
  const sourceSubjects = new Set(inDefault.map((v) => v.subject));

  // Ids first: a different schema under the same id, or the same schema under another id, blocks every version using it.
  const badIds = new Set<number>();
  for (const [id, schema] of source.schemas) {
    const there = target.schemas.get(id);
    if (there && !sameSchema(there, schema)) {
      badIds.add(id);
      const what = there.schema === schema.schema ? 'the same text with other references, metadata or rule set' : `${there.schemaType} ${excerpt(there.schema)}; the source's: ${schema.schemaType} ${excerpt(schema.schema)}`;
      conflict(undefined, `id ${id}: the target holds a different schema under it (${what})`);
    } else if (!there) {
      const other = targetIds.get(identity(schema));
      if (other !== undefined) {
        badIds.add(id);
        conflict(undefined, `id ${id}: the target holds the same schema under id ${other}`);
      }
    }
  }

  const perSubject = new Map<string, SubjectCounts>();
  const counts = (subject: string) => {
    let c = perSubject.get(subject);
    if (!c) perSubject.set(subject, (c = { versions: 0, present: 0, register: 0, softDelete: 0, conflicts: 0 }));
    return c;
  };
  const toRegister: VersionRecord[] = [];
  const toDelete: VersionRecord[] = [];
  for (const v of inDefault) {
    const c = counts(v.subject);
    c.versions++;
    const there = targetVersions.get(key(v.subject, v.version));
    if (there && there.id !== v.id) {
      c.conflicts++;
      conflict(v.subject, `${describeVersion(v)}: the target holds id ${there.id} there, the source id ${v.id}`);
    } else if (badIds.has(v.id)) {
      c.conflicts++;
      conflict(v.subject, `${describeVersion(v)}: uses id ${v.id}, which conflicts (above)`);
    } else if (!there) {
      c.register++;
      toRegister.push(v);
      if (v.deleted) {
        c.softDelete++;
        toDelete.push(v);
      }
    } else if (there.deleted && !v.deleted) {
      c.conflicts++;
      conflict(v.subject, `${describeVersion(v)}: soft-deleted in the target, live in the source`);
    } else if (!there.deleted && v.deleted) {
      c.softDelete++;
      c.present++;
      toDelete.push(v);
    } else {
      c.present++;
    }
  }
  for (const v of target.versions) {
    if (sourceSubjects.has(v.subject) && !sourceKeys.has(key(v.subject, v.version))) {
      counts(v.subject).conflicts++;
      conflict(v.subject, `${describeVersion(v)}: in the target (id ${v.id}) but not in the source`);
    }
  }

  // With --force, conflicting subjects stay as the target holds them, and so does whatever references into them.
  const skipped = new Set(options.force ? bad : []);
  const byKey = new Map(inDefault.map((v) => [key(v.subject, v.version), v]));
  if (options.force) {
    let grew = true;
    while (grew) {
      grew = false;
      for (const v of toRegister) {
        if (skipped.has(v.subject)) continue;
        if (source.schemas.get(v.id)?.references.some((r) => skipped.has(qualifiedReference(v.subject, r.subject)))) {
          skipped.add(v.subject);
          grew = true;
        }
      }
    }
  }
  const keep = (v: VersionRecord) => !skipped.has(v.subject);

  const register = dependencyOrder(toRegister.filter(keep), source, byKey);
  const softDelete = dependencyOrder(toDelete.filter(keep), source, byKey)
    .reverse()
    .map(({ schema: _, ...v }) => v);

  const configs: Plan['configs'] = [];
  for (const [scope, config] of source.configs) {
    if (scope !== GLOBAL && skipped.has(scope)) continue;
    if (!sameJson(target.configs.get(scope), config)) configs.push([scope, config]);
  }
  const modes: Plan['modes'] = [];
  for (const [scope, mode] of source.modes) {
    if (scope !== GLOBAL && skipped.has(scope)) continue;
    if (target.modes.get(scope) !== mode) modes.push([scope, mode]);
  }

  return { register, softDelete, configs, modes, conflicts, perSubject, skippedSubjects: [...skipped].sort() };
}

/**
 * Versions ordered so each comes after the versions its schema references (when those are in the list too), else by
 * subject and version: a depth-first walk over the reference graph.
 */
function dependencyOrder(versions: VersionRecord[], source: RegistryState, byKey: Map<string, VersionRecord>): PlannedVersion[] {
  const wanted = new Set(versions.map((v) => key(v.subject, v.version)));
  const done = new Set<string>();
  const out: PlannedVersion[] = [];
  const visit = (v: VersionRecord, path: Set<string>) => {
    const k = key(v.subject, v.version);
    if (done.has(k) || path.has(k)) return;
    path.add(k);
    const schema = source.schemas.get(v.id);
    if (!schema) throw new Error(`the source lists ${describeVersion(v)} with id ${v.id}, but holds no schema under that id`);
    for (const ref of schema.references) {
      const target = byKey.get(key(qualifiedReference(v.subject, ref.subject), ref.version));
      if (target && wanted.has(key(target.subject, target.version))) visit(target, path);
    }
    done.add(k);
    out.push({ ...v, schema });
  };
  const sorted = [...versions].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
  for (const v of sorted) visit(v, new Set());
  return out;
}

/** The differences between two states after a copy, one line each (empty when they agree), context by context. */
export function compareStates(source: RegistryState, target: RegistryState, skippedSubjects: readonly string[] = []): string[] {
  return contextsOf(source).flatMap((context) => {
    const problems = compareContext(contextPart(source, context), contextPart(target, context), skippedSubjects);
    return context === undefined ? problems : problems.map((p) => `context .${context}: ${p}`);
  });
}

function compareContext(source: RegistryState, target: RegistryState, skippedSubjects: readonly string[]): string[] {
  const skip = new Set(skippedSubjects);
  const problems: string[] = [];
  const targetVersions = new Map(target.versions.map((v) => [key(v.subject, v.version), v]));
  const copied = source.versions.filter((v) => !skip.has(v.subject));
  const ids = new Set(copied.map((v) => v.id));
  for (const id of [...ids].sort((a, b) => a - b)) {
    const a = source.schemas.get(id);
    const b = target.schemas.get(id);
    if (!b) problems.push(`id ${id}: not readable from the target`);
    else if (a && !sameSchema(a, b)) problems.push(`id ${id}: reads back differently from the target (${a.schema === b.schema ? 'references, metadata or rule set' : 'schema text'})`);
  }
  for (const v of copied) {
    const there = targetVersions.get(key(v.subject, v.version));
    if (!there) problems.push(`${describeVersion(v)}: missing in the target`);
    else if (there.id !== v.id || there.deleted !== v.deleted) {
      problems.push(`${describeVersion(v)}: the target has id ${there.id}${there.deleted ? ' (soft-deleted)' : ''}, the source id ${v.id}${v.deleted ? ' (soft-deleted)' : ''}`);
    }
  }
  for (const [scope, config] of source.configs) {
    if (skip.has(scope)) continue;
    if (!sameJson(target.configs.get(scope), config)) problems.push(`config of ${scope === GLOBAL ? 'the registry' : scope}: ${JSON.stringify(target.configs.get(scope) ?? null)} in the target, ${JSON.stringify(config)} in the source`);
  }
  for (const [scope, mode] of source.modes) {
    if (skip.has(scope)) continue;
    if (target.modes.get(scope) !== mode) problems.push(`mode of ${scope === GLOBAL ? 'the registry' : scope}: ${target.modes.get(scope) ?? 'none'} in the target, ${mode} in the source`);
  }
  return problems;
}

/** `--dry-run`'s answer: per subject what would happen, then the conflicts. */
export function printPlan(plan: Plan): string {
  const lines: string[] = [];
  const subjects = [...plan.perSubject.keys()].sort();
  for (const s of subjects) {
    const c = plan.perSubject.get(s)!;
    const parts = [`${c.versions} version(s)`, `${c.present} already there`, `${c.register} to register`];
    if (c.softDelete) parts.push(`${c.softDelete} to soft-delete`);
    if (c.conflicts) parts.push(`${c.conflicts} conflict(s)`);
    lines.push(`${s}: ${parts.join(', ')}`);
  }
  const total = (f: keyof SubjectCounts) => subjects.reduce((n, s) => n + plan.perSubject.get(s)![f], 0);
  lines.push(
    `${subjects.length} subject(s): ${total('register')} version(s) to register, ${total('softDelete')} to soft-delete, ${total('present')} already there; ` +
      `${plan.configs.length} config(s) and ${plan.modes.length} mode(s) to set`,
  );
  if (plan.conflicts.length) lines.push(`${plan.conflicts.length} conflict(s):`, ...plan.conflicts.map((c) => `  ${c}`));
  else lines.push('no conflicts');
  return lines.join('\n');
}
