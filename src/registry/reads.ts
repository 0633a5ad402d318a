// Reads of the Confluent model: schemas by id, listings, one version, lookups of a schema under a subject.
import { parseGuid } from '../storage/guids.js';
import type { SchemaRow, Store, VersionRow } from '../storage/store.js';
import { BoundedMap } from './bounded-map.js';
import type { SchemaChecks } from './checks.js';
import { errors } from './errors.js';
import { ALL_CONTEXTS, DEFAULT_CONTEXT, contextOf, contextPrefix, unqualifiedName } from './contexts.js';
import { subjectName, type Subject, type VersionSpec } from './identifiers.js';
import type { SchemaRequest } from './request.js';
import { formatOf, schemaKey, type ParsedSchemaCache } from './schemas.js';
import type { Settings } from './settings.js';
import { schemaView, versionView, type SchemaVersionView, type SchemaView } from './views.js';

/** Estimated bytes of cached answers by id (each also held serialised, with its ETag, by the HTTP layer). */
const ANSWER_CACHE_BYTES = 32 * 1024 * 1024;
/** JavaScript strings take two bytes a character; the rest of an answer is a few hundred bytes of object. */
export const weighAnswer = (key: string, view: SchemaView) => 2 * (key.length + 2 * view.schema.length) + 512;

const live = (rows: VersionRow[]) => rows.filter((r) => !r.deleted);

