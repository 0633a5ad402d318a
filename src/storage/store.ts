// Every query Accord runs. The registry calls these inside one transaction per request; SQL stays here.
import { and, asc, desc, eq, gte, ilike, lt, max, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { guidOf } from './guids.js';
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
  /** Confluent's GUID; absent on a row not yet written (see storage/guids.ts). */
  guid?: string | null | undefined;
}

export interface VersionRow {
  subject: string;
  version: number;
  schemaId: number;
  deleted: boolean;
}

/** What a registration reads before deciding (see Store.registrationState). */
export interface RegistrationState {
  /** The subject's highest version, live or soft-deleted; 0 when it has none. */
  maxVersion: number;
  latestLive: VersionRow | undefined;
  /** The schema with the candidate's identity, under any subject. */
  existing: SchemaRow | undefined;
  /** The live version of this subject carrying that schema. */
  liveSame: VersionRow | undefined;
  /** Soft-deleted versions of this subject carrying that schema, referenced by no schema. */
  superseded: number[];
  /** Whether a live version of this subject has references (a schema sent with them inlined may match it). */
  liveWithReferences: boolean;
  catalogEntry: Record<string, unknown> | undefined;
}

export interface RegistrationWrite {
  subject: string;
  version: number;
  /** The schema; its `id` is used only when importing (otherwise the next id is drawn). */
  schema: Omit<SchemaRow, 'id'> & { id?: number | undefined };
  /** The id of the identical schema already stored, if any (then `schema` is not inserted). */
  existingId: number | undefined;
  superseded: number[];
  /** The subject's highest version when it was read: the write applies only if it still is. */
  expectedMaxVersion: number;
  audit: { actor: string; detail: Record<string, unknown> | null };
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
/** Advisory lock class of an imported schema id (see lockSchemaId). */
const SCHEMA_ID_LOCK = 2;

/** PostgreSQL channel on which replicas announce changes that invalidate caches; each payload is a Change as JSON. */
export const CHANGES_CHANNEL = 'accord_changes';

/** A change another replica made that may make this one's cached answers untrue. */
export type Change = { kind: 'settings' } | { kind: 'deletion'; subject: string; permanent: boolean };

/** A notice's Change, or undefined for a payload this version does not know. */
export function parseChange(payload: string): Change | undefined {
  try {
    const change = JSON.parse(payload) as Partial<Change> | null;
    if (change?.kind === 'settings') return { kind: 'settings' };
    if (change?.kind === 'deletion' && typeof change.subject === 'string') return { kind: 'deletion', subject: change.subject, permanent: change.permanent === true };
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/** An int[] parameter, in PostgreSQL's array literal form. */
const intArray = (values: readonly number[]): string => `{${values.join(',')}}`;

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

const jsonOrNull = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

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
  guid: schemas.guid,
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
    if (!this.serialized) await this.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ kind: 'settings' } satisfies Change)})`);
  }

  /** Serialises writers of one subject across every replica until the transaction ends. */
  async lockSubject(subject: string): Promise<void> {
    // A name that cannot be stored has nothing to serialise: no writer can ever create it.
    if (this.serialized || !storable(subject)) return;
    await this.db.execute(sql`select pg_advisory_xact_lock(${SUBJECT_LOCK}, hashtext(${subject}))`);
  }

  /**
   * Serialises, until the transaction ends, the writers that import a schema at the same id under different subjects:
   * without it, each may see the id free and race to insert it (a migration copies one schema into several subjects).
   */
  async lockSchemaId(id: number): Promise<void> {
    if (this.serialized) return;
    await this.db.execute(sql`select pg_advisory_xact_lock(${SCHEMA_ID_LOCK}, ${id}::int)`);
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

  /** A schema by id, if some version (even soft-deleted) still carries it: what GET /schemas/ids/{id} may answer. */
  async carriedSchemaById(id: number): Promise<SchemaRow | undefined> {
    const [row] = await this.db
      .select(schemaColumns)
      .from(schemas)
      .where(and(eq(schemas.id, id), sql`exists (select 1 from ${subjectVersions} where ${subjectVersions.schemaId} = ${schemas.id})`));
    return row;
  }

  /** Schemas with this GUID that some version (even soft-deleted) still carries, lowest id first. */
  async carriedSchemasByGuid(guid: string): Promise<SchemaRow[]> {
    return this.db
      .select(schemaColumns)
      .from(schemas)
      .where(and(eq(schemas.guid, guid), sql`exists (select 1 from ${subjectVersions} where ${subjectVersions.schemaId} = ${schemas.id})`))
      .orderBy(asc(schemas.id));
  }

  async schemasByIds(ids: number[]): Promise<Map<number, SchemaRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.select(schemaColumns).from(schemas).where(anyOf(schemas.id, ids));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Every stored schema of one type (for upgrades that recompute what a new parser derives from the text). */
  async schemasOfType(schemaType: string): Promise<SchemaRow[]> {
    return this.db.select(schemaColumns).from(schemas).where(eq(schemas.schemaType, schemaType)).orderBy(asc(schemas.id));
  }

  /** Gives a stored schema the identity its text has under the current parser; false when another schema has it. */
  async setFingerprint(id: number, fingerprint: string): Promise<boolean> {
    const result = await this.db.execute(
      sql`update schemas set fingerprint = ${fingerprint} where id = ${id} and not exists (select 1 from schemas where fingerprint = ${fingerprint}) returning id`,
    );
    return rowsOf(result).length > 0;
  }

  async maxSchemaId(): Promise<number> {
    const [row] = await this.db.select({ value: max(schemas.id) }).from(schemas);
    return row?.value ?? 0;
  }

  // ---- registration: one read and one write statement, so a registration costs two round trips, not fifteen

  /**
   * Everything a registration decides on, read in one statement: the subject's highest version, its newest live one,
   * the schema with this identity anywhere, the live version carrying it, soft-deleted versions carrying it that no
   * schema references (a new version supersedes those), and the subject's catalog entry.
   */
  async registrationState(subject: string, fingerprint: string): Promise<RegistrationState> {
    const result = await this.db.execute(sql`
      with same as (select * from schemas where fingerprint = ${fingerprint})
      select
        (select coalesce(max(version), 0) from subject_versions where subject = ${subject})::int as max_version,
        (select json_build_array(version, schema_id) from subject_versions
          where subject = ${subject} and not deleted order by version desc limit 1) as latest_live,
        (select json_build_array(id, schema_type, schema, fingerprint, "references", metadata, rule_set, guid) from same) as existing,
        (select min(v.version) from subject_versions v join same on v.schema_id = same.id
          where v.subject = ${subject} and not v.deleted)::int as live_same,
        (select json_agg(v.version order by v.version) from subject_versions v join same on v.schema_id = same.id
          where v.subject = ${subject} and v.deleted
            and not exists (select 1 from schema_references r where r.subject = ${subject} and r.version = v.version)) as superseded,
        (select entry from catalog_entries where subject = ${subject}) as catalog_entry,
        exists (select 1 from subject_versions v join schema_references r on r.schema_id = v.schema_id
          where v.subject = ${subject} and not v.deleted) as live_with_references`);
    const row = rowsOf(result)[0] as {
      max_version: number;
      latest_live: [number, number] | null;
      existing: [number, string, string, string, SchemaReference[], Record<string, unknown> | null, Record<string, unknown> | null, string | null] | null;
      live_same: number | null;
      superseded: number[] | null;
      catalog_entry: Record<string, unknown> | null;
      live_with_references: boolean;
    };
    const e = row.existing;
    const existing = e ? { id: e[0], schemaType: e[1], schema: e[2], fingerprint: e[3], references: e[4], metadata: e[5], ruleSet: e[6], guid: e[7] } : undefined;
    const version = (v: number, schemaId: number): VersionRow => ({ subject, version: v, schemaId, deleted: false });
    return {
      maxVersion: row.max_version,
      latestLive: row.latest_live ? version(row.latest_live[0], row.latest_live[1]) : undefined,
      existing,
      liveSame: row.live_same !== null && existing ? version(row.live_same, existing.id) : undefined,
      superseded: row.superseded ?? [],
      catalogEntry: row.catalog_entry ?? undefined,
      liveWithReferences: row.live_with_references === true,
    };
  }

  /**
   * Writes a registration as one statement: the schema (when new, under the next id or an imported one) with its
   * references, the version, the removal of superseded soft-deleted versions, and the audit entry. Nothing is written
   * (and the answer is `undefined`) unless the subject's highest version is still `expectedMaxVersion` and no other
   * writer holds the subject's lock, so a writer that read the subject without the lock learns that it raced; a
   * concurrent insert of the same version fails the whole statement with a unique violation, leaving nothing behind.
   */
  async writeRegistration(write: RegistrationWrite): Promise<number | undefined> {
    const { subject, version, schema, audit } = write;
    // The subject is unchanged since it was read, and no writer holds its lock (a locked writer holds it itself).
    const guard = sql`(select coalesce(max(version), 0) from subject_versions where subject = ${subject}) = ${write.expectedMaxVersion}
      and pg_try_advisory_xact_lock(${SUBJECT_LOCK}, hashtext(${subject}))`;
    const result = await this.db.execute(sql`
      with new_schema as (
        insert into schemas (id, schema_type, schema, fingerprint, "references", metadata, rule_set, guid)
        select coalesce(${schema.id ?? null}::int, nextval('schema_ids')::int), ${schema.schemaType}, ${schema.schema}, ${schema.fingerprint},
          ${JSON.stringify(schema.references)}::jsonb, ${jsonOrNull(schema.metadata)}::json, ${jsonOrNull(schema.ruleSet)}::json, ${guidOf(schema)}
        where ${write.existingId === undefined}::boolean and ${guard}
        on conflict (fingerprint) do nothing
        returning id
      ), target as (
        select id from new_schema union all select ${write.existingId ?? null}::int where ${write.existingId !== undefined}::boolean and ${guard}
      ), new_version as (
        insert into subject_versions (subject, version, schema_id, deleted)
        select ${subject}, ${version}::int, id, false from target
        returning schema_id
      ), refs as (
        insert into schema_references (schema_id, name, subject, version)
        select n.id, r.name, r.subject, r.version
          from new_schema n, json_to_recordset(${JSON.stringify(schema.references)}::json) as r(name text, subject text, version int)
          where exists (select 1 from new_version)
        on conflict do nothing
      ), superseded as (
        delete from subject_versions
          where subject = ${subject} and version = any(${intArray(write.superseded)}::int[]) and exists (select 1 from new_version)
      ), audit as (
        insert into audit_log (actor, action, subject, version, schema_id, detail)
        select ${audit.actor}, 'register', ${subject}, ${version}::int, schema_id, ${jsonOrNull(audit.detail)}::jsonb from new_version
      )
      select schema_id as id from new_version`);
    const row = rowsOf(result)[0] as { id: number } | undefined;
    return row ? Number(row.id) : undefined;
  }

  /** Ids of schemas whose references point at (subject, version). */
  async referrerIds(subject: string, version: number): Promise<number[]> {
    if (!storable(subject)) return [];
    const rows = await this.db
      .selectDistinct({ id: schemaReferences.schemaId })
      .from(schemaReferences)
      .where(and(eq(schemaReferences.subject, subject), eq(schemaReferences.version, version)))
      .orderBy(asc(schemaReferences.schemaId));
    return rows.map((r) => r.id);
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

  async versionsCarrying(schemaIds: number[]): Promise<VersionRow[]> {
    if (schemaIds.length === 0) return [];
    return this.db
      .select(versionColumns)
      .from(subjectVersions)
      .where(anyOf(subjectVersions.schemaId, schemaIds))
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
