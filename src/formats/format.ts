// The one interface every schema language implements. Adding a format is adding a folder that exports one of these.
import type { SchemaLimits } from './limits.js';

export type { SchemaLimits } from './limits.js';

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A referenced schema, already fetched from its subject version, in dependency order (dependencies first). */
export interface ResolvedReference {
  name: string;
  subject: string;
  version: number;
  schemaType: SchemaType;
  /** The referenced schema's canonical text. */
  schema: string;
}

export interface ParseOptions {
  /** Strict on write: a new schema gets full validation (defaults, names). Stored history is parsed leniently. */
  validate: boolean;
  /** Confluent `normalize=true`: the canonical text is the normalized one. */
  normalize: boolean;
  /** Deepest JSON/AST nesting accepted; deeper schemas are rejected before any recursive work. */
  maxDepth: number;
  /**
   * Size limits checked before any parse work that grows faster than the text (a schema a client sends); absent for
   * stored history, which was accepted once and must always load.
   */
  limits?: SchemaLimits | undefined;
}

/** A parsed schema: its canonical text plus whatever the format needs to check compatibility. */
export interface ParsedSchema {
  schemaType: SchemaType;
  /** The text Confluent stores and returns (normalized when normalize was asked). */
  canonical: string;
  /** The canonical text under normalize=true. */
  normalized: string;
  /** Normalized with references inlined: two schemas are deep-equivalent when these are equal (lookup). */
  equivalence: string;
  /** Format-specific parsed form, opaque outside the format's folder. */
  native: unknown;
}

/**
 * One problem found by a compatibility check, format-neutral. `rule` names the reference implementation's
 * error type, `path` is a JSON pointer into the schema being checked, `hint` the change that would make it pass.
 */
export interface Incompatibility {
  rule: string;
  path: string;
  message: string;
  hint?: string;
  /** The reference implementation's own terse wording (what Confluent prints as additionalInfo). */
  detail?: string;
}

/** A field as governance rules see it, whatever the format. */
export interface OutlineField {
  name: string;
  /** Where the field is, as the format's findings locate things (JSON pointer or `#/Message/3`). */
  path: string;
  doc?: string;
  /** The field's type as written. */
  type: string;
  /** Marked as personal data in the schema itself (Avro `confluent:tags`/`sensitive`, Protobuf field_meta tags). */
  sensitive: boolean;
}

/** A named type (record, message, enum) as governance rules see it. */
export interface OutlineType {
  kind: 'record' | 'message' | 'enum' | 'fixed';
  name: string;
  fullName: string;
  path: string;
  doc?: string;
  fields: OutlineField[];
  /** Enum symbols, in order. */
  symbols?: string[];
}

/** The parts of a schema that naming and documentation rules look at. */
export interface SchemaOutline {
  schemaType: SchemaType;
  /** The event: the root record (Avro) or the first message (Protobuf). */
  event?: OutlineType;
  /** Namespace (Avro) or package (Protobuf) of the event. */
  namespace: string;
  types: OutlineType[];
}

/** Settings of a compatibility check beyond the level. */
export interface CheckOptions {
  /** Confluent's `compatibilityPolicy` config: STRICT (the default) or LENIENT; formats without policies ignore it. */
  policy?: string | undefined;
}

export interface SchemaFormat {
  readonly schemaType: SchemaType;
  /** Parses and validates; throws InvalidSchemaError with a message naming the problem. */
  parse(text: string, references: readonly ResolvedReference[], options: ParseOptions): ParsedSchema;
  /** Can `reader` read data written with `writer`? Returns every problem found, in traversal order. */
  checkReader(reader: ParsedSchema, writer: ParsedSchema, roles?: { reader: string; writer: string }, options?: CheckOptions): Incompatibility[];
  /**
   * Changes from `writer` to `reader` that break readers although the reference implementation's checker passes them
   * (its known blind spots). Reported as warnings beside the verdict, never as incompatibilities: the verdict stays
   * the reference's.
   */
  undetectedBreaks?(reader: ParsedSchema, writer: ParsedSchema): { path: string; message: string; hint: string }[];
  /** What governance rules check: names, docs, fields. */
  outline(parsed: ParsedSchema): SchemaOutline;
  /** An alternative rendering asked for with `?format=` (e.g. Avro `resolved`); undefined when unknown. */
  render?(parsed: ParsedSchema, format: string): string | undefined;
}

/** Thrown by a format when a schema does not parse or validate. Mapped to 422/42201 at the HTTP edge. */
export class InvalidSchemaError extends Error {
  override name = 'InvalidSchemaError';
}
