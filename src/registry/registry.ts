// The rules of the Confluent model, independent of HTTP: subjects, versions, ids, reads, register, lookup, checks.
import type { ParsedSchema } from '../formats/index.js';
import { DEFAULT_LIMITS, overLimitMessage, type SchemaLimits } from '../formats/limits.js';
import type { SchemaRow, Store, VersionRow } from '../storage/store.js';
import { storageFailureOf } from '../storage/errors.js';
import { BoundedMap } from './bounded-map.js';
import { checkCompatibility, confluentMessages, isTransitive, type PreviousVersion } from './compatibility.js';
import { deleteSubject, deleteVersion } from './deletes.js';
import { errors, RegistryError } from './errors.js';
import { DEFAULT_COMPATIBILITY, parseCompatibilityLevel, type CompatibilityLevel, type Subject, type VersionSpec } from './identifiers.js';
import type { SchemaRequest } from './request.js';
import {
  fingerprintOf,
  formatOf,
  normalizeReferences,
  ParsedSchemaCache,
  parseSchema,
  resolveReferences,
} from './schemas.js';
import { configView, Settings, type ConfigRecord } from './settings.js';
import { configAsOf, versionsAsOf } from './history.js';
import { catalogFacts, type CatalogEntry } from '../governance/catalog.js';
import { describeFindings, evaluate, policyFor } from '../governance/policy.js';
import type { GovernanceFinding } from '../governance/rule.js';
import { schemaView, versionView, type CompatibilityResult, type SchemaVersionView, type SchemaView } from './views.js';

export interface RegistryOptions {
  /** Deepest schema nesting accepted (JSON levels for Avro). */
  maxSchemaDepth: number;
  /** Size limits on schemas clients send (DEFAULT_LIMITS when absent); stored schemas load whatever their size. */
  limits?: SchemaLimits | undefined;
  defaultCompatibility?: CompatibilityLevel;
}

/** A schema request parsed and identified: everything register and lookup compare on. */
interface Candidate {
  parsed: ParsedSchema;
  schemaType: string;
  references: SchemaRow['references'];
  metadata: Record<string, unknown> | null;
  ruleSet: Record<string, unknown> | null;
  fingerprint: string;
}

/** A registration's inputs: the candidate (and its validation error, if any) and the settings it was decided under. */
interface Attempt {
  candidate: Candidate;
  invalid?: RegistryError | undefined;
  config: ConfigRecord;
  mode: string;
  normalize: boolean;
}

const live = (rows: VersionRow[]) => rows.filter((r) => !r.deleted);

/** Estimated bytes of cached answers by id (each also held serialised, with its ETag, by the HTTP layer). */
const ANSWER_CACHE_BYTES = 32 * 1024 * 1024;
/** Estimated bytes of cached registration answers (keyed by the request's schema text). */
const REGISTRATION_CACHE_BYTES = 16 * 1024 * 1024;
/** JavaScript strings take two bytes a character; the rest of an answer is a few hundred bytes of object. */
const weighAnswer = (key: string, view: SchemaView) => 2 * (key.length + 2 * view.schema.length) + 512;

export class Registry {
  readonly settings: Settings;
  /** Parsed schemas by id (read by /metrics). */
  readonly cache: ParsedSchemaCache;
  /** Answers of GET /schemas/ids/{id}, by id and format. */
  private readonly answers = new BoundedMap<string, SchemaView>(ANSWER_CACHE_BYTES, weighAnswer);
  /**
   * Answers of registrations that found or made a live version, by subject and request: producers re-register the
   * same schema on every start. Only a delete in the subject can make one untrue (see forgetRegistrations).
   */
  private readonly registrations = new BoundedMap<string, SchemaVersionView>(REGISTRATION_CACHE_BYTES, weighAnswer);
  /** Bumped by every forgetRegistrations, so a registration that raced a delete does not cache its answer. */
  private registrationsEpoch = 0;

