// A registration's two statements: everything it decides on, read at once, and everything it writes, written at once,
// so a registration costs two round trips, not fifteen. The Store runs them (store.ts); SQL stays in storage.
import { sql, type SQL } from 'drizzle-orm';
import { guidOf } from './guids.js';
import { rowsOf, type RegistrationState, type RegistrationWrite, type VersionRow } from './rows.js';
import type { SchemaReference } from './schema.js';

/** What the statements run on: a database or a transaction. */
export interface Executor {
  execute(query: SQL): Promise<unknown>;
}

/** Advisory lock namespace (first key of the two-key form) for per-subject locks. */
export const SUBJECT_LOCK = 1;

/** An int[] parameter, in PostgreSQL's array literal form. */
export const intArray = (values: readonly number[]): string => `{${values.join(',')}}`;

const jsonOrNull = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Everything a registration decides on, read in one statement: the subject's highest version, its newest live one,
 * the schema with this identity anywhere in the context, the live version carrying it, soft-deleted versions carrying it that no
 * schema references (a new version supersedes those), and the subject's catalog entry.
 */
export async function readRegistrationState(db: Executor, subject: string, context: string, fingerprint: string): Promise<RegistrationState> {
  const result = await db.execute(sql`
    with same as (select * from schemas where context = ${context} and fingerprint = ${fingerprint})
    select
      (select coalesce(max(version), 0) from subject_versions where subject = ${subject})::int as max_version,
      (select json_build_array(version, schema_id) from subject_versions
        where subject = ${subject} and not deleted order by version desc limit 1) as latest_live,
      (select json_build_array(id, schema_type, schema, fingerprint, "references", metadata, rule_set, guid) from same) as existing,
      (select min(v.version) from subject_versions v join same on v.context = same.context and v.schema_id = same.id
        where v.subject = ${subject} and not v.deleted)::int as live_same,
      (select json_agg(v.version order by v.version) from subject_versions v join same on v.context = same.context and v.schema_id = same.id
        where v.subject = ${subject} and v.deleted
          and not exists (select 1 from schema_references r where r.subject = ${subject} and r.version = v.version)) as superseded,
      (select entry from catalog_entries where subject = ${subject}) as catalog_entry,
      exists (select 1 from subject_versions v join schema_references r on r.context = v.context and r.schema_id = v.schema_id
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
  const existing = e
    ? { context, id: e[0], schemaType: e[1], schema: e[2], fingerprint: e[3], references: e[4], metadata: e[5], ruleSet: e[6], guid: e[7] }
    : undefined;
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
export async function writeRegistration(db: Executor, write: RegistrationWrite): Promise<number | undefined> {
  const { subject, context, version, schema, audit } = write;
  // The subject is unchanged since it was read, and no writer holds its lock (a locked writer holds it itself).
  const guard = sql`(select coalesce(max(version), 0) from subject_versions where subject = ${subject}) = ${write.expectedMaxVersion}
    and pg_try_advisory_xact_lock(${SUBJECT_LOCK}, hashtext(${subject}))`;
  const result = await db.execute(sql`
    with new_schema as (
      insert into schemas (context, id, schema_type, schema, fingerprint, "references", metadata, rule_set, guid)
      select ${context}, coalesce(${schema.id ?? null}::int, next_schema_id(${context})), ${schema.schemaType}, ${schema.schema}, ${schema.fingerprint},
        ${JSON.stringify(schema.references)}::jsonb, ${jsonOrNull(schema.metadata)}::json, ${jsonOrNull(schema.ruleSet)}::json, ${guidOf(schema)}
      where ${write.existingId === undefined}::boolean and ${guard}
      on conflict (context, fingerprint) do nothing
      returning id
    ), target as (
      select id from new_schema union all select ${write.existingId ?? null}::int where ${write.existingId !== undefined}::boolean and ${guard}
    ), new_version as (
      insert into subject_versions (subject, version, context, schema_id, deleted)
      select ${subject}, ${version}::int, ${context}, id, false from target
      returning schema_id
    ), refs as (
      insert into schema_references (context, schema_id, name, subject, version)
      select ${context}, n.id, r.name, r.subject, r.version
        from new_schema n, json_to_recordset(${JSON.stringify(write.referenceTargets)}::json) as r(name text, subject text, version int)
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
