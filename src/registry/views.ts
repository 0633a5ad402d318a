// The JSON shapes the registry answers with, built the way Confluent serialises them (empty and null fields omitted).
import { guidOf } from '../storage/guids.js';
import type { SchemaReference, SchemaRow, VersionRow } from '../storage/store.js';
import type { Incompatibility } from '../formats/format.js';
import type { GovernanceFinding } from '../governance/rule.js';

/** A schema as `/schemas/ids/{id}` returns it. */
export interface SchemaView {
  schemaType?: string;
  references?: SchemaReference[];
  metadata?: Record<string, unknown>;
  ruleSet?: Record<string, unknown>;
  schema: string;
  /** Confluent 8's GUID of the schema (storage/guids.ts). */
  guid?: string;
}

/** A subject version as GET, lookup, register and `/schemas` return it. */
export interface SchemaVersionView extends SchemaView {
  subject: string;
  version: number;
  id: number;
  /** Governance warnings, on a successful registration only. */
  warnings?: GovernanceFinding[];
}

export function schemaView(row: SchemaRow): SchemaView {
  return {
    // AVRO is omitted, as CP 5.5–7.9 and Karapace do; every client reads a missing schemaType as AVRO.
    ...(row.schemaType !== 'AVRO' ? { schemaType: row.schemaType } : {}),
    ...(row.references.length > 0 ? { references: row.references } : {}),
    ...(row.metadata ? { metadata: row.metadata } : {}),
    ...(row.ruleSet ? { ruleSet: row.ruleSet } : {}),
    schema: row.schema,
    guid: guidOf(row),
  };
}

export function versionView(version: VersionRow, row: SchemaRow): SchemaVersionView {
  return { subject: version.subject, version: version.version, id: row.id, ...schemaView(row) };
}

/** One finding of a compatibility check, tied to the registered version it was found against. */
export interface IncompatibilityView extends Incompatibility {
  oldVersion: number;
}

export interface CompatibilityResult {
  compatible: boolean;
  /** Confluent's verbose strings: findings, then oldSchemaVersion, oldSchema and the level. */
  messages: string[];
  incompatibilities: IncompatibilityView[];
}