  constructor(
    readonly store: Store,
    readonly options: RegistryOptions,
  ) {
    this.settings = new Settings(options.defaultCompatibility ?? DEFAULT_COMPATIBILITY);
    this.cache = new ParsedSchemaCache(options.maxSchemaDepth);
  }

  /** Forgets parsed schemas; only needed when the store was emptied underneath (tests). */
  forgetCachedSchemas(): void {
    this.cache.clear();
    this.forgetCachedAnswers();
  }

  /** Runs one change in one transaction. */
  tx<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return this.store.transaction(work);
  }

  /** Runs a read outside any transaction: reads need no isolation, and each BEGIN/COMMIT is a round trip. */
  read<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return work(this.store);
  }

  // ---- ids

  /** A schema by id: readable while at least one version (even soft-deleted) carries it. */
  /**
   * A schema by id. Answers are cached: an id's schema never changes, and an id stops being readable only when every
   * version carrying it is hard-deleted, which clears the cache here and, through the store's change notices, in
   * every other replica.
   */
  async schemaById(id: number, options: { format?: string | undefined; fetchMaxId?: boolean } = {}): Promise<SchemaView & { maxId?: number }> {
    const key = `${id}\u0000${options.format ?? ''}`;
    let view = this.answers.get(key);
    if (!view) {
      view = await this.read(async (store) => {
        const row = await this.carriedSchema(store, id);
        return { ...schemaView(row), schema: await this.rendered(store, row, options.format) };
      });
      this.answers.set(key, view);
    }
    return options.fetchMaxId ? { ...view, maxId: await this.store.maxSchemaId() } : view;
  }

  /** Forgets every cached answer (by id and of registrations): a change was made that this process cannot pin down. */
  forgetCachedAnswers(): void {
    this.answers.clear();
    this.forgetRegistrations();
  }

  /** A delete in `subject` (or, without one, anywhere) may have made cached registration answers untrue. */
  private forgetRegistrations(subject?: string): void {
    this.registrationsEpoch++;
    if (subject === undefined) return this.registrations.clear();
    const prefix = `${subject}\u0000`;
    for (const key of [...this.registrations.keys()]) if (key.startsWith(prefix)) this.registrations.delete(key);
  }

  /**
   * The key of a registration's cached answer, or undefined when the answer may change without a delete: an empty
   * schema (it means the latest version's), a reference to `-1` (the latest version of another subject), an import id.
   */
  private registrationKey(subject: Subject, request: SchemaRequest, normalize: boolean): string | undefined {
    if (request.schema === undefined || request.schema.trim() === '' || request.id !== undefined) return undefined;
    if (request.references.some((r) => r.version === -1)) return undefined;
    const extras = request.references.length || request.metadata || request.ruleSet ? JSON.stringify([request.references, request.metadata, request.ruleSet]) : '';
    return `${subject}\u0000${normalize ? 'N' : ''}${request.schemaType}\u0000${extras}\u0000${request.schema}`;
  }

  /** Subject versions carrying a schema id (live only unless `deleted`); 40403 when nothing carries it at all. */
  async versionsOfId(id: number, options: { subject?: string | undefined; deleted: boolean }): Promise<{ subject: string; version: number }[]> {
    return this.read(async (store) => {
      const rows = await store.versionsCarrying([id]);
      if (rows.length === 0) throw errors.schemaNotFound();
      return rows
        .filter((r) => (options.deleted || !r.deleted) && (options.subject === undefined || r.subject === options.subject))
        .map((r) => ({ subject: r.subject, version: r.version }));
    });
  }

  /** The schema text in the rendering `?format=` asks for (Avro `resolved`, Protobuf `serialized`); unknown formats are ignored. */
  private async rendered(store: Store, row: SchemaRow, format: string | undefined): Promise<string> {
    if (!format) return row.schema;
    return formatOf(row.schemaType).render?.(await this.cache.get(store, row), format) ?? row.schema;
  }

  private async withFormat(store: Store, view: SchemaVersionView, row: SchemaRow, format: string | undefined): Promise<SchemaVersionView> {
    return format ? { ...view, schema: await this.rendered(store, row, format) } : view;
  }

  private async carriedSchema(store: Store, id: number): Promise<SchemaRow> {
    const row = await store.carriedSchemaById(id);
    if (!row) throw errors.schemaNotFound(id);
    return row;
  }

  // ---- listings

  async subjects(options: { prefix: string; deleted: boolean; deletedOnly: boolean }): Promise<string[]> {
    return this.read(async (store) => {
      const rows = await store.subjects();
      return rows
        .filter((r) => r.subject.startsWith(options.prefix))
        .filter((r) => (options.deletedOnly ? !r.live : options.deleted || r.live))
        .map((r) => r.subject)
        .sort(compareStrings);
    });
  }

  async schemas(options: { prefix: string; deleted: boolean; latestOnly: boolean }): Promise<SchemaVersionView[]> {
    return this.read(async (store) => {
      let rows = (await store.allVersions(options.prefix)).filter((r) => options.deleted || !r.deleted);
      if (options.latestOnly) rows = rows.filter((r, i) => rows[i + 1]?.subject !== r.subject);
      rows.sort((a, b) => compareStrings(a.subject, b.subject) || a.version - b.version);
      const schemas = await store.schemasByIds([...new Set(rows.map((r) => r.schemaId))]);
      return rows.map((r) => versionView(r, schemas.get(r.schemaId)!));
    });
  }

  async versions(subject: Subject, options: { deleted: boolean; deletedOnly: boolean; deletedAsNegative: boolean }): Promise<number[]> {
    return this.read(async (store) => {
      const rows = (await store.versionsOf(subject)).filter((r) =>
        options.deletedOnly ? r.deleted : options.deleted || !r.deleted,
      );
      if (rows.length === 0) throw errors.subjectNotFound(subject);
      return rows.map((r) => (options.deletedAsNegative && r.deleted ? -r.version : r.version));
    });
  }

  // ---- one version

  async version(subject: Subject, spec: VersionSpec, deleted: boolean, format?: string): Promise<SchemaVersionView> {
    return this.read(async (store) => {
      const version = await this.findVersion(store, subject, spec, deleted);
      const row = (await store.schemaById(version.schemaId))!;
      return this.withFormat(store, versionView(version, row), row, format);
    });
  }

  /** Resolves a version of a subject: 40401 when the subject has nothing visible, 40402 when that version is not there. */
  private async findVersion(store: Store, subject: Subject, spec: VersionSpec, deleted: boolean): Promise<VersionRow> {
    const row = spec === 'latest' ? await store.latestVersion(subject, true) : await store.versionRow(subject, spec);
    if (row && (deleted || !row.deleted)) return row;
    if (!(await store.latestVersion(subject, !deleted))) throw errors.subjectNotFound(subject);
    throw errors.versionNotFound(spec === 'latest' ? -1 : spec);
  }

  /** The newest live version whose metadata properties hold every given key/value pair (CP 7.4+). */
  async latestWithMetadata(subject: Subject, wanted: [string, string][]): Promise<SchemaVersionView> {
    return this.read(async (store) => {
      const rows = await store.liveVersions(subject);
      if (rows.length === 0) throw errors.subjectNotFound(subject);
      const schemas = await store.schemasByIds([...new Set(rows.map((r) => r.schemaId))]);
      for (const r of rows.reverse()) {
        const row = schemas.get(r.schemaId)!;
        const properties = (row.metadata?.properties ?? {}) as Record<string, unknown>;
        if (wanted.every(([k, v]) => properties[k] === v)) return versionView(r, row);
      }
      throw errors.schemaNotFound();
    });
  }

  async referencedBy(subject: Subject, spec: VersionSpec, deleted: boolean): Promise<number[]> {
    return this.read(async (store) => {
      const rows = await store.versionsOf(subject);
      if (rows.length === 0) throw errors.subjectNotFound(subject);
      const row = spec === 'latest' ? (live(rows).at(-1) ?? rows.at(-1)) : rows.find((r) => r.version === spec);
      if (!row) throw errors.versionNotFound(spec === 'latest' ? -1 : spec);
      const ids = await store.referrerIds(subject, row.version);
      const holders = await store.versionsCarrying(ids);
      return ids.filter((id) => holders.some((h) => h.schemaId === id && (deleted || !h.deleted)));
    });
  }

  // ---- register

  /**
   * Registers a schema under a subject. A request answered before (the same schema already live under the subject,
   * found or registered here) is answered from memory until a delete in the subject.
   */
  async register(subject: Subject, request: SchemaRequest, options: { normalize?: boolean | undefined }, actor: string): Promise<SchemaVersionView> {
    const config = await this.settings.effectiveConfig(this.store, subject);
    const key = this.registrationKey(subject, request, options.normalize ?? config.normalize === true);
    const cached = key === undefined ? undefined : this.registrations.get(key);
    if (cached) return cached;
    const epoch = this.registrationsEpoch;
    const view = await this.registerNew(subject, request, options, actor);
    if (key !== undefined && epoch === this.registrationsEpoch) {
      const { warnings: _, ...answer } = view;
      this.registrations.set(key, answer);
    }
    return view;
  }

  /**
   * Most registrations touch the database twice: one statement reads everything the decision needs, and one statement
   * writes the result, only if no other writer changed the subject meanwhile. A writer that loses that race, and every
   * import, decides again under the subject's lock, in a transaction.
   */
  private async registerNew(subject: Subject, request: SchemaRequest, options: { normalize?: boolean | undefined }, actor: string): Promise<SchemaVersionView> {
    let attempt: Attempt | undefined;
    const prepare = async (store: Store): Promise<Attempt> => {
      const config = await this.settings.effectiveConfig(store, subject);
      const normalize = options.normalize ?? config.normalize === true;
      const mode = await this.settings.effectiveMode(store, subject);
      // The parse is reused by the locked retry unless what it depends on changed meanwhile.
      const reuse = attempt && attempt.normalize === normalize && (attempt.mode === 'IMPORT') === (mode === 'IMPORT');
      const parsed = reuse ? attempt! : await this.registrationCandidate(store, subject, request, normalize, mode !== 'IMPORT');
      return { ...parsed, config, mode, normalize };
    };
    attempt = await prepare(this.store);
    if (attempt.mode !== 'IMPORT') {
      const view = await this.registerOnce(this.store, subject, request, attempt, actor);
      if (view) return view;
    }
    return this.tx(async (store) => {
      await store.lockSubject(subject);
      // Under the lock no other writer changes the subject (unlocked writes check for it); only a concurrent insert of
      // the same schema under another subject can make a write give way, and the next read then finds that schema.
      for (let tries = 0; tries < 5; tries++) {
        attempt = await prepare(store);
        const view = await this.registerOnce(store, subject, request, attempt, actor);
        if (view) return view;
      }
      throw new Error(`Registration under "${subject}" kept conflicting with concurrent registrations`);
    });
  }

  /**
   * Parses a registration's schema, validating it unless importing. A schema that fails validation may still be the
   * one already registered (stored before a stricter rule, or imported): it is identified without validation, and
   * the validation error is kept for when it turns out to be new.
   */
  private async registrationCandidate(
    store: Store,
    subject: Subject,
    request: SchemaRequest,
    normalize: boolean,
    validate: boolean,
  ): Promise<{ candidate: Candidate; invalid?: RegistryError }> {
    try {
      return { candidate: await this.candidate(store, subject, request, normalize, validate, false) };
    } catch (err) {
      if (!validate || !(err instanceof RegistryError) || err.kind !== 'invalid_schema') throw err;
      let candidate: Candidate;
      try {
        candidate = await this.candidate(store, subject, request, normalize, false, false);
      } catch {
        throw err;
      }
      return { candidate, invalid: err };
    }
  }

  /** One decision and write; `undefined` when the write lost a race with another writer of the subject. */
  private async registerOnce(
    store: Store,
    subject: Subject,
    request: SchemaRequest,
    attempt: Attempt,
    actor: string,
  ): Promise<SchemaVersionView | undefined> {
    const { candidate, config, mode } = attempt;
    const importing = mode === 'IMPORT';
    const state = await store.registrationState(subject, candidate.fingerprint);

    // Idempotency first: producers re-register the same schema on every start, and a schema already live under the
    // subject answers with its version whatever the level or mode.
    const same = state.liveSame;
    if (same && (request.id === undefined || request.id === same.schemaId)) return versionView(same, state.existing!);
    if (attempt.invalid) throw attempt.invalid;

    if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw errors.readOnly(subject);
    if (importing && request.id === undefined) throw errors.notPermitted(`Subject ${subject} in context . is not in read-write mode`);
    if (!importing && request.id !== undefined) throw errors.notPermitted(`Subject ${subject} in context . is not in import mode`);

    // Governance: error-level findings reject the schema as invalid (42201); warnings travel with the answer.
    const warnings = importing ? [] : await this.govern(store, subject, candidate.parsed, state.catalogEntry);

    // Versions are never reused while any record, even soft-deleted, holds a higher number.
    const nextVersion = state.maxVersion + 1;
    if (!importing) {
      const result = await this.check(store, subject, candidate.parsed, config, { latestLive: state.latestLive ?? null });
      if (!result.compatible) {
        throw new RegistryError(
          'incompatible_schema',
          `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${result.messages.join(', ')}]`,
          { incompatibilities: result.incompatibilities },
        );
      }
    }

    if (!importing && state.latestLive) warnings.push(...(await this.undetectedBreaks(store, candidate.parsed, state.latestLive)));

    let version = nextVersion;
    if (request.version !== undefined && request.version > 0) {
      if (importing) version = request.version;
      else if (request.version !== nextVersion) throw errors.invalidSchema('Version is not one more than previous version');
    }
    if (importing && (await store.versionRow(subject, version))) {
      throw errors.notPermitted(`Version ${version} of subject ${subject} already exists with another schema`);
    }

    // The id: that of the identical schema anywhere in the registry, the imported one, or (drawn on insert) the next.
    const existing = state.existing;
    const importId = importing ? request.id : undefined;
    if (existing && importId !== undefined && importId !== existing.id) {
      throw errors.notPermitted(`Schema already registered with id ${existing.id}; it cannot be imported as id ${importId}`);
    }
    if (!existing && importId !== undefined && (await store.schemaById(importId))) {
      throw errors.notPermitted(`Overwrite new schema with id ${importId} in context . is not permitted.`);
    }

    const schema = {
      id: importId,
      schemaType: candidate.schemaType,
      schema: candidate.parsed.canonical,
      fingerprint: candidate.fingerprint,
      references: candidate.references,
      metadata: candidate.metadata,
      ruleSet: candidate.ruleSet,
    };
    // Older soft-deleted versions with the same id are superseded by this one (CP tombstones them), unless referenced.
    const superseded = state.superseded;
    const detail = { ...(superseded.length ? { superseded } : {}), ...(warnings.length ? { warnings } : {}) };
    let id: number | undefined;
    try {
      id = await store.writeRegistration({
        subject,
        version,
        schema,
        existingId: existing?.id,
        superseded,
        expectedMaxVersion: state.maxVersion,
        audit: { actor, detail: Object.keys(detail).length ? detail : null },
      });
    } catch (err) {
      // Another writer inserting this version first is a lost race, not a failure.
      if (storageFailureOf(err)?.code === '23505') return undefined;
      throw err;
    }
    if (id === undefined) return undefined;
    if (importId !== undefined && !existing) await store.raiseSchemaIdsTo(importId);
    const view = versionView({ subject, version, schemaId: id, deleted: false }, existing ?? { ...schema, id });
    return warnings.length ? { ...view, warnings } : view;
  }

  /** Breaks the format's reference checker misses (e.g. Confluent's JSON Schema blind spots), as warnings. */
  private async undetectedBreaks(store: Store, parsed: ParsedSchema, latest: VersionRow): Promise<GovernanceFinding[]> {
    const format = formatOf(parsed.schemaType);
    if (!format.undetectedBreaks) return [];
    const previous = await this.cache.getById(store, latest.schemaId);
    if (previous.schemaType !== parsed.schemaType) return [];
    return format.undetectedBreaks(parsed, previous).map((p) => ({ rule: 'UNDETECTED_BREAKING_CHANGE', category: 'EVOLUTION' as const, severity: 'warn' as const, ...p }));
  }

  /** The governance findings for a new schema; throws 42201 naming each error-level rule. */
  private async govern(store: Store, subject: Subject, parsed: ParsedSchema, entry: Record<string, unknown> | undefined): Promise<GovernanceFinding[]> {
    const findings = await this.governanceFindings(store, subject, parsed, entry);
    const failing = findings.filter((f) => f.severity === 'error');
    if (failing.length > 0) {
      throw errors.invalidSchema(`Schema for subject "${subject}" breaks governance rules: ${describeFindings(failing)}`, { findings });
    }
    return findings;
  }

  /** Governance findings for a schema under a subject, given the subject's catalog entry (if it has one). */
  async governanceFindings(store: Store, subject: Subject, parsed: ParsedSchema, entry: Record<string, unknown> | undefined): Promise<GovernanceFinding[]> {
    const policy = await policyFor(store, subject);
    return evaluate(subject, formatOf(parsed.schemaType).outline(parsed), catalogFacts(entry), policy);
  }

  /** Parses and identifies a request's schema; an empty schema on register means "the latest version's schema". */
  private async candidate(
    store: Store,
    subject: Subject,
    request: SchemaRequest,
    normalize: boolean,
    validate: boolean,
    allowDeletedReferences: boolean,
  ): Promise<Candidate> {
    let { schema, schemaType, references } = request;
    // The size limits apply to what a client sends; a stored schema (the latest, when none is sent) loads whatever its size.
    let limits: SchemaLimits | undefined = this.options.limits ?? DEFAULT_LIMITS;
    if (schema === undefined || schema.trim() === '') {
      const latest = await store.latestVersion(subject, true);
      if (!latest) throw errors.invalidSchema('Empty schema');
      const row = (await store.schemaById(latest.schemaId))!;
      ({ schema, schemaType, references } = row);
      limits = undefined;
    }
    const format = formatOf(schemaType);
    if (limits && references.length > limits.maxReferences) {
      throw errors.invalidSchema(overLimitMessage('The schema', references.length, 'references', 'maxReferences', limits));
    }
    const { concrete, resolved } = await resolveReferences(store, references, allowDeletedReferences);
    const parsed = parseSchema({ schemaType: format.schemaType, schema, references: resolved, validate, normalize }, this.options.maxSchemaDepth, limits);
    const refs = normalize ? normalizeReferences(concrete) : concrete;
    return {
      parsed,
      schemaType,
      references: refs,
      metadata: request.metadata,
      ruleSet: request.ruleSet,
      fingerprint: fingerprintOf(schemaType, parsed.canonical, refs, request.metadata, request.ruleSet),
    };
  }

  // ---- lookup

  async lookup(subject: Subject, request: SchemaRequest, options: { normalize?: boolean | undefined; deleted: boolean }): Promise<SchemaVersionView> {
    return this.read(async (store) => {
      const rows = (await store.versionsOf(subject)).filter((r) => options.deleted || !r.deleted);
      if (rows.length === 0) throw errors.subjectNotFound(subject);
      const config = await this.settings.effectiveConfig(store, subject);
      const normalize = options.normalize ?? config.normalize === true;
      if (request.schema === undefined || request.schema.trim() === '') throw errors.invalidSchema('Empty schema');
      const candidate = await this.candidate(store, subject, request, normalize, false, true);
      const schemas = await store.schemasByIds([...new Set(rows.map((r) => r.schemaId))]);
      const newestFirst = [...rows].sort((a, b) => Number(a.deleted) - Number(b.deleted) || b.version - a.version);
      const exact = newestFirst.find((r) => schemas.get(r.schemaId)?.fingerprint === candidate.fingerprint);
      if (exact) return versionView(exact, schemas.get(exact.schemaId)!);
      // Deep equivalence: the same schema written differently (property order, names qualified, references inlined).
      for (const r of newestFirst) {
        const row = schemas.get(r.schemaId)!;
        if (row.schemaType !== candidate.schemaType) continue;
        const stored = await this.cache.get(store, row);
        if (stored.equivalence === candidate.parsed.equivalence) return versionView(r, row);
      }
      throw errors.schemaNotFound();
    });
  }

  // ---- compatibility

  /** POST /compatibility: against one version (`spec`) or, with `spec` undefined, the versions the level names. */
  async testCompatibility(
    subject: Subject,
    spec: VersionSpec | undefined,
    request: SchemaRequest,
    options: { normalize?: boolean | undefined; verbose: boolean },
  ): Promise<CompatibilityResult> {
    return this.read(async (store) => {
      const config = await this.settings.effectiveConfig(store, subject);
      const normalize = options.normalize ?? config.normalize === true;
      let level = parseCompatibilityLevel(config.compatibility);
      let only: VersionRow | undefined;
      if (spec !== undefined) {
        // One named version: the level gives the direction only; transitivity is moot.
        level = level.replace('_TRANSITIVE', '') as CompatibilityLevel;
        only = spec === 'latest' ? await store.latestVersion(subject, true) : await store.versionRow(subject, spec);
        if (spec !== 'latest' && (!only || only.deleted)) throw errors.versionNotFound(spec);
        if (!only) return { compatible: true, messages: [], incompatibilities: [] };
      }
      let candidate: Candidate;
      try {
        if (request.schema === undefined || request.schema.trim() === '') throw errors.invalidSchema('Empty schema');
        candidate = await this.candidate(store, subject, request, normalize, true, false);
      } catch (err) {
        if (options.verbose && err instanceof RegistryError && err.kind === 'invalid_schema') {
          return { compatible: false, messages: [err.message], incompatibilities: [] };
        }
        throw err;
      }
      return this.check(store, subject, candidate.parsed, config, { level, only });
    });
  }

  /**
   * Checks against the subject's live versions the level names, or just `only`. A caller that has already read the
   * newest live version passes it as `latestLive` (null: there is none), sparing a non-transitive check the read.
   */
  private async check(
    store: Store,
    subject: Subject,
    parsed: ParsedSchema,
    config: ConfigRecord,
    options: { level?: CompatibilityLevel; only?: VersionRow | undefined; latestLive?: VersionRow | null } = {},
  ): Promise<CompatibilityResult> {
    const level = options.level ?? parseCompatibilityLevel(config.compatibility);
    if (level === 'NONE') return { compatible: true, messages: [], incompatibilities: [] };
    // Only a transitive level reads beyond the newest version; parsed schemas come from the cache, by id.
    const rows = options.only
      ? [options.only]
      : isTransitive(level)
        ? (await store.liveVersions(subject)).reverse()
        : [options.latestLive === undefined ? await store.latestVersion(subject, true) : options.latestLive];
    const previous: PreviousVersion[] = [];
    for (const r of rows) if (r) previous.push({ version: r.version, schemaId: r.schemaId, parsed: await this.cache.getById(store, r.schemaId) });
    const policy = typeof config.compatibilityPolicy === 'string' ? config.compatibilityPolicy : undefined;
    const verdict = checkCompatibility(formatOf(parsed.schemaType), parsed, previous, level, { policy });
    if (!verdict.failedAgainst) return { compatible: true, messages: [], incompatibilities: [] };
    const old = verdict.failedAgainst;
    const oldText = (await store.schemaById(old.schemaId))?.schema ?? '';
    return {
      compatible: false,
      messages: confluentMessages(verdict.incompatibilities, old.version, oldText, level),
      incompatibilities: verdict.incompatibilities,
    };
  }

  // ---- dry run and history

  /** Every finding a registration would meet (compatibility and governance), without registering. */
  async dryRun(
    subject: Subject,
    request: SchemaRequest,
    options: { normalize?: boolean | undefined; catalog?: CatalogEntry },
  ): Promise<CompatibilityResult & { findings: GovernanceFinding[] }> {
    return this.read(async (store) => {
      const config = await this.settings.effectiveConfig(store, subject);
      const normalize = options.normalize ?? config.normalize === true;
      if (request.schema === undefined || request.schema.trim() === '') throw errors.invalidSchema('Empty schema');
      const candidate = await this.candidate(store, subject, request, normalize, true, false);
      const compatibility = await this.check(store, subject, candidate.parsed, config);
      const entry = (options.catalog as Record<string, unknown> | undefined) ?? (await store.catalogEntry(subject));
      return { ...compatibility, findings: await this.governanceFindings(store, subject, candidate.parsed, entry) };
    });
  }

  /** The subject's versions as they stood at `at` (live ones, or all with `deleted`), from the audit log. */
  async versionsAsOf(subject: Subject, at: Date, deleted: boolean): Promise<number[]> {
    return this.read(async (store) => {
      const rows = versionsAsOf(subject, await store.auditTrail(subject), at).filter((r) => deleted || !r.deleted);
      if (rows.length === 0) throw errors.subjectNotFound(subject);
      return rows.map((r) => r.version);
    });
  }

  async versionAsOf(subject: Subject, spec: VersionSpec, at: Date, deleted: boolean): Promise<SchemaVersionView> {
    return this.read(async (store) => {
      const rows = versionsAsOf(subject, await store.auditTrail(subject), at);
      const visible = rows.filter((r) => deleted || !r.deleted);
      if (visible.length === 0) throw errors.subjectNotFound(subject);
      const row = spec === 'latest' ? rows.filter((r) => !r.deleted).at(-1) : visible.find((r) => r.version === spec);
      if (!row) throw errors.versionNotFound(spec === 'latest' ? -1 : spec);
      return versionView(row, (await store.schemaById(row.schemaId))!);
    });
  }

  /** Subject-level config (or, with `subject` null, the global one) as it stood at `at`. */
  async configAsOf(subject: Subject | null, at: Date): Promise<Record<string, unknown>> {
    return this.read(async (store) => {
      const entries = (await store.auditTrail(subject ?? undefined, { action: 'config' })).filter((e) => (e.subject ?? null) === subject);
      const config = configAsOf(entries, at);
      if (subject === null) return configView({ compatibility: this.options.defaultCompatibility ?? DEFAULT_COMPATIBILITY, ...config });
      if (!config) throw errors.subjectConfigNotFound(subject);
      return configView(config);
    });
  }

  // ---- deletes

  async deleteSubject(subject: Subject, permanent: boolean, actor: string): Promise<number[]> {
    const deleted = await this.tx(async (store) => {
      const versions = await deleteSubject(store, this.settings, subject, permanent, actor);
      await store.announceDeletion(subject, permanent);
      return versions;
    });
    this.forgetDeletion(subject, permanent);
    return deleted;
  }

  async deleteVersion(subject: Subject, spec: VersionSpec, permanent: boolean, actor: string): Promise<number> {
    const deleted = await this.tx(async (store) => {
      const version = await deleteVersion(store, this.settings, subject, spec, permanent, actor);
      await store.announceDeletion(subject, permanent);
      return version;
    });
    this.forgetDeletion(subject, permanent);
    return deleted;
  }

  /** What a delete in `subject` makes untrue here; other replicas learn it from the store's notice. */
  forgetDeletion(subject: Subject, permanent: boolean): void {
    this.forgetRegistrations(subject);
    // A hard delete can leave ids that no version carries: those are no longer readable.
    if (permanent) this.answers.clear();
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
