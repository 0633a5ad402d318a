// Schema GUIDs exactly as Confluent 8 computes them: the 16 bytes of an MD5 over the schema's identity, printed as a
// UUID (no version bits are set: it is the digest itself). Kept byte-compatible so a GUID in a Kafka header or a V1
// payload written against Confluent resolves here, and one written here resolves there.
import { createHash, type Hash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { guidFromBytes } from '../../sdk/schema-ids.js';
import type { SchemaReference } from './schema.js';
import { rowsOf } from './rows.js';

/** Canonical UUID text: 8-4-4-4-12 lowercase hex digits. */
const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The GUID in canonical form, or undefined for text that is not a UUID (any case is accepted, as Java's parser does). */
export function parseGuid(text: string): string | undefined {
  const lower = text.toLowerCase();
  return GUID_PATTERN.test(lower) ? lower : undefined;
}

/** Java's TreeMap/TreeSet order: UTF-16 code units, which is also JavaScript's default string order. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const text = (md: Hash, value: unknown) => {
  if (typeof value === 'string') md.update(value, 'utf8');
};
const sortedKeys = (value: unknown): [string, unknown][] =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value).sort(([a], [b]) => byCodeUnit(a, b)) : [];
const sortedSet = (value: unknown): string[] =>
  Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === 'string'))].sort(byCodeUnit) : [];

/** Metadata.updateHash: tags (sorted, each then its sorted values), properties (sorted), sensitive (sorted). */
function hashMetadata(md: Hash, metadata: Record<string, unknown>): void {
  for (const [tag, paths] of sortedKeys(metadata.tags)) {
    text(md, tag);
    for (const path of sortedSet(paths)) text(md, path);
  }
  for (const [key, value] of sortedKeys(metadata.properties)) {
    text(md, key);
    text(md, value);
  }
  for (const name of sortedSet(metadata.sensitive)) text(md, name);
}

/** Rule.updateHash: its fields in declaration order, kind and mode defaulted as Confluent's constructor does. */
function hashRule(md: Hash, rule: Record<string, unknown>): void {
  text(md, rule.name);
  text(md, rule.doc);
  text(md, rule.kind ?? 'TRANSFORM');
  text(md, rule.mode ?? 'WRITEREAD');
  text(md, rule.type);
  for (const tag of sortedSet(rule.tags)) text(md, tag);
  for (const [key, value] of sortedKeys(rule.params)) {
    text(md, key);
    text(md, value);
  }
  text(md, rule.expr);
  text(md, rule.onSuccess);
  text(md, rule.onFailure);
  if (rule.disabled === true) md.update(ONE);
}

const ONE = Uint8Array.of(1);

const rulesOf = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object') : [];

/**
 * Confluent's MD5.ofSchema as a GUID: the schema text (as stored, i.e. canonical), each reference's name, subject and
 * version (int32 big-endian), then metadata and ruleSet when present. The schema type is not part of it.
 */
export function schemaGuid(
  schema: string,
  references: readonly SchemaReference[],
  metadata: Record<string, unknown> | null | undefined,
  ruleSet: Record<string, unknown> | null | undefined,
): string {
  const md = createHash('md5');
  md.update(schema, 'utf8');
  for (const ref of references) {
    md.update(ref.name, 'utf8');
    md.update(ref.subject, 'utf8');
    const version = Buffer.alloc(4);
    version.writeInt32BE(ref.version);
    md.update(version);
  }
  // A marker byte before each, so a schema with empty metadata differs from one without.
  if (metadata) {
    md.update(ONE);
    hashMetadata(md, metadata);
  }
  if (ruleSet) {
    md.update(ONE);
    for (const rule of rulesOf(ruleSet.migrationRules)) hashRule(md, rule);
    for (const rule of rulesOf(ruleSet.domainRules)) hashRule(md, rule);
    for (const rule of rulesOf(ruleSet.encodingRules)) hashRule(md, rule);
  }
  return guidFromBytes(md.digest());
}


/**
 * Gives every schema stored before GUIDs existed its GUID, once, at start-up (a replica that races another writes the
 * same values). Pages by context and id (an id repeats across contexts), so a large registry is filled without holding
 * it all in memory.
 */
export async function backfillGuids(db: { execute(query: SQL): Promise<unknown> }): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = rowsOf(
      await db.execute(sql`select context, id, schema, "references", metadata, rule_set from schemas where guid is null order by context, id limit 1000`),
    ) as { context: string; id: number; schema: string; references: SchemaReference[]; metadata: Record<string, unknown> | null; rule_set: Record<string, unknown> | null }[];
    if (rows.length === 0) return filled;
    const pairs = rows.map((r) => ({ context: r.context, id: Number(r.id), guid: schemaGuid(r.schema, r.references, r.metadata, r.rule_set) }));
    await db.execute(sql`update schemas set guid = g.guid
      from json_to_recordset(${JSON.stringify(pairs)}::json) as g(context text, id int, guid text)
      where schemas.context = g.context and schemas.id = g.id and schemas.guid is null`);
    filled += rows.length;
  }
}

/** A row's GUID: the one it was given (imported from another registry), else the one its content hashes to. */
export const guidOf = (row: {
  schema: string;
  references: readonly SchemaReference[];
  metadata: Record<string, unknown> | null;
  ruleSet: Record<string, unknown> | null;
  guid?: string | null | undefined;
}): string => row.guid ?? schemaGuid(row.schema, row.references, row.metadata, row.ruleSet);
