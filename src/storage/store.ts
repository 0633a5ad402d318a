// Every query Accord runs. The registry calls these inside one transaction per request; SQL stays here.
import { and, asc, desc, eq, gte, ilike, inArray, lt, max, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { auditLog, catalogEntries, configs, modes, ruleSettings, schemaReferences, schemas, subjectVersions, type SchemaReference } from './schema.js';

export type { SchemaReference };

export interface SchemaRow {
  id: number;
  schemaType: string;
  schema: string;
  fingerprint: string;
  references: SchemaReference[];
  metadata: Record<string, unknown> | null;
  ruleSet: Record<string, unknown> | null;
}

export interface VersionRow {
  subject: string;
  version: number;
  schemaId: number;
  deleted: boolean;
}

export interface AuditEntry {
  actor: string;
  action: string;
  subject?: string | null;
  version?: number | null;
  schemaId?: number | null;
  detail?: Record<string, unknown> | null;
}

type Executor = Pick<Db, 'select' | 'selectDistinct' | 'insert' | 'update' | 'delete' | 'execute'>;

// Advisory lock namespace (first key of the two-key form) for per-subject locks.
const SUBJECT_LOCK = 1;

/** PostgreSQL channel on which replicas announce changes that invalidate caches. */
export const CHANGES_CHANNEL = 'accord_changes';

/** postgres.js answers `execute` with an array of rows, PGlite with `{ rows }`. */
const rowsOf = (result: unknown): unknown[] => (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []));

const schemaColumns = {
  id: schemas.id,
  schemaType: schemas.schemaType,
  schema: schemas.schema,
  fingerprint: schemas.fingerprint,
  references: schemas.references,
  metadata: schemas.metadata,
  ruleSet: schemas.ruleSet,
};

const versionColumns = {
  subject: subjectVersions.subject,
  version: subjectVersions.version,
  schemaId: subjectVersions.schemaId,
  deleted: subjectVersions.deleted,
};

/**
 * Config, mode and rule settings, read on every registration and rarely written: kept per process. Every write clears
 * it here (at once and again after commit) and, through a notice on CHANGES_CHANNEL, in every replica; entries also
 * expire, as a safety net for a notice lost while the listening connection was down.
 */
