// What a client's schema is checked against: parsing it into a candidate, compatibility with the subject's versions
// (POST /compatibility, registration), governance findings and the dry run that shows both.
import type { SchemaOutline } from '../formats/index.js';
import { DEFAULT_LIMITS, overLimitMessage, type SchemaLimits } from '../formats/limits.js';
import type { SchemaRow, Store, VersionRow } from '../storage/store.js';
import { catalogFacts, type CatalogEntry } from '../governance/catalog.js';
import { describeFindings, evaluate, policyFor } from '../governance/policy.js';
import type { GovernanceFinding } from '../governance/rule.js';
import { BoundedMap } from './bounded-map.js';
import { confluentMessages, isTransitive } from './compatibility.js';
import { contextOf } from './contexts.js';
import { errors, RegistryError } from './errors.js';
import { parseCompatibilityLevel, type CompatibilityLevel, type Subject, type VersionSpec } from './identifiers.js';
import type { SchemaRequest } from './request.js';
import { fingerprintOf, formatOf, normalizeReferences, resolveReferences, schemaKey } from './schemas.js';
import type { AnalyzedSchema, ParseTask, StoredSchemaSource } from './schema-tasks.js';
import type { SchemaWork } from './schema-workers.js';
import type { ConfigRecord, Settings } from './settings.js';
import type { CompatibilityResult } from './views.js';

export interface CheckOptions {
  /** Deepest schema nesting accepted (JSON levels for Avro). */
  maxSchemaDepth: number;
  /** Size limits on schemas clients send (DEFAULT_LIMITS when absent); stored schemas load whatever their size. */
  limits?: SchemaLimits | undefined;
}

/** A schema request parsed and identified: everything register and lookup compare on. */
export interface Candidate {
  parsed: AnalyzedSchema;
  /** The parse, as the checker is asked to redo it (its worker usually still holds the result). */
  task: ParseTask;
  schemaType: string;
  references: SchemaRow['references'];
  /** The references with their subjects qualified, resolved in the subject's context: what they point at. */
  referenceTargets: SchemaRow['references'];
  metadata: Record<string, unknown> | null;
  ruleSet: Record<string, unknown> | null;
  fingerprint: string;
}

/** Estimated bytes of stored schemas kept with their references resolved. */
const SOURCE_CACHE_BYTES = 32 * 1024 * 1024;

const noFinding: CompatibilityResult = { compatible: true, messages: [], incompatibilities: [] };

