// The one source of truth for Accord's tables; `npm run db:generate` turns it into migrations/.
import { bigserial, boolean, foreignKey, index, integer, json, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** A schema reference as Confluent models it: a named type held by another subject's version. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/**
 * Schema ids of the default context (`.`). A sequence, not max+1 under a lock: no registration waits on another
 * subject's. A value is taken only once every check has passed; a replica that loses the race to insert the same
 * schema leaves one unused.
 */
export const schemaIds = pgSequence('schema_ids', { startWith: 1 });

/**
 * The last schema id handed out in each named context (`.team-a`, …): every context has an id sequence of its own,
 * as in Confluent, and PostgreSQL cannot create sequences on the fly without DDL. `next_schema_id(context)` draws
 * from here (or from `schema_ids` for the default context); a row is locked until its drawing transaction ends.
 */
export const contextSchemaIds = pgTable('context_schema_ids', {
  context: text('context').primaryKey(),
  lastId: integer('last_id').notNull(),
});

/**
 * Every distinct schema, once per context. The id is unique within its context (`.` for unqualified subjects); the
 * fingerprint (MD5 of the identity: type, canonical text, references, metadata, ruleSet) is unique within it too, so
 * the same schema gets the same id in every subject of a context, and ids of its own in another context.
 * Rows are never removed (but with their context, by DELETE /contexts): a schema hard-deleted everywhere and
 * registered again keeps its id.
 */
export const schemas = pgTable(
  'schemas',
  {
    context: text('context').notNull().default('.'),
    id: integer('id').notNull(),
    schemaType: text('schema_type').notNull(),
    schema: text('schema').notNull(),
    fingerprint: text('fingerprint').notNull(),
    references: jsonb('references').$type<SchemaReference[]>().notNull().default([]),
    // json, not jsonb: metadata and ruleSet are returned exactly as given, key order included.
    metadata: json('metadata').$type<Record<string, unknown>>(),
    ruleSet: json('rule_set').$type<Record<string, unknown>>(),
    /**
     * Confluent's GUID (storage/guids.ts), fixed when the row is written: computed, or kept from the registry a schema
     * was imported from. Null only between this column's migration and the start-up backfill. Not unique: the same
     * schema registered in two contexts has a row (and an id) in each, with one GUID.
     */
    guid: text('guid'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.context, t.id] }),
    unique('schemas_context_fingerprint').on(t.context, t.fingerprint),
    index('schemas_guid').on(t.guid),
  ],
);

/**
 * The edges behind `referencedby` and the 42206 delete guard: which schema references which subject version. The
 * subject is qualified: a reference resolves in the context of the schema that makes it.
 */
export const schemaReferences = pgTable(
  'schema_references',
  {
    context: text('context').notNull().default('.'),
    schemaId: integer('schema_id').notNull(),
    name: text('name').notNull(),
    subject: text('subject').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.context, t.schemaId, t.name] }),
    foreignKey({ columns: [t.context, t.schemaId], foreignColumns: [schemas.context, schemas.id] }).onDelete('cascade'),
    index('schema_references_target').on(t.subject, t.version),
  ],
);

/**
 * A subject's versions. A soft delete sets `deleted`; a hard delete removes the row. The subject is qualified
 * (`:.team-a:orders`, or `orders` in the default context) and `context` is its context, kept beside it for the join.
 */
export const subjectVersions = pgTable(
  'subject_versions',
  {
    subject: text('subject').notNull(),
    version: integer('version').notNull(),
    context: text('context').notNull().default('.'),
    schemaId: integer('schema_id').notNull(),
    deleted: boolean('deleted').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.subject, t.version] }),
    foreignKey({ columns: [t.context, t.schemaId], foreignColumns: [schemas.context, schemas.id] }),
    index('subject_versions_schema_id').on(t.context, t.schemaId),
  ],
);

/** Compatibility config, in request form (`compatibility`, `normalize`, …). Scope `__GLOBAL` is the registry-wide one. */
export const configs = pgTable('configs', {
  scope: text('scope').primaryKey(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Registry mode (READWRITE, READONLY, READONLY_OVERRIDE, IMPORT). Scope `__GLOBAL` is the registry-wide one. */
export const modes = pgTable('modes', {
  scope: text('scope').primaryKey(),
  mode: text('mode').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only record of every change, written in the transaction of the change it records. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    version: integer('version'),
    schemaId: integer('schema_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_subject').on(t.subject, t.at)],
);

/** The ownership catalog: one entry per subject (owner team, domain, producers, consumers, lifecycle, …). */
export const catalogEntries = pgTable(
  'catalog_entries',
  {
    subject: text('subject').primaryKey(),
    owner: text('owner'),
    domain: text('domain'),
    lifecycle: text('lifecycle').notNull().default('active'),
    /** The whole entry as last written (description, producers, consumers, tags, sensitive fields, contact, sunset). */
    entry: jsonb('entry').$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('catalog_entries_owner').on(t.owner), index('catalog_entries_domain').on(t.domain)],
);

/** Governance rule settings: severities and parameters, registry-wide (scope '') or for a subject prefix. */
export const ruleSettings = pgTable('rule_settings', {
  scope: text('scope').primaryKey(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