export class SettingsCache {
  private readonly entries = new Map<string, { value: unknown; at: number }>();
  constructor(private readonly ttlMs = 10_000) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value as T;
    const value = await load();
    this.entries.set(key, { value, at: Date.now() });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

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
    if (!this.serialized) await this.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, 'settings')`);
  }

  /** Serialises writers of one subject across every replica until the transaction ends. */
  async lockSubject(subject: string): Promise<void> {
    if (this.serialized) return;
    await this.db.execute(sql`select pg_advisory_xact_lock(${SUBJECT_LOCK}, hashtext(${subject}))`);
  }

  /** The next global schema id (never handed out twice, by any replica). */
  async nextSchemaId(): Promise<number> {
    const result = await this.db.execute(sql`select nextval('schema_ids')::int as id`);
    return Number((rowsOf(result)[0] as { id: number | string }).id);
  }

  /** After an IMPORT with an explicit id, ids handed out later continue above it. */
  async raiseSchemaIdsTo(id: number): Promise<void> {
    await this.db.execute(sql`select setval('schema_ids', greatest(${id}::bigint, (select last_value from schema_ids)))`);
  }

  // ---- schemas

  async schemaById(id: number): Promise<SchemaRow | undefined> {
    const [row] = await this.db.select(schemaColumns).from(schemas).where(eq(schemas.id, id));
    return row;
  }

  async schemasByIds(ids: number[]): Promise<Map<number, SchemaRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.select(schemaColumns).from(schemas).where(inArray(schemas.id, ids));
    return new Map(rows.map((r) => [r.id, r]));
  }

  async schemaByFingerprint(fingerprint: string): Promise<SchemaRow | undefined> {
    const [row] = await this.db.select(schemaColumns).from(schemas).where(eq(schemas.fingerprint, fingerprint));
    return row;
  }

  async maxSchemaId(): Promise<number> {
    const [row] = await this.db.select({ value: max(schemas.id) }).from(schemas);
    return row?.value ?? 0;
  }

  /** Inserts a new schema; false when one with the same fingerprint got there first (another replica, same schema). */
  async insertSchemaIfNew(row: SchemaRow): Promise<boolean> {
    const inserted = await this.db.insert(schemas).values(row).onConflictDoNothing({ target: schemas.fingerprint }).returning({ id: schemas.id });
    if (inserted.length === 0) return false;
    if (row.references.length > 0) {
      await this.db
        .insert(schemaReferences)
        .values(row.references.map((r) => ({ schemaId: row.id, name: r.name, subject: r.subject, version: r.version })))
        .onConflictDoNothing();
    }
    return true;
  }

  /** The live version of `subject` carrying the schema with this identity, if any (the registration fast path). */
  async liveVersionByFingerprint(subject: string, fingerprint: string): Promise<VersionRow | undefined> {
    const [row] = await this.db
      .select(versionColumns)
      .from(subjectVersions)
      .innerJoin(schemas, eq(schemas.id, subjectVersions.schemaId))
      .where(and(eq(subjectVersions.subject, subject), eq(subjectVersions.deleted, false), eq(schemas.fingerprint, fingerprint)))
      .orderBy(asc(subjectVersions.version))
      .limit(1);
    return row;
  }

  /** Ids of schemas whose references point at (subject, version). */
  async referrerIds(subject: string, version: number): Promise<number[]> {
    const rows = await this.db
      .selectDistinct({ id: schemaReferences.schemaId })
      .from(schemaReferences)
      .where(and(eq(schemaReferences.subject, subject), eq(schemaReferences.version, version)))
      .orderBy(asc(schemaReferences.schemaId));
    return rows.map((r) => r.id);
  }

  // ---- subject versions

  async versionsOf(subject: string): Promise<VersionRow[]> {
    return this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(eq(subjectVersions.subject, subject))
      .orderBy(asc(subjectVersions.version));
  }

  /** The highest version of a subject, live only or counting soft-deleted ones too. */
  async latestVersion(subject: string, liveOnly: boolean): Promise<VersionRow | undefined> {
    const where = liveOnly
      ? and(eq(subjectVersions.subject, subject), eq(subjectVersions.deleted, false))
      : eq(subjectVersions.subject, subject);
    const [row] = await this.db.select(versionColumns).from(subjectVersions).where(where).orderBy(desc(subjectVersions.version)).limit(1);
    return row;
  }

  async versionRow(subject: string, version: number): Promise<VersionRow | undefined> {
    const [row] = await this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(and(eq(subjectVersions.subject, subject), eq(subjectVersions.version, version)));
    return row;
  }

  async liveVersions(subject: string): Promise<VersionRow[]> {
    return this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(and(eq(subjectVersions.subject, subject), eq(subjectVersions.deleted, false)))
      .orderBy(asc(subjectVersions.version));
  }

  /** Soft-deleted versions of a subject that carry a schema id. */
  async deletedVersionsCarrying(subject: string, schemaId: number): Promise<VersionRow[]> {
    return this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(and(eq(subjectVersions.subject, subject), eq(subjectVersions.schemaId, schemaId), eq(subjectVersions.deleted, true)));
  }

  async versionsCarrying(schemaIds: number[]): Promise<VersionRow[]> {
    if (schemaIds.length === 0) return [];
    return this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(inArray(subjectVersions.schemaId, schemaIds))
      .orderBy(asc(subjectVersions.subject), asc(subjectVersions.version));
  }

  /** Every version row, optionally of subjects starting with `prefix`, ordered by subject then version. */
  async allVersions(prefix = ''): Promise<VersionRow[]> {
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

  async insertVersion(row: VersionRow): Promise<void> {
    await this.db.insert(subjectVersions).values(row);
  }

  async markDeleted(subject: string, versions: number[]): Promise<void> {
    if (versions.length === 0) return;
    await this.db
      .update(subjectVersions)
      .set({ deleted: true })
      .where(and(eq(subjectVersions.subject, subject), inArray(subjectVersions.version, versions)));
  }

  async removeVersions(subject: string, versions: number[]): Promise<void> {
    if (versions.length === 0) return;
    await this.db
      .delete(subjectVersions)
      .where(and(eq(subjectVersions.subject, subject), inArray(subjectVersions.version, versions)));
  }

  // ---- config and mode (scope = subject, or GLOBAL_SCOPE)

  /** A scope's stored config; `fresh` reads past the cache (a write merging into it must not merge stale data). */
  async config(scope: string, fresh = false): Promise<Record<string, unknown> | undefined> {
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
    await this.settingsChanged();
    const removed = await this.db.delete(ruleSettings).where(eq(ruleSettings.scope, scope)).returning({ scope: ruleSettings.scope });
    return removed.length > 0;
  }

  async catalogEntry(subject: string): Promise<Record<string, unknown> | undefined> {
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

  /** Tells every replica (on commit) that versions were hard-deleted, so cached answers by id may be gone. */
  async announceHardDelete(): Promise<void> {
    if (this.serialized) return;
    await this.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, 'hard-delete')`);
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