export class SchemaChecks {
  /** Stored schemas with their references resolved, by id, as the checker is sent them. */
  private readonly sources = new BoundedMap<string, StoredSchemaSource>(SOURCE_CACHE_BYTES, (_, s) => 2 * (s.schema.length + s.references.reduce((n, r) => n + r.schema.length, 0)) + 512);

  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    private readonly work: SchemaWork,
    private readonly options: CheckOptions,
  ) {}

  /** Forgets stored schemas; only needed when the store was emptied underneath (tests). */
  forget(): void {
    this.sources.clear();
  }

  /** POST /compatibility: against one version (`spec`) or, with `spec` undefined, the versions the level names. */
  async testCompatibility(
    subject: Subject,
    spec: VersionSpec | undefined,
    request: SchemaRequest,
    options: { normalize?: boolean | undefined; verbose: boolean },
  ): Promise<CompatibilityResult> {
    const store = this.store;
    const config = await this.settings.effectiveConfig(store, subject);
    const normalize = options.normalize ?? config.normalize === true;
    let level = parseCompatibilityLevel(config.compatibility);
    let only: VersionRow | undefined;
    if (spec !== undefined) {
      // One named version: the level gives the direction only; transitivity is moot.
      level = level.replace('_TRANSITIVE', '') as CompatibilityLevel;
      only = spec === 'latest' ? await store.latestVersion(subject, true) : await store.versionRow(subject, spec);
      if (spec !== 'latest' && (!only || only.deleted)) throw errors.versionNotFound(spec);
      if (!only) return noFinding;
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
    return this.check(store, subject, candidate, config, { level, only });
  }

  /** Every finding a registration would meet (compatibility and governance), without registering. */
  async dryRun(
    subject: Subject,
    request: SchemaRequest,
    options: { normalize?: boolean | undefined; catalog?: CatalogEntry },
  ): Promise<CompatibilityResult & { findings: GovernanceFinding[] }> {
    const store = this.store;
    const config = await this.settings.effectiveConfig(store, subject);
    const normalize = options.normalize ?? config.normalize === true;
    if (request.schema === undefined || request.schema.trim() === '') throw errors.invalidSchema('Empty schema');
    const candidate = await this.candidate(store, subject, request, normalize, true, false);
    const compatibility = await this.check(store, subject, candidate, config);
    const entry = (options.catalog as Record<string, unknown> | undefined) ?? (await store.catalogEntry(subject));
    return { ...compatibility, findings: await this.governanceFindings(store, subject, candidate.parsed, entry) };
  }

  /** Parses and identifies a request's schema; an empty schema on register means "the latest version's schema". */
  async candidate(
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
      const row = (await store.schemaById(contextOf(subject), latest.schemaId))!;
      ({ schema, schemaType, references } = row);
      limits = undefined;
    }
    const format = formatOf(schemaType);
    if (limits && references.length > limits.maxReferences) {
      throw errors.invalidSchema(overLimitMessage('The schema', references.length, 'references', 'maxReferences', limits));
    }
    const { concrete, resolved, targets } = await resolveReferences(store, contextOf(subject), references, allowDeletedReferences);
    const task: ParseTask = {
      kind: 'parse',
      request: { schemaType: format.schemaType, schema, references: resolved, validate, normalize },
      maxDepth: this.options.maxSchemaDepth,
      limits,
    };
    const parsed = await this.work.run(task);
    const refs = normalize ? normalizeReferences(concrete) : concrete;
    return {
      parsed,
      task,
      schemaType,
      references: refs,
      referenceTargets: targets,
      metadata: request.metadata,
      ruleSet: request.ruleSet,
      fingerprint: fingerprintOf(schemaType, parsed.canonical, refs, request.metadata, request.ruleSet),
    };
  }

  /**
   * Checks against the subject's live versions the level names, or just `only`. A caller that has already read the
   * newest live version passes it as `latestLive` (null: there is none), sparing a non-transitive check the read.
   */
  async check(
    store: Store,
    subject: Subject,
    candidate: Candidate,
    config: ConfigRecord,
    options: { level?: CompatibilityLevel; only?: VersionRow | undefined; latestLive?: VersionRow | null } = {},
  ): Promise<CompatibilityResult> {
    const level = options.level ?? parseCompatibilityLevel(config.compatibility);
    if (level === 'NONE') return noFinding;
    // Only a transitive level reads beyond the newest version; parsed schemas come from the cache, by id.
    const rows = options.only
      ? [options.only]
      : isTransitive(level)
        ? (await store.liveVersions(subject)).reverse()
        : [options.latestLive === undefined ? await store.latestVersion(subject, true) : options.latestLive];
    const previous = [];
    for (const r of rows) if (r) previous.push({ ...(await this.source(store, contextOf(subject), r.schemaId)), version: r.version });
    if (previous.length === 0) return noFinding;
    const policy = typeof config.compatibilityPolicy === 'string' ? config.compatibilityPolicy : undefined;
    const verdict = await this.work.run({ kind: 'check', candidate: candidate.task, previous, level, policy });
    if (!verdict.failedAgainst) return noFinding;
    const old = verdict.failedAgainst;
    const oldText = (await store.schemaById(contextOf(subject), old.schemaId))?.schema ?? '';
    return {
      compatible: false,
      messages: confluentMessages(verdict.incompatibilities, old.version, oldText, level),
      incompatibilities: verdict.incompatibilities,
    };
  }

  /** Breaks the format's reference checker misses (e.g. Confluent's JSON Schema blind spots), as warnings. */
  async undetectedBreaks(store: Store, candidate: Candidate, latest: VersionRow): Promise<GovernanceFinding[]> {
    if (!formatOf(candidate.schemaType).undetectedBreaks) return [];
    const previous = await this.source(store, contextOf(latest.subject), latest.schemaId);
    if (previous.schemaType !== candidate.schemaType) return [];
    const found = await this.work.run({ kind: 'undetected', candidate: candidate.task, previous });
    return found.map((p) => ({ rule: 'UNDETECTED_BREAKING_CHANGE', category: 'EVOLUTION' as const, severity: 'warn' as const, ...p }));
  }

  /** The governance findings for a new schema; throws 42201 naming each error-level rule. */
  async govern(store: Store, subject: Subject, parsed: AnalyzedSchema, entry: Record<string, unknown> | undefined): Promise<GovernanceFinding[]> {
    const findings = await this.governanceFindings(store, subject, parsed, entry);
    const failing = findings.filter((f) => f.severity === 'error');
    if (failing.length > 0) {
      throw errors.invalidSchema(`Schema for subject "${subject}" breaks governance rules: ${describeFindings(failing)}`, { findings });
    }
    return findings;
  }

  /** Governance findings for a schema under a subject, given the subject's catalog entry (if it has one). */
  async governanceFindings(store: Store, subject: Subject, parsed: { outline: SchemaOutline }, entry: Record<string, unknown> | undefined): Promise<GovernanceFinding[]> {
    const policy = await policyFor(store, subject);
    return evaluate(subject, parsed.outline, catalogFacts(entry), policy);
  }

  /** A stored schema with its references resolved, as the checker is sent it. */
  private async source(store: Store, context: string, id: number): Promise<StoredSchemaSource> {
    const key = schemaKey(context, id);
    const hit = this.sources.get(key);
    if (hit) return hit;
    const row = await store.schemaById(context, id);
    if (!row) throw new Error(`schema ${id} of context ${context} vanished while in use`);
    const { resolved } = await resolveReferences(store, context, row.references, true);
    const source = { key: `${key}:${row.fingerprint}`, schemaId: id, schemaType: row.schemaType, schema: row.schema, references: resolved };
    this.sources.set(key, source);
    return source;
  }
}
