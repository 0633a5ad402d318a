// Every query Accord runs. The registry calls these inside one transaction per request; SQL stays here.
import { and, asc, desc, eq, gte, ilike, lt, max, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { CHANGES_CHANNEL, SettingsCache, type Change } from './changes.js';
import type { Db } from './database.js';
import { intArray, readRegistrationState, SUBJECT_LOCK, writeRegistration } from './registration-statements.js';
import { rowsOf, type AuditEntry, type RegistrationState, type RegistrationWrite, type SchemaRow, type VersionRow } from './rows.js';
import { auditLog, catalogEntries, configs, contextSchemaIds, modes, ruleSettings, schemaReferences, schemas, subjectVersions, type SchemaReference } from './schema.js';

/** The context of unqualified subjects, whose ids come from the `schema_ids` sequence. */
const DEFAULT_CONTEXT = '.';

export type { SchemaReference };
export type { AuditEntry, RegistrationState, RegistrationWrite, SchemaRow, VersionRow } from './rows.js';
export { CHANGES_CHANNEL, parseChange, SettingsCache, type Change } from './changes.js';

type Executor = Pick<Db, 'select' | 'selectDistinct' | 'insert' | 'update' | 'delete' | 'execute'>;

/** Advisory lock class of an imported schema id (see lockSchemaId). */
const SCHEMA_ID_LOCK = 2;

/**
 * `column = any(array)` with the whole list as one parameter: drizzle's inArray binds one parameter per value, and
 * PostgreSQL's protocol stops at 65,535 (GET /schemas on a registry of 100,000 schemas).
 */
const anyOf = (column: AnyColumn, values: readonly number[]): SQL => sql`${column} = any(${intArray(values)}::int[])`;

/**
 * PostgreSQL text cannot hold NUL (sending one fails the statement with 22021): a value with one was never stored, so
 * a read by it answers at once with nothing, as for any name that is absent.
 */
const storable = (text: string) => !text.includes('\u0000');

const schemaColumns = {
  context: schemas.context,
  id: schemas.id,
  schemaType: schemas.schemaType,
  schema: schemas.schema,
  fingerprint: schemas.fingerprint,
  references: schemas.references,
  metadata: schemas.metadata,
  ruleSet: schemas.ruleSet,
  guid: schemas.guid,
};

const versionColumns = {
  subject: subjectVersions.subject,
  version: subjectVersions.version,
  schemaId: subjectVersions.schemaId,
  deleted: subjectVersions.deleted,
};

export class Store {
  /** Work to run once the enclosing transaction has committed. */
  private readonly afterCommit: (() => void)[] = [];

  /**
   * @param serialized true when the database runs one transaction at a time (PGlite: one connection, and its
   *   transactions queue), so advisory locks would only cost round trips.
   * @param settingsCache shared by every Store of one process.
   */
  constructor(
    private readonly db: Executor & Partial<Pick<Db, 'transaction'>>,
    private readonly serialized = false,
    readonly settingsCache = new SettingsCache(),
  ) {}

  /** Runs `work` in one transaction; inside it, use only the Store it is given (PGlite has a single connection). */
  async transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (!this.db.transaction) return work(this);
    let inner: Store | undefined;
    const result = await this.db.transaction((tx) => work((inner = new Store(tx, this.serialized, this.settingsCache))));
    for (const done of inner?.afterCommit ?? []) done();
    return result;
  }

  /** A settings write: forget cached settings here now and after commit, and tell the other replicas on commit. */
  private async settingsChanged(): Promise<void> {
    this.settingsCache.clear();
    this.afterCommit.push(() => this.settingsCache.clear());
    if (!this.serialized) await this.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ kind: 'settings' } satisfies Change)})`);
  }

  /** Serialises writers of one subject across every replica until the transaction ends. */
  async lockSubject(subject: string): Promise<void> {
    // A name that cannot be stored has nothing to serialise: no writer can ever create it.
    if (this.serialized || !storable(subject)) return;
    await this.db.execute(sql`select pg_advisory_xact_lock(${SUBJECT_LOCK}, hashtext(${subject}))`);
  }

  /**
   * Serialises, until the transaction ends, the writers that import a schema at the same id of one context under
   * different subjects: without it, each may see the id free and race to insert it (a migration copies one schema into
   * several subjects).
   */
  async lockSchemaId(context: string, id: number): Promise<void> {
    if (this.serialized || !storable(context)) return;
    await this.db.execute(sql`select pg_advisory_xact_lock(${SCHEMA_ID_LOCK}, hashtext(${context + ':' + id}))`);
  }

  /** After an IMPORT with an explicit id, ids handed out later in its context continue above it. */
  async raiseSchemaIdsTo(context: string, id: number): Promise<void> {
    if (context === DEFAULT_CONTEXT) {
      await this.db.execute(sql`select setval('schema_ids', greatest(${id}::bigint, (select last_value from schema_ids)))`);
      return;
    }
    await this.db.execute(sql`insert into context_schema_ids as c (context, last_id) values (${context}, ${id}::int)
      on conflict (context) do update set last_id = greatest(c.last_id, excluded.last_id)`);
  }

  // ---- schemas

  async schemaById(context: string, id: number): Promise<SchemaRow | undefined> {
    if (!storable(context)) return undefined;
    const [row] = await this.db.select(schemaColumns).from(schemas).where(and(eq(schemas.context, context), eq(schemas.id, id)));
    return row;
  }

  /** A schema by id, if some version (even soft-deleted) still carries it: what GET /schemas/ids/{id} may answer. */
  async carriedSchemaById(context: string, id: number): Promise<SchemaRow | undefined> {
    if (!storable(context)) return undefined;
    const [row] = await this.db
      .select(schemaColumns)
      .from(schemas)
      .where(
        and(
          eq(schemas.context, context),
          eq(schemas.id, id),
          sql`exists (select 1 from ${subjectVersions} where ${subjectVersions.context} = ${schemas.context} and ${subjectVersions.schemaId} = ${schemas.id})`,
        ),
      );
    return row;
  }

  /**
   * Schemas with this GUID that some version (even soft-deleted) still carries, in every context: the default context
   * first, then by context and id.
   */
  async carriedSchemasByGuid(guid: string): Promise<SchemaRow[]> {
    return this.db
      .select(schemaColumns)
      .from(schemas)
      .where(
        and(
          eq(schemas.guid, guid),
          sql`exists (select 1 from ${subjectVersions} where ${subjectVersions.context} = ${schemas.context} and ${subjectVersions.schemaId} = ${schemas.id})`,
        ),
      )
      .orderBy(sql`${schemas.context} <> ${DEFAULT_CONTEXT}`, asc(schemas.context), asc(schemas.id));
  }

  /** Schemas of one context by id. */
  async schemasByIds(context: string, ids: number[]): Promise<Map<number, SchemaRow>> {
    if (ids.length === 0 || !storable(context)) return new Map();
    const rows = await this.db.select(schemaColumns).from(schemas).where(and(eq(schemas.context, context), anyOf(schemas.id, ids)));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Every stored schema of one type, in every context (for upgrades that recompute what a new parser derives from the text). */
  async schemasOfType(schemaType: string): Promise<SchemaRow[]> {
    return this.db.select(schemaColumns).from(schemas).where(eq(schemas.schemaType, schemaType)).orderBy(asc(schemas.context), asc(schemas.id));
  }

  /** Gives a stored schema the identity its text has under the current parser; false when another schema of its context has it. */
  async setFingerprint(context: string, id: number, fingerprint: string): Promise<boolean> {
    const result = await this.db.execute(sql`update schemas set fingerprint = ${fingerprint} where context = ${context} and id = ${id}
      and not exists (select 1 from schemas where context = ${context} and fingerprint = ${fingerprint}) returning id`);
    return rowsOf(result).length > 0;
  }

  async maxSchemaId(context: string): Promise<number> {
    if (!storable(context)) return 0;
    const [row] = await this.db.select({ value: max(schemas.id) }).from(schemas).where(eq(schemas.context, context));
    return row?.value ?? 0;
  }

  // ---- contexts

  /**
   * Every context that holds schemas (a context stays until DELETE /contexts, as in CP), with the default one. Read
   * from the named contexts' id sequences (every schema of a named context drew its id there, or raised it), not by
   * scanning the schemas: `?subject=` reads of ids may ask on every request.
   */
  async contexts(): Promise<string[]> {
    const rows = await this.db.select({ context: contextSchemaIds.context }).from(contextSchemaIds);
    return [DEFAULT_CONTEXT, ...rows.map((r) => r.context)];
  }

  /** Whether any version, live or soft-deleted, lives in a context. */
  async contextHasVersions(context: string): Promise<boolean> {
    if (!storable(context)) return false;
    const [row] = await this.db.select({ subject: subjectVersions.subject }).from(subjectVersions).where(eq(subjectVersions.context, context)).limit(1);
    return row !== undefined;
  }

  /** Removes an empty context: its schemas (with their reference edges), its id sequence, its config and mode. */
  async removeContext(context: string, settingsScope: string): Promise<void> {
    await this.db.delete(schemas).where(eq(schemas.context, context));
    await this.db.delete(contextSchemaIds).where(eq(contextSchemaIds.context, context));
    await this.deleteConfig(settingsScope);
    await this.deleteMode(settingsScope);
  }

  // ---- registration: one read and one write statement (registration-statements.ts)

  /** Everything a registration decides on, in one statement (readRegistrationState). */
  registrationState(subject: string, context: string, fingerprint: string): Promise<RegistrationState> {
    return readRegistrationState(this.db, subject, context, fingerprint);
  }

  /** A registration written as one statement, or `undefined` when it raced another writer (writeRegistration). */
  writeRegistration(write: RegistrationWrite): Promise<number | undefined> {
    return writeRegistration(this.db, write);
  }

  /** The versions (live and soft-deleted, of any subject) carrying a schema whose references point at (subject, version). */
  async versionsReferencing(subject: string, version: number): Promise<VersionRow[]> {
    if (!storable(subject)) return [];
    return this.db
      .selectDistinct(versionColumns)
      .from(schemaReferences)
      .innerJoin(subjectVersions, and(eq(subjectVersions.context, schemaReferences.context), eq(subjectVersions.schemaId, schemaReferences.schemaId)))
      .where(and(eq(schemaReferences.subject, subject), eq(schemaReferences.version, version)))
      .orderBy(asc(subjectVersions.schemaId), asc(subjectVersions.subject), asc(subjectVersions.version));
  }

  // ---- subject versions

  async versionsOf(subject: string): Promise<VersionRow[]> {
    if (!storable(subject)) return [];
    return this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(eq(subjectVersions.subject, subject))
      .orderBy(asc(subjectVersions.version));
  }

  /** The highest version of a subject, live only or counting soft-deleted ones too. */
  async latestVersion(subject: string, liveOnly: boolean): Promise<VersionRow | undefined> {
    if (!storable(subject)) return undefined;
    const where = liveOnly
      ? and(eq(subjectVersions.subject, subject), eq(subjectVersions.deleted, false))
      : eq(subjectVersions.subject, subject);
    const [row] = await this.db.select(versionColumns).from(subjectVersions).where(where).orderBy(desc(subjectVersions.version)).limit(1);
    return row;
  }

  async versionRow(subject: string, version: number): Promise<VersionRow | undefined> {
    if (!storable(subject)) return undefined;
    const [row] = await this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(and(eq(subjectVersions.subject, subject), eq(subjectVersions.version, version)));
    return row;
  }

  async liveVersions(subject: string): Promise<VersionRow[]> {
    if (!storable(subject)) return [];
    return this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(and(eq(subjectVersions.subject, subject), eq(subjectVersions.deleted, false)))
      .orderBy(asc(subjectVersions.version));
  }

  async versionsCarrying(context: string, schemaIds: number[]): Promise<VersionRow[]> {
    if (schemaIds.length === 0 || !storable(context)) return [];
    return this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(and(eq(subjectVersions.context, context), anyOf(subjectVersions.schemaId, schemaIds)))
      .orderBy(asc(subjectVersions.subject), asc(subjectVersions.version));
  }

  /** Every version row, optionally of subjects starting with `prefix`, ordered by subject then version. */
  async allVersions(prefix = ''): Promise<VersionRow[]> {
    if (!storable(prefix)) return [];
    const query = this.db.select(versionColumns).from(subjectVersions);
    const filtered =
      prefix === ''
        ? query
        : query.where(sql`starts_with(${subjectVersions.subject}, ${prefix})`);
    return filtered.orderBy(asc(subjectVersions.subject), asc(subjectVersions.version));
  }

  /** Each subject with whether it has any live (non-deleted) version. */
  async subjects(): Promise<{ subject: string; live: boolean }[]> {
    return this.db
      .select({ subject: subjectVersions.subject, live: sql<boolean>`bool_or(not ${subjectVersions.deleted})` })
      .from(subjectVersions)
      .groupBy(subjectVersions.subject);
  }

  async markDeleted(subject: string, versions: number[]): Promise<void> {
    if (versions.length === 0) return;
    await this.db
      .update(subjectVersions)
      .set({ deleted: true })
      .where(and(eq(subjectVersions.subject, subject), anyOf(subjectVersions.version, versions)));
  }

  async removeVersions(subject: string, versions: number[]): Promise<void> {
    if (versions.length === 0) return;
    await this.db
      .delete(subjectVersions)
      .where(and(eq(subjectVersions.subject, subject), anyOf(subjectVersions.version, versions)));
  }

  // ---- config and mode (scope = subject, or GLOBAL_SCOPE)

  /** A scope's stored config; `fresh` reads past the cache (a write merging into it must not merge stale data). */
  async config(scope: string, fresh = false): Promise<Record<string, unknown> | undefined> {
    if (!storable(scope)) return undefined;
    const load = async () => {
      const [row] = await this.db.select({ config: configs.config }).from(configs).where(eq(configs.scope, scope));
      return row?.config;
    };
    return fresh ? load() : this.settingsCache.get(`config\u0000${scope}`, load);
  }

  async putConfig(scope: string, config: Record<string, unknown>): Promise<void> {
    await this.settingsChanged();
    await this.db
      .insert(configs)
      .values({ scope, config })
      .onConflictDoUpdate({ target: configs.scope, set: { config, updatedAt: sql`now()` } });
  }

  async deleteConfig(scope: string): Promise<void> {
    await this.settingsChanged();
    await this.db.delete(configs).where(eq(configs.scope, scope));
  }

  async mode(scope: string): Promise<string | undefined> {
    if (!storable(scope)) return undefined;
    return this.settingsCache.get(`mode\u0000${scope}`, async () => {
      const [row] = await this.db.select({ mode: modes.mode }).from(modes).where(eq(modes.scope, scope));
      return row?.mode;
    });
  }

  async putMode(scope: string, mode: string): Promise<void> {
    await this.settingsChanged();
    await this.db
      .insert(modes)
      .values({ scope, mode })
      .onConflictDoUpdate({ target: modes.scope, set: { mode, updatedAt: sql`now()` } });
  }

  async deleteMode(scope: string): Promise<void> {
    await this.settingsChanged();
    await this.db.delete(modes).where(eq(modes.scope, scope));
  }

  // ---- governance: rule settings (scope '' = registry-wide, else a subject prefix) and the catalog

  /** Rule settings of every scope; `fresh` reads past the cache (a write merging into them must not merge stale data). */
  async ruleSettings(fresh = false): Promise<{ scope: string; settings: Record<string, unknown> }[]> {
    const load = () =>
      this.db.select({ scope: ruleSettings.scope, settings: ruleSettings.settings }).from(ruleSettings).orderBy(asc(ruleSettings.scope));
    return fresh ? load() : this.settingsCache.get('rules', load);
  }

  async putRuleSettings(scope: string, settings: Record<string, unknown>): Promise<void> {
    await this.settingsChanged();
    await this.db
      .insert(ruleSettings)
      .values({ scope, settings })
      .onConflictDoUpdate({ target: ruleSettings.scope, set: { settings, updatedAt: sql`now()` } });
  }

  async deleteRuleSettings(scope: string): Promise<boolean> {
    if (!storable(scope)) return false;
    await this.settingsChanged();
    const removed = await this.db.delete(ruleSettings).where(eq(ruleSettings.scope, scope)).returning({ scope: ruleSettings.scope });
    return removed.length > 0;
  }

  async catalogEntry(subject: string): Promise<Record<string, unknown> | undefined> {
    if (!storable(subject)) return undefined;
    const [row] = await this.db.select({ entry: catalogEntries.entry }).from(catalogEntries).where(eq(catalogEntries.subject, subject));
    return row?.entry;
  }

  async putCatalogEntry(subject: string, entry: { owner?: string; domain?: string; lifecycle: string } & Record<string, unknown>): Promise<void> {
    const row = { subject, owner: entry.owner ?? null, domain: entry.domain ?? null, lifecycle: entry.lifecycle, entry };
    await this.db
      .insert(catalogEntries)
      .values(row)
      .onConflictDoUpdate({ target: catalogEntries.subject, set: { ...row, updatedAt: sql`now()` } });
  }

  async deleteCatalogEntry(subject: string): Promise<boolean> {
    const removed = await this.db.delete(catalogEntries).where(eq(catalogEntries.subject, subject)).returning({ subject: catalogEntries.subject });
    return removed.length > 0;
  }

  /** Catalog entries matching every given filter, by subject; `text` matches subject, description or tags. */
  async searchCatalog(filter: { owner?: string; domain?: string; lifecycle?: string; tag?: string; text?: string }): Promise<{ subject: string; entry: Record<string, unknown> }[]> {
    if (!Object.values(filter).every((value) => value === undefined || storable(value))) return [];
    const where: SQL[] = [];
    if (filter.owner) where.push(eq(catalogEntries.owner, filter.owner));
    if (filter.domain) where.push(eq(catalogEntries.domain, filter.domain));
    if (filter.lifecycle) where.push(eq(catalogEntries.lifecycle, filter.lifecycle));
    if (filter.tag) where.push(sql`${catalogEntries.entry}->'tags' ? ${filter.tag}`);
    if (filter.text) {
      const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(or(ilike(catalogEntries.subject, pattern), sql`${catalogEntries.entry}::text ilike ${pattern}`)!);
    }
    return this.db
      .select({ subject: catalogEntries.subject, entry: catalogEntries.entry })
      .from(catalogEntries)
      .where(where.length ? and(...where) : undefined)
      .orderBy(asc(catalogEntries.subject));
  }

  // ---- change notices between replicas

  /** Tells every replica (on commit) that versions of `subject` were deleted: cached answers about them may be untrue. */
  async announceDeletion(subject: string, permanent: boolean): Promise<void> {
    if (this.serialized) return;
    const change: Change = { kind: 'deletion', subject, permanent };
    await this.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(change)})`);
  }

  /** Tells every replica (on commit) that a context was removed: its ids may be handed out again, to other schemas. */
  async announceContextDeletion(context: string): Promise<void> {
    if (this.serialized) return;
    const change: Change = { kind: 'context', context };
    await this.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(change)})`);
  }

  // ---- operations

  /** Migrations recorded as applied (drizzle's own table). */
  async appliedMigrations(): Promise<number> {
    const result = await this.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    return Number((rowsOf(result)[0] as { n: number | string }).n);
  }

  async counts(): Promise<{ schemas: number; subjects: number }> {
    const result = await this.db.execute(
      sql`select (select count(*) from schemas)::int as schemas, (select count(distinct subject) from subject_versions where not deleted)::int as subjects`,
    );
    const row = rowsOf(result)[0] as { schemas: number | string; subjects: number | string };
    return { schemas: Number(row.schemas), subjects: Number(row.subjects) };
  }

  // ---- audit

  async audit(entry: AuditEntry): Promise<void> {
    await this.db.insert(auditLog).values({
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject ?? null,
      version: entry.version ?? null,
      schemaId: entry.schemaId ?? null,
      detail: entry.detail ?? null,
    });
  }

  /** Audit entries, oldest first, filtered by subject, action prefix (`register`, `config`, …) and time range. */
  async auditTrail(
    subject?: string,
    filter: { action?: string | undefined; from?: Date | undefined; to?: Date | undefined } = {},
  ): Promise<(AuditEntry & { id: number; at: Date })[]> {
    if (!storable(subject ?? '') || !storable(filter.action ?? '')) return [];
    const where: SQL[] = [];
    if (subject !== undefined) where.push(eq(auditLog.subject, subject));
    if (filter.action) where.push(or(eq(auditLog.action, filter.action), sql`starts_with(${auditLog.action}, ${`${filter.action}.`})`)!);
    if (filter.from) where.push(gte(auditLog.at, filter.from));
    // The database keeps microseconds, answers carry milliseconds: `to` covers its whole millisecond.
    if (filter.to) where.push(lt(auditLog.at, new Date(filter.to.getTime() + 1)));
    return this.db
      .select()
      .from(auditLog)
      .where(where.length ? and(...where) : undefined)
      .orderBy(asc(auditLog.id));
  }
}