export class SchemaReads {
  /** Answers of GET /schemas/ids/{id}, by id and format. */
  private readonly answers = new BoundedMap<string, SchemaView>(ANSWER_CACHE_BYTES, weighAnswer);
  /** Subjects carrying each id (soft-deleted versions included), for authorisation by id; cleared with `answers`. */
  private readonly carriers = new BoundedMap<string, string[]>(ANSWER_CACHE_BYTES / 4, (_, subjects) => 64 + subjects.reduce((n, s) => n + 2 * s.length + 16, 0));

  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    private readonly cache: ParsedSchemaCache,
    private readonly checks: SchemaChecks,
  ) {}

  /** Forgets every cached answer: an id may have stopped being readable. */
  forget(): void {
    this.answers.clear();
    this.carriers.clear();
  }

  // ---- ids

  /**
   * A schema by id: readable while at least one version (even soft-deleted) carries it. Answers are cached: an id's
   * schema never changes, and an id stops being readable only when every version carrying it is hard-deleted, which
   * clears the cache here and, through the store's change notices, in every other replica.
   */
  async schemaById(
    context: string,
    id: number,
    options: { format?: string | undefined; fetchMaxId?: boolean } = {},
  ): Promise<SchemaView & { maxId?: number }> {
    const key = `${schemaKey(context, id)}\u0000${options.format ?? ''}`;
    let view = this.answers.get(key);
    if (!view) {
      const row = await this.carriedSchema(context, id);
      view = { ...schemaView(row), schema: await this.rendered(row, options.format) };
      this.answers.set(key, view);
    }
    return options.fetchMaxId ? { ...view, maxId: await this.store.maxSchemaId(context) } : view;
  }

  /**
   * The context in which `/schemas/ids/{id}?subject=` looks the id up: the subject's own. An unqualified subject that
   * does not carry the id in the default context is looked for in the other contexts, as CP does (a client of a
   * context-scoped registry names subjects without their context).
   */
  async contextForId(id: number, subject: string | undefined): Promise<string> {
    if (subject === undefined) return DEFAULT_CONTEXT;
    const named = subjectName(subject);
    const context = contextOf(named);
    if (context !== DEFAULT_CONTEXT || named.startsWith(':')) return context;
    if ((await this.subjectsCarrying(context, id)).includes(named)) return context;
    for (const other of await this.store.contexts()) {
      if (other === DEFAULT_CONTEXT) continue;
      if ((await this.subjectsCarrying(other, id)).includes(contextPrefix(other) + named)) return other;
    }
    return context;
  }

  /**
   * The subjects whose versions (soft-deleted ones too) carry an id; [] for an id nothing carries. Cached: a subject
   * stops carrying an id only by a hard delete, which clears the cache. One registered since may be missing: a caller
   * that finds no subject it may read asks again with `fresh`.
   */
  async subjectsCarrying(context: string, id: number, fresh = false): Promise<string[]> {
    const key = schemaKey(context, id);
    const cached = fresh ? undefined : this.carriers.get(key);
    if (cached) return cached;
    const subjects = [...new Set((await this.store.versionsCarrying(context, [id])).map((r) => r.subject))];
    // An id nothing carries yet may be registered next: not remembered.
    if (subjects.length) this.carriers.set(key, subjects);
    return subjects;
  }

  // ---- GUIDs (Confluent 8): a schema's content address, the same in every registry that holds it

  /**
   * The `{context, id}` pairs of the schemas with this GUID that some version (even soft-deleted) of their context
   * carries, the default context first, then by context and id; [] for an unknown or malformed GUID. The same schema
   * registered in several contexts has an id in each, all with one GUID.
   */
  async idsOfGuid(guid: string): Promise<{ context: string; id: number }[]> {
    const canonical = parseGuid(guid);
    return canonical ? (await this.store.carriedSchemasByGuid(canonical)).map((r) => ({ context: r.context, id: r.id })) : [];
  }

  /** GET /schemas/guids/{guid}: as a read by id of the first pair carrying it (the default context's, if any); 40403 when none does. */
  async schemaByGuid(guid: string, options: { format?: string | undefined } = {}): Promise<SchemaView> {
    const [first] = await this.idsOfGuid(guid);
    if (first === undefined) throw errors.schemaNotFound(guid);
    return this.schemaById(first.context, first.id, options);
  }

  /** GET /schemas/guids/{guid}/ids: each id with its context (`.` is the default one, as in Confluent). */
  async idsInContexts(guid: string): Promise<{ context: string; id: number }[]> {
    const pairs = await this.idsOfGuid(guid);
    if (pairs.length === 0) throw errors.schemaNotFound(guid);
    return pairs.sort((a, b) => compareStrings(a.context, b.context) || a.id - b.id);
  }

  /** Subject versions carrying a schema id of a context (live only unless `deleted`); 40403 when nothing carries it at all. */
  async versionsOfId(context: string, id: number, options: { subject?: string | undefined; deleted: boolean }): Promise<{ subject: string; version: number }[]> {
    const rows = await this.store.versionsCarrying(context, [id]);
    if (rows.length === 0) throw errors.schemaNotFound();
    return rows
      .filter((r) => (options.deleted || !r.deleted) && (options.subject === undefined || r.subject === options.subject))
      .map((r) => ({ subject: r.subject, version: r.version }));
  }

  /** The schema text in the rendering `?format=` asks for (Avro `resolved`, Protobuf `serialized`); unknown formats are ignored. */
  private async rendered(row: SchemaRow, format: string | undefined): Promise<string> {
    if (!format) return row.schema;
    return formatOf(row.schemaType).render?.(await this.cache.get(this.store, row), format) ?? row.schema;
  }

  private async carriedSchema(context: string, id: number): Promise<SchemaRow> {
    const row = await this.store.carriedSchemaById(context, id);
    if (!row) throw errors.schemaNotFound(id);
    return row;
  }

  // ---- listings

  /** Subjects matching a `subjectPrefix` (see subjectFilter; undefined means every context). */
  async subjects(options: { prefix: string | undefined; deleted: boolean; deletedOnly: boolean }): Promise<string[]> {
    const rows = await this.store.subjects();
    const matches = subjectFilter(options.prefix);
    return rows
      .filter((r) => matches(r.subject))
      .filter((r) => (options.deletedOnly ? !r.live : options.deleted || r.live))
      .map((r) => r.subject)
      .sort(compareStrings);
  }

  /** Every version of the subjects matching a `subjectPrefix` ('' or undefined: every context), with its schema. */
  async schemas(options: { prefix: string | undefined; deleted: boolean; latestOnly: boolean }): Promise<SchemaVersionView[]> {
    const prefix = options.prefix || ALL_CONTEXTS;
    const matches = subjectFilter(prefix);
    // A prefix naming one context is one range of qualified names; the store narrows by it.
    const literal = prefix.startsWith(ALL_CONTEXTS) || !prefix.startsWith(':.') ? '' : subjectName(prefix);
    let rows = (await this.store.allVersions(literal)).filter((r) => (options.deleted || !r.deleted) && matches(r.subject));
    if (options.latestOnly) rows = rows.filter((r, i) => rows[i + 1]?.subject !== r.subject);
    rows.sort((a, b) => compareStrings(a.subject, b.subject) || a.version - b.version);
    const schemas = await this.schemasOf(rows);
    return rows.map((r) => versionView(r, schemas(r)));
  }

  /** The schemas of versions, read one context at a time (ids are unique only within a context). */
  private async schemasOf(rows: VersionRow[]): Promise<(row: VersionRow) => SchemaRow> {
    const byContext = new Map<string, Set<number>>();
    for (const r of rows) {
      const context = contextOf(r.subject);
      byContext.set(context, (byContext.get(context) ?? new Set()).add(r.schemaId));
    }
    const found = new Map<string, SchemaRow>();
    for (const [context, ids] of byContext) {
      for (const row of (await this.store.schemasByIds(context, [...ids])).values()) found.set(schemaKey(context, row.id), row);
    }
    return (r) => found.get(schemaKey(contextOf(r.subject), r.schemaId))!;
  }

  async versions(subject: Subject, options: { deleted: boolean; deletedOnly: boolean; deletedAsNegative: boolean }): Promise<number[]> {
    const rows = (await this.store.versionsOf(subject)).filter((r) => (options.deletedOnly ? r.deleted : options.deleted || !r.deleted));
    if (rows.length === 0) throw errors.subjectNotFound(subject);
    return rows.map((r) => (options.deletedAsNegative && r.deleted ? -r.version : r.version));
  }

  // ---- one version

  async version(subject: Subject, spec: VersionSpec, deleted: boolean, format?: string): Promise<SchemaVersionView> {
    const version = await this.findVersion(subject, spec, deleted);
    const row = (await this.store.schemaById(contextOf(subject), version.schemaId))!;
    const view = versionView(version, row);
    return format ? { ...view, schema: await this.rendered(row, format) } : view;
  }

  /** Resolves a version of a subject: 40401 when the subject has nothing visible, 40402 when that version is not there. */
  private async findVersion(subject: Subject, spec: VersionSpec, deleted: boolean): Promise<VersionRow> {
    const store = this.store;
    const row = spec === 'latest' ? await store.latestVersion(subject, true) : await store.versionRow(subject, spec);
    if (row && (deleted || !row.deleted)) return row;
    if (!(await store.latestVersion(subject, !deleted))) throw errors.subjectNotFound(subject);
    throw errors.versionNotFound(spec === 'latest' ? -1 : spec);
  }

  /** The newest live version whose metadata properties hold every given key/value pair (CP 7.4+). */
  async latestWithMetadata(subject: Subject, wanted: [string, string][]): Promise<SchemaVersionView> {
    const rows = await this.store.liveVersions(subject);
    if (rows.length === 0) throw errors.subjectNotFound(subject);
    const schemas = await this.store.schemasByIds(contextOf(subject), [...new Set(rows.map((r) => r.schemaId))]);
    for (const r of rows.reverse()) {
      const row = schemas.get(r.schemaId)!;
      const properties = (row.metadata?.properties ?? {}) as Record<string, unknown>;
      if (wanted.every(([k, v]) => properties[k] === v)) return versionView(r, row);
    }
    throw errors.schemaNotFound();
  }

  async referencedBy(subject: Subject, spec: VersionSpec, deleted: boolean): Promise<number[]> {
    const rows = await this.store.versionsOf(subject);
    if (rows.length === 0) throw errors.subjectNotFound(subject);
    const row = spec === 'latest' ? (live(rows).at(-1) ?? rows.at(-1)) : rows.find((r) => r.version === spec);
    if (!row) throw errors.versionNotFound(spec === 'latest' ? -1 : spec);
    const holders = await this.store.versionsReferencing(subject, row.version);
    return [...new Set(holders.filter((h) => deleted || !h.deleted).map((h) => h.schemaId))].sort((a, b) => a - b);
  }

  // ---- lookup

  async lookup(subject: Subject, request: SchemaRequest, options: { normalize?: boolean | undefined; deleted: boolean }): Promise<SchemaVersionView> {
    const store = this.store;
    const rows = (await store.versionsOf(subject)).filter((r) => options.deleted || !r.deleted);
    if (rows.length === 0) throw errors.subjectNotFound(subject);
    const config = await this.settings.effectiveConfig(store, subject);
    const normalize = options.normalize ?? config.normalize === true;
    if (request.schema === undefined || request.schema.trim() === '') throw errors.invalidSchema('Empty schema');
    const candidate = await this.checks.candidate(store, subject, request, normalize, false, true);
    const schemas = await store.schemasByIds(contextOf(subject), [...new Set(rows.map((r) => r.schemaId))]);
    const newestFirst = [...rows].sort((a, b) => Number(a.deleted) - Number(b.deleted) || b.version - a.version);
    const exact = newestFirst.find((r) => schemas.get(r.schemaId)?.fingerprint === candidate.fingerprint);
    if (exact) return versionView(exact, schemas.get(exact.schemaId)!);
    const served = await this.servedDescriptorOf(candidate.schemaType, request.schema, newestFirst, schemas);
    if (served) return versionView(served, schemas.get(served.schemaId)!);
    // Otherwise only what registration also takes as already registered (Confluent's lookUpSchemaUnderSubject): a
    // schema sent without references, with their types inlined, that is deeply equal to a version that has references.
    // Any other difference in text (option order, say, without normalize) is another schema, as registering it shows.
    if (candidate.references.length > 0) throw errors.schemaNotFound();
    for (const r of newestFirst) {
      const row = schemas.get(r.schemaId)!;
      if (row.schemaType !== candidate.schemaType || row.references.length === 0) continue;
      const stored = await this.cache.get(store, row);
      if (stored.equivalence === candidate.parsed.equivalence) return versionView(r, row);
    }
    throw errors.schemaNotFound();
  }

  /**
   * The version whose `?format=serialized` answer is exactly `text`. Confluent's Protobuf serializers read a schema
   * by id in that form and look it up again (`useSchemaId`); Accord's descriptors leave out custom options, so the
   * text they print to can differ from the version's, where Confluent's, which keep them, print the same.
   */
  private async servedDescriptorOf(schemaType: string, text: string, versions: VersionRow[], schemas: Map<number, SchemaRow>): Promise<VersionRow | undefined> {
    const render = formatOf(schemaType).render;
    if (schemaType !== 'PROTOBUF' || !render || /\s/.test(text.trim())) return undefined;
    for (const r of versions) {
      const row = schemas.get(r.schemaId)!;
      if (row.schemaType === schemaType && render(await this.cache.get(this.store, row), 'serialized') === text.trim()) return r;
    }
    return undefined;
  }
}

/**
 * Which subjects a `subjectPrefix` names, as CP reads it: none given or `:*:` is every context (`:*:ord` the subjects
 * of every context whose own name starts with `ord`); `:.team-a:ord` the subjects of `.team-a` starting with `ord`
 * (`:.:ord` those of the default context); any other prefix (even '') the default context's subjects starting with it.
 */
export function subjectFilter(prefix: string | undefined): (subject: string) => boolean {
  if (prefix === undefined) return () => true;
  if (prefix.startsWith(ALL_CONTEXTS)) {
    const rest = prefix.slice(ALL_CONTEXTS.length);
    return (subject) => unqualifiedName(subject).startsWith(rest);
  }
  const named = subjectName(prefix);
  const context = contextOf(named);
  const rest = unqualifiedName(named);
  return (subject) => contextOf(subject) === context && unqualifiedName(subject).startsWith(rest);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
