// Compatibility levels, once for every format: which versions are compared, in which direction, and how results merge.
import type { CheckOptions, ParsedSchema, SchemaFormat } from '../formats/format.js';
import type { CompatibilityLevel } from './identifiers.js';
import type { IncompatibilityView } from './views.js';

/** A registered version as the checker needs it. */
export interface PreviousVersion {
  version: number;
  schemaId: number;
  parsed: ParsedSchema;
}

/** The verdict; when incompatible, the version it failed against. */
export interface CompatibilityVerdict {
  compatible: boolean;
  incompatibilities: IncompatibilityView[];
  failedAgainst?: PreviousVersion;
}

type Direction = 'backward' | 'forward';

function directionsOf(level: CompatibilityLevel): Direction[] {
  if (level.startsWith('BACKWARD')) return ['backward'];
  if (level.startsWith('FORWARD')) return ['forward'];
  if (level.startsWith('FULL')) return ['forward', 'backward']; // Confluent reports FORWARD errors first
  return [];
}

export const isTransitive = (level: CompatibilityLevel) => level.endsWith('_TRANSITIVE');

/**
 * Checks `candidate` against `previous` (live versions, newest first) at `level`. A transitive level walks
 * every version newest→oldest and stops at the first that fails; otherwise only the newest counts.
 */
export function checkCompatibility(
  format: SchemaFormat,
  candidate: ParsedSchema,
  previous: PreviousVersion[],
  level: CompatibilityLevel,
  options: CheckOptions = {},
): CompatibilityVerdict {
  const directions = directionsOf(level);
  const targets = directions.length === 0 ? [] : isTransitive(level) ? previous : previous.slice(0, 1);
  for (const old of targets) {
    const found: IncompatibilityView[] = [];
    if (old.parsed.schemaType !== candidate.schemaType) {
      found.push({
        rule: 'SCHEMA_TYPE_MISMATCH',
        path: '/',
        message: `Incompatible because of different schema type: version ${old.version} is ${old.parsed.schemaType}, the new schema is ${candidate.schemaType}`,
        hint: `register ${candidate.schemaType} schemas under another subject, or set this subject's compatibility to NONE`,
        oldVersion: old.version,
      });
    } else {
      for (const direction of directions) {
        const [reader, writer] = direction === 'backward' ? [candidate, old.parsed] : [old.parsed, candidate];
        const roles = direction === 'backward' ? { reader: 'new', writer: 'old' } : { reader: 'old', writer: 'new' };
        for (const f of format.checkReader(reader, writer, roles, options)) found.push({ ...f, oldVersion: old.version });
      }
    }
    if (found.length > 0) return { compatible: false, incompatibilities: found, failedAgainst: old };
  }
  return { compatible: true, incompatibilities: [] };
}

/** Confluent's verbose strings, so tools that print them keep working; `incompatibilities` carries the structure. */
export function confluentMessages(found: IncompatibilityView[], oldVersion: number, oldSchema: string, level: CompatibilityLevel): string[] {
  return [
    ...found.map((f) => {
      const detail = f.detail ?? f.message;
      const hint = f.hint ? ` Fix: ${f.hint}.` : '';
      // Quotes inside stay unescaped, as Confluent prints them.
      return `{errorType:'${f.rule}', description:'${f.message} Path: '${f.path}'.${hint}', additionalInfo:'${detail}'}`;
    }),
    `{oldSchemaVersion: ${oldVersion}}`,
    `{oldSchema: '${oldSchema}'}`,
    `{validateFields: 'false', compatibility: '${level}'}`,
  ];
}
