// The rows the store answers with and the writes it takes, as the registry sees them.
import type { SchemaReference } from './schema.js';

export interface SchemaRow {
  /** The schema's context: ids are unique within one context (`.` is the default one). */
  context: string;
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
  /** The subject, qualified; `context` is its context. */
  subject: string;
  context: string;
  version: number;
  /** The schema; its `id` is used only when importing (otherwise the next id is drawn). */
  schema: Omit<SchemaRow, 'id' | 'context'> & { id?: number | undefined };
  /** The schema's references with their subjects qualified (resolved in the subject's context): the stored edges. */
  referenceTargets: SchemaReference[];
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

/** postgres.js answers `execute` with an array of rows, PGlite with `{ rows }`. */
export const rowsOf = (result: unknown): unknown[] => (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []));
