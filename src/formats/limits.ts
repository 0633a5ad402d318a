// Size limits a schema must respect, checked before any parse whose cost grows faster than the schema's size.

/** Each limit is a server setting; a schema over one is rejected (42201) before the expensive parse runs. */
export interface SchemaLimits {
  /** Fields of one record or message (a oneof's fields count towards their message; an extend block counts alone). */
  maxFields: number;
  /** Branches of one Avro union. */
  maxUnionBranches: number;
  /** Symbols of one Avro enum, values of one Protobuf enum. */
  maxEnumSymbols: number;
  /** References a schema names. */
  maxReferences: number;
  /** Characters in one name: a type, field, enum symbol or namespace name (Avro), any identifier (Protobuf). */
  maxNameLength: number;
  /** Named types one schema defines, nested ones included: records, enums, fixed (Avro), messages, enums (Protobuf). */
  maxTypes: number;
}

/** The setting that changes each limit. */
export const LIMIT_SETTINGS: Record<keyof SchemaLimits, string> = {
  maxFields: 'ACCORD_MAX_FIELDS',
  maxUnionBranches: 'ACCORD_MAX_UNION_BRANCHES',
  maxEnumSymbols: 'ACCORD_MAX_ENUM_SYMBOLS',
  maxReferences: 'ACCORD_MAX_REFERENCES',
  maxNameLength: 'ACCORD_MAX_NAME_LENGTH',
  maxTypes: 'ACCORD_MAX_TYPES',
};

/**
 * Far above any real schema, low enough that the worst schema each one allows parses in a fraction of a second
 * (measured with bench/limits.ts; the figures are in the README's configuration table).
 */
export const DEFAULT_LIMITS: SchemaLimits = {
  maxFields: 5_000,
  maxUnionBranches: 500,
  maxEnumSymbols: 10_000,
  maxReferences: 1_000,
  maxNameLength: 1_000,
  maxTypes: 2_000,
};

/** The message of a rejection: what is over, by how much, and which setting raises the limit. */
export function overLimitMessage(what: string, actual: number, noun: string, limit: keyof SchemaLimits, limits: SchemaLimits): string {
  return `${what} has ${actual} ${noun}, more than the limit of ${limits[limit]} (${LIMIT_SETTINGS[limit]})`;
}

/** A name's length against maxNameLength; the name itself is shortened in the message. */
export function nameTooLongMessage(kind: string, name: string, limits: SchemaLimits): string {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return `${kind} '${shown}' is ${name.length} characters long, more than the limit of ${limits.maxNameLength} (${LIMIT_SETTINGS.maxNameLength})`;
}
