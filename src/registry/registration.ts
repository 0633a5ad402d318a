// Registering a schema under a subject: idempotent answers, modes, governance, compatibility, ids and versions.
import type { SchemaRow, Store, VersionRow } from '../storage/store.js';
import { storageFailureOf } from '../storage/errors.js';
import { BoundedMap } from './bounded-map.js';
import type { Candidate, SchemaChecks } from './checks.js';
import { contextOf } from './contexts.js';
import { errors, RegistryError } from './errors.js';
import type { Subject } from './identifiers.js';
import { weighAnswer } from './reads.js';
import type { SchemaRequest } from './request.js';
import type { ParsedSchemaCache } from './schemas.js';
import { SchemaTaskKilled } from './schema-workers.js';
import type { ConfigRecord, Settings } from './settings.js';
import { versionView, type SchemaVersionView } from './views.js';

/** A registration's inputs: the candidate (and its validation error, if any) and the settings it was decided under. */
interface Attempt {
  candidate: Candidate;
  invalid?: RegistryError | undefined;
  config: ConfigRecord;
  mode: string;
  normalize: boolean;
}

/** Estimated bytes of cached registration answers (keyed by the request's schema text). */
const REGISTRATION_CACHE_BYTES = 16 * 1024 * 1024;

export class Registration {
  /**
   * Answers of registrations that found or made a live version, by subject and request: producers re-register the
   * same schema on every start. Only a delete in the subject can make one untrue (see forget).
   */
  private readonly answers = new BoundedMap<string, SchemaVersionView>(REGISTRATION_CACHE_BYTES, weighAnswer);
  /** Bumped by every forget, so a registration that raced a delete does not cache its answer. */
  private epoch = 0;

  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    private readonly checks: SchemaChecks,
    private readonly cache: ParsedSchemaCache,
  ) {}

  /** A delete in `subject` (or, without one, anywhere) may have made cached registration answers untrue. */
  forget(subject?: string): void {
    this.epoch++;
    if (subject === undefined) return this.answers.clear();
    const prefix = `${subject}\u0000`;
    for (const key of [...this.answers.keys()]) if (key.startsWith(prefix)) this.answers.delete(key);
  }

  /**
   * Registers a schema under a subject. A request answered before (the same schema already live under the subject,
   * found or registered here) is answered from memory until a delete in the subject.
   */
  async register(subject: Subject, request: SchemaRequest, options: { normalize?: boolean | undefined }, actor: string): Promise<SchemaVersionView> {
    const config = await this.settings.effectiveConfig(this.store, subject);
    const key = this.answerKey(subject, request, options.normalize ?? config.normalize === true);
    const cached = key === undefined ? undefined : this.answers.get(key);
    if (cached) return cached;
    const epoch = this.epoch;
    const view = await this.registerNew(subject, request, options, actor);
    if (key !== undefined && epoch === this.epoch) {
      const { warnings: _, ...answer } = view;
      this.answers.set(key, answer);
    }
    return view;
  }

  /**
   * The key of a registration's cached answer, or undefined when the answer may change without a delete: an empty
   * schema (it means the latest version's), a reference to `-1` (the latest version of another subject), an import id.
   */
  private answerKey(subject: Subject, request: SchemaRequest, normalize: boolean): string | undefined {
    if (request.schema === undefined || request.schema.trim() === '' || request.id !== undefined) return undefined;
    if (request.references.some((r) => r.version === -1)) return undefined;
    const extras = request.references.length || request.metadata || request.ruleSet ? JSON.stringify([request.references, request.metadata, request.ruleSet]) : '';
    return `${subject}\u0000${normalize ? 'N' : ''}${request.schemaType}\u0000${extras}\u0000${request.schema}`;
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
    return this.store.transaction(async (store) => {
      await store.lockSubject(subject);
      // Imports of one id under several subjects at once: the first inserts the schema, the others then find it.
      if (request.id !== undefined) await store.lockSchemaId(contextOf(subject), request.id);
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
      return { candidate: await this.checks.candidate(store, subject, request, normalize, validate, false) };
    } catch (err) {
      if (!validate || !(err instanceof RegistryError) || err.kind !== 'invalid_schema' || err instanceof SchemaTaskKilled) throw err;
      let candidate: Candidate;
      try {
        candidate = await this.checks.candidate(store, subject, request, normalize, false, false);
      } catch {
        throw err;
      }
      return { candidate, invalid: err };
    }
  }
  /**
   * The newest live version with references that a schema sent with those references inlined equals (Confluent
   * registers such a schema as that version, and lookups find it the same way).
   */
  private async inlinedMatch(store: Store, subject: Subject, candidate: Candidate): Promise<{ version: VersionRow; row: SchemaRow } | undefined> {
    const versions = (await store.liveVersions(subject)).reverse();
    const schemas = await store.schemasByIds(contextOf(subject), [...new Set(versions.map((v) => v.schemaId))]);
    for (const version of versions) {
      const row = schemas.get(version.schemaId)!;
      if (row.schemaType !== candidate.schemaType || row.references.length === 0) continue;
      if ((await this.cache.get(store, row)).equivalence === candidate.parsed.equivalence) return { version, row };
    }
    return undefined;
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
    const context = contextOf(subject);
    const state = await store.registrationState(subject, context, candidate.fingerprint);

    // Idempotency first: producers re-register the same schema on every start, and a schema already live under the
    // subject answers with its version whatever the level or mode.
    const same = state.liveSame;
    if (same && (request.id === undefined || request.id === same.schemaId)) return versionView(same, state.existing!);
    if (!same && state.liveWithReferences && candidate.references.length === 0 && !(request.version !== undefined && request.version > 0)) {
      const inlined = await this.inlinedMatch(store, subject, candidate);
      if (inlined && (request.id === undefined || request.id === inlined.version.schemaId)) return versionView(inlined.version, inlined.row);
    }
    if (attempt.invalid) throw attempt.invalid;

    if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw errors.readOnly(subject, context);
    if (importing && request.id === undefined) throw errors.notPermitted(`Subject ${subject} in context ${context} is not in read-write mode`);
    if (!importing && request.id !== undefined) throw errors.notPermitted(`Subject ${subject} in context ${context} is not in import mode`);

    // Governance: error-level findings reject the schema as invalid (42201); warnings travel with the answer.
    const warnings = importing ? [] : await this.checks.govern(store, subject, candidate.parsed, state.catalogEntry);

    // Versions are never reused while any record, even soft-deleted, holds a higher number.
    const nextVersion = state.maxVersion + 1;
    if (!importing) {
      const result = await this.checks.check(store, subject, candidate, config, { latestLive: state.latestLive ?? null });
      if (!result.compatible) {
        throw new RegistryError(
          'incompatible_schema',
          `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${result.messages.join(', ')}]`,
          { incompatibilities: result.incompatibilities },
        );
      }
    }

    if (!importing && state.latestLive) warnings.push(...(await this.checks.undetectedBreaks(store, candidate, state.latestLive)));

    let version = nextVersion;
    if (request.version !== undefined && request.version > 0) {
      if (importing) version = request.version;
      else if (request.version !== nextVersion) throw errors.invalidSchema('Version is not one more than previous version');
    }
    if (importing && (await store.versionRow(subject, version))) {
      throw errors.notPermitted(`Version ${version} of subject ${subject} already exists with another schema`);
    }

    // The id: that of the identical schema anywhere in the context, the imported one, or (drawn on insert) the next.
    let existing = state.existing;
    const importId = importing ? request.id : undefined;
    if (!existing && importId !== undefined) {
      // The id may hold this very schema, stored since the state was read: that is not an overwrite (Confluent compares
      // the schemas in checkIfSchemaWithIdExist).
      const holder = await store.schemaById(context, importId);
      if (holder && holder.fingerprint !== candidate.fingerprint) {
        throw errors.notPermitted(`Overwrite new schema with id ${importId} in context ${context} is not permitted.`);
      }
      existing = holder;
    }
    if (existing && importId !== undefined && importId !== existing.id) {
      throw errors.notPermitted(`Schema already registered with id ${existing.id}; it cannot be imported as id ${importId}`);
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
        context,
        version,
        schema,
        referenceTargets: candidate.referenceTargets,
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
    if (importId !== undefined && !existing) await store.raiseSchemaIdsTo(context, importId);
    const view = versionView({ subject, version, schemaId: id, deleted: false }, existing ?? { ...schema, context, id });
    return warnings.length ? { ...view, warnings } : view;
  }
}
