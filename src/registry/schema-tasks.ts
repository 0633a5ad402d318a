// The work on a client's schema that can take long (parsing it, checking it against earlier versions), as tasks of
// plain data in and plain data out, so the same code runs on the event loop or in a worker thread (schema-workers.ts).
import type { CompatibilityLevel } from './identifiers.js';
import type { ResolvedReference, SchemaLimits, SchemaOutline, SchemaType } from '../formats/index.js';
import type { ParsedSchema } from '../formats/index.js';
import { BoundedMap } from './bounded-map.js';
import { checkCompatibility, type PreviousVersion } from './compatibility.js';
import { errors, RegistryError, type RegistryErrorKind } from './errors.js';
import { formatOf, parseSchema, type ParseRequest } from './schemas.js';
import type { IncompatibilityView } from './views.js';

/** Parse (and validate) a schema a client sent. */
export interface ParseTask {
  kind: 'parse';
  request: ParseRequest;
  maxDepth: number;
  limits?: SchemaLimits | undefined;
}

/** A stored schema, as the checker needs it: its text and references. `key` names it for caching (id and fingerprint). */
export interface StoredSchemaSource {
  key: string;
  schemaId: number;
  schemaType: string;
  schema: string;
  references: ResolvedReference[];
}

/** Check a client's schema against stored versions (newest first) at a level. */
export interface CheckTask {
  kind: 'check';
  candidate: ParseTask;
  previous: (StoredSchemaSource & { version: number })[];
  level: CompatibilityLevel;
  /** Confluent's `compatibilityPolicy` (formats without policies ignore it). */
  policy?: string | undefined;
}

/** Find the breaks from a stored schema to a client's that the format's reference checker misses. */
export interface UndetectedBreaksTask {
  kind: 'undetected';
  candidate: ParseTask;
  previous: StoredSchemaSource;
}

export interface UndetectedBreak {
  path: string;
  message: string;
  hint: string;
}

export type SchemaTask = ParseTask | CheckTask | UndetectedBreaksTask;

/** What the registry needs of a parsed client schema: plain data that crosses threads. */
export interface AnalyzedSchema {
  schemaType: SchemaType;
  canonical: string;
  normalized: string;
  equivalence: string;
  outline: SchemaOutline;
}

export interface CheckOutcome {
  compatible: boolean;
  incompatibilities: IncompatibilityView[];
  /** The version the check failed against. */
  failedAgainst?: { version: number; schemaId: number };
}

export type TaskOutcome<T extends SchemaTask> = T extends ParseTask ? AnalyzedSchema : T extends CheckTask ? CheckOutcome : UndetectedBreak[];

/** A task's failure as it crosses a thread: a registry error keeps its kind and extra fields. */
export interface TaskFailure {
  kind?: RegistryErrorKind;
  message: string;
  extra?: Record<string, unknown>;
}

export const failureOf = (err: unknown): TaskFailure =>
  err instanceof RegistryError ? { kind: err.kind, message: err.message, extra: err.extra } : { message: err instanceof Error ? err.message : String(err) };

export const errorOf = (failure: TaskFailure): Error =>
  failure.kind ? new RegistryError(failure.kind, failure.message, failure.extra) : new Error(failure.message);

/** Estimated bytes of parsed schemas kept per runner (as ParsedSchemaCache weighs them). */
const PARSED_BYTES = 64 * 1024 * 1024;
const weighParsed = (_: string, parsed: ParsedSchema) => 16 * parsed.canonical.length + 1024;

/**
 * Runs schema tasks, keeping what it parsed: a registration parses its schema, then (after reading the subject)
 * checks it, and the check finds the parse here; stored schemas are parsed once per runner.
 */
export class SchemaTaskRunner {
  private readonly candidates = new BoundedMap<string, ParsedSchema>(PARSED_BYTES / 4, weighParsed);
  private readonly stored = new BoundedMap<string, ParsedSchema>(PARSED_BYTES, weighParsed);

  run<T extends SchemaTask>(task: T): TaskOutcome<T>;
  run(task: SchemaTask): AnalyzedSchema | CheckOutcome | UndetectedBreak[] {
    try {
      return this.runOnce(task);
    } catch (err) {
      // Comparing schemas recurses through both: one deep enough to exhaust the stack is a schema too complex to check.
      if (err instanceof RangeError) throw errors.invalidSchema('Invalid schema: nested too deeply to check');
      throw err;
    }
  }

  private runOnce(task: SchemaTask): AnalyzedSchema | CheckOutcome | UndetectedBreak[] {
    switch (task.kind) {
      case 'parse':
        return analyze(this.candidate(task));
      case 'check':
        return this.check(task);
      case 'undetected': {
        const candidate = this.candidate(task.candidate);
        return formatOf(candidate.schemaType).undetectedBreaks?.(candidate, this.storedSchema(task.previous, task.candidate.maxDepth)) ?? [];
      }
    }
  }

  private candidate(task: ParseTask): ParsedSchema {
    const key = JSON.stringify([task.request, task.maxDepth, task.limits ?? null]);
    const hit = this.candidates.get(key);
    if (hit) return hit;
    const parsed = parseSchema(task.request, task.maxDepth, task.limits);
    this.candidates.set(key, parsed);
    return parsed;
  }

  private storedSchema(source: StoredSchemaSource, maxDepth: number): ParsedSchema {
    const hit = this.stored.get(source.key);
    if (hit) return hit;
    // Stored history is parsed leniently: it was valid when written, and must always load.
    const request = { schemaType: source.schemaType, schema: source.schema, references: source.references, validate: false, normalize: false };
    const parsed = parseSchema(request, maxDepth);
    this.stored.set(source.key, parsed);
    return parsed;
  }

  private check(task: CheckTask): CheckOutcome {
    const candidate = this.candidate(task.candidate);
    const previous: PreviousVersion[] = task.previous.map((p) => ({
      version: p.version,
      schemaId: p.schemaId,
      parsed: this.storedSchema(p, task.candidate.maxDepth),
    }));
    const verdict = checkCompatibility(formatOf(candidate.schemaType), candidate, previous, task.level, { policy: task.policy });
    const failed = verdict.failedAgainst;
    return {
      compatible: verdict.compatible,
      incompatibilities: verdict.incompatibilities,
      ...(failed ? { failedAgainst: { version: failed.version, schemaId: failed.schemaId } } : {}),
    };
  }
}

function analyze(parsed: ParsedSchema): AnalyzedSchema {
  const { schemaType, canonical, normalized, equivalence } = parsed;
  return { schemaType, canonical, normalized, equivalence, outline: formatOf(schemaType).outline(parsed) };
}
