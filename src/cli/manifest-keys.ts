// The keys accord.yaml may hold, at every level that has a known set: a typo (`compatibilty: FULL`) would otherwise be
// ignored and the check pass with a default. The first unknown key is reported with its line and the nearest known key.
import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { RULES } from '../governance/rules.js';
import { nearest } from './args.js';

/** A mapping with known keys (each maybe with the shape of its value), or a list of one shape. */
type Shape = { keys: Record<string, Shape | null> } | { item: Shape };

const keys = (names: readonly string[], shaped: Record<string, Shape> = {}): Shape => ({
  keys: Object.fromEntries(names.map((name) => [name, shaped[name] ?? null])),
});

const CATALOG = keys(['owner', 'domain', 'description', 'producers', 'consumers', 'tags', 'sensitive', 'lifecycle', 'sunset', 'contact']);
const REFERENCE = keys(['name', 'subject', 'version']);
const CONTRACT = keys(['subject', 'schema', 'format', 'references', 'compatibility', 'catalog'], { references: { item: REFERENCE }, catalog: CATALOG });
// `envelopeFields` maps roles the team names itself, so its keys are free.
const PARAMS = keys(['subjectNamingStrategy', 'fieldCase', 'envelopeFields']);
const GOVERNANCE = keys(['profile', 'severities', 'params'], { severities: keys(RULES.map((r) => r.id)), params: PARAMS });
export const MANIFEST_SHAPE: Shape = keys(['contracts', 'governance'], { contracts: { item: CONTRACT }, governance: GOVERNANCE });

export interface UnknownKey {
  key: string;
  /** 1-based. */
  line: number;
  /** Where it sits: `contracts[0].catalog`. */
  at: string;
  suggestion?: string;
  known: string[];
}

/** Every key of the document that its level does not know, in document order. */
export function unknownKeys(document: Document, lines: LineCounter, shape: Shape = MANIFEST_SHAPE): UnknownKey[] {
  const found: UnknownKey[] = [];
  const walk = (node: unknown, shape: Shape, at: string) => {
    if ('item' in shape) {
      if (isSeq(node)) node.items.forEach((item, i) => walk(item, shape.item, `${at}[${i}]`));
      return;
    }
    if (!isMap(node)) return; // a value of the wrong type: the loader says what it must be
    const known = Object.keys(shape.keys);
    for (const pair of node.items) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string' || pair.key.value === '<<') continue;
      const key = pair.key.value;
      const path = at ? `${at}.${key}` : key;
      if (Object.hasOwn(shape.keys, key)) {
        const inner = shape.keys[key];
        if (inner) walk(pair.value, inner, path);
        continue;
      }
      const offset = pair.key.range?.[0] ?? 0;
      found.push({ key, line: lines.linePos(offset).line, at: at || 'the top level', suggestion: nearestKey(key, known), known });
    }
  };
  walk(document.contents, shape, '');
  return found;
}

/** The known key a typo most likely meant, compared without case (`subjectnamingstrategy`). */
function nearestKey(key: string, known: string[]): string | undefined {
  const lower = known.map((k) => k.toLowerCase());
  const guess = nearest(key.toLowerCase(), lower);
  return guess === undefined ? undefined : known[lower.indexOf(guess)];
}

/** One line: the file, the line, the key, and the key it most likely meant (else the known ones, when few). */
export function describeUnknownKey(file: string, unknown: UnknownKey, more: number): string {
  const hint = unknown.suggestion
    ? `did you mean ${unknown.suggestion}?`
    : unknown.known.length <= 12
      ? `known keys there: ${unknown.known.join(', ')}`
      : 'remove or rename it';
  return `${file}:${unknown.line}: unknown key '${unknown.key}' in ${unknown.at}; ${hint}${more ? ` (and ${more} more unknown key(s))` : ''}`;
}
