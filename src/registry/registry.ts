// The rules of the Confluent model, independent of HTTP: subjects, versions, ids, reads, register, lookup, checks.
import type { ParsedSchema } from '../formats/index.js';
import type { SchemaRow, Store, VersionRow } from '../storage/store.js';
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

const live = (rows: VersionRow[]) => rows.filter((r) => !r.deleted);

const ANSWER_CACHE_SIZE = 20_000;

export class Registry {
  readonly settings: Settings;
  /** Parsed schemas by id (read by /metrics). */
  readonly cache: ParsedSchemaCache;
  /** Answers of GET /schemas/ids/{id}, by id and format. */
  private readonly answers = new Map<string, SchemaView>();

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
    this.answers.clear();
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
      if (this.answers.size >= ANSWER_CACHE_SIZE) this.answers.delete(this.answers.keys().next().value as string);
      this.answers.set(key, view);
    }
    return options.fetchMaxId ? { ...view, maxId: await this.store.maxSchemaId() } : view;
  }

  /** Hard deletes can make ids unreadable: forget every cached answer (here, and in other replicas via the store). */
  forgetAnswers(): void {
    this.answers.clear();
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
    const row = await store.schemaById(id);
    if (!row || (await store.versionsCarrying([id])).length === 0) throw errors.schemaNotFound(id);
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

  async register(subject: Subject, request: SchemaRequest, options: { normalize?: boolean | undefined }, actor: string): Promise<SchemaVersionView> {
    // Idempotency first, outside any lock: producers re-register the same schema on every start, and a schema already
    // live under this subject answers with its version whatever the level or mode, so no writer need wait for it.
    const known = await this.read((store) => this.alreadyRegistered(store, subject, request, options));
    if (known) return known;
    return this.tx(async (store) => {
      await store.lockSubject(subject);
      const config = await this.settings.effectiveConfig(store, subject);
      const normalize = options.normalize ?? config.normalize === true;
      const mode = await this.settings.effectiveMode(store, subject);
      const importing = mode === 'IMPORT';

      const candidate = await this.candidate(store, subject, request, normalize, !importing, false);

      // Checked again under the lock: a concurrent writer may have registered it meanwhile.
      const same = await store.liveVersionByFingerprint(subject, candidate.fingerprint);
      if (same && (request.id === undefined || request.id === same.schemaId)) return versionView(same, (await store.schemaById(same.schemaId))!);

      if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw errors.readOnly(subject);
      if (importing && request.id === undefined) throw errors.notPermitted(`Subject ${subject} in context . is not in read-write mode`);
      if (!importing && request.id !== undefined) throw errors.notPermitted(`Subject ${subject} in context . is not in import mode`);

      // Governance: error-level findings reject the schema as invalid (42201); warnings travel with the answer.
      const warnings = importing ? [] : await this.govern(store, subject, candidate.parsed);

      // Versions are never reused while any record, even soft-deleted, holds a higher number.
      const nextVersion = 1 + ((await store.latestVersion(subject, false))?.version ?? 0);
      if (!importing) {
        const result = await this.check(store, subject, candidate.parsed, config);
        if (!result.compatible) {
          throw new RegistryError(
            'incompatible_schema',
            `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${result.messages.join(', ')}]`,
            { incompatibilities: result.incompatibilities },
          );
        }
      }

      let version = nextVersion;
      if (request.version !== undefined && request.version > 0) {
        if (importing) version = request.version;
        else if (request.version !== nextVersion) throw errors.invalidSchema('Version is not one more than previous version');
      }
      if (importing && (await store.versionRow(subject, version))) {
        throw errors.notPermitted(`Version ${version} of subject ${subject} already exists with another schema`);
      }

      const { id, inserted } = await this.allocateId(store, candidate, importing ? request.id : undefined);
      // Older soft-deleted versions with the same id are superseded by this one (CP tombstones them), unless referenced.
      const superseded: number[] = [];
      for (const r of await store.deletedVersionsCarrying(subject, id)) {
        if ((await store.referrerIds(subject, r.version)).length === 0) superseded.push(r.version);
      }
      await store.removeVersions(subject, superseded);
      const row: VersionRow = { subject, version, schemaId: id, deleted: false };
      await store.insertVersion(row);
      const detail = { ...(superseded.length ? { superseded } : {}), ...(warnings.length ? { warnings } : {}) };
      await store.audit({ actor, action: 'register', subject, version, schemaId: id, detail: Object.keys(detail).length ? detail : null });
      // A schema inserted just now is what the store holds; a reused id is read back (its metadata as first given).
      const view = versionView(row, inserted ?? (await store.schemaById(id))!);
      return warnings.length ? { ...view, warnings } : view;
    });
  }

  /** The live version already holding this exact schema under the subject, if any (the registration fast path). */
  private async alreadyRegistered(
    store: Store,
    subject: Subject,
    request: SchemaRequest,
    options: { normalize?: boolean | undefined },
  ): Promise<SchemaVersionView | undefined> {
    const config = await this.settings.effectiveConfig(store, subject);
    const normalize = options.normalize ?? config.normalize === true;
    let candidate: Candidate;
    try {
      // No strict validation here: an invalid schema matches nothing registered, and the locked path reports it.
      candidate = await this.candidate(store, subject, request, normalize, false, false);
    } catch {
      return undefined; // the locked path reports the problem
    }
    const same = await store.liveVersionByFingerprint(subject, candidate.fingerprint);
    if (!same || (request.id !== undefined && request.id !== same.schemaId)) return undefined;
    return versionView(same, (await store.schemaById(same.schemaId))!);
  }

  /** The governance findings for a new schema; throws 42201 naming each error-level rule. */
  private async govern(store: Store, subject: Subject, parsed: ParsedSchema): Promise<GovernanceFinding[]> {
    const findings = await this.governanceFindings(store, subject, parsed);
    const failing = findings.filter((f) => f.severity === 'error');
    if (failing.length > 0) {
      throw errors.invalidSchema(`Schema for subject "${subject}" breaks governance rules: ${describeFindings(failing)}`, { findings });
    }
    return findings;
  }

  async governanceFindings(store: Store, subject: Subject, parsed: ParsedSchema, entry?: CatalogEntry): Promise<GovernanceFinding[]> {
    const policy = await policyFor(store, subject);
    const catalog = catalogFacts((entry as Record<string, unknown> | undefined) ?? (await store.catalogEntry(subject)));
    return evaluate(subject, formatOf(parsed.schemaType).outline(parsed), catalog, policy);
  }

  /** Reuses the id of an identical schema anywhere in the registry, takes the imported id, or draws the next one. */
  private async allocateId(store: Store, candidate: Candidate, importId: number | undefined): Promise<{ id: number; inserted?: SchemaRow }> {
    const existing = async () => {
      const same = await store.schemaByFingerprint(candidate.fingerprint);
      if (same && importId !== undefined && importId !== same.id) {
        throw errors.notPermitted(`Schema already registered with id ${same.id}; it cannot be imported as id ${importId}`);
      }
      return same?.id;
    };
    const known = await existing();
    if (known !== undefined) return { id: known };
    if (importId !== undefined && (await store.schemaById(importId))) {
      throw errors.notPermitted(`Overwrite new schema with id ${importId} in context . is not permitted.`);
    }
    const id = importId ?? (await store.nextSchemaId());
    const row: SchemaRow = {
      id,
      schemaType: candidate.schemaType,
      schema: candidate.parsed.canonical,
      fingerprint: candidate.fingerprint,
      references: candidate.references,
      metadata: candidate.metadata,
      ruleSet: candidate.ruleSet,
    };
    if (!(await store.insertSchemaIfNew(row))) {
      // The same schema was registered concurrently elsewhere (the insert waited for it to commit): its id wins.
      return { id: (await existing())! };
    }
    if (importId !== undefined) await store.raiseSchemaIdsTo(importId);
    return { id, inserted: row };
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
    if (schema === undefined || schema.trim() === '') {
      const latest = await store.latestVersion(subject, true);
      if (!latest) throw errors.invalidSchema('Empty schema');
      const row = (await store.schemaById(latest.schemaId))!;
      ({ schema, schemaType, references } = row);
    }
    const format = formatOf(schemaType);
    const { concrete, resolved } = await resolveReferences(store, references, allowDeletedReferences);
    const parsed = parseSchema({ schemaType: format.schemaType, schema, references: resolved, validate, normalize }, this.options.maxSchemaDepth);
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
      return this.check(store, subject, candidate.parsed, config, level, only);
    });
  }

  /** Checks against the subject's live versions the level names (or just `only`). */
  private async check(
    store: Store,
    subject: Subject,
    parsed: ParsedSchema,
    config: ConfigRecord,
    level = parseCompatibilityLevel(config.compatibility),
    only?: VersionRow,
  ): Promise<CompatibilityResult> {
    if (level === 'NONE') return { compatible: true, messages: [], incompatibilities: [] };
    // Only a transitive level reads beyond the newest version; parsed schemas come from the cache, by id.
    const rows = only ? [only] : isTransitive(level) ? (await store.liveVersions(subject)).reverse() : [await store.latestVersion(subject, true)];
    const previous: PreviousVersion[] = [];
    for (const r of rows) if (r) previous.push({ version: r.version, schemaId: r.schemaId, parsed: await this.cache.getById(store, r.schemaId) });
    const verdict = checkCompatibility(formatOf(parsed.schemaType), parsed, previous, level);
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
      return { ...compatibility, findings: await this.governanceFindings(store, subject, candidate.parsed, options.catalog) };
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
      if (permanent) await store.announceHardDelete();
      return versions;
    });
    if (permanent) this.forgetAnswers();
    return deleted;
  }

  async deleteVersion(subject: Subject, spec: VersionSpec, permanent: boolean, actor: string): Promise<number> {
    const deleted = await this.tx(async (store) => {
      const version = await deleteVersion(store, this.settings, subject, spec, permanent, actor);
      if (permanent) await store.announceHardDelete();
      return version;
    });
    if (permanent) this.forgetAnswers();
    return deleted;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
