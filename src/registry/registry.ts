// The Confluent model, independent of HTTP: one service made of its reads, checks, registration, history and deletes,
// sharing one store, one schema-work pool and the caches a delete must clear.
import type { SchemaLimits } from '../formats/limits.js';
import type { Store } from '../storage/store.js';
import { SchemaChecks } from './checks.js';
import { deleteSubject, deleteVersion } from './deletes.js';
import { HistoryReads } from './history.js';
import { contextPrefix, DEFAULT_CONTEXT } from './contexts.js';
import { errors } from './errors.js';
import { DEFAULT_COMPATIBILITY, type CompatibilityLevel, type Subject, type VersionSpec } from './identifiers.js';
import { compareStrings, SchemaReads } from './reads.js';
import { Registration } from './registration.js';
import type { SchemaRequest } from './request.js';
import { ParsedSchemaCache } from './schemas.js';
import { schemaWork, type SchemaWork } from './schema-workers.js';
import { Settings } from './settings.js';
import type { SchemaVersionView } from './views.js';

export interface RegistryOptions {
  /** Deepest schema nesting accepted (JSON levels for Avro). */
  maxSchemaDepth: number;
  /** Size limits on schemas clients send (DEFAULT_LIMITS when absent); stored schemas load whatever their size. */
  limits?: SchemaLimits | undefined;
  defaultCompatibility?: CompatibilityLevel;
  /** Where client schemas are parsed and checked (worker threads by default); the registry closes it. */
  work?: SchemaWork;
  /** False: PUT and DELETE /mode are refused (Confluent's mode.mutability); default true. */
  modeMutability?: boolean | undefined;
}

export class Registry {
  readonly settings: Settings;
  /** Parsed schemas by id (read by /metrics). */
  readonly cache: ParsedSchemaCache;
  /** Client schemas are parsed and checked here, off the event loop. */
  readonly work: SchemaWork;
  /** Schemas by id, listings, versions, lookups. */
  readonly reads: SchemaReads;
  /** Compatibility tests, governance findings, dry runs. */
  readonly checks: SchemaChecks;
  /** `?asOf=` reads from the audit log. */
  readonly history: HistoryReads;
  private readonly registration: Registration;

  constructor(
    readonly store: Store,
    readonly options: RegistryOptions,
  ) {
    const defaultCompatibility = options.defaultCompatibility ?? DEFAULT_COMPATIBILITY;
    this.settings = new Settings(defaultCompatibility, options.modeMutability ?? true);
    this.cache = new ParsedSchemaCache(options.maxSchemaDepth);
    this.work = options.work ?? schemaWork();
    this.checks = new SchemaChecks(store, this.settings, this.work, options);
    this.reads = new SchemaReads(store, this.settings, this.cache, this.checks);
    this.history = new HistoryReads(store, defaultCompatibility);
    this.registration = new Registration(store, this.settings, this.checks, this.cache);
  }

  /** Stops the schema workers. */
  close(): Promise<void> {
    return this.work.close();
  }

  /** Runs one change in one transaction. */
  tx<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return this.store.transaction(work);
  }

  /** Runs a read outside any transaction: reads need no isolation, and each BEGIN/COMMIT is a round trip. */
  read<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return work(this.store);
  }

  /** Registers a schema under a subject (see Registration). */
  register(subject: Subject, request: SchemaRequest, options: { normalize?: boolean | undefined }, actor: string): Promise<SchemaVersionView> {
    return this.registration.register(subject, request, options, actor);
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

  // ---- contexts

  /** GET /contexts: every context holding schemas, with the default one, sorted. */
  async contexts(prefix = ''): Promise<string[]> {
    return (await this.store.contexts()).filter((c) => c.startsWith(prefix)).sort(compareStrings);
  }

  /**
   * DELETE /contexts/{context}: removes a context that no version (live or soft-deleted) lives in, with its schemas,
   * its id sequence and its settings; 42211 otherwise. Ids in it start again from 1.
   */
  async deleteContext(context: string, actor: string): Promise<void> {
    await this.tx(async (store) => {
      if (await store.contextHasVersions(context)) throw errors.contextNotEmpty(context);
      // The default context always exists: emptied, it has nothing left to remove.
      if (context === DEFAULT_CONTEXT) return;
      await store.removeContext(context, contextPrefix(context));
      await store.audit({ actor, action: 'context.delete', subject: contextPrefix(context) });
      await store.announceContextDeletion(context);
    });
    // Its ids may be handed out again, to other schemas: nothing cached by id in it may stay.
    this.forgetCachedSchemas();
  }

  // ---- caches

  /** What a delete in `subject` makes untrue here; other replicas learn it from the store's notice. */
  forgetDeletion(subject: Subject, permanent: boolean): void {
    this.registration.forget(subject);
    // A hard delete can leave ids that no version carries: those are no longer readable.
    if (permanent) this.reads.forget();
  }

  /** Forgets every cached answer (by id and of registrations): a change was made that this process cannot pin down. */
  forgetCachedAnswers(): void {
    this.reads.forget();
    this.registration.forget();
  }

  /** Forgets parsed schemas: the store was emptied underneath (tests), or a context removed (its ids may be reused). */
  forgetCachedSchemas(): void {
    this.cache.clear();
    this.checks.forget();
    this.forgetCachedAnswers();
  }
}
