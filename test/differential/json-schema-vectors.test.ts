// Confluent's own JSON Schema diff vectors (263 cases): for each, Accord's diff must list Confluent's differences (type
// and path, as a multiset: Confluent's order follows Java hash order) and give Confluent's verdict under STRICT and,
// where given, LENIENT. The vectors are Confluent Community License test data, kept beside the project (the shared
// reference, ../shared/reference/data/json-schema) rather than in it; ACCORD_JSON_SCHEMA_VECTORS names another copy.
// Without one the suite is skipped, and says so.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/formats/json/diff.js';
import { COMPATIBLE_LENIENT, COMPATIBLE_STRICT } from '../../src/formats/json/difference-types.js';
import { jsonSchemaFormat, type JsonSchemaParsed } from '../../src/formats/json/index.js';

const FILES = ['diff-schema-examples.json', 'diff-schema-examples-2020-12.json', 'diff-combined-schema-examples.json', 'diff-combined-schema-examples-2020-12.json'];
const CANDIDATES = [
  process.env.ACCORD_JSON_SCHEMA_VECTORS,
  resolve(import.meta.dirname, '../../../shared/reference/data/json-schema'),
  // A clone made elsewhere on a machine that keeps the shared reference in its usual place.
  '/work/shared/reference/data/json-schema',
].filter((dir): dir is string => !!dir);
const DIR = CANDIDATES.find((dir) => FILES.every((file) => existsSync(resolve(dir, file))));
if (!DIR) {
  const message = `Confluent's JSON Schema vectors not found (looked in ${CANDIDATES.join(', ')}); set ACCORD_JSON_SCHEMA_VECTORS`;
  console.warn(`${message}: skipping the vector suite`);
}

interface Case {
  description: string;
  original_schema: unknown;
  update_schema: unknown;
  changes: string[];
  compatible: boolean;
  compatible_lenient?: boolean;
}

/** Confluent reads these with org.json, which tolerates a trailing comma (one file has one); JSON.parse does not. */
function load(file: string): Case[] {
  const text = readFileSync(resolve(DIR!, file), 'utf8');
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',' && /^\s*[}\]]/.test(text.slice(i + 1))) continue;
    out += c;
  }
  return JSON.parse(out) as Case[];
}

const parse = (schema: unknown) =>
  jsonSchemaFormat.parse(JSON.stringify(schema), [], { validate: true, normalize: false, maxDepth: 64 }) as JsonSchemaParsed;

const sorted = (list: string[]) => [...list].sort();

const cases = DIR ? FILES.flatMap((file) => load(file).map((c, i) => ({ file, index: i, ...c }))) : [];

describe.skipIf(!DIR)('Confluent JSON Schema diff vectors', () => {
  it('reads all 263 cases', () => {
    expect(cases).toHaveLength(263);
  });

  it.each(cases.map((c) => [`${c.file} #${c.index}: ${c.description}`, c] as const))('%s', (_, c) => {
    const original = parse(c.original_schema).native.root;
    const update = parse(c.update_schema).native.root;
    const { differences } = diffSchemas(original, update);
    expect(sorted(differences.map((d) => `${d.type} ${d.path}`))).toEqual(sorted(c.changes));
    expect(differences.every((d) => COMPATIBLE_STRICT.has(d.type))).toBe(c.compatible);
    const lenient = diffSchemas(original, update, COMPATIBLE_LENIENT).differences.every((d) => COMPATIBLE_LENIENT.has(d.type));
    expect(lenient).toBe(c.compatible_lenient ?? c.compatible);
  });
});
