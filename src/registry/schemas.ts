// Turning schema text into parsed schemas: references resolved, identity computed, stored schemas cached by id.
import { createHash } from 'node:crypto';
import {
  formatFor,
  InvalidSchemaError,
  supportedSchemaTypes,
  type ParsedSchema,
  type ResolvedReference,
  type SchemaFormat,
  type SchemaLimits,
  type SchemaType,
} from '../formats/index.js';
import type { SchemaReference, SchemaRow, Store } from '../storage/store.js';
import { BoundedMap } from './bounded-map.js';
import { contextOf, contextPrefix, qualifyInContextOf } from './contexts.js';
import { errors } from './errors.js';

/** What identifies a stored schema: its id within its context. */
export const schemaKey = (context: string, id: number): string => `${context}\u0000${id}`;

/** How deep a chain of references may go before we call it a cycle. */
const MAX_REFERENCE_DEPTH = 32;

export function formatOf(schemaType: string): SchemaFormat {
  const format = formatFor(schemaType);
  if (!format) throw errors.invalidSchemaType(schemaType, supportedSchemaTypes());
  return format;
}

/**
 * Fetches the schemas that `refs` point at, dependencies first. A new registration may only reference live versions
 * (`allowDeleted` false); `-1` means the latest live version and is returned as the concrete version. Subjects in
 * references resolve in `context` (the referring schema's): `address` from a schema of `.team-a` is `:.team-a:address`.
 */
export async function resolveReferences(
  store: Store,
  context: string,
  refs: readonly SchemaReference[],
  allowDeleted: boolean,
): Promise<{ concrete: SchemaReference[]; resolved: ResolvedReference[]; targets: SchemaReference[] }> {
  const resolved: ResolvedReference[] = [];
  const seen = new Set<string>();
  const visit = async (ref: SchemaReference, depth: number, context: string): Promise<SchemaReference> => {
    if (depth > MAX_REFERENCE_DEPTH) throw errors.invalidSchema(`References nest deeper than ${MAX_REFERENCE_DEPTH} levels (a cycle?)`);
    const target = qualifyInContextOf(contextPrefix(context), ref.subject);
    const versions = await store.versionsOf(target);
    const row =
      ref.version === -1
        ? versions.filter((v) => !v.deleted).at(-1)
        : versions.find((v) => v.version === ref.version && (allowDeleted || !v.deleted));
    const schema = row && (await store.schemaById(contextOf(target), row.schemaId));
    if (!row || !schema) {
      throw errors.invalidSchema(`No schema reference found for subject "${ref.subject}" and version ${ref.version}`);
    }
    const key = `${row.subject}\u0000${row.version}`;
    if (!seen.has(key)) {
      seen.add(key);
      // A referenced schema's own references resolve in its context.
      for (const inner of schema.references) await visit(inner, depth + 1, schema.context);
      resolved.push({
        name: ref.name,
        subject: row.subject,
        version: row.version,
        schemaType: schema.schemaType as SchemaType,
        schema: schema.schema,
      });
    }
    return { name: ref.name, subject: ref.subject, version: row.version };
  };
  const concrete: SchemaReference[] = [];
  for (const ref of refs) concrete.push(await visit(ref, 0, context));
  const targets = concrete.map((r) => ({ ...r, subject: qualifyInContextOf(contextPrefix(context), r.subject) }));
  return { concrete, resolved, targets };
}

/** Confluent's identity hash: the canonical text, then the references in order, then metadata and ruleSet. */
export function fingerprintOf(
  schemaType: string,
  canonical: string,
  references: readonly SchemaReference[],
  metadata: unknown,
  ruleSet: unknown,
): string {
  const identity = [schemaType, canonical, references.map((r) => [r.name, r.subject, r.version]), metadata ?? null, ruleSet ?? null];
  return createHash('md5').update(stableStringify(identity)).digest('hex');
}

/** JSON with object keys sorted, so equal values hash equally whatever order they were written in. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** normalize=true sorts and dedupes references. */
export function normalizeReferences(refs: readonly SchemaReference[]): SchemaReference[] {
  const byKey = new Map(refs.map((r) => [`${r.name}\u0000${r.subject}\u0000${r.version}`, r]));
  return [...byKey.values()].sort((a, b) =>
    a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.subject !== b.subject ? (a.subject < b.subject ? -1 : 1) : a.version - b.version,
  );
}

export interface ParseRequest {
  schemaType: string;
  schema: string;
  references: readonly ResolvedReference[];
  validate: boolean;
  normalize: boolean;
}

/** Parses schema text, turning a format's complaint into 42201. */
export function parseSchema(request: ParseRequest, maxDepth: number, limits?: SchemaLimits): ParsedSchema {
  const format = formatOf(request.schemaType);
  try {
    return format.parse(request.schema, request.references, {
      validate: request.validate,
      normalize: request.normalize,
      maxDepth,
      limits,
    });
  } catch (err) {
    if (err instanceof InvalidSchemaError) throw errors.invalidSchema(err.message);
    if (err instanceof RangeError) throw errors.invalidSchema('Invalid schema: nested too deeply');
    // Parsing is pure: whatever a parser library throws on odd input is still a schema that does not parse.
    throw errors.invalidSchema(`Invalid ${request.schemaType} schema: ${(err as Error).message}`);
  }
}

/**
 * Parsed stored schemas by id. Ids are immutable (a schema's text and references never change), so entries never go
 * stale, in this replica or any other.
 */
export class ParsedSchemaCache {
  /** By schemaKey (context and id). */
  private readonly entries: BoundedMap<string, ParsedSchema>;
  hits = 0;
  misses = 0;

  /**
   * @param capacity estimated bytes: a parsed schema holds its tree and three renderings (canonical, normalized,
   *   equivalence), about eight times its canonical text in JavaScript memory.
   */
  constructor(
    private readonly maxDepth: number,
    capacity = 64 * 1024 * 1024,
  ) {
    this.entries = new BoundedMap(capacity, (_, parsed) => 16 * parsed.canonical.length + 1024);
  }

  /** The parsed schema of an id of a context, reading the store only on a miss. */
  async getById(store: Store, context: string, id: number): Promise<ParsedSchema> {
    const hit = this.entries.get(schemaKey(context, id));
    if (hit) {
      this.hits++;
      return hit;
    }
    const row = await store.schemaById(context, id);
    if (!row) throw new Error(`schema ${id} vanished while in use`);
    return this.get(store, row);
  }

  /** Only for a store emptied underneath (tests truncate tables, so ids are reused): ids are otherwise forever. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  async get(store: Store, row: SchemaRow): Promise<ParsedSchema> {
    const key = schemaKey(row.context, row.id);
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const { resolved } = await resolveReferences(store, row.context, row.references, true);
    // Stored history is parsed leniently: it was valid when written, and must always load.
    const parsed = parseSchema(
      { schemaType: row.schemaType, schema: row.schema, references: resolved, validate: false, normalize: false },
      this.maxDepth,
    );
    this.entries.set(key, parsed);
    return parsed;
  }
}
